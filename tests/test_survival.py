import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from factories import COHORTS, TRAJECTORIES, make_clients
from matplotlib.backends.backend_agg import FigureCanvasAgg
from scipy.stats import norm
from statsmodels.duration.survfunc import survdiff

from cob_analysis.survival.kaplan_meier import (
    DAYS_PER_MONTH,
    Art60BeforeIntakeError,
    GroupedKaplanMeier,
    IntakeAfterObservationEndError,
    MissingDateError,
    SurvivalInputError,
    plot_cumulative_incidence,
    time_to_art60,
)

END = dt.date(2020, 3, 31)


def _clients(rows):
    """rows: (key, intake, first art. 60 start or None)."""
    return pd.DataFrame(
        {
            "client_key": [r[0] for r in rows],
            "intake_date": [r[1] for r in rows],
            "art60_first_start": [r[2] for r in rows],
            "cohort": ["Voorjaar 2019"] * len(rows),
            "trajectory": ["VDAB"] * len(rows),
        }
    )


# -- time_to_art60: censoring at the edges ----------------------------------------------------
def test_start_on_intake_day_is_an_event_at_day_0():
    tte = time_to_art60(_clients([("a", dt.date(2019, 1, 10), dt.date(2019, 1, 10))]), END)
    assert tte.loc[0, "duration_days"] == 0 and bool(tte.loc[0, "event"]) is True


def test_start_after_observation_end_is_censored_at_observation_end():
    tte = time_to_art60(_clients([("a", dt.date(2019, 1, 1), dt.date(2020, 5, 1))]), END)
    assert bool(tte.loc[0, "event"]) is False
    assert tte.loc[0, "duration_days"] == (END - dt.date(2019, 1, 1)).days


def test_start_on_observation_end_is_an_event():
    tte = time_to_art60(_clients([("a", dt.date(2019, 1, 1), END)]), END)
    assert bool(tte.loc[0, "event"]) is True
    assert tte.loc[0, "duration_days"] == (END - dt.date(2019, 1, 1)).days


def test_no_art60_is_censored_and_intake_on_observation_end_gives_duration_0():
    tte = time_to_art60(_clients([("a", dt.date(2019, 6, 1), None), ("b", END, None)]), END)
    assert tte["event"].tolist() == [False, False]
    assert tte["duration_days"].tolist() == [(END - dt.date(2019, 6, 1)).days, 0]


def test_intake_after_observation_end_is_refused_by_name():
    clients = _clients([("ok", dt.date(2019, 1, 1), None), ("late-1", dt.date(2020, 4, 2), None)])
    with pytest.raises(IntakeAfterObservationEndError, match="1 client.*late-1"):
        time_to_art60(clients, END)
    assert issubclass(IntakeAfterObservationEndError, SurvivalInputError)


def test_art60_before_intake_is_refused():
    with pytest.raises(Art60BeforeIntakeError, match="k9"):
        time_to_art60(_clients([("k9", dt.date(2019, 1, 10), dt.date(2019, 1, 9))]), END)


def test_missing_dates_are_refused():
    with pytest.raises(MissingDateError, match="without intake_date"):
        time_to_art60(_clients([("a", None, None)]), END)
    with pytest.raises(MissingDateError):
        time_to_art60(_clients([("a", dt.date(2019, 1, 1), None)]))  # no column, no argument
    with pytest.raises(SurvivalInputError, match="lacks column"):
        time_to_art60(pd.DataFrame({"intake_date": [dt.date(2019, 1, 1)]}), END)


def test_per_client_observation_end_column_and_kept_columns():
    clients = _clients([("a", dt.date(2019, 1, 1), None), ("b", dt.date(2019, 1, 1), None)])
    clients["observation_end"] = [dt.date(2019, 2, 1), dt.date(2019, 3, 1)]
    tte = time_to_art60(clients)
    assert tte["duration_days"].tolist() == [31, 59]
    assert list(tte.columns) == ["client_key", "duration_days", "event", "cohort", "trajectory"]


def test_accepts_timestamps_and_strings():
    clients = _clients([("a", pd.Timestamp("2019-01-01"), pd.Timestamp("2019-01-31"))])
    tte = time_to_art60(clients, "2020-03-31")
    assert tte.loc[0, "duration_days"] == 30 and tte.loc[0, "event"]


def test_factory_frame_agrees_with_days_to_art60():
    clients = make_clients(300, seed=2)
    tte = time_to_art60(clients, END)
    started = clients["art60_started"]
    assert (tte["event"] == started).all()
    assert (tte.loc[started, "duration_days"] == clients.loc[started, "days_to_art60"]).all()


