"""The printed form of a table, shared by the workbook (`workbook`) and the HTML report
(`html_report`): both render the same rows and cells, so a number sits in the same place in both.

A table is read as `tables_io` wrote it (`<id>.csv`, every cell kept as text, and
`meta/<id>.json`). Cross-tabs get two header rows (column variable, column labels) and an N row
and a % row per category, with a `Totaal` row and column; other tables one header row and one
row per CSV row. Headers and labels are what people read (`labels.column_label`, the catalogue's
value labels), never CSV column names; notes written by other modules have their decimal points
in the report's language and the CSV column names they mention replaced by their headers.

Groups smaller than `small_group` clients (a cross-tab row, a row of a statistics table with an
`n` column) are marked, and so are the cells of an at-risk table (columns named by months)
below it: the curves stop there.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis.i18n import (
    LANGUAGES,
    display_label,
    format_number,
    localise_decimals,
    text,
    value_label,
)
from cob_analysis.labels import column_label, export_label, variable_label
from cob_analysis.published import PCT_SUFFIX
from cob_analysis.tables_io import (
    TOTAL,
    column_types,
    parse_number,
    read_meta,
)

__all__ = [
    "SMALL_MARK",
    "Cell",
    "Layout",
    "Row",
    "TableData",
    "association_text",
    "layout_table",
    "load_tables",
    "readable_note",
]

TOTAL_LABELS = frozenset({TOTAL, str(value_label(TOTAL, "en"))})
SMALL_MARK = "†"  # after the label of a group smaller than the small-group threshold
# columns that repeat another column's information under an internal name
REDUNDANT_COLUMNS = {"variable": ("covariate", "comparison")}
GROUP_SIZE_COLUMNS = ("n_clients", "n")


# --- reading the tables --------------------------------------------------------------------


@dataclass
class TableData:
    """One table as written by tables_io: raw CSV text (every cell a string) and its meta."""

    id: str
    frame: pd.DataFrame
    meta: dict[str, Any]

    @property
    def number(self) -> int | None:
        return self.meta.get("number")

    @property
    def title(self) -> str:
        return self.meta.get("title") or self.id

    @functools.cached_property
    def columns(self) -> dict[str, dict[str, Any]]:
        """Each column's type and decimals from the metadata `tables_io.write_table` wrote; a
        table made in memory (no `columns` in its meta) is typed by the writer's own rule."""
        declared = self.meta.get("columns") or column_types(self.frame)
        return {column["name"]: column for column in declared}

    def is_number(self, column: str) -> bool:
        return self.columns[str(column)]["type"] == "number"

    def decimals(self, column: str) -> int:
        return self.columns[str(column)]["decimals"] or 0


