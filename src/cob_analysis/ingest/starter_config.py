"""A starter configuration from the user's own exports (`init-config`).

The headers of each export are matched against Dutch and English names of the canonical
columns; the raw values of the categorical columns are listed with their counts and a guessed
canonical value; the date format, intake window and reference date are guessed from the data.
The result is commented YAML to check and complete by hand: every gap says `FILL IN`.

Nothing that identifies a person is copied. Of identifiers, dates, employers, nationalities and
countries only the header is written, with at most an aggregate (a share, a count, the first and
last intake and reference date). Category values that look like a national register number or a
date are left out, and so are the values of a column with too many of them to be a category."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from cob_analysis import categories
from cob_analysis.config import EXPORTS, REQUIRED_EXPORTS
from cob_analysis.errors import InputError
from cob_analysis.ingest.exports import (
    PLAUSIBLE_YEARS,
    SPECS,
    clean_text_sql,
    date_sql,
    normalised_id_sql,
    valid_insz_sql,
)
from cob_analysis.ingest.readers import read_export

log = logging.getLogger("cob_analysis")

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATE_SAMPLE_SIZE = 1000
MAX_LISTED_VALUES = 100  # more distinct values than this is not a category (or the wrong column)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".sav")  # their dates reach us as ISO text
NOT_SUMMARISED = ("employer", "status_label")  # free text or unused: not even read from Parquet
FILL_IN = "FILL IN"

SYNONYMS: dict[str, tuple[str, ...]] = {
    "client_id": ("insz", "insz nummer", "inszn", "rijksregisternummer", "rijksregister nummer",
                  "rijksregisternr", "rijksregister", "rrn", "rr nummer", "national register number",
                  "national number", "niss", "ssin", "client id", "klantnummer"),
    "intake_date": ("datum intake", "intakedatum", "intake datum", "intake date", "date of intake"),
    "trajectory": ("traject", "trajectory", "type traject", "trajecttype"),
    "gender": ("geslacht", "sex", "gender"),
    "birth_date": ("geboortedatum", "geboorte datum", "date of birth", "birth date", "birthdate"),
    "nationality": ("nationaliteit", "nationality"),
    "household": ("gezinssituatie", "huishouden", "gezinstoestand", "gezinssamenstelling", "gezin",
                  "household"),
    "nt2_level": ("nt2 niveau", "nt2", "niveau nt2", "nt2 level", "taalniveau"),
    "schooling": ("scholing", "opleidingsniveau", "scholingsniveau", "opleiding", "schooling",
                  "education level", "education"),
    "country_of_birth": ("geboorteland", "land van geboorte", "country of birth", "birth country"),
    "continent": ("continent", "werelddeel"),
    "start_date": ("begindatum", "startdatum", "start datum", "start", "start twe", "begin", "start date"),
    "end_date": ("einddatum", "eind datum", "einde", "einde twe", "eind", "end date", "end"),
    "employer": ("werkgever", "naam werkgever", "employer", "tewerkstellingsplaats"),
    "result": ("resultaat", "resultaat twe", "uitkomst", "result", "outcome"),
    "reference_date": ("referentiedatum", "referentie datum", "peildatum", "reference date", "datum", "date"),
    "status_code": ("categorie werkzoekende", "statuscode", "status code", "code", "categorie", "category"),
    "status_label": ("omschrijving", "omschrijving categorie", "label", "status label", "description"),
    "change_date": ("datum wijziging", "wijzigingsdatum", "change date", "datum", "date"),
}
EXPORT_SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("trajectory_changes", "trajectory"): ("nieuw traject", "nieuwe traject", "new trajectory", "traject",
                                           "trajectory"),
}

KNOWN_SPELLINGS: dict[str, dict[str, tuple[str, ...]]] = {  # values key -> canonical -> raw spellings
    "trajectory": {
        "VDAB": ("Geïntegreerd via VDAB", "via VDAB"),
        "SD/Activering": ("Geïntegreerd via Activering", "Activering", "SD Activering", "via Activering"),
        "Lineair": ("Lineair traject", "Lineaire traject"),
        "Jongerenproject (ESF)": ("Jongerenproject", "Jongerenproject ESF", "ESF Jongerenproject"),
    },
    "gender": {"Man": ("M", "Male", "Mannelijk"), "Vrouw": ("V", "F", "W", "Female", "Vrouwelijk")},
    "household": {
        "Aanvragers met gezin ten laste": ("Aanvrager met gezin ten laste", "Met gezin ten laste",
                                           "Gezin ten laste"),
        "Alleenstaande": ("Alleenstaand", "Single"),
        "Samenwoner": ("Samenwonend", "Samenwonende", "Cohabiting"),
        "Onbekend": ("Unknown", "Niet gekend"),
    },
    "schooling": {
        "Geen": ("Geen scholing", "Geen opleiding", "None"),
        "Laag": ("Laaggeschoold", "Low"),
        "Midden": ("Middengeschoold", "Middel", "Medium"),
        "Hoog": ("Hooggeschoold", "High"),
    },
    "twe_result": {
        "Geen werk": ("No work",),
        "NEC": ("Werk NEC",),
        "NEC in SE-bedrijf": ("Werk NEC in SE-bedrijf", "NEC in SE bedrijf"),
        "SEC": ("Werk SEC",),
    },
}
VALUES_KEYS = ("trajectory", "gender", "household", "nt2_level", "schooling", "continent", "twe_result")

EXPORT_HELP = {
    "clients": "the social services' intake registration (one row per intake)",
    "art60": "the OCMW's art. 60 contracts",
    "twe": "the TWE trajectories",
    "vdab": "VDAB's job-seeker status (one row per person and reference date)",
    "trajectory_changes": "changes of trajectory after intake (optional)",
}
COLUMN_HELP = {
    "client_id": "national register number: pseudonymised on ingest, never copied",
    "intake_date": "date of the intake",
    "trajectory": "trajectory",
    "gender": "gender",
    "birth_date": "birth date: becomes the age at intake",
    "nationality": "nationality",
    "household": "household situation",
    "nt2_level": "NT2 (Dutch) level at intake",
    "schooling": "schooling in the country of origin",
    "country_of_birth": "country of birth (optional)",
    "continent": "continent (optional)",
    "start_date": "start of the contract or trajectory",
    "end_date": "end (empty while running)",
    "employer": "employer",
    "result": "result of the TWE trajectory",
    "reference_date": "date of the VDAB snapshot",
    "status_code": "job-seeker category code (recoded by the recoding table)",
    "status_label": "label of the code (optional; unused: the recoding table labels the codes)",
    "change_date": "date of the change",
}


def normalise_text(text: str) -> str:
    """Lower case, accents and punctuation folded, single spaces:
    `NT2-niveau (Intake)` -> `nt2 niveau intake`."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


