"""The region and domain page callbacks, called directly (no browser): a map click and the
layouts name their URL; the renderers return the map, table and cards of the stored data."""

from __future__ import annotations

import re

import numpy as np
import pytest
from dash import no_update

from app import create_app
from settings import Settings

CITIES = [f"45{n:02d}00" for n in range(1, 15)]


@pytest.fixture(scope="module")
def app(analytics_database_url):
    return create_app(Settings(database_url=analytics_database_url))


@pytest.fixture(scope="module")
def region_page(app):
    import layouts.pages.region as page

    return page


@pytest.fixture(scope="module")
def domain_page(app):
    import layouts.pages.domain as page

    return page


def view(adcode="450000", indicator=None, lang="zh"):
    return {"adcode": adcode, "indicator": indicator, "lang": lang, "default_lang": "zh"}


# ---- selectors → URL ----------------------------------------------------------------------------------

def test_the_view_store_names_the_url_it_shows(app, region_page):
    """The indicator selector changes the view in the browser (assets/region.js, tests/browser) from
    the URL record the layout puts in the view store."""
    def store(**params):
        with app.server.test_request_context("/"):
            layout = region_page.layout(adcode="450200", **params)
        return next(c.data for c in walk(layout) if getattr(c, "id", None) == region_page.Region.VIEW)

    chosen = store(indicator="retail_sales_ytd_growth", lang="en")
    assert chosen["search"] == "?indicator=retail_sales_ytd_growth&lang=en"
    assert chosen["shown"] == {"path": "/region/450200",
                               "query": {"indicator": "retail_sales_ytd_growth", "lang": "en"}}
    default = store()
    assert default["search"] == "" and default["default_indicator"] == "gdp_ytd_growth"


def walk(node):
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from walk(child)
        return
    if node is None or isinstance(node, (str, int, float)):
        return
    yield node
    yield from walk(getattr(node, "children", None))


def test_region_selection_on_a_domain_page_writes_the_query(domain_page):
    state = {"domain": "industry", "region": "450000", "lang": "zh", "default_lang": "zh"}
    assert domain_page.select_region("450200", state) == "?region=450200"
    assert domain_page.select_region("450000", state) is no_update
    assert domain_page.select_region("450000", {**state, "region": "450200", "lang": "en"}) == "?lang=en"


# ---- renderers ----------------------------------------------------------------------------------------

def test_region_map_has_a_click_target_for_every_city(app, region_page):
    with app.server.app_context():
        figure, table = region_page.render_sub_regions(view())
    areas = figure.layout.meta["areas"]
    assert sorted(areas) == CITIES  # every area a clickable trace, named in trace order
    fills = figure.data[:len(areas)]
    assert [tr.name for tr in fills] == areas and all(tr.fill == "toself" and tr.hoveron == "fills" for tr in fills)
    assert any(tr.name == "labels" for tr in figure.data) and any(tr.name == "scale" for tr in figure.data)
    assert not figure.layout.xaxis.visible and figure.layout.yaxis.scaleanchor == "x"
    assert "柳州市" in str(table)


def test_county_map_outlines_the_county(app, region_page):
    with app.server.app_context():
        figure, _ = region_page.render_sub_regions(view("450202", lang="en"))
    outline = [trace for trace in figure.data if trace.name == "current"]
    assert len(outline) == 1 and outline[0].line.width > 2
    area = figure.data[figure.layout.meta["areas"].index("450202")]
    assert np.array_equal(outline[0].x, area.x, equal_nan=True)  # the county's own shape, outlined on top
    assert not any(trace.name == "labels" for trace in figure.data)  # counties unlabelled


def test_headline_and_domain_tiles(app, region_page):
    from services import region_view as rv

    with app.server.app_context():
        cards, tiles = region_page.render_headline(view("450200", lang="en"))
        head = rv.region_headline(app.server.config["ECONBRAIN_CONTEXT"], "450200")
    # sent as one block of markup each, in the grid they sit in
    assert cards.children.startswith('<div className="rg-headline">')
    assert tiles.children.startswith('<div className="rg-domain-grid">')
    assert len(re.findall(r'className="eb-kpi[ "]', cards.children)) == 3
    assert re.findall(r'data-domain="(\w+)"', tiles.children)[:2] == ["macro", "gdp"]
    assert len(region_page.domain_tiles(head, "en", "zh")) == 9
    assert re.search(r'<dccLink [^>]*href="/domain/gdp\?region=450200&amp;lang=en"', tiles.children)  # in-app


@pytest.mark.parametrize("domain", ["industry", "living"])
def test_domain_cards_link_to_the_indicator_page(app, domain_page, domain):
    state = {"domain": domain, "region": "450200", "lang": "zh", "default_lang": "zh"}
    with app.server.app_context():
        cards = domain_page.render_cards(state)
        figure = domain_page.render_compare(state)
    assert len(cards) >= 5
    first = cards[0]
    assert f"/indicator/{getattr(first, 'data-code')}?region=450200" in str(first)
    bars = figure.data[0]
    assert len(bars.y) == 14 and "柳州" in bars.y
