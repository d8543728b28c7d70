import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency
from scipy.stats.contingency import association

from cob_analysis.stats.association import AssociationInputError, chi_square_test


def _table(rows):
    return pd.DataFrame(
        rows,
        index=[f"r{i}" for i in range(len(rows))],
        columns=[f"c{j}" for j in range(len(rows[0]))],
    )


@pytest.mark.parametrize(
    "rows",
    [
        [[286, 296], [135, 172], [200, 201], [195, 177]],  # the report's Tabel 5
        [[600, 758], [215, 87]],  # Tabel 11, 2 x 2: SPSS's Pearson chi-square is uncorrected
        [[12, 5, 7, 30], [3, 8, 9, 11], [20, 2, 6, 14]],
    ],
)
def test_matches_scipy(rows):
    result = chi_square_test(_table(rows))
    chi2, p, dof, expected = chi2_contingency(np.array(rows), correction=False)
    assert result["chi2"] == pytest.approx(chi2, rel=1e-12)
    assert result["p"] == pytest.approx(p, rel=1e-9, abs=1e-300)
    assert result["df"] == dof
    assert result["min_expected"] == pytest.approx(expected.min(), rel=1e-12)
    assert result["cramers_v"] == pytest.approx(association(np.array(rows), method="cramer"))
    assert result["n"] == int(np.sum(rows))
    assert result["n_cells_expected_below_5"] == int((expected < 5).sum())


def test_report_table_5_has_no_warning():
    result = chi_square_test(_table([[286, 296], [135, 172], [200, 201], [195, 177]]))
    assert result["warning"] is None
    assert result["pct_cells_expected_below_5"] == 0.0
    assert result["n"] == 1662


def test_empty_rows_and_columns_are_dropped():
    full = _table([[10, 0, 20], [0, 0, 0], [15, 0, 5]])
    clean = _table([[10, 20], [15, 5]])
    a, b = chi_square_test(full), chi_square_test(clean)
    assert a == b
    assert (a["n_rows"], a["n_cols"], a["df"]) == (2, 2, 1)


def test_sparse_table_warns_like_spss():
    # Tabel 16 of the report: the 'Geen' row has one client
    counts = _table([[1, 0], [461, 484], [173, 194], [181, 168]])
    result = chi_square_test(counts)
    assert result["n_cells_expected_below_5"] == 2
    assert result["pct_cells_expected_below_5"] == pytest.approx(25.0)
    assert result["warning"].startswith("2 cellen (25,0 %) hebben een verwachte frequentie")
    assert "0,49" in result["warning"]  # minimum expected count 1 * 846 / 1662
    english = chi_square_test(counts, language="en")
    assert english["warning"].startswith("2 cells (25.0%) have expected count less than 5")
    assert english["chi2"] == result["chi2"]


def test_warns_when_one_cell_expected_below_1_even_under_20_percent():
    rows = [[1, 0]] + [[50, 50]] * 5  # 12 cells, 2 below 5 (16.7%), minimum below 1
    result = chi_square_test(_table(rows))
    assert result["pct_cells_expected_below_5"] < 20
    assert result["min_expected"] < 1
    assert result["warning"] is not None


def test_no_warning_at_exactly_20_percent_and_min_at_least_1():
    # 10 cells, 2 with expected 4.x: exactly 20% -> SPSS footnote only, no warning
    rows = [[4, 5], [60, 61], [60, 61], [60, 61], [61, 60]]
    result = chi_square_test(_table(rows))
    assert result["pct_cells_expected_below_5"] == pytest.approx(20.0)
    assert result["min_expected"] >= 1
    assert result["warning"] is None


@pytest.mark.parametrize(
    "rows",
    [[[5], [7]], [[3, 4]], [[0, 0], [0, 0]], [[0, 9], [0, 3]]],
)
def test_degenerate_tables(rows):
    result = chi_square_test(_table(rows))
    assert result["df"] == 0
    assert result["chi2"] is None and result["p"] is None and result["cramers_v"] is None
    assert result["min_expected"] is None
    assert "Geen chi-kwadraattoets mogelijk" in result["warning"]


def test_empty_frame_is_degenerate():
    result = chi_square_test(pd.DataFrame())
    assert result["df"] == 0 and result["n"] == 0 and result["warning"]


@pytest.mark.parametrize("bad", [[[1, -1], [2, 3]], [[1, np.nan], [2, 3]]])
def test_refuses_non_counts(bad):
    with pytest.raises(AssociationInputError):
        chi_square_test(_table(bad))


def test_refuses_text_cells():
    with pytest.raises(AssociationInputError, match="not numeric"):
        chi_square_test(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]}))


def test_refuses_unknown_language():
    with pytest.raises(ValueError, match="language"):
        chi_square_test(_table([[1, 2], [3, 4]]), language="fr")


def test_perfect_association_gives_v_1():
    result = chi_square_test(_table([[20, 0], [0, 30]]))
    assert result["cramers_v"] == pytest.approx(1.0)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda r: st.integers(2, 4).flatmap(
            lambda c: st.lists(
                st.lists(st.integers(1, 200), min_size=c, max_size=c), min_size=r, max_size=r
            )
        )
    )
)
def test_property_matches_scipy(rows):
    result = chi_square_test(_table(rows))
    chi2, p, dof, expected = chi2_contingency(np.array(rows), correction=False)
    assert result["chi2"] == pytest.approx(chi2, rel=1e-9, abs=1e-12)
    assert result["df"] == dof
    assert 0.0 <= result["cramers_v"] <= 1.0 + 1e-12
    assert (result["warning"] is not None) == bool(
        (expected < 5).mean() > 0.2 or expected.min() < 1
    )
