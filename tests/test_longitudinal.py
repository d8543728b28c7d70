"""The longitudinal view: hand-made panels with known answers, the interval-censored estimate
against known answers, one snapshot and no trajectory changes, and the edge end to end."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter

from cob_analysis import longitudinal as lg
from cob_analysis.longitudinal import (
    IntervalKaplanMeier,
    client_status_grid,
    describe_rule,
    durable_work,
    durable_work_summary,
    first_work_intervals,
    run_longitudinal,
    status_by_months,
    trajectory_change_summary,
    transitions,
    turnbull,
)
from cob_analysis.stats.turnbull import IntervalDataError, _cum_bounds, _curve
from cob_analysis.tables_io import read_table
from tests.factories import make_clients

S1, S2, S3 = (pd.Timestamp(f"{y}-03-31") for y in (2018, 2019, 2020))
CATEGORY = {"Werk": "werkend", "Geen werk": "werkzoekend", "Onbekend": "studenten en anderen"}
CODE = {"Werk": 90, "Geen werk": 5, "Onbekend": 9, "78": 78, "79": 79}


def clients_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (key, intake date, cohort, trajectory[, art60_started])."""
    out = pd.DataFrame(
        [r if len(r) == 5 else (*r, False) for r in rows],
        columns=["client_key", "intake_date", "cohort", "trajectory", "art60_started"],
    )
    out["intake_date"] = pd.to_datetime(out["intake_date"]).dt.date
    return out


def panel_frame(statuses: dict[str, dict[pd.Timestamp, str]]) -> pd.DataFrame:
    """statuses: key -> {date: "Werk" | "Geen werk" | "Onbekend" | "78" | "79"} (absent: no row)."""
    rows = []
    for key, by_date in statuses.items():
        for date, status in by_date.items():
            if status == "78":
                work, category = "Werk", "uitgeschreven"
            elif status == "79":
                work, category = "Geen werk", "uitgeschreven"
            else:
                work, category = status, CATEGORY[status]
            rows.append((key, date.date(), CODE[status], work, category))
    return pd.DataFrame(
        rows,
        columns=["client_key", "reference_date", "status_code", "work_status", "status_category"],
    )


# --------------------------------------------------------------------------------------------
# The grid of clients x snapshots
# --------------------------------------------------------------------------------------------
def test_grid_fills_unknown_and_drops_statuses_before_the_intake():
    clients = clients_frame(
        [("a", "2017-02-01", "Voorjaar 2017", "VDAB"), ("b", "2018-06-01", "Najaar 2018", "VDAB")]
    )
    panel = panel_frame(
        {"a": {S1: "Werk"}, "b": {S1: "Werk", S2: "Geen werk"}, "stranger": {S1: "Werk"}}
    )
    grid = client_status_grid(clients, panel)
    assert grid.attrs["snapshots"] == [S1, S2]
    assert grid.attrs["n_before_intake"] == 1  # b's row of 2018, before b's intake
    got = {(r.client_key, r.reference_date): r.work_status for r in grid.itertuples()}
    assert got == {("a", S1): "Werk", ("a", S2): "Onbekend", ("b", S2): "Geen werk"}
    assert grid.loc[grid["client_key"] == "a", "days_since_intake"].tolist() == [423, 788]


def test_duplicate_panel_rows_are_refused():
    clients = clients_frame([("a", "2017-02-01", "Voorjaar 2017", "VDAB")])
    panel = pd.concat([panel_frame({"a": {S1: "Werk", S2: "Werk"}})] * 2)
    with pytest.raises(lg.LongitudinalInputError, match="more than one row"):
        client_status_grid(clients, panel)


