"""The big screen's callbacks and views, called directly (no browser).

Panels are built over the analytics test database (the demo with stored analytics for 广西, 柳州
and one county); the "not computed yet" panels over the plain demo database (no refresh run).
Expected numbers are read from the store itself, not through ``services.screen``.
"""

from __future__ import annotations

import pytest

from dash import dcc, no_update
from dash.development.base_component import Component

from app import create_app
from layouts.shell import CONTEXT_KEY
from settings import Settings
from storage import repository as repo
from storage import results as store
from storage import tables as tbl
from tests.markup_reader import read


@pytest.fixture(scope="module")
def app(analytics_database_url):
    return create_app(Settings(database_url=analytics_database_url))


@pytest.fixture(scope="module")
def bare_app(demo_database_url):
    """The demo without any analytics: every analytics panel must say so, not fail."""
    return create_app(Settings(database_url=demo_database_url))


@pytest.fixture(scope="module")
def page(app):
    import layouts.pages.screen as screen_page

    return screen_page


@pytest.fixture(scope="module")
def engine(app):
    return app.server.config[CONTEXT_KEY].engine


def texts(node) -> list[str]:
    """Every string in a component tree (children and nested components, markup read back)."""
    node = read(node)
    if node is None:
        return []
    if isinstance(node, str):
        return [node]
    if isinstance(node, (list, tuple)):
        return [s for child in node for s in texts(child)]
    if hasattr(node, "children"):
        return texts(getattr(node, "children", None))
    return []


def joined(node) -> str:
    return " ".join(texts(node))


def find(node, class_name: str) -> list:
    """Components or markup elements whose className contains ``class_name``."""
    node = read(node)
    out = []
    if isinstance(node, (list, tuple)):
        for child in node:
            out += find(child, class_name)
        return out
    if node is None or isinstance(node, str):
        return out
    if class_name in (getattr(node, "className", None) or "").split():
        out.append(node)
    return out + find(getattr(node, "children", None), class_name)


ZH = {"lang": "zh", "start": 0, "rotate": 0, "cycle": 12, "poll": 60, "map": 0}
EN = {**ZH, "lang": "en"}


# ---- view state, playlist and map cycle ---------------------------------------------------------------

def test_view_state_reads_the_url(page):
    state = page.view_state()
    assert state == {"lang": "zh", "start": 0, "rotate": 0, "cycle": page.DEFAULT_CYCLE_S,
                     "poll": page.DEFAULT_POLL_S, "map": 0}
    state = page.view_state(lang="en", rotate="30", view="3", cycle="0", poll="0.2", map="fai_ytd_growth")
    assert state["lang"] == "en" and state["rotate"] == 30 and state["start"] == 2
    assert state["cycle"] == 0  # 0: the map keeps its indicator
    assert state["poll"] == page.MIN_INTERVAL_S  # never faster than once a second
    assert state["map"] == list(page.screen_service.MAP_INDICATORS).index("fai_ytd_growth")
    bad = page.view_state(rotate="soon", view="x", map="nonsense", cycle="-3")
    assert bad["rotate"] == 0 and bad["start"] == 0 and bad["map"] == 0 and bad["cycle"] == 0


def test_playlist_rotates_only_when_asked(page):
    assert [page.active_view(n, ZH) for n in range(5)] == [0, 0, 0, 0, 0]
    rotating = {**ZH, "rotate": 30, "start": 1}
    assert [page.active_view(n, rotating) for n in range(5)] == [1, 2, 0, 1, 2]
    *classes, name, dots = page.rotate(3, rotating)
    assert [("is-active" in c) for c in classes] == [False, True, False]
    assert name == "区域比拼"
    assert ["is-active" in d.className for d in dots] == [False, True, False]
    assert page.rotate(None, EN)[3] == "Overview"


