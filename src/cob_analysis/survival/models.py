"""Adjusted models of the profile characteristics: Cox (time to the first art. 60) and logistic
regression (work at the reference date).

Covariates are categorical and enter as dummies against a stated reference category
(`prepare_covariates`). Small categories are grouped by fixed, stated rules so that every
level has enough clients; clients with a missing value on any covariate are left out
(complete-case analysis) and counted. The models are thin objects around lifelines'
CoxPHFitter (Efron ties) and statsmodels' binomial GLM (on a dummy matrix, not a formula), with the
fitted results in attributes.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.stats

from cob_analysis.labels import value_label
from cob_analysis.survival.timing import group_order

__all__ = [
    "COVARIATES",
    "CoxModel",
    "Covariate",
    "LogitModel",
    "ModelError",
    "ModelFitError",
    "ModelInputError",
    "PreparedCovariates",
    "SeparationError",
    "SingularDesignError",
    "covariate_label",
    "covariate_notes",
    "level_label",
    "nt2_group",
    "plot_forest",
    "prepare_covariates",
]

COVARIATES = (
    "trajectory",
    "gender",
    "age_group",
    "household",
    "schooling",
    "nt2_level",
    "continent",
    "cohort",
)

NT2_LOW, NT2_ONE, NT2_TWO_PLUS = "0 of <1.1", "1.x", "2.x en hoger"
SCHOOLING_POOLED = "Geen of laag"
OTHER = "Overige"

_PREFERRED_REFERENCE = {
    "trajectory": "VDAB",
    "gender": "Man",
    "age_group": "18-24j",
    "household": "Alleenstaande",
    "schooling": "Laag",
    "nt2_level": NT2_LOW,
}
_DISPLAY_ORDER = {
    "gender": ["Man", "Vrouw"],
    "age_group": ["18-24j", "25-30j", "30+"],
    "household": ["Alleenstaande", "Aanvragers met gezin ten laste", "Samenwoner", "Onbekend"],
    "schooling": ["Geen", SCHOOLING_POOLED, "Laag", "Midden", "Hoog"],
    "nt2_level": [NT2_LOW, NT2_ONE, NT2_TWO_PLUS],
}

_COVARIATE_LABELS = {
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "gender": {"nl": "Geslacht", "en": "Gender"},
    "age_group": {"nl": "Leeftijdsgroep", "en": "Age group"},
    "household": {"nl": "Gezinssituatie", "en": "Household"},
    "schooling": {"nl": "Scholing", "en": "Schooling"},
    "nt2_level": {"nl": "NT2-niveau bij intake", "en": "Dutch (NT2) level at intake"},
    "continent": {"nl": "Continent", "en": "Continent"},
    "cohort": {"nl": "Intakecohort", "en": "Intake cohort"},
}
_LEVELS_EN = {
    NT2_LOW: "0 or <1.1",
    NT2_TWO_PLUS: "2.x or higher",
    SCHOOLING_POOLED: "None or low",
    OTHER: "Other",
}


class ModelError(Exception):
    """A model cannot be estimated on these data."""


class ModelInputError(ModelError, ValueError):
    """The input frame is not fit for the model (columns, values, alignment)."""


class SeparationError(ModelError):
    """A category perfectly predicts the outcome (no events, or all/no outcomes), so its
    estimate would be infinite. Pool the category or leave the covariate out."""


class SingularDesignError(ModelError):
    """The dummy matrix is not of full rank (covariates are collinear)."""


class ModelFitError(ModelError):
    """The optimiser did not converge."""


def covariate_label(name: str, language: str = "nl") -> str:
    return _COVARIATE_LABELS.get(name, {}).get(language, name)


def level_label(value: object, language: str = "nl") -> object:
    if language == "en" and isinstance(value, str) and value in _LEVELS_EN:
        return _LEVELS_EN[value]
    return value_label(value, language)


def nt2_group(value: object) -> str | None:
    """NT2 level at intake -> "0 of <1.1" / "1.x" / "2.x en hoger" (None when missing)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip().replace(",", ".")
    if text == "":
        return None
    if text in ("0", "<1.1"):
        return NT2_LOW
    try:
        level = float(text)
    except ValueError as exc:
        raise ModelInputError(f"NT2 level {value!r} is not a level like 0, <1.1, 1.1 ... 4.4") from exc
    if level < 1:
        return NT2_LOW
    return NT2_ONE if level < 2 else NT2_TWO_PLUS


