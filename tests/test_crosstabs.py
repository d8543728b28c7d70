import pandas as pd
import pytest

from cob_analysis import categories
from cob_analysis.tables.crosstabs import crosstab, oneway
from cob_analysis.tables_io import percentage, round_half_up


def test_round_half_up_not_bankers():
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(2.5, 0) == 3.0
    assert round_half_up(12.45, 1) == 12.5
    assert percentage(1, 8, 1) == 12.5


def frame():
    return pd.DataFrame(
        {
            "g": ["a", "a", "b", None, "b", "b"],
            "w": ["Werk", "Geen werk of onbekend", "Werk", "Werk", "Werk", "Geen werk of onbekend"],
        }
    )


def test_crosstab_long_form_with_totals_and_missing_excluded():
    table = crosstab(
        frame(), "g", "w", row_order=["b", "a"], col_order=["Geen werk of onbekend", "Werk"]
    )
    long = table.long.set_index(["row", "col"])
    assert table.missing_excluded == 1
    assert list(dict.fromkeys(table.long["row"])) == ["b", "a", "Totaal"]
    assert long.loc[("b", "Werk"), "n"] == 2 and long.loc[("b", "Werk"), "pct"] == 66.7
    assert long.loc[("Totaal", "Totaal"), "n"] == 5
    assert long.loc[("a", "Totaal"), "pct"] == 100.0
    assert table.counts.to_numpy().tolist() == [[1, 2], [1, 1]]


def test_crosstab_missing_shown_first_and_column_percent():
    table = crosstab(frame(), "g", "w", missing="show", missing_label="?", percent="column")
    long = table.long.set_index(["row", "col"])
    assert table.missing_excluded == 0
    assert table.long["row"].iloc[0] == "?"
    assert long.loc[("?", "Werk"), "pct"] == 25.0  # 1 of 4 Werk


def test_crosstab_bad_percent():
    with pytest.raises(ValueError):
        crosstab(frame(), "g", "w", percent="cell")


def test_oneway_keeps_empty_levels_in_order():
    out = oneway(
        pd.Series(["Werk", "Werk", None]), ["Geen werk of onbekend", "Werk"], keep_empty=True
    )
    assert out.to_dict("list") == {
        "row": ["Geen werk of onbekend", "Werk", "Totaal"],
        "n": [0, 2, 2],
        "pct": [0.0, 100.0, 100.0],
    }


def test_cohorts_and_age_groups():
    dates = pd.Series(pd.to_datetime(["2017-01-01", "2017-06-30", "2017-07-01", "2018-12-31"]))
    labels = categories.cohort_labels(dates)
    assert labels.tolist() == ["Voorjaar 2017", "Voorjaar 2017", "Najaar 2017", "Najaar 2018"]
    assert categories.cohort_order(labels[::-1]) == ["Voorjaar 2017", "Najaar 2017", "Najaar 2018"]
    assert categories.cohort_labels(dates, "quarter").tolist() == [
        "2017-Q1",
        "2017-Q2",
        "2017-Q3",
        "2018-Q4",
    ]
    ages = categories.age_in_years(
        pd.Series(pd.to_datetime(["1990-03-16", "1990-03-15", None])),
        pd.Series(pd.to_datetime(["2015-03-15"] * 3)),
    )
    assert ages.tolist()[:2] == [24, 25] and pd.isna(ages.iloc[2])
    groups = categories.age_group(pd.Series([18, 24, 25, 30, 31, None], dtype="Int64"))
    assert groups.tolist()[:5] == ["18-24j", "18-24j", "25-30j", "25-30j", "30+"] and pd.isna(
        groups.iloc[5]
    )


def test_collapse_work():
    out = categories.collapse_work(pd.Series(["Werk", "Geen werk", "Onbekend"]))
    assert out.tolist() == ["Werk", "Geen werk of onbekend", "Geen werk of onbekend"]
