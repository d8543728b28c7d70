"""The data-quality and provenance sections of the HTML report: the row accounting of every
export (does it balance?), the linkage notes and the disagreements between sources in the
report's language, any other QA table, and what the run was made from (input hashes, versions,
configuration, time)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from cob_analysis.i18n import has_text, text
from cob_analysis.labels import column_label, export_label
from cob_analysis.report.layout import TableData, layout_table
from cob_analysis.report.views import (
    TableView,
    ViewCell,
    disagreements_view,
    plain_view,
    table_view,
)

__all__ = ["linkage_note_text", "provenance_view", "quality_view"]

# reports/qa/linkage_notes.csv keeps its notes in English (stable texts for scripts): the
# catalogue keys of those texts
LINKAGE_NOTE_KEYS = {
    "started after the observation end (censored, not an event)": "linkage_note.censored_after_end",
    "rejected: started before the intake": "linkage_note.started_before_intake",
    "rejected: conflicting status codes": "linkage_note.conflicting_status",
    "clients without a VDAB status at the reference date": "linkage_note.no_vdab_status",
    "clients younger than 18 at intake (in no age group)": "linkage_note.younger_than_18",
    "linked rows with a code missing from the recoding table (Onbekend)": "linkage_note.code_not_in_recoding",
    "linked rows with a code outside its validity period in the recoding table "
    "(recoded as the table says)": "linkage_note.code_outside_validity",
}
REJECTION_KEYS = {
    "invalid national register number": "linkage_note.invalid_register_number",
    "ends before it starts": "linkage_note.ends_before_start",
}
_ACCOUNTED = ("linked", "unmatched", "duplicate", "out_of_window", "rejected")
QA_CAPTIONS = {"unmatched": "quality.unmatched"}


def linkage_note_text(note: str, language: str) -> str:
    """A note of linkage_notes.csv in the report's language (unknown notes as they are)."""
    if note in LINKAGE_NOTE_KEYS:
        return text(LINKAGE_NOTE_KEYS[note], language)
    prefix = "rejected at ingest: "
    if not note.startswith(prefix):
        return note
    reason = note[len(prefix) :]
    if reason in REJECTION_KEYS:
        reason = text(REJECTION_KEYS[reason], language)
    elif reason.startswith("empty "):
        reason = text("linkage_note.empty_column", language, column=reason[len("empty ") :])
    elif reason.startswith("invalid "):
        reason = text("linkage_note.invalid_column", language, column=reason[len("invalid ") :])
    return text("linkage_note.rejected_at_ingest", language, reason=reason)


def _read_csv(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _linkage_view(frame: pd.DataFrame, language: str) -> TableView:
    columns = list(frame.columns)
    numeric = [c for c in columns if c not in ("export", "file")]
    header = [column_label(c, language) for c in columns] + [text("quality.check", language)]
    rows = []
    for record in frame.to_dict("records"):
        cells = [
            ViewCell(
                export_label(record[c], language) if c == "export" else record[c],
                "num" if c in numeric else ("mono" if c == "file" else ""),
            )
            for c in columns
        ]
        check = ViewCell("")
        try:
            accounted = sum(int(record[c] or 0) for c in _ACCOUNTED if c in record)
            difference = int(record.get("rows_read") or 0) - accounted
            check = (
                ViewCell("✓ " + text("quality.balanced", language), "ok")
                if difference == 0
                else ViewCell("✗ " + text("quality.unbalanced", language, d=difference), "bad")
            )
        except ValueError:
            pass
        rows.append([*cells, check])
    return plain_view(
        "qa-linkage",
        text("quality.linkage", language),
        header,
        rows,
        numeric={i for i, c in enumerate(columns) if c in numeric},
    )


def _notes_view(frame: pd.DataFrame, language: str) -> TableView:
    if "note" in frame.columns:
        frame = frame.assign(note=[linkage_note_text(str(n), language) for n in frame["note"]])
    if "export" in frame.columns:
        frame = frame.assign(export=[export_label(str(e), language) for e in frame["export"]])
    columns = list(frame.columns)
    rows = [
        [ViewCell(str(v), "num" if c == "n" else "") for c, v in zip(columns, record, strict=True)]
        for record in frame.itertuples(index=False)
    ]
    return plain_view(
        "qa-linkage-notes",
        text("quality.linkage_notes", language),
        [column_label(c, language) for c in columns],
        rows,
        numeric={i for i, c in enumerate(columns) if c == "n"},
    )


def _generic_view(frame: pd.DataFrame, name: str, language: str) -> TableView:
    caption = text(QA_CAPTIONS[name], language) if name in QA_CAPTIONS else name
    table = TableData(f"qa-{name}", frame, {"id": f"qa-{name}", "title": caption, "kind": "qa"})
    return table_view(layout_table(table, language), language, caption=caption)


def quality_view(
    qa_dir: str | Path | None, language: str, small_group: int | None
) -> dict[str, Any]:
    qa_dir = Path(qa_dir) if qa_dir is not None else None
    if qa_dir is None or not qa_dir.is_dir():
        return {"linkage": None, "notes": None, "disagreements": None, "others": []}
    linkage = _read_csv(qa_dir / "linkage.csv")
    notes = _read_csv(qa_dir / "linkage_notes.csv")
    disagreements = _read_csv(qa_dir / "disagreements.csv")
    known = {"linkage.csv", "linkage_notes.csv", "disagreements.csv"}
    others = [
        _generic_view(_read_csv(p), p.stem, language)
        for p in sorted(qa_dir.glob("*.csv"))
        if p.name not in known
    ]
    expected = {"check", "group_var", "group", "n_clients", "n_flagged", "pct"}
    if disagreements is not None and expected <= set(disagreements.columns) and len(disagreements):
        disagreements_shown = disagreements_view(disagreements, language, small_group)
    elif disagreements is not None:
        disagreements_shown = _generic_view(disagreements, "disagreements", language)
    else:
        disagreements_shown = None
    return {
        "linkage": _linkage_view(linkage, language) if linkage is not None else None,
        "notes": _notes_view(notes, language) if notes is not None else None,
        "disagreements": disagreements_shown,
        "others": others,
    }


def provenance_view(manifest: dict | None, language: str) -> dict[str, Any]:
    manifest = dict(manifest or {})
    inputs = [
        [
            ViewCell(str(i.get("path", "")), "mono"),
            ViewCell("" if i.get("bytes") is None else str(i.get("bytes")), "num"),
            ViewCell(str(i.get("sha256", "")), "mono"),
        ]
        for i in manifest.pop("inputs", None) or []
        if isinstance(i, dict)
    ]
    versions = sorted((str(k), str(v)) for k, v in (manifest.pop("versions", None) or {}).items())
    config = manifest.pop("config", None)
    created = manifest.pop("created", None)
    commit = manifest.pop("git_commit", None)
    other = sorted(
        (
            text(f"provenance.{k}", language) if has_text(f"provenance.{k}") else str(k),
            v
            if isinstance(v, str)
            else json.dumps(v, ensure_ascii=False, sort_keys=True, default=str),
        )
        for k, v in manifest.items()
    )
    return {
        "inputs": plain_view(
            "provenance-inputs",
            text("provenance.inputs", language),
            [text("provenance.path", language), text("provenance.bytes", language), "SHA-256"],
            inputs,
            numeric={1},
        )
        if inputs
        else None,
        "versions": versions,
        "config": json.dumps(config, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        if config is not None
        else None,
        "created": str(created) if created else text("provenance.unknown", language),
        "git_commit": str(commit) if commit else text("provenance.unknown", language),
        "other": other,
    }
