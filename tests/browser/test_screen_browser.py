"""The big screen in headless Chromium over the analytics test database: loads clean (no console
errors, failed or off-server requests), every panel inside the 1920×1080 canvas, scaled to 4K
and letterboxed on an ultra-wide display, English, the playlist, and a long run whose JS heap
stays bounded. Screenshots go to tests/artifacts/screen*.png.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.browser.support import ARTIFACTS, Watched

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")

# the first view on the wall (the other views' graphs are drawn a few seconds later)
READY = """() => document.querySelectorAll('.sc-kpi').length === 9
  && document.querySelector('#screen-map .main-svg') !== null
  && document.querySelector('.sc-ticker-label') !== null
  && document.querySelector('.sc-demo') !== null"""
# every view drawn, hidden ones included
ALL_DRAWN = """() => ['screen-map', 'screen-map-full', 'screen-map-bar', 'screen-nowcast', 'screen-signals',
  'screen-gauge', 'screen-composite', 'screen-matrix'].every(id => {
    const gd = document.querySelector(`#${id} .js-plotly-plot`);
    return gd && gd.querySelector('.main-svg') && gd.data && gd.data.length > 0;
  })"""

# every panel's box against the canvas's, and every clipping box against its own content
LAYOUT = """() => {
  const canvas = document.getElementById('screen-canvas').getBoundingClientRect();
  const scale = canvas.width / 1920;
  const outside = [], overflowing = [];
  const name = el => el.id || el.className || el.tagName;
  for (const el of document.querySelectorAll('.sc-titlebar, .sc-ticker, .sc-panel, .sc-kpi')) {
    const r = el.getBoundingClientRect();
    if (r.left < canvas.left - 0.5 || r.top < canvas.top - 0.5 || r.right > canvas.right + 0.5
        || r.bottom > canvas.bottom + 0.5) outside.push(name(el));
  }
  for (const el of document.querySelectorAll('.sc-canvas, .sc-panel, .sc-panel-body, .sc-panel-head, .sc-kpi, .sc-titlebar, .sc-ticker')) {
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      overflowing.push(name(el) + ` ${el.scrollWidth}x${el.scrollHeight} > ${el.clientWidth}x${el.clientHeight}`);
  }
  const doc = document.documentElement;
  return {canvas: [canvas.left, canvas.top, canvas.width, canvas.height], scale, outside, overflowing,
          scrollbars: doc.scrollWidth > window.innerWidth || doc.scrollHeight > window.innerHeight,
          panels: document.querySelectorAll('.sc-panel').length};
}"""


def open_screen(w: Watched, query: str = "", every_view: bool = True) -> None:
    w.page.goto(f"{w.base}/screen{query}", wait_until="networkidle")
    w.page.wait_for_function(READY, timeout=30_000)
    if every_view:
        w.page.wait_for_function(ALL_DRAWN, timeout=30_000)
    w.page.wait_for_timeout(600)


def viewed(session_browser, base, width, height) -> Watched:
    return Watched(session_browser, base, viewport={"width": width, "height": height})


def test_screen_loads_clean_and_every_panel_fits_the_canvas(analytics_page):
    w = analytics_page
    open_screen(w)
    w.check_clean()
    assert w.page.inner_text(".sc-demo") == "演示数据"
    assert w.page.inner_text("#screen-view-name") == "综合态势"
    assert w.page.locator("#shell-navbar").count() == 0  # the leaders' screen has no page frame
    layout = w.page.evaluate(LAYOUT)
    assert layout["canvas"] == [0, 0, 1920, 1080]
    assert layout["panels"] == 11  # every view is laid out at once; only one is visible
    assert layout["outside"] == [], layout
    assert layout["overflowing"] == [], layout
    assert not layout["scrollbars"]
    assert "分析结果尚未计算" not in w.page.inner_text("#screen-canvas")
    w.screenshot("screen")


@pytest.mark.parametrize("width, height, name, expect", [
    pytest.param(3840, 2160, "screen-4k", [0, 0, 3840, 2160], id="4k"),
    pytest.param(2560, 1080, "screen-ultrawide", [320, 0, 1920, 1080], id="ultrawide-letterboxed"),
])
def test_screen_scales_to_the_display(session_browser, analytics_server, width, height, name, expect):
    w = viewed(session_browser, analytics_server, width, height)
    try:
        open_screen(w)
        layout = w.page.evaluate(LAYOUT)
        assert layout["canvas"] == expect
        assert layout["outside"] == [] and layout["overflowing"] == [] and not layout["scrollbars"], layout
        w.screenshot(name)
        w.check_clean()
    finally:
        w.close()


def test_screen_in_english(analytics_page):
    w = analytics_page
    open_screen(w, "?lang=en")
    w.check_clean()
    assert w.page.inner_text(".sc-demo") == "Demo data"
    titles = w.page.eval_on_selector_all(".sc-panel-title, .sc-kpi-domain, .sc-view-name, .sc-chip, .sc-light-name",
                                         "els => els.map(e => e.textContent)")
    assert titles and not [t for t in titles if CJK.search(t)], titles
    layout = w.page.evaluate(LAYOUT)
    assert layout["outside"] == [] and layout["overflowing"] == [], layout
    w.screenshot("screen-en")


def test_rotate_plays_the_views(analytics_page):
    w = analytics_page
    open_screen(w, "?rotate=4&cycle=0", every_view=False)  # long enough for the 0.8 s cross-fade to settle before a screenshot
    seen = []
    deadline = time.monotonic() + 16
    while time.monotonic() < deadline and len(seen) < 3:
        active = w.page.get_attribute(".sc-view.is-active", "id")
        if not seen or seen[-1] != active:
            seen.append(active)
            w.page.wait_for_timeout(900)  # the cross-fade
            w.screenshot(f"screen-view-{len(seen)}")
        w.page.wait_for_timeout(200)
    assert seen == ["screen-view-overview", "screen-view-cities", "screen-view-warning"]
    w.check_clean()


def test_the_first_view_is_drawn_first_and_the_others_follow(analytics_page):
    """The wall shows the first view without waiting for graphs of views not yet on screen; the
    others are drawn in the background a few seconds later, before the playlist needs them."""
    w = analytics_page
    w.page.goto(f"{w.base}/screen", wait_until="commit")
    w.page.wait_for_function(READY, timeout=30_000)
    hidden = w.page.evaluate("() => ['screen-map-full', 'screen-map-bar'].map(id => (document.querySelector("
                             "`#${id} .js-plotly-plot`).data || []).length > 0)")
    assert w.page.locator("#screen-matrix .js-plotly-plot").count() == 0
    assert hidden == [False, False] or w.page.evaluate("() => performance.now()") > 2500
    w.page.wait_for_function(ALL_DRAWN, timeout=30_000)
    w.check_clean()


def test_without_rotate_the_first_view_stays(analytics_page):
    w = analytics_page
    open_screen(w, "?view=3")
    w.page.wait_for_timeout(2500)
    assert w.page.get_attribute(".sc-view.is-active", "id") == "screen-view-warning"


def _heap(cdp) -> tuple[float, float]:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"], metrics["Nodes"]


def test_long_run_memory_stays_bounded(analytics_page):
    """About 70 s with every timer fast (views every 2 s, map every 1 s, data polled every 1 s): the
    JS heap after forced garbage collection and the DOM node count must level off."""
    w = analytics_page
    open_screen(w, "?rotate=2&cycle=1&poll=1")
    cdp = w.context.new_cdp_session(w.page)
    cdp.send("Performance.enable")
    w.page.wait_for_timeout(10_000)  # warm-up: every view, figure and map indicator shown once
    samples = []
    heads = set()
    for _ in range(7):
        heap, nodes = _heap(cdp)
        samples.append({"t": round(time.monotonic(), 1), "heap_mb": round(heap / 2**20, 2), "nodes": int(nodes)})
        heads.add(w.page.inner_text("#screen-map-head .sc-panel-title"))
        w.page.wait_for_timeout(10_000)
    heap, nodes = _heap(cdp)
    samples.append({"t": round(time.monotonic(), 1), "heap_mb": round(heap / 2**20, 2), "nodes": int(nodes)})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "screen-memory.json").write_text(json.dumps(samples, indent=1))
    print("screen memory samples:", samples)
    first, last = samples[0], samples[-1]
    assert last["heap_mb"] <= 1.5 * first["heap_mb"], samples
    assert max(s["heap_mb"] for s in samples) <= 2 * first["heap_mb"], samples
    assert last["nodes"] <= 1.5 * first["nodes"], samples
    assert len(heads) >= 2  # the map kept cycling
    w.check_clean()
