"""The covariates of the adjusted models (Cox in `survival.cox`, logistic in `survival.logit`,
their forest plot in `survival.forest`), and the models' named errors.

Covariates are categorical and enter as dummies against a stated reference category
(`prepare_covariates`). Small categories are grouped by fixed, stated rules so that every
level has enough clients; clients with a missing value on any covariate are left out
(complete-case analysis) and counted. The models are thin objects around lifelines'
CoxPHFitter (Efron ties) and statsmodels' binomial GLM (on a dummy matrix, not a formula), with the
fitted results in attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.stats

from cob_analysis.i18n import text
from cob_analysis.labels import value_label, variable_label
from cob_analysis.survival.timing import group_order

__all__ = [
    "COVARIATES",
    "Covariate",
    "ModelError",
    "ModelFitError",
    "ModelInputError",
    "PreparedCovariates",
    "SeparationError",
    "SingularDesignError",
    "covariate_notes",
    "level_label",
    "nt2_group",
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
        raise ModelInputError(
            f"NT2 level {value!r} is not a level like 0, <1.1, 1.1 ... 4.4"
        ) from exc
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
    return pd.Series(
        pd.Categorical.from_codes(codes, [str(u) for u in uniques]), index=series.index
    )


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
    for candidate in ascending[len(small) : -1]:
        if sum(int(counts[c]) for c in small) >= min_level_size:
            break
        small.append(candidate)
    return small


def _nt2_sort_key(value: str) -> tuple[float, str]:
    try:
        return (float(value), value)
    except ValueError:
        return (0.5 if value == "<1.1" else -1.0, value)


def covariate_notes(
    prepared: PreparedCovariates, language: str = "nl", *, n_used: int | None = None
) -> list[str]:
    """Sentences stating references, groupings, covariates left out and N left out."""

    def t(key: str, **fields: object) -> str:
        return text(f"model.{key}", language, **fields)

    notes = []
    refs = ", ".join(
        f"{variable_label(c.name, language)} {level_label(c.reference, language)}"
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
            notes.append(t("pooled", var=variable_label(cov.name, language), items=items))
        if cov.reference_fallback:
            notes.append(t("fallback", var=variable_label(cov.name, language)))
    for name, levels in prepared.set_missing.items():
        for level, n in levels.items():
            notes.append(
                t(
                    "set_missing",
                    var=variable_label(name, language),
                    level=level_label(level, language),
                    n=n,
                    min=prepared.min_level_size,
                )
            )
    for name, reason in prepared.dropped.items():
        key = "dropped_absent" if reason == "absent" else "dropped_single"
        notes.append(t(key, var=variable_label(name, language)))
    used = prepared.n_complete if n_used is None else n_used
    parts = [f"{variable_label(name, language)} {k}" for name, k in prepared.n_missing.items() if k]
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
    prepared: PreparedCovariates,
    rows_mask: pd.Series,
    outcome: pd.Series,
    what: str,
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
