"""What the HTML report renders of a table: a `TableView` (header rows, row groups of cells,
notes), made from a `layout.Layout` (the compact views of long tables: `compact_views`).

A view is plain data (dataclasses of strings and flags) for the template: row headers are
marked (`<th scope="row">`, a cross-tab's category as `scope="rowgroup"` over its N and %
rows), small groups are flagged, and an estimate with its interval (`pct_started_6m`,
`..._ci_low`, `..._ci_high`) is shown in one cell. Compact views turn a long table into what
a reader compares: the VDAB status per cohort by months since intake, the transitions between
snapshots as a from -> to matrix per group, the trajectory changes as a matrix, the
disagreements between sources per group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from cob_analysis.i18n import display_label, format_number, has_text, text
from cob_analysis.labels import column_label, variable_label
from cob_analysis.report.layout import SMALL_MARK, TOTAL_LABELS, Cell, Layout

__all__ = [
    "HeadCell",
    "TableView",
    "ViewCell",
    "ViewRow",
    "disagreements_view",
    "plain_view",
    "table_view",
]

WIDE_CHARACTERS = 105  # a table wider than this many characters prints on a landscape page
LABEL_WRAP = 36  # a row header longer than this wraps (it does not widen the table further)
LONG_NOTES = 160  # notes longer than this (characters in all) are folded under "notes on the table"


@dataclass
class HeadCell:
    text: str
    colspan: int = 1
    cls: str = ""
    scope: str = "col"
    small: bool = False


@dataclass
class ViewCell:
    text: str
    cls: str = ""
    header: str | None = None  # "row" or "rowgroup": a row header (<th scope=...>)
    rowspan: int = 1
    title: str | None = None
    published: str | None = None
    small: bool = False
    href: str | None = None  # a link to another part of the page


@dataclass
class ViewRow:
    cells: list[ViewCell]
    cls: str = ""


@dataclass
class TableView:
    id: str
    caption: str
    header: list[list[HeadCell]]
    groups: list[list[ViewRow]]  # one <tbody> each
    notes: list[str] = field(default_factory=list)  # explanations (the table's notes)
    flags: list[str] = field(default_factory=list)  # what the small-group marks mean
    association: str | None = None
    warning: str | None = None
    crosstab: bool = False
    small_title: str | None = None  # tooltip of the small-group mark

    @property
    def n_rows(self) -> int:
        return sum(len(g) for g in self.groups)

    @property
    def width(self) -> int:
        """Estimated printed width in characters (header words wrap, cells do not)."""
        widths: dict[int, int] = {}
        for group in self.groups:
            for row in group:
                for i, cell in enumerate(row.cells):
                    wraps = cell.header == "row" and not self.crosstab
                    widths[i] = max(
                        widths.get(i, 0), min(len(cell.text), LABEL_WRAP if wraps else 999) + 3
                    )
        for row in self.header[-1:]:
            for i, cell in enumerate(row):
                longest = max((len(w) for w in cell.text.split()), default=0)
                widths[i] = max(widths.get(i, 0), longest + 3)
        return sum(widths.values())

    @property
    def wide(self) -> bool:
        return self.width > WIDE_CHARACTERS

    @property
    def long_notes(self) -> bool:
        return sum(len(n) for n in self.notes) > LONG_NOTES


# --- from a layout ---------------------------------------------------------------------------


def _head_cells(layout: Layout, language: str, skip: set[int]) -> list[list[HeadCell]]:
    out = []
    for row in layout.header:
        cells, position = [], 0
        for cell in row:
            if position not in skip or cell.colspan > 1:
                classes = " ".join(
                    c
                    for c in (
                        "num" if cell.numeric_header else "",
                        "group" if cell.colspan > 1 else "",
                    )
                    if c
                )
                cells.append(
                    HeadCell(
                        cell.text(language),
                        colspan=cell.colspan,
                        cls=classes,
                        scope="colgroup" if cell.colspan > 1 else "col",
                        small=cell.small,
                    )
                )
            position += cell.colspan
        out.append(cells)
    return out


def _view_cell(cell: Cell, language: str, *, header: str | None = None) -> ViewCell:
    classes = []
    if cell.right_aligned:
        classes.append("num")
    if cell.kind == "stat":
        classes.append("stat")
    if cell.small:
        classes.append("small")
    title = published = None
    if cell.differs:
        classes.append("diff")
        title = text("published.tip", language, value=cell.published)
        published = cell.published
    return ViewCell(
        cell.text(language),
        " ".join(classes),
        header=header,
        title=title,
        published=published,
        small=cell.small,
    )


def _intervals(columns: list[str | None]) -> dict[int, tuple[int, int, str]]:
    """Position of an estimate -> (position of its lower bound, of its upper bound, kind), for
    the columns `x, x_ci_low, x_ci_high` and `hr`/`odds_ratio, ci_low, ci_high` (kind "ci"),
    `x, x_min, x_max` ("bounds"), a median with its quartiles `..median.., ..q1.., ..q3..`
    ("iqr") and `..min.., ..max..` ("range", shown in the minimum's place)."""
    where = {c: i for i, c in enumerate(columns) if c}
    out: dict[int, tuple[int, int, str]] = {}
    bounds: set[int] = set()  # a bound of an earlier estimate is no estimate itself
    for i, name in enumerate(columns):
        if not name or i in bounds:
            continue
        stem, unit = name, ""
        for suffix in ("_days", "_months"):
            if name.endswith(suffix):
                stem, unit = name[: -len(suffix)], suffix
        candidates = [
            (f"{name}_ci_low", f"{name}_ci_high", "ci"),
            (f"{name}_min", f"{name}_max", "bounds"),
            (f"{stem}_ci_low{unit}", f"{stem}_ci_high{unit}", "ci"),
            (f"{stem}_min{unit}", f"{stem}_max{unit}", "bounds"),
        ]
        if name in ("hr", "odds_ratio"):
            candidates.append(("ci_low", "ci_high", "ci"))
        if "median" in name:
            candidates.append((name.replace("median", "q1"), name.replace("median", "q3"), "iqr"))
        if re.search(r"(^|_)min(_|$)", name):
            candidates.append((name, re.sub(r"(^|_)min(_|$)", r"\1max\2", name), "range"))
        for low, high, kind in candidates:
            if (
                low in where
                and high in where
                and not {where[low], where[high]} & (bounds | set(out)) - {i}
            ):
                out[i] = (where[low], where[high], kind)
                bounds |= {where[low], where[high]} - {i}
                break
    return out


def _interval_text(value: str, low: str, high: str, kind: str, language: str) -> str:
    if kind == "range":
        return f"{low}–{high}" if low or high else ""
    if not low and not high or (low == value and high == value):
        return value
    return text("table.interval", language, value=value or "–", low=low or "…", high=high or "…")


def _interval_header(label: str, name: str, kind: str, language: str) -> str:
    if kind == "range":
        return text("column.range_days" if name.endswith("_days") else "column.range", language)
    return text(f"column.with_{kind}", language, label=label)


def table_view(
    layout: Layout, language: str, *, caption: str | None = None, merge_intervals: bool = True
) -> TableView:
    """The view of a laid-out table. Cross-tabs keep their N and % rows (one row group per
    category, the category a row header over both); in other tables the leading label columns
    are row headers and, with `merge_intervals`, an estimate and its interval share one cell."""
    intervals = _intervals(layout.columns) if merge_intervals and layout.kind != "crosstab" else {}
    skip = {
        p for position, (low, high, _) in intervals.items() for p in (low, high) if p != position
    }
    header = _head_cells(layout, language, skip)
    for position, (_, _, kind) in intervals.items():
        label = layout.header[-1][position].text(language)
        shown = sum(1 for p in range(position) if p not in skip)
        header[-1][shown].text = _interval_header(
            label, str(layout.columns[position]), kind, language
        )
    crosstab = layout.kind == "crosstab"
    groups: list[list[ViewRow]] = []
    for row in layout.body:
        cells = []
        for position, cell in enumerate(row.cells):
            if position in skip:
                continue
            if crosstab:
                scope = {0: "rowgroup", 1: "row"}.get(position)
            else:
                is_label = (
                    position < layout.label_columns and not cell.is_number and cell.kind != "masked"
                )
                scope = "row" if is_label else None
            view = _view_cell(cell, language, header=scope)
            if position in intervals:
                low, high, kind = intervals[position]
                view.text = _interval_text(
                    view.text,
                    row.cells[low].text(language),
                    row.cells[high].text(language),
                    kind,
                    language,
                )
            view.small = view.small or (row.small and position == 0 and bool(view.text))
            if scope == "row" and not crosstab and len(view.text) > LABEL_WRAP:
                view.cls = (view.cls + " wrap").strip()
            cells.append(view)
        classes = " ".join(
            c for c in ("total" if row.total else "", "small" if row.small else "") if c
        )
        if (
            crosstab and groups and not row.group_start
        ):  # the % row: under its category's row header
            groups[-1][0].cells[0].rowspan += 1
            groups[-1].append(ViewRow(cells[1:], classes))
        elif crosstab or not groups:
            groups.append([ViewRow(cells, classes)])
        else:
            groups[0].append(ViewRow(cells, classes))
    if (
        not crosstab and groups and layout.columns[:1] == ["group_var"]
    ):  # a grouping, printed once per block
        groups = [
            [
                ViewRow(cells, row.cls)
                for cells, row in zip(
                    _merge_repeats([r.cells for r in groups[0]], 1), groups[0], strict=True
                )
            ]
        ]
    small_title = (
        text("report.small_mark_title", language, k=layout.small_group)
        if layout.has_small and layout.small_group
        else None
    )
    return TableView(
        id=layout.id,
        caption=caption or layout.heading,
        header=header,
        groups=groups,
        notes=list(layout.notes),
        flags=list(layout.flags),
        association=layout.association,
        warning=layout.association_warning,
        crosstab=crosstab,
        small_title=small_title,
    )


def _merge_repeats(rows: list[list[ViewCell]], depth: int) -> list[list[ViewCell]]:
    """The first `depth` columns as row headers, a value repeated on consecutive rows (under the
    same values to its left) printed once over those rows (rowspan)."""
    keep = [[True] * len(r) for r in rows]
    for j in range(depth):
        start = 0
        for i in range(1, len(rows) + 1):
            if i < len(rows) and all(rows[i][k].text == rows[start][k].text for k in range(j + 1)):
                continue
            rows[start][j].rowspan = i - start
            rows[start][j].small = any(rows[r][j].small for r in range(start, i))
            for r in range(start + 1, i):
                keep[r][j] = False
            start = i
    for r in rows:
        for cell in r[:depth]:
            cell.header = "row"
    return [[c for c, k in zip(r, keep[i], strict=True) if k] for i, r in enumerate(rows)]


def plain_view(
    table_id: str,
    caption: str,
    header: list[str],
    rows: list[list[ViewCell]],
    *,
    numeric: set[int] = frozenset(),
    row_headers: int = 1,
    row_classes: list[str] | None = None,
    notes: list[str] | None = None,
    flags: list[str] | None = None,
    small_column: int | None = None,
) -> TableView:
    """A view of a simple table: one header row; the first `row_headers` columns are row headers
    (repeated values merged). A row whose class has `small` gets the small-group mark on its
    `small_column` (default: the last row header)."""
    head = [[HeadCell(h, cls="num" if i in numeric else "") for i, h in enumerate(header)]]
    classes = row_classes or [""] * len(rows)
    for cells, cls in zip(rows, classes, strict=True):
        if "small" in cls.split():
            cells[row_headers - 1 if small_column is None else small_column].small = True
    merged = _merge_repeats(rows, row_headers)
    body = [ViewRow(cells, cls) for cells, cls in zip(merged, classes, strict=True)]
    return TableView(
        id=table_id,
        caption=caption,
        header=head,
        groups=[body],
        notes=list(notes or []),
        flags=list(flags or []),
    )


# --- shared by the compact views ------------------------------------------------------------


def percent_text(value: str, language: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    decimals = len(value.split(".")[1]) if "." in value else 0
    return format_number(number, decimals, language, percent=True)


def is_total(value: str) -> bool:
    return value in TOTAL_LABELS


def label_text(value: str, language: str) -> str:
    return str(display_label(value, language))


def is_small(n: str, small_group: int | None) -> bool:
    try:
        return small_group is not None and float(n) < small_group
    except ValueError:
        return False


def small_group_notes(classes: list[str], small_group: int | None, language: str) -> list[str]:
    if small_group and any("small" in c.split() for c in classes):
        return [text("table.small_groups", language, k=small_group, mark=SMALL_MARK)]
    return []


def with_small_title(view: TableView, small_group: int | None, language: str) -> TableView:
    if small_group and any("small" in row.cls.split() for group in view.groups for row in group):
        view.small_title = text("report.small_mark_title", language, k=small_group)
    return view


# --- data quality ------------------------------------------------------------------------------


def _check_key(check: str, checks: set[str]) -> str:
    if check == "work_without_art60_or_twe" and "twe_work_result_no_work" not in checks:
        return "work_without_art60"
    return check


def disagreements_view(frame: pd.DataFrame, language: str, small_group: int | None) -> TableView:
    """`qa/disagreements.csv` as one row per group (all clients, each trajectory and cohort) and
    one column per check: the clients flagged and their % of the group. The checks are named
    from the catalogue (the CSV's description when the catalogue does not know the check)."""
    checks = list(dict.fromkeys(frame["check"]))
    known = set(checks)

    def described(check: str, suffix: str = "") -> str | None:
        key = f"check.{_check_key(check, known)}{suffix}"
        return text(key, language) if has_text(key) else None

    def check_label(check: str) -> str:
        return described(check) or str(frame.loc[frame["check"] == check, "description"].iloc[0])

    header = [
        column_label("group_var", language),
        column_label("group", language),
        column_label("n_clients", language),
        *[check_label(c) for c in checks],
    ]
    rows, classes = [], []
    for (group_var, group), part in frame.groupby(["group_var", "group"], sort=False):
        by_check = dict(
            zip(part["check"], zip(part["n_flagged"], part["pct"], strict=True), strict=True)
        )
        n_clients = str(part["n_clients"].iloc[0])
        cells = [
            ViewCell(variable_label(group_var, language)),
            ViewCell(label_text(group, language)),
            ViewCell(n_clients, "num"),
        ]
        for check in checks:
            n, pct = by_check.get(check, ("", ""))
            cells.append(
                ViewCell(
                    text("view.count_pct", language, n=n, pct=percent_text(pct, language))
                    if n != ""
                    else "",
                    "num",
                )
            )
        rows.append(cells)
        classes.append(
            " ".join(
                c
                for c in (
                    "total" if is_total(group_var) else "",
                    "small" if is_small(n_clients, small_group) else "",
                )
                if c
            )
        )
    notes = [
        f"{check_label(c)}: {described(c, '.description')}."
        for c in checks
        if described(c, ".description")
    ]
    view = plain_view(
        "qa-disagreements",
        text("quality.disagreements_caption", language),
        header,
        rows,
        numeric=set(range(2, len(header))),
        row_headers=2,
        row_classes=classes,
        notes=notes,
        flags=small_group_notes(classes, small_group, language),
    )
    return with_small_title(view, small_group, language)
