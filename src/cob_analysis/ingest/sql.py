"""SQL expressions of ingest (DuckDB): names quoted, text cleaned, dates parsed by format, register
numbers normalised and their mod-97 check digits tested, all vectorised."""

from __future__ import annotations

import pyarrow as pa

from cob_analysis.ingest.specs import BLANKS, DATE_FORMATS


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def clean_text_sql(column: str, arrow_type: pa.DataType) -> str:
    """Trimmed text with blanks as NULL; whole floats (a number that went through a
    spreadsheet) as whole numbers; native dates as ISO text."""
    col = quoted(column)
    if pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type):
        return f"strftime(CAST({col} AS DATE), '%Y-%m-%d')"
    if pa.types.is_floating(arrow_type):
        return (
            f"CASE WHEN {col} IS NULL OR isnan({col}) THEN NULL WHEN {col} = round({col}) "
            f"THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) ELSE CAST({col} AS VARCHAR) END"
        )
    if pa.types.is_integer(arrow_type):
        return f"CAST({col} AS VARCHAR)"
    blanks = ", ".join(literal(b) for b in BLANKS)
    text = f"trim(CAST({col} AS VARCHAR))"
    return f"CASE WHEN {text} IN ({blanks}) THEN NULL ELSE {text} END"


def date_sql(text: str, arrow_type: pa.DataType, date_format: str | None) -> str:
    """A DATE from ISO, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, Excel serials or native dates."""
    if pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type):
        return f"CAST({text} AS DATE)"
    # ISO is always accepted: it is how native spreadsheet and SPSS dates reach this text (a
    # column of real date cells among text dates), and it cannot be misread as another format
    formats = tuple(dict.fromkeys((date_format, "%Y-%m-%d"))) if date_format else DATE_FORMATS
    attempts = [f"try_strptime({text}, {literal(fmt)})" for fmt in formats]
    serial = (
        f"CASE WHEN regexp_full_match({text}, '[0-9]{{1,7}}') AND TRY_CAST({text} AS INTEGER) "
        f"BETWEEN 1 AND 2958465 THEN DATE '1899-12-30' + TRY_CAST({text} AS INTEGER) END"
    )
    attempts.append(serial)
    return f"CAST(coalesce({', '.join(attempts)}) AS DATE)"


# A number that went through a spreadsheet as a number lost its leading zeros (births from 2000
# on start with 0, unknown birth dates with 0000): pad to 11 digits and let the check digits decide.
INSZ_SQL = "CASE WHEN length({x}) BETWEEN 1 AND 10 AND regexp_full_match({x}, '[0-9]+') THEN lpad({x}, 11, '0') ELSE {x} END"


def normalised_id_sql(text: str, id_kind: str) -> str:
    if id_kind != "insz":
        return text
    stripped = (
        f"regexp_replace(regexp_replace({text}, '^([0-9]+)\\.0$', '\\1'), '[\\s.\\-/]', '', 'g')"
    )
    return INSZ_SQL.format(x=stripped)


def valid_insz_sql(norm: str) -> str:
    first_nine = f"TRY_CAST(substr({norm}, 1, 9) AS BIGINT)"
    check = f"TRY_CAST(substr({norm}, 10, 2) AS BIGINT)"
    return (
        f"(coalesce(regexp_full_match({norm}, '[0-9]{{11}}'), false) AND "
        f"({check} = 97 - {first_nine} % 97 OR {check} = 97 - (2000000000 + {first_nine}) % 97))"
    )
