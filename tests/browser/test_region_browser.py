"""Region and domain pages in headless Chromium on the analytics test server: drill down on the map
广西 → 柳州 → a county, breadcrumbs, Back; domain pages; English; the phone layout. Every page
loads with no console error, no failed request and no request off the server.

Screenshots (1920×1080 and 390×844) go to tests/artifacts/.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, Watched, areas_drawn, click_map_area

pytestmark = pytest.mark.browser

LIUZHOU, RONGAN = "450200", "450224"  # 柳州市, 融安县 (a county big enough to click on a phone too)

MAP_AREAS = areas_drawn("#region-map")


def wait_for_region(page, adcode: str, areas: int) -> None:
    page.wait_for_url(f"**/region/{adcode}*")
    page.wait_for_selector(f".rg-crumb.is-current[data-adcode='{adcode}']")
    page.wait_for_selector("#region-table tbody tr")
    page.wait_for_selector("#region-domains .rg-tile")
    page.wait_for_function(f"() => ({MAP_AREAS})() >= {areas}", timeout=30_000)


def click_area(page, adcode: str) -> None:
    click_map_area(page, "#region-map", adcode)


def crumbs(page) -> list[str]:
    return [t.strip() for t in page.locator(".rg-crumb").all_inner_texts()]


@pytest.fixture
def phone(session_browser, analytics_server):
    w = Watched(session_browser, analytics_server, viewport=PHONE)
    yield w
    w.close()


def test_drill_down_on_the_map_and_back(analytics_page):
    w, page = analytics_page, analytics_page.page
    counties = 10  # 柳州's county-level units
    w.open("/region/450000")
    wait_for_region(page, "450000", 14)
    assert page.inner_text(".eb-page-title") == "广西壮族自治区"
    assert page.locator("#region-table tbody tr").count() == 14
    assert page.locator("#region-domains .rg-tile").count() == 9
    w.screenshot("region-guangxi")

    click_area(page, LIUZHOU)
    wait_for_region(page, LIUZHOU, counties)
    assert crumbs(page) == ["广西壮族自治区", "柳州市"]
    assert page.inner_text(".eb-page-title") == "柳州市"
    assert page.locator("#region-table tbody tr").count() == counties
    w.screenshot("region-liuzhou")

    click_area(page, RONGAN)
    wait_for_region(page, RONGAN, counties)
    assert crumbs(page) == ["广西壮族自治区", "柳州市", "融安县"]
    assert page.locator("#region-table tbody tr.is-current").get_attribute("data-adcode") == RONGAN
    w.screenshot("region-county")

    page.go_back()
    wait_for_region(page, LIUZHOU, counties)
    assert page.inner_text(".eb-page-title") == "柳州市"
    page.go_back()
    wait_for_region(page, "450000", 14)
    assert page.inner_text(".eb-page-title") == "广西壮族自治区"
    w.check_clean()


@pytest.mark.parametrize("state, area, expected", [
    ({}, "450200", "/region/450200"),
    ({"adcode": "450200"}, "450202", "/region/450202"),
    ({"adcode": "450202"}, "450203", "/region/450203"),  # a county's map: its sibling counties
    ({"lang": "en"}, "450200", "/region/450200?lang=en"),
    ({"indicator": "retail_sales_ytd_growth"}, "450300", "/region/450300?indicator=retail_sales_ytd_growth"),
    ({"adcode": "450200"}, "450200", None),  # the page's own area: no navigation
])
def test_a_map_click_opens_the_region_page(analytics_page, state, area, expected):
    """The click handler of assets/region.js, called directly in the page."""
    w = analytics_page
    w.open("/region/450000")
    view = {"adcode": "450000", "indicator": None, "lang": "zh", "default_lang": "zh", **state}
    figure = {"layout": {"meta": {"areas": ["450100", area]}}}
    href = w.page.evaluate("([click, figure, view]) => { const r = window.dash_clientside.ebRegion.open(click, figure,"
                           " view); return r === window.dash_clientside.no_update ? null : r; }",
                           [{"points": [{"curveNumber": 1}]}, figure, view])
    assert href == expected
    assert w.page.evaluate("() => window.dash_clientside.ebRegion.open(null, null, null)"
                           " === window.dash_clientside.no_update")


def test_the_indicator_selector_redraws_the_map_and_table_in_place(analytics_page):
    w, page = analytics_page, analytics_page.page
    w.open(f"/region/{LIUZHOU}")
    wait_for_region(page, LIUZHOU, 10)
    page.evaluate("() => { window.__tiles = document.getElementById('region-domains'); }")
    page.locator("#region-indicator").click()
    page.get_by_role("option", name="社会消费品零售总额累计增长").click()
    page.wait_for_url(f"**/region/{LIUZHOU}?indicator=retail_sales_ytd_growth")
    expect(page.locator("#region-table")).to_contain_text("社会消费品零售总额累计增长")
    assert page.evaluate("() => window.__tiles === document.getElementById('region-domains')"), "page was rebuilt"
    switch = page.locator("#shell-lang-switch")
    assert switch.get_attribute("href") == f"/region/{LIUZHOU}?indicator=retail_sales_ytd_growth&lang=en"
    page.go_back()  # the view before: rebuilt from its URL
    page.wait_for_url(f"**/region/{LIUZHOU}")
    expect(page.locator("#region-table")).not_to_contain_text("社会消费品零售总额累计增长")
    switch.click()
    page.wait_for_url(f"**/region/{LIUZHOU}?lang=en")
    expect(page.locator(".eb-page-title")).to_have_text("Liuzhou")
    w.check_clean()


def test_breadcrumb_and_table_links_navigate(analytics_page):
    w, page = analytics_page, analytics_page.page
    w.open("/region/450202?indicator=retail_sales_ytd_growth")
    wait_for_region(page, "450202", 10)
    assert "社会消费品零售总额累计增长" in page.inner_text("#region-table")
    page.locator(".rg-crumb a", has_text="柳州市").click()
    wait_for_region(page, LIUZHOU, 10)
    page.locator(".rg-tile[data-domain='industry'] a.rg-tile-title").click()
    page.wait_for_url("**/domain/industry?region=450200")
    page.wait_for_selector("#domain-cards .dm-card")
    w.check_clean()


@pytest.mark.parametrize("name, path, title, region", [
    pytest.param("domain-industry", "/domain/industry", "产业发展", "450000", id="industry"),
    pytest.param("domain-consumption-liuzhou", "/domain/consumption?region=450200", "社会消费", "450200",
                 id="consumption-liuzhou"),
    pytest.param("domain-employment-county", "/domain/employment?region=450202", "劳动就业", "450202",
                 id="employment-county"),
    pytest.param("domain-gdp-en", "/domain/gdp?lang=en", "Regional GDP", "450000", id="gdp-en"),
])
def test_domain_page(analytics_page, name, path, title, region):
    w, page = analytics_page, analytics_page.page
    w.open(path)
    page.wait_for_selector("#domain-cards .dm-card .dm-spark .js-plotly-plot")
    page.wait_for_selector("#domain-compare .js-plotly-plot .barlayer")
    page.wait_for_selector("#catalog-indicators tbody tr")
    assert page.inner_text(".eb-page-title") == title
    cards = page.locator("#domain-cards .dm-card")
    assert cards.count() >= 2
    link = cards.first.locator("a.dm-card-name").get_attribute("href")
    assert link.startswith("/indicator/") and f"region={region}" in link
    assert page.locator("#domain-cards .rg-signal[data-zone]").count() >= 1  # stored lights shown
    if name == "domain-gdp-en":
        assert page.locator("#catalog-not-built a", has_text="Regional GDP").get_attribute("href") == "/gdp?lang=en"
        assert "Key indicators" in page.inner_text("main")
    w.screenshot(name)
    w.check_clean()


def test_region_page_in_english(analytics_page):
    w, page = analytics_page, analytics_page.page
    w.open("/region/450200?lang=en")
    wait_for_region(page, LIUZHOU, 10)
    assert crumbs(page) == ["Guangxi", "Liuzhou"]
    main = page.inner_text("main")
    assert "The nine economic domains" in main and "Composite signal" in main
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in page.inner_text("#region-table"))
    assert page.locator("#shell-lang-switch").get_attribute("href") == "/region/450200"
    w.screenshot("region-liuzhou-en")
    w.check_clean()


@pytest.mark.parametrize("name, path, ready", [
    pytest.param("region-county-phone", "/region/450224", "#region-table tbody tr", id="region"),
    pytest.param("domain-industry-phone", "/domain/industry?region=450200", "#domain-cards .dm-card .dm-spark",
                 id="domain"),
])
def test_phone_layout(phone, name, path, ready):
    phone.open(path)
    phone.page.wait_for_selector(ready)
    phone.page.wait_for_timeout(600)
    # the page's own content fits the 390-px screen (cards stacked, no sideways scrolling)
    right = phone.page.evaluate("() => Math.max(...[...document.querySelectorAll('.rg-page, .dm-page, "
                                ".rg-tile, .dm-card, .eb-kpi')].map(e => e.getBoundingClientRect().right))")
    assert right <= PHONE["width"]
    phone.screenshot(name)
    phone.check_clean()
