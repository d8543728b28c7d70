"""The answer first: the headline indicators per intake cohort and per trajectory, read from the
tables the run wrote, with their definitions and the tables they come from.

Each indicator names, per grouping (all clients, cohort, trajectory), the table and column it is
read from (`SOURCES`). An indicator whose tables are missing (one VDAB snapshot: no durable
work; no art. 60 analyses) is left out; a group that a table does not have shows a dash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cob_analysis.i18n import format_number, text, value_label
from cob_analysis.longitudinal.common import DURABLE_RULES
from cob_analysis.report.layout import TOTAL_LABELS, TableData

__all__ = ["INDICATORS", "Indicator", "Summary", "SummaryRow", "headline_summary"]


@dataclass(frozen=True)
class Source:
    """Where an indicator is read: `table`, the value `column`, the rows by their label in
    `group_column` (for cross-tabs: the rows where `col` is `cross_col`), optionally only the
    rows whose `group_var` is `group_var`."""

    table: str
    column: str
    group_column: str = "group"
    cross_col: str | None = None  # canonical (Dutch) column label of a cross-tab
    group_var: str | None = None


@dataclass(frozen=True)
class Indicator:
    key: str
    percent: bool
    sources: dict[str, Source]  # "cohort" / "trajectory" / "total" -> where to read it
    decimals: int | None = None  # None: as the table writes it


def _long(table: str, column: str, group_var: str) -> Source:
    return Source(table, column, group_var=group_var)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "clients",
        False,
        {
            "total": Source("t05_cohort_work", "n", "row", cross_col="Totaal"),
            "cohort": Source("t05_cohort_work", "n", "row", cross_col="Totaal"),
            "trajectory": Source("t06_trajectory_work", "n", "row", cross_col="Totaal"),
        },
    ),
    Indicator(
        "work",
        True,
        {
            "total": Source("t05_cohort_work", "pct", "row", cross_col="Werk"),
            "cohort": Source("t05_cohort_work", "pct", "row", cross_col="Werk"),
            "trajectory": Source("t06_trajectory_work", "pct", "row", cross_col="Werk"),
        },
    ),
    Indicator(
        "art60_12m",
        True,
        {
            "total": Source("km_art60_cohort", "pct_started_12m"),
            "cohort": Source("km_art60_cohort", "pct_started_12m"),
            "trajectory": Source("km_art60_trajectory", "pct_started_12m"),
        },
    ),
    Indicator(
        "art60_median_days",
        False,
        {
            "total": Source("art60_timing_cohort", "median_days"),
            "cohort": Source("art60_timing_cohort", "median_days"),
            "trajectory": Source("art60_timing_trajectory", "median_days"),
        },
        decimals=0,
    ),
    Indicator(
        "work_seen_12m",
        True,
        {
            "total": _long("long_first_work_km", "pct_work_12m", "Totaal"),
            "cohort": _long("long_first_work_km", "pct_work_12m", "cohort"),
            "trajectory": _long("long_first_work_km", "pct_work_12m", "trajectory"),
        },
    ),
    Indicator(
        "durable",
        True,
        {
            "total": _long("long_durable_work", "pct_durable", "Totaal"),
            "cohort": _long("long_durable_work", "pct_durable", "cohort"),
            "trajectory": _long("long_durable_work", "pct_durable", "trajectory"),
        },
    ),
)
GROUPINGS = ("total", "cohort", "trajectory")


@dataclass
class SummaryRow:
    label: str
    grouping: str  # total | cohort | trajectory
    values: list[str]
    small: bool = False
    first_of_grouping: bool = False


@dataclass
class IndicatorView:
    key: str
    label: str
    definition: str
    sources: list[tuple[str, str]]  # (table id, how the table is called)


@dataclass
class Summary:
    indicators: list[IndicatorView] = field(default_factory=list)
    rows: list[SummaryRow] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


def _decimals(value: str) -> int:
    return len(value.split(".")[1]) if "." in value else 0


def _read(table: TableData, source: Source, language: str) -> dict[str, str]:
    """Group label (as the table prints it) -> value text, for one source."""
    frame = table.frame
    if source.column not in frame.columns or source.group_column not in frame.columns:
        return {}
    if source.cross_col is not None:
        if "col" not in frame.columns:
            return {}
        wanted = {source.cross_col, str(value_label(source.cross_col, "en"))}
        if source.cross_col == "Totaal":
            wanted |= TOTAL_LABELS
        frame = frame[frame["col"].isin(wanted)]
    if source.group_var is not None:
        if "group_var" not in frame.columns:
            return {}
        wanted_var = TOTAL_LABELS if source.group_var == "Totaal" else {source.group_var}
        frame = frame[frame["group_var"].isin(wanted_var)]
    return dict(zip(frame[source.group_column], frame[source.column], strict=True))


def _groups(tables: dict[str, TableData], grouping: str) -> list[str]:
    """The group labels of a grouping, in the order of the first table that has them."""
    for indicator in INDICATORS:
        source = indicator.sources[grouping]
        if source.table in tables:
            frame = tables[source.table].frame
            if source.group_var is not None and "group_var" in frame.columns:
                frame = frame[frame["group_var"] == source.group_var]
            if source.group_column in frame.columns:
                return [
                    g for g in dict.fromkeys(frame[source.group_column]) if g not in TOTAL_LABELS
                ]
    return []


def _definition(indicator: Indicator, tables: dict[str, TableData], language: str) -> str:
    if indicator.key == "durable":
        source = tables.get(indicator.sources["total"].table)
        rule = ((source.meta.get("extra") or {}).get("durable_work") or {}) if source else {}
        key = f"indicator.durable.{rule.get('rule')}"
        if rule.get("rule") in DURABLE_RULES:
            months = rule.get("months")
            months = int(months) if isinstance(months, float) and months.is_integer() else months
            return text(key, language, k=rule.get("k"), months=months)
    return text(f"indicator.{indicator.key}.definition", language)


def _table_name(table: TableData, language: str) -> str:
    number = table.meta.get("number")
    return f"{text('table.number', language)} {number}" if number is not None else table.title


def _value(raw: str, indicator: Indicator, language: str) -> str:
    try:
        number = float(raw)
    except ValueError:
        return raw or "–"
    decimals = _decimals(raw) if indicator.decimals is None else indicator.decimals
    return format_number(number, decimals, language, percent=indicator.percent)


def _lookup(values: dict[str, str], label: str | None) -> str:
    """The value of group `label`; of the total row (`Totaal`/`Total`) when `label` is None."""
    if label is None:
        return next((v for k, v in values.items() if k in TOTAL_LABELS), "")
    return values.get(label, "")


def headline_summary(
    tables: dict[str, TableData], language: str, small_group: int | None = None
) -> Summary:
    """The headline indicators found among `tables` (id -> table), one row for all clients, one
    per cohort and one per trajectory; groups under `small_group` clients are flagged."""
    present = [i for i in INDICATORS if any(s.table in tables for s in i.sources.values())]
    if not present:
        return Summary()
    values: dict[tuple[str, str], dict[str, str]] = {}  # (indicator, grouping) -> group -> value
    for indicator in present:
        for grouping, source in indicator.sources.items():
            values[indicator.key, grouping] = (
                _read(tables[source.table], source, language) if source.table in tables else {}
            )
    rows = []
    for grouping in GROUPINGS:
        labels: list[str | None] = [None] if grouping == "total" else _groups(tables, grouping)
        for position, label in enumerate(labels):
            raw = [_lookup(values[i.key, grouping], label) for i in present]
            size = _lookup(values.get(("clients", grouping), {}), label)
            small = (
                label is not None
                and small_group is not None
                and size != ""
                and float(size) < small_group
            )
            rows.append(
                SummaryRow(
                    text("summary.all_clients", language) if label is None else label,
                    grouping,
                    [_value(v, i, language) for v, i in zip(raw, present, strict=True)],
                    small=small,
                    first_of_grouping=position == 0,
                )
            )
    indicators = [
        IndicatorView(
            i.key,
            text(f"indicator.{i.key}", language),
            _definition(i, tables, language),
            [
                (t, _table_name(tables[t], language))
                for t in dict.fromkeys(s.table for s in i.sources.values())
                if t in tables
            ],
        )
        for i in present
    ]
    return Summary(indicators, rows, _findings(present, values, language))


def _findings(present: list[Indicator], values: dict, language: str) -> list[str]:
    """One sentence per percentage: all clients, and the lowest and highest trajectory."""
    out = []
    for indicator in present:
        if not indicator.percent:
            continue
        total = _lookup(values[indicator.key, "total"], None)
        if total == "":
            continue
        by_trajectory = {
            g: float(v)
            for g, v in values[indicator.key, "trajectory"].items()
            if g not in TOTAL_LABELS and v != ""
        }
        label = text(f"indicator.{indicator.key}", language)
        if len(by_trajectory) < 2:
            out.append(
                text(
                    "summary.finding_total",
                    language,
                    indicator=label,
                    total=_value(total, indicator, language),
                )
            )
            continue
        low, high = (
            min(by_trajectory, key=by_trajectory.get),
            max(by_trajectory, key=by_trajectory.get),
        )
        raw = values[indicator.key, "trajectory"]
        out.append(
            text(
                "summary.finding",
                language,
                indicator=label,
                total=_value(total, indicator, language),
                low=_value(raw[low], indicator, language),
                low_group=low,
                high=_value(raw[high], indicator, language),
                high_group=high,
            )
        )
    return out