@dataclass
class Covariate:
    """One categorical covariate as it enters the models."""

    name: str
    reference: str
    levels: list[str]  # reference first, then the other levels in display order
    counts: dict[str, int]  # clients per level among the complete cases
    pooled: dict[str, list[str]] = field(default_factory=dict)  # new level -> original values
    reference_fallback: bool = False  # the preferred reference was absent

    @property
    def dummy_columns(self) -> list[str]:
        return [f"{self.name}={level}" for level in self.levels[1:]]


@dataclass
class PreparedCovariates:
    """Grouped covariates of every client, the complete-case mask and what was done."""

    data: pd.DataFrame  # one column per kept covariate, grouped values, None when missing
    covariates: list[Covariate]
    complete: pd.Series  # bool, True when no covariate is missing
    n_missing: dict[str, int]  # clients without a value, per covariate (over all clients)
    dropped: dict[str, str]  # covariate -> reason ("absent" | "single level")
    set_missing: dict[str, dict[str, int]] = field(default_factory=dict)  # small levels left out
    min_level_size: int = 10

    @property
    def n_total(self) -> int:
        return int(len(self.complete))

    @property
    def n_complete(self) -> int:
        return int(self.complete.sum())

    def design(self, mask: pd.Series | None = None) -> pd.DataFrame:
        """0/1 dummy matrix (float) of the rows in `mask` (default: the complete cases)."""
        mask = self.complete if mask is None else (mask & self.complete)
        rows = self.data.loc[mask]
        names = [column for cov in self.covariates for column in cov.dummy_columns]
        matrix = np.zeros((len(rows), len(names)))  # filled in place: one copy of the design
        j = 0
        for cov in self.covariates:
            codes = rows[cov.name].cat.codes.to_numpy()
            for level in cov.levels[1:]:
                matrix[:, j] = codes == rows[cov.name].cat.categories.get_loc(level)
                j += 1
        return pd.DataFrame(matrix, index=rows.index, columns=names, copy=False)

    def covariate_of(self, column: str) -> tuple[Covariate, str]:
        for cov in self.covariates:
            if column in cov.dummy_columns:
                return cov, cov.levels[1 + cov.dummy_columns.index(column)]
        raise KeyError(column)