_SPELLINGS = {key: {normalise_text(raw): canonical for canonical, raws in spellings.items() for raw in raws}
              for key, spellings in KNOWN_SPELLINGS.items()}
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_LONG_NUMBER = re.compile(r"\d{6,}")


def looks_private(text: str) -> bool:
    """True for text that may be a national register number, another long number or a date."""
    return bool(_LONG_NUMBER.search(re.sub(r"[\s./-]", "", text)) or _DATE_LIKE.search(text))


# ---------------------------------------------------------------------------------------------
# What was read of a file


@dataclass(frozen=True)
class ExportFile:
    """One export file as read: all its headers and the columns the starter summarises."""

    path: str
    headers: tuple[str, ...]
    table: pa.Table  # CSV and spreadsheets: every column; Parquet: the summarised ones only
    sheet: str | None = None
    sheets: tuple[str, ...] = ()

    @classmethod
    def from_table(cls, path: str, table: pa.Table, sheet: str | None = None) -> ExportFile:
        return cls(path, tuple(n for n in table.column_names if n != "_row"), table, sheet)

    @property
    def is_spreadsheet(self) -> bool:
        return Path(self.path).suffix.lower() in SPREADSHEET_SUFFIXES

    def has(self, header: str | None) -> bool:
        return header is not None and header in self.table.column_names


# ---------------------------------------------------------------------------------------------
# Column mapping


def synonyms_for(export: str, column: str) -> tuple[str, ...]:
    return EXPORT_SYNONYMS.get((export, column), SYNONYMS[column])


def header_score(header: str, synonym: str) -> int:
    """3: the same words (or the same letters without spaces); 2: the header starts with the
    synonym's words; 1: the synonym's words are inside the header; 0: no match. Both normalised."""
    if header == synonym or header.replace(" ", "") == synonym.replace(" ", ""):
        return 3
    if header.startswith(synonym + " "):
        return 2
    return 1 if f" {synonym} " in f" {header} " else 0


