"""`reports/tables.xlsx`: every table of `reports/tables/` laid out as the report prints it.

The rows and cells come from `layout.layout_table`, which the HTML report uses too.
Layout of a table sheet (1-based Excel rows): 1 title (with the table number), 2 table id,
4 onwards the table: cross-tabs have two header rows (column variable, column labels) and an N
row and a % row per category with a `Totaal` row and column; other tables one header row and
one row per CSV row. Notes (excluded missing values, the test of association, percentages,
small groups) follow the table. Numbers are stored as in the CSV (a percentage 49.1 is the
number 49.1 shown as `49.1%`). Every text is written as a string, never a formula, through
`safe_text.neutralise_cell` (no control characters; `'` before a leading `=`, `+`, `-`, `@`).

Printed, every sheet is A4, fits the page width (portrait when it fits, landscape when wider,
and for the widest tables two pages across at a legible scale with the label columns repeated),
repeats its header rows on each page and says sheet and page in the footer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis.i18n import LANGUAGES, text, value_label
from cob_analysis.published import PCT_SUFFIX
from cob_analysis.report.layout import SMALL_MARK, Cell, Layout, Row, layout_table, load_tables
from cob_analysis.safe_text import clean_text, neutralise_cell
from cob_analysis.storage import atomic_path

__all__ = [
    "FIRST_TABLE_ROW",
    "PrintSetup",
    "column_width_mm",
    "print_setup",
    "sheet_names",
    "workbook",
    "write_workbook",
]

FIRST_TABLE_ROW = 4  # Excel row (1-based) of the first header row of every table sheet
FIXED_CREATED = dt.datetime(
    2020, 1, 1, 0, 0, 0
)  # workbook creation time: fixed for byte-stable output
A4 = 9  # xlsxwriter's paper code
MARGIN_INCH = 0.5
# printable width of A4 (mm) with 0.5" side margins, and the smallest scale still legible
PORTRAIT_MM, LANDSCAPE_MM = 210 - 2 * 25.4 * MARGIN_INCH, 297 - 2 * 25.4 * MARGIN_INCH
MIN_SCALE = 0.75
PORTRAIT_SCALE = (
    0.88  # a sheet a little wider than a portrait page still prints portrait, slightly smaller
)


def _t(key: str, language: str, **fields: object) -> str:
    return text(f"workbook.{key}", language, **fields)


# --- printing ------------------------------------------------------------------------------


def column_width_mm(width: float) -> float:
    """Printed width of an Excel column of `width` characters (Calibri: 7 px a character plus
    5 px padding, at 96 px an inch)."""
    return (width * 7 + 5) * 25.4 / 96


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints: orientation, and either fit to the page width (`scale` None) or a
    fixed scale (percent) with the pages running across."""

    landscape: bool
    scale: int | None


def print_setup(widths: list[float]) -> PrintSetup:
    """Portrait when the columns fit an A4 portrait page at `PORTRAIT_SCALE` or more, landscape
    fitted to the width when they fit a landscape page at `MIN_SCALE` or more, otherwise
    landscape at `MIN_SCALE` with the columns running on over pages across."""
    total = sum(column_width_mm(w) for w in widths)
    if total * PORTRAIT_SCALE <= PORTRAIT_MM:
        return PrintSetup(landscape=False, scale=None)
    if total * MIN_SCALE <= LANDSCAPE_MM:
        return PrintSetup(landscape=True, scale=None)
    return PrintSetup(landscape=True, scale=int(MIN_SCALE * 100))


def _header_text(value: str) -> str:
    return clean_text(value).replace("&", "&&")