def prepare_covariates(
    clients: pd.DataFrame,
    *,
    covariates: Sequence[str] = COVARIATES,
    cohort_order: Sequence[str] | None = None,
    trajectory_order: Sequence[str] | None = None,
    min_level_size: int = 10,
) -> PreparedCovariates:
    """Group the covariates and fix reference categories.

    Rules (stated in the output by `covariate_notes`):
    - trajectory: reference VDAB; gender: Man; age_group: 18-24j; household: Alleenstaande
      (a household `Onbekend` with fewer than `min_level_size` clients is treated as missing);
    - schooling: reference Laag; `Geen` is pooled with `Laag` into "Geen of laag" (then the
      reference) when it has fewer than `min_level_size` clients;
    - nt2_level: "0 of <1.1" (reference), "1.x" (1.1-1.4), "2.x en hoger" (2.1 and up);
    - continent: continents with fewer than `min_level_size` clients pooled into "Overige";
      when "Overige" is still smaller, the next smallest continents join it (never the
      largest; if that cannot help, its clients are treated as missing); reference the
      largest continent;
    - cohort: reference the first cohort in `cohort_order` (chronological by default).
    A preferred reference that is absent among the complete cases is replaced by the largest
    level; a covariate that is absent, entirely missing or has one level is left out.
    """
    data = pd.DataFrame(index=clients.index)
    pooled: dict[str, dict[str, list[str]]] = {}
    set_missing: dict[str, dict[str, int]] = {}
    dropped: dict[str, str] = {}

    for name in covariates:
        if name not in clients.columns or clients[name].isna().all():
            dropped[name] = "absent"
            continue
        # categorical: every rule below works on the few distinct values, not on the rows
        values = _as_categorical(clients[name])
        counts = _observed_counts(values)
        if name == "nt2_level":
            groups = {level: nt2_group(level) for level in values.cat.categories}
            pooled[name] = {
                g: sorted((v for v, gv in groups.items() if gv == g), key=_nt2_sort_key)
                for g in _DISPLAY_ORDER["nt2_level"]
                if g in groups.values()
            }
            values = _recode(values, groups)
        elif name == "schooling" and 0 < counts.get("Geen", 0) < min_level_size:
            values = _recode(values, {"Geen": SCHOOLING_POOLED, "Laag": SCHOOLING_POOLED})
            pooled[name] = {SCHOOLING_POOLED: ["Geen", "Laag"]}
        elif name == "continent":
            small = _continents_to_pool(counts, min_level_size)
            if small:
                values = _recode(values, dict.fromkeys(small, OTHER))
                n_other = int((values == OTHER).sum())
                if n_other < min_level_size:
                    values = _recode(values, {OTHER: None})
                    set_missing[name] = {OTHER: n_other}
                else:
                    pooled[name] = {OTHER: sorted(small)}
        elif name == "household":
            n_unknown = int(counts.get("Onbekend", 0))
            if 0 < n_unknown < min_level_size:
                values = _recode(values, {"Onbekend": None})
                set_missing[name] = {"Onbekend": n_unknown}
        data[name] = values

    n_missing = {name: int(data[name].isna().sum()) for name in data.columns}
    # a covariate with a single level among the complete cases cannot be estimated: leave it
    # out and recompute the complete cases without it (until nothing changes)
    while True:
        complete = data.notna().all(axis=1)
        single = [n for n in data.columns if data.loc[complete, n].nunique() < 2]
        if not single:
            break
        for name in single:
            dropped[name] = "single level"
            set_missing.pop(name, None)
        data = data.drop(columns=single)

    kept: list[Covariate] = []
    for name in data.columns:
        counts = _observed_counts(data.loc[complete, name])
        by_size = sorted(counts.index, key=lambda level: (-int(counts[level]), str(level)))
        if name == "trajectory":
            order = group_order(counts.index.to_series(), trajectory_order)
        elif name == "cohort":
            order = group_order(counts.index.to_series(), cohort_order)
        elif name == "continent":
            order = [c for c in by_size if c != OTHER] + ([OTHER] if OTHER in counts.index else [])
        else:
            order = group_order(counts.index.to_series(), _DISPLAY_ORDER.get(name))
        order = [level for level in order if level in counts.index]
        if name == "cohort":
            preferred = order[0]
        elif name == "schooling" and SCHOOLING_POOLED in counts.index:
            preferred = SCHOOLING_POOLED
        else:
            preferred = _PREFERRED_REFERENCE.get(name)
        fallback = False
        if preferred in counts.index:
            reference = preferred
        else:
            reference = str(by_size[0])
            fallback = preferred is not None
        levels = [reference] + [level for level in order if level != reference]
        kept.append(
            Covariate(
                name=name,
                reference=reference,
                levels=levels,
                counts={level: int(counts[level]) for level in levels},
                pooled=pooled.get(name, {}),
                reference_fallback=fallback,
            )
        )
    if not len(data.columns):
        complete = pd.Series(True, index=data.index)
    n_missing = {name: k for name, k in n_missing.items() if name in data.columns}
    return PreparedCovariates(
        data=data,
        covariates=kept,
        complete=complete.astype(bool),
        n_missing=n_missing,
        dropped=dropped,
        set_missing=set_missing,
        min_level_size=min_level_size,
    )


