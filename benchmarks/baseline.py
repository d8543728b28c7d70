#!/usr/bin/env python
"""The core work of the workflow as one plain pandas script: the benchmark's baseline.

    COB_PSEUDO_KEY=... python benchmarks/baseline.py --config <run>/config.yaml --out <dir>

What an analyst would write by hand, vectorised, with pandas, numpy, scipy, lifelines and
statsmodels, and without the project's package: it reads the exports named in the config (the
same YAML the workflow reads), checks them as ingest does (required columns, INSZ check digits,
dates, known values and codes), pseudonymises every distinct INSZ with HMAC-SHA256 (the first
8 bytes as a signed 64-bit integer, key from the environment), links the clients with their
art. 60 contracts, TWE trajectories and VDAB snapshots, recodes the VDAB codes with the recoding
table, and computes:

- the report's cross-tabs (counts; Pearson chi-square with scipy.stats.chi2_contingency);
- days from intake to the first art. 60 start (n, mean, median per cohort and trajectory);
- Kaplan-Meier of the time to a first art. 60 per cohort and per trajectory (lifelines), the
  log-rank test over the groups, a Cox model (CoxPHFitter, Efron ties) and a logit of work at
  the reference date (statsmodels GLM on a dummy matrix), both on the project's categorical
  covariates and reference categories;
- on all clients: status by months since intake per cohort, month-to-month transitions and
  durable work (config `durable_work`).

Tables go to `--out` as CSV; the wall time is printed at the end. Any input problem stops the
script with a message (the policies of the benchmark's config are all `error`).
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

T0 = time.perf_counter()

WORK, NO_WORK, UNKNOWN = "Werk", "Geen werk", "Onbekend"
NO_WORK_OR_UNKNOWN = "Geen werk of onbekend"
DEREGISTERED = "Uitgeschreven"
TOTAL = "Totaal"
DAYS_PER_MONTH = 365.25 / 12
MIN_LEVEL = 10  # smaller covariate levels are pooled or set missing, as in the project's models

REQUIRED = {
    "clients": [
        "client_id",
        "intake_date",
        "trajectory",
        "gender",
        "birth_date",
        "nationality",
        "household",
        "nt2_level",
        "schooling",
    ],
    "art60": ["client_id", "start_date", "end_date", "employer"],
    "twe": ["client_id", "start_date", "end_date", "result"],
    "vdab": ["client_id", "reference_date", "status_code"],
}
OPTIONAL = {"clients": ["country_of_birth", "continent"]}
DATES = {
    "clients": ["intake_date", "birth_date"],
    "art60": ["start_date", "end_date"],
    "twe": ["start_date", "end_date"],
    "vdab": ["reference_date"],
}
NOT_NULL_DATES = {"intake_date", "start_date", "reference_date"}
# column -> (key in the config's `values`, the canonical values)
CATEGORIES = {
    "trajectory": ("trajectory", ["VDAB", "SD/Activering", "Lineair", "Jongerenproject (ESF)"]),
    "gender": ("gender", ["Man", "Vrouw"]),
    "household": (
        "household",
        ["Aanvragers met gezin ten laste", "Alleenstaande", "Onbekend", "Samenwoner"],
    ),
    "schooling": ("schooling", ["Geen", "Laag", "Midden", "Hoog"]),
    "nt2_level": (
        "nt2_level",
        [
            "0",
            "<1.1",
            "1.1",
            "1.2",
            "2.1",
            "2.2",
            "2.3",
            "2.4",
            "3.1",
            "3.2",
            "3.3",
            "3.4",
            "4.1",
            "4.2",
            "4.3",
            "4.4",
        ],
    ),
    "result": ("twe_result", ["Geen werk", "NEC", "NEC in SE-bedrijf", "SEC"]),
}
AGE_GROUPS = ["18-24j", "25-30j", "30+"]

# the report's cross-tabs: id, row variable, column variable
CROSSTABS = [
    ("t05_cohort_work", "cohort", "work"),
    ("t06_trajectory_work", "trajectory", "work"),
    ("t11_gender_work", "gender", "work"),
    ("t12_gender_household", "household", "gender"),
    ("t13_household_work", "household", "work"),
    ("t14_nt2_work", "nt2_level", "work"),
    ("t15_agegroup_work", "age_group", "work"),
    ("t16_schooling_work", "schooling", "work"),
]


def fail(message: str) -> None:
    sys.exit(f"baseline: {message}")


# --------------------------------------------------------------------------------------------
# Ingest
# --------------------------------------------------------------------------------------------
def read_export(path: Path, columns: list[str]) -> pd.DataFrame:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        present = pq.read_schema(path).names
        missing = [c for c in columns if c not in present]
        if missing:
            fail(f"{path}: missing required columns {missing}")
        return pd.read_parquet(path, columns=columns)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        fail(f"{path}: missing required columns {missing}")
    return frame[columns]


def clean(values: pd.Series) -> pd.Series:
    """Trimmed text, blanks as missing (per distinct value)."""
    codes, uniques = pd.factorize(values)
    text = pd.Series(uniques, dtype=object).astype(str).str.strip()
    text[text.isin(["", "nan", "None", "NaN", "NaT", "<NA>"])] = None
    return pd.Series(np.append(text.to_numpy(object), None)[codes], index=values.index)


def parse_dates(values: pd.Series, date_format: str | None, what: str) -> pd.Series:
    first = values.dropna().iloc[0] if values.notna().any() else None
    if not pd.api.types.is_object_dtype(values) or (
        first is not None and not isinstance(first, str)
    ):
        return pd.to_datetime(values)  # native dates (Parquet date32, spreadsheet dates)
    text = clean(values)
    # the configured format (ISO dates among them are accepted too), else the usual ones in turn
    formats = (
        [date_format, "%Y-%m-%d"]
        if date_format
        else [
            "%Y-%m-%d",
            "%d/%m/%Y",
            "%d-%m-%Y",
            "%d.%m.%Y",
            "%Y-%m-%d %H:%M:%S",
            "%d/%m/%Y %H:%M:%S",
        ]
    )
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = parsed.isna() & text.notna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    bad = (text.notna() & parsed.isna()) | (parsed.dt.year < 1900) | (parsed.dt.year > 2100)
    if bad.any():
        fail(f"{what}: {int(bad.sum())} unparseable or implausible dates")
    return parsed


def pseudonymise(ids: pd.Series, key: bytes, what: str) -> pd.Series:
    """Normalise, check (mod 97) and pseudonymise each distinct INSZ once."""
    codes, uniques = pd.factorize(ids)
    raw = pd.Series(uniques, dtype=object).astype(str).str.strip()
    norm = raw.str.replace(r"^(\d+)\.0$", r"\1", regex=True).str.replace(
        r"[\s.\-/]", "", regex=True
    )
    short = norm.str.fullmatch(r"\d{1,10}")
    norm[short] = norm[short].str.zfill(11)
    well_formed = norm.str.fullmatch(r"\d{11}")
    first_nine = pd.to_numeric(norm.str.slice(0, 9).where(well_formed), errors="coerce")
    check = pd.to_numeric(norm.str.slice(9, 11).where(well_formed), errors="coerce")
    valid = well_formed & (
        (check == 97 - first_nine % 97) | (check == 97 - (2_000_000_000 + first_nine) % 97)
    )
    if (codes < 0).any() or not valid.all():
        fail(
            f"{what}: {int((codes < 0).sum()) + int((~valid).sum())} empty or invalid national register numbers"
        )
    pseudonyms = np.array(
        [
            int.from_bytes(hmac.digest(key, s.encode("utf-8"), "sha256")[:8], "big", signed=True)
            for s in norm
        ],
        dtype=np.int64,
    )
    if len(np.unique(pseudonyms)) != len(set(norm)):
        fail(f"{what}: two national register numbers share a pseudonym")
    return pd.Series(pseudonyms[codes], index=ids.index)


def categorical(values: pd.Series, column: str, config: dict, what: str) -> pd.Series:
    key, canonical = CATEGORIES.get(column, (column, None))
    text = clean(values)
    mapping = {str(k).strip(): v for k, v in (config["values"].get(key) or {}).items()}
    mapping.update({v: v for v in canonical or [] if v not in mapping})
    if not mapping:
        return text
    mapped = text.map(mapping)
    unknown = text.notna() & ~text.isin(list(mapping))
    if unknown.any():
        fail(f"{what}: unknown values {sorted(text[unknown].unique())[:5]}")
    return mapped.where(text.notna(), None)


def ingest(export: str, config: dict, key: bytes) -> pd.DataFrame:
    cfg = config["exports"][export]
    path = Path(cfg["path"])
    names = {
        c: raw
        for c, raw in cfg["columns"].items()
        if c in REQUIRED[export] + OPTIONAL.get(export, [])
    }
    missing = [c for c in REQUIRED[export] if c not in names]
    if missing:
        fail(f"config exports.{export}.columns lacks {missing}")
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        present = set(pq.read_schema(path).names)
    else:
        present = None
    wanted = [
        raw
        for c, raw in names.items()
        if c in REQUIRED[export] or present is None or raw in present
    ]
    raw = read_export(path, wanted)
    frame = pd.DataFrame({"source_row": np.arange(1, len(raw) + 1)})
    what = f"{export} ({path.name})"
    for column, header in names.items():
        if header not in raw.columns:
            continue
        values = raw[header].reset_index(drop=True)
        if column == "client_id":
            frame["client_key"] = pseudonymise(values, key, what)
        elif column in DATES[export]:
            frame[column] = parse_dates(values, cfg.get("date_format"), f"{what} {header}")
            if column in NOT_NULL_DATES and frame[column].isna().any():
                fail(f"{what} {header}: {int(frame[column].isna().sum())} empty dates")
        elif column == "status_code":
            codes = pd.to_numeric(clean(values).str.replace(",", ".", regex=False), errors="coerce")
            if codes.isna().any() or (codes != codes.round()).any():
                fail(f"{what} {header}: status codes that are not whole numbers")
            frame[column] = codes.astype("int64")
        elif column in CATEGORIES or column == "continent":
            frame[column] = categorical(values, column, config, f"{what} {header}")
        else:
            frame[column] = clean(values)
    if export == "clients":
        if frame["trajectory"].isna().any():
            fail(f"{what}: empty trajectory")
        intake, birth = frame["intake_date"], frame["birth_date"]
        before_birthday = (intake.dt.month * 100 + intake.dt.day) < (
            birth.dt.month * 100 + birth.dt.day
        )
        frame["age_at_intake"] = (
            intake.dt.year - birth.dt.year - before_birthday.astype(int)
        ).astype("Int64")
        if (frame["age_at_intake"] < 15).any():
            fail(f"{what}: birth dates younger than 15 at intake")
    if export in ("art60", "twe") and (frame["end_date"] < frame["start_date"]).any():
        fail(f"{what}: end date before start date")
    return frame


# --------------------------------------------------------------------------------------------
# Link
# --------------------------------------------------------------------------------------------
def cohort_of(dates: pd.Series, kind: str) -> pd.Series:
    year = dates.dt.year.astype(str)
    if kind == "half-year":
        return (
            pd.Series(np.where(dates.dt.month <= 6, "Voorjaar ", "Najaar "), index=dates.index)
            + year
        )
    if kind == "quarter":
        return year + "-Q" + dates.dt.quarter.astype(str)
    return year


def cohort_sort_key(label: str) -> tuple:
    parts = label.split(" ")
    if len(parts) == 2:
        return (parts[1], 0 if parts[0] == "Voorjaar" else 1)
    return (label, 0)


def link(exports: dict[str, pd.DataFrame], config: dict, recode: pd.DataFrame) -> dict:
    window_from = pd.Timestamp(config["intake_window"]["from"])
    window_to = pd.Timestamp(config["intake_window"]["to"])
    intakes = exports["clients"]
    in_window = intakes["intake_date"].between(window_from, window_to)
    ranked = intakes[in_window].sort_values(["intake_date", "source_row"])
    first = ranked.drop_duplicates("client_key")
    pop_keys = set(first["client_key"])
    accounting = [
        {
            "export": "clients",
            "rows_read": len(intakes),
            "linked": len(first),
            "unmatched": 0,
            "duplicate": int(in_window.sum()) - len(first),
            "out_of_window": int((~in_window).sum()),
        }
    ]
    if accounting[0]["duplicate"] and config["policies"]["duplicate_intakes"] == "error":
        fail("more than one intake of the same person in the window")
    oow_keys = set(intakes["client_key"]) - pop_keys

    def classify(frame: pd.DataFrame, export: str, dedup: list[str]) -> pd.Series:
        cls = np.where(
            frame["client_key"].isin(pop_keys),
            "linked",
            np.where(frame["client_key"].isin(oow_keys), "out_of_window", "unmatched"),
        )
        cls = pd.Series(cls, index=frame.index)
        cls[frame.sort_values("source_row").duplicated(dedup).reindex(frame.index)] = "duplicate"
        counts = cls.value_counts()
        accounting.append(
            {
                "export": export,
                "rows_read": len(frame),
                **{
                    c: int(counts.get(c, 0))
                    for c in ("linked", "unmatched", "duplicate", "out_of_window")
                },
            }
        )
        return cls

    vdab = exports["vdab"]
    vdab_class = classify(vdab, "vdab", ["client_key", "reference_date", "status_code"])
    distinct = vdab[vdab_class != "duplicate"]
    if distinct.duplicated(["client_key", "reference_date"]).any():
        fail("two different status codes for one person and reference date")
    codes = recode.set_index("code")
    unknown = sorted(set(vdab["status_code"]) - set(codes.index))
    if unknown and config["policies"]["unknown_codes"] == "error":
        fail(f"VDAB status codes missing from the recoding table: {unknown}")
    panel = vdab.loc[vdab_class == "linked", ["client_key", "reference_date", "status_code"]].copy()
    panel["work_status"] = panel["status_code"].map(codes["work_status"]).fillna(UNKNOWN)
    panel["status_category"] = panel["status_code"].map(codes["category"])

    reference_date = (
        pd.Timestamp(config["reference_date"])
        if config.get("reference_date")
        else panel["reference_date"].max()
    )
    if not (panel["reference_date"] == reference_date).any():
        fail(f"no VDAB status of any client at the reference date {reference_date.date()}")
    obs_end = pd.Timestamp(config.get("observation_end") or reference_date)
    clients = first.sort_values(["intake_date", "client_key"]).reset_index(drop=True)
    if (clients["intake_date"] > obs_end).any():
        fail("intake after the observation end")

    art60 = exports["art60"]
    art60_class = classify(art60, "art60", ["client_key", "start_date", "end_date", "employer"])
    art60 = art60[art60_class == "linked"].merge(
        clients[["client_key", "intake_date"]], on="client_key"
    )
    if (art60["start_date"] < art60["intake_date"]).any():
        fail("art. 60 contract starts before the client's intake")
    observed = art60[art60["start_date"] <= obs_end]
    last = (
        observed.assign(_end=observed["end_date"].fillna(pd.Timestamp("2262-01-01")))
        .sort_values(["client_key", "start_date", "_end", "source_row"])
        .groupby("client_key")
        .tail(1)
    )
    per_client = observed.groupby("client_key").agg(
        art60_first_start=("start_date", "min"), art60_count=("start_date", "size")
    )
    per_client["art60_last_employer"] = last.set_index("client_key")["employer"]

    twe = exports["twe"]
    twe_class = classify(twe, "twe", ["client_key", "start_date", "end_date", "result"])
    twe_last = (
        twe[twe_class == "linked"]
        .sort_values(["client_key", "start_date", "source_row"])
        .groupby("client_key")
        .tail(1)
        .set_index("client_key")
    )

    status = panel[panel["reference_date"] == reference_date].set_index("client_key")
    clients = clients.join(per_client, on="client_key")
    clients["art60_started"] = clients["art60_first_start"].notna()
    clients["art60_count"] = clients["art60_count"].fillna(0).astype(int)
    clients["days_to_art60"] = (clients["art60_first_start"] - clients["intake_date"]).dt.days
    clients["twe_last_end"] = clients["client_key"].map(twe_last["end_date"])
    clients["twe_last_result"] = clients["client_key"].map(twe_last["result"])
    clients["status_code"] = clients["client_key"].map(status["status_code"]).astype("Int64")
    clients["work_status"] = clients["client_key"].map(status["work_status"]).fillna(UNKNOWN)
    clients["work"] = np.where(clients["work_status"] == WORK, WORK, NO_WORK_OR_UNKNOWN)
    clients["cohort"] = cohort_of(clients["intake_date"], config["cohort"])
    age = clients["age_at_intake"].astype(float)
    clients["age_group"] = pd.Series(
        np.select(
            [(age >= 18) & (age < 25), (age >= 25) & (age <= 30), age >= 31],
            AGE_GROUPS,
            default=None,
        ),
        index=clients.index,
    ).where(age.notna(), None)
    return {
        "clients": clients,
        "panel": panel,
        "accounting": pd.DataFrame(accounting),
        "reference_date": reference_date,
        "observation_end": obs_end,
    }


# --------------------------------------------------------------------------------------------
# Tables and models
# --------------------------------------------------------------------------------------------
def crosstabs(
    clients: pd.DataFrame, config: dict, cohorts: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from scipy.stats import chi2_contingency

    orders = {
        "cohort": cohorts,
        "work": [NO_WORK_OR_UNKNOWN, WORK],
        "age_group": AGE_GROUPS,
        **{c: levels for c, (_, levels) in CATEGORIES.items()},
    }
    missing_label = config["missing_label"]["nl"]
    long, tests = [], []
    for table, row_var, col_var in CROSSTABS:
        rows = clients[row_var]
        if config["missing"].get(row_var, "exclude") == "show":
            rows = rows.fillna(missing_label)
        counts = pd.crosstab(rows, clients[col_var])  # missing values are left out
        order = [missing_label] * (missing_label in counts.index) + [
            v for v in orders.get(row_var, []) if v in counts.index
        ]
        counts = counts.reindex(order + sorted(set(counts.index) - set(order)))
        counts = counts.reindex(columns=[c for c in orders[col_var] if c in counts.columns])
        nonempty = counts.loc[counts.sum(axis=1) > 0, counts.sum(axis=0) > 0]
        chi2, p, dof, _ = chi2_contingency(nonempty.to_numpy(), correction=False)
        tests.append(
            {"table": table, "chi2": chi2, "df": dof, "p": p, "n": int(counts.to_numpy().sum())}
        )
        stacked = counts.stack().rename("n").reset_index()
        stacked.columns = ["row", "col", "n"]
        long.append(stacked.assign(table=table)[["table", "row", "col", "n"]])
    return pd.concat(long, ignore_index=True), pd.DataFrame(tests)


def art60_timing(clients: pd.DataFrame, cohorts: list[str]) -> pd.DataFrame:
    started = clients[clients["art60_started"]]
    out = []
    for var in ("cohort", "trajectory"):
        stats = started.groupby(var)["days_to_art60"].agg(["size", "mean", "median"])
        stats = stats.reindex(
            [
                g
                for g in (cohorts if var == "cohort" else CATEGORIES["trajectory"][1])
                if g in stats.index
            ]
        )
        out.append(
            stats.rename(columns={"size": "n", "mean": "mean_days", "median": "median_days"})
            .reset_index(names="group")
            .assign(group_var=var)
        )
    return pd.concat(out, ignore_index=True)[
        ["group_var", "group", "n", "mean_days", "median_days"]
    ]


def time_to_event(clients: pd.DataFrame, obs_end: pd.Timestamp) -> pd.DataFrame:
    event = clients["art60_first_start"].notna() & (clients["art60_first_start"] <= obs_end)
    stop = clients["art60_first_start"].where(event, obs_end)
    return pd.DataFrame(
        {"duration": (stop - clients["intake_date"]).dt.days.astype(float), "event": event}
    )


def kaplan_meier(
    clients: pd.DataFrame, tte: pd.DataFrame, cohorts: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test

    summary, tests = [], []
    for var in ("cohort", "trajectory"):
        groups = clients[var]
        order = cohorts if var == "cohort" else CATEGORIES["trajectory"][1]
        for group in [g for g in order if (groups == g).any()]:
            mask = groups == group
            km = KaplanMeierFitter().fit(tte.loc[mask, "duration"], tte.loc[mask, "event"])
            followup = tte.loc[mask, "duration"].max()
            row = {
                "group_var": var,
                "group": group,
                "n": int(mask.sum()),
                "events": int(tte.loc[mask, "event"].sum()),
                "median_days": km.median_survival_time_
                if np.isfinite(km.median_survival_time_)
                else None,
            }
            for months in (6, 12, 24):
                t = months * DAYS_PER_MONTH
                row[f"pct_started_{months}m"] = (
                    100 * float(1 - km.survival_function_at_times(t).iloc[0])
                    if t <= followup
                    else None
                )
            summary.append(row)
        known = groups.notna()
        test = multivariate_logrank_test(
            tte.loc[known, "duration"], groups[known], tte.loc[known, "event"]
        )
        tests.append(
            {
                "variable": var,
                "statistic": test.test_statistic,
                "df": test.degrees_of_freedom,
                "p": test.p_value,
            }
        )
    return pd.DataFrame(summary), pd.DataFrame(tests)


def covariates(clients: pd.DataFrame, cohorts: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """The project's covariates as dummies against their reference categories (complete cases)."""
    data = pd.DataFrame(index=clients.index)
    data["trajectory"] = clients["trajectory"]
    data["gender"] = clients["gender"]
    data["age_group"] = clients["age_group"]
    household = clients["household"].copy()
    if 0 < (household == "Onbekend").sum() < MIN_LEVEL:
        household[household == "Onbekend"] = None
    data["household"] = household
    schooling = clients["schooling"].copy()
    pooled_schooling = 0 < (schooling == "Geen").sum() < MIN_LEVEL
    if pooled_schooling:
        schooling[schooling.isin(["Geen", "Laag"])] = "Geen of laag"
    data["schooling"] = schooling
    level = pd.to_numeric(clients["nt2_level"].str.replace(",", ".", regex=False), errors="coerce")
    data["nt2_level"] = pd.Series(
        np.select(
            [clients["nt2_level"].isin(["0", "<1.1"]) | (level < 1), level < 2, level >= 2],
            ["0 of <1.1", "1.x", "2.x en hoger"],
            default=None,
        ),
        index=clients.index,
    ).where(clients["nt2_level"].notna(), None)
    continent = clients["continent"].copy()
    counts = continent.value_counts()
    ascending = sorted(counts.index, key=lambda c: (counts[c], c))
    small = [c for c in ascending if counts[c] < MIN_LEVEL]
    if small:
        for candidate in ascending[len(small) : -1]:
            if counts[small].sum() >= MIN_LEVEL:
                break
            small.append(candidate)
        continent[continent.isin(small)] = "Overige"
        if (continent == "Overige").sum() < MIN_LEVEL:
            continent[continent == "Overige"] = None
    data["continent"] = continent
    data["cohort"] = clients["cohort"]
    while True:  # a covariate with one level among the complete cases cannot be estimated
        complete = data.notna().all(axis=1)
        single = [c for c in data.columns if data.loc[complete, c].nunique() < 2]
        if not single:
            break
        data = data.drop(columns=single)
    references = {
        "trajectory": "VDAB",
        "gender": "Man",
        "age_group": "18-24j",
        "household": "Alleenstaande",
        "schooling": "Geen of laag" if pooled_schooling else "Laag",
        "nt2_level": "0 of <1.1",
        "cohort": cohorts[0],
    }
    rows = data[complete]
    dummies = []
    for name in data.columns:
        sizes = rows[name].value_counts()
        reference = references.get(name)
        if (
            reference not in sizes.index
        ):  # continent, or an absent preferred reference: the largest level
            reference = sorted(sizes.index, key=lambda v: (-sizes[v], v))[0]
        for value in sorted(set(sizes.index) - {reference}):
            dummies.append(pd.Series((rows[name] == value).astype(float), name=f"{name}={value}"))
    return pd.concat(dummies, axis=1), complete


