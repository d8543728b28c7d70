"""clients.sav and clients.dta: read back with pyreadstat as SPSS and Stata would open them."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pyreadstat
import pytest

from cob_analysis import cli
from cob_analysis.report.spss import FIXED_CREATED, export_spss, stat_file
from cob_analysis.storage import read_parquet, write_parquet

BIG_KEY = -8478184097776462592  # a 64-bit pseudonym: a double would round it


@pytest.fixture
def clients_path(tmp_path):
    frame = pd.DataFrame(
        {
            "client_key": pd.array([BIG_KEY, 9_007_199_254_740_993, 17], dtype="Int64"),
            "intake_date": pd.to_datetime(["2017-01-02", "2017-08-15", "2018-02-01"]),
            "cohort": ["Najaar 2017", "Voorjaar 2017", "Voorjaar 2018"],
            "trajectory": ["Lineair", "VDAB", "Nieuw traject"],  # a value the order does not know
            "gender": ["Vrouw", None, "Man"],
            "age_at_intake": pd.array([50, 23, None], dtype="Int64"),
            "age_group": ["30+", "18-24j", None],
            "nationality": ["Syrische", "\u202eevil", None],
            "nt2_level": ["1.1", "0", "<1.1"],
            "schooling": ["Hoog", "Geen", "Laag"],
            "work_status": ["Werk", "Geen werk", "Onbekend"],
            "art60_started": pd.array([True, False, False], dtype="boolean"),
            "art60_first_start": pd.to_datetime(["2018-03-01", None, None]),
            "days_to_art60": pd.array([423, None, None], dtype="Int64"),
            "status_code": pd.array([90, 5, None], dtype="Int64"),
        }
    )
    return write_parquet(frame, tmp_path / "clients.parquet")


def test_sav_has_codes_value_labels_variable_labels_and_measurement_levels(clients_path, tmp_path):
    sav, _ = export_spss(clients_path, tmp_path / "c.sav", tmp_path / "c.dta")
    frame, meta = pyreadstat.read_sav(sav)
    labels = meta.variable_value_labels
    assert labels["trajectory"] == {
        1.0: "VDAB",
        2.0: "Lineair",
        3.0: "Nieuw traject",
    }  # table order, then the rest
    assert labels["cohort"] == {
        1.0: "Voorjaar 2017",
        2.0: "Najaar 2017",
        3.0: "Voorjaar 2018",
    }  # chronological
    assert labels["nt2_level"] == {1.0: "0", 2.0: "<1.1", 3.0: "1.1"}
    assert labels["art60_started"] == {0.0: "nee", 1.0: "ja"}
    assert frame["trajectory"].tolist() == [2.0, 1.0, 3.0] and frame["cohort"].tolist() == [
        2.0,
        1.0,
        3.0,
    ]
    assert pd.isna(frame["gender"].iloc[1]) and frame["art60_started"].tolist() == [1.0, 0.0, 0.0]
    measures = meta.variable_measure
    assert (
        measures["cohort"]
        == measures["schooling"]
        == measures["age_group"]
        == measures["nt2_level"]
        == "ordinal"
    )
    assert measures["trajectory"] == measures["client_key"] == measures["status_code"] == "nominal"
    assert (
        measures["age_at_intake"] == measures["days_to_art60"] == measures["intake_date"] == "scale"
    )
    column_labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert column_labels["days_to_art60"] == "Dagen van intake tot het eerste artikel 60"
    assert all(column_labels.values()), column_labels
    assert meta.original_variable_types["intake_date"] == "DATE11"
    assert frame["intake_date"].tolist()[:2] == [dt.date(2017, 1, 2), dt.date(2017, 8, 15)]
    assert frame["days_to_art60"].iloc[0] == 423 and pd.isna(frame["days_to_art60"].iloc[1])


def test_pseudonyms_join_exactly_and_text_is_clean(clients_path, tmp_path):
    sav, dta = export_spss(clients_path, tmp_path / "c.sav", tmp_path / "c.dta")
    for read in (pyreadstat.read_sav(sav)[0], pyreadstat.read_dta(dta)[0]):
        keys = [int(k) for k in read["client_key"]]
        assert keys == read_parquet(clients_path)["client_key"].tolist()
        assert keys[0] == BIG_KEY and keys[1] == 2**53 + 1  # not the nearest double
        assert read["nationality"].iloc[1] == "evil"  # the bidi override is gone
    for raw in (sav.read_bytes(), dta.read_bytes()):
        assert "\u202e".encode() not in raw


def test_dta_has_value_labels_on_integer_codes(clients_path, tmp_path):
    _, dta = export_spss(clients_path, tmp_path / "c.sav", tmp_path / "c.dta")
    frame, meta = pyreadstat.read_dta(dta)
    assert meta.variable_value_labels["work_status"] == {1: "Werk", 2: "Geen werk", 3: "Onbekend"}
    assert set(meta.variable_value_labels) == {
        "cohort",
        "trajectory",
        "gender",
        "age_group",
        "nt2_level",
        "schooling",
        "work_status",
        "art60_started",
    }
    assert frame["work_status"].tolist() == [1, 2, 3]
    assert meta.original_variable_types["intake_date"] == "%td"
    assert dict(zip(meta.column_names, meta.column_labels, strict=True))["cohort"] == "Intakecohort"


def test_byte_identical_with_a_fixed_creation_time(clients_path, tmp_path):
    first = export_spss(clients_path, tmp_path / "a.sav", tmp_path / "a.dta")
    time.sleep(1.1)  # the .sav header holds seconds
    second = export_spss(clients_path, tmp_path / "b.sav", tmp_path / "b.dta")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert pyreadstat.read_sav(first[0], metadataonly=True)[1].creation_time == FIXED_CREATED
    assert pyreadstat.read_dta(first[1], metadataonly=True)[1].creation_time == FIXED_CREATED


def test_english_labels(clients_path):
    stat = stat_file(read_parquet(clients_path), language="en")
    assert stat.value_labels["cohort"] == {1: "Spring 2017", 2: "Autumn 2017", 3: "Spring 2018"}
    assert stat.value_labels["art60_started"] == {0: "no", 1: "yes"}
    assert stat.column_labels["work_status"] == "Employment at the reference date (recoded)"
    assert "pseudonym" in stat.note


def test_the_command_writes_both_files(clients_path, tmp_path):
    code = cli.main(
        [
            "export_spss",
            "--config-json",
            '{"language": "en", "cohort": "half-year"}',
            "--clients",
            str(clients_path),
            "--sav",
            str(tmp_path / "x.sav"),
            "--dta",
            str(tmp_path / "x.dta"),
        ]
    )
    assert code == 0
    _, meta = pyreadstat.read_sav(tmp_path / "x.sav", metadataonly=True)
    assert meta.variable_value_labels["gender"] == {1.0: "Man", 2.0: "Woman"}
    assert (tmp_path / "x.dta").stat().st_size > 0
