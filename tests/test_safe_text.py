"""safe_text: no formula, control character or bidi control reaches a CSV, the workbook or the HTML."""

from __future__ import annotations

import csv
import json
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from cob_analysis.report import workbook
from cob_analysis.report.html import render_report
from cob_analysis.safe_text import (
    BIDI_CONTROLS,
    clean_text,
    needs_isolation,
    neutralise_cell,
    neutralise_frame,
    write_csv,
)
from cob_analysis.tables_io import TableMeta, read_table, write_table

HYPERLINK = '=HYPERLINK("http://x","click")'
PAYLOADS = [HYPERLINK, "+1", "@SUM(A1)", "\x1b[31mred\x1b[0m", "\u202eevil", "-2+3", "\t=1+1"]
FORBIDDEN = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}]")
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        HYPERLINK,
        "+1",
        "+",
        "-",
        "-1+2",
        "-A1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        " =1",
        "\u00a0+1",
        "\x1b[0m=1",
        "\u202e=1",
        "\x00@x",
        "-inf",
        "-1,5",
    ],
)
def test_every_dangerous_start_gets_a_quote(text):
    out = neutralise_cell(text)
    assert out.startswith("'")
    assert out == "'" + clean_text(text)


@pytest.mark.parametrize("text", ["-3", "-1.5", "-0.25", "-.5", "-2e-05", "-1E+3", " -7"])
def test_negative_numbers_are_left_as_they_are(text):
    assert neutralise_cell(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "<1.1",
        "18-24j",
        "30+",
        "Totaal",
        "",
        "a=b",
        "e-mail",
        "'=x",
        "2017-Q1",
        "SD/Activering",
        "Jongerenproject (ESF)",
    ],
)
def test_harmless_text_is_unchanged(text):
    assert neutralise_cell(text) == text


def test_neutralising_twice_changes_nothing():
    for text in [*PAYLOADS, "-3", "ok"]:
        assert neutralise_cell(neutralise_cell(text)) == neutralise_cell(text)