def guess_columns(export: str, headers: Sequence[str]) -> dict[str, str | None]:
    """Canonical column -> the raw header that best matches one of its synonyms (None: no match).

    Best matches are assigned first; a header serves one canonical column only."""
    spec = SPECS[export]
    canonical = spec.required + spec.optional
    normalised = [normalise_text(h) for h in headers]
    candidates = []
    for column_rank, column in enumerate(canonical):
        for synonym_rank, synonym in enumerate(synonyms_for(export, column)):
            wanted = normalise_text(synonym)
            for header_rank, header in enumerate(normalised):
                score = header_score(header, wanted)
                if score:
                    candidates.append((-score, -len(wanted), synonym_rank, header_rank, column_rank))
    mapping: dict[str, str | None] = dict.fromkeys(canonical)
    taken: set[int] = set()
    for *_, header_rank, column_rank in sorted(candidates):
        column = canonical[column_rank]
        if mapping[column] is None and header_rank not in taken:
            mapping[column] = headers[header_rank]
            taken.add(header_rank)
    return mapping


def summarised_headers(export: str, mapping: Mapping[str, str | None]) -> list[str]:
    """The mapped headers whose values are summarised (identifiers only of the clients)."""
    return [header for column, header in mapping.items()
            if header and column not in NOT_SUMMARISED and (column != "client_id" or export == "clients")]


# ---------------------------------------------------------------------------------------------
# Summaries of columns (in DuckDB over the Arrow table: nothing leaves but aggregates)


def _query(table: pa.Table, sql: str) -> list[tuple]:
    con = duckdb.connect()
    try:
        con.register("t", table)
        return con.sql(sql).fetchall()
    finally:
        con.close()


def _text_sql(table: pa.Table, header: str) -> str:
    """The cleaned text ingest compares (trimmed, blanks as NULL, whole floats as integers)."""
    return clean_text_sql(header, table.schema.field(header).type)


def value_counts(table: pa.Table, header: str) -> Counter:
    """Raw (cleaned) value -> rows; empty values under None."""
    return Counter(dict(_query(table, f"SELECT {_text_sql(table, header)} AS v, count(*) FROM t GROUP BY 1")))


def distinct_count(files: Sequence[ExportFile], header: str | None) -> int | None:
    """Distinct filled values of a column over the files (None: not read)."""
    tables = [file.table for file in files if file.has(header)]
    if not tables:
        return None
    return len(set().union(*(set(value_counts(table, header)) - {None} for table in tables)))


def is_native_date(arrow_type: pa.DataType) -> bool:
    return pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type)


def date_sample(table: pa.Table, header: str, size: int = DATE_SAMPLE_SIZE) -> list[str]:
    """Up to `size` distinct text values of a date column, spread over the file (by hash)."""
    sql = (f"SELECT v FROM (SELECT DISTINCT {_text_sql(table, header)} AS v FROM t) WHERE v IS NOT NULL "
           f"ORDER BY hash(v), v LIMIT {size}")
    return [row[0] for row in _query(table, sql)]


def _dates_sql(table: pa.Table, header: str, date_format: str | None) -> str:
    """Rows (v: text, d: date within the plausible years or NULL) as ingest parses them."""
    parsed = date_sql("v", table.schema.field(header).type, date_format)
    low, high = PLAUSIBLE_YEARS
    return (f"SELECT v, CASE WHEN year(d) BETWEEN {low} AND {high} THEN d END AS d "
            f"FROM (SELECT v, {parsed} AS d FROM (SELECT {_text_sql(table, header)} AS v FROM t))")


@dataclass(frozen=True)
class DateRange:
    first: dt.date | None
    last: dt.date | None
    unreadable: int  # rows with text that is no (plausible) date


def date_range(table: pa.Table, header: str, date_format: str | None) -> DateRange:
    sql = (f"SELECT min(d), max(d), count(*) FILTER (WHERE v IS NOT NULL AND d IS NULL) "
           f"FROM ({_dates_sql(table, header, date_format)})")
    first, last, unreadable = _query(table, sql)[0]
    return DateRange(first, last, int(unreadable))


def distinct_dates(table: pa.Table, header: str, date_format: str | None) -> set[dt.date]:
    sql = f"SELECT DISTINCT d FROM ({_dates_sql(table, header, date_format)}) WHERE d IS NOT NULL"
    return {row[0] for row in _query(table, sql)}


