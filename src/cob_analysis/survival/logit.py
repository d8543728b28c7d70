"""The logistic model of work at the reference date, fitted on covariate patterns."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.stats

from cob_analysis.survival.models import (
    ModelFitError,
    ModelInputError,
    PreparedCovariates,
    SeparationError,
    SingularDesignError,
    _aligned,
    _check_levels_vary,
    _check_rank,
    _drop_empty_columns,
    _level_table_rows,
)


class LogitModel:
    """Logistic regression (statsmodels GLM, binomial family with logit link, fitted on the
    covariate patterns with frequency weights) of a 0/1 outcome on prepared covariates.

    After `fit`: `result_` (statsmodels results), `odds_ratios_` (variable, level, reference,
    n, n_outcome, odds_ratio, ci_low, ci_high, p; a reference row per covariate with odds
    ratio 1), `n_used`, `n_excluded`, `n_outcome`, `pseudo_r2_` (McFadden), `llr_p_`,
    `dropped_columns_`.
    """

    def __init__(self, *, alpha: float = 0.05, maxiter: int = 100) -> None:
        self.alpha = alpha
        self.maxiter = maxiter

    def fit(self, prepared: PreparedCovariates, outcome: Any) -> LogitModel:
        import statsmodels.api as sm
        from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

        y_raw = _aligned(prepared, outcome, "outcome")
        usable = prepared.complete & y_raw.notna()
        if not y_raw[usable].isin([0, 1, True, False]).all():
            raise ModelInputError("the outcome must be 0/1 or boolean")
        y = y_raw.where(usable, False).astype(bool)
        if not prepared.covariates:
            raise ModelInputError("no covariate with at least two categories")
        _check_levels_vary(prepared, usable, y, "with the outcome", both_sides=True)

        # Every covariate is categorical, so the likelihood only sees covariate patterns: fit on
        # one row per pattern and outcome weighted by its number of clients (the same estimates,
        # standard errors and log-likelihood as a row per client, at a fraction of the cost).
        pattern_rows, weights = _patterns(prepared, usable, y)
        design, self.dropped_columns_ = _drop_empty_columns(prepared.design(pattern_rows))
        _check_rank(design, with_intercept=True)
        exog = pd.concat([pd.Series(1.0, index=design.index, name="const"), design], axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PerfectSeparationWarning)
            warnings.simplefilter("ignore", ConvergenceWarning)  # checked below, with a named error
            try:
                # Newton, like Logit: it converges on the parameters, so quasi-separation (a
                # combination of levels without one of the outcomes) is not taken for a fit
                result = sm.GLM(
                    y[design.index].astype(float),
                    exog,
                    family=sm.families.Binomial(),
                    freq_weights=weights[design.index].to_numpy(dtype=float),
                ).fit(method="newton", maxiter=self.maxiter, disp=0)
            except PerfectSeparationWarning as exc:
                raise SeparationError(f"perfect separation: {exc}") from exc
            except np.linalg.LinAlgError as exc:
                raise SingularDesignError(f"singular matrix in the logit fit: {exc}") from exc
        if not result.mle_retvals.get("converged", False):
            raise ModelFitError("the logistic regression did not converge")
        self.result_ = result
        self.n_used = int(usable.sum())
        self.n_excluded = prepared.n_total - self.n_used
        self.n_outcome = int(y[usable].sum())
        self.pseudo_r2_ = float(1 - result.llf / result.llnull)  # McFadden
        self.llr_p_ = float(scipy.stats.chi2.sf(2 * (result.llf - result.llnull), result.df_model))

        conf = result.conf_int(alpha=self.alpha)
        estimates = {
            c: (
                float(np.exp(result.params[c])),
                float(np.exp(conf.at[c, 0])),
                float(np.exp(conf.at[c, 1])),
                float(result.pvalues[c]),
            )
            for c in design.columns
        }
        rows = _level_table_rows(prepared, usable, y, estimates)
        self.odds_ratios_ = pd.DataFrame(rows).rename(columns={"estimate": "odds_ratio"})
        return self


def _patterns(
    prepared: PreparedCovariates, usable: pd.Series, outcome: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """One client per distinct (covariates, outcome) among the usable rows, and the number of
    clients each stands for: (mask of those rows, counts indexed like the rows)."""
    data = prepared.data.loc[usable]
    keys = pd.DataFrame(
        {name: data[name].cat.codes.to_numpy() for name in data.columns}, index=data.index
    )
    keys["_outcome"] = outcome.loc[usable].to_numpy(dtype=bool)
    group = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(group))).groupby(group).first().to_numpy()
    counts = np.bincount(group)
    index = data.index[first]
    mask = pd.Series(False, index=prepared.data.index)
    mask.loc[index] = True
    return mask, pd.Series(counts, index=index)


# -- forest plot -----------------------------------------------------------------------------
