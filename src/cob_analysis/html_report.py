"""`reports/report.html`: one self-contained page with every table, figure, the data-quality
accounting and the provenance of the run.

Self-contained means: CSS inline, figures inline as SVG, no script but one line that marks when
all images have loaded, and a Content-Security-Policy that forbids every network request. The
page is rendered from `templates/report.html.j2` (jinja2, autoescaped) and is byte-identical for
the same inputs apart from what the manifest says (its time of run).

Every printed value goes through `safe_text.clean_text` (no control characters, terminal
escapes or bidi controls). Text from the data (labels, titles, notes, file names) is printed with
the template filter `iso`: on one line, and in `<bdi>` when it holds right-to-left characters or
bidi controls, so a right-to-left name cannot reorder the text around it. Text without them
cannot be reordered in this left-to-right page and is printed as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from cob_analysis.labels import LANGUAGES, value_label
from cob_analysis.published import PCT_SUFFIX, summarise
from cob_analysis.safe_text import clean_text, needs_isolation
from cob_analysis.workbook import TableData, column_label, format_number, layout_table, load_tables

__all__ = ["CSP", "render_report"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'"

TEXT: dict[str, dict[str, str]] = {
    "title": {"nl": "COB Coevelt: kwantitatieve analyse van de instroom",
              "en": "COB Coevelt: quantitative analysis of the intake"},
    "subtitle": {"nl": "Tabellen, figuren, datakwaliteit en herkomst van één run van cob-analysis.",
                 "en": "Tables, figures, data quality and provenance of one run of cob-analysis."},
    "run": {"nl": "Run", "en": "Run"},
    "commit": {"nl": "commit", "en": "commit"},
    "contents": {"nl": "Inhoud", "en": "Contents"},
    "report_tables": {"nl": "Tabellen uit het rapport", "en": "Tables of the report"},
    "other_tables": {"nl": "Bijkomende analyses", "en": "Further analyses"},
    "figures": {"nl": "Figuren", "en": "Figures"},
    "figure": {"nl": "Figuur", "en": "Figure"},
    "no_figures": {"nl": "Geen figuren gevonden.", "en": "No figures found."},
    "published": {"nl": "Gepubliceerd versus herberekend", "en": "Published versus regenerated"},
    "published_intro": {
        "nl": "Elk gepubliceerd cijfer naast het herberekende, vergeleken op de gepubliceerde precisie "
              "(het herberekende cijfer half-naar-boven afgerond op het aantal gedrukte decimalen).",
        "en": "Every published figure beside the regenerated one, compared at the published precision "
              "(the regenerated figure rounded half-up to the number of decimals printed).",
    },
    "published_all_equal": {"nl": "Alle {n} gepubliceerde cijfers zijn gelijk aan de herberekende.",
                            "en": "All {n} published figures equal the regenerated ones."},
    "published_some_differ": {"nl": "{diff} van de {n} gepubliceerde cijfers verschillen van de herberekende.",
                              "en": "{diff} of the {n} published figures differ from the regenerated ones."},
    "table_all_equal": {"nl": "{n} gepubliceerde cijfers: alle gelijk", "en": "{n} published figures: all equal"},
    "table_some_differ": {"nl": "{n} gepubliceerde cijfers: {diff} verschillend",
                          "en": "{n} published figures: {diff} different"},
    "differences": {"nl": "Verschillen", "en": "Differences"},
    "no_differences": {"nl": "Geen verschillen.", "en": "No differences."},
    "table_id": {"nl": "Tabel", "en": "Table"},
    "figures_n": {"nl": "Cijfers", "en": "Figures"},
    "equal": {"nl": "Gelijk", "en": "Equal"},
    "different": {"nl": "Verschillend", "en": "Different"},
    "row": {"nl": "Rij", "en": "Row"},
    "column": {"nl": "Kolom", "en": "Column"},
    "published_value": {"nl": "Gepubliceerd", "en": "Published"},
    "regenerated_value": {"nl": "Herberekend", "en": "Regenerated"},
    "status": {"nl": "Status", "en": "Status"},
    "ok": {"nl": "gelijk", "en": "equal"},
    "diff": {"nl": "verschil", "en": "differs"},
    "missing": {"nl": "niet gevonden", "en": "not found"},
    "report_value": {"nl": "rapport", "en": "report"},
    "published_tip": {"nl": "Gepubliceerd: {value}", "en": "Published: {value}"},
    "show_comparison": {"nl": "Toon de vergelijking", "en": "Show the comparison"},
    "quality": {"nl": "Datakwaliteit", "en": "Data quality"},
    "quality_intro": {
        "nl": "Elke ingelezen rij is verantwoord: gelezen = gekoppeld + niet gekoppeld + dubbel + buiten "
              "het intakevenster + geweigerd.",
        "en": "Every row read is accounted for: read = linked + unmatched + duplicate + outside the intake "
              "window + rejected.",
    },
    "linkage": {"nl": "Koppeling per export", "en": "Linkage per export"},
    "linkage_notes": {"nl": "Opmerkingen bij de koppeling", "en": "Notes on the linkage"},
    "disagreements": {"nl": "Tegenstrijdigheden tussen bronnen", "en": "Disagreements between sources"},
    "no_disagreements": {"nl": "Geen tabel met tegenstrijdigheden gevonden.",
                         "en": "No table of disagreements found."},
    "other_qa": {"nl": "Andere kwaliteitstabellen", "en": "Other quality tables"},
    "no_linkage": {"nl": "Geen koppelingsverslag gevonden.", "en": "No linkage accounting found."},
    "balanced": {"nl": "sluit", "en": "balances"},
    "unbalanced": {"nl": "sluit niet: verschil {d}", "en": "does not balance: difference {d}"},
    "check": {"nl": "Controle", "en": "Check"},
    "provenance": {"nl": "Herkomst", "en": "Provenance"},
    "provenance_intro": {
        "nl": "Waarmee deze tabellen gemaakt zijn: de invoerbestanden (SHA-256), de configuratie, de "
              "versies van de software en het tijdstip van de run.",
        "en": "What these tables were made from: the input files (SHA-256), the configuration, the "
              "software versions and the time of the run.",
    },
    "inputs": {"nl": "Invoerbestanden", "en": "Input files"},
    "path": {"nl": "Bestand", "en": "File"},
    "bytes": {"nl": "Bytes", "en": "Bytes"},
    "versions": {"nl": "Softwareversies", "en": "Software versions"},
    "package": {"nl": "Pakket", "en": "Package"},
    "version": {"nl": "Versie", "en": "Version"},
    "config": {"nl": "Configuratie", "en": "Configuration"},
    "created": {"nl": "Tijdstip van de run", "en": "Time of run"},
    "git_commit": {"nl": "Git-commit", "en": "Git commit"},
    "other": {"nl": "Overige", "en": "Other"},
    "unknown": {"nl": "onbekend", "en": "unknown"},
    "top": {"nl": "naar de inhoud", "en": "back to contents"},
    "generated_by": {"nl": "Gemaakt door cob-analysis; alle cijfers komen uit reports/tables/.",
                     "en": "Made by cob-analysis; every figure comes from reports/tables/."},
}

LINKAGE_COLUMNS: dict[str, dict[str, str]] = {
    "export": {"nl": "Export", "en": "Export"},
    "file": {"nl": "Bestand", "en": "File"},
    "rows_read": {"nl": "Gelezen", "en": "Read"},
    "linked": {"nl": "Gekoppeld", "en": "Linked"},
    "unmatched": {"nl": "Niet gekoppeld", "en": "Unmatched"},
    "duplicate": {"nl": "Dubbel", "en": "Duplicate"},
    "out_of_window": {"nl": "Buiten venster", "en": "Out of window"},
    "rejected": {"nl": "Geweigerd", "en": "Rejected"},
    "note": {"nl": "Opmerking", "en": "Note"},
    "n": {"nl": "N", "en": "N"},
}
_ACCOUNTED = ("linked", "unmatched", "duplicate", "out_of_window", "rejected")

# reports/qa/linkage_notes.csv keeps its notes in English (stable texts for scripts); the page
# shows them in the report's language
_LINKAGE_NOTES_NL = {
    "started after the observation end (censored, not an event)":
        "gestart na het einde van de observatie (gecensureerd, geen gebeurtenis)",
    "rejected: started before the intake": "geweigerd: gestart vóór de intake",
    "rejected: conflicting status codes": "geweigerd: tegenstrijdige statuscodes op één datum",
    "clients without a VDAB status at the reference date": "cliënten zonder VDAB-status op de referentiedatum",
    "clients younger than 18 at intake (in no age group)": "cliënten jonger dan 18 bij de intake (in geen leeftijdsgroep)",
    "linked rows with a code missing from the recoding table (Onbekend)":
        "gekoppelde rijen met een code die niet in de hercoderingstabel staat (Onbekend)",
}
_REJECTION_REASONS_NL = {
    "invalid national register number": "ongeldig rijksregisternummer",
    "ends before it starts": "einde vóór het begin",
}


def linkage_note_text(note: str, language: str) -> str:
    """A note of linkage_notes.csv in the report's language (unknown notes as they are)."""
    if language != "nl":
        return note
    if note in _LINKAGE_NOTES_NL:
        return _LINKAGE_NOTES_NL[note]
    prefix = "rejected at ingest: "
    if note.startswith(prefix):
        reason = note[len(prefix):]
        if reason in _REJECTION_REASONS_NL:
            reason = _REJECTION_REASONS_NL[reason]
        elif reason.startswith("empty "):
            reason = "leeg: " + reason[len("empty "):]
        elif reason.startswith("invalid "):
            reason = "ongeldig: " + reason[len("invalid "):]
        return "geweigerd bij het inlezen: " + reason
    return note

