"""CI checks the recoding rules: these tests are the review gate of config/recode/vdab_status.csv."""

from pathlib import Path

import pandas as pd
import pytest
import yaml

from cob_analysis.errors import InputError
from cob_analysis.link.recode import codes_in_use, load_recode_table

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "config" / "recode" / "vdab_status.csv"
REFERENCE = yaml.safe_load(
    (ROOT / "src" / "cob_demo" / "report_2020_tables.yaml").read_text(encoding="utf-8")
)
# Every code in shared/reference/vdab_status_codes.md (04 and 14 are one group; VDAB uses 14).
DOCUMENTED_CODES = {
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    9,
    10,
    11,
    12,
    14,
    18,
    19,
    30,
    76,
    77,
    78,
    79,
    80,
    82,
    85,
    89,
    90,
    93,
    97,
}


@pytest.fixture(scope="module")
def table():
    return load_recode_table(TABLE)


def test_every_code_once_and_every_documented_code_covered(table):
    assert table["code"].is_unique
    assert set(table["code"]) >= DOCUMENTED_CODES


def test_report_tabel_3_mapping_holds(table):
    lookup = table.set_index("code")["work_status"]
    for code in REFERENCE["work_recode"]["Werk"]:
        assert lookup[code] == "Werk", code
    for code in REFERENCE["work_recode"]["Geen werk of onbekend"]:
        assert lookup[code] in ("Geen werk", "Onbekend"), code


def test_every_row_has_label_source_and_category(table):
    assert (table["label"].str.len() > 0).all()
    assert (table["source"].str.len() > 0).all()
    assert (table["category"].str.len() > 0).all()


def test_ambiguous_codes_carry_a_note(table):
    notes = table.set_index("code")["note"]
    for code in (5, 9, 10, 11, 79, 85, 89):
        assert len(notes[code]) > 10, f"code {code} needs a reviewer's note"


def test_recode_of_every_code_gives_expected_split(table):
    status = pd.DataFrame(
        {
            "status_code": pd.array(sorted(table["code"]), dtype="Int64"),
            "source_row": range(2, len(table) + 2),
        }
    )
    out = codes_in_use(status, table)
    split = out["work_status"].value_counts().to_dict()
    assert split == table["work_status"].value_counts().to_dict()
    assert out["code_in_table"].all() and (out["n_rows"] == 1).all()


def test_missing_code_stops_the_run_by_default(table):
    status = pd.DataFrame(
        {"status_code": pd.array([5, 42, 42], dtype="Int64"), "source_row": [2, 3, 4]}
    )
    with pytest.raises(InputError) as info:
        codes_in_use(status, table, file="vdab.csv")
    assert "'42' (2)" in str(info.value) and "vdab.csv" in str(info.value)


def test_missing_code_as_unknown_under_policy(table):
    status = pd.DataFrame({"status_code": pd.array([5, 42], dtype="Int64"), "source_row": [2, 3]})
    out = codes_in_use(status, table, unknown_codes="onbekend")
    assert out["status_code"].tolist() == [5, 42]
    assert out["work_status"].tolist() == ["Geen werk", "Onbekend"]
    assert out["code_in_table"].tolist() == [True, False]


def test_table_errors(tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text(
        "code,label,work_status,category,source,note\n5,a,Geen werk,x,y,\n5,b,Werk,x,y,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="more than once"):
        load_recode_table(bad)
    bad.write_text(
        "code,label,work_status,category,source,note\n5,a,Misschien,x,y,\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="unknown work status"):
        load_recode_table(bad)
    bad.write_text("code,label\n5,a\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks columns"):
        load_recode_table(bad)
