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
from cob_analysis.i18n import TEXTS
from cob_analysis.i18n import en as catalogue_en
from cob_analysis.report.html import CSP, render_report, same_numbers
from cob_analysis.report.html_figures import inline_svg
from cob_analysis.report.layout import TableData, load_tables
from cob_analysis.tables_io import TableMeta, write_table


class Page(HTMLParser):
    """Ids, links, URL-bearing attributes, meta tags, scripts, header cells, tables and the text
    of a page; `visible` is the text a reader sees (no code, style, script or figure internals)."""

    URL_ATTRIBUTES = {
        "src",
        "href",
        "xlink:href",
        "srcset",
        "action",
        "formaction",
        "poster",
        "data",
        "background",
        "cite",
        "ping",
        "manifest",
    }
    HIDDEN = {"style", "script", "svg", "code", "pre", "title"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.tags: dict[str, int] = {}
        self.urls: list[str] = []
        self.metas: list[dict[str, str]] = []
        self.sections: list[str] = []
        self.scripts: list[dict[str, str]] = []
        self.classes: list[tuple[str, str]] = []
        self.headers: list[dict[str, str]] = []
        self.tables: list[dict[str, str]] = []
        self.svgs: list[dict[str, str]] = []
        self.text: list[str] = []
        self.visible: list[str] = []
        self._hidden = 0
        self._caption_open: list[bool] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict((k, v or "") for k, v in attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in attrs:
            self.ids.append(attrs["id"])
            if tag in ("section", "details", "figure"):
                self.sections.append(attrs["id"])
        if "class" in attrs:
            self.classes.append((tag, attrs["class"]))
        self.urls += [v for k, v in attrs.items() if k in self.URL_ATTRIBUTES]
        if tag == "meta":
            self.metas.append(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "th":
            self.headers.append(attrs)
        if tag == "table":
            self.tables.append(dict(attrs, caption=""))
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = "yes"
        if tag == "svg":
            self.svgs.append(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in self.HIDDEN:
            self._hidden -= 1

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())
            if not self._hidden:
                self.visible.append(data.strip())

    @property
    def all_text(self) -> str:
        return " ".join(self.text)

    @property
    def visible_text(self) -> str:
        return " ".join(self.visible)


def render(
    root: Path,
    *,
    language: str = "nl",
    comparison: pd.DataFrame | None = None,
    manifest: dict | None = None,
    name: str = "report.html",
    small_group: int | None = 20,
    **inputs,
) -> tuple[Path, str]:
    inputs = {
        k: v for k, v in inputs.items() if k in ("tables_dir", "figures_dir", "qa_dir")
    } or make_report_inputs(root, language)
    out = render_report(
        tables_dir=inputs["tables_dir"],
        figures_dir=inputs["figures_dir"],
        qa_dir=inputs["qa_dir"],
        manifest=MANIFEST if manifest is None else manifest,
        out_path=root / "out" / name,
        language=language,
        comparison=comparison,
        small_group=small_group,
    )
    return out, out.read_text(encoding="utf-8")


def section(html: str, element_id: str) -> str:
    """The HTML of the element with `element_id` up to the next block or section."""
    start = html.index(f'id="{element_id}"')
    ends = [
        i
        for i in (html.find('<section id="', start + 1), html.find('<figure id="', start + 1))
        if i > 0
    ]
    return html[start : min(ends) if ends else len(html)]


@pytest.fixture
def inputs(tmp_path):
    return make_report_inputs(tmp_path / "in")


@pytest.fixture
def comparison(inputs):
    return published.compare(published.load_published(inputs["reference"]), inputs["tables_dir"])


def test_every_table_is_reachable_and_every_contents_link_resolves(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    page = Page(html)
    assert set(inputs["ids"] + inputs["analyses"]) <= set(page.sections)
    assert len(page.ids) == len(set(page.ids)), (
        "ids must be unique in the page (figures share svg ids)"
    )
    links = {u[1:] for u in page.urls if u.startswith("#")}
    assert links <= set(page.ids), links - set(page.ids)
    assert set(inputs["ids"]) <= links
    for section_id in (
        "sec-summary",
        "sec-report",
        "sec-art60",
        "sec-models",
        "sec-longitudinal",
        "sec-changes",
        "sec-other",
        "sec-quality",
        "sec-provenance",
        "contents",
    ):
        assert section_id in page.ids, section_id
    order = [s for s in page.ids if s.startswith("sec-")]
    assert order[:4] == ["sec-summary", "sec-report", "sec-art60", "sec-models"]
    for heading in ("Tabel 5.", "Timing intake en tewerkstelling", "Tabel 2.", "Cox-model"):
        assert heading in page.all_text
    assert 'lang="nl"' in html


def test_the_page_starts_with_the_headline_figures_and_their_definitions(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    summary = html[html.index('id="sec-summary"') : html.index('id="sec-report"')]
    page = Page(summary)
    text = page.visible_text
    t05 = pd.read_csv(inputs["tables_dir"] / "t05_cohort_work.csv")
    n_spring = int(t05[(t05["row"] == "Voorjaar 2017") & (t05["col"] == "Totaal")]["n"].iloc[0])
    work_spring = t05[(t05["row"] == "Voorjaar 2017") & (t05["col"] == "Werk")]["pct"].iloc[0]
    work_total = t05[(t05["row"] == "Totaal") & (t05["col"] == "Werk")]["pct"].iloc[0]
    # the cohort's clients and work (Tabel 5), its art. 60 within 12 months (the curve's table)
    assert (
        f"Voorjaar 2017 {n_spring} {str(work_spring).replace('.', ',')}% 30,2% 400 38,0%" in text
    ), text[:900]
    assert "Najaar 2017" in text and "Per traject" not in text  # no table by trajectory here
    for label in (
        "Cliënten",
        "Werk op de referentiedatum",
        "Artikel 60 binnen 12 maanden",
        "Duurzaam werk",
        "Per intakecohort",
        "Alle cliënten",
        "Definities",
        "Dagen tot artikel 60 (mediaan)",
    ):
        assert label in text, label
    assert (
        "Aandeel beoordeelbare cliënten met werk op 2 opeenvolgende momentopnames na de intake."
        in text
    )
    assert (
        f"Werk op de referentiedatum: {str(work_total).replace('.', ',')}% van alle cliënten."
        in text
    )
    assert {
        "#t05_cohort_work",
        "#km_art60_cohort",
        "#art60_timing_cohort",
        "#long_durable_work",
    } <= set(page.urls)
    assert 'class="small"' not in summary  # every cohort has 20 clients or more in Tabel 5


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


def test_figures_inline_beside_their_tables_with_captions_and_alt_text(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    page = Page(html)
    assert page.tags.get("svg") == len(inputs["figures"]) == 2
    assert page.tags.get("img", 0) == 0
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html and "<metadata" not in html
    assert all(s.get("role") == "img" and len(s.get("aria-label", "")) > 20 for s in page.svgs)
    # the curve is the first figure (reading order) and sits just before its table
    assert html.index('id="fig-km_art60_cohort"') < html.index('<section id="km_art60_cohort"')
    assert html.index('id="sec-art60"') < html.index('id="fig-km_art60_cohort"')
    text = page.visible_text
    assert "Een extra figuur met bijschrift." in text  # from zz_extra_plot.json
    assert "Figuur 1. Cumulatief aandeel" in text and "Figuur 2. Een extra figuur" in text
    assert (
        "De cijfers bij deze figuur: ‘Tijd tot eerste artikel 60 per intakecohort (Kaplan-Meier)’."
        in text
    )
    assert (
        "zoals onder de figuur 1" in text.lower()
    )  # the note's `km_art60_cohort` names the figure
    refs = set(re.findall(r"url\(#([^)]+)\)", html)) | set(re.findall(r'href="#([^"]+)"', html))
    assert refs <= set(page.ids)


def test_caption_fallback_from_the_file_name(tmp_path, inputs):
    (inputs["figures_dir"] / "zz_extra_plot.json").unlink()
    _, html = render(tmp_path, **inputs)
    assert "Zz extra plot" in Page(html).all_text


def test_tables_notes_association_and_number_layout(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    block = section(html, "t05_cohort_work")
    page = Page(block)
    assert "Chi-kwadraattoets: χ²(1) = " in page.all_text and "Cramérs V" in page.all_text
    assert "zijn niet opgenomen" in page.all_text
    assert "Percentages per rij." in page.all_text
    assert ("td", "num") in page.classes and ("th", "stat") in page.classes
    assert re.search(r'<td class="num">\d+,\d%</td>', block), (
        "percentages printed with a decimal comma and %"
    )
    assert re.search(r'<th scope="rowgroup" rowspan="2">Voorjaar 2017</th>', block)
    t14 = section(html, "t14_nt2_work")
    assert "Niet geregistreerd" in t14 and 'class="warning"' in t14
    cox = Page(section(html, "cox_art60")).visible_text
    assert "concordantie 0,670" in cox and "0.670" not in cox
    km = section(html, "km_art60_cohort")
    assert (
        "30,2 (23,1–38,6)" in km and "% gestart ≤ 12 mnd (95%-BI)" in km
    )  # estimate and interval in one cell
    timing = section(html, "art60_timing_cohort")
    assert "400,0 (320,0–480,0)" in timing and "20–900" in timing and "Bereik (dagen)" in timing


def test_no_internal_names_in_what_a_reader_sees(tmp_path, inputs):
    for language in ("nl", "en"):
        root = tmp_path / language
        _, html = render(root, language=language, **make_report_inputs(root / "in", language))
        text = Page(html).visible_text
        tables = load_tables(root / "in" / "tables")
        names = {str(c) for t in tables for c in t.frame.columns if "_" in str(c)} | {
            t.id for t in tables
        }
        shown = sorted(n for n in names if re.search(rf"(?<![\w/.]){re.escape(n)}(?![\w.])", text))
        assert shown == [], (language, shown)
        assert "tables/km_art60_cohort.csv" in html  # the analyst still finds the file, as code


def test_long_tables_are_shown_compactly_and_the_full_table_is_folded(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    block = section(html, "long_transitions")
    page = Page(block)
    raw = pd.read_csv(inputs["tables_dir"] / "long_transitions.csv")
    assert "long_transitions-total" in page.ids and "long_transitions-cohort" in page.ids
    total = block[block.index('aria-label="Overgangen') : block.index("</table>")]
    assert (
        total.count("<tr") == 1 + 2 * 3
    )  # header + 2 pairs of snapshots x 3 statuses before, not 24 rows
    assert (
        ">Totaal</th>" not in total and "2018-03-31 → 2019-03-31" in total
    )  # N, not a Totaal column
    folded = re.findall(r'<details class="fold(?: full)?"><summary>([^<]+)</summary>', block)
    assert folded == [
        "Per intakecohort: toon de tabel",
        f"Toon de volledige tabel ({len(raw)} rijen)",
    ]
    status = section(html, "long_status_by_months")
    assert "Toon de volledige tabel (15 rijen)" in status
    assert re.search(
        r'<th scope="row" rowspan="2">Voorjaar 2017</th><th scope="row" class="num" '
        r'title="2018-03-31">12</th><td class="num" title="40">26,7%</td>',
        status,
    )
    matrix = section(html, "traj_changes_matrix")
    assert "9 (100,0%)" in matrix and "Van \\ naar" in matrix


def test_small_groups_are_flagged_in_tables_figures_and_quality(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    km = section(html, "km_art60_cohort")
    assert re.search(
        r'<tr class="small"><th scope="row">Najaar 2017<abbr class="mark" '
        r'title="Minder dan 20 cliënten">†</abbr></th>',
        km,
    )
    assert "Kleine groepen (minder dan 20 cliënten) zijn gemarkeerd met †" in km
    at_risk = html[html.index('id="km_art60_cohort_at_risk"') :]
    assert re.search(r'<td class="num small">3<abbr', at_risk[:4000])
    figure = section(html, "fig-km_art60_cohort")
    assert (
        "Kleine groepen (minder dan 20 cliënten): Najaar 2017 (n = 12). Hun curve is onzeker."
        in (Page(figure).visible_text)
    )
    quality = html[html.index('id="sec-quality"') :]
    assert re.search(r'<tr class="small">.*?Lineair<abbr class="mark"', quality, re.S)
    _, plain = render(tmp_path, small_group=None, name="plain.html", **inputs)
    assert 'class="mark"' not in plain and "Kleine groepen" not in plain


def test_tables_have_header_scopes_and_captions(tmp_path, inputs, comparison):
    _, html = render(tmp_path, comparison=comparison, **inputs)
    page = Page(html)
    assert page.headers and all(
        h.get("scope") in ("col", "colgroup", "row", "rowgroup") for h in page.headers
    )
    assert all(t["caption"] or t.get("aria-labelledby") in page.ids for t in page.tables), (
        page.tables
    )
    assert all(t["caption"] or t.get("aria-labelledby") for t in page.tables)


def test_print_stylesheet_a4_landscape_for_wide_tables_and_no_split_rows(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    css = html[html.index("<style>") : html.index("</style>")]
    assert re.search(r"@page\s*\{\s*size:\s*A4 portrait", css) and re.search(
        r"@page wide\s*\{\s*size:\s*A4 landscape", css
    )
    assert "@media print" in css and re.search(r"tr, figure[^{]*\{\s*break-inside:\s*avoid", css)
    assert re.search(r"main > section\.theme\s*\{\s*break-before:\s*page", css)
    assert re.search(r"\.block\.wide[^{]*\{\s*page:\s*wide", css)
    assert 'class="block table wide"' in section(
        html, "km_art60_cohort"
    )  # 10 columns: a landscape page
    assert 'class="block figure wide"' in section(html, "fig-km_art60_cohort")  # printed with it
    assert "wide" not in re.search(r'<section id="t04_work_status" class="([^"]+)"', html).group(1)


def test_data_quality_and_provenance(tmp_path, inputs):
    _, html = render(tmp_path, **inputs)
    quality = Page(
        html[html.index('id="sec-quality"') : html.index('id="sec-provenance"')]
    ).visible_text
    for text in (
        "Gelezen",
        "Gekoppeld",
        "Niet gekoppeld",
        "Geweigerd",
        "250",
        "238",
        "VDAB-status",
        "geweigerd: tegenstrijdige statuscodes op één datum",
        "Art. 60 loopt, VDAB: geen werk",
        "art. 60 loopt op de referentiedatum, maar VDAB zegt geen werk",
        "17 (7,1%)",
        "Traject",
        "Niet gekoppelde sleutels per export",
    ):
        assert text in quality, text
    assert quality.count("✓ sluit") == 2
    assert (
        "rejected: conflicting" not in quality and "vdab " not in f"{quality} "
    )  # the CSV's names, shown in Dutch
    provenance_html = html[html.index('id="sec-provenance"') :]
    provenance = Page(provenance_html).all_text
    for text in (
        "ab" * 32,
        "data/raw/b.csv",
        "5678",
        "pandas",
        "2.3.3",
        "2026-01-02T03:04:05+00:00",
        MANIFEST["git_commit"],
        '"reference_figures": "ref.yaml"',
    ):
        assert text in provenance, text


def test_unbalanced_linkage_is_flagged(tmp_path, inputs):
    linkage = pd.read_csv(inputs["qa_dir"] / "linkage.csv")
    linkage.loc[0, "linked"] -= 3
    linkage.to_csv(inputs["qa_dir"] / "linkage.csv", index=False)
    (inputs["qa_dir"] / "disagreements.csv").unlink()
    _, html = render(tmp_path, **inputs)
    quality = Page(
        html[html.index('id="sec-quality"') : html.index('id="sec-provenance"')]
    ).all_text
    assert "✗ sluit niet: verschil 3" in quality
    assert "Geen tabel met tegenstrijdigheden gevonden." in quality


def test_published_beside_regenerated_marks_differences(tmp_path, inputs, comparison):
    _, html = render(tmp_path, comparison=comparison, **inputs)
    page = Page(html)
    assert "sec-published" in page.sections
    assert (
        f"Alle {len(comparison)} gepubliceerde cijfers zijn gelijk aan de herberekende."
        in page.all_text
    )
    assert "Geen verschillen." in page.all_text
    assert not any("diff" in c.split() for _, c in page.classes)

    changed = comparison.copy()
    row = changed.index[(changed["table_id"] == "t05_cohort_work") & (changed["col"] == "Werk %")][
        0
    ]
    changed.loc[row, ["published", "match"]] = [12.3, False]
    _, html = render(tmp_path, comparison=changed, name="changed.html", **inputs)
    page = Page(html)
    assert f"1 van de {len(changed)} gepubliceerde cijfers verschillen" in page.all_text
    diff_cells = [c for tag, c in page.classes if tag == "td" and "diff" in c.split()]
    assert len(diff_cells) == 1
    assert "rapport: 12,3%" in page.all_text
    differences = html[html.index('id="sec-published"') : html.index('id="sec-quality"')]
    assert differences.count('<tr class="diff">') == 1 and "12,3%" in differences
    assert '<a href="#t05_cohort_work">Tabel 5</a>' in differences


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
    text = page.visible_text
    assert 'lang="en"' in html
    for phrase in (
        "Contents",
        "Summary",
        "Table 5.",
        "Timing of intake and employment",
        "Chi-square test: χ²(1) = ",
        "Row percentages.",
        "Data quality",
        "Provenance",
        "Figure 1.",
        "An extra figure with a caption.",
        "Cumulative share",
        "No work or unknown",
        "Linked",
        "balances",
        "All clients",
        "By intake cohort",
        "concordance 0.670",
        "Intakes (clients)",
        "Art. 60 running, VDAB: no work",
    ):
        assert phrase in text, phrase
    assert re.search(r'<td class="num">\d+\.\d%</td>', html)


# words that only one of the two languages uses (the other-language test below also checks every
# catalogue text)
DUTCH_ONLY = {
    "de",
    "het",
    "een",
    "van",
    "en",
    "niet",
    "zonder",
    "naar",
    "tussen",
    "bij",
    "Toon",
    "Totaal",
    "cliënten",
    "werk",
    "traject",
}
ENGLISH_ONLY = {
    "the",
    "and",
    "with",
    "without",
    "between",
    "Show",
    "Total",
    "clients",
    "work",
    "trajectory",
}


def _fragments(template: str) -> list[str]:
    """The literal parts of a catalogue text long enough to recognise it (fields left out)."""
    return [p.strip() for p in re.split(r"\{[^}]*\}", template) if len(p.strip()) >= 14]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_text_of_the_other_language(tmp_path, language):
    other = "en" if language == "nl" else "nl"
    root = tmp_path / language
    inputs = make_report_inputs(root / "in", language)
    comparison = (
        published.compare(published.load_published(inputs["reference"]), inputs["tables_dir"])
        if inputs["reference"]
        else None
    )
    _, html = render(root, language=language, comparison=comparison, **inputs)
    text = Page(html).visible_text
    foreign = [
        (key, fragment)
        for key, template in TEXTS[other].items()
        if template != TEXTS[language][key]
        for fragment in _fragments(template)
        if fragment not in TEXTS[language][key] and fragment in text
    ]
    assert foreign == []
    labels = (
        catalogue_en.VALUES if language == "nl" else {v: k for k, v in catalogue_en.VALUES.items()}
    )
    words = set(re.findall(r"[\w-]+", text))
    foreign_labels = [
        label
        for source, label in labels.items()
        if label != source
        and len(label) > 3
        and re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text)
    ]
    assert foreign_labels == []
    assert words & (ENGLISH_ONLY if language == "nl" else DUTCH_ONLY) == set()


def test_missing_inputs_are_said_not_failed(tmp_path):
    tables = tmp_path / "tables"
    ids = make_tables(tables)
    out = render_report(
        tables_dir=tables,
        figures_dir=tmp_path / "nofigures",
        qa_dir=tmp_path / "noqa",
        manifest={},
        out_path=tmp_path / "r.html",
        title="Eigen titel",
    )
    page = Page(out.read_text(encoding="utf-8"))
    assert set(ids) <= set(page.sections)
    assert "Eigen titel" in page.all_text
    assert (
        "Geen figuren gevonden." in page.all_text
        and "Geen koppelingsverslag gevonden." in page.all_text
    )
    empty = render_report(
        tables_dir=tmp_path / "none",
        figures_dir=None,
        qa_dir=None,
        manifest=None,
        out_path=tmp_path / "e.html",
    )
    assert "Geen kerncijfers" in Page(empty.read_text(encoding="utf-8")).visible_text


def test_a_table_with_the_numbers_of_a_numbered_one_is_folded_and_says_so():
    numbers = pd.DataFrame({"trajectory": ["VDAB", "Totaal"], "n": ["3", "3"]})
    tables = [
        TableData("t08_art60_timing", numbers, {"number": 8}),
        TableData("art60_timing_trajectory", numbers.rename(columns={"trajectory": "group"}), {}),
        TableData("other", numbers.assign(n=["4", "4"]), {}),
    ]
    assert same_numbers(tables) == {"art60_timing_trajectory": "t08_art60_timing"}


def test_inline_svg_is_cleaned():
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://x/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" viewBox="0 0 100 50">'
        '<metadata><rdf:RDF/></metadata><script>alert(1)</script><defs><clipPath id="c1"><rect/></clipPath></defs>'
        '<g id="figure_1" onclick="x()"><path clip-path="url(#c1)"/><use xlink:href="#c1"/>'
        '<image href="https://example.org/x.png"/></g></svg>'
    )
    out = inline_svg(svg, "fig1", 'A "caption"')
    assert out.startswith("<svg") and "<?xml" not in out and "DOCTYPE" not in out
    assert "<script" not in out and "<metadata" not in out and "onclick" not in out
    assert "https://example.org" not in out
    assert 'id="fig1-c1"' in out and "url(#fig1-c1)" in out and 'href="#fig1-c1"' in out
    assert 'width="100pt"' not in out and 'viewBox="0 0 100 50"' in out
    assert 'aria-label="A &quot;caption&quot;"' in out and 'role="img"' in out


def test_template_and_stylesheet_are_package_files():
    from importlib import resources

    template = resources.files("cob_analysis.report").joinpath("templates/report.html.j2")
    assert template.is_file() and "{% for" in template.read_text(encoding="utf-8")
    assert resources.files("cob_analysis.report").joinpath("templates/report.css").is_file()


def test_suppressed_counts_are_printed_as_written(tmp_path):
    tables = tmp_path / "public"
    write_table(
        pd.DataFrame(
            {"row": ["A", "B", "Totaal"], "n": ["<5", "40", "43"], "pct": ["", "93.0", "100.0"]}
        ),
        TableMeta(id="t98_masked", title="Masked", kind="oneway"),
        tables,
    )
    out = render_report(
        tables_dir=tables,
        figures_dir=None,
        qa_dir=None,
        manifest=None,
        out_path=tmp_path / "r.html",
    )
    html = out.read_text(encoding="utf-8")
    assert '<td class="num">&lt;5</td>' in html and '<td class="num">93,0%</td>' in html


def test_linkage_notes_in_the_report_language():
    from cob_analysis.report.html import linkage_note_text

    assert linkage_note_text("rejected at ingest: invalid national register number", "nl") == (
        "geweigerd bij het inlezen: ongeldig rijksregisternummer"
    )
    assert linkage_note_text("rejected at ingest: invalid start_date", "nl") == (
        "geweigerd bij het inlezen: ongeldig: start_date"
    )
    assert (
        linkage_note_text("rejected at ingest: empty client_id", "nl")
        == "geweigerd bij het inlezen: leeg: client_id"
    )
    assert linkage_note_text("clients without a VDAB status at the reference date", "en") == (
        "clients without a VDAB status at the reference date"
    )
    assert linkage_note_text(
        "linked rows with a code missing from the recoding table (Onbekend)", "en"
    ) == ("linked rows with a code missing from the recoding table (Unknown)")
    assert linkage_note_text("something new", "nl") == "something new"
