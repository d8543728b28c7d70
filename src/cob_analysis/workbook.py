"""`reports/tables.xlsx`: every table of `reports/tables/` laid out as the report prints it.

This module also holds the layout both human-readable outputs share (`layout_table`): the
workbook and the HTML report (`html_report`) render the same rows and cells, so a number sits in
the same place in both.

Layout of a table sheet (1-based Excel rows): 1 title (with the table number), 2 table id,
4 onwards the table: cross-tabs have two header rows (column variable, column labels) and an N
row and a % row per category with a `Totaal` row and column; other tables one header row and
one row per CSV row. Notes (excluded missing values, the test of association, percentages)
follow the table. Numbers are stored as in the CSV (a percentage 49.1 is the number 49.1
shown as `49.1%`). Every text is written as a string, never a formula, through
`safe_text.neutralise_cell` (no control characters; `'` before a leading `=`, `+`, `-`, `@`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis.labels import LANGUAGES, pick, value_label
from cob_analysis.published import PCT_SUFFIX
from cob_analysis.safe_text import clean_text, neutralise_cell
from cob_analysis.storage import atomic_path
from cob_analysis.tables_io import TOTAL

__all__ = [
    "FIRST_TABLE_ROW",
    "Cell",
    "Layout",
    "Row",
    "TableData",
    "association_text",
    "column_label",
    "format_number",
    "layout_table",
    "load_tables",
    "sheet_names",
    "write_workbook",
]

FIRST_TABLE_ROW = 4  # Excel row (1-based) of the first header row of every table sheet
FIXED_CREATED = dt.datetime(2020, 1, 1, 0, 0, 0)  # workbook creation time: fixed for byte-stable output
TOTAL_LABELS = frozenset({TOTAL, str(value_label(TOTAL, "en"))})

TEXT: dict[str, dict[str, str]] = {
    "table": {"nl": "Tabel", "en": "Table"},
    "contents": {"nl": "Inhoud", "en": "Contents"},
    "comparison_sheet": {"nl": "Gepubliceerd vs herberekend", "en": "Published vs regenerated"},
    "comparison_title": {"nl": "Gepubliceerde versus herberekende cijfers",
                         "en": "Published versus regenerated figures"},
    "comparison_summary": {
        "nl": "{n} gepubliceerde cijfers vergeleken op de gepubliceerde precisie: {same} gelijk, {diff} verschillend.",
        "en": "{n} published figures compared at the published precision: {same} equal, {diff} different.",
    },
    "comparison_how": {
        "nl": "Het herberekende cijfer is half-naar-boven afgerond op het aantal decimalen van het gepubliceerde.",
        "en": "The regenerated figure is rounded half-up to the number of decimals of the published one.",
    },
    "published_cell": {"nl": "Gepubliceerd: {value}", "en": "Published: {value}"},
    "sheet_published_ok": {"nl": "Gepubliceerd (2020): alle {n} cijfers gelijk.",
                           "en": "Published figures: all {n} equal."},
    "sheet_published_diff": {"nl": "Gepubliceerd: {diff} van {n} cijfers verschillen (rood gemarkeerd).",
                             "en": "Published figures: {diff} of {n} differ (marked red)."},
    "row_pct": {"nl": "Percentages per rij.", "en": "Row percentages."},
    "col_pct": {"nl": "Percentages per kolom.", "en": "Column percentages."},
    "missing": {"nl": "{n} ontbrekende waarden niet opgenomen.", "en": "{n} missing values left out."},
    "assoc": {
        "nl": "Chi-kwadraattoets: χ²({df}) = {chi2}; p {p}; Cramérs V = {v}; N = {n}.",
        "en": "Chi-square test: χ²({df}) = {chi2}, p {p}, Cramér's V = {v}, N = {n}.",
    },
    "assoc_sparse": {
        "nl": "{k} cellen ({pct} %) hebben een verwachte frequentie kleiner dan 5; de minimale verwachte "
              "frequentie is {min}. De chi-kwadraattoets is daardoor niet betrouwbaar.",
        "en": "{k} cells ({pct}%) have an expected count below 5; the minimum expected count is {min}. "
              "The chi-square test is therefore not reliable.",
    },
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "nr": {"nl": "Nr.", "en": "No."},
    "id": {"nl": "Tabel-id", "en": "Table id"},
    "title": {"nl": "Titel", "en": "Title"},
    "sheet": {"nl": "Blad", "en": "Sheet"},
    "published": {"nl": "Gepubliceerd", "en": "Published"},
    "regenerated": {"nl": "Herberekend", "en": "Regenerated"},
    "rounded": {"nl": "Herberekend, afgerond", "en": "Regenerated, rounded"},
    "equal": {"nl": "Gelijk", "en": "Equal"},
    "row": {"nl": "Rij", "en": "Row"},
    "column": {"nl": "Kolom", "en": "Column"},
    "figures": {"nl": "Cijfers", "en": "Figures"},
    "differences": {"nl": "Verschillen", "en": "Differences"},
    "contents_note": {
        "nl": "Eén blad per tabel; klik op een tabel-id om ernaar te gaan. Bron: reports/tables/<id>.csv.",
        "en": "One sheet per table; click a table id to go there. Source: reports/tables/<id>.csv.",
    },
}

VARIABLE_LABELS: dict[str, dict[str, str]] = {
    "cohort": {"nl": "Intakecohorte", "en": "Intake cohort"},
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "gender": {"nl": "Geslacht", "en": "Gender"},
    "household": {"nl": "Gezinssituatie", "en": "Household"},
    "nt2_level": {"nl": "NT2-niveau bij intake", "en": "Dutch level (NT2) at intake"},
    "age_group": {"nl": "Leeftijd", "en": "Age"},
    "schooling": {"nl": "Scholing", "en": "Schooling"},
    "work": {"nl": "Tewerkstelling", "en": "Employment"},
    "work_status": {"nl": "Tewerkstelling", "en": "Employment"},
}

COLUMN_LABELS: dict[str, dict[str, str]] = {
    "code": {"nl": "Code", "en": "Code"},
    "label": {"nl": "Omschrijving", "en": "Description"},
    "n": {"nl": "N", "en": "N"},
    "pct": {"nl": "%", "en": "%"},
    "group": {"nl": "Groep", "en": "Group"},
    "trajectory": {"nl": "Traject", "en": "Trajectory"},
    "n_clients": {"nl": "Cliënten (N)", "en": "Clients (N)"},
    "pct_of_all_clients": {"nl": "% van alle cliënten", "en": "% of all clients"},
    "n_with_art60": {"nl": "Met art. 60 (N)", "en": "With art. 60 (N)"},
    "pct_of_all_art60": {"nl": "% van alle art. 60", "en": "% of all art. 60"},
    "pct_art60_within_trajectory": {"nl": "% met art. 60 binnen traject", "en": "% with art. 60 within trajectory"},
    "mean_days": {"nl": "Gemiddelde (dagen)", "en": "Mean (days)"},
    "sd_days": {"nl": "S (dagen)", "en": "SD (days)"},
    "median_days": {"nl": "Mediaan (dagen)", "en": "Median (days)"},
    "q1_days": {"nl": "Q1 (dagen)", "en": "Q1 (days)"},
    "q3_days": {"nl": "Q3 (dagen)", "en": "Q3 (days)"},
    "min_days": {"nl": "Minimum (dagen)", "en": "Minimum (days)"},
    "max_days": {"nl": "Maximum (dagen)", "en": "Maximum (days)"},
    "events": {"nl": "Gebeurtenissen", "en": "Events"},
    "censored": {"nl": "Gecensureerd", "en": "Censored"},
    "followup_max_days": {"nl": "Langste opvolging (dagen)", "en": "Longest follow-up (days)"},
    "median_ci_low_days": {"nl": "Mediaan: 95%-BI onder", "en": "Median: 95% CI low"},
    "median_ci_high_days": {"nl": "Mediaan: 95%-BI boven", "en": "Median: 95% CI high"},
    "median_months": {"nl": "Mediaan (maanden)", "en": "Median (months)"},
    "comparison": {"nl": "Vergelijking", "en": "Comparison"},
    "variable": {"nl": "Variabele", "en": "Variable"},
    "covariate": {"nl": "Kenmerk", "en": "Covariate"},
    "level": {"nl": "Categorie", "en": "Level"},
    "reference": {"nl": "Referentie", "en": "Reference"},
    "n_groups": {"nl": "Groepen", "en": "Groups"},
    "statistic": {"nl": "Toetsgrootheid", "en": "Statistic"},
    "df": {"nl": "df", "en": "df"},
    "p": {"nl": "p", "en": "p"},
    "hr": {"nl": "Hazard ratio", "en": "Hazard ratio"},
    "odds_ratio": {"nl": "Odds ratio", "en": "Odds ratio"},
    "ci_low": {"nl": "95%-BI onder", "en": "95% CI low"},
    "ci_high": {"nl": "95%-BI boven", "en": "95% CI high"},
    "n_work": {"nl": "Met werk (N)", "en": "With work (N)"},
    "verdict": {"nl": "Oordeel", "en": "Verdict"},
    "check": {"nl": "Controle", "en": "Check"},
    "description": {"nl": "Omschrijving", "en": "Description"},
    "group_var": {"nl": "Groepsvariabele", "en": "Grouping variable"},
    "n_flagged": {"nl": "Gemarkeerd (N)", "en": "Flagged (N)"},
    "export": {"nl": "Export", "en": "Export"},
    "distinct_keys": {"nl": "Unieke sleutels", "en": "Distinct keys"},
    "unmatched_keys": {"nl": "Niet gekoppelde sleutels", "en": "Unmatched keys"},
    "unmatched_rows": {"nl": "Niet gekoppelde rijen", "en": "Unmatched rows"},
    "out_of_window_keys": {"nl": "Sleutels buiten venster", "en": "Keys out of window"},
}

_PCT_STARTED = re.compile(r"^pct_started_(\d+)m(?:_ci_(low|high))?$")


def column_label(name: str, language: str = "nl", row_var: str | None = None) -> str:
    """The header people read for a CSV column name (the name itself when unknown)."""
    if name == "row":
        return pick(VARIABLE_LABELS[row_var], language) if row_var in VARIABLE_LABELS else ""
    if name == "group" and row_var in VARIABLE_LABELS:
        return pick(VARIABLE_LABELS[row_var], language)
    if name in COLUMN_LABELS:
        return pick(COLUMN_LABELS[name], language)
    match = _PCT_STARTED.match(name)
    if match:
        months, bound = match.groups()
        if bound:  # the interval of the column before it
            return pick(COLUMN_LABELS[f"ci_{bound}"], language)
        return {"nl": f"% gestart ≤ {months} mnd", "en": f"% started ≤ {months} mo"}[language]
    return name


def _t(key: str, language: str, **fields: object) -> str:
    return TEXT[key][language].format(**fields)


def format_number(value: float | None, decimals: int, language: str = "nl", *, percent: bool = False) -> str:
    """A number as printed: fixed decimals, decimal comma in Dutch, `%` for percentages."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:.{decimals}f}"
    if language == "nl":
        text = text.replace(".", ",")
    return text + ("%" if percent else "")


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


