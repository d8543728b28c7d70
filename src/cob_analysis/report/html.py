"""`reports/report.html`: one self-contained page that starts with the answer.

Reading order: the headline indicators per cohort and trajectory with their definitions
(`summary`), then one section per theme (the 2020 report's tables, time to a first art. 60,
models, careers over time, trajectory changes, further analyses), each figure next to the table
with its numbers, then published versus regenerated, data quality and provenance
(`quality`). Long tables are shown compactly (`compact_views`) or folded
(`<details>`), and so is every table a theme does not need open (`SHOWN`); every table and
figure has a caption in words; every text comes from the catalogue (`cob_analysis.i18n`) in the
report's language. The page prints on A4 (wide tables on landscape pages, no row split) and
reads at phone width (figures scroll sideways at a legible size).

Self-contained means: CSS inline, figures inline as SVG, no script but one line that marks when
all images have loaded, and a Content-Security-Policy that forbids every network request. The
page is rendered from `templates/report.html.j2` (jinja2, autoescaped) and is byte-identical for
the same inputs apart from what the manifest says (its time of run).

Every printed value goes through `safe_text.clean_text` (no control characters, terminal
escapes or bidi controls). Text from the data (labels, titles, notes, file names) is printed with
the template filter `iso`: on one line, and in `<bdi>` when it holds right-to-left characters or
bidi controls, so a right-to-left name cannot reorder the text around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from cob_analysis.i18n import (
    LANGUAGES,
    has_text,
    text,
)
from cob_analysis.report.compact_views import compact_views
from cob_analysis.report.comparison import comparison_view, comparison_view_rows
from cob_analysis.report.html_figures import Figure, load_figures
from cob_analysis.report.layout import TableData, layout_table, load_tables
from cob_analysis.report.quality import linkage_note_text, provenance_view, quality_view
from cob_analysis.report.summary import headline_summary
from cob_analysis.report.views import (
    TableView,
    table_view,
)
from cob_analysis.safe_text import clean_text, needs_isolation

__all__ = ["CSP", "html_report", "linkage_note_text", "render_report"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'"

# The themes in reading order; a table (or a figure without a table) goes to the first section
# with a pattern that matches its id, in the order of the patterns.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("report", (r"t\d+_.*",)),
    (
        "art60",
        (
            r"km_art60_cohort",
            r"km_art60_trajectory",
            r"km_art60_logrank",
            r"art60_timing_.*",
            r"km_art60_.*",
        ),
    ),
    ("models", (r"cox_art60", r"cox_.*", r"logit_.*")),
    (
        "longitudinal",
        (
            r"long_status_by_months",
            r"long_transitions",
            r"long_first_work_km",
            r"long_durable_work",
            r"long_work_retention",
            r"long_.*",
        ),
    ),
    ("changes", (r"traj_changes_matrix", r"traj_changes_.*")),
)
OTHER_SECTION = "other"
# companion tables, folded inside the block of the table they belong to (`<id>_at_risk` with
# `<id>`): the numbers at risk under a curve, the check of the proportional-hazards assumption
COMPANION_SUFFIXES = ("_at_risk", "_risk_table", "_ph_check")
# the tables a reader of each theme needs open; any other (a further check, a new analysis) is
# folded, so that the page stays short as analyses are added
SHOWN = (
    r"t\d+_.*",
    r"km_art60_(cohort|trajectory|logrank)",
    r"art60_timing_.*",
    r"long_(status_by_months|transitions|first_work_km|durable_work)",
    r"traj_changes_(matrix|summary)",
)
FOLD_ROWS = 15  # a table with more body rows than this is folded
# a table (or a folded one) sits beside the next on a wide screen unless it is wider than this
NARROW_CHARACTERS = 80

# --- sections and blocks -------------------------------------------------------------------


@dataclass
class Block:
    """One item of a section: a table (its view, folded or not, its compact views) or a figure."""

    kind: str  # table | figure
    id: str
    heading: str
    view: TableView | None = None
    figure: Figure | None = None
    folded: bool = False
    compact: list[tuple[str, TableView, bool]] = field(
        default_factory=list
    )  # (summary, view, open)
    published: dict[str, Any] | None = None
    source: str | None = None  # the CSV file, for the analyst
    side_by_side: bool = False  # may sit beside the next table on a wide screen
    companions: list[Block] = field(default_factory=list)  # folded tables that belong to this one
    print_wide: bool = False  # printed on a landscape page


@dataclass
class Section:
    key: str
    id: str
    title: str
    intro: str | None
    blocks: list[Block]


def _section_of(name: str) -> tuple[str, int]:
    for key, patterns in SECTIONS:
        for rank, pattern in enumerate(patterns):
            if re.fullmatch(pattern, name):
                return key, rank
    return OTHER_SECTION, 0


def _published_view(
    layout, comparison: pd.DataFrame | None, language: str
) -> dict[str, Any] | None:
    if not layout.published_total:
        return None
    rows = comparison[comparison["table_id"] == layout.id]
    ok = layout.published_diff == 0
    return {
        "ok": ok,
        "badge": (
            text("published.table_all_equal", language, n=layout.published_total)
            if ok
            else text(
                "published.table_some_differ",
                language,
                n=layout.published_total,
                diff=layout.published_diff,
            )
        ),
        "view": comparison_view_rows(
            rows, language, f"cmp-{layout.id}", text("published.caption", language)
        ),
    }


_REFERENCE = re.compile(
    r"\b(?:(figuur|figure|tabel|table) )?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b", re.I
)


def _references(note: str, tables: dict[str, str], figures: dict[str, int], language: str) -> str:
    """A note that names a table or figure by its id (`km_art60_cohort`, `de figuur
    km_art60_cohort`), with the id replaced by how the page calls it (`Tabel 5`, `figuur 2`)."""

    def replace(match: re.Match) -> str:
        word, name = match.group(1), match.group(2)
        if word and word.lower() in ("figuur", "figure") and name in figures:
            return f"{word} {figures[name]}"
        if word and name in tables:
            return tables[name]
        if name in tables:
            return match.group(0).replace(name, tables[name])
        if name in figures:
            return match.group(0).replace(
                name, f"{text('report.figure', language)} {figures[name]}"
            )
        return match.group(0)

    return _REFERENCE.sub(replace, note)


def same_numbers(tables: list[TableData]) -> dict[str, str]:
    """Unnumbered table id -> the numbered table with the same cells (column names aside), e.g.
    the art. 60 timing per trajectory, which is the report's Tabel 8."""
    numbered = [t for t in tables if t.number is not None]
    out = {}
    for table in tables:
        if table.number is None:
            twin = next(
                (
                    t
                    for t in numbered
                    if t.frame.shape == table.frame.shape
                    and (t.frame.to_numpy() == table.frame.to_numpy()).all()
                ),
                None,
            )
            if twin is not None:
                out[table.id] = twin.id
    return out


