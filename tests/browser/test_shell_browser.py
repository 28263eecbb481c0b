"""The real server in headless Chromium: pages load with no console errors, no failed requests and
no request off the server; the demo banner shows; the GDP map and table show the 14 cities.

Screenshots at 1920×1080 go to tests/artifacts/ (git-ignored); the GDP page's also to
docs/screenshot-gdp.png for the README. Skipped when /usr/bin/chromium is missing, except on CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from settings import Settings

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-gdp.png"
CHROMIUM = "/usr/bin/chromium"
ON_CI = os.environ.get("CI", "").lower() == "true"
VIEWPORT = {"width": 1920, "height": 1080}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def _require_browser():
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} not installed"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            problem = f"playwright not importable: {exc}"
    if problem:
        if ON_CI:
            pytest.fail(f"browser tests cannot run on CI: {problem}")
        pytest.skip(problem)


@pytest.fixture(scope="session")
def demo_url(request, tmp_path_factory) -> str:
    """The session's demo database (tests/conftest.py builds it once), or our own without it."""
    _require_browser()
    try:
        return request.getfixturevalue("demo_database_url")
    except pytest.FixtureLookupError:
        from data.demo import build_demo

        url = f"sqlite:///{tmp_path_factory.mktemp('browser-demo') / 'demo.sqlite'}"
        build_demo(Settings(database_url=url), progress=False)
        return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_url, tmp_path_factory):
    """``python app.py serve`` on a free port over the demo database; yields its base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "ECONBRAIN_DATABASE_URL": demo_url, "ECONBRAIN_DEBUG": "false"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "app.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page with everything that went wrong recorded: console errors, failed requests, and
    requests to any host other than the server."""

    def __init__(self, browser, base: str):
        self.base = base
        self.host = urlparse(base).netloc
        self.context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.off_server: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url} {r.status}") if r.status >= 400 else None)
        self.page.on("request", self._request)

    def _request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.netloc != self.host:
            self.off_server.append(request.url)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")
        self.page.wait_for_selector("#shell-demo-banner", state="visible")

    def check_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        assert self.off_server == [], self.off_server

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.wait_for_timeout(400)  # let transitions settle
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, server):
    w = Watched(browser, server)
    yield w
    w.close()


CITY_MAP_RENDERED = """() => {
  const gd = document.querySelector('#gdp-map .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullLayout.map) return -1;
  const map = gd._fullLayout.map._subplot.map;
  if (!map.loaded()) return -1;
  const fills = map.queryRenderedFeatures().filter(f => f.layer.type === 'fill');
  return new Set(fills.map(f => JSON.stringify(f.properties.ct))).size;
}"""


def _wait_for_gdp(page) -> None:
    page.wait_for_selector("#gdp-city-table tbody tr")
    page.wait_for_selector("#gdp-trend .js-plotly-plot .barlayer")
    page.wait_for_function(f"() => ({CITY_MAP_RENDERED})() === 14", timeout=30_000)


@pytest.mark.parametrize("name, path, expect", [
    pytest.param("home", "/", "六大应用系统", id="home"),
    pytest.param("home-en", "/?lang=en", "Six application systems", id="home-en"),
    pytest.param("domain-industry", "/domain/industry", "建设中：该页面将在后续版本提供。", id="domain-industry"),
    pytest.param("system-forecast", "/system/forecast", "建设中：该页面将在后续版本提供。", id="system-forecast"),
    pytest.param("system-chains-en", "/system/chains?lang=en", "Not built yet: this page comes in a later release.",
                 id="system-chains-en"),
])
def test_page_loads_cleanly(watched, name, path, expect):
    watched.open(path)
    assert expect in watched.page.inner_text("main")
    assert "Demo data" in watched.page.inner_text("#shell-demo-banner")
    watched.screenshot(name)
    watched.check_clean()


def test_topic_page_from_the_catalog(watched):
    watched.open("/")
    link = watched.page.locator("#home-topics a.eb-card-title").first
    title = link.inner_text()
    link.click()
    watched.page.wait_for_url("**/topic/*")
    watched.page.wait_for_selector("#catalog-indicators tbody tr")
    assert watched.page.inner_text(".eb-page-title") == title
    watched.screenshot("topic")
    watched.check_clean()


@pytest.mark.parametrize("name, path, title", [
    pytest.param("gdp", "/gdp", "地区生产总值", id="gdp"),
    pytest.param("gdp-en", "/gdp?lang=en", "Regional GDP", id="gdp-en"),
])
def test_gdp_page_shows_the_14_cities_on_the_map_and_in_the_table(watched, name, path, title):
    watched.open(path)
    page = watched.page
    _wait_for_gdp(page)
    assert page.inner_text(".eb-page-title") == title
    assert page.locator("#gdp-city-table tbody tr").count() == 14
    assert page.locator("#gdp-kpis .eb-kpi").count() == 5
    locations = page.evaluate("() => document.querySelector('#gdp-map .js-plotly-plot').data[0].locations.length")
    assert locations == 14
    assert page.evaluate(CITY_MAP_RENDERED) == 14  # 14 city polygons actually drawn
    assert page.evaluate("() => document.querySelector('#gdp-map .js-plotly-plot')._fullLayout.map.style") == "white-bg"
    assert page.evaluate("() => document.querySelector('#gdp-city-bar .js-plotly-plot').data[0].y.length") == 14
    shot = watched.screenshot(name)
    if name == "gdp":
        DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOCS_SCREENSHOT)
        page.screenshot(path=str(ARTIFACTS / "gdp-full.png"), full_page=True)
    watched.check_clean()


def test_quarter_and_language_are_kept_in_the_url(watched):
    watched.open("/gdp")
    page = watched.page
    _wait_for_gdp(page)
    latest_subtitle = page.inner_text(".eb-page-subtitle")
    page.click("#gdp-quarter")
    option = page.locator("[role=option]").nth(1)
    chosen = option.inner_text().split("·")[0].strip()
    option.click()
    page.wait_for_url(f"**/gdp?period={chosen}")
    page.wait_for_function(f"() => document.querySelector('#gdp-quarter').innerText.includes('{chosen}')")
    _wait_for_gdp(page)
    assert page.inner_text(".eb-page-subtitle") != latest_subtitle
    page.click("#shell-lang-switch")
    page.wait_for_url(f"**/gdp?period={chosen}&lang=en")
    page.wait_for_selector("text=Regional GDP")
    _wait_for_gdp(page)
    page.go_back()
    page.wait_for_url(f"**/gdp?period={chosen}")
    page.wait_for_function("() => document.querySelector('.eb-page-title').innerText === '地区生产总值'")
    # the shared link opens the same view
    fresh = watched.context.new_page()
    fresh.goto(f"{watched.base}/gdp?period={chosen}&lang=en", wait_until="networkidle")
    fresh.wait_for_selector("#gdp-city-table tbody tr")
    assert chosen in fresh.inner_text("#gdp-quarter")
    assert fresh.inner_text(".eb-page-title") == "Regional GDP"
    fresh.close()
    watched.check_clean()