# -- Kaplan-Meier ------------------------------------------------------------------------------
HAND_D = [0, 3, 3, 5, 7, 7, 9, 12]
HAND_E = [1, 1, 0, 1, 0, 1, 1, 0]


def test_hand_computed_example():
    # at risk 8, 7, 5, 4, 2 at t = 0, 3, 5, 7, 9; one event at each; censored 3, 7, 12
    # S(0) = 7/8; S(3) = 7/8 * 6/7 = 0.75; S(5) = 0.75 * 4/5 = 0.6; S(7) = 0.6 * 3/4 = 0.45;
    # S(9) = 0.45 * 1/2 = 0.225
    km = GroupedKaplanMeier(time_points_months=()).fit(HAND_D, HAND_E, ["g"] * 8)
    sf = km.fitters_["g"].survival_function_.iloc[:, 0]
    expected = {0: 0.875, 3: 0.75, 5: 0.6, 7: 0.45, 9: 0.225, 12: 0.225}
    for t, s in expected.items():
        assert sf.loc[t] == pytest.approx(s, abs=1e-12)
    row = km.summary_.iloc[0]
    assert row["median_days"] == 7  # first time S <= 0.5
    assert (row["n"], row["events"], row["censored"]) == (8, 5, 3)


def test_hand_example_share_started_at_time_points():
    days = np.array(HAND_D, dtype=float) * DAYS_PER_MONTH  # same example, times in months
    km = GroupedKaplanMeier(time_points_months=(4, 7, 13)).fit(days, HAND_E, ["g"] * 8)
    row = km.summary_.iloc[0]
    assert row["pct_started_4m"] == pytest.approx(25.0)  # 1 - S(3)
    assert row["pct_started_7m"] == pytest.approx(55.0)  # 1 - S(7): the step at 7 counts
    assert row["pct_started_13m"] is None  # beyond the longest follow-up (12 months)
    assert row["pct_started_4m_ci_low"] < 25.0 < row["pct_started_4m_ci_high"]


def _random_data(seed=5, n=400):
    rng = np.random.default_rng(seed)
    d = np.minimum(np.round(rng.exponential(300, n)), 700.0)  # many ties
    e = (rng.random(n) < 0.7) & (d < 700)
    d[:3], e[:3] = 0.0, True  # events on the intake day
    g = rng.choice(["a", "b", "c"], n)
    return d, e, g


def test_matches_statsmodels_survfuncright_to_1e9():
    d, e, g = _random_data()
    km = GroupedKaplanMeier().fit(d, e, g)
    z = norm.ppf(0.975)
    for group in ("a", "b", "c"):
        mask = g == group
        sf = sm.SurvfuncRight(d[mask], e[mask].astype(int))
        fitter = km.fitters_[group]
        ours = fitter.survival_function_.iloc[:, 0].loc[sf.surv_times].to_numpy()
        np.testing.assert_allclose(ours, sf.surv_prob, rtol=0, atol=1e-9)
        # log(-log) confidence limits from statsmodels' Greenwood standard error
        s, se = sf.surv_prob, sf.surv_prob_se
        ok = (s > 0) & (s < 1)
        v = se[ok] / (s[ok] * np.abs(np.log(s[ok])))
        ci = fitter.confidence_interval_.loc[sf.surv_times[ok]].to_numpy()
        np.testing.assert_allclose(ci[:, 0], s[ok] ** np.exp(z * v), atol=1e-9)
        np.testing.assert_allclose(ci[:, 1], s[ok] ** np.exp(-z * v), atol=1e-9)
        # tabulated shares: 100 * (1 - S(t)) with S a right-continuous step function
        row = km.summary_.set_index("group").loc[group]
        for months in (6, 12, 18):
            t = months * DAYS_PER_MONTH
            before = sf.surv_times <= t
            s_t = sf.surv_prob[before][-1] if before.any() else 1.0
            assert row[f"pct_started_{months}m"] == pytest.approx(100 * (1 - s_t), abs=1e-9)
        assert row["median_days"] == pytest.approx(sf.quantile(0.5))


def test_logrank_matches_statsmodels_survdiff():
    d, e, g = _random_data()
    km = GroupedKaplanMeier().fit(d, e, g)
    statistic, p = survdiff(d, e.astype(int), g)
    assert km.logrank_["statistic"] == pytest.approx(statistic, rel=1e-9)
    assert km.logrank_["p"] == pytest.approx(p, rel=1e-9)
    assert km.logrank_["df"] == 2
    assert km.logrank_["n"] == len(d) and km.logrank_["events"] == int(e.sum())