@pytest.mark.parametrize("ch", CONTROLS, ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_c0_and_c1_control_is_removed(ch):
    out = clean_text(f"a{ch}ü")  # ü: not the end of a two-character escape sequence after ESC
    assert out == ("a ü" if ch in "\t\n\v\f\r\x85" else "aü")


@pytest.mark.parametrize("ch", list(BIDI_CONTROLS), ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_bidi_control_is_removed(ch):
    assert clean_text(f"a{ch}b") == "ab"
    assert needs_isolation(f"a{ch}b")


def test_byte_order_mark_and_lone_surrogates_are_removed():
    assert clean_text("\ufeffa\ud800b") == "ab"


ESCAPES = [
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[1;32;40m",
    "\x1b[2J",
    "\x1b[10;5H",
    "\x9b31m",
    "\x1b]0;title\x07",
    "\x1b]8;;http://x\x1b\\",
    "\x1bc",
    "\x1b(B",
]


@pytest.mark.parametrize("escape", ESCAPES, ids=repr)
def test_terminal_escapes_are_removed(escape):
    assert clean_text(f"a{escape}b") == "ab"


def test_line_breaks_become_spaces_or_stay_with_multiline():
    assert clean_text("a\r\nb\nc\td\u2028e") == "a b c d e"
    assert clean_text("a\r\nb\tc\rd\x1b[1m", multiline=True) == "a\nb\tc\nd"
    assert clean_text("Ünïcödé ≤ 5 € – ok") == "Ünïcödé ≤ 5 € – ok"
    assert (
        clean_text("\u0645\u200c\u06cc") == "\u0645\u200c\u06cc"
    )  # ZWNJ is spelling, not a control


def test_needs_isolation():
    assert needs_isolation("שלום") and needs_isolation("شركة النور") and needs_isolation("x\u2067y")
    assert (
        not needs_isolation("Voorjaar 2017")
        and not needs_isolation("<1.1")
        and not needs_isolation("")
    )


def test_neutralise_frame_touches_text_only():
    frame = pd.DataFrame(
        {
            "name": ["=1", "ok", None],
            "delta": [-1.5, -3.0, None],
            "n": [-1, 2, 3],
            "cat": pd.Categorical(["+x", "y", "y"]),
            "s": pd.array(["@x", pd.NA, "-4"], dtype="string"),
            "mixed": ["<5", -2, "-3"],
            "=col": ["a", "b", "c"],
        }
    )
    out = neutralise_frame(frame)
    assert list(out.columns) == ["name", "delta", "n", "cat", "s", "mixed", "'=col"]
    assert out["name"].tolist()[:2] == ["'=1", "ok"] and pd.isna(out["name"].iloc[2])
    assert out["delta"].dtype == frame["delta"].dtype and out["n"].tolist() == [-1, 2, 3]
    assert out["cat"].tolist() == ["'+x", "y", "y"]
    assert out["s"].dtype == frame["s"].dtype and out["s"].tolist()[::2] == ["'@x", "-4"]
    assert out["mixed"].tolist() == ["<5", -2, "-3"]
    assert frame["name"].iloc[0] == "=1"  # the input is left alone
    safe = pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    assert neutralise_frame(safe) is safe


def test_write_csv_keeps_the_project_format(tmp_path):
    frame = pd.DataFrame(
        {
            "label": ["18-24j", "30+", HYPERLINK, "a\nb"],
            "n": [1, 2, 3, 4],
            "coef": [-1.5, 0.25, -2e-05, 3.0],
        }
    )
    path = write_csv(frame, tmp_path / "x.csv")
    raw = path.read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == "label,n,coef"
    assert lines[1:3] == ["18-24j,1,-1.5", "30+,2,0.25"]
    assert lines[4] == "a b,4,3.0"
    rows = list(csv.reader(raw.decode("utf-8").splitlines()))
    assert rows[3] == ["'" + HYPERLINK, "3", "-2e-05"]
    safe = pd.DataFrame({"row": ["<1.1", "18-24j"], "n": [1, -2]})
    safe.to_csv(tmp_path / "plain.csv", index=False, encoding="utf-8", lineterminator="\n")
    assert (
        write_csv(safe, tmp_path / "safe.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()
    )


# --- through the writers -------------------------------------------------------------------


def _hostile_tables(tables_dir):
    """A table written by write_table, and one written raw (as a disclosure step might), both hostile."""
    frame = pd.DataFrame(
        {
            "employer": [*PAYLOADS, "شركة النور", "Totaal"],
            "n": list(range(1, len(PAYLOADS) + 3)),
            "delta": [-1.5] * (len(PAYLOADS) + 2),
        }
    )
    write_table(
        frame,
        TableMeta(
            id="t90_employers",
            number=90,
            kind="stats",
            title="@title",
            notes=["=note()", "\u202egnp.exe"],
        ),
        tables_dir,
    )
    write_table(
        frame,
        TableMeta(id="x_unnumbered", kind="stats", title='=HYPERLINK("http://x")'),
        tables_dir,
    )
    raw = pd.DataFrame({"row": [*PAYLOADS, "Totaal"], "n": list(range(1, len(PAYLOADS) + 2))})
    raw.to_csv(tables_dir / "y_raw.csv", index=False)  # the CSV not neutralised, its meta valid
    (tables_dir / "meta" / "y_raw.json").write_text(
        json.dumps(
            {
                "id": "y_raw",
                "title": "y_raw",
                "kind": "stats",
                "notes": [],
                "columns": [
                    {"name": "row", "type": "text", "decimals": None},
                    {"name": "n", "type": "number", "decimals": 0},
                ],
            }
        ),
        encoding="utf-8",
    )
    return frame


def test_write_table_neutralises_every_text_cell(tmp_path):
    _hostile_tables(tmp_path)
    text = (tmp_path / "t90_employers.csv").read_text(encoding="utf-8")
    assert not FORBIDDEN.search(text)
    rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        assert not row["employer"].startswith(("=", "+", "-", "@", "\t", "\r")), row
        assert row["delta"] == "-1.5"  # numbers stay numbers
    assert [r["employer"] for r in rows] == [
        "'" + HYPERLINK,
        "'+1",
        "'@SUM(A1)",
        "red",
        "evil",
        "'-2+3",
        "' =1+1",
        "شركة النور",
        "Totaal",
    ]
    frame, _ = read_table(tmp_path, "t90_employers")
    assert frame["delta"].tolist() == ["-1.5"] * len(rows) and frame["n"].tolist() == list(
        range(1, 10)
    )


def test_workbook_has_no_formula_and_no_control_character(tmp_path):
    tables = tmp_path / "tables"
    _hostile_tables(tables)
    out = workbook.write_workbook(tables, tmp_path / "t.xlsx")
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
                assert (
                    not FORBIDDEN.search(xml) and "_x001B_" not in xml and "_x202E_" not in xml
                ), name
    book = openpyxl.load_workbook(out)
    texts = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (
                        ws.title,
                        cell.coordinate,
                    )
                    assert not FORBIDDEN.search(cell.value) and "\x1b" not in cell.value
                    texts.append(cell.value)
    for payload in PAYLOADS:
        assert payload not in texts
    assert "'" + HYPERLINK in texts and "'@SUM(A1)" in texts and "red" in texts and "evil" in texts
    assert "'=note()" in texts and "gnp.exe" in texts  # notes
    assert "'@title" in texts and "Tabel 90. @title" in texts  # contents sheet; the sheet's heading
    assert '\'=HYPERLINK("http://x")' in texts  # an unnumbered table's heading is its title
    first = workbook.FIRST_TABLE_ROW
    ws = book["t90_employers"]
    assert ws.cell(first + 1, 3).value == -1.5 and ws.cell(first + 1, 3).data_type == "n"
    raw = book["y_raw"]  # written without write_table: the workbook neutralises by itself
    assert raw.cell(first + 1, 1).value == "'" + HYPERLINK and raw.cell(first + 2, 1).value == "'+1"


def test_html_has_no_control_character_and_isolates_right_to_left_text(tmp_path):
    tables, qa = tmp_path / "tables", tmp_path / "qa"
    _hostile_tables(tables)
    qa.mkdir()
    pd.DataFrame({"export": ["vdab"], "note": ["\x1b[31m\u202eevil"], "n": [2]}).to_csv(
        qa / "linkage_notes.csv", index=False
    )
    pd.DataFrame(
        {
            "check": ["x\u2067y"],
            "description": ["שלום"],
            "n_clients": [1],
            "n_flagged": [1],
            "pct": [100.0],
        }
    ).to_csv(qa / "disagreements.csv", index=False)
    manifest = {
        "inputs": [{"path": "data/raw/inv\u202egpj.exe", "sha256": "ab", "bytes": 1}],
        "created": "2026\x1b[2J",
        "config": {"a": "b\u202ec"},
    }
    out = render_report(
        tables_dir=tables,
        figures_dir=None,
        qa_dir=qa,
        manifest=manifest,
        out_path=tmp_path / "r.html",
    )
    html = out.read_text(encoding="utf-8")
    assert not FORBIDDEN.search(html) and "\x1b" not in html and "\u202e" not in html
    for payload in ("\u202eevil", "\x1b[31m", "[31m", "[2J"):
        assert payload not in html
    assert "<td><bdi>evil</bdi></td>" in html  # was U+202E + evil: cleaned and isolated
    assert '<th scope="row"><bdi>شركة النور</bdi></th>' in html  # first column: row headers
    assert (
        '<th scope="row"><bdi>xy</bdi></th>' in html
        and '<th scope="row"><bdi>שלום</bdi></th>' in html
    )
    assert '<th scope="row" class="mono"><code><bdi>data/raw/invgpj.exe</bdi></code></th>' in html
    assert "<li><bdi>gnp.exe</bdi></li>" in html  # a note
    assert '<th scope="row">Totaal</th>' in html  # left-to-right text is printed as it is
    assert '<th scope="row">&#39;=HYPERLINK(&#34;http://x&#34;,&#34;click&#34;)</th>' in html
