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
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from cob_analysis import categories
from cob_analysis.config import EXPORTS, REQUIRED_EXPORTS
from cob_analysis.errors import InputError
from cob_analysis.ingest.exports import (
    SPECS,
)
from cob_analysis.ingest.readers import read_export
from cob_analysis.ingest.starter_guess import (
    COLUMN_HELP,
    EXPORT_HELP,
    FILL_IN,
    MAX_LISTED_VALUES,
    VALUES_KEYS,
    DateFormatGuess,
    ExportFile,
    _comment,
    _listed,
    date_range,
    distinct_count,
    distinct_dates,
    guess_columns,
    guess_export_date_format,
    guess_value,
    half_year_window,
    looks_private,
    summarised_headers,
    valid_id_share,
    value_counts,
)

log = logging.getLogger("cob_analysis")


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar that reads back as the same string: plain when safe, else quoted."""
    plain = re.fullmatch(r"[\w./()<>+-][\w ./()<>+-]*", text) and not text.endswith(" ")
    if plain and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _shown_headers(headers: Sequence[str]) -> str:
    """The headers for a comment; one that looks like a number or a date is not shown (a file
    without a header row would otherwise put its first row here)."""
    hidden = sum(looks_private(h) for h in headers)
    shown = _listed(h for h in headers if not looks_private(h)) or "none"
    if hidden:
        shown += (
            f" (and {hidden} that look like numbers or dates, not shown: "
            "does the file have a header row?)"
        )
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


def _export_lines(
    export: str,
    files: Sequence[ExportFile],
    mapping: Mapping[str, str | None],
    date_guess: DateFormatGuess | None,
) -> list[str]:
    """One export's block: path, sheet, columns and date format (placeholders without files)."""
    lines = [f"  {export}:  # {EXPORT_HELP[export]}"]
    spec = SPECS[export]
    if not files:
        flag = "--" + export.replace("_", "-")
        lines.append(
            f"    path: null  # {FILL_IN}: the export's file (or run init-config again with {flag})"
        )
        lines.append("    columns:")
        lines += [
            f"      {column}: null  # {FILL_IN}: the header of the {COLUMN_HELP[column]}"
            for column in spec.required
        ]
        return lines
    paths = [file.path for file in files]
    if len(paths) == 1:
        lines.append(f"    path: {yaml_scalar(paths[0])}")
    else:
        lines.append(
            "    path:  # the files are read one after the other; they need the same headers"
        )
        lines += [f"      - {yaml_scalar(path)}" for path in paths]
    first = files[0]
    if first.sheet is not None:
        others = (
            f"; the workbook's sheets: {_listed(first.sheets)}" if len(first.sheets) > 1 else ""
        )
        lines.append(f"    sheet: {yaml_scalar(first.sheet)}  # the sheet read{others}")
    lines.append("    columns:  # canonical column: the header of that column in your file")
    for column in spec.required + spec.optional:
        lines.append(_column_line(export, column, mapping[column], files))
    for file in files[1:]:
        absent = [header for header in mapping.values() if header and header not in file.headers]
        if absent:
            lines.append(
                f"    # {FILL_IN}: {_comment(file.path)} lacks the headers {_listed(absent)}"
            )
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


