"""reports/report.html: one self-contained page, parsed back as a browser would read it."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from test_workbook import MANIFEST, make_report_inputs, make_tables

from cob_analysis import published
from cob_analysis.html_report import CSP, inline_svg, render_report


class Page(HTMLParser):
    """Ids, links, URL-bearing attributes, meta tags, scripts and text of a page."""

    URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "formaction", "poster", "data",
                      "background", "cite", "ping", "manifest"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.tags: dict[str, int] = {}
        self.urls: list[str] = []
        self.metas: list[dict[str, str]] = []
        self.sections: list[str] = []
        self.scripts: list[dict[str, str]] = []
        self.classes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict((k, v or "") for k, v in attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in attrs:
            self.ids.append(attrs["id"])
            if tag == "section":
                self.sections.append(attrs["id"])
        if "class" in attrs:
            self.classes.append((tag, attrs["class"]))
        self.urls += [v for k, v in attrs.items() if k in self.URL_ATTRIBUTES]
        if tag == "meta":
            self.metas.append(attrs)
        if tag == "script":
            self.scripts.append(attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())

    @property
    def all_text(self) -> str:
        return " ".join(self.text)


def render(root: Path, *, language: str = "nl", comparison: pd.DataFrame | None = None,
           manifest: dict | None = None, name: str = "report.html", **inputs) -> tuple[Path, str]:
    inputs = inputs or make_report_inputs(root, language)
    out = render_report(tables_dir=inputs["tables_dir"], figures_dir=inputs["figures_dir"], qa_dir=inputs["qa_dir"],
                        manifest=MANIFEST if manifest is None else manifest, out_path=root / "out" / name,
                        language=language, comparison=comparison)
    return out, out.read_text(encoding="utf-8")


@pytest.fixture
def inputs(tmp_path):
    return make_report_inputs(tmp_path / "in")


@pytest.fixture
def comparison(inputs):
    return published.compare(published.load_published(inputs["reference"]), inputs["tables_dir"])


def test_every_table_has_a_section_and_a_contents_link(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    page = Page(html)
    assert set(inputs["ids"]) <= set(page.sections)
    assert len(page.ids) == len(set(page.ids)), "ids must be unique in the page (figures share svg ids)"
    links = {u[1:] for u in page.urls if u.startswith("#")}
    assert set(inputs["ids"]) <= links
    assert {"sec-figures", "sec-quality", "sec-provenance", "contents"} <= set(page.ids)
    for heading in ("Tabel 5.", "Timing intake en tewerkstelling", "Tabel 2.", "Cox-model"):
        assert heading in page.all_text
    assert 'lang="nl"' in html


def test_self_contained_no_network(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    page = Page(html)
    csp = [m for m in page.metas if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(csp) == 1 and csp[0]["content"] == CSP
    assert "default-src 'none'" in CSP and "img-src data:" in CSP
    assert all(u.startswith("#") or u.startswith("data:") for u in page.urls), page.urls
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert not re.search(r"@import", html)
    assert page.tags.get("link", 0) == 0 and page.tags.get("iframe", 0) == 0
    assert all("src" not in s for s in page.scripts)  # only the inline images-loaded marker
    assert page.tags.get("script") == 1
    assert page.tags.get("style", 0) >= 1


def test_figures_inline_as_svg_with_captions(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    page = Page(html)
    assert page.tags.get("svg") == len(inputs["figures"]) == 2
    assert page.tags.get("img", 0) == 0
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html and "<metadata" not in html
    assert "fig-km_art60_cohort" in page.ids and "fig-zz_extra_plot" in page.ids
    text = page.all_text
    assert "Een extra figuur met bijschrift." in text  # from zz_extra_plot.json
    assert "Figuur 1." in text and "Figuur 2." in text
    assert "Kaplan-Meier" in text  # built-in caption of a known figure
    # clip paths and glyphs point at ids inside their own figure
    refs = set(re.findall(r'url\(#([^)]+)\)', html)) | set(re.findall(r'href="#([^"]+)"', html))
    assert refs <= set(page.ids)


def test_caption_fallback_from_the_file_name(tmp_path, inputs):
    (inputs["figures_dir"] / "zz_extra_plot.json").unlink()
    _, html = render(tmp_path, **inputs)
    assert "Zz extra plot" in Page(html).all_text


def test_tables_notes_association_and_number_layout(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    section = html[html.index('<section id="t05_cohort_work"'):]
    section = section[: section.index("</section>")]
    page = Page(section)
    assert "Chi-kwadraattoets: χ²(1) = " in page.all_text and "Cramérs V" in page.all_text
    assert "zijn niet opgenomen" in page.all_text
    assert "Percentages per rij." in page.all_text
    assert ("td", "num") in page.classes and ("td", "stat") in page.classes
    assert re.search(r'<td class="num">\d+,\d%</td>', section), "percentages printed with a decimal comma and %"
    t14 = html[html.index('<section id="t14_nt2_work"'):]
    t14 = t14[: t14.index("</section>")]
    assert "Niet geregistreerd" in t14 and 'class="warning"' in t14


def test_data_quality_and_provenance(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    quality = Page(html[html.index('id="sec-quality"'): html.index('id="sec-provenance"')]).all_text
    for text in ("Gelezen", "Gekoppeld", "Niet gekoppeld", "Geweigerd", "250", "238",
                 "geweigerd: tegenstrijdige statuscodes op één datum", "art. 60 loopt, VDAB zegt geen werk", "7,1%"):
        assert text in quality, text
    assert quality.count("✓ sluit") == 2
    assert "rejected: conflicting" not in quality  # the CSV's English note, shown in Dutch
    provenance = Page(html[html.index('id="sec-provenance"'):]).all_text
    for text in ("ab" * 32, "data/raw/b.csv", "5678", "pandas", "2.3.3", "2026-01-02T03:04:05+00:00",
                 MANIFEST["git_commit"], '"reference_figures": "ref.yaml"'):
        assert text in provenance, text


def test_unbalanced_linkage_is_flagged(tmp_path, inputs):
    linkage = pd.read_csv(inputs["qa_dir"] / "linkage.csv")
    linkage.loc[0, "linked"] -= 3
    linkage.to_csv(inputs["qa_dir"] / "linkage.csv", index=False)
    (inputs["qa_dir"] / "disagreements.csv").unlink()
    _, html = render(tmp_path, **inputs)
    quality = Page(html[html.index('id="sec-quality"'): html.index('id="sec-provenance"')]).all_text
    assert "✗ sluit niet: verschil 3" in quality
    assert "Geen tabel met tegenstrijdigheden gevonden." in quality


def test_published_beside_regenerated_marks_differences(tmp_path, inputs, comparison):
    _, html = render(tmp_path, comparison=comparison, **inputs)
    page = Page(html)
    assert "sec-published" in page.sections
    assert f"Alle {len(comparison)} gepubliceerde cijfers zijn gelijk aan de herberekende." in page.all_text
    assert "Geen verschillen." in page.all_text
    assert not any("diff" in c.split() for _, c in page.classes)

    changed = comparison.copy()
    row = changed.index[(changed["table_id"] == "t05_cohort_work") & (changed["col"] == "Werk %")][0]
    changed.loc[row, ["published", "match"]] = [12.3, False]
    _, html = render(tmp_path, comparison=changed, name="changed.html", **inputs)
    page = Page(html)
    assert f"1 van de {len(changed)} gepubliceerde cijfers verschillen" in page.all_text
    diff_cells = [c for tag, c in page.classes if tag == "td" and "diff" in c.split()]
    assert len(diff_cells) == 1
    assert "rapport: 12,3%" in page.all_text
    differences = html[html.index('id="sec-published"'):html.index('id="sec-quality"')]
    assert differences.count('<tr class="diff">') == 1 and "12,3%" in differences


def test_deterministic_apart_from_the_manifest_time(tmp_path, inputs, comparison):
    _, first = render(tmp_path, comparison=comparison, name="a.html", **inputs)
    _, second = render(tmp_path, comparison=comparison, name="b.html", **inputs)
    assert first == second
    later = copy.deepcopy(MANIFEST)
    later["created"] = "2030-12-31T23:59:59+00:00"
    _, third = render(tmp_path, comparison=comparison, manifest=later, name="c.html", **inputs)
    assert third.replace("2030-12-31T23:59:59+00:00", MANIFEST["created"]) == first


def test_english(tmp_path):
    root = tmp_path / "en"
    inputs = make_report_inputs(root, "en")
    _, html = render(root, language="en", **inputs)
    page = Page(html)
    text = page.all_text
    assert 'lang="en"' in html
    for phrase in ("Contents", "Table 5.", "Timing of intake and employment", "Chi-square test: χ²(1) = ",
                   "Row percentages.", "Data quality", "Provenance", "Figure 1.", "An extra figure with a caption.",
                   "Cumulative share", "No work or unknown", "Linked", "balances"):
        assert phrase in text, phrase
    assert re.search(r'<td class="num">\d+\.\d%</td>', html)
    for dutch in ("Inhoud", "Datakwaliteit", "Herkomst", "Figuur", "Tabel 5", "Percentages per rij"):
        assert dutch not in text, dutch


def test_missing_inputs_are_said_not_failed(tmp_path):
    tables = tmp_path / "tables"
    ids = make_tables(tables)
    out = render_report(tables_dir=tables, figures_dir=tmp_path / "nofigures", qa_dir=tmp_path / "noqa",
                        manifest={}, out_path=tmp_path / "r.html", title="Eigen titel")
    page = Page(out.read_text(encoding="utf-8"))
    assert set(ids) <= set(page.sections)
    assert "Eigen titel" in page.all_text
    assert "Geen figuren gevonden." in page.all_text and "Geen koppelingsverslag gevonden." in page.all_text


def test_inline_svg_is_cleaned():
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://x/svg11.dtd">\n'
           '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" viewBox="0 0 100 50">'
           '<metadata><rdf:RDF/></metadata><script>alert(1)</script><defs><clipPath id="c1"><rect/></clipPath></defs>'
           '<g id="figure_1" onclick="x()"><path clip-path="url(#c1)"/><use xlink:href="#c1"/>'
           '<image href="https://example.org/x.png"/></g></svg>')
    out = inline_svg(svg, "fig1", 'A "caption"')
    assert out.startswith("<svg") and "<?xml" not in out and "DOCTYPE" not in out
    assert "<script" not in out and "<metadata" not in out and "onclick" not in out
    assert "https://example.org" not in out
    assert 'id="fig1-c1"' in out and "url(#fig1-c1)" in out and 'href="#fig1-c1"' in out
    assert 'width="100pt"' not in out and 'viewBox="0 0 100 50"' in out
    assert 'aria-label="A &quot;caption&quot;"' in out


def test_template_is_a_package_file():
    from importlib import resources

    template = resources.files("cob_analysis").joinpath("templates/report.html.j2")
    assert template.is_file()
    assert "{% for" in template.read_text(encoding="utf-8")


def test_suppressed_counts_are_printed_as_written(tmp_path):
    tables = tmp_path / "public"
    tables.mkdir()
    pd.DataFrame({"row": ["A", "B", "Totaal"], "n": ["<5", "40", "43"], "pct": ["", "93.0", "100.0"]}
                 ).to_csv(tables / "t98_masked.csv", index=False)
    out = render_report(tables_dir=tables, figures_dir=None, qa_dir=None, manifest=None,
                        out_path=tmp_path / "r.html")
    html = out.read_text(encoding="utf-8")
    assert '<td class="num">&lt;5</td>' in html and '<td class="num">93,0%</td>' in html


def test_linkage_notes_in_the_report_language():
    from cob_analysis.html_report import linkage_note_text

    assert linkage_note_text("rejected at ingest: invalid national register number", "nl") == (
        "geweigerd bij het inlezen: ongeldig rijksregisternummer")
    assert linkage_note_text("rejected at ingest: invalid start_date", "nl") == (
        "geweigerd bij het inlezen: ongeldig: start_date")
    assert linkage_note_text("rejected at ingest: empty client_id", "nl") == "geweigerd bij het inlezen: leeg: client_id"
    assert linkage_note_text("clients without a VDAB status at the reference date", "en") == (
        "clients without a VDAB status at the reference date")
    assert linkage_note_text("something new", "nl") == "something new"