def _as_categorical(series: pd.Series) -> pd.Series:
    """The values as text categories (missing stays missing), in sorted order."""
    codes, uniques = pd.factorize(series, sort=True)
    return pd.Series(pd.Categorical.from_codes(codes, [str(u) for u in uniques]), index=series.index)


def _recode(values: pd.Series, mapping: dict[str, str | None]) -> pd.Series:
    """Categorical values with categories renamed, merged (several to one) or set missing (None)."""
    new = [mapping.get(c, c) for c in values.cat.categories]
    categories = sorted({c for c in new if c is not None})
    position = {c: i for i, c in enumerate(categories)}
    lookup = np.array([position[c] if c is not None else -1 for c in new] + [-1])
    codes = lookup[values.cat.codes.to_numpy()]  # code -1 (missing) takes the last entry, -1
    return pd.Series(pd.Categorical.from_codes(codes, categories), index=values.index)


def _observed_counts(values: pd.Series) -> pd.Series:
    """Clients per value present, indexed by the plain text value."""
    counts = values.value_counts()
    counts = counts[counts > 0]
    counts.index = pd.Index([str(v) for v in counts.index], dtype=object)
    return counts


def _continents_to_pool(counts: pd.Series, min_level_size: int) -> list[str]:
    """Continents with fewer than `min_level_size` clients; when together they are still fewer,
    the next smallest continents join them (never the largest one)."""
    ascending = sorted(counts.index, key=lambda c: (int(counts[c]), str(c)))
    small = [c for c in ascending if counts[c] < min_level_size]
    if not small:
        return []
    for candidate in ascending[len(small):-1]:
        if sum(int(counts[c]) for c in small) >= min_level_size:
            break
        small.append(candidate)
    return small


def _nt2_sort_key(value: str) -> tuple[float, str]:
    try:
        return (float(value), value)
    except ValueError:
        return (0.5 if value == "<1.1" else -1.0, value)


_NOTES = {
    "reference": {
        "nl": "Referentiecategorieën: {items}.",
        "en": "Reference categories: {items}.",
    },
    "pooled": {
        "nl": "Groepering {var}: {items}.",
        "en": "Grouping of {var}: {items}.",
    },
    "set_missing": {
        "nl": "{var}: {level} ({n} cliënten, minder dan {min}) als ontbrekend behandeld.",
        "en": "{var}: {level} ({n} clients, fewer than {min}) treated as missing.",
    },
    "fallback": {
        "nl": "{var}: de gewone referentiecategorie komt niet voor; de grootste groep is referentie.",
        "en": "{var}: the usual reference category is absent; the largest group is the reference.",
    },
    "dropped_absent": {
        "nl": "{var} niet in het model: geen gegevens.",
        "en": "{var} not in the model: no data.",
    },
    "dropped_single": {
        "nl": "{var} niet in het model: slechts één categorie.",
        "en": "{var} not in the model: a single category.",
    },
    "excluded": {
        "nl": "N gebruikt: {used}; {excluded} cliënten weggelaten wegens ontbrekende waarden{detail}.",
        "en": "N used: {used}; {excluded} clients left out for missing values{detail}.",
    },
}