def _guess_kind(columns: set[str]) -> str:
    """The kind of a table written without meta, from the columns of the data contract."""
    if {"row", "col", "n"} <= columns:
        return "crosstab"
    if {"n", "pct"} <= columns and columns & {"row", "code"}:
        return "oneway"
    return "stats"


def load_tables(tables_dir: str | Path) -> list[TableData]:
    """Every `<id>.csv` of `tables_dir` with its `meta/<id>.json`: the report's numbered tables
    first (in number order), then the further analyses in id order."""
    tables_dir = Path(tables_dir)
    out = []
    for csv in sorted(tables_dir.glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        meta_path = tables_dir / "meta" / f"{csv.stem}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        meta.setdefault("id", csv.stem)
        meta.setdefault("kind", _guess_kind(set(frame.columns)))
        out.append(TableData(csv.stem, frame, meta))
    return sorted(out, key=lambda t: (t.meta.get("number") is None, t.meta.get("number") or 0, t.id))


# --- layout --------------------------------------------------------------------------------


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
                return "< " + format_number(10.0 ** -self.decimals, self.decimals, language)
            return format_number(self.value, self.decimals, language, percent=self.kind == "pct")
        return "" if self.value is None else str(self.value)


@dataclass
class Row:
    cells: list[Cell]
    total: bool = False
    group_start: bool = False  # first line of a category (a top rule in cross-tabs)


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


def _decimals_of(texts: pd.Series) -> int:
    """The most decimals any value of a CSV column is written with (`1e-05` has five)."""
    best = 0
    for text in texts:
        try:
            exponent = Decimal(text.strip()).as_tuple().exponent
        except (InvalidOperation, AttributeError):
            continue
        if isinstance(exponent, int):
            best = max(best, -exponent)
    return min(best, 10)


def _parse(text: str) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_MASKED = re.compile(r"^\s*[<>≤≥]=?\s*\d+(?:[.,]\d+)?\s*$")  # a suppressed small count, e.g. "<5"


def _is_numeric_column(name: str, texts: pd.Series) -> bool:
    values = [t for t in texts if t != ""]
    if name in ("code", "label", "row", "group", "col", "level", "variable", "covariate"):
        return False
    parsed = [_parse(t) is not None for t in values]
    return any(parsed) and all(ok or _MASKED.match(t) for ok, t in zip(parsed, values, strict=True))


def _number_cell(text: str, decimals: int, kind: str, source: tuple[int, str], marks: dict) -> Cell:
    value = _parse(text)
    if value is None and text.strip():  # a masked or suppressed figure ("<5"): shown as written
        return Cell(text.strip(), "masked", decimals, source=source, published=marks.get(source))
    if value is not None and decimals == 0:
        value = int(round(value))
    return Cell(value, kind, decimals, source=source, published=marks.get(source))


def _percent_column(name: str) -> bool:
    return name == "pct" or name.startswith("pct_")


def _assoc(meta: dict, language: str) -> tuple[str | None, str | None]:
    assoc = meta.get("association")
    if not assoc:
        return None, None
    text = None
    if assoc.get("chi2") is not None and assoc.get("p") is not None:
        p = float(assoc["p"])
        p_text = "< " + format_number(0.001, 3, language) if p < 0.001 else "= " + format_number(p, 3, language)
        text = _t("assoc", language, df=assoc.get("df"), chi2=format_number(float(assoc["chi2"]), 2, language),
                  p=p_text, v=format_number(float(assoc.get("cramers_v") or 0.0), 3, language),
                  n=assoc.get("n", ""))
    warning = assoc.get("warning")
    if warning and assoc.get("chi2") is not None and assoc.get("n_cells_expected_below_5") is not None:
        warning = _t("assoc_sparse", language, k=assoc["n_cells_expected_below_5"],
                     pct=format_number(float(assoc["pct_cells_expected_below_5"]), 1, language),
                     min=format_number(float(assoc["min_expected"]), 2, language))
    return text, warning


def association_text(meta: dict, language: str = "nl") -> str | None:
    """The test of association of a cross-tab in one sentence (None when there is none)."""
    return _assoc(meta, language)[0]


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
                item.published, int(item.decimals), language, percent=is_pct)
    return marks, len(rows), int((~rows["match"]).sum())


