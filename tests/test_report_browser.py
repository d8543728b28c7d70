"""The HTML report opened in headless Chromium, as a person would open, print and pass it on:
screenshots at desktop and phone width and in print emulation, layout facts (no horizontal
overflow of the page, every figure visible, every contents link resolves, wide tables on a
landscape page), the printed PDF, and an automated accessibility check (axe-core).

Chromium's traffic goes to a recording proxy on localhost: a request made by the page shows up
there (a control page with an external image proves it does). Chromium itself still phones its
own update and sign-in services even with background networking disabled; those hosts are
listed in BROWSER_SERVICE_HOSTS and are not requests of the page.

Skipped when `chromium` is not on PATH (CI installs Debian's `chromium`). axe-core comes from
the npm registry into a cache folder outside the repository (`.ci/run` installs it; the test
installs it itself when it is missing); the accessibility test is skipped, saying why, when
neither npm nor the cached copy is there."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import struct
import subprocess
import threading
from pathlib import Path

import pytest
from chromium_cdp import Chromium, pdf_page_count
from test_html_report import Page
from test_workbook import MANIFEST, make_report_inputs

from cob_analysis import published
from cob_analysis.report.html import render_report

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip(
        "headless Chromium not found: `chromium` is not on PATH (apt-get install chromium)",
        allow_module_level=True,
    )

BROWSER_SERVICE_HOSTS = {
    "update.googleapis.com",
    "accounts.google.com",
    "clients1.google.com",
    "clients2.google.com",
    "clientservices.googleapis.com",
    "safebrowsing.googleapis.com",
    "optimizationguide-pa.googleapis.com",
    "redirector.gvt1.com",
    "edgedl.me.gvt1.com",
    "android.clients.google.com",
    "content-autofill.googleapis.com",
    "www.googleapis.com",
}
DESKTOP, PHONE = (1400, 900), (375, 800)
A4_PORTRAIT_CONTENT_PX, A4_LANDSCAPE_CONTENT_PX = 703, 1032  # 186 mm and 273 mm at 96 px an inch
AXE_VERSION = "4.10.3"
AXE_CACHE = Path(os.environ.get("COB_AXE_CACHE", Path.home() / ".cache" / "cob-analysis" / "axe"))
AXE_JS = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"


class RecordingProxy:
    """A TCP listener that records the first line of every request sent to it, then hangs up."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(32)
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                try:
                    line = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    line = "<no request line>"
                self.requests.append(line)

    @staticmethod
    def host(line: str) -> str:
        parts = line.split()
        target = parts[1] if len(parts) > 1 else ""
        target = target.split("://", 1)[-1]
        return target.split("/", 1)[0].rsplit(":", 1)[0]

    def page_requests(self) -> list[str]:
        return [r for r in self.requests if self.host(r) not in BROWSER_SERVICE_HOSTS]

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def proxy():
    recorder = RecordingProxy()
    yield recorder
    recorder.close()