def _table_block(
    table: TableData,
    language: str,
    comparison,
    small_group: int | None,
    names: dict[str, str],
    figure_numbers: dict[str, int],
    twin: str | None = None,
) -> Block:
    layout = layout_table(table, language, comparison, small_group=small_group)
    view = table_view(layout, language)
    view.notes = [_references(n, names, figure_numbers, language) for n in view.notes]
    if twin:
        view.flags.insert(0, text("report.same_as", language, table=names[twin]))
    compact = compact_views(table, language, small_group)
    folded = (
        compact is not None
        or view.n_rows > FOLD_ROWS
        or twin is not None
        or not any(re.fullmatch(pattern, table.id) for pattern in SHOWN)
    )
    compact_blocks = [
        (summary, compact_view, i == 0) for i, (summary, compact_view) in enumerate(compact or [])
    ]
    shown = (
        compact_blocks[0][1] if compact_blocks else (None if folded else view)
    )  # what is open, and printed
    return Block(
        "table",
        table.id,
        layout.heading,
        view=view,
        folded=folded,
        compact=compact_blocks,
        published=_published_view(layout, comparison, language),
        source=f"tables/{table.id}.csv",
        side_by_side=shown is None or shown.width <= NARROW_CHARACTERS,
        print_wide=shown is not None and shown.wide,
    )


def _parent_of(table_id: str, ids: set[str]) -> str | None:
    """The table a companion table belongs to (`km_art60_cohort` for `km_art60_cohort_at_risk`)."""
    for suffix in COMPANION_SUFFIXES:
        if table_id.endswith(suffix) and table_id[: -len(suffix)] in ids:
            return table_id[: -len(suffix)]
    return None


