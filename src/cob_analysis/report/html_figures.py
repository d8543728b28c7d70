"""The figures of the HTML page: captions (from the figure's sidecar text or its table), and each SVG
inlined sanitised (no script, no external reference, ids prefixed, sized from its viewBox)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from cob_analysis.i18n import (
    has_text,
    localise_decimals,
    text,
    value_label,
)
from cob_analysis.report.layout import TOTAL_LABELS, TableData
from cob_analysis.safe_text import clean_text

_XML_DECL = re.compile(r"<\?xml[^>]*\?>\s*", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>\s*", re.S | re.I)
_STRIP = re.compile(r"<(metadata|script|foreignObject)\b.*?</\1\s*>|<script\b[^>]*/>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_EVENT_ATTR = re.compile(r"\s+on[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*')", re.I)
_EXTERNAL_REF = re.compile(r"""\s+(?:xlink:)?href\s*=\s*(["'])(?!#|data:)[^"']*\1""", re.I)
_ID = re.compile(r"""\bid=(["'])([^"']+)\1""")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.S)
_VIEWBOX = re.compile(r"""viewBox=(["'])\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*\1""")
PT_TO_PX = 4 / 3  # matplotlib's SVG user units are points


@dataclass
class Figure:
    id: str
    number: int
    caption: str
    svg: Markup
    stem: str
    table_id: str | None = None  # the table with the numbers behind it
    table_name: str = ""  # how the page calls that table ("Tabel 5", or its title)
    width_px: int = (
        960  # natural width: the figure is never drawn wider, and scrolls below 80% of it
    )
    small_groups: str | None = None  # the sentence that flags small groups, when any


def _sidecar_caption(path: Path, language: str) -> str | None:
    sidecar = path.with_suffix(".json")
    if not sidecar.exists():
        return None
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    caption = data.get("caption") if isinstance(data, dict) else None
    if isinstance(caption, dict):
        caption = caption.get(language) or caption.get("nl") or next(iter(caption.values()), None)
    return str(caption) if caption else None


def figure_caption(path: Path, language: str, tables: dict[str, TableData]) -> str:
    """A figure's caption: its `<name>.json`, the catalogue, the title of the table of the same
    name, or (last) its file name in words."""
    caption = _sidecar_caption(path, language)
    if caption:
        return caption
    if has_text(f"figure.{path.stem}"):
        return text(f"figure.{path.stem}", language)
    if path.stem in tables:
        return localise_decimals(tables[path.stem].title, language)
    words = path.stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def inline_svg(svg_text: str, prefix: str, label: str) -> str:
    """An SVG file made fit to sit inline in an HTML page: no XML declaration, doctype, metadata,
    scripts, event handlers or external references; ids prefixed (several figures share ids
    such as `figure_1` or clip paths); size set by CSS from the viewBox; `role="img"` with the
    caption as its accessible name."""
    svg_text, label = clean_text(svg_text, multiline=True), clean_text(label)
    svg_text = _XML_DECL.sub("", svg_text)
    svg_text = _DOCTYPE.sub("", svg_text)
    svg_text = _COMMENT.sub("", svg_text)
    svg_text = _STRIP.sub("", svg_text)
    svg_text = _EVENT_ATTR.sub("", svg_text)
    svg_text = _EXTERNAL_REF.sub("", svg_text)
    ids = {m.group(2) for m in _ID.finditer(svg_text)}

    def new_id(name: str) -> str:
        return f"{prefix}-{name}"

    svg_text = _ID.sub(lambda m: f'id="{new_id(m.group(2))}"', svg_text)
    svg_text = re.sub(
        r"""(href=)(["'])#([^"']+)\2""",
        lambda m: f'{m.group(1)}"#{new_id(m.group(3))}"' if m.group(3) in ids else m.group(0),
        svg_text,
    )
    svg_text = re.sub(
        r"url\(#([^)]+)\)",
        lambda m: f"url(#{new_id(m.group(1))})" if m.group(1) in ids else m.group(0),
        svg_text,
    )

    def opening(match: re.Match) -> str:
        tag = match.group(0)
        tag = re.sub(
            r"""\s(width|height|role|aria-label|preserveAspectRatio)=(["'])[^"']*\2""", "", tag
        )
        extra = f' role="img" aria-label="{_attr(label)}" preserveAspectRatio="xMidYMid meet"'
        return tag[:-1].rstrip("/") + extra + ">"

    return _SVG_OPEN.sub(opening, svg_text, count=1).strip()


def _attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _figure_table(stem: str, tables: dict[str, TableData]) -> str | None:
    """The table a figure shows: the longest table id the figure's name starts with."""
    matches = [t for t in tables if stem == t or stem.startswith(f"{t}_")]
    return max(matches, key=len) if matches else None


def _small_groups_sentence(
    table: TableData | None, language: str, small_group: int | None
) -> str | None:
    """The groups of a figure's table with fewer than `small_group` clients, as one sentence."""
    if table is None or small_group is None or "n" not in table.frame.columns:
        return None
    label_column = next((c for c in ("group", "row", "level") if c in table.frame.columns), None)
    if label_column is None:
        return None
    items = []
    for label, n in zip(table.frame[label_column], table.frame["n"], strict=True):
        try:
            size = float(n)
        except ValueError:
            continue
        if size < small_group and label not in TOTAL_LABELS:
            items.append(
                text("report.small_group_item", language, group=value_label(label, language), n=n)
            )
    if not items:
        return None
    return text("report.small_groups_figure", language, k=small_group, groups=", ".join(items))


def load_figures(
    figures_dir: str | Path | None,
    language: str,
    tables: dict[str, TableData] | None = None,
    small_group: int | None = None,
) -> list[Figure]:
    """Every `*.svg` of `figures_dir`, inlined, with its caption and the table behind it."""
    tables = tables or {}
    if figures_dir is None or not Path(figures_dir).is_dir():
        return []
    out = []
    for number, path in enumerate(sorted(Path(figures_dir).glob("*.svg")), start=1):
        caption = figure_caption(path, language, tables)
        svg = inline_svg(path.read_text(encoding="utf-8"), f"fig{number}", caption)
        box = _VIEWBOX.search(svg)
        width = int(float(box.group(2)) * PT_TO_PX) if box else 960
        table_id = _figure_table(path.stem, tables)
        out.append(
            Figure(
                id=f"fig-{path.stem}",
                number=number,
                caption=caption,
                svg=Markup(svg),
                stem=path.stem,
                table_id=table_id,
                width_px=width,
                small_groups=_small_groups_sentence(tables.get(table_id), language, small_group),
            )
        )
    return out