# --------------------------------------------------------------------------------------------
# Status by months since intake
# --------------------------------------------------------------------------------------------
def test_status_by_months_known_answer():
    clients = clients_frame(
        [
            ("a1", "2017-01-10", "Voorjaar 2017", "VDAB"),
            ("a2", "2017-02-10", "Voorjaar 2017", "VDAB"),
            ("a3", "2017-03-10", "Voorjaar 2017", "Lineair"),
            ("a4", "2017-04-10", "Voorjaar 2017", "Lineair"),
            ("b1", "2018-02-01", "Voorjaar 2018", "VDAB"),
            ("b2", "2018-06-01", "Voorjaar 2018", "VDAB"),
        ]
    )
    panel = panel_frame(
        {
            "a1": {S1: "Werk", S2: "Werk"},
            "a2": {S1: "78", S2: "78"},
            "a3": {S1: "Geen werk", S2: "79"},
            "a4": {S2: "Geen werk"},  # no record at S1: Onbekend
            "b1": {S1: "Geen werk", S2: "Werk"},
            "b2": {S2: "Geen werk"},
        }
    )
    table = status_by_months(clients, panel)
    a = table[table["cohort"] == "Voorjaar 2017"]
    # median intake 2017-02-24 (between the 2nd and 3rd): 400 and 765 days, 13 and 25 months
    assert sorted(set(a["months_since_intake"])) == [13, 25]
    at_s1 = a[a["reference_date"] == S1.date()].set_index("status_group")
    assert at_s1["n"].to_dict() == {
        "Werk": 1, "Uitgeschreven": 1, "Geen werk": 1, "Onbekend": 1, "Totaal": 4
    }  # fmt: skip
    assert at_s1["pct"].to_dict() == {
        "Werk": 25.0, "Uitgeschreven": 25.0, "Geen werk": 25.0, "Onbekend": 25.0, "Totaal": 100.0
    }  # fmt: skip
    assert at_s1.loc["Uitgeschreven", "n_recoded_work"] == 1  # the 78
    at_s2 = a[a["reference_date"] == S2.date()].set_index("status_group")
    assert at_s2["n"].to_dict() == {
        "Werk": 1, "Uitgeschreven": 2, "Geen werk": 1, "Onbekend": 0, "Totaal": 4
    }  # fmt: skip
    assert at_s2.loc["Uitgeschreven", "n_recoded_work"] == 1  # 78 yes, 79 no
    # Voorjaar 2018 is only partly in at S1: left out there, and said so
    b = table[table["cohort"] == "Voorjaar 2018"]
    assert set(b["reference_date"]) == {S2.date()}
    assert b.set_index("status_group").loc["Werk", "pct"] == 50.0
    assert table.attrs["partial"] == [("Voorjaar 2018", S1, 1, 2)]
    assert any("Voorjaar 2018 2018-03-31 (1/2)" in note for note in table.attrs["notes"])


# --------------------------------------------------------------------------------------------
# Transitions
# --------------------------------------------------------------------------------------------
def test_transitions_known_answer():
    clients = clients_frame(
        [
            ("c1", "2017-03-01", "Voorjaar 2017", "VDAB"),
            ("c2", "2017-03-01", "Voorjaar 2017", "VDAB"),
            ("c3", "2017-09-01", "Najaar 2017", "Lineair"),
            ("c4", "2017-09-01", "Najaar 2017", "Lineair"),
            ("c5", "2017-09-01", "Najaar 2017", "Lineair"),
            ("late", "2018-09-01", "Najaar 2018", "Lineair"),  # not there at S1
        ]
    )
    panel = panel_frame(
        {
            "c1": {S1: "Werk", S2: "Werk"},
            "c2": {S1: "Werk", S2: "Geen werk"},
            "c3": {S1: "Geen werk", S2: "78"},  # 78 counts as work here
            "c4": {S1: "Geen werk", S2: "Geen werk"},
            "c5": {S1: "Geen werk"},  # no record at S2: Onbekend
            "late": {S2: "Werk"},
        }
    )
    table = transitions(clients, panel)
    total = table[table["group_var"] == "Totaal"].set_index(["from_status", "to_status"])
    assert set(total["from_date"]) == {S1.date()} and set(total["to_date"]) == {S2.date()}
    n, pct = total["n"].to_dict(), total["pct"].to_dict()
    assert n[("Werk", "Werk")] == 1 and pct[("Werk", "Werk")] == 50.0
    assert n[("Werk", "Geen werk")] == 1 and n[("Werk", "Totaal")] == 2
    assert [n[("Geen werk", s)] for s in ("Werk", "Geen werk", "Onbekend", "Totaal")] == [
        1, 1, 1, 3
    ]  # fmt: skip
    assert pct[("Geen werk", "Onbekend")] == 33.3
    assert n[("Onbekend", "Totaal")] == 0 and pct[("Onbekend", "Werk")] == 0.0
    assert len(total) == 12  # 3 from statuses x (3 to statuses + Totaal)
    vdab = table[(table["group_var"] == "trajectory") & (table["group"] == "VDAB")]
    assert vdab.set_index(["from_status", "to_status"]).loc[("Werk", "Totaal"), "n"] == 2
    cohorts = table.loc[table["group_var"] == "cohort", "group"].unique().tolist()
    assert cohorts == ["Voorjaar 2017", "Najaar 2017", "Najaar 2018"]


# --------------------------------------------------------------------------------------------
# Durable work
# --------------------------------------------------------------------------------------------
DURABLE_CLIENTS = clients_frame(
    [
        ("wnw", "2017-03-01", "Voorjaar 2017", "VDAB"),
        ("wwn", "2017-03-01", "Voorjaar 2017", "VDAB"),
        ("nww", "2017-03-01", "Voorjaar 2017", "Lineair"),
        ("w?w", "2017-03-01", "Voorjaar 2017", "Lineair"),
        ("nnn", "2017-03-01", "Voorjaar 2017", "Lineair"),
        ("late", "2019-06-01", "Voorjaar 2019", "VDAB"),  # one snapshot only (S3)
    ]
)
DURABLE_PANEL = panel_frame(
    {
        "wnw": {S1: "Werk", S2: "Geen werk", S3: "Werk"},
        "wwn": {S1: "Werk", S2: "78", S3: "Geen werk"},
        "nww": {S1: "Geen werk", S2: "Werk", S3: "Werk"},
        "w?w": {S1: "Werk", S3: "Werk"},  # no record at S2 breaks a run
        "nnn": {S1: "Geen werk", S2: "Geen werk", S3: "Geen werk"},
        "late": {S3: "Werk"},
    }
)