def _crosstab_layout(table: TableData, language: str, marks: dict) -> tuple[list, list[Row], int]:
    frame = table.frame
    rows = list(dict.fromkeys(frame["row"]))
    cols = list(dict.fromkeys(frame["col"]))
    index = {(r, c): i for i, (r, c) in enumerate(zip(frame["row"], frame["col"], strict=True))}
    pct_decimals = _decimals_of(frame["pct"]) if "pct" in frame.columns else 1
    inner = [c for c in cols if c not in TOTAL_LABELS]
    col_var = table.meta.get("col_var")
    col_title = pick(VARIABLE_LABELS[col_var], language) if col_var in VARIABLE_LABELS else ""
    row_title = column_label("row", language, table.meta.get("row_var"))
    header = [
        [Cell(None, "header"), Cell(None, "header"), Cell(col_title, "header", colspan=max(len(inner), 1)),
         *([Cell(None, "header")] * (len(cols) - len(inner)))],
        [Cell(row_title, "header"), Cell(None, "header"),
         *[Cell(c, "header", numeric_header=True) for c in cols]],
    ]
    body = []
    for r in rows:
        total = r in TOTAL_LABELS
        n_cells, pct_cells = [], []
        for c in cols:
            i = index.get((r, c))
            if i is None:
                n_cells.append(Cell(None, "number"))
                pct_cells.append(Cell(None, "pct", pct_decimals))
                continue
            n_cells.append(_number_cell(frame.at[i, "n"], 0, "number", (i, "n"), marks))
            if "pct" in frame.columns:
                pct_cells.append(_number_cell(frame.at[i, "pct"], pct_decimals, "pct", (i, "pct"), marks))
        body.append(Row([Cell(r), Cell("N", "stat"), *n_cells], total=total, group_start=True))
        if pct_cells:
            body.append(Row([Cell(None), Cell("%", "stat"), *pct_cells], total=total))
    return header, body, 2


