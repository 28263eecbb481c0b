"""The view models of the region and domain pages on the analytics test database (the demo with
stored analytics for 广西, 柳州 and the county 450202).

Expected numbers are read straight from the store (``repository.read_observations`` and the
``signals`` table), not through the service, so a slip in ``services.region_view`` shows here.
"""

from __future__ import annotations

import dataclasses

import pytest

from services import region_view as rv
from services.context import Viewer
from storage import repository as repo
from storage import results as store
from storage import tables as t

CITIES = [f"45{n:02d}00" for n in range(1, 15)]
LIUZHOU, COUNTY = "450200", "450202"  # 柳州市, 城中区
DOMAINS = ("macro", "gdp", "industry", "investment", "consumption", "trade", "living", "fiscal", "employment")


def stored(ctx, code, region, period=None):
    frame = repo.read_observations(ctx.engine, code, region)
    series = frame.set_index("period")["value"].sort_index()
    return series if period is None else series.get(period)


def stored_zone(ctx, code, region, period):
    rows = store.read_table(ctx.engine, t.signals, indicator=code, region=region, period=period)
    return int(rows["zone"].iloc[0]) if len(rows) else None


# ---- regions, breadcrumbs, sub-regions --------------------------------------------------------------

@pytest.mark.parametrize("adcode, names", [
    ("450000", ["广西壮族自治区"]),
    (LIUZHOU, ["广西壮族自治区", "柳州市"]),
    (COUNTY, ["广西壮族自治区", "柳州市", "城中区"]),
])
def test_breadcrumbs_run_from_guangxi_to_the_region(analytics_ctx, adcode, names):
    crumbs = rv.breadcrumbs(analytics_ctx, adcode)
    assert [c["name_zh"] for c in crumbs] == names
    assert crumbs[-1]["adcode"] == adcode and crumbs[0]["adcode"] == "450000"
    assert all(c["link"] for c in crumbs)


def test_sub_regions_of_guangxi_a_city_and_a_county(analytics_ctx):
    ctx = analytics_ctx
    gx = rv.sub_regions(ctx, "450000")
    assert [r.adcode for r in gx["regions"]] == CITIES and gx["level"] == "city" and gx["highlight"] is None
    counties = [r.adcode for r in ctx.regions.counties(LIUZHOU)]
    city = rv.sub_regions(ctx, LIUZHOU)
    assert [r.adcode for r in city["regions"]] == counties and city["level"] == "county"
    county = rv.sub_regions(ctx, COUNTY)  # a county is seen within its city
    assert county["parent"] == LIUZHOU and [r.adcode for r in county["regions"]] == counties
    assert county["highlight"] == COUNTY
    for adcode, expected in (("450000", CITIES), (LIUZHOU, counties), (COUNTY, counties)):
        geo = rv.boundaries(ctx, adcode)
        assert sorted(f["properties"]["adcode"] for f in geo["features"]) == sorted(expected)


@pytest.mark.parametrize("adcode", ["999999", "440000", "100000", "", None])
def test_regions_outside_guangxi_are_refused(analytics_ctx, adcode):
    with pytest.raises(rv.RegionViewError):
        rv.region(analytics_ctx, adcode)


def test_a_viewer_sees_only_permitted_regions(analytics_ctx):
    ctx = dataclasses.replace(analytics_ctx, viewer=Viewer("liuzhou", frozenset({LIUZHOU, COUNTY})))
    with pytest.raises(rv.RegionViewError):
        rv.region(ctx, "450000")
    assert [r.adcode for r in rv.sub_regions(ctx, LIUZHOU)["regions"]] == [COUNTY]
    assert [o["adcode"] for o in rv.region_options(ctx)] == [LIUZHOU, COUNTY]


# ---- the region page ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("adcode", ["450000", LIUZHOU, COUNTY])
def test_region_headline_shows_stored_gdp_and_nine_domains(analytics_ctx, adcode):
    ctx = analytics_ctx
    head = rv.region_headline(ctx, adcode)
    gdp = stored(ctx, "gdp", adcode)
    card = head["gdp"]
    assert card["period"] == gdp.index[-1] and card["value"] == pytest.approx(gdp.iloc[-1])
    assert card["yoy"] == pytest.approx(stored(ctx, "gdp_ytd_growth", adcode, card["period"]))
    assert card["yoy_basis"] == "published"
    assert [d["domain"] for d in head["domains"]] == list(DOMAINS)
    for item in head["domains"]:
        tile = item["card"]
        assert tile is not None, item["domain"]
        latest = stored(ctx, tile["code"], adcode)
        assert tile["value"] == pytest.approx(latest.iloc[-1]) and tile["period"] == latest.index[-1]
        own = stored_zone(ctx, tile["code"], adcode, tile["period"])
        growth = rv.growth_companion(ctx, tile["code"])
        assert tile["zone"] == (own if own is not None or growth is None
                                else stored_zone(ctx, growth, adcode, tile["period"]))
    assert sum(d["card"]["zone"] is not None for d in head["domains"]) >= 7  # lights were stored
    if adcode != COUNTY:
        assert head["composite"] is not None and 1 <= head["composite"]["zone"] <= 5


