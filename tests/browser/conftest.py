"""Browser fixtures shared by the page tests: one server over the analytics test database (the demo
with stored analytics for 广西, 柳州 and one county) and one Chromium for the session."""

from __future__ import annotations

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, Watched, require_browser, serve


@pytest.fixture(scope="session")
def analytics_server(analytics_database_url, tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("analytics-server")
    with serve(analytics_database_url, folder, {"ECONBRAIN_REPORTS_DIR": str(folder / "reports")}) as base:
        yield base


@pytest.fixture(scope="session")
def session_browser():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def analytics_page(session_browser, analytics_server):
    """A 1920×1080 page on the analytics server that records what went wrong (see ``Watched``)."""
    w = Watched(session_browser, analytics_server)
    yield w
    w.close()
