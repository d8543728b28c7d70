"""The cross-sectional tables of the 2020 report (t02-t16), computed from linked rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cob_analysis import categories, i18n, labels
from cob_analysis.outputs import REPORT_TABLE_IDS
from cob_analysis.stats.association import chi_square_test
from cob_analysis.survival.timing import art60_timing
from cob_analysis.tables.crosstabs import crosstab, oneway
from cob_analysis.tables_io import TOTAL, TableMeta, percentage, write_table

WORK_COLS = list(categories.REPORT_WORK_COLUMNS)


@dataclass(frozen=True)
class CrossTabSpec:
    id: str
    number: int
    title: str  # the key of the title in the catalogue (`cob_analysis.i18n`)
    row_var: str
    col_var: str = "work"
    percent: str = "row"


CROSSTABS = (
    CrossTabSpec("t05_cohort_work", 5, "table.t05.title", "cohort"),
    CrossTabSpec("t06_trajectory_work", 6, "table.t06.title", "trajectory"),
    CrossTabSpec("t11_gender_work", 11, "table.t11.title", "gender"),
    CrossTabSpec(
        "t12_gender_household",
        12,
        "table.t12.title",
        "household",
        col_var="gender",
        percent="column",
    ),
    CrossTabSpec("t13_household_work", 13, "table.t13.title", "household"),
    CrossTabSpec("t14_nt2_work", 14, "table.t14.title", "nt2_level"),
    CrossTabSpec("t15_agegroup_work", 15, "table.t15.title", "age_group"),
    CrossTabSpec("t16_schooling_work", 16, "table.t16.title", "schooling"),
)


@dataclass
class Built:
    frame: pd.DataFrame
    meta: TableMeta
    label_columns: tuple[str, ...] = ("row", "col")


def _order(var: str, clients: pd.DataFrame, config: dict) -> list[str] | None:
    if var == "cohort":
        return categories.cohort_order(clients["cohort"], config["cohort"])
    if var == "work":
        return WORK_COLS
    return list(categories.ORDER.get(var, ())) or None


def _missing_note(n: int, var: str, language: str) -> list[str]:
    return (
        [
            labels.text(
                "missing_excluded",
                language,
                n=n,
                var=i18n.text(f"variable.{var}.in_sentence", language),
            )
        ]
        if n
        else []
    )


def _missing_var(frame: pd.DataFrame, spec: CrossTabSpec) -> str:
    """The variable whose missing values a note names (the row variable unless only the column has them)."""
    return (
        spec.col_var
        if frame[spec.col_var].isna().any() and not frame[spec.row_var].isna().any()
        else spec.row_var
    )


def build_crosstab(
    spec: CrossTabSpec,
    clients: pd.DataFrame,
    config: dict,
    orders: dict[str, list[str] | None] | None = None,
) -> Built:
    """One cross-tab; `clients` may already carry the collapsed `work` column and `orders` the
    category orders (computed once for all tables)."""
    language = config["language"]
    frame = (
        clients
        if "work" in clients.columns
        else clients.assign(work=categories.collapse_work(clients["work_status"]))
    )
    orders = orders or {}
    missing = config["missing"].get(spec.row_var, "exclude")
    table = crosstab(
        frame,
        spec.row_var,
        spec.col_var,
        row_order=orders.get(spec.row_var) or _order(spec.row_var, clients, config),
        col_order=orders.get(spec.col_var) or _order(spec.col_var, clients, config),
        missing=missing,
        missing_label=config["missing_label"]["nl"],
        percent=spec.percent,
        decimals=config["pct_decimals"],
    )
    notes = _missing_note(table.missing_excluded, _missing_var(frame, spec), language)
    if "age_group" in (spec.row_var, spec.col_var):
        notes += _under_age_note(clients, language)
    meta = TableMeta(
        id=spec.id,
        number=spec.number,
        title=i18n.text(spec.title, language),
        kind="crosstab",
        row_var=spec.row_var,
        col_var=spec.col_var,
        percent=spec.percent,
        missing_excluded=table.missing_excluded,
        notes=notes,
        association=chi_square_test(table.counts, language=language),
    )
    return Built(table.long, meta)


def _under_age_note(clients: pd.DataFrame, language: str) -> list[str]:
    """Clients younger than the first age group: in no group, counted and said."""
    n = int((clients["age_at_intake"] < categories.ADULT_AGE).sum())
    if not n:
        return []
    return [labels.text("under_age", language, n=n, age=categories.ADULT_AGE)]


def build_status_codes(clients: pd.DataFrame, recode_table: pd.DataFrame, config: dict) -> Built:
    """t02: VDAB status code at the reference date, with the recoding table's labels."""
    language = config["language"]
    codes = clients["status_code"]
    counts = codes.value_counts().sort_index()
    label_of = recode_table.set_index("code")["label"]
    out = pd.DataFrame(
        {
            "code": [str(int(c)) for c in counts.index],
            "label": [label_of.get(int(c), "?") for c in counts.index],
            "n": counts.to_numpy().astype("int64"),
        }
    )
    no_record = int(codes.isna().sum())
    if no_record:
        out.loc[len(out)] = ["", labels.text("no_vdab_record", language), no_record]
    total = len(clients)
    out.loc[len(out)] = ["", TOTAL, total]
    out["n"] = out["n"].astype("int64")
    out["pct"] = percentage(out["n"], pd.Series(total, index=out.index), config["pct_decimals"])
    reference = pd.Timestamp(clients["reference_date"].iloc[0]).date() if len(clients) else None
    meta = TableMeta(
        id="t02_vdab_status",
        number=2,
        kind="oneway",
        title=labels.text("t02.title", language, reference=reference),
        notes=[labels.text("t02.note", language)],
        # t04 publishes these rows' sums by work status: the public version protects them too
        extra={"row_groups": _code_groups(clients, out, label_of)},
    )
    return Built(out, meta, label_columns=("label",))