def valid_id_share(table: pa.Table, header: str) -> float | None:
    """Share of the filled identifiers that pass the national register number check."""
    normalised = normalised_id_sql(f"({_text_sql(table, header)})", "insz")
    sql = (f"SELECT count(*) FILTER (WHERE {valid_insz_sql('n')}), count(n) "
           f"FROM (SELECT {normalised} AS n FROM t)")
    valid, filled = _query(table, sql)[0]
    return valid / filled if filled else None


# ---------------------------------------------------------------------------------------------
# Guesses


def guess_date_format(values: Iterable[str]) -> str | None:
    """The one format of DATE_FORMATS that reads every value; None if none or several do."""
    values = list(values)

    def reads_all(fmt: str) -> bool:
        try:
            for value in values:
                dt.datetime.strptime(value, fmt)
        except ValueError:
            return False
        return True

    fitting = [fmt for fmt in DATE_FORMATS if reads_all(fmt)] if values else []
    return fitting[0] if len(fitting) == 1 else None


@dataclass(frozen=True)
class DateFormatGuess:
    date_format: str | None
    note: str


def guess_export_date_format(export: str, files: Sequence[ExportFile],
                             mapping: Mapping[str, str | None]) -> DateFormatGuess:
    """One date_format for all text date columns of an export (native dates need none)."""
    guesses: dict[str, set[str | None]] = {}
    native = False
    for column in SPECS[export].dates:
        header = mapping.get(column)
        for file in files:
            if not file.has(header):
                continue
            if is_native_date(file.table.schema.field(header).type):
                native = True
                continue
            sample = date_sample(file.table, header)
            if not sample:
                continue
            guess = guess_date_format(sample)
            if guess == "%Y-%m-%d" and file.is_spreadsheet:  # the spreadsheet's own dates, as ISO text
                native = True
                continue
            guesses.setdefault(header, set()).add(guess)
    found = set().union(*guesses.values()) if guesses else set()
    if not found:
        note = ("the dates are stored as dates in the file: no format needed" if native
                else "no dates to judge the format from: ingest tries each known format")
        return DateFormatGuess(None, note)
    unread = [header for header, fmts in guesses.items() if None in fmts]
    if unread:
        formats = ", ".join(DATE_FORMATS)
        return DateFormatGuess(None, f"the dates in {_listed(unread)} are in none (or several) of the "
                                     f"formats {formats}: set it (strftime codes) if ingest cannot read them")
    if len(found) > 1:
        formats = ", ".join(sorted(found))
        return DateFormatGuess(None, f"the date columns are written in different formats ({formats}): "
                                     "null lets ingest try each known format")
    return DateFormatGuess(found.pop(), f"how dates are written in the file, guessed from {_listed(guesses)}")


def guess_value(values_key: str, raw: str) -> str | None:
    """The canonical value for a raw value: itself when canonical (any case), a known spelling's
    canonical value, the raw value itself for a variable without a fixed list; else None."""
    allowed = categories.ORDER.get(values_key)
    if allowed is None:
        return raw
    for canonical in allowed:
        if canonical.casefold() == raw.strip().casefold():
            return canonical
    return _SPELLINGS.get(values_key, {}).get(normalise_text(raw))


