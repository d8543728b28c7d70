"""Tests of association for a cross-tab, as SPSS CROSSTABS reports them.

SPSS prints, under "Chi-Square Tests", the Pearson chi-square (without continuity correction),
its degrees of freedom and asymptotic significance, and a footnote "a. k cells (x%) have
expected count less than 5. The minimum expected count is m." Under "Symmetric Measures" it
prints Cramér's V. `chi_square_test` returns the same numbers, plus a warning text when the
expected counts make the chi-square approximation unreliable (Cochran's rule, which the SPSS
footnote is there for: more than 20% of cells with an expected count below 5, or any cell
below 1).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from cob_analysis.i18n import format_number, text

__all__ = ["AssociationInputError", "chi_square_test"]


class AssociationInputError(ValueError):
    """The table of counts cannot be a table of counts (negative, missing or not numeric)."""


def chi_square_test(counts: pd.DataFrame, *, language: str = "nl") -> dict[str, Any]:
    """Pearson chi-square test of independence on a rows x cols table of counts.

    `counts` must hold counts only: no `Totaal` row or column. Rows and columns whose counts
    are all zero are dropped first (SPSS never shows them). Returns a JSON-ready dict:
    chi2, df, p, cramers_v, n, min_expected, n_cells_expected_below_5,
    pct_cells_expected_below_5, n_rows, n_cols (after dropping empty ones) and warning
    (None, or a text in `language`). A degenerate table (fewer than 2 non-empty rows or
    columns, df 0) gives None for chi2, p, cramers_v and the expected-count fields, and a
    warning.
    """
    if language not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', not {language!r}")
    frame = pd.DataFrame(counts)
    try:
        values = frame.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise AssociationInputError(f"the table of counts is not numeric: {exc}") from exc
    if values.ndim != 2:
        raise AssociationInputError("the table of counts must be two-dimensional")
    if values.size and not np.isfinite(values).all():
        raise AssociationInputError("the table of counts has missing or infinite cells")
    if (values < 0).any():
        raise AssociationInputError("the table of counts has negative cells")

    values = values[values.sum(axis=1) > 0, :] if values.size else values
    values = values[:, values.sum(axis=0) > 0] if values.size else values
    n_rows, n_cols = values.shape if values.size else (0, 0)
    n = float(values.sum()) if values.size else 0.0
    n_out: int | float = int(n) if float(n).is_integer() else n

    result: dict[str, Any] = {
        "chi2": None,
        "df": 0,
        "p": None,
        "cramers_v": None,
        "n": n_out,
        "n_rows": int(n_rows),
        "n_cols": int(n_cols),
        "min_expected": None,
        "n_cells_expected_below_5": None,
        "pct_cells_expected_below_5": None,
        "warning": None,
    }
    if n_rows < 2 or n_cols < 2:
        result["warning"] = text("stats.chi_square_degenerate", language, r=n_rows, c=n_cols)
        return result

    expected = np.outer(values.sum(axis=1), values.sum(axis=0)) / n
    chi2 = float(((values - expected) ** 2 / expected).sum())
    dof = (n_rows - 1) * (n_cols - 1)
    k = min(n_rows, n_cols)
    below = int((expected < 5).sum())
    pct_below = 100.0 * below / expected.size
    min_expected = float(expected.min())
    result.update(
        chi2=chi2,
        df=int(dof),
        p=float(stats.chi2.sf(chi2, dof)),
        cramers_v=float(math.sqrt(chi2 / (n * (k - 1)))),
        min_expected=min_expected,
        n_cells_expected_below_5=below,
        pct_cells_expected_below_5=pct_below,
    )
    if pct_below > 20.0 or min_expected < 1.0:
        result["warning"] = text(
            "stats.chi_square_sparse",
            language,
            k=below,
            pct=format_number(pct_below, 1, language),
            min=format_number(min_expected, 2, language),
        )
    return result