def cox(design: pd.DataFrame, tte: pd.DataFrame) -> pd.DataFrame:
    from lifelines import CoxPHFitter

    frame = design.assign(
        _duration=tte.loc[design.index, "duration"], _event=tte.loc[design.index, "event"]
    )
    fitter = CoxPHFitter().fit(frame, duration_col="_duration", event_col="_event")
    s = fitter.summary
    return pd.DataFrame(
        {
            "term": s.index,
            "coef": s["coef"].to_numpy(),
            "hr": s["exp(coef)"].to_numpy(),
            "se": s["se(coef)"].to_numpy(),
            "p": s["p"].to_numpy(),
        }
    )


def logit(design: pd.DataFrame, clients: pd.DataFrame) -> pd.DataFrame:
    import statsmodels.api as sm

    y = (clients.loc[design.index, "work_status"] == WORK).astype(float)
    result = sm.GLM(y, sm.add_constant(design), family=sm.families.Binomial()).fit()
    return pd.DataFrame(
        {
            "term": result.params.index,
            "coef": result.params.to_numpy(),
            "odds_ratio": np.exp(result.params.to_numpy()),
            "p": result.pvalues.to_numpy(),
        }
    )


# --------------------------------------------------------------------------------------------
# Longitudinal: a client x snapshot status matrix
# --------------------------------------------------------------------------------------------
STATUS_CODES = {WORK: 0, NO_WORK: 1, UNKNOWN: 2}
STATUS_NAMES = [WORK, NO_WORK, UNKNOWN]


