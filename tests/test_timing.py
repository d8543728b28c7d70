import numpy as np
import pandas as pd
import pytest
from factories import COHORTS, TRAJECTORIES, make_clients

from cob_analysis.survival.timing import (
    TIMING_COLUMNS,
    TimingInputError,
    art60_timing,
    group_order,
    spss_quantile,
)


def _frame(groups, days):
    """Clients with a group and days_to_art60 (None: no art. 60)."""
    return pd.DataFrame(
        {
            "trajectory": groups,
            "art60_started": [d is not None for d in days],
            "days_to_art60": pd.array(days, dtype="Int64"),
        }
    )


def test_hand_computed_statistics():
    clients = _frame(["A", "A", "A", "A", "B", "B", "A"], [10, 20, 30, 40, 5, None, None])
    table = art60_timing(clients, "trajectory", ["A", "B"])
    assert list(table.columns) == ["group", *TIMING_COLUMNS]
    a, b, total = (table.iloc[i].to_dict() for i in range(3))
    assert a == {
        "group": "A",
        "n": 4,
        "mean_days": 25.0,
        "sd_days": 12.9,  # sqrt(500 / 3) = 12.91
        "median_days": 25.0,
        "q1_days": 12.5,
        "q3_days": 37.5,  # SPSS (n + 1) p positions
        "min_days": 10,
        "max_days": 40,
    }
    assert b["n"] == 1 and b["mean_days"] == 5.0 and pd.isna(b["sd_days"])
    assert b["q1_days"] == 5.0 and b["min_days"] == b["max_days"] == 5
    assert total["group"] == "Totaal" and total["n"] == 5 and total["mean_days"] == 21.0
    assert total["sd_days"] == round(float(np.std([10, 20, 30, 40, 5], ddof=1)), 1)


def test_spss_quantile_definition():
    data = np.array([3, 7, 8, 5, 12, 14, 21, 13, 18])  # sorted: 3 5 7 8 12 13 14 18 21
    assert spss_quantile(data, 0.25) == pytest.approx(6.0)  # position 2.5
    assert spss_quantile(data, 0.75) == pytest.approx(16.0)  # position 7.5
    assert spss_quantile(data, 0.5) == 12.0
    assert spss_quantile(np.array([4.0]), 0.25) == 4.0
    assert np.isnan(spss_quantile(np.array([]), 0.5))


def test_rounds_half_up_not_to_even():
    clients = _frame(["A"] * 4, [0, 0, 0, 1])  # mean 0.25: banker's rounding gives 0.2
    assert art60_timing(clients, "trajectory").loc[0, "mean_days"] == 0.3


def test_order_is_respected_and_absent_groups_get_empty_rows():
    clients = _frame(["Lineair", "VDAB", "VDAB"], [100, 50, 70])
    table = art60_timing(clients, "trajectory", TRAJECTORIES)
    assert table["group"].tolist() == [*TRAJECTORIES, "Totaal"]
    absent = table.set_index("group").loc["SD/Activering"]
    assert absent["n"] == 0 and pd.isna(absent["mean_days"])


def test_groups_not_in_order_follow_it():
    clients = _frame(["X", "VDAB", "A"], [1, 2, 3])
    assert art60_timing(clients, "trajectory", ["VDAB"])["group"].tolist() == [
        "VDAB",
        "A",
        "X",
        "Totaal",
    ]


def test_default_cohort_order_is_chronological():
    shuffled = ["Najaar 2018", "Voorjaar 2017", "Najaar 2017", "Voorjaar 2018"]
    assert group_order(shuffled) == COHORTS
    assert group_order(["2018-Q1", "2017-Q4", "2017-Q2"]) == ["2017-Q2", "2017-Q4", "2018-Q1"]
    assert group_order(["b", "a", None]) == ["a", "b"]
    cat = pd.Series(["z", "y"], dtype=pd.CategoricalDtype(["z", "y", "x"]))
    assert group_order(cat) == ["z", "y"]


def test_missing_group_is_left_out_and_counted():
    clients = _frame(["A", None, "A", None], [10, 20, 30, None])
    table = art60_timing(clients, "trajectory")
    assert table.attrs["missing_excluded"] == 1
    assert table.set_index("group").loc["Totaal", "n"] == 2


def test_only_starters_count():
    clients = make_clients(300, seed=4)
    table = art60_timing(clients, "trajectory", TRAJECTORIES).set_index("group")
    starters = clients[clients["art60_started"]]
    assert table.loc["Totaal", "n"] == len(starters)
    for trajectory in TRAJECTORIES:
        days = starters.loc[starters["trajectory"] == trajectory, "days_to_art60"].astype(float)
        assert table.loc[trajectory, "n"] == len(days)
        assert table.loc[trajectory, "mean_days"] == pytest.approx(days.mean(), abs=0.05)
        assert table.loc[trajectory, "sd_days"] == pytest.approx(days.std(ddof=1), abs=0.05)
        assert table.loc[trajectory, "max_days"] == days.max()


def test_nullable_boolean_started_column():
    clients = _frame(["A", "A"], [10, None])
    clients["art60_started"] = pd.array([True, pd.NA], dtype="boolean")
    assert art60_timing(clients, "trajectory").loc[0, "n"] == 1


@pytest.mark.parametrize(
    ("clients", "message"),
    [
        (pd.DataFrame({"trajectory": ["A"]}), "lacks column"),
        (
            pd.DataFrame(
                {
                    "trajectory": ["A"],
                    "art60_started": [True],
                    "days_to_art60": pd.array([None], dtype="Int64"),
                }
            ),
            "no days_to_art60",
        ),
        (
            pd.DataFrame(
                {
                    "trajectory": ["A"],
                    "art60_started": [True],
                    "days_to_art60": pd.array([-3], dtype="Int64"),
                }
            ),
            "negative",
        ),
    ],
)
def test_refuses_bad_input(clients, message):
    with pytest.raises(TimingInputError, match=message):
        art60_timing(clients, "trajectory")
