import pandas as pd

from cob_analysis.quality.disagreements import flag_disagreements, summarise

D = pd.Timestamp


def test_flags_and_summary():
    clients = pd.DataFrame(
        {
            "client_key": ["a", "b", "c", "d"],
            "reference_date": [D("2020-03-31")] * 4,
            "work_status": ["Geen werk", "Werk", "Werk", "Onbekend"],
            "status_code": pd.array([5, 78, 90, None], dtype="Int64"),
            "twe_last_result": [None, None, None, "NEC"],
            "trajectory": ["VDAB", "VDAB", "Lineair", "Lineair"],
            "cohort": ["Voorjaar 2017"] * 4,
        }
    )
    art60 = pd.DataFrame(
        {
            "client_key": ["a", "b"],
            "start_date": [D("2019-06-01"), D("2018-01-01")],
            "end_date": [None, D("2019-01-01")],
        }
    )
    twe = pd.DataFrame(
        {"client_key": ["d"], "start_date": [D("2019-01-01")], "end_date": [D("2019-12-31")]}
    )
    flags = flag_disagreements(clients, art60, twe).set_index("client_key")
    assert flags.loc["a", "art60_running_no_work"] and flags.loc["a", "art60_running_code_5"]
    assert not flags.loc["b", "art60_running_no_work"]  # ended before the reference date
    assert (
        flags.loc["c", "work_without_art60_or_twe"]
        and not flags.loc["b", "work_without_art60_or_twe"]
    )
    assert flags.loc["d", "twe_work_result_no_work"]
    summary = summarise(clients, flags.reset_index())
    total = summary[
        (summary["check"] == "art60_running_no_work") & (summary["group"] == "Totaal")
    ].iloc[0]
    assert (total["n_clients"], total["n_flagged"], total["pct"]) == (4, 1, 25.0)
    vdab = summary[
        (summary["check"] == "work_without_art60_or_twe") & (summary["group"] == "Lineair")
    ].iloc[0]
    assert vdab["n_flagged"] == 1
