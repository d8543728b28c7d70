import copy

import pandas as pd
import pytest
from factories import make_clients

from cob_analysis.link.recode import load_recode_table
from cob_analysis.tables.report import TABLE_IDS, build_all, translate, write_all
from cob_analysis.tables_io import read_table


@pytest.fixture
def clients():
    frame = make_clients(400, seed=3)
    for column in (
        "intake_date",
        "art60_first_start",
        "twe_last_end",
        "reference_date",
        "observation_end",
    ):
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column])
    frame["twe_last_result"] = frame.get("twe_last_result", pd.Series([None] * len(frame))).astype(
        "string"
    )
    return frame


@pytest.fixture
def recode(demo_config):
    return load_recode_table("config/recode/vdab_status.csv")


def test_every_report_table_is_built_with_totals(clients, recode, demo_config, tmp_path):
    ids = write_all(clients, recode, demo_config, tmp_path)
    assert ids == TABLE_IDS
    for table_id in ids:
        frame, meta = read_table(tmp_path, table_id)
        assert meta["id"] == table_id and meta["title"]
        first = frame.columns[0]
        assert (frame[first] == "Totaal").any() or table_id in (
            "t02_vdab_status",
            "t10_art60_employers",
        )
    t06, meta = read_table(tmp_path, "t06_trajectory_work")
    totals = t06[(t06["row"] == "Totaal") & (t06["col"] == "Totaal")]
    assert totals["n"].item() == len(clients)
    assert meta["association"]["df"] == 3


def test_english_labels_and_titles(clients, recode, demo_config):
    config = copy.deepcopy(demo_config)
    config["language"] = "en"
    built = {b.meta.id: b for b in build_all(clients, recode, config)}
    t11 = translate(built["t11_gender_work"], config)
    assert {"Man", "Woman", "Total"} <= set(t11["row"]) and {"Work", "No work or unknown"} <= set(
        t11["col"]
    )
    assert built["t11_gender_work"].meta.title == "Gender and employment"
    t14 = translate(built["t14_nt2_work"], config)
    if clients["nt2_level"].isna().any():
        assert "Not registered" in set(t14["row"])
    t05 = translate(built["t05_cohort_work"], config)
    assert any(str(r).startswith(("Spring", "Autumn")) for r in t05["row"])


def test_missing_values_are_counted_in_a_note(clients, recode, demo_config):
    clients = clients.copy()
    clients.loc[clients.index[:4], "gender"] = None
    built = {b.meta.id: b for b in build_all(clients, recode, demo_config)}
    meta = built["t11_gender_work"].meta
    n_missing = int(clients["gender"].isna().sum())
    assert n_missing >= 4
    assert meta.missing_excluded == n_missing and f"{n_missing} cliënten" in meta.notes[0]


def test_key_sample_bound_takes_about_the_right_share_of_pseudonyms():
    from cob_analysis.ingest.pseudonymise import pseudonym
    from cob_analysis.longitudinal.run import _key_sample_bound

    keys = [pseudonym(f"{i:011d}", b"k" * 20) for i in range(20000)]
    for fraction in (0.1, 0.5):
        taken = sum(k <= _key_sample_bound(fraction) for k in keys)
        assert abs(taken - fraction * len(keys)) < 0.03 * len(keys)
    assert _key_sample_bound(1.0) == 2**63 - 1 and _key_sample_bound(0.0) == -(2**63)


def test_add_notes_keeps_the_table(tmp_path):
    from cob_analysis.tables_io import TableMeta, add_notes, write_table

    write_table(
        pd.DataFrame({"row": ["a"], "n": [1]}),
        TableMeta(id="x", title="X", kind="oneway", notes=["one"]),
        tmp_path,
    )
    before = (tmp_path / "x.csv").read_bytes()
    add_notes(tmp_path, "x", ["two"])
    _, meta = read_table(tmp_path, "x")
    assert meta["notes"] == ["one", "two"] and (tmp_path / "x.csv").read_bytes() == before


def test_cohorts_of_the_intake_window_are_known_from_the_config():
    from cob_analysis.categories import cohort_slug, cohorts_between

    assert cohorts_between("2017-01-01", "2018-12-31") == [
        "Voorjaar 2017",
        "Najaar 2017",
        "Voorjaar 2018",
        "Najaar 2018",
    ]
    assert cohorts_between("2017-05-15", "2017-08-01", "quarter") == ["2017-Q2", "2017-Q3"]
    assert cohorts_between("2016-12-31", "2017-01-01", "year") == ["2016", "2017"]
    assert cohort_slug("Voorjaar 2017") == "voorjaar-2017" and cohort_slug("2017-Q2") == "2017-q2"