def covariate_notes(
    prepared: PreparedCovariates, language: str = "nl", *, n_used: int | None = None
) -> list[str]:
    """Sentences stating references, groupings, covariates left out and N left out."""
    def t(key: str, **fields: object) -> str:
        return _NOTES[key][language].format(**fields)

    notes = []
    refs = ", ".join(
        f"{covariate_label(c.name, language)} {level_label(c.reference, language)}"
        for c in prepared.covariates
    )
    notes.append(t("reference", items=refs))
    for cov in prepared.covariates:
        if cov.pooled:
            items = "; ".join(
                f"{level_label(new, language)} = "
                + ", ".join(str(level_label(v, language)) for v in old)
                for new, old in cov.pooled.items()
            )
            notes.append(t("pooled", var=covariate_label(cov.name, language), items=items))
        if cov.reference_fallback:
            notes.append(t("fallback", var=covariate_label(cov.name, language)))
    for name, levels in prepared.set_missing.items():
        for level, n in levels.items():
            notes.append(
                t(
                    "set_missing",
                    var=covariate_label(name, language),
                    level=level_label(level, language),
                    n=n,
                    min=prepared.min_level_size,
                )
            )
    for name, reason in prepared.dropped.items():
        key = "dropped_absent" if reason == "absent" else "dropped_single"
        notes.append(t(key, var=covariate_label(name, language)))
    used = prepared.n_complete if n_used is None else n_used
    parts = [
        f"{covariate_label(name, language)} {k}" for name, k in prepared.n_missing.items() if k
    ]
    detail = f" ({', '.join(parts)})" if parts else ""
    notes.append(t("excluded", used=used, excluded=prepared.n_total - used, detail=detail))
    return notes


# -- shared checks -----------------------------------------------------------------------
def _aligned(prepared: PreparedCovariates, series: Any, name: str) -> pd.Series:
    if isinstance(series, pd.Series):
        if not series.index.equals(prepared.data.index):
            raise ModelInputError(f"{name} is not aligned with the covariates (different index)")
        return series
    array = np.asarray(series)
    if len(array) != len(prepared.data):
        raise ModelInputError(f"{name} has {len(array)} values for {len(prepared.data)} clients")
    return pd.Series(array, index=prepared.data.index)


