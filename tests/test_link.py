import copy

import pandas as pd
import pytest

from cob_analysis.errors import InputError
from cob_analysis.link.linkage import check_accounting, link

D = pd.Timestamp


def staged():
    clients = pd.DataFrame(
        {
            "client_key": ["a", "b", "b", "c", "z"],
            "source_row": [2, 3, 4, 5, 6],
            "intake_date": [
                D("2017-02-01"),
                D("2017-08-01"),
                D("2018-01-01"),
                D("2018-12-01"),
                D("2016-05-01"),
            ],
            "trajectory": ["VDAB", "Lineair", "VDAB", "SD/Activering", "VDAB"],
            "gender": ["Man", "Vrouw", "Vrouw", None, "Man"],
            "age_at_intake": pd.array([30, 22, 22, None, 40], dtype="Int64"),
            "nationality": ["Syrië"] * 5,
            "country_of_birth": ["Syrië"] * 5,
            "continent": ["Azië"] * 5,
            "household": ["Alleenstaande"] * 5,
            "nt2_level": ["0"] * 5,
            "schooling": ["Laag"] * 5,
        }
    )
    art60 = pd.DataFrame(
        {
            "client_key": ["a", "a", "a", "b", "q", "c"],
            "source_row": [2, 3, 4, 5, 6, 7],
            "start_date": [
                D("2018-02-01"),
                D("2019-01-01"),
                D("2018-02-01"),
                D("2020-06-01"),
                D("2018-01-01"),
                D("2018-12-01"),
            ],
            "end_date": [D("2018-12-31"), None, D("2018-12-31"), None, None, None],
            "employer": ["ZNA", "OCMW", "ZNA", "ZNA", "X", "Y"],
        }
    )
    twe = pd.DataFrame(
        {
            "client_key": ["a", "a", "z"],
            "source_row": [2, 3, 4],
            "start_date": [D("2018-01-01"), D("2019-01-01"), D("2017-01-01")],
            "end_date": [D("2018-12-31"), D("2019-12-31"), None],
            "result": ["Geen werk", "NEC", None],
        }
    )
    vdab = pd.DataFrame(
        {
            "client_key": ["a", "a", "b", "b", "q", "z", "a"],
            "source_row": [2, 3, 4, 5, 6, 7, 8],
            "reference_date": [
                D("2020-03-31"),
                D("2019-03-31"),
                D("2020-03-31"),
                D("2020-03-31"),
                D("2020-03-31"),
                D("2020-03-31"),
                D("2020-03-31"),
            ],
            "status_code": pd.array([78, 5, 5, 5, 0, 0, 78], dtype="Int64"),
            "work_status": [
                "Werk",
                "Geen werk",
                "Geen werk",
                "Geen werk",
                "Geen werk",
                "Geen werk",
                "Werk",
            ],
            "status_category": ["x"] * 7,
            "code_in_table": [True] * 7,
        }
    )
    acc = {
        name: {"file": f"{name}.csv", "rows_read": len(frame), "rejected": {}}
        for name, frame in {"clients": clients, "art60": art60, "twe": twe, "vdab": vdab}.items()
    }
    return clients, art60, twe, vdab, acc


@pytest.fixture
def config(demo_config):
    return copy.deepcopy(demo_config)


def test_link_classes_and_client_rows(config):
    linked = link(*staged(), config)
    acc = linked.accounting.set_index("export")
    assert acc.loc["clients", ["linked", "duplicate", "out_of_window"]].tolist() == [3, 1, 1]
    assert acc.loc["art60", ["linked", "duplicate", "unmatched"]].tolist() == [4, 1, 1]
    assert acc.loc["twe", ["linked", "out_of_window"]].tolist() == [2, 1]
    clients = linked.clients.set_index("client_key")
    assert clients.loc["b", "trajectory"] == "Lineair"  # first intake kept
    assert clients.loc["a", "days_to_art60"] == (D("2018-02-01") - D("2017-02-01")).days
    assert (
        clients.loc["a", "art60_count"] == 2 and clients.loc["a", "art60_last_employer"] == "OCMW"
    )
    assert not clients.loc["b", "art60_started"]  # starts after the observation end: censored
    assert clients.loc["c", "days_to_art60"] == 0  # on the intake day
    assert clients.loc["a", "twe_last_result"] == "NEC"
    assert clients.loc["c", "work_status"] == "Onbekend" and pd.isna(
        clients.loc["c", "status_code"]
    )
    assert (
        clients.loc["a", "cohort"] == "Voorjaar 2017"
        and clients.loc["b", "cohort"] == "Najaar 2017"
    )
    assert set(linked.status_panel["client_key"].to_pylist()) == {"a", "b"}
    unmatched = linked.unmatched.set_index("export")
    assert unmatched.loc["art60", ["unmatched_keys", "unmatched_rows"]].tolist() == [1, 1]
    assert unmatched.loc["twe", "out_of_window_keys"] == 1
    notes = linked.notes.set_index("note")["n"]
    assert notes["started after the observation end (censored, not an event)"] == 1


