"""The GDP page callbacks, called directly (no browser) on an app built over a demo database.

Expected numbers are read straight from the store with ``repository.read_observations``, not
through ``services.gdp``, so a slip in the service shows up here.
"""

from __future__ import annotations

import dataclasses

import pytest
from dash import dcc, no_update

from app import create_app
from layouts.shell import CONTEXT_KEY, build_app
from services.context import Viewer, open_context
from settings import Settings
from storage import repository as repo
from tests.markup_reader import read

CITIES = [f"45{n:02d}00" for n in range(1, 15)]


@pytest.fixture(scope="session")
def demo_url(request, tmp_path_factory) -> str:
    """The session's demo database (tests/conftest.py builds it once), or our own without it."""
    try:
        return request.getfixturevalue("demo_database_url")
    except pytest.FixtureLookupError:
        from data.demo import build_demo

        url = f"sqlite:///{tmp_path_factory.mktemp('gdp-demo') / 'demo.sqlite'}"
        build_demo(Settings(database_url=url), progress=False)
        return url


@pytest.fixture(scope="module")
def app(demo_url):
    return create_app(Settings(database_url=demo_url))


@pytest.fixture(scope="module")
def page(app):
    import layouts.pages.gdp as gdp_page

    return gdp_page


@pytest.fixture(scope="module")
def engine(app):
    return app.server.config[CONTEXT_KEY].engine


@pytest.fixture(scope="module")
def latest(engine) -> str:
    return repo.read_observations(engine, "gdp", "450000")["period"].max()


def stored(engine, code, regions, period) -> dict[str, float]:
    frame = repo.read_observations(engine, code, regions, start=period, end=period)
    frame = frame[frame["period"] == period]
    return dict(zip(frame["region"], frame["value"]))


def walk(component):
    """Every component in a Dash component tree (lists and nested children included; markup read
    back into elements)."""
    component = read(component)
    if component is None or isinstance(component, (str, int, float)):
        return
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from walk(child)
        return
    yield component
    yield from walk(getattr(component, "children", None))


def text(component) -> str:
    return "".join(str(c) for c in _texts(component))


def _texts(component):
    component = read(component)
    if component is None:
        return
    if isinstance(component, (str, int, float)):
        yield component
        return
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from _texts(c)
        return
    yield from _texts(getattr(component, "children", None))


def tag(component) -> str:
    """A component's or a markup element's HTML tag."""
    return getattr(component, "tag", None) or type(component).__name__.lower()


def classes(component) -> set[str]:
    return set((getattr(component, "className", None) or "").split())


# ---- headline ------------------------------------------------------------------------------------

def test_headline_cards_show_the_stored_figures(app, page, engine, latest):
    with app.server.app_context():
        cards = page.render_headline({"period": latest, "lang": "zh"})
    assert isinstance(cards, dcc.Markdown)  # read-only: one block of markup, not ~50 components
    kpis = [c for c in walk(cards) if "eb-kpi" in classes(c)]
    assert len(kpis) == 5
    values = [text(next(x for x in walk(k) if "eb-kpi-value" in classes(x))) for k in kpis]
    expected = {code: stored(engine, code, "450000", latest)["450000"]
                for code in ("gdp", "gdp_ytd_growth", "va_primary", "va_secondary", "va_tertiary")}
    assert values == [
        f"{expected['gdp']:.2f}", f"{expected['gdp_ytd_growth']:.1f}", f"{expected['va_primary']:.2f}",
        f"{expected['va_secondary']:.2f}", f"{expected['va_tertiary']:.2f}",
    ]
    titles = [text(next(x for x in walk(k) if "eb-kpi-title" in classes(x))) for k in kpis]
    assert titles == ["地区生产总值", "实际增长", "第一产业", "第二产业", "第三产业"]


def test_headline_in_english_uses_english_labels_and_separators(app, page, engine, latest):
    with app.server.app_context():
        cards = page.render_headline({"period": latest, "lang": "en"})
    titles = [text(x) for x in walk(cards) if "eb-kpi-title" in classes(x)]
    assert titles == ["GDP", "Real growth", "Primary industry", "Secondary industry", "Tertiary industry"]
    gdp = stored(engine, "gdp", "450000", latest)["450000"]
    assert f"{gdp:,.2f}" in text(cards)


def test_headline_of_an_earlier_quarter(app, page, engine):
    with app.server.app_context():
        cards = page.render_headline({"period": "2020Q2", "lang": "zh"})
    gdp = stored(engine, "gdp", "450000", "2020Q2")["450000"]
    assert f"{gdp:.2f}" in text(cards)


# ---- trend ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, names", [
    ("zh", ["当季地区生产总值", "累计实际增长"]),
    ("en", ["GDP, current quarter", "Real growth, year to date"]),
])
def test_trend_has_quarter_bars_and_growth_line_on_a_second_axis(app, page, engine, latest, lang, names):
    with app.server.app_context():
        fig = page.render_trend({"period": latest, "lang": lang})
    assert [t.name for t in fig.data] == names
    bars, line = fig.data
    assert bars.type == "bar" and line.type == "scatter" and line.yaxis == "y2"
    assert fig.layout.yaxis2.overlaying == "y"
    periods = list(bars.x)
    assert periods[-1] == latest and len(periods) == page.TREND_QUARTERS
    quarter = repo.read_observations(engine, "gdp_q", "450000").set_index("period")["value"]
    growth = repo.read_observations(engine, "gdp_ytd_growth", "450000").set_index("period")["value"]
    assert list(bars.y) == pytest.approx([quarter[p] for p in periods])
    assert list(line.y) == pytest.approx([growth[p] for p in periods])