def _check_rank(design: pd.DataFrame, with_intercept: bool) -> None:
    # the distinct rows span the same space as all rows: a few hundred instead of a million
    matrix = design.drop_duplicates().to_numpy(dtype=float)
    if with_intercept:
        matrix = np.column_stack([np.ones(len(matrix)), matrix])
    if matrix.shape[1] == 0:
        return
    _q, r, pivot = scipy.linalg.qr(matrix, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    tol = diag.max() * max(matrix.shape) * np.finfo(float).eps if diag.size else 0
    rank = int((diag > tol).sum())
    if rank < matrix.shape[1]:
        names = (["(intercept)"] if with_intercept else []) + list(design.columns)
        culprits = [names[i] for i in pivot[rank:]]
        raise SingularDesignError(
            f"the dummy matrix has rank {rank} for {matrix.shape[1]} columns; collinear: "
            + ", ".join(culprits)
        )


def _drop_empty_columns(design: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    empty = [c for c in design.columns if not design[c].any()]
    return (design.drop(columns=empty) if empty else design), empty


def _level_table_rows(
    prepared: PreparedCovariates,
    rows_mask: pd.Series,
    outcome: pd.Series,
    estimates: dict[str, tuple[float, float, float, float]],
) -> list[dict[str, Any]]:
    """variable, level, reference, n, n_outcome, estimate, ci_low, ci_high, p per level."""
    out = []
    data = prepared.data.loc[rows_mask]
    y = outcome.loc[rows_mask]
    for cov in prepared.covariates:
        for level, column in zip(cov.levels, [None, *cov.dummy_columns], strict=True):
            in_level = data[cov.name] == level
            row = {
                "variable": cov.name,
                "level": level,
                "reference": column is None,
                "n": int(in_level.sum()),
                "n_outcome": int(y[in_level].sum()),
            }
            if column is None:
                row |= {"estimate": 1.0, "ci_low": None, "ci_high": None, "p": None}
            elif column in estimates:
                est, low, high, p = estimates[column]
                row |= {"estimate": est, "ci_low": low, "ci_high": high, "p": p}
            else:
                row |= {"estimate": None, "ci_low": None, "ci_high": None, "p": None}
            out.append(row)
    return out


def _check_levels_vary(
    prepared: PreparedCovariates, rows_mask: pd.Series, outcome: pd.Series, what: str,
    both_sides: bool,
) -> None:
    data = prepared.data.loc[rows_mask]
    y = outcome.loc[rows_mask].astype(bool)
    problems = []
    for cov in prepared.covariates:
        for level in cov.levels:
            in_level = data[cov.name] == level
            n, k = int(in_level.sum()), int(y[in_level].sum())
            if n and (k == 0 or (both_sides and k == n)):
                problems.append(f"{cov.name}={level} ({k} {what} among {n} clients)")
    if problems:
        raise SeparationError(
            "estimate would be infinite for "
            + "; ".join(problems)
            + ". Pool the category with a neighbouring one or leave the covariate out."
        )


# -- Cox -----------------------------------------------------------------------------------
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

    def fit(
        self, prepared: PreparedCovariates, durations: Any, events: Any
    ) -> CoxModel:
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
        fitted = fitter._predicted_partial_hazards_  # T, E, P of the clients used, as lifelines keeps them
        self.concordance_ = concordance_index(fitted["T"].to_numpy(), -fitted["P"].to_numpy(),
                                              fitted["E"].to_numpy())
        self.params_ = fitter.params_.copy()

        s = fitter.summary
        lo, hi = f"exp(coef) lower {1 - self.alpha:.0%}", f"exp(coef) upper {1 - self.alpha:.0%}"
        estimates = {
            c: (float(s.at[c, "exp(coef)"]), float(s.at[c, lo]), float(s.at[c, hi]),
                float(s.at[c, "p"]))
            for c in s.index
        }
        rows = _level_table_rows(prepared, usable, events, estimates)
        self.hazard_ratios_ = pd.DataFrame(rows).rename(
            columns={"n_outcome": "events", "estimate": "hr"}
        )

        residuals = scaled_schoenfeld_residuals(fitter, frame[columns], frame["_duration"], frame["_event"])
        ph = proportional_hazard_test(fitter, frame, time_transform="rank", precomputed_residuals=residuals).summary
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
        return self


def concordance_index(durations: Any, scores: Any, events: Any, *, max_cells: int = 50_000_000) -> float:
    """Harrell's C exactly as lifelines' `concordance_index` counts it, vectorised.

    A pair is comparable when the shorter time is an event (a client censored at the time of an
    event is compared with it); tied scores count one half. lifelines walks the clients one by
    one through a binary tree (4-5 s for a million); here each distinct event time updates a
    histogram of the distinct event scores at once: O(times x scores + n). When that grid would
    exceed `max_cells` (nearly continuous times and scores) lifelines' own count is used."""
    from lifelines.utils.concordance import _concordance_ratio, _concordance_summary_statistics

    t = np.asarray(durations, dtype=float)
    s = np.asarray(scores, dtype=float)
    e = np.asarray(events).astype(bool)
    died_times = np.unique(t[e])
    levels = np.unique(s[e])
    if len(died_times) * (len(levels) + 1) > max_cells:
        return float(_concordance_ratio(*_concordance_summary_statistics(t, s, e)))
    if not len(levels):
        return float(_concordance_ratio(0, 0, 0))
    below = np.searchsorted(levels, s, side="left")  # distinct event scores lower than s
    at = np.minimum(below, len(levels) - 1)
    tie = levels[at] == s
    # the pool a client is compared with: events strictly before it (an event) or up to and
    # including its time (censored); `stage` counts the event times in that pool
    stage = np.where(e, np.searchsorted(died_times, t, side="left"), np.searchsorted(died_times, t, side="right"))
    event_stage = np.searchsorted(died_times, t[e], side="left")
    event_level = np.searchsorted(levels, s[e], side="left")
    order_q, order_e = np.argsort(stage, kind="stable"), np.argsort(event_stage, kind="stable")
    q_bounds = np.searchsorted(stage[order_q], np.arange(len(died_times) + 1), side="left")
    e_bounds = np.searchsorted(event_stage[order_e], np.arange(len(died_times) + 1), side="left")
    hist = np.zeros(len(levels), dtype=np.int64)
    pooled = correct = tied = pairs = 0
    q_end = len(order_q)
    for g in range(len(died_times) + 1):
        stop = q_bounds[g + 1] if g < len(died_times) else q_end
        queries = order_q[q_bounds[g]:stop]
        if len(queries):
            below_counts = np.concatenate([[0], np.cumsum(hist)])
            correct += int(below_counts[below[queries]].sum())
            tied += int(np.where(tie[queries], hist[at[queries]], 0).sum())
            pairs += pooled * len(queries)
        if g < len(died_times):
            adding = event_level[order_e[e_bounds[g]:e_bounds[g + 1]]]
            hist += np.bincount(adding, minlength=len(levels))
            pooled += len(adding)
    return float(_concordance_ratio(correct, tied, pairs))


def scaled_schoenfeld_residuals(fitter, design: pd.DataFrame, durations: pd.Series, events: pd.Series) -> pd.DataFrame:
    """Scaled Schoenfeld residuals (Efron ties) of a fitted lifelines CoxPHFitter, vectorised.

    The same numbers as lifelines' `compute_residuals(kind="scaled_schoenfeld")`, whose
    row-by-row loop with `np.append` is quadratic in the number of clients. Rows follow the
    order of `fitter.durations` among the events, as `proportional_hazard_test` expects."""
    x = design[fitter.params_.index].to_numpy(dtype=float)
    beta = fitter.params_.to_numpy(dtype=float)
    t = durations.to_numpy(dtype=float)
    e = events.to_numpy(dtype=bool)
    phi = np.exp(x @ beta - (x @ beta).max())  # a common factor cancels in every ratio below
    times, group = np.unique(t, return_inverse=True)
    n_groups, d = len(times), x.shape[1]
    sum_phi = np.bincount(group, weights=phi, minlength=n_groups)
    sum_phix = np.stack([np.bincount(group, weights=phi * x[:, j], minlength=n_groups) for j in range(d)], axis=1)
    tie_phi = np.bincount(group, weights=phi * e, minlength=n_groups)
    tie_phix = np.stack([np.bincount(group, weights=phi * e * x[:, j], minlength=n_groups) for j in range(d)], axis=1)
    deaths = np.bincount(group, weights=e.astype(float), minlength=n_groups)
    risk_phi = np.cumsum(sum_phi[::-1])[::-1]
    risk_phix = np.cumsum(sum_phix[::-1], axis=0)[::-1]
    weighted_mean = np.zeros((n_groups, d))
    for step in range(int(deaths.max()) if len(deaths) else 0):
        active = deaths > step
        frac = step / deaths[active]
        numer = risk_phix[active] - frac[:, None] * tie_phix[active]
        denom = risk_phi[active] - frac * tie_phi[active]
        weighted_mean[active] += numer / (denom * deaths[active])[:, None]
    residuals = pd.DataFrame(x - weighted_mean[group], index=design.index, columns=fitter.params_.index)
    n_deaths = int(e.sum())
    scaled = n_deaths * residuals[e].dot(fitter.variance_matrix_)
    scaled.columns = fitter.params_.index
    order = fitter.durations.index[fitter.event_observed.to_numpy(dtype=bool)]
    return scaled.loc[order]


# -- logistic regression ---------------------------------------------------------------------
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
                result = sm.GLM(y[design.index].astype(float), exog, family=sm.families.Binomial(),
                                freq_weights=weights[design.index].to_numpy(dtype=float)).fit(
                    method="newton", maxiter=self.maxiter, disp=0)
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


def _patterns(prepared: PreparedCovariates, usable: pd.Series, outcome: pd.Series) -> tuple[pd.Series, pd.Series]:
    """One client per distinct (covariates, outcome) among the usable rows, and the number of
    clients each stands for: (mask of those rows, counts indexed like the rows)."""
    data = prepared.data.loc[usable]
    keys = pd.DataFrame({name: data[name].cat.codes.to_numpy() for name in data.columns}, index=data.index)
    keys["_outcome"] = outcome.loc[usable].to_numpy(dtype=bool)
    group = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(group))).groupby(group).first().to_numpy()
    counts = np.bincount(group)
    index = data.index[first]
    mask = pd.Series(False, index=prepared.data.index)
    mask.loc[index] = True
    return mask, pd.Series(counts, index=index)