def flags_of(frame: pd.DataFrame) -> dict:
    return {
        r.client_key: (bool(r.evaluable), None if pd.isna(r.durable_work) else bool(r.durable_work),
                       r.durable_date)
        for r in frame.itertuples()
    }  # fmt: skip


def test_durable_work_consecutive_snapshots():
    got = flags_of(durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "consecutive_snapshots", k=2))
    assert got == {
        "wnw": (True, False, None),
        "wwn": (True, True, S2.date()),
        "nww": (True, True, S3.date()),
        "w?w": (True, False, None),
        "nnn": (True, False, None),
        "late": (False, None, None),
    }
    three = flags_of(durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "consecutive_snapshots", k=3))
    assert {key for key, (_e, durable, _d) in three.items() if durable} == set()
    assert three["nnn"] == (True, False, None)
    one = flags_of(durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "consecutive_snapshots", k=1))
    assert one["late"] == (True, True, S3.date())


def test_durable_work_still_working_after():
    flags = durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "still_working_after", months=12)
    got = flags_of(flags)
    assert got == {
        "wnw": (True, False, None),  # first work S1, not working at S2
        "wwn": (True, True, S2.date()),  # 78 a year later is work
        "nww": (True, True, S3.date()),
        "w?w": (True, False, None),  # no record 12 months later: not seen working
        "nnn": (True, False, None),  # never working, followed long enough
        "late": (False, None, None),  # no snapshot 12 months after S3
    }
    assert flags["work_ever"].tolist() == [True, True, True, True, False, True]
    assert flags["first_work_date"].tolist()[:3] == [S1.date(), S1.date(), S2.date()]
    # 18 months: the first snapshot at least 18 months after S1 is S3 (a gap in between is fine)
    later = flags_of(durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "still_working_after", months=18))
    assert later["wnw"] == (True, True, S3.date())
    assert later["nww"] == (False, None, None)  # S2 + 18 months is beyond the panel


def test_durable_work_summary_and_definition():
    flags = durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "consecutive_snapshots", k=2)
    summary = durable_work_summary(flags).set_index(["group_var", "group"])
    total = summary.loc[("Totaal", "Totaal")]
    assert (total["n"], total["n_evaluable"], total["n_work_ever"], total["n_durable"]) == (
        6, 5, 5, 2
    )  # fmt: skip
    assert total["pct_durable"] == 40.0 and total["pct_durable_of_work_ever"] == 50.0
    assert summary.loc[("trajectory", "VDAB"), "n_durable"] == 1
    assert flags.attrs["description"] == describe_rule("consecutive_snapshots", 2, 12)
    assert "2 opeenvolgende momentopnames" in describe_rule("consecutive_snapshots", k=2)
    assert "2 consecutive snapshots" in describe_rule("consecutive_snapshots", 2, language="en")
    assert "minstens 12 maanden" in describe_rule("still_working_after", months=12)
    assert "at least 6 months" in describe_rule("still_working_after", months=6, language="en")
    with pytest.raises(ValueError, match="rule"):
        describe_rule("forever")
    with pytest.raises(ValueError, match="k"):
        durable_work(DURABLE_CLIENTS, DURABLE_PANEL, "consecutive_snapshots", k=0)


# --------------------------------------------------------------------------------------------
# Time to first observed work: intervals
# --------------------------------------------------------------------------------------------
def test_first_work_intervals_known_answer():
    clients = clients_frame(
        [
            ("interval", "2018-01-01", "Voorjaar 2018", "VDAB"),
            ("left", "2018-01-01", "Voorjaar 2018", "VDAB"),
            ("gap", "2018-01-01", "Voorjaar 2018", "VDAB"),
            ("never", "2018-01-01", "Voorjaar 2018", "VDAB"),
            ("unknown", "2018-01-01", "Voorjaar 2018", "VDAB"),
            ("same_day", "2018-03-31", "Voorjaar 2018", "VDAB"),
        ]
    )
    panel = panel_frame(
        {
            "interval": {S1: "Geen werk", S2: "Werk", S3: "Geen werk"},
            "left": {S1: "Werk"},
            "gap": {S1: "Geen werk", S2: "Onbekend", S3: "78"},
            "never": {S1: "Geen werk", S2: "Geen werk"},
            "same_day": {S1: "Werk"},
        }
    )
    iv = first_work_intervals(clients, panel).set_index("client_key")
    d1, d2, d3 = 89, 454, 820  # days from 2018-01-01 to the three snapshots
    expected = {
        "interval": (d1, d2, True),
        "left": (0, d1, True),
        "gap": (d1, d3, True),
        "never": (d2, math.inf, False),
        "unknown": (0, math.inf, False),
        "same_day": (0, 0, True),
    }
    got = {k: (r.lower_days, r.upper_days, r.work_seen) for k, r in iv.iterrows()}
    assert got == expected
    assert iv.loc["interval", "first_work_date"] == S2.date()
    assert iv.loc["interval", "last_no_work_date"] == S1.date()
    assert iv.loc["never", "n_snapshots"] == 3