def build_sections(
    tables: list[TableData],
    figures: list[Figure],
    language: str,
    comparison,
    small_group: int | None,
) -> list[Section]:
    """The themed sections in reading order, each figure just before the table of its numbers;
    figures are numbered in that order."""
    section_keys = [k for k, _ in SECTIONS] + [OTHER_SECTION]
    ids = {t.id for t in tables}
    companions = {t.id: _parent_of(t.id, ids) for t in tables}
    figures_of: dict[str, list[Figure]] = {}
    for figure in figures:
        if figure.table_id:  # a figure of a companion table goes with the table it belongs to
            figure.table_id = companions.get(figure.table_id) or figure.table_id
            figures_of.setdefault(figure.table_id, []).append(figure)
    entries: list[
        tuple[tuple, TableData | Figure]
    ] = []  # (section, rank, number, id, figure first) -> item
    for table in tables:
        if companions[table.id]:
            continue
        key, rank = _section_of(table.id)
        order = (
            section_keys.index(key),
            rank,
            table.number if table.number is not None else 0,
            table.id,
        )
        entries += [((*order, 0, figure.stem), figure) for figure in figures_of.get(table.id, [])]
        entries.append(((*order, 1, ""), table))
    for figure in figures:
        if not figure.table_id:
            key, rank = _section_of(figure.stem)
            entries.append(
                ((section_keys.index(key), rank, 0, figure.stem, 0, figure.stem), figure)
            )
    entries.sort(key=lambda entry: entry[0])
    ordered_figures = [item for _, item in entries if isinstance(item, Figure)]
    for number, figure in enumerate(ordered_figures, start=1):
        figure.number = number
    names = {
        t.id: (
            f"{text('table.number', language)} {t.number}"
            if t.number is not None
            else f"‘{t.title}’"
        )
        for t in tables
    }
    figure_numbers = {f.stem: f.number for f in figures}
    twins = same_numbers(tables)
    blocks: dict[str, list[Block]] = {}
    for order, item in entries:
        key = section_keys[order[0]]
        if isinstance(item, Figure):
            item.table_name = names.get(item.table_id, "") if item.table_id else ""
            blocks.setdefault(key, []).append(
                Block(
                    "figure",
                    item.id,
                    f"{text('report.figure', language)} {item.number}. {item.caption}",
                    figure=item,
                )
            )
        else:
            block = _table_block(
                item, language, comparison, small_group, names, figure_numbers, twins.get(item.id)
            )
            block.companions = [
                _table_block(t, language, comparison, small_group, names, figure_numbers)
                for t in tables
                if companions[t.id] == item.id
            ]
            blocks.setdefault(key, []).append(block)
    wide_tables = {b.id for section in blocks.values() for b in section if b.print_wide}
    for section in blocks.values():  # a figure prints on the landscape page of its wide table
        for block in section:
            if block.kind == "figure":
                block.print_wide = block.figure.table_id in wide_tables
    sections = []
    for key in section_keys:
        if key in blocks:
            intro_key = f"section.{key}.intro"
            sections.append(
                Section(
                    key,
                    f"sec-{key}",
                    text(f"section.{key}", language),
                    text(intro_key, language) if has_text(intro_key) else None,
                    blocks[key],
                )
            )
    return sections


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
    raw = str(value)
    cleaned = clean_text(raw)
    return Markup("<bdi>{}</bdi>").format(cleaned) if needs_isolation(raw) else cleaned


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cob_analysis.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters["iso"] = isolate
    return env


def render_report(
    *,
    tables_dir: str | Path,
    figures_dir: str | Path | None,
    qa_dir: str | Path | None,
    manifest: dict | None,
    out_path: str | Path,
    language: str = "nl",
    comparison: pd.DataFrame | None = None,
    title: str | None = None,
    small_group: int | None = None,
) -> Path:
    """Write the self-contained HTML report to `out_path` and return its path.

    Tables come from `tables_dir` (`<id>.csv` + `meta/<id>.json`), figures from
    `figures_dir/*.svg` (caption from `<name>.json` {"caption": ...} when present), the
    data-quality section from `qa_dir` (`linkage.csv`, `linkage_notes.csv`, optional
    `disagreements.csv` and any other CSV), provenance from `manifest`. With `comparison`
    (`published.compare`) every published figure is set beside the regenerated one; with
    `small_group`, groups of fewer clients are flagged in the tables, the summary and the figures."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    tables = load_tables(tables_dir)
    by_id = {t.id: t for t in tables}
    figures = load_figures(figures_dir, language, by_id, small_group)
    sections = build_sections(tables, figures, language, comparison, small_group)
    context = {
        "lang": language,
        "csp": CSP,
        "title": title or text("report.title", language),
        "t": lambda key, **fields: text(key, language, **fields),
        "summary": headline_summary(by_id, language, small_group),
        "sections": sections,
        "has_figures": bool(figures),
        "small_group": small_group,
        "comparison": comparison_view(comparison, language, by_id),
        "quality": quality_view(qa_dir, language, small_group),
        "provenance": provenance_view(manifest, language),
    }
    page = _environment().get_template("report.html.j2").render(**context)
    from cob_analysis.storage import write_text

    return write_text(page, out_path)


def html_report(**kwargs) -> Path:
    """Rule `html_report`: the self-contained page (see `render_report` for the arguments)."""
    return render_report(**kwargs)