def test_exact_accounting_for_vdab(config):
    linked = link(*staged(), config)
    vdab = linked.accounting.set_index("export").loc["vdab"]
    # a: two 2020 rows with the same code (one duplicate) + one 2019 row; b: two identical rows; q: non-client; z: out of window
    assert (vdab["linked"], vdab["duplicate"], vdab["unmatched"], vdab["out_of_window"]) == (
        3,
        2,
        1,
        1,
    )


def test_duplicate_intakes_policy_error(config):
    config["policies"]["duplicate_intakes"] = "error"
    with pytest.raises(InputError, match="more than one intake"):
        link(*staged(), config)


def test_conflicting_status(config):
    clients, art60, twe, vdab, acc = staged()
    vdab.loc[3, "status_code"] = 78
    with pytest.raises(InputError, match="two different status codes"):
        link(clients, art60, twe, vdab, acc, config)
    config["policies"]["conflicting_status"] = "drop"
    linked = link(clients, art60, twe, vdab, acc, config)
    assert linked.accounting.set_index("export").loc["vdab", "rejected"] == 2
    assert linked.clients.set_index("client_key").loc["b", "work_status"] == "Onbekend"


def test_art60_before_intake(config):
    clients, art60, twe, vdab, acc = staged()
    art60.loc[0, "start_date"] = D("2016-01-01")
    with pytest.raises(InputError, match="starts before the client's intake"):
        link(clients, art60, twe, vdab, acc, config)
    config["policies"]["art60_before_intake"] = "drop"
    linked = link(clients, art60, twe, vdab, acc, config)
    assert linked.accounting.set_index("export").loc["art60", "rejected"] == 1


def test_reference_date_must_exist_and_intakes_before_observation_end(config):
    config["reference_date"] = "2021-03-31"
    with pytest.raises(InputError, match="no VDAB status of any client"):
        link(*staged(), config)
    config["reference_date"] = None
    config["observation_end"] = "2018-06-30"
    with pytest.raises(InputError, match="intake after the observation end"):
        link(*staged(), config)


def test_latest_snapshot_by_default(config):
    config["reference_date"] = None
    linked = link(*staged(), config)
    assert linked.reference_date == D("2020-03-31")


def test_check_accounting_catches_lost_rows():
    bad = pd.DataFrame(
        [
            {
                "export": "x",
                "rows_read": 5,
                "linked": 3,
                "unmatched": 0,
                "duplicate": 0,
                "out_of_window": 0,
                "rejected": 1,
            }
        ]
    )
    with pytest.raises(AssertionError):
        check_accounting(bad)


def test_trajectory_changes_are_linked_and_counted(config):
    clients, art60, twe, vdab, acc = staged()
    changes = pd.DataFrame(
        {
            "client_key": ["a", "q", "a"],
            "source_row": [2, 3, 4],
            "change_date": [D("2017-06-01"), D("2017-06-01"), D("2017-06-01")],
            "trajectory": ["SD/Activering", "Lineair", "SD/Activering"],
        }
    )
    acc["trajectory_changes"] = {"file": "c.csv", "rows_read": 3, "rejected": {}}
    linked = link(clients, art60, twe, vdab, acc, config, changes=changes)
    row = linked.accounting.set_index("export").loc["trajectory_changes"]
    assert (row["linked"], row["unmatched"], row["duplicate"]) == (1, 1, 1)
    assert linked.changes["client_key"].to_pylist() == ["a"]
    changes.loc[0, "change_date"] = D("2016-01-01")
    changes.loc[2, "change_date"] = D("2016-02-01")
    with pytest.raises(InputError, match="before the client's intake"):
        link(clients, art60, twe, vdab, acc, config, changes=changes)


def test_art60_after_observation_end_policy_error(config):
    config["policies"]["art60_after_observation_end"] = "error"
    with pytest.raises(InputError, match="starts after the observation end"):
        link(*staged(), config)
