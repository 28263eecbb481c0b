"""The presentation mode (/present) in headless Chromium over the analytics test database: loads
clean (no console error, failed or off-server request), steps with the keyboard and the buttons,
keeps the slide in the URL hash (Back steps back), shows the demo tag on every slide, and turns a
bad month into a bilingual message. Screenshots go to tests/artifacts/present*.png."""

from __future__ import annotations

import pytest

from tests.browser.support import Watched

pytestmark = pytest.mark.browser

# every chart drawn and the first slide shown
READY = """() => {
  const root = document.getElementById('present-root');
  if (!root) return false;
  const figs = root.querySelectorAll('.pr-figure');
  return figs.length > 0 && root.querySelectorAll('.pr-figure .main-svg').length >= figs.length
    && root.querySelector('.pr-slide.is-active') !== null;
}"""


def open_present(w: Watched, query: str = "?region=450000") -> None:
    w.page.goto(f"{w.base}/present{query}", wait_until="networkidle")
    w.page.wait_for_function(READY, timeout=60_000)
    w.page.wait_for_timeout(400)


def counter(w: Watched) -> str:
    return w.page.locator("#present-counter").inner_text().strip()


def active(w: Watched) -> int:
    return int(w.page.locator(".pr-slide.is-active").get_attribute("data-n"))


def shown(w: Watched) -> list[int]:
    """The slides on screen once the fade is over."""
    w.page.wait_for_timeout(350)
    return w.page.evaluate("""() => [...document.querySelectorAll('.pr-slide')]
        .filter(s => getComputedStyle(s).visibility === 'visible' && getComputedStyle(s).opacity === '1')
        .map(s => Number(s.dataset.n))""")


def test_keys_step_through_the_slides_and_the_hash_follows(analytics_page):
    w = analytics_page
    open_present(w)
    total = w.page.locator(".pr-slide").count()
    assert total >= 12, total
    assert counter(w) == f"1 / {total}"
    assert w.page.locator(".pr-slide--title .pr-title").inner_text().endswith("经济运行分析报告")
    w.screenshot("present-title")

    w.page.keyboard.press("ArrowRight")
    w.page.keyboard.press("ArrowRight")
    assert counter(w) == f"3 / {total}"
    assert active(w) == 3
    assert w.page.evaluate("() => window.location.hash") == "#3"
    assert shown(w) == [3]
    assert w.page.locator("#present-slide-3 .pr-figure .main-svg").count() >= 1
    w.screenshot("present")

    w.page.go_back()  # Back: the slide before
    w.page.wait_for_function("() => window.location.hash === '#2'")
    assert counter(w) == f"2 / {total}"

    w.page.keyboard.press("End")
    assert counter(w) == f"{total} / {total}"
    assert w.page.evaluate("() => window.location.hash") == f"#{total}"
    w.page.keyboard.press("Home")
    assert counter(w) == f"1 / {total}"
    w.check_clean()


def test_buttons_demo_tag_and_a_linked_slide(analytics_page):
    w = analytics_page
    open_present(w, "?region=450000#5")  # a link to one slide opens at it
    total = w.page.locator(".pr-slide").count()
    assert counter(w) == f"5 / {total}"
    w.page.locator("#present-next").click()
    assert counter(w) == f"6 / {total}"
    w.page.locator("#present-prev").click()
    w.page.locator("#present-prev").click()
    assert counter(w) == f"4 / {total}"
    # generated data: the tag is on every slide
    assert w.page.locator(".pr-slide .pr-demo-tag").count() == total
    assert "演示数据" in w.page.locator("#present-slide-4 .pr-demo-tag").text_content()
    # F enters full screen on the presentation root, F again (or Esc) leaves it; the slide stays
    fullscreen = "() => document.fullscreenElement && document.fullscreenElement.id"
    w.page.keyboard.press("f")
    w.page.wait_for_function(f"() => ({fullscreen})() === 'present-root'")
    w.page.keyboard.press("f")
    w.page.wait_for_function("() => document.fullscreenElement === null")
    w.page.locator("#present-full").click()
    w.page.wait_for_function(f"() => ({fullscreen})() === 'present-root'")
    w.page.keyboard.press("Escape")
    w.page.wait_for_function("() => document.fullscreenElement === null")
    assert counter(w) == f"4 / {total}"
    w.check_clean()


def test_english_and_a_city(analytics_page):
    w = analytics_page
    open_present(w, "?region=450200&lang=en")
    assert "Liuzhou" in w.page.locator(".pr-slide--title .pr-title").inner_text()
    w.page.keyboard.press("End")
    w.page.keyboard.press("PageUp")
    total = w.page.locator(".pr-slide").count()
    assert counter(w) == f"{total - 1} / {total}"
    w.screenshot("present-en")
    w.check_clean()


def test_a_bad_month_says_so_in_both_languages(analytics_page):
    w = analytics_page
    w.page.goto(f"{w.base}/present?month=2026-13", wait_until="networkidle")
    error = w.page.locator("#present-error")
    error.wait_for(state="visible")
    text = error.inner_text()
    assert "无效月份" in text and "invalid month" in text, text
    assert "Traceback" not in text
    assert w.page.locator("#present-root").count() == 0
    w.page.goto(f"{w.base}/present?region=999999", wait_until="networkidle")
    w.page.locator("#present-error").wait_for(state="visible")
    w.screenshot("present-error")
    w.check_clean()