# --------------------------------------------------------------------------------------------
# The Turnbull estimate against known answers
# --------------------------------------------------------------------------------------------
def test_turnbull_hand_computed():
    # (0,2], (1,3], (1,3], (2,inf): innermost (1,2] and (2,3]; L = p1 p2 -> 1/2 each
    fit = turnbull([0, 1, 1, 2], [2, 3, 3, math.inf])
    assert fit.converged
    assert fit.intervals[["left", "right"]].values.tolist() == [[1, 2], [2, 3]]
    assert fit.intervals["mass"].tolist() == pytest.approx([0.5, 0.5], abs=1e-9)
    # (0,1], (0,2], (1,3], (2,inf): L = p1 (p1 + p2)(p2 + p3) p3, maximal at (1/2, 0, 1/2)
    fit = turnbull([0, 0, 1, 2], [1, 2, 3, math.inf])
    assert fit.intervals[["left", "right"]].values.tolist() == [[0, 1], [2, 3]]
    assert fit.intervals["mass"].tolist() == pytest.approx([0.5, 0.5], abs=1e-9)
    assert fit.loglik == pytest.approx(4 * math.log(0.5), abs=1e-9)


def test_turnbull_exact_times_is_kaplan_meier():
    durations = np.array([1, 2, 2, 3, 4, 5, 5, 6, 8, 9], float)
    events = np.array([1, 1, 0, 1, 0, 1, 1, 0, 1, 0], bool)
    fit = turnbull(durations, np.where(events, durations, math.inf))
    km = KaplanMeierFitter().fit(durations, events)
    for t in durations:
        estimate, low, high = _cum_bounds(fit, t)
        assert estimate == low == high
        assert 1 - estimate == pytest.approx(float(km.survival_function_at_times(t).iloc[0]))
    assert fit.intervals["point"].iloc[:-1].all()  # and the mass beyond the last time:
    assert fit.intervals["right"].iloc[-1] == math.inf
    assert fit.intervals["mass"].iloc[-1] == pytest.approx(
        float(km.survival_function_at_times(8.0).iloc[0])
    )


def test_turnbull_on_a_common_grid_is_kaplan_meier():
    """Everybody seen at the same times (months 1..6): the NPMLE is the Kaplan-Meier estimate
    with the event at the first visit with work and censoring at the last visit without."""
    rng = np.random.default_rng(3)
    n = 300
    event_time = rng.exponential(3.0, n)
    last_visit = rng.integers(1, 7, n).astype(float)
    seen = np.ceil(event_time) <= last_visit
    upper = np.where(seen, np.ceil(event_time), math.inf)
    lower = np.where(seen, upper - 1, last_visit)
    fit = turnbull(lower, upper)
    assert fit.converged and fit.kkt_gap < 1e-6
    km = KaplanMeierFitter().fit(np.where(seen, upper, lower), seen)
    for t in range(1, 7):
        estimate, low, high = _cum_bounds(fit, float(t))
        assert low == pytest.approx(high)  # identified at the visits
        assert 1 - estimate == pytest.approx(
            float(km.survival_function_at_times(t).iloc[0]), abs=1e-7
        )


def test_turnbull_agrees_with_lifelines_on_overlapping_intervals():
    rng = np.random.default_rng(5)
    n = 120
    intake = rng.integers(0, 400, n)
    snaps = np.array([300, 665, 1030])
    event = rng.gamma(2.0, 250.0, n)
    lower, upper = np.zeros(n), np.full(n, math.inf)
    for i in range(n):
        times = snaps - intake[i]
        times = times[times > 0]
        working = times >= event[i]
        if working.any():
            j = int(np.argmax(working))
            upper[i] = times[j]
            lower[i] = times[j - 1] if j else 0.0
        else:
            lower[i] = times[-1]
    fit = turnbull(lower, upper)
    assert fit.converged
    ours = _curve(fit)
    kmf = KaplanMeierFitter().fit_interval_censoring(lower + 1e-6, upper, tol=1e-10)
    # lifelines' NPMLE_estimate_lower column: the mass at the right end of its interval
    theirs = 1 - kmf.survival_function_["NPMLE_estimate_lower"]
    for t in (100.0, 300.0, 500.0, 700.0, 900.0, 1000.0):
        _estimate, low, _high = _cum_bounds(fit, t)
        assert float(theirs[theirs.index <= t].iloc[-1]) == pytest.approx(low, abs=1e-3)
    assert ours[1].max() <= 1.0


