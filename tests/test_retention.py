"""Keeping work: work spells against a naive reading of the snapshots, the retention table
against lifelines, and the third durable-work rule (no return to job seeking within months)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from test_longitudinal import (
    DURABLE_CLIENTS,
    DURABLE_PANEL,
    S1,
    S2,
    S3,
    clients_frame,
    flags_of,
    panel_frame,
)

from cob_analysis.longitudinal import client_status_grid, describe_rule, durable_work
from cob_analysis.longitudinal.retention import work_retention, work_spells
from cob_analysis.survival.time_scale import DAYS_PER_MONTH
from cob_analysis.tables_io import round_half_up


def test_spells_of_the_hand_made_panel():
    spells = work_spells(client_status_grid(DURABLE_CLIENTS, DURABLE_PANEL)).set_index("client_key")
    assert sorted(spells.index) == ["late", "nww", "w?w", "wnw", "wwn"]  # nnn never worked
    got = {
        k: (r.first_work_date.date(), r.end_date.date(), bool(r.lost)) for k, r in spells.iterrows()
    }
    assert got == {
        "wnw": (S1.date(), S2.date(), True),  # lost at the next snapshot
        "wwn": (S1.date(), S3.date(), True),  # 78 is work: lost only at S3
        "nww": (S2.date(), S3.date(), False),  # still working at the last snapshot
        "w?w": (S1.date(), S3.date(), False),  # no record at S2 neither ends nor extends
        "late": (S3.date(), S3.date(), False),  # first work at the last snapshot: censored at 0
    }
    assert spells.loc["wnw", "months"] == pytest.approx(365 / DAYS_PER_MONTH)


def test_retention_table_of_the_hand_made_panel():
    table = work_retention(DURABLE_CLIENTS, DURABLE_PANEL).set_index(["group_var", "group"])
    total = table.loc[("Totaal", "Totaal")]
    assert (total["n_work_seen"], total["n_lost"], total["n_censored"]) == (5, 2, 3)
    # at 12.0 months 4 at risk, 1 lost (wnw): 3/4; at 24.0 months (731 days) 2 at risk, 1 lost
    assert total["pct_kept_6m"] == 100.0 and total["pct_kept_12m"] == 75.0
    assert total["pct_kept_24m"] == 75.0  # 24 months < 731 days: before the second loss
    assert total["median_months"] == 24.0 and total["followup_max_months"] == 24.0
    assert total["pct_kept_6m_ci_low"] == 100.0 and total["pct_kept_12m_ci_low"] < 75.0


def test_one_snapshot_says_what_it_needs():
    panel = DURABLE_PANEL[pd.to_datetime(DURABLE_PANEL["reference_date"]) == S3]
    table = work_retention(DURABLE_CLIENTS, panel)
    assert list(table.columns) == ["note"] and "2" in table["note"].iloc[0]


def naive_spells(clients: pd.DataFrame, statuses: dict[str, dict[pd.Timestamp, str]], dates):
    """Reading each client's snapshots one by one."""
    out = {}
    intake = dict(zip(clients["client_key"], pd.to_datetime(clients["intake_date"]), strict=True))
    for key, start in intake.items():
        seen = [(d, statuses.get(key, {}).get(d, "Onbekend")) for d in dates if d >= start]
        works = [d for d, s in seen if s == "Werk"]
        if not works:
            continue
        lost = [d for d, s in seen if d > works[0] and s == "Geen werk"]
        end = lost[0] if lost else works[-1]
        out[key] = ((end - works[0]).days / DAYS_PER_MONTH, bool(lost))
    return out


