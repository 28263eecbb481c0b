"""The real server in headless Chromium: pages load with no console errors, no failed requests and
no request off the server; the demo banner shows; the GDP map and table show the 14 cities.

Screenshots at 1920×1080 go to tests/artifacts/ (git-ignored); with ECONBRAIN_DOCS_SCREENSHOTS=1
the GDP page's also to docs/screenshot-gdp.png for the README (so a test run leaves the working
tree as it was). Skipped when /usr/bin/chromium is missing, except on CI.
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from settings import Settings
from tests.browser.support import ARTIFACTS, ROOT, Watched, areas_drawn, click_map_area, require_browser, serve

pytestmark = pytest.mark.browser
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-gdp.png"

@pytest.fixture(scope="session")
def demo_url(request, tmp_path_factory) -> str:
    """The session's demo database (tests/conftest.py builds it once), or our own without it."""
    require_browser()
    try:
        return request.getfixturevalue("demo_database_url")
    except pytest.FixtureLookupError:
        from data.demo import build_demo

        url = f"sqlite:///{tmp_path_factory.mktemp('browser-demo') / 'demo.sqlite'}"
        build_demo(Settings(database_url=url), progress=False)
        return url


@pytest.fixture(scope="module")
def server(demo_url, tmp_path_factory):
    """``python app.py serve`` on a free port over the demo database; yields its base URL."""
    with serve(demo_url, tmp_path_factory.mktemp("server")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(session_browser, server):
    # one Playwright per session (tests/browser/conftest.py): a second sync instance cannot start
    # while the first one's event loop runs
    return session_browser


@pytest.fixture
def watched(browser, server):
    w = Watched(browser, server)
    yield w
    w.close()


CITY_MAP_RENDERED = areas_drawn("#gdp-map")



def _wait_for_gdp(page) -> None:
    page.wait_for_selector("#gdp-city-table tbody tr")
    page.wait_for_selector("#gdp-trend .js-plotly-plot .barlayer")
    page.wait_for_function(f"() => ({CITY_MAP_RENDERED})() === 14", timeout=30_000)


@pytest.mark.parametrize("name, path, expect", [
    pytest.param("home", "/", "六大应用系统", id="home"),
    pytest.param("home-en", "/?lang=en", "Six application systems", id="home-en"),
    pytest.param("domain-industry", "/domain/industry", "主要指标", id="domain-industry"),
    pytest.param("system-meeting", "/system/meeting", "建设中：该页面将在后续版本提供。", id="system-meeting"),
    pytest.param("system-forecast", "/system/forecast", "形势预判", id="system-forecast"),
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


def test_navbar_menus_open_close_and_navigate_in_the_app(watched):
    """The menus are <details> in markup (assets/navbar.js closes them): one opens at a time, a click
    elsewhere or Escape closes it, and a choice navigates without reloading the page."""
    watched.open("/")
    page = watched.page
    page.evaluate("() => { window.__same = true; }")  # gone if the page reloads
    domains = page.locator("details.eb-nav-dropdown", has_text="经济领域")
    systems = page.locator("details.eb-nav-dropdown", has_text="应用系统")
    domains.locator("summary").click()
    expect(domains.locator(".dropdown-item").first).to_be_visible()
    systems.locator("summary").click()  # opening another closes the first
    expect(systems.locator(".dropdown-item").first).to_be_visible()
    expect(domains.locator(".dropdown-item").first).to_be_hidden()
    page.locator("main").click(position={"x": 5, "y": 5})
    expect(systems.locator(".dropdown-item").first).to_be_hidden()
    domains.locator("summary").click()
    page.keyboard.press("Escape")
    expect(domains.locator(".dropdown-item").first).to_be_hidden()
    domains.locator("summary").click()
    domains.get_by_text("社会消费", exact=True).click()
    page.wait_for_url("**/domain/consumption")
    expect(page.locator(".eb-page-title")).to_have_text("社会消费")
    assert page.evaluate("() => window.__same === true"), "the page was reloaded"
    expect(page.locator("details.eb-nav-dropdown.active", has_text="经济领域")).to_have_count(1)
    expect(page.locator("details.eb-nav-dropdown[open]")).to_have_count(0)
    watched.screenshot("navbar-domain")
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
    assert page.evaluate(CITY_MAP_RENDERED) == 14  # 14 city polygons actually drawn
    # no WebGL map: the bundle has no map trace, the page no canvas
    assert page.evaluate("() => document.querySelectorAll('#gdp-map canvas').length") == 0
    assert page.evaluate("() => document.querySelector('#gdp-city-bar .js-plotly-plot').data[0].y.length") == 14
    shot = watched.screenshot(name)
    if name == "gdp":
        if os.environ.get("ECONBRAIN_DOCS_SCREENSHOTS") == "1":
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


def test_a_click_on_a_city_of_the_gdp_map_opens_its_region_page(watched):
    """The city map is SVG shapes named by adcode, like the region pages' maps: a click on 柳州
    opens /region/450200 in the same language, without reloading the page."""
    watched.open("/gdp?lang=en")
    page = watched.page
    _wait_for_gdp(page)
    page.evaluate("() => { window.__same = true; }")
    click_map_area(page, "#gdp-map", "450200")
    page.wait_for_url("**/region/450200?lang=en")
    page.wait_for_selector(".rg-crumb.is-current[data-adcode='450200']")
    assert page.evaluate("() => window.__same === true"), "the page was reloaded"
    page.go_back()
    page.wait_for_url("**/gdp?lang=en")
    _wait_for_gdp(page)
    watched.check_clean()