def _code_groups(clients: pd.DataFrame, out: pd.DataFrame, label_of: pd.Series) -> dict[str, str]:
    """Row label of t02 -> the t04 row it is counted in."""
    work = clients.dropna(subset=["status_code"]).assign(
        work=lambda f: categories.collapse_work(f["work_status"])
    )
    by_code = work.groupby("status_code")["work"].first()
    groups = {label_of.get(int(code), "?"): str(group) for code, group in by_code.items()}
    groups.update(
        {
            label: categories.NO_WORK_OR_UNKNOWN
            for label in out["label"]
            if label not in groups and label != TOTAL
        }
    )
    return dict(sorted(groups.items()))


def build_work_status(clients: pd.DataFrame, config: dict) -> Built:
    """t04: work status at the reference date, recoded."""
    language = config["language"]
    out = oneway(
        categories.collapse_work(clients["work_status"]),
        WORK_COLS,
        config["pct_decimals"],
        keep_empty=True,
    )
    n_unknown = int((clients["work_status"] == categories.UNKNOWN).sum())
    meta = TableMeta(
        id="t04_work_status",
        number=4,
        kind="oneway",
        title=labels.text("t04.title", language),
        notes=[labels.text("t04.note", language, n=n_unknown)],
    )
    return Built(out, meta, label_columns=("row",))


def build_art60_by_trajectory(clients: pd.DataFrame, config: dict) -> Built:
    """t07: clients and art. 60 starts per trajectory."""
    language, decimals = config["language"], config["pct_decimals"]
    order = categories.ORDER["trajectory"]
    grouped = clients.groupby("trajectory", observed=True).agg(
        n_clients=("client_key", "size"), n_with_art60=("art60_started", "sum")
    )
    grouped = grouped.reindex(
        [t for t in order if t in grouped.index] + sorted(set(grouped.index) - set(order))
    )
    grouped.loc[TOTAL] = grouped.sum()
    grouped = grouped.astype("int64")
    n_all, art60_all = grouped.loc[TOTAL, "n_clients"], grouped.loc[TOTAL, "n_with_art60"]
    out = grouped.reset_index(names="trajectory")
    out["pct_of_all_clients"] = percentage(
        out["n_clients"], pd.Series(n_all, index=out.index), decimals
    )
    out["pct_of_all_art60"] = percentage(
        out["n_with_art60"], pd.Series(art60_all, index=out.index), decimals
    )
    out["pct_art60_within_trajectory"] = percentage(out["n_with_art60"], out["n_clients"], decimals)
    out = out[
        [
            "trajectory",
            "n_clients",
            "pct_of_all_clients",
            "n_with_art60",
            "pct_of_all_art60",
            "pct_art60_within_trajectory",
        ]
    ]
    obs_end = pd.Timestamp(clients["observation_end"].iloc[0]).date() if len(clients) else None
    meta = TableMeta(
        id="t07_art60_by_trajectory",
        number=7,
        kind="stats",
        row_var="trajectory",
        title=labels.text("t07.title", language),
        notes=[labels.text("t07.note", language, end=obs_end)],
    )
    return Built(out, meta, label_columns=("trajectory",))


def build_art60_timing(clients: pd.DataFrame, config: dict) -> Built:
    """t08: days from intake to the first art. 60 start per trajectory."""
    language = config["language"]
    out = art60_timing(clients, by="trajectory", order=list(categories.ORDER["trajectory"]))
    out = out.rename(columns={out.columns[0]: "trajectory"})
    meta = TableMeta(
        id="t08_art60_timing",
        number=8,
        kind="stats",
        row_var="trajectory",
        title=labels.text("t08.title", language),
        notes=[labels.text("t08.note", language)],
    )
    return Built(out, meta, label_columns=("trajectory",))


def twe_result_window(clients: pd.DataFrame, config: dict) -> dict[str, str]:
    """The configured window, else from the start of the intake window to the observation end."""
    if config.get("twe_result_window"):
        return config["twe_result_window"]
    end = (
        pd.Timestamp(clients["observation_end"].iloc[0])
        if len(clients)
        else pd.Timestamp(config["intake_window"]["to"])
    )
    return {"from": config["intake_window"]["from"], "to": str(end.date())}