def collect_values(
    files: Mapping[str, Sequence[ExportFile]], mappings: Mapping[str, Mapping[str, str | None]]
) -> dict[str, dict[str, Counter]]:
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
    canon = (
        f"canonical: {', '.join(allowed)}"
        if allowed
        else "as registered: map spellings to one name if needed"
    )
    hidden = {raw: n for raw, n in total.items() if looks_private(raw)}
    shown = {raw: n for raw, n in total.items() if raw not in hidden}
    notes = []
    if empty:
        notes.append(f"    # {_rows(empty)} empty: missing")
    if hidden:
        notes.append(
            f"    # {len(hidden)} values ({_rows(sum(hidden.values()))}) look like national "
            "register numbers or dates and are not shown: is the column mapping right?"
        )
    if len(shown) > MAX_LISTED_VALUES:
        notes.append(
            f"    # {len(shown)} distinct values: too many for a category, not listed; "
            "is the column mapping right?"
        )
        return [f"  {key}: {{}}  # {canon}", *notes]
    if not shown:
        return [f"  {key}: {{}}  # {canon}", *notes]
    lines = [f"  {key}:  # {canon}"]
    for raw, n in sorted(shown.items(), key=lambda item: (-item[1], item[0])):
        guess = guess_value(key, raw)
        rows = _rows(n)
        if len(per_export) > 1:
            rows += (
                " ("
                + ", ".join(
                    f"{export} {counts[raw]}"
                    for export, counts in per_export.items()
                    if counts[raw]
                )
                + ")"
            )
        if guess is None:  # commented out: left so, the run stops on this value and names it
            lines.append(
                f"    # {yaml_scalar(raw)}: {FILL_IN}  # one of {', '.join(allowed)}, or null for "
                f"missing; uncomment; {rows}"
            )
        else:
            lines.append(f"    {yaml_scalar(raw)}: {yaml_scalar(guess)}  # {rows}")
    return lines + notes


def _id_kind_lines(clients: Sequence[ExportFile], mapping: Mapping[str, str | None]) -> list[str]:
    header = mapping.get("client_id")
    shares = [valid_id_share(file.table, header) for file in clients if file.has(header)]
    shares = [share for share in shares if share is not None]
    lines = [
        "# id_kind: what client_id holds in every export: insz (national register numbers, checked",
        "# with mod-97 and pseudonymised) or opaque (any other identifier, used as it is).",
    ]
    if not shares:
        return [*lines, "id_kind: insz  # check: no client identifiers were read to judge from"]
    share = min(shares)
    kind = "insz" if share >= 0.5 else "opaque"
    return [*lines, f"id_kind: {kind}  # {share:.1%} of the clients' identifiers pass the check"]


def _window_lines(
    clients: Sequence[ExportFile],
    mapping: Mapping[str, str | None],
    date_guess: DateFormatGuess | None,
) -> tuple[list[str], dt.date | None]:
    header = mapping.get("intake_date")
    date_format = date_guess.date_format if date_guess else None
    ranges = [date_range(file.table, header, date_format) for file in clients if file.has(header)]
    firsts = [r.first for r in ranges if r.first]
    lasts = [r.last for r in ranges if r.last]
    lines = [
        "# intake_window: the intakes studied, by intake date; intakes outside it are counted as",
        "# out of window. Narrow it to the cohorts you report on.",
    ]
    if not firsts:
        return [
            *lines,
            "intake_window:",
            f"  from: null  # {FILL_IN}: first day (YYYY-MM-DD)",
            f"  to: null  # {FILL_IN}: last day (YYYY-MM-DD)",
        ], None
    first, last = min(firsts), max(lasts)
    start, end = half_year_window(first, last)
    lines.append(
        f"# The intake dates run from {first} to {last}; the window rounds them out to whole "
        "half-years."
    )
    unreadable = sum(r.unreadable for r in ranges)
    if unreadable:
        lines.append(
            f"# {_rows(unreadable)} hold an intake date that cannot be read (see date_format)."
        )
    return [*lines, "intake_window:", f"  from: {start}", f"  to: {end}"], start


def _reference_lines(
    vdab: Sequence[ExportFile],
    mapping: Mapping[str, str | None],
    date_guess: DateFormatGuess | None,
) -> tuple[list[str], dt.date | None]:
    header = mapping.get("reference_date")
    date_format = date_guess.date_format if date_guess else None
    dates = set().union(
        *(distinct_dates(file.table, header, date_format) for file in vdab if file.has(header))
    )
    lines = [
        "# reference_date: the VDAB snapshot the cross-sectional tables use (null: the latest).",
        "# observation_end: the censoring date for the time to a first art. 60 (null: reference_date).",
    ]
    if not dates:
        return [
            *lines,
            "reference_date: null  # no VDAB reference dates read: the latest one",
            "observation_end: null",
        ], None
    latest = max(dates)
    lines.append(
        f"# The VDAB export has {len(dates)} reference date{'s' if len(dates) > 1 else ''}, "
        f"from {min(dates)} to {latest}."
    )
    return [*lines, f"reference_date: {latest}", f"observation_end: {latest}"], latest


