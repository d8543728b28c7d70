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
    different = {
        k: (fields_of(nl[k]), fields_of(en[k])) for k in nl if fields_of(nl[k]) != fields_of(en[k])
    }
    assert different == {}
    assert all(value.strip() for value in (*nl.values(), *en.values())), "no empty text"


def test_every_key_the_report_code_asks_for_is_in_the_catalogue():
    """Keys written out in the report modules and the template exist (a typo would be a KeyError
    at render time, in one language only when it hides in a branch)."""
    sources = [*sorted((SRC / "report").glob("*.py")), SRC / "labels.py"]
    asked = set()
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(
                    r"(table|report|section|summary|published|quality|provenance|view|workbook|spss|check|"
                    r"linkage_note|column|indicator|export)\.[a-z_0-9.*]+",
                    node.value,
                )
            ):
                asked.add(node.value)
    template = (SRC / "report" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    asked |= set(re.findall(r"t\('([a-z_]+\.[a-z_.]+)'", template))
    missing = {
        key for key in asked if key not in TEXTS["nl"] and not key.endswith(("_", ".", ".j2"))
    }  # f-string prefixes and file names aside
    assert missing == set()
    assert len(asked) > 60


def test_values_cohorts_and_totals_in_english():
    assert value_label("Totaal", "en") == "Total" and value_label("Totaal", "nl") == "Totaal"
    assert (
        value_label("Najaar 2017", "en") == "Autumn 2017"
        and value_label("Voorjaar 2018", "en") == "Spring 2018"
    )
    assert value_label("2017-Q3", "en") == "2017-Q3"  # quarter cohorts read the same in both
    assert (
        value_label("ZORGBEDRIJF ANTWERPEN", "en") == "ZORGBEDRIJF ANTWERPEN"
    )  # data passes through
    assert i18n.display_label("Gewone uitschrijving", "en") == "Ordinary deregistration"
    assert (
        value_label("Gewone uitschrijving", "en") == "Gewone uitschrijving"
    )  # tables keep the recoding labels


def test_numbers_as_each_language_prints_them():
    assert (
        format_number(49.1, 1, "nl", percent=True) == "49,1%"
        and format_number(49.1, 1, "en", percent=True) == "49.1%"
    )
    assert format_number(0.5, 2, "nl") == "0,50" and format_number(0.5, 2, "en") == "0.50"
    assert format_number(None, 1, "nl") == ""


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("761 gebeurtenissen; concordantie 0.670.", "761 gebeurtenissen; concordantie 0,670."),
        ("pseudo-R² (McFadden) 0.069", "pseudo-R² (McFadden) 0,069"),
        ("1 maand = 30.4375 dagen", "1 maand = 30,4375 dagen"),
        (
            "NT2 1.x = 1.1, 1.2; 2.x en hoger = 2.1, 4.2.",
            "NT2 1.x = 1.1, 1.2; 2.x en hoger = 2.1, 4.2.",
        ),
        ("lifelines 0.30.0 op 2020-03-31", "lifelines 0.30.0 op 2020-03-31"),
    ],
)
def test_decimal_points_in_sentences_of_other_modules(sentence, expected):
    assert localise_decimals(sentence, "nl") == expected
    assert localise_decimals(sentence, "en") == sentence


def test_no_internal_name_as_a_column_header():
    for name in (
        "n_evaluable",
        "pct_durable_of_work_ever",
        "from_status",
        "group_var",
        "n_recoded_work",
        "pct_started_12m",
        "pct_started_12m_ci_low",
        "pct_work_24m_max",
        "median_min_months",
        "days_q3",
    ):
        for language in ("nl", "en"):
            label = column_label(name, language)
            assert label != name and "_" not in label, (name, language, label)
    assert column_label("pct_started_6m", "nl") == "% gestart ≤ 6 mnd"
    assert column_label("pct_work_12m", "en") == "% with work seen ≤ 12 mo"
    assert (
        variable_label("age_group", "nl") == "Leeftijdsgroep"
        and variable_label("Totaal", "en") == "Total"
    )
    assert export_label("trajectory_changes", "nl") == "Trajectwijzigingen"
    assert text("table.number", "en") == "Table"