def _flat_layout(table: TableData, language: str, marks: dict) -> tuple[list, list[Row], int]:
    frame = table.frame
    row_var = table.meta.get("row_var")
    numeric = {c: _is_numeric_column(c, frame[c]) for c in frame.columns}
    decimals = {c: _decimals_of(frame[c]) for c in frame.columns if numeric[c]}
    booleans = {c for c in frame.columns if set(frame[c]) <= {"True", "False", ""} and set(frame[c]) - {""}}
    header = [[Cell(column_label(str(c), language, row_var), "header", numeric_header=numeric[c])
               for c in frame.columns]]
    body = []
    for i in range(len(frame)):
        cells = []
        for c in frame.columns:
            text = frame.iat[i, frame.columns.get_loc(c)]
            if numeric[c]:
                kind = "pct" if _percent_column(str(c)) and table.meta.get("kind") != "stats" else "number"
                cell = _number_cell(text, decimals[c], kind, (i, str(c)), marks)
                cell.below_precision = c == "p" and cell.value == 0 and decimals[c] > 0
                cells.append(cell)
            elif c in booleans:
                cells.append(Cell({"True": _t("yes", language), "False": _t("no", language)}.get(text, text)))
            else:
                cells.append(Cell(text))
        total = any(frame.iat[i, j] in TOTAL_LABELS for j, c in enumerate(frame.columns) if not numeric[c])
        body.append(Row(cells, total=total))
    label_columns = 0
    for c in frame.columns:
        if numeric[c] or c in booleans:
            break
        label_columns += 1
    return header, body, max(label_columns, 1)