def half_year_window(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """[first, last] rounded out to whole half-years."""
    start = dt.date(first.year, 1 if first.month <= 6 else 7, 1)
    end = dt.date(last.year, 6, 30) if last.month <= 6 else dt.date(last.year, 12, 31)
    return start, end


# ---------------------------------------------------------------------------------------------
# YAML text


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same string: plain when safe, else quoted."""
    plain = re.fullmatch(r"[\w./()<>+-][\w ./()<>+-]*", text) and not text.endswith(" ")
    if plain and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def _listed(items: Iterable[str]) -> str:
    return ", ".join(f"'{_comment(item)}'" for item in items)


def _shown_headers(headers: Sequence[str]) -> str:
    """The headers for a comment; one that looks like a number or a date is not shown (a file
    without a header row would otherwise put its first row here)."""
    hidden = sum(looks_private(h) for h in headers)
    shown = _listed(h for h in headers if not looks_private(h)) or "none"
    if hidden:
        shown += (f" (and {hidden} that look like numbers or dates, not shown: "
                  "does the file have a header row?)")
    return shown


def _rows(n: int) -> str:
    return f"{n} row{'s' if n != 1 else ''}"


def _header_lines(files: Mapping[str, Sequence[ExportFile]]) -> list[str]:
    return [
        "# cob-analysis configuration: a starter written by `python -m cob_analysis init-config` from",
        "# your exports. Check every guess, replace every null marked FILL IN, then run",
        "#   snakemake --cores all --configfile <this file>",
        "# It is validated against src/cob_analysis/schemas/config.schema.json (unknown keys are",
        "# refused); keys left out (policies, missing, small_cell_threshold, ...) take their defaults",
        "# from src/cob_analysis/data/defaults.yaml.",
        "# No identifier, name or date of a person was copied here: only headers, category values with",
        "# their counts, and aggregates (shares, counts, the first and last intake and reference date).",
        f"# Read: {', '.join(export for export in EXPORTS if export in files)}.",
        "",
    ]


def _export_lines(export: str, files: Sequence[ExportFile], mapping: Mapping[str, str | None],
                  date_guess: DateFormatGuess | None) -> list[str]:
    """One export's block: path, sheet, columns and date format (placeholders without files)."""
    lines = [f"  {export}:  # {EXPORT_HELP[export]}"]
    spec = SPECS[export]
    if not files:
        flag = "--" + export.replace("_", "-")
        lines.append(f"    path: null  # {FILL_IN}: the export's file (or run init-config again with {flag})")
        lines.append("    columns:")
        lines += [f"      {column}: null  # {FILL_IN}: the header of the {COLUMN_HELP[column]}"
                  for column in spec.required]
        return lines
    paths = [file.path for file in files]
    if len(paths) == 1:
        lines.append(f"    path: {yaml_scalar(paths[0])}")
    else:
        lines.append("    path:  # the files are read one after the other; they need the same headers")
        lines += [f"      - {yaml_scalar(path)}" for path in paths]
    first = files[0]
    if first.sheet is not None:
        others = f"; the workbook's sheets: {_listed(first.sheets)}" if len(first.sheets) > 1 else ""
        lines.append(f"    sheet: {yaml_scalar(first.sheet)}  # the sheet read{others}")
    lines.append("    columns:  # canonical column: the header of that column in your file")
    for column in spec.required + spec.optional:
        lines.append(_column_line(export, column, mapping[column], files))
    for file in files[1:]:
        absent = [header for header in mapping.values() if header and header not in file.headers]
        if absent:
            lines.append(f"    # {FILL_IN}: {_comment(file.path)} lacks the headers {_listed(absent)}")
    if spec.dates:
        fmt = json.dumps(date_guess.date_format) if date_guess.date_format else "null"
        lines.append(f"    date_format: {fmt}  # {_comment(date_guess.note)}")
    return lines


def _column_line(export: str, column: str, header: str | None, files: Sequence[ExportFile]) -> str:
    if header is None:
        headers = _shown_headers(files[0].headers)
        if column in SPECS[export].optional:
            return f"      # {column}:  # optional, not found; one of the headers: {headers}"
        return f"      {column}: null  # {FILL_IN}: the {COLUMN_HELP[column]}; one of the headers: {headers}"
    note = COLUMN_HELP[column]
    if column in ("nationality", "country_of_birth"):
        count = distinct_count(files, header)
        if count is not None:
            note += f"; {count} distinct values (not shown)"
    return f"      {column}: {yaml_scalar(header)}  # {_comment(note)}"


def collect_values(files: Mapping[str, Sequence[ExportFile]],
                   mappings: Mapping[str, Mapping[str, str | None]]) -> dict[str, dict[str, Counter]]:
    """Values key -> export -> raw value -> rows (None: empty), over the categorical columns."""
    out: dict[str, dict[str, Counter]] = {}
    for export, export_files in files.items():
        for column, values_key in SPECS[export].categorical.items():
            header = mappings[export][column]
            counts = Counter()
            for file in export_files:
                if file.has(header):
                    counts.update(value_counts(file.table, header))
            if header is not None:
                out.setdefault(values_key, {})[export] = counts
    return out


def _values_lines(values: Mapping[str, Mapping[str, Counter]]) -> list[str]:
    lines = [
        "# values: every raw value of each categorical column, mapped to the canonical value the tables",
        "# use. Values equal to a canonical value or with a known spelling are filled in: check them.",
        "# A value marked FILL IN is commented out: uncomment it and write one of the canonical values,",
        "# or null to treat it as missing (not registered). Left commented, the run stops on it. Empty",
        "# cells are missing anyway. Canonical values map to themselves. Counts are rows.",
        "values:",
    ]
    for key in VALUES_KEYS:
        if key not in values:
            lines.append(f"  # {key}: no column read for it")
            continue
        lines += _value_map_lines(key, values[key])
    return lines


def _value_map_lines(key: str, per_export: Mapping[str, Counter]) -> list[str]:
    total = sum(per_export.values(), Counter())
    empty = total.pop(None, 0)
    allowed = categories.ORDER.get(key)
    canon = (f"canonical: {', '.join(allowed)}" if allowed
             else "as registered: map spellings to one name if needed")
    hidden = {raw: n for raw, n in total.items() if looks_private(raw)}
    shown = {raw: n for raw, n in total.items() if raw not in hidden}
    notes = []
    if empty:
        notes.append(f"    # {_rows(empty)} empty: missing")
    if hidden:
        notes.append(f"    # {len(hidden)} values ({_rows(sum(hidden.values()))}) look like national "
                     "register numbers or dates and are not shown: is the column mapping right?")
    if len(shown) > MAX_LISTED_VALUES:
        notes.append(f"    # {len(shown)} distinct values: too many for a category, not listed; "
                     "is the column mapping right?")
        return [f"  {key}: {{}}  # {canon}", *notes]
    if not shown:
        return [f"  {key}: {{}}  # {canon}", *notes]
    lines = [f"  {key}:  # {canon}"]
    for raw, n in sorted(shown.items(), key=lambda item: (-item[1], item[0])):
        guess = guess_value(key, raw)
        rows = _rows(n)
        if len(per_export) > 1:
            rows += " (" + ", ".join(f"{export} {counts[raw]}" for export, counts in per_export.items()
                                     if counts[raw]) + ")"
        if guess is None:  # commented out: left so, the run stops on this value and names it
            lines.append(f"    # {yaml_scalar(raw)}: {FILL_IN}  # one of {', '.join(allowed)}, or null for "
                         f"missing; uncomment; {rows}")
        else:
            lines.append(f"    {yaml_scalar(raw)}: {yaml_scalar(guess)}  # {rows}")
    return lines + notes


def _id_kind_lines(clients: Sequence[ExportFile], mapping: Mapping[str, str | None]) -> list[str]:
    header = mapping.get("client_id")
    shares = [valid_id_share(file.table, header) for file in clients if file.has(header)]
    shares = [share for share in shares if share is not None]
    lines = ["# id_kind: what client_id holds in every export: insz (national register numbers, checked",
             "# with mod-97 and pseudonymised) or opaque (any other identifier, used as it is)."]
    if not shares:
        return [*lines, "id_kind: insz  # check: no client identifiers were read to judge from"]
    share = min(shares)
    kind = "insz" if share >= 0.5 else "opaque"
    return [*lines, f"id_kind: {kind}  # {share:.1%} of the clients' identifiers pass the check"]


def _window_lines(clients: Sequence[ExportFile], mapping: Mapping[str, str | None],
                  date_guess: DateFormatGuess | None) -> tuple[list[str], dt.date | None]:
    header = mapping.get("intake_date")
    date_format = date_guess.date_format if date_guess else None
    ranges = [date_range(file.table, header, date_format) for file in clients if file.has(header)]
    firsts = [r.first for r in ranges if r.first]
    lasts = [r.last for r in ranges if r.last]
    lines = ["# intake_window: the intakes studied, by intake date; intakes outside it are counted as",
             "# out of window. Narrow it to the cohorts you report on."]
    if not firsts:
        return [*lines, "intake_window:", f"  from: null  # {FILL_IN}: first day (YYYY-MM-DD)",
                f"  to: null  # {FILL_IN}: last day (YYYY-MM-DD)"], None
    first, last = min(firsts), max(lasts)
    start, end = half_year_window(first, last)
    lines.append(f"# The intake dates run from {first} to {last}; the window rounds them out to whole "
                 "half-years.")
    unreadable = sum(r.unreadable for r in ranges)
    if unreadable:
        lines.append(f"# {_rows(unreadable)} hold an intake date that cannot be read (see date_format).")
    return [*lines, "intake_window:", f"  from: {start}", f"  to: {end}"], start


def _reference_lines(vdab: Sequence[ExportFile], mapping: Mapping[str, str | None],
                     date_guess: DateFormatGuess | None) -> tuple[list[str], dt.date | None]:
    header = mapping.get("reference_date")
    date_format = date_guess.date_format if date_guess else None
    dates = set().union(*(distinct_dates(file.table, header, date_format)
                          for file in vdab if file.has(header)))
    lines = ["# reference_date: the VDAB snapshot the cross-sectional tables use (null: the latest).",
             "# observation_end: the censoring date for the time to a first art. 60 (null: reference_date)."]
    if not dates:
        return [*lines, "reference_date: null  # no VDAB reference dates read: the latest one",
                "observation_end: null"], None
    latest = max(dates)
    lines.append(f"# The VDAB export has {len(dates)} reference date{'s' if len(dates) > 1 else ''}, "
                 f"from {min(dates)} to {latest}.")
    return [*lines, f"reference_date: {latest}", f"observation_end: {latest}"], latest


def _closing_lines(vdab: Sequence[ExportFile], mapping: Mapping[str, str | None],
                   window_start: dt.date | None, end: dt.date | None) -> list[str]:
    header = mapping.get("status_code")
    codes = distinct_count(vdab, header)
    known = f" (your VDAB export has {codes} distinct codes)" if codes is not None else ""
    lines = [
        "# twe_result_window: the TWE trajectories whose result is tabled, by the end of the last one;",
        "# here from the start of the intake window to observation_end.",
    ]
    if window_start and end:
        lines += ["twe_result_window:", f"  from: {window_start}", f"  to: {end}"]
    else:
        lines += ["twe_result_window:", f"  from: null  # {FILL_IN}: first day (YYYY-MM-DD)",
                  f"  to: null  # {FILL_IN}: last day (YYYY-MM-DD)"]
    return lines + [
        "",
        "# cohort: how intakes are grouped: half-year (Voorjaar/Najaar YYYY), quarter or year.",
        "cohort: half-year",
        "",
        "# language: of the labels, titles and notes of tables and reports: nl or en.",
        "language: nl",
        "",
        "# recode: the table that recodes VDAB status codes into work status. Left out, as here, the",
        "# reviewed table config/recode/vdab_status.csv is used. It must know every code of your VDAB",
        f"# export{known}: a code it lacks stops the run. Your own table: recode: path/to/table.csv",
        "",
        "# output: where the processed (pseudonymised) data and the reports are written.",
        "output: {processed: data/processed, reports: reports}",
        "",
        "# pseudonymisation: national register numbers are replaced on ingest by a keyed hash",
        "# (HMAC-SHA256). The key is read from the environment variable named here (export",
        "# COB_PSEUDO_KEY=... before the run) or from key_file: /secure/path/key.txt. Keep the key",
        "# secret and out of this file and the repository, and use the same key on every run so that",
        "# pseudonyms stay stable; the published demo key is refused for these exports.",
        "pseudonymisation:",
        "  key_env: COB_PSEUDO_KEY",
    ]


def starter_config(files: Mapping[str, Sequence[ExportFile]]) -> str:
    """The commented starter YAML for the exports read (export name -> its files, in order)."""
    files = {export: list(files.get(export, ())) for export in EXPORTS if files.get(export)}
    mappings = {export: guess_columns(export, export_files[0].headers)
                for export, export_files in files.items()}
    date_guesses = {export: guess_export_date_format(export, export_files, mappings[export])
                    for export, export_files in files.items()}
    lines = _header_lines(files)
    lines += ["# exports: where each export is and which of its headers holds each canonical column.",
              "# The columns were guessed from the headers' names (Dutch and English): check them.",
              "exports:"]
    for export in EXPORTS:
        if export in files or export in REQUIRED_EXPORTS:
            lines += _export_lines(export, files.get(export, []), mappings.get(export, {}),
                                   date_guesses.get(export))
        else:
            lines.append(f"  # {export}: {EXPORT_HELP[export]}: none given (--{export.replace('_', '-')})")
    lines.append("")
    lines += _values_lines(collect_values(files, mappings))
    lines.append("")
    lines += _id_kind_lines(files.get("clients", []), mappings.get("clients", {}))
    lines.append("")
    window, window_start = _window_lines(files.get("clients", []), mappings.get("clients", {}),
                                         date_guesses.get("clients"))
    reference, latest = _reference_lines(files.get("vdab", []), mappings.get("vdab", {}),
                                         date_guesses.get("vdab"))
    lines += [*window, "", *reference, ""]
    lines += _closing_lines(files.get("vdab", []), mappings.get("vdab", {}), window_start, latest)
    return "\n".join(lines) + "\n"


def fill_in_count(text: str) -> int:
    """Lines of a starter config that still say FILL IN (the header comments excluded)."""
    return sum(FILL_IN in line for line in text.splitlines() if not line.startswith("#"))


def console_summary(files: Mapping[str, Sequence[ExportFile]], text: str, out: str) -> list[str]:
    """What to tell the user: per export the columns not found (canonical names only), and what is left."""
    lines = []
    for export in EXPORTS:
        if not files.get(export):
            continue
        mapping = guess_columns(export, files[export][0].headers)
        required = SPECS[export].required
        missing = [column for column in required if mapping[column] is None]
        found = f"{len(required) - len(missing)} of {len(required)} required columns guessed"
        lines.append(f"init-config: {export}: {found}"
                     + (f"; not found: {', '.join(missing)}" if missing else ""))
    lines.append(f"init-config: wrote {out}; {fill_in_count(text)} lines marked {FILL_IN} to complete, "
                 "and every guess to check")
    return lines


# ---------------------------------------------------------------------------------------------
# I/O edges


def workbook_sheets(path: str | Path) -> tuple[str, ...]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return tuple(workbook.sheetnames)
    finally:
        workbook.close()


def read_export_file(export: str, path: str, sheet: str | None = None) -> ExportFile:
    """Read what the starter needs of one file: every header, and (of a Parquet file only) the
    columns it summarises."""
    if not Path(path).exists():
        raise InputError(path, None, "file does not exist", hint="check the path given to init-config")
    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        headers = tuple(str(name).strip() for name in pq.read_schema(path).names)
        needed = summarised_headers(export, guess_columns(export, headers))
        table = read_export(path, columns=needed) if needed else pa.table({})
        return ExportFile(path, headers, table)
    sheets: tuple[str, ...] = ()
    if suffix in (".xlsx", ".xlsm"):
        sheets = workbook_sheets(path)
        sheet = sheet or sheets[0]
    else:
        sheet = None
    table = read_export(path, sheet=sheet)
    return ExportFile(path, tuple(n for n in table.column_names if n != "_row"), table, sheet, sheets)


def sheets_by_export(values: Sequence[str] | None) -> dict[str, str | None]:
    """`--sheet NAME` (every spreadsheet export) and `--sheet EXPORT=NAME` (one export)."""
    default, specific = None, {}
    for value in values or ():
        export, sep, name = value.partition("=")
        if sep and export in EXPORTS:
            specific[export] = name
        else:
            default = value
    return {export: specific.get(export, default) for export in EXPORTS}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `init-config`."""
    parser.add_argument("--clients", required=True, metavar="PATH", help="the social services' intake export")
    parser.add_argument("--art60", metavar="PATH", help="the art. 60 contracts export")
    parser.add_argument("--twe", metavar="PATH", help="the TWE trajectories export")
    parser.add_argument("--vdab", nargs="+", metavar="PATH",
                        help="the VDAB status export (one or more files)")
    parser.add_argument("--trajectory-changes", metavar="PATH", help="the trajectory changes export")
    parser.add_argument("--out", default="my.yaml", metavar="PATH",
                        help="the config to write (default: my.yaml)")
    parser.add_argument("--sheet", action="append", metavar="[EXPORT=]SHEET",
                        help="sheet of the spreadsheet exports (default: the first); "
                             "EXPORT=SHEET for one export")
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")


def run(args: argparse.Namespace) -> None:
    """Read the exports given, write the starter config to --out and say what is left to do."""
    out = Path(args.out)
    if out.exists() and not args.force:
        raise SystemExit(f"init-config: {out} exists; give --force to overwrite it")
    given = {"clients": [args.clients], "art60": [args.art60], "twe": [args.twe], "vdab": args.vdab or [],
             "trajectory_changes": [args.trajectory_changes]}
    sheets = sheets_by_export(args.sheet)
    files = {export: [read_export_file(export, path, sheets[export]) for path in paths if path]
             for export, paths in given.items()}
    text = starter_config(files)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    for line in console_summary(files, text, str(out)):
        log.info(line)