def test_a_view_is_drawn_when_first_shown_or_after_the_warm_up(app, page):
    rotating = {**ZH, "rotate": 30}
    # the playlist reaches the cities view before the warm-up: only it is armed
    assert page.arm_views(None, 1, rotating, True, False, False) == (no_update, True, no_update)
    assert page.arm_views(None, 2, rotating, True, True, False) == (no_update, no_update, True)
    # the warm-up arms every view not yet drawn, and nothing is drawn twice
    assert page.arm_views(1, None, ZH, True, False, False) == (no_update, True, True)
    assert page.arm_views(1, 4, rotating, True, True, True) == (no_update,) * 3
    # a view not yet armed draws nothing
    assert page.render_overview("v", False, ZH) == (no_update,) * 4
    assert page.render_map(0, "v", False, ZH) == (no_update,) * 3
    assert page.render_cities(0, "v", False, ZH) == (no_update,) * 5
    assert page.render_warning("v", False, ZH) == (no_update,) * 4
    # the layout arms the first view and shows it as active before any callback runs
    with app.server.test_request_context("/"):
        layout = page.layout(view="2")
    stores = {c.id: c.data for c in walk(layout) if getattr(c, "id", None) in page.Screen.DRAWN}
    assert stores == dict(zip(page.Screen.DRAWN, (False, True, False)))
    views = {c.id: c.className for c in walk(layout) if getattr(c, "id", None) in page.VIEWS}
    assert "is-active" in views[page.Screen.VIEW_CITIES] and "is-active" not in views[page.Screen.VIEW_OVERVIEW]


def walk(node):
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)
        return
    if node is None or isinstance(node, (str, int, float)):
        return
    yield node
    yield from walk(getattr(node, "children", None))


def test_map_cycles_through_its_indicators(page):
    count = len(page.screen_service.MAP_INDICATORS)
    indices = [0]
    for _ in range(count):
        indices.append(page.next_map_index(indices[-1]))
    assert indices == [*range(count), 0]


# ---- refresh only when the data version changes -----------------------------------------------------

def test_poll_hands_on_the_version_only_when_it_changed(app, page, engine, monkeypatch):
    with app.server.app_context():
        current = page.screen_service.data_version(app.server.config[CONTEXT_KEY])
        assert current == (f"{repo.get_meta(engine, 'data_version', '0')}|"
                           f"{repo.get_meta(engine, 'analytics_refreshed_at', '')}")
        assert page.poll_version(1, current) is no_update
        assert page.poll_version(2, current) is no_update
        monkeypatch.setattr(page.screen_service, "data_version", lambda ctx: "2|2026-12-01T00:00:00")
        assert page.poll_version(3, current) == "2|2026-12-01T00:00:00"


def test_a_failing_render_keeps_the_last_picture(app, page, monkeypatch):
    def broken(ctx):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(page.screen_service, "kpi_tiles", broken)
    with app.server.app_context():
        assert page.steady(4)(page.render_overview)("v", True, ZH) == (no_update,) * 4


# ---- panels from the stored data ----------------------------------------------------------------------

def test_overview_panels_show_the_stored_figures(app, page, engine):
    with app.server.app_context():
        kpis, nowcast, signals, ranking = page.render_overview("v", True, ZH)
        *_, ranking_full = page.render_cities(0, "v", True, ZH)
    tiles = find(kpis, "sc-kpi")
    assert [getattr(k, "data-domain") for k in tiles] == [d for d, _, _ in page.screen_service.KPI_TILES]
    gdp = repo.read_observations(engine, "gdp", "450000").dropna(subset=["value"]).iloc[-1]
    assert f"{gdp['value']:.0f}" in joined(tiles[1])
    growth = repo.read_observations(engine, "fai_ytd_growth", "450000").dropna(subset=["value"]).iloc[-1]
    assert f"{growth['value']:.1f}" in joined(tiles[3])  # investment: published only as growth

    stored = store.read_table(engine, tbl.nowcasts, region="450000", target="gdp_q_growth").iloc[-1]
    text = joined(nowcast)
    assert f"{stored['point']:.1f}" in text and f"{stored['lower']:.1f}～{stored['upper']:.1f}%" in text
    assert "全年目标" in text and "分析结果尚未计算" not in text

    comp = store.read_table(engine, tbl.composite_signals, region="450000").sort_values("period").iloc[-1]
    assert find(signals, f"sc-zone-text-{int(comp['zone'])}")
    assert len(find(signals, "sc-light")) >= 8

    rows = find(ranking, "sc-rank-row")
    assert len(rows) == 14 and joined(rows[0]).startswith("1 ")
    values = store.read_table(engine, tbl.index_values, index_name="city_development")
    latest = values[values["period"] == values["period"].max()].sort_values("rank")
    assert getattr(rows[0], "data-region") == latest.iloc[0]["region"]
    assert f"{latest.iloc[0]['value']:.1f}" in joined(rows[0])
    assert "sc-rank-cols-2" in find(ranking_full, "sc-rank-list")[0].className