def _apply_print_setup(
    ws,
    widths: dict[int, float],
    language: str,
    *,
    header_rows: tuple[int, int] | None = None,
    label_columns: int = 0,
    heading: str | None = None,
) -> PrintSetup:
    setup = print_setup([widths[c] for c in sorted(widths)])
    ws.set_paper(A4)
    if setup.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if setup.scale is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(setup.scale)
        ws.print_across()
        if label_columns:
            ws.repeat_columns(0, label_columns - 1)
    if header_rows is not None:
        ws.repeat_rows(*header_rows)
    ws.set_margins(left=MARGIN_INCH, right=MARGIN_INCH, top=0.7, bottom=0.7)
    if heading:
        ws.set_header(f"&L&8{_header_text(heading)}")
    ws.set_footer("&C&8" + _t("footer", language, sheet="&A", page="&P", pages="&N"))
    return setup


# --- sheet names and formats -----------------------------------------------------------------

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(ids: list[str], reserved: list[str] = ()) -> dict[str, str]:
    """A valid, unique (case-insensitively) sheet name of at most 31 characters per id."""
    taken = {r.lower() for r in reserved}
    out = {}
    for table_id in ids:
        base = _INVALID_SHEET_CHARS.sub("_", clean_text(table_id)).strip("'") or "table"
        name, k = base[:31], 2
        while name.lower() in taken:
            suffix = f"~{k}"
            name, k = base[: 31 - len(suffix)] + suffix, k + 1
        taken.add(name.lower())
        out[table_id] = name
    return out


class _Formats:
    """xlsxwriter formats, created once per distinct set of properties."""

    BASE = {"font_name": "Calibri", "font_size": 10, "valign": "top"}

    def __init__(self, workbook) -> None:
        self.workbook = workbook
        self.cache: dict[tuple, Any] = {}

    def get(self, **props: Any):
        merged = {**self.BASE, **props}
        key = tuple(sorted(merged.items()))
        if key not in self.cache:
            self.cache[key] = self.workbook.add_format(merged)
        return self.cache[key]


def _num_format(cell: Cell) -> str:
    pattern = "0" if cell.decimals == 0 else "0." + "0" * cell.decimals
    return pattern + '"%"' if cell.kind == "pct" else pattern


SMALL_FILL = "#FFF2CC"  # amber: a group below the small-group threshold


def _cell_format(formats: _Formats, cell: Cell, row: Row | None, *, header: bool = False):
    props: dict[str, Any] = {}
    if header:
        props.update(
            bold=True,
            bg_color="#E8EEF4",
            bottom=1,
            text_wrap=True,
            align="right" if cell.numeric_header else "left",
        )
        if cell.colspan > 1:
            props.update(align="center", bottom=0)
        if cell.small:
            props.update(bg_color=SMALL_FILL)
        return formats.get(**props)
    if row is not None:
        if row.total:
            props["bold"] = True
        if row.group_start:
            props["top"] = 1 if row.total else 4  # hairline rule between categories
            props["top_color"] = "#808080"
    if cell.is_number:
        props.update(num_format=_num_format(cell), align="right")
    elif cell.kind == "masked":
        props.update(align="right")
    elif cell.kind == "stat":
        props.update(font_color="#555555", align="center")
    if cell.small or (row is not None and row.small and cell.kind == "text" and cell.value):
        props.update(bg_color=SMALL_FILL, italic=True)
    if cell.differs:
        props.update(bg_color="#F8D7DA", font_color="#842029", bold=True)
    return formats.get(**props)


def _write_text(ws, r: int, c: int, value: str, fmt=None) -> None:
    """A text cell: always a string (never a formula), neutralised."""
    value = neutralise_cell(value)
    if value:
        ws.write_string(r, c, value, fmt)
    else:
        ws.write_blank(r, c, None, fmt)


def _write_value(ws, r: int, c: int, cell: Cell, fmt, language: str, *, mark: bool = False) -> None:
    if cell.is_number and cell.value is not None:
        ws.write_number(r, c, cell.value, fmt)
    elif cell.value is None or cell.value == "":
        ws.write_blank(r, c, None, fmt)
    else:
        _write_text(ws, r, c, cell.text(language) + (f" {SMALL_MARK}" if mark else ""), fmt)