def test_turnbull_refuses_bad_bounds():
    with pytest.raises(IntervalDataError):
        turnbull([2.0], [1.0])
    with pytest.raises(IntervalDataError):
        turnbull([math.inf], [math.inf])


def test_interval_kaplan_meier_summary():
    # (0,365], (365,730], (365,inf), (730,inf): the NPMLE is 1/4, 3/8, 3/8 (as Kaplan-Meier)
    lower = [0, 365, 365, 730, 0, 0]
    upper = [365, 730, math.inf, math.inf, 365, 365]
    groups = ["A", "A", "A", "A", "B", "B"]
    model = IntervalKaplanMeier(time_points_months=(6, 12, 23), group_name="cohort")
    model.fit(lower, upper, groups)
    assert model.groups_ == ["A", "B"]
    a = model.summary_.set_index("group").loc["A"]
    assert (a["n"], a["n_work_seen"], a["n_censored"]) == (4, 2, 2)
    assert a["pct_work_6m"] == pytest.approx(100 * 0.25 * 182.625 / 365)
    assert (a["pct_work_6m_min"], a["pct_work_6m_max"]) == pytest.approx((0.0, 25.0))
    assert a["pct_work_12m"] == pytest.approx(25.0 + 37.5 * 0.25 / 365)  # 12 months: 365.25 d
    assert a["pct_work_23m"] == pytest.approx(25.0 + 37.5 * (23 * lg.DAYS_PER_MONTH - 365) / 365)
    assert a["median_days"] == pytest.approx(365 + 365 * 0.25 / 0.375)
    assert (a["median_min_months"], a["median_max_months"]) == pytest.approx(
        (365 / lg.DAYS_PER_MONTH, 730 / lg.DAYS_PER_MONTH)
    )
    b = model.summary_.set_index("group").loc["B"]
    assert b["pct_work_6m"] == pytest.approx(100 * 182.625 / 365)  # all in (0, 365], spread
    assert pd.isna(b["pct_work_12m"])  # beyond the follow-up of 365 days
    assert model.summary_["group"].tolist() == ["A", "B", "Totaal"]
    assert model.at_risk_.set_index("group").loc["A", "6"] == 3  # lower >= 6 months
    assert model.at_risk_.set_index("group").loc["A", "12"] == 1  # lower >= 365.25 days
    ax = model.plot()
    assert ax.get_xlabel() == "Maanden sinds intake"


# --------------------------------------------------------------------------------------------
# Trajectory changes
# --------------------------------------------------------------------------------------------
CHANGE_CLIENTS = clients_frame(
    [
        ("v1", "2017-03-01", "Voorjaar 2017", "VDAB", True),
        ("v2", "2017-03-01", "Voorjaar 2017", "VDAB", True),
        ("v3", "2017-03-01", "Voorjaar 2017", "VDAB", False),
        ("v4", "2017-03-01", "Voorjaar 2017", "VDAB", False),
        ("l1", "2017-03-01", "Voorjaar 2017", "Lineair", True),
        ("l2", "2017-03-01", "Voorjaar 2017", "Lineair", False),
    ]
)
CHANGES = pd.DataFrame(
    {
        "client_key": ["v1", "v1", "l1", "stranger", "l2"],
        "change_date": [
            dt.date(2017, 3, 31),
            dt.date(2017, 6, 9),
            dt.date(2017, 4, 30),
            dt.date(2017, 5, 1),
            dt.date(2017, 1, 1),
        ],  # fmt: skip
        "trajectory": ["SD/Activering", "VDAB", "SD/Activering", "Lineair", "VDAB"],
    }
)


def test_trajectory_change_summary_known_answer():
    result = trajectory_change_summary(CHANGE_CLIENTS, CHANGES)
    matrix = result.matrix.set_index(["from_trajectory", "to_trajectory"])
    assert matrix.loc[("VDAB", "SD/Activering"), "n"] == 1
    assert matrix.loc[("SD/Activering", "VDAB"), "n"] == 1  # the second change of v1
    assert matrix.loc[("Lineair", "SD/Activering"), "n"] == 1
    assert matrix.loc[("Totaal", "Totaal"), "n"] == 3
    assert matrix.loc[("Totaal", "SD/Activering"), "pct"] == 66.7
    assert (result.n_changes, result.n_clients_changed) == (3, 2)
    assert result.notes[0].startswith("2 wijzigingen")  # stranger, and l2's before the intake
    summary = result.summary.set_index("trajectory")
    vdab = summary.loc["VDAB"]
    assert (vdab["n"], vdab["n_changed"], vdab["pct_changed"], vdab["n_changes"]) == (4, 1, 25.0, 2)
    assert (vdab["days_n"], vdab["days_mean"], vdab["days_median"]) == (1, 30.0, 30.0)
    assert (vdab["n_art60"], vdab["pct_art60"]) == (2, 50.0)
    assert (vdab["pct_art60_changed"], vdab["pct_art60_unchanged"]) == (100.0, 33.3)
    total = summary.loc["Totaal"]
    assert (total["n_changed"], total["pct_changed"], total["days_mean"]) == (2, 33.3, 45.0)
    assert total["days_sd"] == pytest.approx(21.2)