@pytest.mark.parametrize("adcode, parent", [("450000", "450000"), (LIUZHOU, LIUZHOU), (COUNTY, LIUZHOU)])
def test_sub_region_table_shows_the_stored_values(analytics_ctx, adcode, parent):
    ctx = analytics_ctx
    table = rv.sub_region_table(ctx, adcode)
    assert table.attrs["indicator"] == "gdp_ytd_growth" and table.attrs["parent"] == parent
    period = table.attrs["period"]
    children = [r.adcode for r in ctx.regions.children(parent)]
    assert sorted(table["adcode"]) == sorted(children)
    frame = repo.read_observations(ctx.engine, "gdp_ytd_growth", children, start=period, end=period)
    expected = dict(zip(frame["region"], frame["value"]))
    assert dict(zip(table["adcode"], table["value"])) == pytest.approx(expected)
    values = table["value"].tolist()
    assert values == sorted(values, reverse=True) and table["rank"].tolist()[0] == 1
    assert table["current"].tolist().count(True) == (1 if adcode == COUNTY else 0)
    if adcode == COUNTY:
        assert table.loc[table["current"], "adcode"].tolist() == [COUNTY]


def test_sub_region_table_on_another_indicator_and_an_unknown_one(analytics_ctx):
    ctx = analytics_ctx
    options = rv.sub_region_indicators(ctx, "450000")
    assert options[:2] == ["gdp", "gdp_ytd_growth"] and "retail_sales_ytd_growth" in options
    table = rv.sub_region_table(ctx, "450000", "retail_sales_ytd_growth")
    assert table.attrs["indicator"] == "retail_sales_ytd_growth" and not table.attrs["fallback"]
    period = table.attrs["period"]
    assert table.set_index("adcode").loc["450200", "value"] == pytest.approx(
        stored(ctx, "retail_sales_ytd_growth", "450200", period))
    # a zone is shown where one is stored
    assert table.set_index("adcode").loc["450200", "zone"] == stored_zone(ctx, "retail_sales_ytd_growth", "450200",
                                                                         period)
    fallback = rv.sub_region_table(ctx, "450000", "no_such_indicator")
    assert fallback.attrs["indicator"] == "gdp_ytd_growth" and fallback.attrs["fallback"]
    county_options = rv.sub_region_indicators(ctx, LIUZHOU)
    assert all("county" in ctx.catalog[c].region_levels for c in county_options)


# ---- the domain pages ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_cards_match_the_store(analytics_ctx, domain):
    ctx = analytics_ctx
    view = rv.domain_view(ctx, domain, "450000")
    assert [c["code"] for c in view["cards"]] == rv.key_codes(ctx, domain, "province")
    assert len(view["cards"]) >= 5
    zones = 0
    for card in view["cards"]:
        series = stored(ctx, card["code"], "450000")
        assert card["period"] == series.index[-1] and card["value"] == pytest.approx(series.iloc[-1])
        growth = rv.growth_companion(ctx, card["code"])
        published = stored(ctx, growth, "450000", card["period"]) if growth else None
        if published is not None:
            assert card["yoy"] == pytest.approx(published) and card["yoy_basis"] == "published"
        if card["is_growth"]:
            assert card["yoy"] is None
            previous = series[series.index < card["period"]].iloc[-1]
            assert card["change"] == pytest.approx(card["value"] - previous) and card["change_unit"] == "pp"
        own = stored_zone(ctx, card["code"], "450000", card["period"])
        companion = stored_zone(ctx, growth, "450000", card["period"]) if growth else None
        if own is not None or companion is not None:
            assert card["zone"] == (own if own is not None else companion)
            zones += 1
        assert 0 < len(card["spark_values"]) <= rv.SPARK_POINTS[card["frequency"]]
        assert card["spark_periods"][-1] == card["period"]
    assert zones >= 1, "stored signal lights are shown"


@pytest.mark.parametrize("domain", ["gdp", "industry", "consumption", "fiscal"])
def test_domain_cards_of_a_county_use_county_indicators(analytics_ctx, domain):
    ctx = analytics_ctx
    view = rv.domain_view(ctx, domain, COUNTY)
    assert view["cards"] and all("county" in ctx.catalog[c["code"]].region_levels for c in view["cards"])
    assert any(c["zone"] is not None for c in view["cards"])


def test_cities_compared_on_the_domain_headline(analytics_ctx):
    ctx = analytics_ctx
    table = rv.compare_table(ctx, "industry", LIUZHOU)
    assert table.attrs["indicator"] == "industrial_va_ytd_growth" and sorted(table["adcode"]) == CITIES
    assert table.loc[table["current"], "adcode"].tolist() == [LIUZHOU]
    assert table.attrs["reference"] == pytest.approx(stored(ctx, "industrial_va_ytd_growth", "450000").iloc[-1])
    county = rv.compare_table(ctx, "industry", COUNTY)  # a county: the counties of its city
    assert sorted(county["adcode"]) == sorted(r.adcode for r in ctx.regions.counties(LIUZHOU))
    assert county.loc[county["current"], "adcode"].tolist() == [COUNTY]


def test_unknown_domain_is_refused(analytics_ctx):
    with pytest.raises(rv.RegionViewError):
        rv.domain_view(analytics_ctx, "guilin_tourism", "450000")  # a topic, not a domain


def test_key_and_headline_indicators_are_in_the_catalog(analytics_ctx):
    catalog = analytics_ctx.catalog
    assert set(rv.KEY_INDICATORS) == set(DOMAINS) == set(rv.HEADLINES)
    for domain, codes in {**rv.KEY_INDICATORS}.items():
        assert all(code in catalog and catalog[code].domain == domain for code in codes), domain
    for domain, codes in rv.HEADLINES.items():
        assert all(code in catalog and catalog[code].domain == domain for code in codes), domain
        assert rv.headline_code(analytics_ctx, domain, "city") is not None
