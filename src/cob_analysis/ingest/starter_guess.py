"""The guesses of `init-config`, from headers and values: which header is which canonical
column, the date format, the canonical value of a raw category, the study period. Pure functions
(and small queries over Arrow tables); nothing here writes or prints a value."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from cob_analysis import categories
from cob_analysis.ingest.exports import (
    PLAUSIBLE_YEARS,
    SPECS,
    clean_text_sql,
    date_sql,
    normalised_id_sql,
    valid_insz_sql,
)

log = logging.getLogger("cob_analysis")

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATE_SAMPLE_SIZE = 1000
MAX_LISTED_VALUES = 100  # more distinct values than this is not a category (or the wrong column)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".sav")  # their dates reach us as ISO text
NOT_SUMMARISED = ("employer", "status_label")  # free text or unused: not even read from Parquet
FILL_IN = "FILL IN"

SYNONYMS: dict[str, tuple[str, ...]] = {
    "client_id": (
        "insz",
        "insz nummer",
        "inszn",
        "rijksregisternummer",
        "rijksregister nummer",
        "rijksregisternr",
        "rijksregister",
        "rrn",
        "rr nummer",
        "national register number",
        "national number",
        "niss",
        "ssin",
        "client id",
        "klantnummer",
    ),
    "intake_date": ("datum intake", "intakedatum", "intake datum", "intake date", "date of intake"),
    "trajectory": ("traject", "trajectory", "type traject", "trajecttype"),
    "gender": ("geslacht", "sex", "gender"),
    "birth_date": ("geboortedatum", "geboorte datum", "date of birth", "birth date", "birthdate"),
    "nationality": ("nationaliteit", "nationality"),
    "household": (
        "gezinssituatie",
        "huishouden",
        "gezinstoestand",
        "gezinssamenstelling",
        "gezin",
        "household",
    ),
    "nt2_level": ("nt2 niveau", "nt2", "niveau nt2", "nt2 level", "taalniveau"),
    "schooling": (
        "scholing",
        "opleidingsniveau",
        "scholingsniveau",
        "opleiding",
        "schooling",
        "education level",
        "education",
    ),
    "country_of_birth": ("geboorteland", "land van geboorte", "country of birth", "birth country"),
    "continent": ("continent", "werelddeel"),
    "start_date": (
        "begindatum",
        "startdatum",
        "start datum",
        "start",
        "start twe",
        "begin",
        "start date",
    ),
    "end_date": ("einddatum", "eind datum", "einde", "einde twe", "eind", "end date", "end"),
    "employer": ("werkgever", "naam werkgever", "employer", "tewerkstellingsplaats"),
    "result": ("resultaat", "resultaat twe", "uitkomst", "result", "outcome"),
    "reference_date": (
        "referentiedatum",
        "referentie datum",
        "peildatum",
        "reference date",
        "datum",
        "date",
    ),
    "status_code": (
        "categorie werkzoekende",
        "statuscode",
        "status code",
        "code",
        "categorie",
        "category",
    ),
    "status_label": (
        "omschrijving",
        "omschrijving categorie",
        "label",
        "status label",
        "description",
    ),
    "change_date": ("datum wijziging", "wijzigingsdatum", "change date", "datum", "date"),
}
EXPORT_SYNONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("trajectory_changes", "trajectory"): (
        "nieuw traject",
        "nieuwe traject",
        "new trajectory",
        "traject",
        "trajectory",
    ),
}

KNOWN_SPELLINGS: dict[
    str, dict[str, tuple[str, ...]]
] = {  # values key -> canonical -> raw spellings
    "trajectory": {
        "VDAB": ("Geïntegreerd via VDAB", "via VDAB"),
        "SD/Activering": (
            "Geïntegreerd via Activering",
            "Activering",
            "SD Activering",
            "via Activering",
        ),
        "Lineair": ("Lineair traject", "Lineaire traject"),
        "Jongerenproject (ESF)": ("Jongerenproject", "Jongerenproject ESF", "ESF Jongerenproject"),
    },
    "gender": {"Man": ("M", "Male", "Mannelijk"), "Vrouw": ("V", "F", "W", "Female", "Vrouwelijk")},
    "household": {
        "Aanvragers met gezin ten laste": (
            "Aanvrager met gezin ten laste",
            "Met gezin ten laste",
            "Gezin ten laste",
        ),
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
VALUES_KEYS = (
    "trajectory",
    "gender",
    "household",
    "nt2_level",
    "schooling",
    "continent",
    "twe_result",
)

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


_SPELLINGS = {
    key: {normalise_text(raw): canonical for canonical, raws in spellings.items() for raw in raws}
    for key, spellings in KNOWN_SPELLINGS.items()
}
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
                    candidates.append(
                        (-score, -len(wanted), synonym_rank, header_rank, column_rank)
                    )
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
    return [
        header
        for column, header in mapping.items()
        if header
        and column not in NOT_SUMMARISED
        and (column != "client_id" or export == "clients")
    ]


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
    return Counter(
        dict(_query(table, f"SELECT {_text_sql(table, header)} AS v, count(*) FROM t GROUP BY 1"))
    )


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
    sql = (
        f"SELECT v FROM (SELECT DISTINCT {_text_sql(table, header)} AS v FROM t) WHERE v IS NOT NULL "
        f"ORDER BY hash(v), v LIMIT {size}"
    )
    return [row[0] for row in _query(table, sql)]


def _dates_sql(table: pa.Table, header: str, date_format: str | None) -> str:
    """Rows (v: text, d: date within the plausible years or NULL) as ingest parses them."""
    parsed = date_sql("v", table.schema.field(header).type, date_format)
    low, high = PLAUSIBLE_YEARS
    return (
        f"SELECT v, CASE WHEN year(d) BETWEEN {low} AND {high} THEN d END AS d "
        f"FROM (SELECT v, {parsed} AS d FROM (SELECT {_text_sql(table, header)} AS v FROM t))"
    )


@dataclass(frozen=True)
class DateRange:
    first: dt.date | None
    last: dt.date | None
    unreadable: int  # rows with text that is no (plausible) date


def date_range(table: pa.Table, header: str, date_format: str | None) -> DateRange:
    sql = (
        f"SELECT min(d), max(d), count(*) FILTER (WHERE v IS NOT NULL AND d IS NULL) "
        f"FROM ({_dates_sql(table, header, date_format)})"
    )
    first, last, unreadable = _query(table, sql)[0]
    return DateRange(first, last, int(unreadable))


def distinct_dates(table: pa.Table, header: str, date_format: str | None) -> set[dt.date]:
    sql = f"SELECT DISTINCT d FROM ({_dates_sql(table, header, date_format)}) WHERE d IS NOT NULL"
    return {row[0] for row in _query(table, sql)}


def valid_id_share(table: pa.Table, header: str) -> float | None:
    """Share of the filled identifiers that pass the national register number check."""
    normalised = normalised_id_sql(f"({_text_sql(table, header)})", "insz")
    sql = (
        f"SELECT count(*) FILTER (WHERE {valid_insz_sql('n')}), count(n) "
        f"FROM (SELECT {normalised} AS n FROM t)"
    )
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


def guess_export_date_format(
    export: str, files: Sequence[ExportFile], mapping: Mapping[str, str | None]
) -> DateFormatGuess:
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
            if (
                guess == "%Y-%m-%d" and file.is_spreadsheet
            ):  # the spreadsheet's own dates, as ISO text
                native = True
                continue
            guesses.setdefault(header, set()).add(guess)
    found = set().union(*guesses.values()) if guesses else set()
    if not found:
        note = (
            "the dates are stored as dates in the file: no format needed"
            if native
            else "no dates to judge the format from: ingest tries each known format"
        )
        return DateFormatGuess(None, note)
    unread = [header for header, fmts in guesses.items() if None in fmts]
    if unread:
        formats = ", ".join(DATE_FORMATS)
        return DateFormatGuess(
            None,
            f"the dates in {_listed(unread)} are in none (or several) of the "
            f"formats {formats}: set it (strftime codes) if ingest cannot read them",
        )
    if len(found) > 1:
        formats = ", ".join(sorted(found))
        return DateFormatGuess(
            None,
            f"the date columns are written in different formats ({formats}): "
            "null lets ingest try each known format",
        )
    return DateFormatGuess(
        found.pop(), f"how dates are written in the file, guessed from {_listed(guesses)}"
    )


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


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def _listed(items: Iterable[str]) -> str:
    return ", ".join(f"'{_comment(item)}'" for item in items)
