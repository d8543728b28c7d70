"""Compact views of long tables (status by months, transitions, matrices): one small view a reader
can take in, in place of the long table, which the workbook keeps whole."""

from __future__ import annotations

from cob_analysis.i18n import text
from cob_analysis.labels import column_label, variable_label
from cob_analysis.report.layout import TableData
from cob_analysis.report.views import (
    TableView,
    ViewCell,
    is_small,
    is_total,
    label_text,
    percent_text,
    plain_view,
    small_group_notes,
    with_small_title,
)


def status_by_months_view(
    table: TableData, language: str, small_group: int | None
) -> list[tuple[str, TableView]]:
    """`long_status_by_months` as one row per cohort and snapshot (months since intake; the date
    as the cell's title): the % of the cohort per VDAB status (the count as the title), and N."""
    frame = table.frame
    statuses = [s for s in dict.fromkeys(frame["status_group"]) if not is_total(s)]
    header = [
        column_label("cohort", language),
        column_label("months_since_intake", language),
        *[label_text(s, language) for s in statuses],
        column_label("n", language),
    ]
    rows, classes = [], []
    for (cohort, months, date), part in frame.groupby(
        ["cohort", "months_since_intake", "reference_date"], sort=False
    ):
        by_status = dict(
            zip(part["status_group"], zip(part["n"], part["pct"], strict=True), strict=True)
        )
        total = next((n for s, (n, _) in by_status.items() if is_total(s)), "")
        cells = [ViewCell(label_text(cohort, language)), ViewCell(months, "num", title=date)]
        for status in statuses:
            n, pct = by_status.get(status, ("", ""))
            cells.append(ViewCell(percent_text(pct, language), "num", title=n or None))
        rows.append([*cells, ViewCell(total, "num")])
        classes.append("small" if is_small(total, small_group) else "")
    view = plain_view(
        f"{table.id}-compact",
        text("view.status_by_months", language),
        header,
        rows,
        numeric=set(range(1, len(header))),
        row_headers=2,
        row_classes=classes,
        small_column=0,
        flags=small_group_notes(classes, small_group, language),
    )
    return [(view.caption, with_small_title(view, small_group, language))]


def transitions_views(
    table: TableData, language: str, small_group: int | None
) -> list[tuple[str, TableView]]:
    """`long_transitions` as one from -> to matrix per grouping (all clients, per cohort, per
    trajectory): a row per group, pair of snapshots and status before; the % of that row per
    status after (the count as the cell's title), and N."""
    frame = table.frame
    after = [s for s in dict.fromkeys(frame["to_status"]) if not is_total(s)]
    out = []
    for group_var, part in frame.groupby("group_var", sort=False):
        by_total = is_total(group_var)
        labels = [] if by_total else [variable_label(group_var, language)]
        header = [
            *labels,
            text("column.pair", language),
            column_label("from_status", language),
            *[label_text(s, language) for s in after],
            column_label("n", language),
        ]
        rows, classes = [], []
        for (group, start, end, before), cells_part in part.groupby(
            ["group", "from_date", "to_date", "from_status"], sort=False
        ):
            by_status = dict(
                zip(
                    cells_part["to_status"],
                    zip(cells_part["n"], cells_part["pct"], strict=True),
                    strict=True,
                )
            )
            total = next((n for s, (n, _) in by_status.items() if is_total(s)), "")
            cells = ([] if by_total else [ViewCell(label_text(group, language))]) + [
                ViewCell(f"{start} → {end}"),
                ViewCell(label_text(before, language)),
            ]
            for status in after:
                n, pct = by_status.get(status, ("", ""))
                cells.append(
                    ViewCell(
                        percent_text(pct, language) if total not in ("", "0") else "–",
                        "num",
                        title=n or None,
                    )
                )
            rows.append([*cells, ViewCell(total, "num")])
            classes.append("small" if is_small(total, small_group) else "")
        title = (
            text("view.transitions_total", language)
            if by_total
            else text(
                "view.transitions_by",
                language,
                variable=variable_label(group_var, language).lower(),
            )
        )
        depth = len(labels) + 2
        view = plain_view(
            f"{table.id}-{'total' if by_total else group_var}",
            f"{text('view.transitions', language)} · {title}",
            header,
            rows,
            numeric=set(range(depth, len(header))),
            row_headers=depth,
            row_classes=classes,
            flags=small_group_notes(classes, small_group, language),
        )
        out.append((title, with_small_title(view, small_group, language)))
    return out


def matrix_view(
    table: TableData, language: str, small_group: int | None
) -> list[tuple[str, TableView]]:
    """A from -> to table (`from_x`, `to_x`, `n`, `pct`) as a matrix: count and % of the row."""
    frame = table.frame
    source, target = frame.columns[0], frame.columns[1]
    targets = list(dict.fromkeys(frame[target]))
    header = [text("column.from_to", language), *[label_text(t, language) for t in targets]]
    rows, classes = [], []
    for origin, part in frame.groupby(source, sort=False):
        by_target = dict(zip(part[target], zip(part["n"], part["pct"], strict=True), strict=True))
        cells = [ViewCell(label_text(origin, language))]
        for t in targets:
            n, pct = by_target.get(t, ("", ""))
            cells.append(
                ViewCell(
                    text("view.count_pct", language, n=n, pct=percent_text(pct, language))
                    if n
                    else "",
                    "num",
                )
            )
        rows.append(cells)
        classes.append("total" if is_total(origin) else "")
    view = plain_view(
        f"{table.id}-compact",
        text("view.matrix", language),
        header,
        rows,
        numeric=set(range(1, len(header))),
        row_classes=classes,
    )
    return [(view.caption, view)]


COMPACT_VIEWS = {
    "long_status_by_months": (
        {"cohort", "months_since_intake", "reference_date", "status_group", "n", "pct"},
        status_by_months_view,
    ),
    "long_transitions": (
        {"group_var", "group", "from_date", "to_date", "from_status", "to_status", "n", "pct"},
        transitions_views,
    ),
    "traj_changes_matrix": ({"from_trajectory", "to_trajectory", "n", "pct"}, matrix_view),
}


def compact_views(
    table: TableData, language: str, small_group: int | None
) -> list[tuple[str, TableView]] | None:
    """The compact views of a long table, or None when it has none (or not the expected columns)."""
    if table.id not in COMPACT_VIEWS:
        return None
    columns, build = COMPACT_VIEWS[table.id]
    if not columns <= set(table.frame.columns) or table.frame.empty:
        return None
    return build(table, language, small_group)