def build_twe_results(clients: pd.DataFrame, config: dict) -> Built:
    """t09: result of the last TWE trajectory, for those that ended within the window; without a
    TWE export an empty table that says so."""
    language = config["language"]
    if not config.get("has_twe", True):
        out = oneway(
            clients["twe_last_result"].iloc[:0],
            categories.ORDER["twe_result"],
            config["pct_decimals"],
            keep_empty=True,
        )
        meta = TableMeta(
            id="t09_twe_result",
            number=9,
            kind="oneway",
            title=labels.text("t09.title_absent", language),
            notes=[labels.text("t09.note_absent", language)],
            extra={"absent": "twe"},
        )
        return Built(out, meta, label_columns=("row",))
    window = twe_result_window(clients, config)
    ended = clients["twe_last_end"].between(
        pd.Timestamp(window["from"]), pd.Timestamp(window["to"])
    )
    results = clients.loc[ended & clients["twe_last_result"].notna(), "twe_last_result"]
    out = oneway(results, categories.ORDER["twe_result"], config["pct_decimals"], keep_empty=True)
    meta = TableMeta(
        id="t09_twe_result",
        number=9,
        kind="oneway",
        title=labels.text("t09.title", language, start=window["from"], end=window["to"]),
        notes=[labels.text("t09.note", language, n=len(results), total=len(clients))],
        extra={
            "n_closed": len(results),
            "n_clients": len(clients),
            "n_without_closed_last": len(clients) - len(results),
        },
    )
    return Built(out, meta, label_columns=("row",))


def build_employers(clients: pd.DataFrame, config: dict) -> Built:
    """t10: last art. 60 employer, those named `employers_min_count` times or more."""
    language, minimum = config["language"], config["employers_min_count"]
    employers = clients.loc[clients["art60_started"], "art60_last_employer"].dropna()
    counts = employers.value_counts()
    shown = counts[counts >= minimum]
    out = pd.DataFrame({"row": shown.index.astype(str), "n": shown.to_numpy().astype("int64")})
    out = out.sort_values(["n", "row"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    out["pct"] = percentage(
        out["n"], pd.Series(len(employers), index=out.index), config["pct_decimals"]
    )
    meta = TableMeta(
        id="t10_art60_employers",
        number=10,
        kind="oneway",
        title=labels.text("t10.title", language, min=minimum),
        notes=[labels.text("t10.note", language, n_distinct=counts.size, n=len(employers))],
        extra={"n_distinct_employers": int(counts.size), "min_count_shown": minimum},
    )
    return Built(out, meta, label_columns=())


def build_all(clients: pd.DataFrame, recode_table: pd.DataFrame, config: dict) -> list[Built]:
    with_work = clients.assign(work=categories.collapse_work(clients["work_status"]))
    variables = {spec.row_var for spec in CROSSTABS} | {spec.col_var for spec in CROSSTABS}
    orders = {var: _order(var, clients, config) for var in variables}
    builders: list[Callable[[], Built]] = [
        lambda: build_status_codes(clients, recode_table, config),
        lambda: build_work_status(clients, config),
        lambda: build_art60_by_trajectory(clients, config),
        lambda: build_art60_timing(clients, config),
        lambda: build_twe_results(clients, config),
        lambda: build_employers(clients, config),
        *[
            (lambda spec=spec: build_crosstab(spec, with_work, config, orders))
            for spec in CROSSTABS
        ],
    ]
    built = [make() for make in builders]
    return sorted(built, key=lambda b: b.meta.id)


def translate(built: Built, config: dict) -> pd.DataFrame:
    language = config["language"]
    frame = built.frame
    if language == "nl":
        return frame
    frame = frame.replace(
        {
            c: {config["missing_label"]["nl"]: config["missing_label"][language]}
            for c in built.label_columns
            if c in frame.columns
        }
    )
    return labels.translate_columns(frame, list(built.label_columns), language)


def report_tables(
    clients: pd.DataFrame, recode_table: pd.DataFrame, config: dict
) -> list[tuple[pd.DataFrame, TableMeta]]:
    """Rule `report_tables`: every table of the report, in the config's language, by id."""
    return [
        (translate(built, config), built.meta) for built in build_all(clients, recode_table, config)
    ]


def write_all(
    clients: pd.DataFrame, recode_table: pd.DataFrame, config: dict, tables_dir: Path
) -> list[str]:
    """`report_tables`, written to `tables_dir`; returns the ids."""
    tables = report_tables(clients, recode_table, config)
    for frame, meta in tables:
        write_table(frame, meta, tables_dir)
    return [meta.id for _, meta in tables]


# The ids this module writes (listed in cob_analysis.outputs, which the Snakefile reads).
TABLE_IDS = list(REPORT_TABLE_IDS)