FIGURE_CAPTIONS: dict[str, dict[str, str]] = {
    "km_art60_cohort": {
        "nl": "Cumulatief aandeel cliënten met een eerste artikel 60 naar maanden sinds de intake, per "
              "intakecohorte (Kaplan-Meier, met 95%-betrouwbaarheidsband).",
        "en": "Cumulative share of clients with a first art. 60 by months since intake, per intake cohort "
              "(Kaplan-Meier, with 95% confidence band).",
    },
    "km_art60_trajectory": {
        "nl": "Cumulatief aandeel cliënten met een eerste artikel 60 naar maanden sinds de intake, per "
              "traject (Kaplan-Meier, met 95%-betrouwbaarheidsband).",
        "en": "Cumulative share of clients with a first art. 60 by months since intake, per trajectory "
              "(Kaplan-Meier, with 95% confidence band).",
    },
    "cox_art60_forest": {
        "nl": "Hazard ratio's van het Cox-model voor de tijd tot een eerste artikel 60, met "
              "95%-betrouwbaarheidsintervallen (referentiecategorie = 1).",
        "en": "Hazard ratios of the Cox model of the time to a first art. 60, with 95% confidence "
              "intervals (reference category = 1).",
    },
}


def _t(key: str, language: str, **fields: object) -> str:
    return TEXT[key][language].format(**fields)