def components(node) -> int:
    """The Dash components in a callback's output (each one a wrapper the browser re-checks)."""
    if isinstance(node, (list, tuple)):
        return sum(components(child) for child in node)
    if not isinstance(node, Component):
        return 0
    return 1 + components(getattr(node, "children", None))


def test_read_only_panels_go_as_markup_a_few_components_each(app, page):
    """Tiles, ranking, alerts and ticker are one Markdown block each; a panel with a graph keeps
    the graph and sends its captions as markup (the whole screen: ~130 components, not ~600)."""
    with app.server.app_context():
        kpis, nowcast, signals, ranking = page.render_overview("v", True, ZH)
        gauge, _trend, _matrix, alerts = page.render_warning("v", True, ZH)
        ticker = page.render_ticker("v", ZH)
    for panel in (kpis, ranking, alerts, ticker):
        assert isinstance(panel, dcc.Markdown) and panel.dangerously_allow_html
    assert components([kpis, nowcast, signals, ranking, gauge, alerts, ticker]) <= 20
    # the ticker's speed and the ranking's bars keep their inline styles
    assert "animation-duration: " in ticker.children
    assert ranking.children.count('style="width: ') == 14


def test_map_panel_cycles_and_colours_the_14_cities(app, page, engine):
    codes = page.screen_service.MAP_INDICATORS
    with app.server.app_context():
        for index in (0, 3):
            fig, head, chips = page.render_map(index, "v", True, ZH)
            full, bar, full_head, bar_head, _ = page.render_cities(index, "v", True, ZH)
            cities = [tr for tr in fig.data if tr.name and tr.name.isdigit()]
            assert len(cities) == 14 and all(tr.fill == "toself" for tr in cities)
            assert len(bar.data[0].y) == 14
            assert page.screen_service.MAP_INDICATOR_NAMES[codes[index]][0] in joined(head)
            assert ["is-active" in c.className for c in chips].index(True) == index
    frame = repo.read_observations(engine, codes[3], [f"45{n:02d}00" for n in range(1, 15)])
    latest = frame[frame["period"] == frame["period"].max()]
    assert sorted(bar.data[0].x) == pytest.approx(sorted(latest["value"]))


def test_early_warning_view_and_ticker(app, page):
    with app.server.app_context():
        gauge, trend, matrix, alerts = page.render_warning("v", True, ZH)
        ticker = page.render_ticker("v", ZH)
    assert "分析结果尚未计算" not in joined([gauge, trend, matrix, alerts])
    cards = find(alerts, "sc-alert")
    assert 1 <= len(cards) <= 7
    items = find(ticker, "sc-ticker-item")
    assert items and len(items) % 2 == 0  # the list twice, for a seamless loop
    assert len(find(gauge, "sc-count-item")) == 5


def test_title_bar_says_demo_and_as_of_in_both_languages(app, page):
    with app.server.app_context():
        asof, demo = page.render_title("v", ZH)
        assert "数据截至" in asof and demo is not None and joined(demo) == "演示数据"
        asof_en, demo_en = page.render_title("v", EN)
        assert asof_en.startswith("Data to") and joined(demo_en) == "Demo data"


def test_english_labels_everywhere(app, page):
    with app.server.app_context():
        kpis, nowcast, signals, ranking = page.render_overview("v", True, EN)
        text = joined([kpis, nowcast, signals, ranking])
    assert "Annual target" in text and "Composite zone" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_panels_say_not_computed_before_the_first_refresh(bare_app, page):
    with bare_app.server.app_context():
        kpis, nowcast, signals, ranking = page.render_overview("v", True, ZH)
        *_, ranking_full = page.render_cities(0, "v", True, ZH)
        gauge, trend, matrix, alerts = page.render_warning("v", True, ZH)
        ticker = page.render_ticker("v", ZH)
        en = page.render_overview("v", True, EN)
    for panel in (nowcast, signals, ranking, ranking_full, gauge, trend, matrix, alerts):
        assert "分析结果尚未计算" in joined(panel)
    assert "Analytics not computed yet" in joined(en[1])
    assert len(find(kpis, "sc-kpi")) == 9 and not find(kpis, "sc-zone-3")  # the figures show; lights wait for the refresh
    assert "分析结果尚未计算" in joined(ticker)