def test_trajectory_changes_absent_or_empty():
    absent = trajectory_change_summary(CHANGE_CLIENTS, None)
    assert lg.is_note_frame(absent.matrix)
    assert "trajectwijzigingen" in absent.matrix["note"].iloc[0]
    summary = absent.summary.set_index("trajectory")
    assert summary.loc["VDAB", "pct_art60"] == 50.0 and pd.isna(summary.loc["VDAB", "n_changed"])
    english = trajectory_change_summary(CHANGE_CLIENTS, None, language="en")
    assert "No trajectory-change export" in english.matrix["note"].iloc[0]
    empty = trajectory_change_summary(CHANGE_CLIENTS, CHANGES.iloc[:0])
    assert empty.summary.set_index("trajectory").loc["Totaal", "pct_changed"] == 0.0
    assert (
        empty.matrix.set_index(["from_trajectory", "to_trajectory"]).loc[("Totaal", "Totaal"), "n"]
        == 0
    )


# --------------------------------------------------------------------------------------------
# One snapshot
# --------------------------------------------------------------------------------------------
def test_one_snapshot_gives_a_note_not_an_error():
    panel = panel_frame({"wnw": {S1: "Werk"}, "nnn": {S1: "Geen werk"}})
    for function in (status_by_months, transitions, first_work_intervals):
        table = function(DURABLE_CLIENTS, panel)
        assert lg.is_note_frame(table) and list(table.columns) == ["note"]
        assert "twee of meer" in table["note"].iloc[0] and "2018-03-31" in table["note"].iloc[0]
    flags = durable_work(DURABLE_CLIENTS, panel, "still_working_after", months=12, language="en")
    assert "two or more" in flags["note"].iloc[0]
    assert lg.is_note_frame(durable_work_summary(flags))
    empty = transitions(DURABLE_CLIENTS, panel.iloc[:0])
    assert "er 0" in empty["note"].iloc[0]


# --------------------------------------------------------------------------------------------
# The edge, end to end
# --------------------------------------------------------------------------------------------
def demo_frames(n: int = 240, seed: int = 1):
    """A small clients frame (tests/factories) with a three-snapshot panel and some changes."""
    clients = make_clients(n, seed)
    rng = np.random.default_rng(seed)
    rows = []
    for key, intake in zip(clients["client_key"], clients["intake_date"], strict=True):
        working = False
        for date in (S1, S2, S3):
            if pd.Timestamp(intake) > date:
                continue
            working = rng.random() < (0.8 if working else 0.3)
            if rng.random() < 0.05:
                continue  # no record
            code = int(rng.choice([90, 78])) if working else int(rng.choice([5, 0, 79]))
            category = {90: "werkend", 78: "uitgeschreven", 5: "werkzoekend", 0: "werkzoekend",
                        79: "uitgeschreven"}[code]  # fmt: skip
            rows.append((key, date.date(), code, "Werk" if working else "Geen werk", category))
    panel = pd.DataFrame(
        rows,
        columns=["client_key", "reference_date", "status_code", "work_status", "status_category"],
    )
    vdab = clients[clients["trajectory"] == "VDAB"].head(20)
    changes = pd.DataFrame(
        {
            "client_key": vdab["client_key"],
            "change_date": [d + dt.timedelta(days=60) for d in vdab["intake_date"]],
            "trajectory": "SD/Activering",
        }
    )
    return clients, panel, changes


CONFIG = {
    "language": "nl",
    "pct_decimals": 1,
    "cohort": "half-year",
    "durable_work": {"rule": "consecutive_snapshots", "k": 2, "months": 12},
}