def _closing_lines(
    vdab: Sequence[ExportFile],
    mapping: Mapping[str, str | None],
    window_start: dt.date | None,
    end: dt.date | None,
) -> list[str]:
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
        lines += [
            "twe_result_window:",
            f"  from: null  # {FILL_IN}: first day (YYYY-MM-DD)",
            f"  to: null  # {FILL_IN}: last day (YYYY-MM-DD)",
        ]
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
    mappings = {
        export: guess_columns(export, export_files[0].headers)
        for export, export_files in files.items()
    }
    date_guesses = {
        export: guess_export_date_format(export, export_files, mappings[export])
        for export, export_files in files.items()
    }
    lines = _header_lines(files)
    lines += [
        "# exports: where each export is and which of its headers holds each canonical column.",
        "# The columns were guessed from the headers' names (Dutch and English): check them.",
        "exports:",
    ]
    for export in EXPORTS:
        if export in files or export in REQUIRED_EXPORTS:
            lines += _export_lines(
                export, files.get(export, []), mappings.get(export, {}), date_guesses.get(export)
            )
        else:
            lines.append(
                f"  # {export}: {EXPORT_HELP[export]}: none given (--{export.replace('_', '-')})"
            )
    lines.append("")
    lines += _values_lines(collect_values(files, mappings))
    lines.append("")
    lines += _id_kind_lines(files.get("clients", []), mappings.get("clients", {}))
    lines.append("")
    window, window_start = _window_lines(
        files.get("clients", []), mappings.get("clients", {}), date_guesses.get("clients")
    )
    reference, latest = _reference_lines(
        files.get("vdab", []), mappings.get("vdab", {}), date_guesses.get("vdab")
    )
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
        lines.append(
            f"init-config: {export}: {found}"
            + (f"; not found: {', '.join(missing)}" if missing else "")
        )
    lines.append(
        f"init-config: wrote {out}; {fill_in_count(text)} lines marked {FILL_IN} to complete, "
        "and every guess to check"
    )
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
        raise InputError(
            path, None, "file does not exist", hint="check the path given to init-config"
        )
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
    return ExportFile(
        path, tuple(n for n in table.column_names if n != "_row"), table, sheet, sheets
    )


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
    parser.add_argument(
        "--clients", required=True, metavar="PATH", help="the social services' intake export"
    )
    parser.add_argument("--art60", metavar="PATH", help="the art. 60 contracts export")
    parser.add_argument("--twe", metavar="PATH", help="the TWE trajectories export")
    parser.add_argument(
        "--vdab", nargs="+", metavar="PATH", help="the VDAB status export (one or more files)"
    )
    parser.add_argument(
        "--trajectory-changes", metavar="PATH", help="the trajectory changes export"
    )
    parser.add_argument(
        "--out", default="my.yaml", metavar="PATH", help="the config to write (default: my.yaml)"
    )
    parser.add_argument(
        "--sheet",
        action="append",
        metavar="[EXPORT=]SHEET",
        help="sheet of the spreadsheet exports (default: the first); EXPORT=SHEET for one export",
    )
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")


def run(args: argparse.Namespace) -> None:
    """Read the exports given, write the starter config to --out and say what is left to do."""
    out = Path(args.out)
    if out.exists() and not args.force:
        raise SystemExit(f"init-config: {out} exists; give --force to overwrite it")
    given = {
        "clients": [args.clients],
        "art60": [args.art60],
        "twe": [args.twe],
        "vdab": args.vdab or [],
        "trajectory_changes": [args.trajectory_changes],
    }
    sheets = sheets_by_export(args.sheet)
    files = {
        export: [read_export_file(export, path, sheets[export]) for path in paths if path]
        for export, paths in given.items()
    }
    text = starter_config(files)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    for line in console_summary(files, text, str(out)):
        log.info(line)
