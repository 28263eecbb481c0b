"""The indicator detail page in headless Chromium on the analytics test server: it loads with no
console errors, failed requests or requests off the server; the transform switch and the as-of
date write the URL and Back restores the previous view; English; the phone layout; CSV and Excel
downloads. Screenshots go to tests/artifacts/indicator*.png."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from playwright.sync_api import expect

from tests.browser.support import PHONE, Watched

pytestmark = pytest.mark.browser

PAGE = "/indicator/retail_sales?region=450200"


def wait_for_content(page) -> None:
    page.wait_for_selector("#indicator-chart .js-plotly-plot .scatterlayer .trace")
    page.wait_for_selector("#indicator-ranking .js-plotly-plot .barlayer")
    page.wait_for_selector("#indicator-grid .ag-row")
    page.wait_for_selector("#indicator-quality dl")


def checked_transform(page) -> str:
    return page.locator("#indicator-transform input:checked").get_attribute("value")


def test_transform_and_as_of_write_the_url_and_back_restores(analytics_page):
    w = analytics_page
    page = w.page
    w.open(PAGE)
    wait_for_content(page)
    assert page.locator("h1").inner_text() == "社会消费品零售总额"
    assert "柳州市：第" in page.locator("#indicator-rank-text").inner_text()
    w.screenshot("indicator")

    # a control redraws the panels in place: the same page, new content
    page.evaluate("() => { window.__grid = document.getElementById('indicator-grid'); }")
    page.get_by_text("同比增长", exact=True).click()
    page.wait_for_url("**/indicator/retail_sales?region=450200&transform=yoy")
    expect(page.locator("#indicator-chart .ytitle")).to_have_text("%")
    assert checked_transform(page) == "yoy"
    assert page.evaluate("() => window.__grid === document.getElementById('indicator-grid')"), "page was rebuilt"

    as_of = page.locator("input#indicator-as-of")
    as_of.click()
    as_of.fill("2019-06-30")
    as_of.press("Enter")
    page.wait_for_url("**transform=yoy&as_of=2019-06-30")
    expect(page.locator("#indicator-notice")).to_contain_text("2019-06-30")
    expect(page.locator("#indicator-grid .ag-row[row-index='0'] [col-id='period']")).to_have_text(
        re.compile(r"^2019-0[1-6]$"))

    page.go_back()
    page.wait_for_url("**/indicator/retail_sales?region=450200&transform=yoy")
    expect(as_of).to_have_value("")
    expect(page.locator("#indicator-notice")).not_to_contain_text("2019-06-30")
    wait_for_content(page)
    assert checked_transform(page) == "yoy"
    page.go_back()
    page.wait_for_url("**/indicator/retail_sales?region=450200")
    expect(page.locator("#indicator-transform input[value='level']")).to_be_checked()
    expect(page.locator("#indicator-chart .ytitle")).to_have_text("亿元")
    wait_for_content(page)
    page.go_forward()  # to a view the page showed before, rebuilt from its URL
    page.wait_for_url("**/indicator/retail_sales?region=450200&transform=yoy")
    expect(page.locator("#indicator-chart .ytitle")).to_have_text("%")
    w.check_clean()


def test_the_region_dropdown_changes_the_view_in_place(analytics_page):
    w = analytics_page
    page = w.page
    w.open(PAGE + "&transform=yoy")
    wait_for_content(page)
    quality = page.locator("#indicator-quality").inner_text()
    page.locator("#indicator-region").click()
    page.locator(".dash-dropdown-search").fill("桂林市")  # the option list is virtualised
    page.get_by_role("option", name="桂林市").first.click()
    page.wait_for_url("**/indicator/retail_sales?region=450300&transform=yoy")
    expect(page.locator("#indicator-subtitle")).to_contain_text("桂林市")
    expect(page.locator("#indicator-rank-text")).to_contain_text("桂林市：")
    expect(page.locator("#indicator-grid .ag-header-cell-text", has_text="桂林市")).to_have_count(1)
    expect(page.locator("#indicator-quality")).not_to_have_text(quality)  # the panels' subject moved too
    page.locator("#indicator-compare").click()  # and the compare choices: every region but the one shown
    page.locator(".dash-dropdown-search").fill("450200")
    expect(page.get_by_role("option", name="柳州市 · 450200")).to_have_count(1)
    page.locator(".dash-dropdown-search").fill("450300")
    expect(page.get_by_role("option", name="桂林市 · 450300")).to_have_count(0)
    page.keyboard.press("Escape")
    english = page.locator("#shell-lang-switch")  # the language link keeps the new view
    assert english.get_attribute("href") == "/indicator/retail_sales?region=450300&transform=yoy&lang=en"
    english.click()
    page.wait_for_url("**/indicator/retail_sales?region=450300&transform=yoy&lang=en")
    expect(page.locator("#indicator-subtitle")).to_contain_text("Guilin")
    w.check_clean()


def test_english_labels_and_revisions(analytics_page):
    w = analytics_page
    page = w.page
    w.open("/indicator/gdp?lang=en&compare=450200")
    wait_for_content(page)
    body = page.locator("main").inner_text()
    for label in ("Gross regional product", "Rank among the 14 cities", "Data quality", "About the indicator",
                  "Revisions", "Download Excel", "Seasonally adjusted", "Statistics Bureau of Guangxi"):
        assert label in body, label
    assert "指标说明" not in body
    assert "2017Q4" in page.locator("#indicator-revisions").inner_text()
    w.screenshot("indicator-en")
    w.check_clean()


def test_phone_layout(session_browser, analytics_server):
    w = Watched(session_browser, analytics_server, viewport=PHONE)
    try:
        w.open(PAGE + "&transform=yoy")
        wait_for_content(w.page)
        # every part of the page itself fits the phone's width (the shared navbar is the frame's own)
        widest = w.page.evaluate("""() => Math.max(...[...document.querySelectorAll(
            '.ind-controls, .eb-panel, .eb-page-header')].map(e => e.getBoundingClientRect().right))""")
        assert widest <= PHONE["width"]
        w.screenshot("indicator-phone")
        w.check_clean()
    finally:
        w.close()


def test_csv_and_excel_downloads(analytics_page):
    w = analytics_page
    page = w.page
    w.open(PAGE + "&compare=450100")
    wait_for_content(page)
    with page.expect_download() as csv_download:
        page.click("#indicator-csv")
    assert csv_download.value.suggested_filename == "retail_sales_450200_level.csv"
    csv_text = open(csv_download.value.path(), encoding="utf-8-sig").read()
    header, first = csv_text.splitlines()[:2]
    assert "时期" in header and "柳州市" in header and "南宁市" in header
    assert first.startswith('"2026-')

    with page.expect_download() as xlsx_download:
        page.click("#indicator-xlsx")
    assert xlsx_download.value.suggested_filename == "retail_sales_450200_level.xlsx"
    ws = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read())).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "柳州市" in values and "南宁市" in values
    w.check_clean()
