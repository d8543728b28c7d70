"""The one catalogue of output texts: both languages have the same keys and fields, and the
helpers print labels and numbers as each language writes them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cob_analysis import i18n
from cob_analysis.i18n import TEXTS, fields_of, format_number, localise_decimals, text, value_label
from cob_analysis.labels import column_label, export_label, variable_label

SRC = Path(__file__).resolve().parents[1] / "src" / "cob_analysis"


def test_both_languages_have_the_same_keys_with_the_same_fields():
    nl, en = TEXTS["nl"], TEXTS["en"]
    assert set(nl) == set(en), sorted(set(nl) ^ set(en))
    different = {k: (fields_of(nl[k]), fields_of(en[k])) for k in nl if fields_of(nl[k]) != fields_of(en[k])}
    assert different == {}
    assert all(value.strip() for value in (*nl.values(), *en.values())), "no empty text"


def test_every_key_the_report_code_asks_for_is_in_the_catalogue():
    """Keys written out in the report modules and the template exist (a typo would be a KeyError
    at render time, in one language only when it hides in a branch)."""
    sources = [SRC / name for name in ("html_report.py", "report_views.py", "report_summary.py", "report_quality.py",
                                       "workbook.py", "table_layout.py", "spss_export.py", "labels.py")]
    asked = set()
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"(table|report|section|summary|published|quality|provenance|view|workbook|spss|check|"
                    r"linkage_note|column|indicator|export)\.[a-z_0-9.*]+", node.value):
                asked.add(node.value)
    template = (SRC / "templates" / "report.html.j2").read_text(encoding="utf-8")
    asked |= set(re.findall(r"t\('([a-z_]+\.[a-z_.]+)'", template))
    missing = {key for key in asked if key not in TEXTS["nl"]
               and not key.endswith(("_", ".", ".j2"))}  # f-string prefixes and file names aside
    assert missing == set()
    assert len(asked) > 60


def test_values_cohorts_and_totals_in_english():
    assert value_label("Totaal", "en") == "Total" and value_label("Totaal", "nl") == "Totaal"
    assert value_label("Najaar 2017", "en") == "Autumn 2017" and value_label("Voorjaar 2018", "en") == "Spring 2018"
    assert value_label("2017-Q3", "en") == "2017-Q3"  # quarter cohorts read the same in both
    assert value_label("ZORGBEDRIJF ANTWERPEN", "en") == "ZORGBEDRIJF ANTWERPEN"  # data passes through
    assert i18n.display_label("Gewone uitschrijving", "en") == "Ordinary deregistration"
    assert value_label("Gewone uitschrijving", "en") == "Gewone uitschrijving"  # tables keep the recoding labels


def test_numbers_as_each_language_prints_them():
    assert format_number(49.1, 1, "nl", percent=True) == "49,1%" and format_number(49.1, 1, "en", percent=True) == "49.1%"
    assert format_number(0.5, 2, "nl") == "0,50" and format_number(0.5, 2, "en") == "0.50"
    assert format_number(None, 1, "nl") == ""


@pytest.mark.parametrize(("sentence", "expected"), [
    ("761 gebeurtenissen; concordantie 0.670.", "761 gebeurtenissen; concordantie 0,670."),
    ("pseudo-R² (McFadden) 0.069", "pseudo-R² (McFadden) 0,069"),
    ("1 maand = 30.4375 dagen", "1 maand = 30,4375 dagen"),
    ("NT2 1.x = 1.1, 1.2; 2.x en hoger = 2.1, 4.2.", "NT2 1.x = 1.1, 1.2; 2.x en hoger = 2.1, 4.2."),
    ("lifelines 0.30.0 op 2020-03-31", "lifelines 0.30.0 op 2020-03-31"),
])
def test_decimal_points_in_sentences_of_other_modules(sentence, expected):
    assert localise_decimals(sentence, "nl") == expected
    assert localise_decimals(sentence, "en") == sentence


def test_no_internal_name_as_a_column_header():
    for name in ("n_evaluable", "pct_durable_of_work_ever", "from_status", "group_var", "n_recoded_work",
                 "pct_started_12m", "pct_started_12m_ci_low", "pct_work_24m_max", "median_min_months", "days_q3"):
        for language in ("nl", "en"):
            label = column_label(name, language)
            assert label != name and "_" not in label, (name, language, label)
    assert column_label("pct_started_6m", "nl") == "% gestart ≤ 6 mnd"
    assert column_label("pct_work_12m", "en") == "% with work seen ≤ 12 mo"
    assert variable_label("age_group", "nl") == "Leeftijdsgroep" and variable_label("Totaal", "en") == "Total"
    assert export_label("trajectory_changes", "nl") == "Trajectwijzigingen"
    assert text("table.number", "en") == "Table"
