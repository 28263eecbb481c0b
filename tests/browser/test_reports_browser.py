"""报告中心 in headless Chromium: generate a report with the progress bar, download it from the
archive, in Chinese and English and on a phone, with no console error or failed request."""

from __future__ import annotations

import urllib.request

import pytest

from tests.browser.support import PHONE, Watched

pytestmark = pytest.mark.browser


def test_generate_shows_progress_and_archives_a_download(analytics_page):
    w = analytics_page
    w.open("/reports?region=450200")
    w.page.wait_for_selector("#reports-generate")
    assert "region=450200" in w.page.get_attribute("#reports-present-link", "href")
    for fmt in ("docx", "pdf", "pptx"):
        w.page.uncheck(f"#reports-formats input[value={fmt}]")
    w.page.click("#reports-generate")
    w.page.wait_for_selector("#reports-status .eb-report-download", timeout=90_000)
    assert w.page.inner_text("#reports-progress") == "100%"
    link = w.page.get_attribute("#reports-status .eb-report-download", "href")
    with urllib.request.urlopen(w.base + link, timeout=10) as response:
        assert response.status == 200 and response.read(2) == b"PK"  # a zip: the .xlsx
    archive = w.page.inner_text("#reports-archive")
    assert "柳州市" in archive and "XLSX" in archive and "已完成" in archive
    w.screenshot("reports-1920")
    w.check_clean()


def test_english_and_phone_layouts(session_browser, analytics_server):
    w = Watched(session_browser, analytics_server)
    try:
        w.open("/reports?lang=en")
        assert "Report centre" in w.page.inner_text("h1")
        assert "Generate" in w.page.inner_text("#reports-generate")
        w.screenshot("reports-en-1920")
        w.check_clean()
    finally:
        w.close()
    phone = Watched(session_browser, analytics_server, PHONE)
    try:
        phone.open("/reports")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, width
        phone.screenshot("reports-390")
        phone.check_clean()
    finally:
        phone.close()


def test_a_missing_file_is_a_clear_404(analytics_server):
    try:
        urllib.request.urlopen(analytics_server + "/reports/file/999999", timeout=10)
    except urllib.error.HTTPError as exc:
        assert exc.code == 404 and "no such report file" in exc.read().decode()
    else:
        raise AssertionError("expected 404")