def load_tables(tables_dir: str | Path) -> list[TableData]:
    """Every `<id>.csv` of `tables_dir` with its `meta/<id>.json`: the report's numbered tables
    first (in number order), then the further analyses in id order."""
    tables_dir = Path(tables_dir)
    out = []
    for csv in sorted(tables_dir.glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        out.append(TableData(csv.stem, frame, read_meta(tables_dir, csv.stem)))
    return sorted(
        out, key=lambda t: (t.meta.get("number") is None, t.meta.get("number") or 0, t.id)
    )


# --- cells, rows, layouts ------------------------------------------------------------------


@dataclass
class Cell:
    """One printed cell. `kind`: text | stat (the N/% label) | number | pct | masked (a suppressed
    number such as `<5`, printed as written) | header."""

    value: Any = None
    kind: str = "text"
    decimals: int = 0
    colspan: int = 1
    source: tuple[int, str] | None = None  # (0-based CSV row, CSV column) of a number
    published: str | None = None  # printed published figure when it differs from this one
    numeric_header: bool = False
    below_precision: bool = False  # a p-value printed as 0: shown as "< 0.0001"
    small: bool = (
        False  # a count below the small-group threshold (at-risk tables), or a small column
    )

    @property
    def is_number(self) -> bool:
        return self.kind in ("number", "pct")

    @property
    def right_aligned(self) -> bool:
        return self.is_number or self.kind == "masked"

    @property
    def differs(self) -> bool:
        return self.published is not None

    def text(self, language: str) -> str:
        if self.is_number:
            if self.value is None:
                return ""
            if self.below_precision:
                return "< " + format_number(10.0**-self.decimals, self.decimals, language)
            return format_number(self.value, self.decimals, language, percent=self.kind == "pct")
        return "" if self.value is None else str(self.value)


@dataclass
class Row:
    cells: list[Cell]
    total: bool = False
    group_start: bool = False  # first line of a category (a top rule in cross-tabs)
    small: bool = False  # a group smaller than the small-group threshold


@dataclass
class Layout:
    id: str
    kind: str
    number: int | None
    title: str
    heading: str  # "Tabel 5. Title"
    header: list[list[Cell]]
    body: list[Row]
    notes: list[str]
    association: str | None = None
    association_warning: str | None = None
    label_columns: int = 1  # leading text columns (frozen in the workbook)
    published_total: int = 0
    published_diff: int = 0
    columns: list[str | None] = field(
        default_factory=list
    )  # the CSV column of each position (flat tables)
    small_group: int | None = None
    has_small: bool = False  # some row or cell is marked small
    flags: list[str] = field(default_factory=list)  # what the small-group marks mean


# --- numbers -------------------------------------------------------------------------------


def _number_cell(
    value: str, decimals: int, kind: str, source: tuple[int, str], marks: dict
) -> Cell:
    number = parse_number(value)
    if number is None and value.strip():  # a masked or suppressed figure ("<5"): shown as written
        return Cell(value.strip(), "masked", decimals, source=source, published=marks.get(source))
    if number is not None and decimals == 0:
        number = int(round(number))
    return Cell(number, kind, decimals, source=source, published=marks.get(source))


def _percent_column(name: str) -> bool:
    return name == "pct" or name.startswith("pct_")


def _is_small(value: float | None, small_group: int | None) -> bool:
    return small_group is not None and value is not None and value < small_group


# --- texts ---------------------------------------------------------------------------------


def _assoc(meta: dict, language: str) -> tuple[str | None, str | None]:
    assoc = meta.get("association")
    if not assoc:
        return None, None
    sentence = None
    if assoc.get("chi2") is not None and assoc.get("p") is not None:
        p = float(assoc["p"])
        p_text = (
            "< " + format_number(0.001, 3, language)
            if p < 0.001
            else "= " + format_number(p, 3, language)
        )
        sentence = text(
            "table.assoc",
            language,
            df=assoc.get("df"),
            chi2=format_number(float(assoc["chi2"]), 2, language),
            p=p_text,
            v=format_number(float(assoc.get("cramers_v") or 0.0), 3, language),
            n=assoc.get("n", ""),
        )
    warning = assoc.get("warning")
    if (
        warning
        and assoc.get("chi2") is not None
        and assoc.get("n_cells_expected_below_5") is not None
    ):
        warning = text(
            "table.assoc_sparse",
            language,
            k=assoc["n_cells_expected_below_5"],
            pct=format_number(float(assoc["pct_cells_expected_below_5"]), 1, language),
            min=format_number(float(assoc["min_expected"]), 2, language),
        )
    return sentence, localise_decimals(warning, language) if warning else None


def association_text(meta: dict, language: str = "nl") -> str | None:
    """The test of association of a cross-tab in one sentence (None when there is none)."""
    return _assoc(meta, language)[0]


# a CSV column name in a note: snake_case (`n_evaluable`, `pct_work_Xm`, `days_*`), `pct`, or the
# `_min`/`_max` suffix of the interval columns
_NAME_IN_NOTE = re.compile(
    r"(?<![\w/.-])(pct_[a-z]+_Xm|[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\*|[a-z][a-z0-9]*(?:_[a-z0-9]+)+"
    r"|pct|_min|_max)(?![\w/-])"
)


def readable_note(note: str, columns: list[str], language: str) -> str:
    """A note of another module as a reader reads it: decimal points in the report's language,
    and each table column it names (`n_evaluable`, `pct_started_Xm`) replaced by its header in
    quotes. Other words are left as they are."""

    def header(match: re.Match) -> str:
        name = match.group(1)
        if name in ("_min", "_max"):
            name = f"pct_work_Xm{name}"
        elif (
            name == "pct"
            and "pct" not in columns
            or "X" not in name
            and not name.endswith("_*")
            and name not in columns
        ):
            return match.group(0)
        label = column_label(name, language)
        return match.group(0) if label == name else f"‘{label}’"

    return _NAME_IN_NOTE.sub(header, localise_decimals(note, language))


# --- layouts -------------------------------------------------------------------------------


def _marks(comparison: pd.DataFrame | None, table_id: str, language: str) -> tuple[dict, int, int]:
    """(CSV row, CSV column) -> printed published figure, for the published figures that differ."""
    if comparison is None or comparison.empty:
        return {}, 0, 0
    rows = comparison[comparison["table_id"] == table_id]
    marks = {}
    for item in rows[~rows["match"]].itertuples(index=False):
        if pd.notna(item.source_row):
            is_pct = str(item.col).endswith(PCT_SUFFIX) or str(item.source_column) == "pct"
            marks[(int(item.source_row), str(item.source_column))] = format_number(
                item.published, int(item.decimals), language, percent=is_pct
            )
    return marks, len(rows), int((~rows["match"]).sum())


def _label(value: str, language: str) -> str:
    return str(display_label(value, language))


def _crosstab_layout(table: TableData, language: str, marks: dict, small_group: int | None):
    frame = table.frame
    rows = list(dict.fromkeys(frame["row"]))
    cols = list(dict.fromkeys(frame["col"]))
    index = {(r, c): i for i, (r, c) in enumerate(zip(frame["row"], frame["col"], strict=True))}
    pct_decimals = table.decimals("pct") if "pct" in frame.columns else 1
    inner = [c for c in cols if c not in TOTAL_LABELS]
    total_col = next((c for c in cols if c in TOTAL_LABELS), None)
    total_row = next((r for r in rows if r in TOTAL_LABELS), None)
    col_var = table.meta.get("col_var")
    col_title = variable_label(col_var, language) if col_var else ""
    row_title = column_label("row", language, table.meta.get("row_var"))
    by_column = table.meta.get("percent") == "column"

    def size(r: str, c: str) -> float | None:
        i = index.get((r, c))
        return None if i is None else parse_number(frame.at[i, "n"])

    column_headers = []
    for c in cols:
        small = (
            by_column
            and c != total_col
            and total_row is not None
            and _is_small(size(total_row, c), small_group)
        )
        column_headers.append(Cell(_label(c, language), "header", numeric_header=True, small=small))
    header = [
        [
            Cell(None, "header"),
            Cell(None, "header"),
            Cell(col_title, "header", colspan=max(len(inner), 1)),
            *([Cell(None, "header")] * (len(cols) - len(inner))),
        ],
        [Cell(row_title, "header"), Cell(None, "header"), *column_headers],
    ]
    body = []
    for r in rows:
        total = r in TOTAL_LABELS
        small = (
            not by_column
            and not total
            and total_col is not None
            and _is_small(size(r, total_col), small_group)
        )
        n_cells, pct_cells = [], []
        for c in cols:
            i = index.get((r, c))
            if i is None:
                n_cells.append(Cell(None, "number"))
                pct_cells.append(Cell(None, "pct", pct_decimals))
                continue
            n_cells.append(_number_cell(frame.at[i, "n"], 0, "number", (i, "n"), marks))
            if "pct" in frame.columns:
                pct_cells.append(
                    _number_cell(frame.at[i, "pct"], pct_decimals, "pct", (i, "pct"), marks)
                )
        body.append(
            Row(
                [Cell(_label(r, language)), Cell("N", "stat"), *n_cells],
                total=total,
                group_start=True,
                small=small,
            )
        )
        if pct_cells:
            body.append(Row([Cell(None), Cell("%", "stat"), *pct_cells], total=total, small=small))
    small_columns = any(c.small for c in column_headers)
    return header, body, 2, [None, None, *cols], small_columns


GROUP_NAMING_COLUMNS = (
    "group",
    "row",
    "level",
    "trajectory",
    "cohort",
    "comparison",
    "code",
    "label",
)


def _rows_are_groups(frame: pd.DataFrame) -> bool:
    """True when each row is one group (its `n` the group's size), not a cell of a long-form
    table (transitions, status by month): the label columns up to the first that names a group
    are unique."""
    keys = []
    for column in frame.columns:
        keys.append(column)
        if column in GROUP_NAMING_COLUMNS:
            return not frame.duplicated(subset=keys).any()
    return False


def _shown_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if not any(other in frame.columns for other in REDUNDANT_COLUMNS.get(str(c), ()))
    ]