def layout_table(table: TableData, language: str = "nl", comparison: pd.DataFrame | None = None) -> Layout:
    """The printed form of a table: heading, header rows, body rows and notes."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    meta = table.meta
    marks, n_published, n_diff = _marks(comparison, table.id, language)
    crosstab = meta.get("kind") == "crosstab" and {"row", "col", "n"} <= set(table.frame.columns)
    header, body, label_columns = (_crosstab_layout if crosstab else _flat_layout)(table, language, marks)
    number = meta.get("number")
    heading = f"{_t('table', language)} {number}. {table.title}" if number is not None else table.title
    notes = [str(n) for n in meta.get("notes") or []]
    missing = meta.get("missing_excluded")
    if missing and not notes:
        notes.append(_t("missing", language, n=missing))
    if crosstab and meta.get("percent") in ("row", "column"):
        notes.append(_t("row_pct" if meta["percent"] == "row" else "col_pct", language))
    assoc, warning = _assoc(meta, language)
    return Layout(id=table.id, kind="crosstab" if crosstab else str(meta.get("kind", "stats")), number=number,
                  title=table.title, heading=heading, header=header, body=body, notes=notes,
                  association=assoc, association_warning=warning, label_columns=label_columns,
                  published_total=n_published, published_diff=n_diff)


# --- workbook ------------------------------------------------------------------------------

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


def _cell_format(formats: _Formats, cell: Cell, row: Row | None, *, header: bool = False):
    props: dict[str, Any] = {}
    if header:
        props.update(bold=True, bg_color="#E8EEF4", bottom=1, text_wrap=True,
                     align="right" if cell.numeric_header else "left")
        if cell.colspan > 1:
            props.update(align="center", bottom=0)
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
    if cell.differs:
        props.update(bg_color="#F8D7DA", font_color="#842029", bold=True)
    return formats.get(**props)


def _write_text(ws, r: int, c: int, text: str, fmt=None) -> None:
    """A text cell: always a string (never a formula), neutralised."""
    text = neutralise_cell(text)
    if text:
        ws.write_string(r, c, text, fmt)
    else:
        ws.write_blank(r, c, None, fmt)


def _write_value(ws, r: int, c: int, cell: Cell, fmt) -> None:
    if cell.is_number and cell.value is not None:
        ws.write_number(r, c, cell.value, fmt)
    elif cell.value is None or cell.value == "":
        ws.write_blank(r, c, None, fmt)
    else:
        _write_text(ws, r, c, str(cell.value), fmt)


def _fit_widths(ws, widths: dict[int, float]) -> None:
    for c, w in sorted(widths.items()):
        ws.set_column(c, c, min(max(w + 2, 6), 60))


def _width_of(text: str) -> float:
    return max((len(line) for line in text.split("\n")), default=0) * 1.1


def _write_table_sheet(ws, formats: _Formats, lay: Layout, language: str) -> None:
    _write_text(ws, 0, 0, lay.heading, formats.get(bold=True, font_size=13, valign="vcenter"))
    _write_text(ws, 1, 0, lay.id, formats.get(font_color="#777777", italic=True))
    ws.set_row(0, 20)
    r = FIRST_TABLE_ROW - 1
    widths: dict[int, float] = {}
    for header_row in lay.header:
        c = 0
        for cell in header_row:
            fmt = _cell_format(formats, cell, None, header=True)
            text = cell.text(language)
            if cell.colspan > 1:
                ws.merge_range(r, c, r, c + cell.colspan - 1, "", fmt)
                _write_text(ws, r, c, text, fmt)
            else:
                _write_value(ws, r, c, cell, fmt)
                widths[c] = max(widths.get(c, 0), min(_width_of(text), 24))
            c += cell.colspan
        r += 1
    header_end = r
    for row in lay.body:
        for c, cell in enumerate(row.cells):
            _write_value(ws, r, c, cell, _cell_format(formats, cell, row))
            if cell.differs:
                ws.write_comment(r, c, clean_text(_t("published_cell", language, value=cell.published)),
                                 {"x_scale": 1.2, "y_scale": 0.5})
            widths[c] = max(widths.get(c, 0), _width_of(cell.text(language)))
        r += 1
    note_fmt = formats.get(italic=True, font_color="#444444")
    warn_fmt = formats.get(italic=True, font_color="#842029")
    r += 1
    lines = [(n, note_fmt) for n in lay.notes]
    if lay.association:
        lines.append((lay.association, note_fmt))
    if lay.association_warning:
        lines.append((lay.association_warning, warn_fmt))
    if lay.published_total:
        key = "sheet_published_diff" if lay.published_diff else "sheet_published_ok"
        lines.append((_t(key, language, n=lay.published_total, diff=lay.published_diff),
                      warn_fmt if lay.published_diff else note_fmt))
    for text, fmt in lines:
        _write_text(ws, r, 0, text, fmt)
        r += 1
    _fit_widths(ws, widths)
    ws.freeze_panes(header_end, lay.label_columns)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(FIRST_TABLE_ROW - 1, header_end - 1)
    ws.hide_gridlines(2)


def _write_contents(ws, formats: _Formats, layouts: list[Layout], names: dict[str, str],
                    language: str, comparison_sheet: str | None, n_diff: int | None) -> None:
    _write_text(ws, 0, 0, _t("contents", language), formats.get(bold=True, font_size=13))
    _write_text(ws, 1, 0, _t("contents_note", language), formats.get(italic=True, font_color="#777777"))
    header_fmt = formats.get(bold=True, bg_color="#E8EEF4", bottom=1)
    for c, key in enumerate(("nr", "id", "title")):
        _write_text(ws, 3, c, _t(key, language), header_fmt)
    link_fmt = formats.get(font_color="#0B5394", underline=1)
    r = 4
    for lay in layouts:
        if lay.number is not None:
            ws.write_number(r, 0, lay.number, formats.get(align="left"))
        ws.write_url(r, 1, f"internal:'{names[lay.id]}'!A1", link_fmt, neutralise_cell(lay.id))
        _write_text(ws, r, 2, lay.title)
        r += 1
    if comparison_sheet:
        ws.write_url(r, 1, f"internal:'{comparison_sheet}'!A1", link_fmt, neutralise_cell(comparison_sheet))
        title = _t("comparison_title", language) + (f" ({_t('differences', language).lower()}: {n_diff})"
                                                    if n_diff is not None else "")
        _write_text(ws, r, 2, title)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, max([len(n) for n in names] + [len(comparison_sheet or ""), 12]) + 2)
    ws.set_column(2, 2, min(max([len(lay.title) for lay in layouts] + [30]) + 2, 100))
    ws.freeze_panes(4, 0)
    ws.hide_gridlines(2)


def _write_comparison(ws, formats: _Formats, comparison: pd.DataFrame, language: str) -> None:
    total, diff = len(comparison), int((~comparison["match"]).sum())
    _write_text(ws, 0, 0, _t("comparison_title", language), formats.get(bold=True, font_size=13))
    _write_text(ws, 1, 0, _t("comparison_summary", language, n=total, same=total - diff, diff=diff),
                formats.get(bold=True, font_color="#842029" if diff else "#1E5631"))
    _write_text(ws, 2, 0, _t("comparison_how", language), formats.get(italic=True, font_color="#777777"))
    heads = ["id", "row", "column", "published", "regenerated", "rounded", "equal"]
    header_row = FIRST_TABLE_ROW - 1
    for c, key in enumerate(heads):
        _write_text(ws, header_row, c, _t(key, language),
                    formats.get(bold=True, bg_color="#E8EEF4", bottom=1, align="right" if 3 <= c <= 5 else "left"))
    widths = {c: len(_t(k, language)) for c, k in enumerate(heads)}
    r = header_row + 1
    for item in comparison.itertuples(index=False):
        bad = not item.match
        extra = {"bg_color": "#F8D7DA", "font_color": "#842029", "bold": True} if bad else {}
        decimals = int(item.decimals)
        pattern = "0" if decimals == 0 else "0." + "0" * decimals
        text_fmt = formats.get(**extra)
        col = str(item.col)
        shown_col = (str(value_label(col[: -len(PCT_SUFFIX)], language)) + PCT_SUFFIX
                     if col.endswith(PCT_SUFFIX) else str(value_label(col, language)))
        values = [str(item.table_id), str(value_label(str(item.row), language)), shown_col]
        for c, text in enumerate(values):
            _write_text(ws, r, c, text, text_fmt)
            widths[c] = max(widths[c], len(text))
        ws.write_number(r, 3, float(item.published), formats.get(num_format=pattern, align="right", **extra))
        for c, value, fmt_pattern in ((4, item.regenerated, "General"), (5, item.regenerated_rounded, pattern)):
            fmt = formats.get(num_format=fmt_pattern, align="right", **extra)
            if pd.isna(value):
                ws.write_blank(r, c, None, fmt)
            else:
                ws.write_number(r, c, float(value), fmt)
        _write_text(ws, r, 6, _t("yes" if item.match else "no", language), formats.get(align="center", **extra))
        r += 1
    for c in (3, 4, 5):
        widths[c] = max(widths[c], 12)
    _fit_widths(ws, widths)
    ws.freeze_panes(header_row + 1, 0)
    if total:
        ws.autofilter(header_row, 0, header_row + total, len(heads) - 1)
    ws.hide_gridlines(2)


def write_workbook(tables_dir: str | Path, out_path: str | Path, *, language: str = "nl",
                   comparison: pd.DataFrame | None = None) -> Path:
    """Write every table of `tables_dir` to one workbook: a contents sheet, one sheet per table in
    table id order, and (when `comparison` from `published.compare` is given) a sheet of published
    versus regenerated figures. Byte-identical for identical inputs."""
    import xlsxwriter

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    tables = load_tables(tables_dir)
    layouts = [layout_table(t, language, comparison) for t in tables]
    contents = _t("contents", language)
    comparison_sheet = _t("comparison_sheet", language) if comparison is not None else None
    names = sheet_names([t.id for t in tables], reserved=[contents, *([comparison_sheet] if comparison_sheet else [])])
    out_path = Path(out_path)
    with atomic_path(out_path) as partial:
        _write_workbook(xlsxwriter.Workbook(str(partial), {"strings_to_numbers": False, "strings_to_formulas": False,
                                                           "strings_to_urls": False}),
                        layouts, names, contents, comparison_sheet, comparison, language)
    return out_path


def _write_workbook(workbook, layouts, names, contents, comparison_sheet, comparison, language) -> None:
    workbook.set_properties({
        "title": {"nl": "COB Coevelt: tabellen", "en": "COB Coevelt: tables"}[language],
        "subject": "cob-analysis",
        "author": "cob-analysis",
        "created": FIXED_CREATED,
    })
    formats = _Formats(workbook)
    n_diff = int((~comparison["match"]).sum()) if comparison is not None and not comparison.empty else None
    _write_contents(workbook.add_worksheet(contents), formats, layouts, names, language, comparison_sheet, n_diff)
    for lay in layouts:
        _write_table_sheet(workbook.add_worksheet(names[lay.id]), formats, lay, language)
    if comparison_sheet:
        _write_comparison(workbook.add_worksheet(comparison_sheet), formats, comparison, language)
    workbook.close()

