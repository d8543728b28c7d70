"""Validity periods in the recoding table: a code used outside its period stops the run, or
keeps its recoding and is counted (policies.code_outside_validity)."""

import pandas as pd
import pytest

from cob_analysis.errors import InputError
from cob_analysis.link.recode import codes_in_use, load_recode_table

HEADER = "code,label,work_status,category,source,note"


def table(tmp_path, rows: list[str], validity: bool = True):
    header = HEADER + (",valid_from,valid_to" if validity else "")
    path = tmp_path / "recode.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return load_recode_table(path)


def status():
    return pd.DataFrame(
        {
            "status_code": [5, 5, 5, 90, 90],
            "reference_date": pd.to_datetime(
                ["2019-03-31", "2020-03-31", "2021-03-31", "2019-03-31", "2021-03-31"]
            ),
            "source_row": [2, 3, 4, 5, 6],
        }
    )


ROWS = [
    "5,Werkzoekend,Geen werk,werkzoekend,x,,,2020-12-31",  # no longer used after 2020
    "90,Werkend,Werk,werkend,x,,2019-01-01,",  # open-ended
]


def test_a_code_outside_its_period_stops_with_code_count_and_rows(tmp_path):
    with pytest.raises(InputError) as caught:
        codes_in_use(status(), table(tmp_path, ROWS), file="vdab.csv")
    message = str(caught.value)
    assert "outside its validity period" in message and "vdab.csv" in message
    assert "'5' (1)" in message and "first rows: 4" in message
    assert "code 5 from 2021-03-31 to 2021-03-31 (valid to 2020-12-31)" in message


def test_keep_recodes_as_the_table_says_and_counts(tmp_path):
    used = codes_in_use(status(), table(tmp_path, ROWS), outside_validity="keep")
    by_code = used.set_index("status_code")
    assert by_code.loc[5, "n_rows_outside_validity"] == 1
    assert by_code.loc[90, "n_rows_outside_validity"] == 0
    assert by_code.loc[5, "work_status"] == "Geen werk"
    assert str(by_code.loc[5, "valid_to"]) == "2020-12-31" and pd.isna(by_code.loc[5, "valid_from"])


def test_a_table_without_periods_is_open_ended(tmp_path):
    rows = ["5,Werkzoekend,Geen werk,werkzoekend,x,", "90,Werkend,Werk,werkend,x,"]
    used = codes_in_use(status(), table(tmp_path, rows, validity=False))
    assert used["n_rows_outside_validity"].tolist() == [0, 0]


def test_bad_and_reversed_periods_are_named(tmp_path):
    with pytest.raises(InputError, match="valid_to.*not a date"):
        table(tmp_path, ["5,W,Geen werk,werkzoekend,x,,,31/12/2020"])
    with pytest.raises(InputError, match="valid_from after valid_to"):
        table(tmp_path, ["5,W,Geen werk,werkzoekend,x,,2021-01-01,2020-12-31"])


def test_the_shipped_table_still_loads():
    shipped = load_recode_table("config/recode/vdab_status.csv")
    assert shipped["valid_from"].isna().all() and shipped["valid_to"].isna().all()