# --- figures -------------------------------------------------------------------------------

_XML_DECL = re.compile(r"<\?xml[^>]*\?>\s*", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>\s*", re.S | re.I)
_STRIP = re.compile(r"<(metadata|script|foreignObject)\b.*?</\1\s*>|<script\b[^>]*/>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_EVENT_ATTR = re.compile(r"\s+on[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
_EXTERNAL_REF = re.compile(r"""\s+(?:xlink:)?href\s*=\s*(["'])(?!#|data:)[^"']*\1""", re.I)
_ID = re.compile(r"""\bid=(["'])([^"']+)\1""")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.S)


@dataclass
class Figure:
    id: str
    number: int
    caption: str
    svg: Markup


def _caption(path: Path, language: str) -> str:
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        caption = data.get("caption") if isinstance(data, dict) else None
        if isinstance(caption, dict):
            caption = caption.get(language) or caption.get("nl") or next(iter(caption.values()), None)
        if caption:
            return str(caption)
    if path.stem in FIGURE_CAPTIONS:
        return FIGURE_CAPTIONS[path.stem][language]
    words = path.stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def inline_svg(text: str, prefix: str, label: str) -> str:
    """An SVG file made fit to sit inline in an HTML page: no XML declaration, doctype, metadata,
    scripts, event handlers or external references; ids prefixed (several figures share ids
    such as `figure_1` or clip paths); size set by CSS from the viewBox."""
    text, label = clean_text(text, multiline=True), clean_text(label)
    text = _XML_DECL.sub("", text)
    text = _DOCTYPE.sub("", text)
    text = _COMMENT.sub("", text)
    text = _STRIP.sub("", text)
    text = _EVENT_ATTR.sub("", text)
    text = _EXTERNAL_REF.sub("", text)
    ids = {m.group(2) for m in _ID.finditer(text)}

    def new_id(name: str) -> str:
        return f"{prefix}-{name}"

    text = _ID.sub(lambda m: f'id="{new_id(m.group(2))}"', text)
    text = re.sub(r"""(href=)(["'])#([^"']+)\2""",
                  lambda m: f'{m.group(1)}"#{new_id(m.group(3))}"' if m.group(3) in ids else m.group(0), text)
    text = re.sub(r"url\(#([^)]+)\)",
                  lambda m: f"url(#{new_id(m.group(1))})" if m.group(1) in ids else m.group(0), text)

    def opening(match: re.Match) -> str:
        tag = match.group(0)
        tag = re.sub(r"""\s(width|height)=(["'])[^"']*\2""", "", tag)
        extra = f' role="img" aria-label="{_attr(label)}" preserveAspectRatio="xMidYMid meet"'
        return tag[:-1].rstrip("/") + extra + ">"

    return _SVG_OPEN.sub(opening, text, count=1).strip()


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def load_figures(figures_dir: str | Path | None, language: str) -> list[Figure]:
    if figures_dir is None or not Path(figures_dir).is_dir():
        return []
    out = []
    for number, path in enumerate(sorted(Path(figures_dir).glob("*.svg")), start=1):
        caption = _caption(path, language)
        svg = inline_svg(path.read_text(encoding="utf-8"), f"fig{number}", caption)
        out.append(Figure(id=f"fig-{path.stem}", number=number, caption=caption, svg=Markup(svg)))
    return out


# --- tables --------------------------------------------------------------------------------


def _cell_view(cell, language: str) -> dict[str, Any]:
    classes = []
    if cell.right_aligned:
        classes.append("num")
    if cell.kind == "stat":
        classes.append("stat")
    title = None
    published = None
    if cell.differs:
        classes.append("diff")
        title = _t("published_tip", language, value=cell.published)
        published = cell.published
    return {"text": cell.text(language), "cls": " ".join(classes), "colspan": cell.colspan,
            "title": title, "published": published}


def _table_view(lay, language: str, comparison: pd.DataFrame | None) -> dict[str, Any]:
    header = [[{"text": c.text(language), "colspan": c.colspan,
                "cls": " ".join(x for x in ("num" if c.numeric_header else "",
                                             "group" if c.colspan > 1 else "") if x)}
               for c in row] for row in lay.header]
    body = []
    for row in lay.body:
        cls = " ".join(x for x in ("total" if row.total else "", "group-start" if row.group_start else "") if x)
        body.append({"cls": cls, "cells": [_cell_view(c, language) for c in row.cells]})
    published = None
    if lay.published_total:
        rows = comparison[comparison["table_id"] == lay.id]
        published = {
            "ok": lay.published_diff == 0,
            "badge": (_t("table_all_equal", language, n=lay.published_total) if lay.published_diff == 0
                      else _t("table_some_differ", language, n=lay.published_total, diff=lay.published_diff)),
            "rows": _comparison_rows(rows, language),
        }
    return {"id": lay.id, "heading": lay.heading, "number": lay.number, "title": lay.title,
            "kind": lay.kind, "header": header, "body": body, "notes": lay.notes,
            "association": lay.association, "warning": lay.association_warning,
            "published": published, "crosstab": lay.kind == "crosstab"}


def _col_label(col: str, language: str) -> str:
    if col.endswith(PCT_SUFFIX):
        return str(value_label(col[: -len(PCT_SUFFIX)], language)) + PCT_SUFFIX
    if col in ("n", "pct"):
        return column_label(col, language)
    label = column_label(col, language)
    return label if label != col else str(value_label(col, language))


def _comparison_rows(rows: pd.DataFrame, language: str) -> list[dict[str, Any]]:
    out = []
    for item in rows.itertuples(index=False):
        decimals = int(item.decimals)
        pct = str(item.col).endswith(PCT_SUFFIX) or str(item.col) == "pct"
        regenerated = None if pd.isna(item.regenerated_rounded) else float(item.regenerated_rounded)
        status = "ok" if item.match else ("missing" if regenerated is None else "diff")
        out.append({
            "table_id": str(item.table_id),
            "row": str(value_label(str(item.row), language)),
            "col": _col_label(str(item.col), language),
            "published": format_number(float(item.published), decimals, language, percent=pct),
            "regenerated": format_number(regenerated, decimals, language, percent=pct),
            "regenerated_exact": "" if pd.isna(item.regenerated) else repr(float(item.regenerated)),
            "status": status,
            "status_text": _t(status, language),
        })
    return out


def _comparison_view(comparison: pd.DataFrame | None, language: str, ids: set[str]) -> dict[str, Any] | None:
    if comparison is None:
        return None
    total, diff = len(comparison), int((~comparison["match"]).sum())
    summary = [{"table_id": r.table_id, "n": int(r.n), "n_match": int(r.n_match), "n_diff": int(r.n_diff),
                "linked": r.table_id in ids} for r in summarise(comparison).itertuples(index=False)]
    return {
        "total": total, "diff": diff,
        "headline": (_t("published_all_equal", language, n=total) if diff == 0
                     else _t("published_some_differ", language, n=total, diff=diff)),
        "summary": summary,
        "differences": _comparison_rows(comparison[~comparison["match"]], language),
    }


# --- data quality and provenance -----------------------------------------------------------


def _read_csv(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _generic_table(frame: pd.DataFrame, table_id: str, language: str) -> dict[str, Any]:
    lay = layout_table(TableData(table_id, frame, {"id": table_id, "title": table_id, "kind": "qa"}), language)
    return _table_view(lay, language, None)


def _linkage_view(frame: pd.DataFrame, language: str) -> dict[str, Any]:
    columns = list(frame.columns)
    numeric = [c for c in columns if c not in ("export", "file")]
    header = [{"text": LINKAGE_COLUMNS.get(c, {}).get(language, c), "cls": "num" if c in numeric else ""}
              for c in columns] + [{"text": _t("check", language), "cls": ""}]
    rows = []
    for record in frame.to_dict("records"):
        cells = [{"text": record[c], "cls": "num" if c in numeric else ("mono" if c == "file" else "")}
                 for c in columns]
        check = {"text": "", "cls": ""}
        try:
            accounted = sum(int(record[c] or 0) for c in _ACCOUNTED if c in record)
            difference = int(record.get("rows_read") or 0) - accounted
            check = ({"text": "✓ " + _t("balanced", language), "cls": "ok"} if difference == 0
                     else {"text": "✗ " + _t("unbalanced", language, d=difference), "cls": "bad"})
        except ValueError:
            pass
        rows.append(cells + [check])
    return {"header": header, "rows": rows}


def _quality_view(qa_dir: str | Path | None, language: str) -> dict[str, Any]:
    qa_dir = Path(qa_dir) if qa_dir is not None else None
    if qa_dir is None or not qa_dir.is_dir():
        return {"linkage": None, "notes": None, "disagreements": None, "others": []}
    linkage = _read_csv(qa_dir / "linkage.csv")
    notes = _read_csv(qa_dir / "linkage_notes.csv")
    disagreements = _read_csv(qa_dir / "disagreements.csv")
    known = {"linkage.csv", "linkage_notes.csv", "disagreements.csv"}
    others = [{"name": p.name, "table": _generic_table(_read_csv(p), f"qa-{p.stem}", language)}
              for p in sorted(qa_dir.glob("*.csv")) if p.name not in known]
    return {
        "linkage": _linkage_view(linkage, language) if linkage is not None else None,
        "notes": _linkage_view_plain(notes.assign(note=[linkage_note_text(str(n), language) for n in notes["note"]])
                                     if "note" in notes.columns else notes, language) if notes is not None else None,
        "disagreements": _generic_table(disagreements, "qa-disagreements", language) if disagreements is not None else None,
        "others": others,
    }


def _linkage_view_plain(frame: pd.DataFrame, language: str) -> dict[str, Any]:
    header = [{"text": LINKAGE_COLUMNS.get(c, {}).get(language, c), "cls": "num" if c == "n" else ""}
              for c in frame.columns]
    rows = [[{"text": v, "cls": "num" if c == "n" else ""} for c, v in zip(frame.columns, record, strict=True)]
            for record in frame.itertuples(index=False)]
    return {"header": header, "rows": rows}


def _provenance_view(manifest: dict | None, language: str) -> dict[str, Any]:
    manifest = dict(manifest or {})
    inputs = [{"path": str(i.get("path", "")), "sha256": str(i.get("sha256", "")),
               "bytes": "" if i.get("bytes") is None else str(i.get("bytes"))}
              for i in manifest.pop("inputs", None) or [] if isinstance(i, dict)]
    versions = sorted((str(k), str(v)) for k, v in (manifest.pop("versions", None) or {}).items())
    config = manifest.pop("config", None)
    created = manifest.pop("created", None)
    commit = manifest.pop("git_commit", None)
    other = sorted((str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True, default=str))
                   for k, v in manifest.items())
    return {
        "inputs": inputs,
        "versions": versions,
        "config": json.dumps(config, ensure_ascii=False, indent=2, sort_keys=True, default=str) if config is not None else None,
        "created": str(created) if created else _t("unknown", language),
        "git_commit": str(commit) if commit else _t("unknown", language),
        "other": other,
    }


# --- render --------------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    """Every printed value without control or bidi characters (line breaks kept, for `<pre>`)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_text(value, multiline=True)
    return value


def isolate(value: Any) -> Any:
    """Text from the data on one line, in `<bdi>` when it holds right-to-left text or bidi controls."""
    if value is None or isinstance(value, Markup):
        return value
    text = str(value)
    cleaned = clean_text(text)
    return Markup("<bdi>{}</bdi>").format(cleaned) if needs_isolation(text) else cleaned


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cob_analysis", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["iso"] = isolate
    return env


def render_report(*, tables_dir: str | Path, figures_dir: str | Path | None, qa_dir: str | Path | None,
                  manifest: dict | None, out_path: str | Path, language: str = "nl",
                  comparison: pd.DataFrame | None = None, title: str | None = None) -> Path:
    """Write the self-contained HTML report to `out_path` and return its path.

    Tables come from `tables_dir` (`<id>.csv` + `meta/<id>.json`), figures from
    `figures_dir/*.svg` (caption from `<name>.json` {"caption": ...} when present), the
    data-quality section from `qa_dir` (`linkage.csv`, `linkage_notes.csv`, optional
    `disagreements.csv` and any other CSV), provenance from `manifest`. With `comparison`
    (`published.compare`) every published figure is set beside the regenerated one."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    tables = load_tables(tables_dir)
    layouts = [layout_table(t, language, comparison) for t in tables]
    views = [_table_view(lay, language, comparison) for lay in layouts]
    numbered = sorted((v for v in views if v["number"] is not None), key=lambda v: (v["number"], v["id"]))
    others = [v for v in views if v["number"] is None]
    groups = [g for g in (
        {"id": "sec-report-tables", "title": _t("report_tables", language), "tables": numbered},
        {"id": "sec-other-tables", "title": _t("other_tables", language), "tables": others},
    ) if g["tables"]]
    context = {
        "lang": language,
        "csp": CSP,
        "title": title or _t("title", language),
        "T": {key: texts[language] for key, texts in TEXT.items()},
        "groups": groups,
        "figures": load_figures(figures_dir, language),
        "comparison": _comparison_view(comparison, language, {t.id for t in tables}),
        "quality": _quality_view(qa_dir, language),
        "provenance": _provenance_view(manifest, language),
    }
    html = _environment().get_template("report.html.j2").render(**context)
    from cob_analysis.storage import write_text

    return write_text(html, out_path)
