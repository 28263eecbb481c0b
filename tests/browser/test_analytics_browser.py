"""形势预判, 预警中心 and 发展指数 in headless Chromium on the analytics test database: each page loads
with no console error, failed request or request off the server, in Chinese and in English, at
1920×1080 and on a 390×844 phone; acknowledging an alert changes its state (on a private copy of
the database, so the shared server keeps the stored states). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import sqlite3

import pytest

from tests.browser.support import PHONE, Watched, serve

pytestmark = pytest.mark.browser

PAGES = [
    # (name, path, a selector that shows the page rendered its results, text expected)
    ("outlook", "/outlook", "#outlook-fan .js-plotly-plot .scatterlayer", "形势预判"),
    ("warning", "/warning?region=450000", "#warning-matrix .js-plotly-plot .heatmaplayer", "预警中心"),
    ("indices", "/indices?index=city_development&region=450200", "#indices-ranking .js-plotly-plot .scatterlayer",
     "发展指数"),
]
ENGLISH = {"outlook": "Outlook", "warning": "Early warning", "indices": "Development indices"}


def _load(w: Watched, path: str, ready: str) -> None:
    w.open(path)
    w.page.wait_for_selector(ready, timeout=30_000)
    w.page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name, path, ready, title", PAGES, ids=[p[0] for p in PAGES])
def test_page_loads_clean_in_chinese_and_english(analytics_page, name, path, ready, title):
    w = analytics_page
    _load(w, path, ready)
    assert w.page.locator("h1.eb-page-title").inner_text() == title
    w.screenshot(f"analytics-{name}")
    english = path + ("&" if "?" in path else "?") + "lang=en"
    _load(w, english, ready)
    assert w.page.locator("h1.eb-page-title").inner_text() == ENGLISH[name]
    assert w.page.locator("#shell-demo-banner").is_visible()
    w.screenshot(f"analytics-{name}-en")
    w.check_clean()


@pytest.mark.parametrize("name, path, ready, title", PAGES, ids=[p[0] for p in PAGES])
def test_page_fits_a_phone(session_browser, analytics_server, name, path, ready, title):
    w = Watched(session_browser, analytics_server, viewport=PHONE)
    try:
        _load(w, path, ready)
        width = w.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
        w.screenshot(f"analytics-{name}-phone")
        w.check_clean()
    finally:
        w.close()


def test_the_region_selector_writes_the_url_and_back_returns(analytics_page):
    w = analytics_page
    _load(w, "/outlook", PAGES[0][2])
    w.page.locator("#outlook-region").click()
    w.page.get_by_role("option", name="柳州市").click()
    w.page.wait_for_url("**/outlook?region=450200")
    w.page.wait_for_selector("text=柳州市")
    w.page.go_back()
    w.page.wait_for_url("**/outlook")
    w.check_clean()


@pytest.fixture(scope="module")
def private_server(analytics_database_url, tmp_path_factory):
    src = analytics_database_url.split("///", 1)[1]
    dst = tmp_path_factory.mktemp("alerts-browser") / "alerts.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    with serve(f"sqlite:///{dst}", dst.parent) as base:
        yield base


def test_acknowledge_changes_the_alert_state(session_browser, private_server):
    w = Watched(session_browser, private_server)
    try:
        _load(w, "/warning?region=450000", "#warning-alerts tr[data-alert]")
        row = w.page.locator("#warning-alerts tr[data-alert]").first
        alert_id = row.get_attribute("data-alert")
        row.get_by_role("button", name="确认").click()
        w.page.wait_for_selector(f"#warning-alerts tr[data-alert='{alert_id}'][data-state='acknowledged']")
        assert "已设为“已确认”" in w.page.locator("#warning-action-message").inner_text()
        w.screenshot("analytics-warning-acknowledged")
        w.check_clean()
    finally:
        w.close()