# -- forest plot -----------------------------------------------------------------------------
_FOREST_TEXT = {
    "hr": {"nl": "Hazard ratio (95%-BI, log-schaal)", "en": "Hazard ratio (95% CI, log scale)"},
    "odds_ratio": {"nl": "Odds ratio (95%-BI, log-schaal)", "en": "Odds ratio (95% CI, log scale)"},
    "ref": {"nl": "referentie", "en": "reference"},
}


def plot_forest(
    table: pd.DataFrame,
    ax=None,
    language: str = "nl",
    title: str | None = None,
    *,
    estimate: str = "hr",
):
    """Forest plot of a `hazard_ratios_` (estimate "hr") or `odds_ratios_` table ("odds_ratio").

    One line per level, grouped by covariate, reference levels marked; log x axis with a line
    at 1. Returns the Axes (a new Agg figure when `ax` is None)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    if language not in ("nl", "en"):
        raise ValueError(f"language must be 'nl' or 'en', not {language!r}")
    rows = table.reset_index(drop=True)
    if ax is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(8.5, 1.2 + 0.27 * (len(rows) + rows["variable"].nunique())))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(111)
    labels, ys, y = [], [], 0.0
    previous = None
    for _, row in rows.iterrows():
        if row["variable"] != previous:
            labels.append((y, f"{covariate_label(row['variable'], language)}", True))
            y += 1
            previous = row["variable"]
        level = str(level_label(row["level"], language))
        if row["reference"]:
            level += f" ({_FOREST_TEXT['ref'][language]})"
        labels.append((y, level, False))
        ys.append(y)
        y += 1
    values = rows[estimate].astype(float).to_numpy()
    low = rows["ci_low"].astype(float).to_numpy()
    high = rows["ci_high"].astype(float).to_numpy()
    ys = np.asarray(ys)
    has_ci = ~np.isnan(low)
    ax.errorbar(
        values[has_ci], ys[has_ci],
        xerr=[values[has_ci] - low[has_ci], high[has_ci] - values[has_ci]],
        fmt="s", color="C0", ecolor="C0", markersize=5, capsize=2, linewidth=1.2,
    )
    ref = rows["reference"].to_numpy(dtype=bool)
    ax.plot(values[ref], ys[ref], "o", markerfacecolor="white", color="0.4", markersize=5)
    ax.axvline(1.0, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    finite = np.concatenate([values, low[has_ci], high[has_ci]])
    finite = finite[np.isfinite(finite) & (finite > 0)]
    lo_lim, hi_lim = float(finite.min()) / 1.15, float(finite.max()) * 1.15
    ax.set_xlim(lo_lim, hi_lim)
    candidates = [0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 50]
    ax.xaxis.set_major_locator(FixedLocator([c for c in candidates if lo_lim <= c <= hi_lim]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
    ax.xaxis.set_minor_locator(NullLocator())
    for value, lower, upper, yy, is_ref in zip(values, low, high, ys, ref, strict=True):
        text = (
            _FOREST_TEXT["ref"][language]
            if is_ref
            else f"{value:.2f} ({lower:.2f}-{upper:.2f})" if np.isfinite(lower) else ""
        )
        if language == "nl":
            text = text.replace(".", ",")
        ax.annotate(text, xy=(1.01, yy), xycoords=("axes fraction", "data"),
                    va="center", ha="left", fontsize=8.5, color="0.25")
    ax.set_yticks([p for p, _t, _h in labels], [t for _p, t, _h in labels])
    for tick, (_p, _t, header) in zip(ax.get_yticklabels(), labels, strict=True):
        tick.set_fontweight("bold" if header else "normal")
    ax.set_ylim(y - 0.5, -0.5)
    ax.set_xlabel(_FOREST_TEXT[estimate][language])
    ax.grid(True, axis="x", color="0.9", which="major")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, loc="left")
    return ax
