"""The Cox model of the time to a first art. 60 (lifelines, Efron ties), with its PH check."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cob_analysis.stats.concordance import concordance_index
from cob_analysis.stats.schoenfeld import scaled_schoenfeld_residuals
from cob_analysis.survival.models import (
    ModelFitError,
    ModelInputError,
    PreparedCovariates,
    SeparationError,
    _aligned,
    _check_levels_vary,
    _check_rank,
    _drop_empty_columns,
    _level_table_rows,
)


class CoxModel:
    """Cox proportional-hazards model (lifelines CoxPHFitter, Efron ties) on prepared
    covariates.

    After `fit`: `fitter_` (the CoxPHFitter), `design_` (dummies plus duration and event of
    the clients used), `hazard_ratios_` (variable, level, reference, n, events, hr, ci_low,
    ci_high, p; a reference row per covariate with hr 1), `ph_check_` (variable, level,
    statistic, p, verdict "ok" / "violated at 5%": lifelines proportional_hazard_test,
    rank-transformed time), `n_used`, `n_excluded`, `n_events`, `concordance_`,
    `dropped_columns_` (all-zero dummies left out).
    """

    def __init__(self, *, alpha: float = 0.05, ph_alpha: float = 0.05) -> None:
        self.alpha = alpha
        self.ph_alpha = ph_alpha

    def fit(self, prepared: PreparedCovariates, durations: Any, events: Any) -> CoxModel:
        from lifelines import CoxPHFitter
        from lifelines.exceptions import ConvergenceError
        from lifelines.statistics import proportional_hazard_test

        durations = pd.to_numeric(_aligned(prepared, durations, "durations"), errors="coerce")
        events_raw = _aligned(prepared, events, "events")
        if (durations < 0).any():
            raise ModelInputError("durations must not be negative")
        usable = prepared.complete & durations.notna() & events_raw.notna()
        events = events_raw.where(usable, False).astype(bool)
        if not prepared.covariates:
            raise ModelInputError("no covariate with at least two categories")
        if int(events[usable].sum()) == 0:
            raise SeparationError("no events among the clients used")
        _check_levels_vary(prepared, usable, events, "events", both_sides=False)

        design, self.dropped_columns_ = _drop_empty_columns(prepared.design(usable))
        # the partial likelihood ignores constants, so a dummy set that sums to a constant is
        # as unidentifiable as in a model with an intercept
        _check_rank(design, with_intercept=True)
        columns = list(design.columns)
        frame = design  # the design with duration and event added in place (no second copy)
        frame["_duration"] = durations[usable].astype(float)
        frame["_event"] = events[usable]
        fitter = CoxPHFitter(alpha=self.alpha)
        try:
            fitter.fit(frame, duration_col="_duration", event_col="_event")
        except ConvergenceError as exc:
            raise ModelFitError(f"the Cox model did not converge: {exc}") from exc
        self.fitter_ = fitter
        self.design_ = frame
        self.n_used = int(usable.sum())
        self.n_excluded = prepared.n_total - self.n_used
        self.n_events = int(events[usable].sum())
        # Harrell's C of the fitted partial hazards (higher hazard: earlier event), public API only
        hazards = fitter.predict_partial_hazard(frame[columns]).to_numpy()
        self.concordance_ = concordance_index(
            frame["_duration"].to_numpy(), -hazards, frame["_event"].to_numpy()
        )
        self.params_ = fitter.params_.copy()

        s = fitter.summary
        lo, hi = f"exp(coef) lower {1 - self.alpha:.0%}", f"exp(coef) upper {1 - self.alpha:.0%}"
        estimates = {
            c: (
                float(s.at[c, "exp(coef)"]),
                float(s.at[c, lo]),
                float(s.at[c, hi]),
                float(s.at[c, "p"]),
            )
            for c in s.index
        }
        rows = _level_table_rows(prepared, usable, events, estimates)
        self.hazard_ratios_ = pd.DataFrame(rows).rename(
            columns={"n_outcome": "events", "estimate": "hr"}
        )

        residuals = scaled_schoenfeld_residuals(
            fitter, frame[columns], frame["_duration"], frame["_event"]
        )
        ph = proportional_hazard_test(
            fitter, frame, time_transform="rank", precomputed_residuals=residuals
        ).summary
        ph_rows = []
        for column in columns:
            cov, level = prepared.covariate_of(column)
            p = float(ph.at[column, "p"])
            ph_rows.append(
                {
                    "variable": cov.name,
                    "level": level,
                    "statistic": float(ph.at[column, "test_statistic"]),
                    "p": p,
                    "verdict": "ok" if p >= self.ph_alpha else "violated at 5%",
                }
            )
        self.ph_check_ = pd.DataFrame(
            ph_rows, columns=["variable", "level", "statistic", "p", "verdict"]
        )
        self.global_tests_ = global_tests(
            fitter, frame[columns], frame["_duration"], frame["_event"]
        )
        return self


def global_tests(
    fitter, design: pd.DataFrame, durations: pd.Series, events: pd.Series
) -> pd.DataFrame:
    """The model's global tests that all coefficients are 0, as R's coxph prints them: the
    likelihood ratio test (lifelines), the Wald test (from the fitted coefficients and their
    covariance) and the score (log-rank) test, from statsmodels' Efron partial likelihood at 0."""
    import numpy as np
    import scipy.stats
    from statsmodels.duration.hazard_regression import PHReg

    beta = fitter.params_.to_numpy()
    k = len(beta)
    lr = fitter.log_likelihood_ratio_test()
    wald = float(beta @ np.linalg.solve(fitter.variance_matrix_.to_numpy(), beta))
    model = PHReg(
        durations.to_numpy(float), design.to_numpy(float), status=events.to_numpy(int), ties="efron"
    )
    score_at_zero = model.score(np.zeros(k))
    information = -model.hessian(np.zeros(k))
    score = float(score_at_zero @ np.linalg.solve(information, score_at_zero))
    rows = [("likelihood_ratio", float(lr.test_statistic)), ("wald", wald), ("score", score)]
    return pd.DataFrame(
        [
            {"test": name, "statistic": stat, "df": k, "p": float(scipy.stats.chi2.sf(stat, k))}
            for name, stat in rows
        ]
    )