def test_run_longitudinal_end_to_end_and_byte_stable(tmp_path):
    clients, panel, changes = demo_frames()
    outputs = []
    for run in ("first", "second"):
        ids = run_longitudinal(
            clients, panel, changes, config=CONFIG,
            tables_dir=tmp_path / run / "tables", figures_dir=tmp_path / run / "figures",
        )  # fmt: skip
        assert ids == list(lg.TABLE_IDS)
        outputs.append(sorted(p for p in (tmp_path / run).rglob("*") if p.is_file()))
    first, second = outputs
    names = {p.relative_to(tmp_path / "first").as_posix() for p in first}
    assert names == {p.relative_to(tmp_path / "second").as_posix() for p in second}
    for fid in lg.FIGURE_IDS:
        assert {f"figures/{fid}.png", f"figures/{fid}.svg"} <= names
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name

    tables = tmp_path / "first" / "tables"
    frame, meta = read_table(tables, "long_durable_work")
    assert meta["kind"] == "stats"
    assert describe_rule("consecutive_snapshots", 2, 12) in meta["notes"]
    assert meta["extra"]["durable_work"]["rule"] == "consecutive_snapshots"
    assert frame.loc[frame["group_var"] == "Totaal", "n"].item() == len(clients)
    sbm, _ = read_table(tables, "long_status_by_months")
    sums = sbm[sbm["status_group"] != "Totaal"].groupby(["cohort", "reference_date"])["n"].sum()
    totals = sbm[sbm["status_group"] == "Totaal"].set_index(["cohort", "reference_date"])["n"]
    assert (sums == totals.reindex(sums.index)).all()
    km, km_meta = read_table(tables, "long_first_work_km")
    assert km["group"].tolist()[-1] == "Totaal" and "pct_work_12m" in km.columns
    assert all(km_meta["extra"]["converged"].values())
    summary, _ = read_table(tables, "traj_changes_summary")
    assert summary.set_index("trajectory").loc["VDAB", "n_changed"] == "20"


def test_run_longitudinal_in_english_with_the_other_rule(tmp_path):
    clients, panel, changes = demo_frames(120, 2)
    config = CONFIG | {"language": "en", "durable_work": {"rule": "still_working_after",
                                                           "k": 2, "months": 12}}  # fmt: skip
    run_longitudinal(clients, panel, changes, config=config, tables_dir=tmp_path / "t",
                     figures_dir=tmp_path / "f")  # fmt: skip
    frame, meta = read_table(tmp_path / "t", "long_status_by_months")
    assert meta["title"].startswith("VDAB status by intake cohort")
    assert {"Work", "Deregistered", "No work", "Unknown", "Total"} == set(frame["status_group"])
    assert frame["cohort"].str.match(r"^(Spring|Autumn) \d{4}$").all()
    _, dw_meta = read_table(tmp_path / "t", "long_durable_work")
    assert describe_rule("still_working_after", months=12, language="en") in dw_meta["notes"]


def test_run_longitudinal_with_one_snapshot_and_no_changes(tmp_path):
    clients, panel, _changes = demo_frames(80, 3)
    one = panel[panel["reference_date"] == S3.date()]
    ids = run_longitudinal(clients, one, None, config=CONFIG, tables_dir=tmp_path / "t",
                           figures_dir=tmp_path / "f")  # fmt: skip
    assert ids == list(lg.TABLE_IDS)
    for table_id in ("long_status_by_months", "long_transitions", "long_durable_work",
                     "long_work_retention", "long_first_work_km"):  # fmt: skip
        frame, meta = read_table(tmp_path / "t", table_id)
        assert list(frame.columns) == ["note"] and len(frame) == 1, table_id
        assert "twee of meer VDAB-momentopnames" in frame["note"].item()
        assert meta["notes"] and "twee of meer" in meta["notes"][0]
    _, dw_meta = read_table(tmp_path / "t", "long_durable_work")
    assert describe_rule("consecutive_snapshots", 2, 12) in dw_meta["notes"][0]
    matrix, _ = read_table(tmp_path / "t", "traj_changes_matrix")
    assert "Geen export van trajectwijzigingen" in matrix["note"].item()
    summary, meta = read_table(tmp_path / "t", "traj_changes_summary")
    assert (
        summary["pct_art60"].notna().all() and meta["extra"]["trajectory_changes_export"] is False
    )
    for fid in lg.FIGURE_IDS:
        assert (tmp_path / "f" / f"{fid}.png").stat().st_size > 0
        assert (tmp_path / "f" / f"{fid}.svg").exists()
    json.loads((tmp_path / "t" / "meta" / "long_first_work_km.json").read_text(encoding="utf-8"))


def test_status_by_months_without_category_column():
    panel = DURABLE_PANEL.drop(columns="status_category")
    table = status_by_months(DURABLE_CLIENTS, panel)
    assert (table.loc[table["status_group"] == "Uitgeschreven", "n"] == 0).all()
    assert any("status_category" in note for note in table.attrs["notes"])
    werk = table[(table["status_group"] == "Werk") & (table["reference_date"] == S2.date())]
    assert werk["n"].tolist() == [2]  # wwn's 78 and nww: work per the recoding table