def test_summary_total_row_and_order():
    d, e, g = _random_data()
    km = GroupedKaplanMeier().fit(d, e, g, order=["c", "a", "b"])
    assert km.groups_ == ["c", "a", "b"]
    assert km.summary_["group"].tolist() == ["c", "a", "b", "Totaal"]
    total = km.summary_.iloc[-1]
    assert total["n"] == len(d) and total["events"] == int(e.sum())
    whole = sm.SurvfuncRight(d, e.astype(int))
    np.testing.assert_allclose(
        km.total_fitter_.survival_function_.iloc[:, 0].loc[whole.surv_times],
        whole.surv_prob,
        atol=1e-9,
    )


def test_at_risk_table_matches_lifelines_plot_counts():
    d, e, g = _random_data()
    km = GroupedKaplanMeier(group_name="trajectory").fit(d, e, g)
    assert list(km.at_risk_.columns) == ["group", "0", "6", "12", "18"]  # 700 days = 23 months
    for _, row in km.at_risk_.iterrows():
        dd = d[g == row["group"]]
        for months in (0, 6, 12, 18):
            assert row[str(months)] == (dd > months * DAYS_PER_MONTH).sum()
    ax = plot_cumulative_incidence(km, language="en")
    twin = [a for a in ax.figure.axes if a is not ax][-1]
    labels = [t.get_text() for t in twin.get_xticklabels()]
    assert labels[0].startswith("Number at risk")
    first_column = [int(line.split()[-1]) for line in labels[0].splitlines()[1:]]
    assert first_column == km.at_risk_["0"].tolist()
    for i, months in enumerate((6, 12, 18), start=1):
        assert [int(x) for x in labels[i].split()] == km.at_risk_[str(months)].tolist()


def test_median_not_reached_is_none():
    km = GroupedKaplanMeier().fit([10, 20, 30, 40], [1, 0, 0, 0], ["g"] * 4)
    row = km.summary_.iloc[0]
    assert row["median_days"] is None and row["median_ci_high_days"] is None


def test_single_group_has_no_logrank_and_missing_groups_are_counted():
    km = GroupedKaplanMeier().fit([1, 2, 3], [1, 1, 0], ["g", "g", None])
    assert km.logrank_["p"] is None and km.logrank_["n_groups"] == 1
    assert km.n_missing_group_ == 1 and km.summary_.iloc[0]["n"] == 2


@pytest.mark.parametrize(
    ("durations", "events", "groups", "message"),
    [
        ([1, -1], [1, 0], ["a", "a"], "negative"),
        ([1, np.nan], [1, 0], ["a", "a"], "finite"),
        ([1, 2], [1, 2], ["a", "a"], "events"),
        ([1, 2], [1, None], ["a", "a"], "events"),
        ([1, 2], [1], ["a", "a"], "same length"),
        ([], [], [], "no clients"),
        ([1], [1], [None], "missing group"),
    ],
)
def test_fit_refuses_bad_input(durations, events, groups, message):
    with pytest.raises(SurvivalInputError, match=message):
        GroupedKaplanMeier().fit(durations, events, groups)


# -- plotting ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cohort_model():
    clients = make_clients(500, seed=1)
    tte = time_to_art60(clients, END)
    return GroupedKaplanMeier(group_name="cohort").fit(
        tte["duration_days"], tte["event"], tte["cohort"], COHORTS
    )


def test_plot_in_dutch_by_default_with_months_and_legend_outside(cohort_model):
    ax = plot_cumulative_incidence(cohort_model)
    assert isinstance(ax.figure.canvas, FigureCanvasAgg)
    assert ax.get_xlabel() == "Maanden sinds intake"
    assert "art. 60" in ax.get_ylabel()
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[:4] == ["0", "6", "12", "18"]
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "Intakecohort"
    assert [t.get_text() for t in legend.get_texts()][:4] == COHORTS
    renderer = ax.figure.canvas.get_renderer()
    assert legend.get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    # one line per group plus the censor marks
    assert len([line for line in ax.get_lines() if line.get_label() in COHORTS]) == 4


def test_plot_in_english(cohort_model):
    ax = plot_cumulative_incidence(cohort_model, language="en", title="T")
    assert ax.get_xlabel() == "Months since intake" and ax.get_title(loc="left") == "T"
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Spring 2017" in texts and "censored" in texts