def longitudinal(
    clients: pd.DataFrame, panel: pd.DataFrame, config: dict, cohorts: list[str]
) -> dict[str, pd.DataFrame]:
    dates = np.sort(panel["reference_date"].unique())
    n, t = len(clients), len(dates)
    row = pd.Index(clients["client_key"]).get_indexer(panel["client_key"])
    col = np.searchsorted(dates, panel["reference_date"].to_numpy())
    status = np.full((n, t), STATUS_CODES[UNKNOWN], dtype=np.int8)  # no record: unknown
    status[row, col] = panel["work_status"].map(STATUS_CODES).to_numpy()
    deregistered = np.zeros((n, t), dtype=bool)
    deregistered[row, col] = panel["status_category"].eq("uitgeschreven").to_numpy()
    intake = clients["intake_date"].to_numpy()
    eligible = dates[None, :] >= intake[:, None]  # snapshots on or after the intake
    work = (status == STATUS_CODES[WORK]) & eligible

    # status by months since intake, per cohort (snapshots after the cohort's last intake)
    group = np.where(deregistered, 3, status)  # 0 Werk, 1 Geen werk, 2 Onbekend, 3 Uitgeschreven
    names = {0: WORK, 3: DEREGISTERED, 1: NO_WORK, 2: UNKNOWN}
    by_months = []
    for cohort in cohorts:
        members = (clients["cohort"] == cohort).to_numpy()
        median_intake = clients.loc[members, "intake_date"].median().floor("D")
        for j, date in enumerate(dates):
            if not eligible[members, j].all():
                continue
            months = int(np.floor((pd.Timestamp(date) - median_intake).days / DAYS_PER_MONTH + 0.5))
            counts = np.bincount(group[members, j], minlength=4)
            for code in (0, 3, 1, 2):
                by_months.append(
                    {
                        "cohort": cohort,
                        "reference_date": pd.Timestamp(date).date(),
                        "months_since_intake": months,
                        "status_group": names[code],
                        "n": int(counts[code]),
                    }
                )

    # month-to-month transitions, all clients and per cohort and trajectory
    transitions = []
    variants = [(TOTAL, TOTAL, np.ones(n, dtype=bool))]
    variants += [("cohort", c, (clients["cohort"] == c).to_numpy()) for c in cohorts]
    variants += [
        ("trajectory", g, (clients["trajectory"] == g).to_numpy())
        for g in CATEGORIES["trajectory"][1]
        if (clients["trajectory"] == g).any()
    ]
    for j in range(t - 1):
        for var, name, mask in variants:
            at_start = mask & eligible[:, j]
            cells = np.bincount(
                status[at_start, j] * 3 + status[at_start, j + 1], minlength=9
            ).reshape(3, 3)
            for a in range(3):
                for b in range(3):
                    transitions.append(
                        {
                            "group_var": var,
                            "group": name,
                            "from_date": pd.Timestamp(dates[j]).date(),
                            "to_date": pd.Timestamp(dates[j + 1]).date(),
                            "from_status": STATUS_NAMES[a],
                            "to_status": STATUS_NAMES[b],
                            "n": int(cells[a, b]),
                        }
                    )

    # durable work
    rule = {
        "rule": "consecutive_snapshots",
        "k": 2,
        "months": 12,
        **(config.get("durable_work") or {}),
    }
    n_snapshots = eligible.sum(axis=1)
    work_ever = work.any(axis=1)
    if rule["rule"] == "consecutive_snapshots":
        k = int(rule["k"])
        windows = np.ones((n, max(t - k + 1, 0)), dtype=bool)
        for shift in range(k):
            windows &= work[:, shift : t - k + 1 + shift]
        durable = windows.any(axis=1)
        evaluable = n_snapshots >= k
    else:  # still_working_after: work at the first snapshot `months` after work was first seen
        first_snapshot = np.argmax(eligible, axis=1)
        anchor = np.where(work_ever, np.argmax(work, axis=1), first_snapshot)
        months = float(rule["months"])
        offsets = (
            pd.DatetimeIndex(dates) + pd.DateOffset(months=int(months))
            if months.is_integer()
            else pd.DatetimeIndex(dates) + pd.Timedelta(days=months * DAYS_PER_MONTH)
        )
        due_index = np.searchsorted(
            dates, offsets.to_numpy()
        )  # first snapshot on or after the due date
        target = due_index[anchor]
        evaluable = (target < t) & eligible.any(axis=1)
        durable = evaluable & work_ever & work[np.arange(n), np.minimum(target, t - 1)]
    durable &= evaluable
    dw_rows = []
    for var, name, mask in variants:
        dw_rows.append(
            {
                "group_var": var,
                "group": name,
                "n": int(mask.sum()),
                "n_evaluable": int(evaluable[mask].sum()),
                "n_work_ever": int(work_ever[mask].sum()),
                "n_durable": int(durable[mask].sum()),
            }
        )
    return {
        "long_status_by_months": pd.DataFrame(by_months),
        "long_transitions": pd.DataFrame(transitions),
        "long_durable_work": pd.DataFrame(dw_rows),
    }


