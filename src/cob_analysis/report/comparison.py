"""The demo's published tables beside the regenerated ones: one view per table with the published
and the regenerated figure of each cell and whether they agree."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cob_analysis.i18n import (
    format_number,
    text,
    value_label,
)
from cob_analysis.labels import column_label
from cob_analysis.published import PCT_SUFFIX, summarise
from cob_analysis.report.layout import TableData
from cob_analysis.report.views import (
    TableView,
    ViewCell,
    plain_view,
)


def _col_label(col: str, language: str) -> str:
    if col.endswith(PCT_SUFFIX):
        return str(value_label(col[: -len(PCT_SUFFIX)], language)) + PCT_SUFFIX
    label = column_label(col, language)
    return label if label != col else str(value_label(col, language))


def _table_name(table_id: str, tables: dict[str, TableData], language: str) -> str:
    table = tables.get(table_id)
    if table is None:
        return table_id
    return (
        f"{text('table.number', language)} {table.number}"
        if table.number is not None
        else table.title
    )


def comparison_view_rows(
    rows: pd.DataFrame,
    language: str,
    view_id: str,
    caption: str,
    tables: dict[str, TableData] | None = None,
) -> TableView:
    with_table = tables is not None
    header = ([text("published.table", language)] if with_table else []) + [
        text("published.row", language),
        text("published.column", language),
        text("published.published", language),
        text("published.regenerated", language),
        text("published.status", language),
    ]
    body, classes = [], []
    for item in rows.itertuples(index=False):
        decimals = int(item.decimals)
        pct = str(item.col).endswith(PCT_SUFFIX) or str(item.col) == "pct"
        regenerated = None if pd.isna(item.regenerated_rounded) else float(item.regenerated_rounded)
        status = "ok" if item.match else ("missing" if regenerated is None else "diff")
        exact = "" if pd.isna(item.regenerated) else repr(float(item.regenerated))
        cells = (
            [ViewCell(_table_name(str(item.table_id), tables, language), href=f"#{item.table_id}")]
            if with_table
            else []
        ) + [
            ViewCell(str(value_label(str(item.row), language))),
            ViewCell(_col_label(str(item.col), language)),
            ViewCell(format_number(float(item.published), decimals, language, percent=pct), "num"),
            ViewCell(
                format_number(regenerated, decimals, language, percent=pct),
                "num",
                title=exact or None,
            ),
            ViewCell(text(f"published.{status}", language), f"status-{status}"),
        ]
        body.append(cells)
        classes.append(status)
    return plain_view(
        view_id,
        caption,
        header,
        body,
        numeric={len(header) - 3, len(header) - 2},
        row_classes=classes,
        row_headers=2 if with_table else 1,
    )


def comparison_view(
    comparison: pd.DataFrame | None, language: str, tables: dict[str, TableData]
) -> dict[str, Any] | None:
    if comparison is None:
        return None
    total, diff = len(comparison), int((~comparison["match"]).sum())
    summary = [
        [
            ViewCell(
                _table_name(r.table_id, tables, language),
                href=f"#{r.table_id}" if r.table_id in tables else None,
            ),
            ViewCell(str(int(r.n)), "num"),
            ViewCell(str(int(r.n_match)), "num"),
            ViewCell(str(int(r.n_diff)), "num bad" if r.n_diff else "num"),
        ]
        for r in summarise(comparison).itertuples(index=False)
    ]
    per_table = plain_view(
        "published-per-table",
        text("published.caption", language),
        [
            text("published.table", language),
            text("published.figures", language),
            text("published.equal", language),
            text("published.different", language),
        ],
        summary,
        numeric={1, 2, 3},
    )
    differences = comparison[~comparison["match"]]
    return {
        "total": total,
        "diff": diff,
        "headline": (
            text("published.all_equal", language, n=total)
            if diff == 0
            else text("published.some_differ", language, n=total, diff=diff)
        ),
        "per_table": per_table,
        "differences": (
            comparison_view_rows(
                differences,
                language,
                "published-differences",
                text("published.differences_caption", language),
                tables,
            )
            if len(differences)
            else None
        ),
    }