def _text_cell(column: str, value: str, language: str, booleans: set[str]) -> Cell:
    if column in booleans:
        return Cell(
            {"True": text("table.yes", language), "False": text("table.no", language)}.get(
                value, value
            )
        )
    if column == "group_var":
        return Cell(variable_label(value, language) if value else value)
    if column == "export":
        return Cell(export_label(value, language))
    return Cell(_label(value, language) if value else value)


def _flat_layout(table: TableData, language: str, marks: dict, small_group: int | None):
    frame = table.frame
    row_var = table.meta.get("row_var")
    columns = _shown_columns(frame)
    numeric = {c: table.is_number(c) for c in columns}
    decimals = {c: table.decimals(c) for c in columns if numeric[c]}
    booleans = {c for c in columns if table.columns[str(c)]["type"] == "bool"}
    time_points = [
        c for c in columns if numeric[c] and str(c).isdigit()
    ]  # an at-risk table: months
    # a risk table also counts events and censored clients per time point: only its at-risk row is a size
    at_risk_rows = (
        [str(v).replace("_", " ").startswith("at risk") for v in frame["measure"]]
        if "measure" in frame.columns
        else [True] * len(frame)
    )
    size_column = next((c for c in GROUP_SIZE_COLUMNS if c in columns and numeric[c]), None)
    if table.meta.get("kind") == "oneway" or not _rows_are_groups(frame):
        size_column = None
    header = [
        [
            Cell(column_label(str(c), language, row_var), "header", numeric_header=numeric[c])
            for c in columns
        ]
    ]
    body = []
    for i in range(len(frame)):
        cells = []
        for c in columns:
            value = frame.iat[i, frame.columns.get_loc(c)]
            if numeric[c]:
                kind = (
                    "pct"
                    if _percent_column(str(c)) and table.meta.get("kind") != "stats"
                    else "number"
                )
                cell = _number_cell(value, decimals[c], kind, (i, str(c)), marks)
                cell.below_precision = c == "p" and cell.value == 0 and decimals[c] > 0
                cell.small = (
                    c in time_points and at_risk_rows[i] and _is_small(cell.value, small_group)
                )
                cells.append(cell)
            else:
                cells.append(_text_cell(str(c), value, language, booleans))
        total = any(
            frame.iat[i, frame.columns.get_loc(c)] in TOTAL_LABELS
            for c in columns
            if not numeric[c]
        )
        small = (
            size_column is not None
            and not total
            and _is_small(
                parse_number(frame.iat[i, frame.columns.get_loc(size_column)]), small_group
            )
        )
        body.append(Row(cells, total=total, small=small))
    label_columns = 0
    for c in columns:
        if numeric[c] or c in booleans:
            break
        label_columns += 1
    return header, body, max(label_columns, 1), list(columns), False