# --------------------------------------------------------------------------------------------
def run(config_path: Path, out: Path, key: bytes) -> dict[str, float]:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config.setdefault("values", {})
    config["policies"] = {
        "duplicate_intakes": "keep_first",
        "unknown_codes": "error",
        **(config.get("policies") or {}),
    }
    config.setdefault("missing", {"nt2_level": "show"})
    config.setdefault("missing_label", {"nl": "Niet geregistreerd"})
    config.setdefault("cohort", "half-year")
    out.mkdir(parents=True, exist_ok=True)
    steps: dict[str, float] = {}
    mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        steps[name] = round(now - mark, 2)
        mark = now

    exports = {name: ingest(name, config, key) for name in ("clients", "art60", "twe", "vdab")}
    step("ingest")
    recode = pd.read_csv(
        config.get("recode") or "config/recode/vdab_status.csv", dtype={"code": int}
    )
    linked = link(exports, config, recode)
    del exports
    clients, panel = linked["clients"], linked["panel"]
    linked["accounting"].to_csv(out / "linkage.csv", index=False)
    step("link")

    cohorts = sorted(clients["cohort"].unique(), key=cohort_sort_key)
    long, tests = crosstabs(clients, config, cohorts)
    long.to_csv(out / "crosstabs.csv", index=False)
    tests.to_csv(out / "chi_square.csv", index=False)
    work = clients["work"].value_counts().reindex([NO_WORK_OR_UNKNOWN, WORK], fill_value=0)
    work.rename_axis("row").reset_index(name="n").to_csv(out / "work_status.csv", index=False)
    art60_timing(clients, cohorts).to_csv(out / "art60_timing.csv", index=False)
    step("tables")

    tte = time_to_event(clients, linked["observation_end"])
    km, logrank = kaplan_meier(clients, tte, cohorts)
    km.to_csv(out / "km_art60.csv", index=False)
    logrank.to_csv(out / "logrank.csv", index=False)
    design, _ = covariates(clients, cohorts)
    cox(design, tte).to_csv(out / "cox_art60.csv", index=False)
    logit(design, clients).to_csv(out / "logit_work.csv", index=False)
    step("survival and models")

    for name, frame in longitudinal(clients, panel, config, cohorts).items():
        frame.to_csv(out / f"{name}.csv", index=False)
    step("longitudinal")
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", required=True, help="the workflow's config (YAML)")
    parser.add_argument("--out", required=True, help="folder for the CSV tables")
    parser.add_argument(
        "--key-env",
        default="COB_PSEUDO_KEY",
        help="environment variable with the pseudonymisation key",
    )
    args = parser.parse_args(argv)
    key = os.environ.get(args.key_env)
    if not key:
        fail(f"set the pseudonymisation key in {args.key_env}")
    out = Path(args.out)
    steps = run(Path(args.config), out, key.encode("utf-8"))
    wall = time.perf_counter() - T0
    (out / "timing.json").write_text(
        json.dumps({"wall_s": round(wall, 2), "steps_s": steps}, indent=1) + "\n"
    )
    print("steps: " + ", ".join(f"{k} {v} s" for k, v in steps.items()))
    print(f"baseline wall time: {wall:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