# ---- cities: map, bar, table -----------------------------------------------------------------------

def test_city_map_bar_and_table_show_the_14_cities_as_stored(app, page, engine, latest):
    with app.server.app_context():
        map_fig, bar_fig, table = page.render_cities({"period": latest, "lang": "zh"})
    gdp = stored(engine, "gdp", CITIES, latest)
    growth = stored(engine, "gdp_ytd_growth", CITIES, latest)
    assert len(gdp) == 14

    # SVG shapes, one filled trace per city named by its adcode, filled by its GDP; no map trace
    assert {t.type for t in map_fig.data} == {"scatter"}
    assert list(map_fig.layout.meta["areas"]) and sorted(map_fig.layout.meta["areas"]) == CITIES
    areas = {t.name: t for t in map_fig.data if t.fill == "toself"}
    assert sorted(areas) == CITIES
    scale = next(t for t in map_fig.data if t.name == "scale").marker
    assert (scale.cmin, scale.cmax) == pytest.approx((min(gdp.values()), max(gdp.values())))
    fills = {code: areas[code].fillcolor for code in CITIES}
    richest, poorest = max(gdp, key=gdp.get), min(gdp, key=gdp.get)
    assert fills[richest] != fills[poorest]
    assert f"{gdp[richest]:,.2f} 亿元" in areas[richest].text and "%" in areas[richest].text
    names = next(t for t in map_fig.data if t.name == "labels")
    assert len(names.text) == 14

    assert len(bar_fig.data) == 1 and bar_fig.data[0].type == "bar"
    assert len(bar_fig.data[0].y) == 14
    assert sorted(bar_fig.data[0].x) == pytest.approx(sorted(growth.values()))

    body = next(c for c in walk(table) if tag(c) == "tbody")
    rows = [r for r in body.children]
    assert len(rows) == 14
    seen = {}
    for row in rows:
        adcode = getattr(row, "data-adcode")
        cells = row.children
        seen[adcode] = (float(getattr(cells[2], "data-value")), float(getattr(cells[3], "data-value")))
        assert text(cells[2]) == f"{gdp[adcode]:.2f}"
        assert text(cells[3]) == f"{growth[adcode]:.1f}"
    assert {k: v[0] for k, v in seen.items()} == gdp
    assert {k: v[1] for k, v in seen.items()} == growth
    # ranked by value, the shares add up to 100
    values = [float(getattr(r.children[2], "data-value")) for r in rows]
    assert values == sorted(values, reverse=True)
    assert sum(float(getattr(r.children[4], "data-value")) for r in rows) == pytest.approx(100.0)
    assert [text(r.children[0]) for r in rows] == [str(n) for n in range(1, 15)]


def test_city_names_follow_the_language(app, page, latest):
    with app.server.app_context():
        _, bar_zh, table_zh = page.render_cities({"period": latest, "lang": "zh"})
        _, bar_en, table_en = page.render_cities({"period": latest, "lang": "en"})
    assert "南宁" in bar_zh.data[0].y and "Nanning" in bar_en.data[0].y
    assert "南宁市" in text(table_zh) and "Nanning" in text(table_en)


def test_a_viewer_sees_only_the_cities_they_may_see(demo_url, latest):
    settings = Settings(database_url=demo_url)
    visible = frozenset({"450000", "450100", "450300"})
    ctx = dataclasses.replace(open_context(settings), viewer=Viewer(user="guilin-analyst", regions=visible))
    restricted = build_app(settings, context=ctx)
    import layouts.pages.gdp as gdp_page

    with restricted.server.app_context():
        map_fig, bar_fig, table = gdp_page.render_cities({"period": latest, "lang": "zh"})
    assert sorted(map_fig.layout.meta["areas"]) == ["450100", "450300"]
    assert sorted(t.name for t in map_fig.data if t.fill == "toself") == ["450100", "450300"]
    assert len(bar_fig.data[0].y) == 2
    body = next(c for c in walk(table) if tag(c) == "tbody")
    assert len(body.children) == 2


# ---- the quarter selector writes the URL -----------------------------------------------------------

def test_quarter_selector_writes_the_period_into_the_url(page):
    assert page.select_quarter("2025Q4", {"period": "2026Q3", "lang": "zh", "default_lang": "zh"}) == "?period=2025Q4"
    assert page.select_quarter("2025Q4", {"period": "2026Q3", "lang": "en", "default_lang": "zh"}) == \
        "?period=2025Q4&lang=en"
    assert page.select_quarter("2026Q3", {"period": "2026Q3", "lang": "zh", "default_lang": "zh"}) is no_update


def test_callbacks_are_registered_once_on_the_app(app):
    outputs = [cb["output"] for cb in app._callback_list]
    for wanted in ("gdp-kpis.children", "gdp-trend.figure", "_pages_location.search"):
        assert outputs.count(wanted) == 1
