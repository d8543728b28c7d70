"""The HTML report opened in headless Chromium, as a person would open it.

Chromium's traffic goes to a recording proxy on localhost: a request made by the page shows up
there (a control page with an external image proves it does). Chromium itself still phones its
own update and sign-in services even with background networking disabled; those hosts are
listed in BROWSER_SERVICE_HOSTS and are not requests of the page.

Skipped when `chromium` is not on PATH (CI installs Debian's `chromium`)."""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import threading
from pathlib import Path

import pytest
from test_html_report import Page
from test_workbook import MANIFEST, make_report_inputs

from cob_analysis import published
from cob_analysis.html_report import render_report

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("headless Chromium not found: `chromium` is not on PATH (apt-get install chromium)",
                allow_module_level=True)

BROWSER_SERVICE_HOSTS = {
    "update.googleapis.com", "accounts.google.com", "clients1.google.com", "clients2.google.com",
    "clientservices.googleapis.com", "safebrowsing.googleapis.com", "optimizationguide-pa.googleapis.com",
    "redirector.gvt1.com", "edgedl.me.gvt1.com", "android.clients.google.com",
    "content-autofill.googleapis.com", "www.googleapis.com",
}
WINDOW = (1280, 2000)


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


def chromium(page: Path, profile: Path, proxy: RecordingProxy, *args: str) -> subprocess.CompletedProcess:
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability", "--no-pings",
        "--hide-scrollbars", f"--user-data-dir={profile}",
        f"--proxy-server=http://127.0.0.1:{proxy.port}", "--proxy-bypass-list=<-loopback>",
        f"--window-size={WINDOW[0]},{WINDOW[1]}", "--virtual-time-budget=5000",
        *args, page.resolve().as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def report(tmp_path) -> tuple[Path, dict]:
    inputs = make_report_inputs(tmp_path / "in")
    comparison = published.compare(published.load_published(inputs["reference"]), inputs["tables_dir"])
    out = render_report(tables_dir=inputs["tables_dir"], figures_dir=inputs["figures_dir"], qa_dir=inputs["qa_dir"],
                        manifest=MANIFEST, out_path=tmp_path / "reports" / "report.html", comparison=comparison)
    return out, inputs


def test_report_in_headless_chromium(report, tmp_path, proxy):
    page, inputs = report
    screenshot = tmp_path / "report.png"
    chromium(page, tmp_path / "profile-shot", proxy, f"--screenshot={screenshot}")
    assert screenshot.exists() and screenshot.stat().st_size > 10_000
    assert png_size(screenshot) == WINDOW

    dom = chromium(page, tmp_path / "profile-dom", proxy, "--dump-dom").stdout
    parsed = Page(dom)
    assert set(inputs["ids"]) <= set(parsed.sections), "every table has its section in the rendered page"
    assert parsed.tags.get("svg") == len(inputs["figures"])
    assert 'data-images-loaded="yes"' in dom, "the page's marker: every image loaded"
    offending = [u for u in parsed.urls if u.lower().lstrip().startswith(("http:", "https:", "//"))]
    assert not offending, offending
    assert proxy.page_requests() == [], "no request may leave the page"


def test_the_request_recorder_sees_what_a_page_fetches(tmp_path, proxy):
    """Control: the same browser set-up does record a page that fetches from the network."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html><body><img src="http://example.invalid/x.png"></body></html>',
                     encoding="utf-8")
    chromium(leaky, tmp_path / "profile-leaky", proxy, "--dump-dom")
    assert any("example.invalid" in r for r in proxy.page_requests()), proxy.requests