def browser(profile: Path, proxy: RecordingProxy) -> Chromium:
    return Chromium(
        CHROMIUM,
        profile,
        f"--proxy-server=http://127.0.0.1:{proxy.port}",
        "--proxy-bypass-list=<-loopback>",
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _report(root: Path, language: str) -> tuple[Path, dict]:
    inputs = make_report_inputs(root / "in", language)
    comparison = (
        published.compare(published.load_published(inputs["reference"]), inputs["tables_dir"])
        if inputs["reference"]
        else None
    )
    out = render_report(
        tables_dir=inputs["tables_dir"],
        figures_dir=inputs["figures_dir"],
        qa_dir=inputs["qa_dir"],
        manifest=MANIFEST,
        out_path=root / "reports" / "report.html",
        comparison=comparison,
        language=language,
        small_group=20,
    )
    return out, inputs


@pytest.fixture
def report(tmp_path) -> tuple[Path, dict]:
    return _report(tmp_path, "nl")


LAYOUT = """(() => {
  const width = window.innerWidth;
  const visible = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const links = Array.from(document.querySelectorAll('a[href^="#"]')).map(a => a.getAttribute('href').slice(1));
  const toc = Array.from(document.querySelectorAll('nav.toc a[href^="#"]')).map(a => a.getAttribute('href').slice(1));
  return {
    width, page_width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
    figures: Array.from(document.querySelectorAll('figure svg')).map(svg => ({visible: visible(svg),
      width: svg.getBoundingClientRect().width, frame_right: svg.closest('.figure-scroll').getBoundingClientRect().right})),
    unresolved: links.filter(id => !document.getElementById(id)),
    toc_hidden: toc.filter(id => document.getElementById(id) && !visible(document.getElementById(id))),
    toc_count: toc.length,
    overflowing: Array.from(document.querySelectorAll('.table-wrap, .figure-scroll'))
      .filter(el => visible(el) && el.getBoundingClientRect().right > width + 1).map(el => el.id || el.className),
  };
})()"""

PRINT_FIT = """(() => Array.from(document.querySelectorAll('.block.table')).filter(b => b.getClientRects().length)
  .map(b => ({id: b.id, wide: b.classList.contains('wide'),
              width: Math.max(0, ...Array.from(b.querySelectorAll(':scope > .table-wrap table'))
                                   .map(t => t.getBoundingClientRect().width))})))()"""


def test_report_in_headless_chromium(report, tmp_path, proxy):
    page, inputs = report
    with browser(tmp_path / "profile", proxy) as chromium:
        chromium.viewport(*DESKTOP)
        chromium.open(page)
        shot = chromium.screenshot(tmp_path / "desktop.png", full_page=False)
        dom = chromium.evaluate("document.documentElement.outerHTML")
    assert png_size(shot) == DESKTOP and shot.stat().st_size > 10_000
    parsed = Page(dom)
    assert set(inputs["ids"] + inputs["analyses"]) <= set(parsed.sections), (
        "every table is in the rendered page"
    )
    assert parsed.tags.get("svg") == len(inputs["figures"])
    assert 'data-images-loaded="yes"' in dom, "the page's marker: every image loaded"
    offending = [u for u in parsed.urls if u.lower().lstrip().startswith(("http:", "https:", "//"))]
    assert not offending, offending
    assert proxy.page_requests() == [], "no request may leave the page"


@pytest.mark.parametrize(
    ("name", "size", "mobile"), [("desktop", DESKTOP, False), ("phone", PHONE, True)]
)
def test_layout_at_desktop_and_phone_width(report, tmp_path, proxy, name, size, mobile):
    page, inputs = report
    with browser(tmp_path / f"profile-{name}", proxy) as chromium:
        chromium.viewport(*size, mobile=mobile)
        chromium.open(page)
        facts = chromium.evaluate(LAYOUT)
        shot = chromium.screenshot(tmp_path / f"{name}.png")
    assert png_size(shot) == (size[0], facts["height"])
    assert facts["page_width"] <= size[0], f"the page scrolls sideways at {size[0]} px"
    assert facts["overflowing"] == [], "tables and figures scroll inside their own frame"
    assert len(facts["figures"]) == len(inputs["figures"]) and all(
        f["visible"] for f in facts["figures"]
    )
    assert facts["unresolved"] == [] and facts["toc_count"] >= 8
    if mobile:  # figures keep a legible size and scroll sideways inside their frame
        assert all(f["width"] >= 0.8 * 300 and f["width"] > size[0] for f in facts["figures"]), (
            facts["figures"]
        )
    else:
        assert facts["toc_hidden"] == [], "every entry of the contents leads to something on screen"
        assert all(f["width"] <= 760 + 1 for f in facts["figures"])


def test_print_emulation_and_the_printed_pdf(report, tmp_path, proxy):
    page, _ = report
    with browser(tmp_path / "profile-print", proxy) as chromium:
        chromium.viewport(A4_PORTRAIT_CONTENT_PX, 1000)
        chromium.open(page)
        chromium.media("print")
        blocks = chromium.evaluate(PRINT_FIT)
        hidden_nav = chromium.evaluate(
            "getComputedStyle(document.querySelector('nav.toc')).display"
        )
        shot = chromium.screenshot(tmp_path / "print.png")
        pdf = chromium.print_pdf(tmp_path / "report.pdf").read_bytes()
    assert png_size(shot)[0] >= A4_PORTRAIT_CONTENT_PX  # wider where a landscape table sticks out
    assert hidden_nav == "none"
    portrait = [b for b in blocks if not b["wide"]]
    wide = [b for b in blocks if b["wide"]]
    assert portrait and wide, blocks
    too_wide = [b["id"] for b in portrait if b["width"] > A4_PORTRAIT_CONTENT_PX]
    assert too_wide == [], "a table wider than a portrait page must print on a landscape page"
    assert all(b["width"] <= A4_LANDSCAPE_CONTENT_PX for b in wide), wide
    boxes = [
        [float(v) for v in box.split()]
        for box in re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", pdf)
    ]
    sizes = {(round(b[2]), round(b[3])) for b in boxes}
    assert {(595, 842), (842, 595)} <= sizes, sizes  # A4 portrait and landscape pages (points)
    assert pdf_page_count(pdf) >= 4


def _axe_source() -> str:
    if (
        not AXE_JS.exists()
        or json.loads((AXE_JS.parent / "package.json").read_text())["version"] != AXE_VERSION
    ):
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(
                f"axe-core {AXE_VERSION} is not in {AXE_CACHE} and npm is not on PATH to install it"
            )
        result = subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_CACHE),
                f"axe-core@{AXE_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 or not AXE_JS.exists():
            pytest.skip(
                f"could not install axe-core {AXE_VERSION} from the npm registry: {result.stderr[-500:]}"
            )
    return AXE_JS.read_text(encoding="utf-8")


AXE_RUN = """axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_serious_or_critical_accessibility_violations(tmp_path, proxy, language):
    axe = _axe_source()
    page, _ = _report(tmp_path, language)
    with browser(tmp_path / "profile-axe", proxy) as chromium:
        found = {}
        for name, size, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
            chromium.viewport(*size, mobile=mobile)
            chromium.open(page)
            chromium.evaluate(axe + ";0")
            found[name] = chromium.evaluate(AXE_RUN)
    serious = {
        name: [v for v in violations if v["impact"] in ("serious", "critical")]
        for name, violations in found.items()
    }
    assert serious == {"desktop": [], "phone": []}, json.dumps(
        serious, indent=1, ensure_ascii=False
    )


def test_the_request_recorder_sees_what_a_page_fetches(tmp_path, proxy):
    """Control: the same browser set-up does record a page that fetches from the network."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    with browser(tmp_path / "profile-leaky", proxy) as chromium:
        chromium.open(leaky)
    assert any("example.invalid" in r for r in proxy.page_requests()), proxy.requests