def test_plot_on_given_axes_and_truncation(cohort_model):
    from matplotlib.figure import Figure

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    out = plot_cumulative_incidence(cohort_model, ax=ax, at_risk=False, min_at_risk=50)
    assert out is ax and len(fig.axes) == 1
    longest = max(line.get_xdata().max() for line in ax.get_lines() if line.get_label() in COHORTS)
    assert longest < cohort_model.durations_.max()


def test_plot_refuses_unfitted_model_and_unknown_language(cohort_model):
    with pytest.raises(SurvivalInputError, match="not fitted"):
        plot_cumulative_incidence(GroupedKaplanMeier())
    with pytest.raises(ValueError, match="language"):
        plot_cumulative_incidence(cohort_model, language="fr")


def test_trajectory_model_on_factory(cohort_model):
    clients = make_clients(500, seed=1)
    tte = time_to_art60(clients, END)
    km = GroupedKaplanMeier(group_name="trajectory").fit(
        tte["duration_days"], tte["event"], tte["trajectory"], TRAJECTORIES
    )
    summary = km.summary_.set_index("group")
    # the factory makes SD/Activering fastest and Lineair slowest
    assert (
        summary.loc["SD/Activering", "pct_started_12m"] > summary.loc["Lineair", "pct_started_12m"]
    )
    assert km.logrank_["p"] < 0.05


def test_holm_adjustment_as_r_computes_it():
    from cob_analysis.survival.kaplan_meier import holm

    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), method = "holm")
    assert holm(np.array([0.01, 0.04, 0.03, 0.005])) == pytest.approx(
        [0.03, 0.06, 0.06, 0.02], abs=1e-12
    )
    assert holm(np.array([0.5, 0.9])) == pytest.approx([1.0, 1.0])


def test_pairwise_logrank_equals_each_pair_tested_alone():
    from itertools import combinations

    from lifelines.statistics import logrank_test

    from cob_analysis.survival.kaplan_meier import GroupedKaplanMeier

    rng = np.random.default_rng(5)
    n = 300
    groups = pd.Series(rng.choice(["a", "b", "c"], n))
    durations = pd.Series(
        np.round(rng.exponential(300, n) * groups.map({"a": 1.0, "b": 1.4, "c": 0.8}))
    )
    events = pd.Series(rng.random(n) < 0.7)
    km = GroupedKaplanMeier(group_name="g").fit(durations, events, groups, ["a", "b", "c"])
    got = km.pairwise_logrank_
    assert list(zip(got["group_a"], got["group_b"], strict=True)) == list(combinations("abc", 2))
    naive_p = []
    for (first, second), row in zip(combinations("abc", 2), got.itertuples(), strict=True):
        x, y = groups == first, groups == second
        test = logrank_test(durations[x], durations[y], events[x], events[y])
        assert row.statistic == pytest.approx(test.test_statistic, rel=1e-12)
        naive_p.append(test.p_value)
    # Holm by hand: sort, multiply by the number of remaining hypotheses, keep it monotone, cap at 1
    order = np.argsort(naive_p)
    adjusted, running = np.empty(3), 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (3 - rank) * naive_p[index]))
        adjusted[index] = running
    assert got["p_holm"].to_numpy() == pytest.approx(adjusted, abs=1e-12)


def test_the_risk_table_adds_up_to_each_group_and_matches_the_at_risk_row():
    from cob_analysis.survival.kaplan_meier import GroupedKaplanMeier

    rng = np.random.default_rng(9)
    n = 200
    groups = pd.Series(rng.choice(["a", "b"], n))
    durations = pd.Series(np.round(rng.exponential(250, n)))
    events = pd.Series(rng.random(n) < 0.6)
    km = GroupedKaplanMeier(group_name="g").fit(durations, events, groups, ["a", "b"])
    table = km.risk_table_.set_index(["group", "measure"])
    ticks = [c for c in km.risk_table_.columns if c not in ("group", "measure")]
    for group in ("a", "b"):
        size = int((groups == group).sum())
        totals = (
            table.loc[(group, "at_risk"), ticks]
            + table.loc[(group, "events"), ticks]
            + table.loc[(group, "censored"), ticks]
        )
        assert (totals == size).all()
        at_risk = km.at_risk_.set_index("group").loc[group, ticks]
        assert (table.loc[(group, "at_risk"), ticks].to_numpy() == at_risk.to_numpy()).all()
        # events by 6 months, counted by hand
        six = 6 * 365.25 / 12
        assert table.loc[(group, "events"), "6"] == int(
            ((durations <= six) & events & (groups == group)).sum()
        )