@pytest.mark.parametrize("rule", ["consecutive_snapshots", "still_working_after"])
def test_cohort_parts_put_together_give_the_tables_of_all_clients(tmp_path, rule):
    """The split the workflow runs: per-cohort parts written to disk, read back, combined."""
    clients, panel, changes = demo_frames(240, 5)
    config = CONFIG | {"durable_work": {"rule": rule, "k": 2, "months": 12}}
    run_longitudinal(clients, panel, changes, config=config, tables_dir=tmp_path / "all" / "t",
                     figures_dir=tmp_path / "all" / "f")  # fmt: skip
    dates = lg.snapshot_dates(panel)
    cohorts = sorted(clients["cohort"].unique())
    assert len(cohorts) > 1
    parts = []
    for i, cohort in enumerate([*cohorts, "Najaar 2030"]):  # a cohort without clients too
        members = clients[clients["cohort"] == cohort]
        own = panel[panel["client_key"].isin(members["client_key"])]
        lg.longitudinal_parts(members, own, dates=dates, durable_rule=config["durable_work"]).write(
            tmp_path / str(i)
        )
        parts.append(lg.LongitudinalParts.read(tmp_path / str(i)))
    run_longitudinal(clients, None, changes, config=config, tables_dir=tmp_path / "split" / "t",
                     figures_dir=tmp_path / "split" / "f", parts=lg.combine_parts(parts))  # fmt: skip
    produced = sorted(
        p.relative_to(tmp_path / "all") for p in (tmp_path / "all").rglob("*") if p.is_file()
    )
    assert len(produced) == 2 * len(lg.TABLE_IDS) + 2 * len(lg.FIGURE_IDS)
    for path in produced:
        assert (tmp_path / "split" / path).read_bytes() == (tmp_path / "all" / path).read_bytes(), (
            path
        )


def test_cohort_parts_with_one_snapshot_and_mismatched_dates(tmp_path):
    clients, panel, _changes = demo_frames(60, 6)
    one = panel[panel["reference_date"] == S3.date()]
    part = lg.longitudinal_parts(clients, one)
    assert part.grid is None and len(part.dates) == 1
    part.write(tmp_path / "p")
    combined = lg.combine_parts([lg.LongitudinalParts.read(tmp_path / "p")])
    assert combined.grid is None
    ids = run_longitudinal(clients, None, None, config=CONFIG, tables_dir=tmp_path / "t",
                           figures_dir=tmp_path / "f", parts=combined)  # fmt: skip
    frame, _ = read_table(tmp_path / "t", "long_transitions")
    assert ids == list(lg.TABLE_IDS) and list(frame.columns) == ["note"]
    other = lg.longitudinal_parts(clients, panel)
    with pytest.raises(lg.LongitudinalInputError, match="different snapshot dates"):
        lg.combine_parts([part, other])


def test_turnbull_support_hessian_is_the_cover_product():
    """The prefix-sum Hessian equals the product of the dense cover matrix with itself."""
    from cob_analysis.stats.turnbull import _support_hessian

    rng = np.random.default_rng(7)
    for _ in range(200):
        m, n = int(rng.integers(1, 40)), int(rng.integers(1, 60))
        first = rng.integers(0, m, n)
        stop = np.minimum(first + 1 + rng.integers(0, m, n), m)
        idx = np.sort(rng.choice(m, int(rng.integers(1, m + 1)), replace=False))
        weight = rng.random(n)
        cover = ((first[:, None] <= idx[None, :]) & (idx[None, :] < stop[:, None])).astype(float)
        np.testing.assert_allclose(
            _support_hessian(first, stop, weight, idx),
            (cover * weight[:, None]).T @ cover,
            rtol=1e-12,
            atol=1e-14,
        )


def test_interval_km_reuses_a_pooled_fit_only_for_complete_groups():
    lower = np.array([0.0, 10, 20, 30, 40, 50])
    upper = np.array([15.0, 25, np.inf, 45, np.inf, 70])
    by_a = IntervalKaplanMeier().fit(lower, upper, ["a", "a", "b", "b", "c", "c"])
    by_b = IntervalKaplanMeier().fit(
        lower, upper, ["x", "y", "x", "y", "x", "y"], total_fit=by_a.total_fit_
    )
    fresh = IntervalKaplanMeier().fit(lower, upper, ["x", "y", "x", "y", "x", "y"])
    pd.testing.assert_frame_equal(by_b.summary_, fresh.summary_)
    with pytest.raises(lg.LongitudinalInputError, match="pooled fit"):
        IntervalKaplanMeier().fit(
            lower, upper, ["x", None, "x", "y", "x", "y"], total_fit=by_a.total_fit_
        )


def test_longitudinal_sample_only_when_asked(tmp_path):
    """No sampling by default (longitudinal_max_clients null); a limit below the number of
    clients gives the same key bound to every cohort's job."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cob_analysis.config import defaults
    from cob_analysis.longitudinal.run import sample_filter

    path = tmp_path / "clients.parquet"
    keys = np.random.default_rng(3).integers(-(2**63), 2**63 - 1, 5000, dtype=np.int64)
    pq.write_table(pa.table({"client_key": keys}), path)
    assert defaults()["longitudinal_max_clients"] is None
    assert sample_filter(path, None) is None and sample_filter(path, 5000) is None
    ((column, op, bound),) = sample_filter(path, 1000)
    assert (column, op) == ("client_key", "<=")
    assert 800 < int((keys <= bound).sum()) < 1200