NOTE_LINE_HEIGHT = 13.5  # points, one line of a 10 pt note


def _write_note(ws, r: int, last_column: int, line: str, fmt, span: float) -> None:
    """A note in one cell over the table's columns, wrapped, its row as high as its lines."""
    lines = max(1, -(-len(line) * 1.05 // max(span, 1)))
    if last_column > 0:
        ws.merge_range(r, 0, r, last_column, "", fmt)
    _write_text(ws, r, 0, line, fmt)
    ws.set_row(r, NOTE_LINE_HEIGHT * lines)


def _fit_widths(ws, widths: dict[int, float]) -> dict[int, float]:
    fitted = {c: min(max(w + 2, 6), 60) for c, w in widths.items()}
    for c, w in sorted(fitted.items()):
        ws.set_column(c, c, w)
    return fitted


def _width_of(value: str) -> float:
    return max((len(line) for line in value.split("\n")), default=0) * 1.1


HEADER_WRAP = 9  # a wrapped header is at least this wide (characters); longer headers wrap, never widen a column beyond their longest word


# --- sheets ----------------------------------------------------------------------------------


def _write_table_sheet(ws, formats: _Formats, lay: Layout, language: str) -> PrintSetup:
    _write_text(ws, 0, 0, lay.heading, formats.get(bold=True, font_size=13, valign="vcenter"))
    _write_text(ws, 1, 0, lay.id, formats.get(font_color="#777777", italic=True))
    ws.set_row(0, 20)
    r = FIRST_TABLE_ROW - 1
    widths: dict[int, float] = {}
    for header_row in lay.header:
        c = 0
        for cell in header_row:
            fmt = _cell_format(formats, cell, None, header=True)
            label = cell.text(language)
            if cell.colspan > 1:
                ws.merge_range(r, c, r, c + cell.colspan - 1, "", fmt)
                _write_text(ws, r, c, label, fmt)
            else:
                _write_value(ws, r, c, cell, fmt, language, mark=cell.small)
                longest_word = max((len(w) for w in label.split()), default=0)
                widths[c] = max(
                    widths.get(c, 0), min(_width_of(label), max(HEADER_WRAP, longest_word * 1.1))
                )
            c += cell.colspan
        r += 1
    header_end = r
    for row in lay.body:
        for c, cell in enumerate(row.cells):
            mark = (row.small and c == 0 and bool(cell.value)) or (
                cell.small and not cell.is_number
            )
            _write_value(ws, r, c, cell, _cell_format(formats, cell, row), language, mark=mark)
            if cell.differs:
                ws.write_comment(
                    r,
                    c,
                    clean_text(_t("published_cell", language, value=cell.published)),
                    {"x_scale": 1.2, "y_scale": 0.5},
                )
            widths[c] = max(widths.get(c, 0), _width_of(cell.text(language)) + (2 if mark else 0))
        r += 1
    note_fmt = formats.get(italic=True, font_color="#444444", text_wrap=True)
    warn_fmt = formats.get(italic=True, font_color="#842029", text_wrap=True)
    r += 1
    lines = [(n, note_fmt) for n in lay.notes] + [(f, warn_fmt) for f in lay.flags]
    if lay.association:
        lines.append((lay.association, note_fmt))
    if lay.association_warning:
        lines.append((lay.association_warning, warn_fmt))
    if lay.published_total:
        key = "sheet_published_diff" if lay.published_diff else "sheet_published_ok"
        lines.append(
            (
                _t(key, language, n=lay.published_total, diff=lay.published_diff),
                warn_fmt if lay.published_diff else note_fmt,
            )
        )
    fitted = _fit_widths(ws, widths)
    last_column = max(fitted)
    span = sum(fitted.values())  # a note wraps within the table's width, so it prints with it
    for line, fmt in lines:
        _write_note(ws, r, last_column, line, fmt, span)
        r += 1
    ws.freeze_panes(header_end, lay.label_columns)
    ws.hide_gridlines(2)
    return _apply_print_setup(
        ws,
        fitted,
        language,
        header_rows=(FIRST_TABLE_ROW - 1, header_end - 1),
        label_columns=lay.label_columns,
        heading=lay.heading,
    )


def _write_contents(
    ws,
    formats: _Formats,
    layouts: list[Layout],
    names: dict[str, str],
    language: str,
    comparison_sheet: str | None,
    n_diff: int | None,
) -> None:
    _write_text(ws, 0, 0, _t("contents", language), formats.get(bold=True, font_size=13))
    _write_text(
        ws, 1, 0, _t("contents_note", language), formats.get(italic=True, font_color="#777777")
    )
    header_fmt = formats.get(bold=True, bg_color="#E8EEF4", bottom=1)
    for c, key in enumerate(("nr", "id", "title_column")):
        _write_text(ws, 3, c, _t(key, language), header_fmt)
    link_fmt = formats.get(font_color="#0B5394", underline=1)
    r = 4
    for lay in layouts:
        if lay.number is not None:
            ws.write_number(r, 0, lay.number, formats.get(align="left"))
        ws.write_url(r, 1, f"internal:'{names[lay.id]}'!A1", link_fmt, neutralise_cell(lay.id))
        _write_text(ws, r, 2, lay.title, formats.get(text_wrap=True))
        r += 1
    if comparison_sheet:
        ws.write_url(
            r, 1, f"internal:'{comparison_sheet}'!A1", link_fmt, neutralise_cell(comparison_sheet)
        )
        title = _t("comparison_title", language) + (
            f" ({_t('differences', language).lower()}: {n_diff})" if n_diff is not None else ""
        )
        _write_text(ws, r, 2, title)
    widths = {
        0: 6.0,
        1: float(max([len(n) for n in names] + [len(comparison_sheet or ""), 12]) + 2),
        2: float(min(max([len(lay.title) for lay in layouts] + [30]) + 2, 90)),
    }
    for c, w in widths.items():
        ws.set_column(c, c, w)
    ws.freeze_panes(4, 0)
    ws.hide_gridlines(2)
    _apply_print_setup(ws, widths, language, header_rows=(3, 3))


def _write_comparison(ws, formats: _Formats, comparison: pd.DataFrame, language: str) -> None:
    total, diff = len(comparison), int((~comparison["match"]).sum())
    _write_text(ws, 0, 0, _t("comparison_title", language), formats.get(bold=True, font_size=13))
    _write_text(
        ws,
        1,
        0,
        _t("comparison_summary", language, n=total, same=total - diff, diff=diff),
        formats.get(bold=True, font_color="#842029" if diff else "#1E5631"),
    )
    _write_text(
        ws, 2, 0, _t("comparison_how", language), formats.get(italic=True, font_color="#777777")
    )
    heads = ["id", "row", "column", "published", "regenerated", "rounded", "equal"]
    header_row = FIRST_TABLE_ROW - 1
    for c, key in enumerate(heads):
        _write_text(
            ws,
            header_row,
            c,
            _t(key, language),
            formats.get(
                bold=True,
                bg_color="#E8EEF4",
                bottom=1,
                text_wrap=True,
                align="right" if 3 <= c <= 5 else "left",
            ),
        )
    widths = {c: min(len(_t(k, language)), HEADER_WRAP) for c, k in enumerate(heads)}
    r = header_row + 1
    for item in comparison.itertuples(index=False):
        bad = not item.match
        extra = {"bg_color": "#F8D7DA", "font_color": "#842029", "bold": True} if bad else {}
        decimals = int(item.decimals)
        pattern = "0" if decimals == 0 else "0." + "0" * decimals
        text_fmt = formats.get(**extra)
        col = str(item.col)
        shown_col = (
            str(value_label(col[: -len(PCT_SUFFIX)], language)) + PCT_SUFFIX
            if col.endswith(PCT_SUFFIX)
            else str(value_label(col, language))
        )
        values = [str(item.table_id), str(value_label(str(item.row), language)), shown_col]
        for c, value in enumerate(values):
            _write_text(ws, r, c, value, text_fmt)
            widths[c] = max(widths[c], len(value))
        ws.write_number(
            r, 3, float(item.published), formats.get(num_format=pattern, align="right", **extra)
        )
        for c, value, fmt_pattern in (
            (4, item.regenerated, "General"),
            (5, item.regenerated_rounded, pattern),
        ):
            fmt = formats.get(num_format=fmt_pattern, align="right", **extra)
            if pd.isna(value):
                ws.write_blank(r, c, None, fmt)
            else:
                ws.write_number(r, c, float(value), fmt)
        _write_text(
            ws,
            r,
            6,
            text("table.yes" if item.match else "table.no", language),
            formats.get(align="center", **extra),
        )
        r += 1
    for c in (3, 4, 5):
        widths[c] = max(widths[c], 12)
    fitted = _fit_widths(ws, widths)
    ws.freeze_panes(header_row + 1, 0)
    if total:
        ws.autofilter(header_row, 0, header_row + total, len(heads) - 1)
    ws.hide_gridlines(2)
    _apply_print_setup(
        ws,
        fitted,
        language,
        header_rows=(header_row, header_row),
        heading=_t("comparison_title", language),
    )


def write_workbook(
    tables_dir: str | Path,
    out_path: str | Path,
    *,
    language: str = "nl",
    comparison: pd.DataFrame | None = None,
    small_group: int | None = None,
) -> Path:
    """Write every table of `tables_dir` to one workbook: a contents sheet, one sheet per table in
    table id order, and (when `comparison` from `published.compare` is given) a sheet of published
    versus regenerated figures. With `small_group`, groups of fewer clients are marked.
    Byte-identical for identical inputs."""
    import xlsxwriter

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    tables = load_tables(tables_dir)
    layouts = [layout_table(t, language, comparison, small_group=small_group) for t in tables]
    contents = _t("contents", language)
    comparison_sheet = _t("comparison_sheet", language) if comparison is not None else None
    names = sheet_names(
        [t.id for t in tables],
        reserved=[contents, *([comparison_sheet] if comparison_sheet else [])],
    )
    out_path = Path(out_path)
    with atomic_path(out_path) as partial:
        _write_workbook(
            xlsxwriter.Workbook(
                str(partial),
                {
                    "strings_to_numbers": False,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                },
            ),
            layouts,
            names,
            contents,
            comparison_sheet,
            comparison,
            language,
        )
    return out_path


def _write_workbook(
    workbook, layouts, names, contents, comparison_sheet, comparison, language
) -> None:
    workbook.set_properties(
        {
            "title": _t("title", language),
            "subject": "cob-analysis",
            "author": "cob-analysis",
            "created": FIXED_CREATED,
        }
    )
    formats = _Formats(workbook)
    n_diff = (
        int((~comparison["match"]).sum())
        if comparison is not None and not comparison.empty
        else None
    )
    _write_contents(
        workbook.add_worksheet(contents),
        formats,
        layouts,
        names,
        language,
        comparison_sheet,
        n_diff,
    )
    for lay in layouts:
        _write_table_sheet(workbook.add_worksheet(names[lay.id]), formats, lay, language)
    if comparison_sheet:
        _write_comparison(workbook.add_worksheet(comparison_sheet), formats, comparison, language)
    workbook.close()


def workbook(
    tables_dir: str | Path,
    out_path: str | Path,
    *,
    language: str = "nl",
    comparison: pd.DataFrame | None = None,
    small_group: int | None = None,
) -> Path:
    """Rule `workbook`: `reports/tables.xlsx` (see `write_workbook` for the arguments)."""
    return write_workbook(
        tables_dir, out_path, language=language, comparison=comparison, small_group=small_group
    )