def test_retention_equals_lifelines_on_a_seeded_monthly_panel():
    rng = np.random.default_rng(7)
    dates = list(pd.date_range("2018-01-31", periods=30, freq="ME"))
    n = 400
    rows = [
        (f"c{i}", dates[int(rng.integers(0, 18))].date(), "Voorjaar 2018", "VDAB") for i in range(n)
    ]
    clients = clients_frame(rows)
    statuses = {}
    for key, intake, *_ in rows:
        state = "Geen werk"
        for d in dates:
            if d.date() < intake:
                continue
            u = rng.random()
            state = (
                ("Werk" if u < 0.15 else state)
                if state != "Werk"
                else ("Geen werk" if u < 0.08 else state)
            )
            if rng.random() > 0.05:  # 5% of snapshots without a record
                statuses.setdefault(key, {})[d] = state
    panel = panel_frame(statuses)
    spells = work_spells(client_status_grid(clients, panel)).set_index("client_key")
    naive = naive_spells(clients, statuses, dates)
    assert sorted(spells.index) == sorted(naive)
    for key, (months, lost) in naive.items():
        assert spells.loc[key, "months"] == pytest.approx(months, abs=1e-12)
        assert bool(spells.loc[key, "lost"]) == lost
    durations = [m for m, _ in naive.values()]
    events = [lost for _, lost in naive.values()]
    km = KaplanMeierFitter().fit(durations, events)
    ci = km.confidence_interval_survival_function_
    table = work_retention(clients, panel, decimals=6).set_index(["group_var", "group"])
    total = table.loc[("Totaal", "Totaal")]
    for months in (6, 12, 24):
        expected = float(km.survival_function_at_times(months).iloc[0])
        assert total[f"pct_kept_{months}m"] == round_half_up(100 * expected, 6)
        bounds = ci.loc[ci.index[ci.index <= months].max()]
        assert total[f"pct_kept_{months}m_ci_low"] == round_half_up(100 * bounds.iloc[0], 6)
        assert total[f"pct_kept_{months}m_ci_high"] == round_half_up(100 * bounds.iloc[1], 6)
    assert total["n_lost"] == sum(events) and total["n_work_seen"] == len(events)


def test_durable_work_no_return_within():
    got = flags_of(durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "no_return_within", months=12))
    assert got == {
        "wnw": (True, False, None),  # seen without work at S2, 12 months after first work
        "wwn": (True, True, S2.date()),  # 78 at S2 is work; the loss at S3 comes later
        "nww": (True, True, S3.date()),
        "w?w": (True, True, S2.date()),  # no record at S2 is no return to job seeking
        "nnn": (True, False, None),  # never working, followed long enough
        "late": (False, None, None),  # first work at the last snapshot
    }
    longer = flags_of(durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "no_return_within", months=24))
    assert longer["wwn"] == (True, False, None)  # lost at S3, within 24 months
    assert longer["nww"] == (False, None, None)  # S2 + 24 months is beyond the panel
    assert "binnen 12 maanden" in describe_rule("no_return_within", months=12)
    assert "within 6 months" in describe_rule("no_return_within", months=6, language="en")


def test_the_edge_writes_retention_and_the_third_rule_in_english(tmp_path):
    from test_longitudinal import CONFIG, demo_frames

    from cob_analysis.longitudinal import run_longitudinal
    from cob_analysis.report.layout import load_tables
    from cob_analysis.report.summary import headline_summary
    from cob_analysis.tables_io import read_table

    clients, panel, changes = demo_frames(150, 4)
    config = CONFIG | {"language": "en", "durable_work": {"rule": "no_return_within", "months": 12}}
    run_longitudinal(
        clients,
        panel,
        changes,
        config=config,
        tables_dir=tmp_path / "t",
        figures_dir=tmp_path / "f",
    )
    frame, meta = read_table(tmp_path / "t", "long_work_retention")
    assert meta["title"].startswith("Keeping work")
    assert frame["group"].iloc[0] == "Total" and int(frame["n_work_seen"].iloc[0]) > 0
    assert {"pct_kept_12m", "pct_kept_12m_ci_low", "pct_kept_24m_ci_high"} <= set(frame.columns)
    assert meta["notes"][0].startswith("Definition: from the first snapshot")
    _, dw_meta = read_table(tmp_path / "t", "long_durable_work")
    assert describe_rule("no_return_within", months=12, language="en") in dw_meta["notes"]
    tables = {t.id: t for t in load_tables(tmp_path / "t")}
    durable = next(i for i in headline_summary(tables, "en").indicators if i.key == "durable")
    assert "not seen without work within 12 months" in durable.definition
