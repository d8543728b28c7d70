import pandas as pd

from cob_analysis.tables.crosstabs import crosstab
from cob_analysis.tables.suppression import suppress_crosstab, suppress_matrix, suppress_oneway


def full(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], index=["x", "y", "z"])
    frame["Totaal"] = frame.sum(axis=1)
    frame.loc["Totaal"] = frame.sum()
    return frame


def derivable(mask: pd.DataFrame) -> bool:
    """True if some row or column has exactly one hidden cell (then it can be derived)."""
    return bool((mask.sum(axis=1) == 1).any() or (mask.sum(axis=0) == 1).any())


def test_primary_and_secondary_suppression():
    table = full([[2, 10, 30], [20, 25, 40], [30, 35, 50]])
    mask = suppress_matrix(table, 5)
    assert mask.loc["x", "a"]
    assert mask.sum().sum() >= 4  # a second cell in row x and column a, and their crossing
    assert not derivable(mask)


def test_nothing_small_nothing_hidden():
    mask = suppress_matrix(full([[12, 10, 30], [20, 25, 40], [30, 35, 50]]), 5)
    assert not mask.to_numpy().any()


def test_zero_is_not_suppressed_but_can_protect():
    mask = suppress_matrix(full([[0, 10, 30], [20, 25, 40], [30, 35, 50]]), 5)
    assert not mask.to_numpy().any()


def test_suppress_crosstab_long_form():
    frame = pd.DataFrame(
        {
            "g": ["a"] * 3 + ["b"] * 20 + ["c"] * 20,
            "w": ["Werk", "Werk", "Geen"]
            + ["Werk"] * 10
            + ["Geen"] * 10
            + ["Werk"] * 12
            + ["Geen"] * 8,
        }
    )
    long = crosstab(frame, "g", "w").long
    out = suppress_crosstab(long, 5)
    hidden = out[out["n"].isin(["<5", "x"])]
    assert (
        len(hidden) >= 4 and (out["n"] == "<5").sum() == 3
    )  # the small ones; the others hidden with them: x
    assert hidden["pct"].isna().all()
    wide = out.pivot(index="row", columns="col", values="n").isin(["<5", "x"])
    assert not derivable(wide)


def test_suppress_oneway():
    table = pd.DataFrame(
        {"row": ["a", "b", "c", "Totaal"], "n": [3, 40, 50, 93], "pct": [3.2, 43.0, 53.8, 100.0]}
    )
    out = suppress_oneway(table, 5)
    assert out["n"].tolist()[:2] == ["<5", "x"] and out["n"].tolist()[2:] == [50, 93]