def test_every_placeholder_of_a_text_is_in_both_languages():
    """A `{field}` in the Dutch text is in the English one and the other way round, so a text is
    filled in the same way in both."""
    nl, en = TEXTS["nl"], TEXTS["en"]
    only_nl = {
        key: sorted(fields_of(nl[key]) - fields_of(en[key]))
        for key in nl
        if fields_of(nl[key]) - fields_of(en[key])
    }
    only_en = {
        key: sorted(fields_of(en[key]) - fields_of(nl[key]))
        for key in en
        if fields_of(en[key]) - fields_of(nl[key])
    }
    assert only_nl == {} and only_en == {}


# Files other engineers are still moving to the catalogue (their texts are not built here).
NOT_YET_IN_THE_CATALOGUE: set[str] = set()


def _language_dicts(tree: ast.AST) -> list[int]:
    """Lines of dict literals (and dict(...) calls) whose keys are all language codes."""

    def keyed_by_language(node: ast.AST) -> bool:
        if isinstance(node, ast.Dict):
            return bool(node.keys) and all(
                isinstance(k, ast.Constant) and k.value in i18n.LANGUAGES for k in node.keys
            )
        return (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "dict"
            and bool(node.keywords)
            and all(k.arg in i18n.LANGUAGES for k in node.keywords)
        )

    return [node.lineno for node in ast.walk(tree) if keyed_by_language(node)]


def test_no_output_text_is_built_outside_the_catalogue():
    """No module outside `i18n/` holds a {"nl": ..., "en": ...} text: every text people read comes
    from the catalogue."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("i18n/") or relative in NOT_YET_IN_THE_CATALOGUE:
            continue
        lines = _language_dicts(ast.parse(path.read_text(encoding="utf-8")))
        if lines:
            found[relative] = lines
    assert found == {}


def test_the_scan_finds_a_language_dict():
    tree = ast.parse(
        'TITLE = {"nl": "Titel", "en": "Title"}\nNOTE = dict(nl="Noot", en="Note")\nOTHER = {"n": 1}'
    )
    assert _language_dicts(tree) == [1, 2]


# The modules whose texts moved into the catalogue, and the prefix their text helpers add.
_TEXT_HELPERS = {"text": "", "_t": "longitudinal."}
_PREFIXED_BY_LABELS = "table."


def _asked_keys(path: Path) -> set[str]:
    """The keys a module asks the catalogue for with a literal (or the literal start of an f-string)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    labels_text = any(
        isinstance(n, ast.ImportFrom)
        and n.module == "cob_analysis.labels"
        and any(a.name == "text" for a in n.names)
        for n in ast.walk(tree)
    )
    keys = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = (
            func.attr
            if isinstance(func, ast.Attribute)
            else func.id
            if isinstance(func, ast.Name)
            else None
        )
        owner = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else None
        )
        if name not in _TEXT_HELPERS or (owner and owner not in ("i18n", "labels")):
            continue
        prefix = _TEXT_HELPERS[name]
        if owner == "labels" or (owner is None and name == "text" and labels_text):
            prefix = _PREFIXED_BY_LABELS
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            keys.add(prefix + first.value)
        elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            keys.add(prefix + first.values[0].value + "*")
    return keys


def test_every_key_the_tables_survival_and_longitudinal_code_asks_for_is_in_the_catalogue():
    paths = [
        SRC / "tables" / "report.py",
        SRC / "tables" / "suppression.py",
        SRC / "quality" / "disagreements.py",
        *sorted((SRC / "survival").glob("*.py")),
        *sorted((SRC / "longitudinal").glob("*.py")),
    ]
    asked = set().union(*(_asked_keys(path) for path in paths))
    from cob_analysis.longitudinal.texts import _VARIABLES

    asked -= {f"longitudinal.{name}" for name in _VARIABLES}
    missing = {key for key in asked if not key.endswith("*") and key not in TEXTS["nl"]}
    missing |= {
        key
        for key in asked
        if key.endswith("*") and not any(k.startswith(key[:-1]) for k in TEXTS["nl"])
    }
    assert missing == set()
    assert len(asked) > 80


def test_models_and_figures_name_variables_as_the_catalogue_does():
    from cob_analysis.survival import forest, kaplan_meier, models

    for module in (models, forest, kaplan_meier):
        assert not hasattr(module, "covariate_label") and not hasattr(module, "_COVARIATE_LABELS")
    assert variable_label("nt2_level", "en") == "Dutch level (NT2) at intake"