def layout_table(
    table: TableData,
    language: str = "nl",
    comparison: pd.DataFrame | None = None,
    *,
    small_group: int | None = None,
) -> Layout:
    """The printed form of a table: heading, header rows, body rows and notes. With `small_group`
    the groups (and at-risk counts) below that many clients are marked and a note says so."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    meta = table.meta
    marks, n_published, n_diff = _marks(comparison, table.id, language)
    crosstab = meta.get("kind") == "crosstab" and {"row", "col", "n"} <= set(table.frame.columns)
    build = _crosstab_layout if crosstab else _flat_layout
    header, body, label_columns, columns, small_columns = build(table, language, marks, small_group)
    number = meta.get("number")
    title = localise_decimals(table.title, language)
    heading = f"{text('table.number', language)} {number}. {title}" if number is not None else title
    csv_columns = [str(c) for c in table.frame.columns]
    notes = [readable_note(str(n), csv_columns, language) for n in meta.get("notes") or []]
    missing = meta.get("missing_excluded")
    if missing and not notes:
        notes.append(text("table.missing", language, n=missing))
    if crosstab and meta.get("percent") in ("row", "column"):
        notes.append(
            text("table.row_pct" if meta["percent"] == "row" else "table.col_pct", language)
        )
    small_rows = any(row.small for row in body)
    small_cells = any(cell.small for row in body for cell in row.cells)
    flags = []
    if small_rows or small_columns:
        flags.append(text("table.small_groups", language, k=small_group, mark=SMALL_MARK))
    if small_cells:
        flags.append(text("table.small_at_risk", language, k=small_group, mark=SMALL_MARK))
    assoc, warning = _assoc(meta, language)
    return Layout(
        id=table.id,
        kind="crosstab" if crosstab else str(meta.get("kind", "stats")),
        number=number,
        title=title,
        heading=heading,
        header=header,
        body=body,
        notes=notes,
        association=assoc,
        association_warning=warning,
        label_columns=label_columns,
        published_total=n_published,
        published_diff=n_diff,
        columns=columns,
        small_group=small_group,
        has_small=small_rows or small_columns or small_cells,
        flags=flags,
    )
