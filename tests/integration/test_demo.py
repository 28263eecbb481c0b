"""The demo data: calibrated, published the Chinese way, with vintages, late data and faults."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from data import calibration as cal
from data.demo import DEMO_AS_OF, generate
from indicators import transforms as tf
from services.series import get_series
from storage import repository as repo


def series(ctx, code, region, **kw):
    frame = repo.read_observations(ctx.engine, code, region, **kw)
    return frame.set_index("period")["value"]


def test_every_indicator_exists_at_every_region_level_it_supports(demo_ctx):
    stored = repo.read_observations(demo_ctx.engine, start="2024", end="2024")
    present = stored.groupby("indicator")["region"].agg(set)
    levels = {r.adcode: r.level for r in demo_ctx.regions}
    missing = []
    for ind in demo_ctx.catalog:
        if ind.demo is None and not (ind.growth_of or ind.derived_from):
            continue
        have = {levels[r] for r in present.get(ind.code, set())}
        wanted = set(ind.region_levels) if not demo_ctx.catalog.groups[ind.domain].regions else \
            set(ind.region_levels) & {"city", "county"}
        if ind.frequency == "A":
            continue  # 2024 annual figures exist; checked by label below
        if not wanted <= have:
            missing.append((ind.code, sorted(wanted - have)))
    assert not missing
    cities = stored[(stored.indicator == "gdp") & stored.region.isin([c.adcode for c in demo_ctx.regions.cities()])]
    assert cities["region"].nunique() == 14
    counties = stored[(stored.indicator == "gdp") & stored.region.isin([c.adcode for c in demo_ctx.regions.counties()])]
    assert counties["region"].nunique() == 111


def test_regional_gdp_matches_the_published_2017_2021_figures(demo_ctx):
    gdp = series(demo_ctx, "gdp", "450000")
    growth = series(demo_ctx, "gdp_ytd_growth", "450000")
    for year, value in cal.GUANGXI_GDP.items():
        assert gdp[f"{year}Q4"] == pytest.approx(value, abs=0.01)
        assert growth[f"{year}Q4"] == pytest.approx(cal.GUANGXI_GDP_REAL_GROWTH[year], abs=0.05)


def test_city_shares_follow_the_published_2016_city_gdp(demo_ctx):
    cities = repo.read_observations(demo_ctx.engine, "gdp", list(cal.CITY_GDP_2016), start="2016Q4", end="2016Q4")
    cities = cities[cities.period == "2016Q4"].set_index("region")["value"]
    cities = cities.drop("451200")  # 河池 2016Q4 carries a deliberate fault (copied from 来宾)
    published = {k: v[0] for k, v in cal.CITY_GDP_2016.items() if k in cities.index}
    total_p, total_d = sum(published.values()), cities.sum()
    for code, value in published.items():
        assert cities[code] / total_d == pytest.approx(value / total_p, rel=0.06), code


def test_census_revision_is_kept_as_two_vintages(demo_ctx):
    before = series(demo_ctx, "gdp", "450000", as_of=dt.date(2019, 1, 31))
    after = series(demo_ctx, "gdp", "450000", as_of=dt.date(2019, 12, 31))
    assert before["2017Q4"] == pytest.approx(cal.GUANGXI_GDP_2017_FIRST_RELEASE, abs=0.01)
    assert after["2017Q4"] == pytest.approx(cal.GUANGXI_GDP[2017], abs=0.01)


def test_release_lags_give_a_ragged_edge(demo_ctx):
    as_of = dt.date(2024, 4, 10)
    gdp = series(demo_ctx, "gdp", "450000", as_of=as_of)
    assert gdp.index[-1] == "2023Q4"  # 2024Q1 is released later in April
    lag = demo_ctx.catalog["retail_sales"].release_lag_days
    retail = series(demo_ctx, "retail_sales", "450000", as_of=as_of)
    last_end = dt.date(int(retail.index[-1][:4]), int(retail.index[-1][5:7]), 1)
    assert (as_of - last_end).days >= lag - 31
    everything = repo.read_observations(demo_ctx.engine, vintages=True)
    assert everything["realtime_start"].max() <= DEMO_AS_OF


def test_january_february_published_together_and_year_to_date(demo_ctx):
    combined = [i for i in demo_ctx.catalog if i.jan_feb_combined and i.publication == "level" and i.frequency == "M"]
    assert combined
    values = series(demo_ctx, combined[0].code, "450000")
    assert "2024-01/02" in values.index and "2024-01" not in values.index and "2024-02" not in values.index
    ytd = series(demo_ctx, "retail_sales", "450000")
    assert "2024-02" in ytd.index and "2024-01" not in ytd.index
    monthly = tf.ytd_to_monthly(ytd)
    assert "2024-01/02" in monthly.index and (monthly.dropna() > 0).all()


def test_published_growth_differs_from_growth_recomputed_from_levels(demo_ctx):
    published = series(demo_ctx, "retail_sales_ytd_growth", "450000")
    recomputed = get_series(demo_ctx, "retail_sales", "450000", transform="yoy").frame.set_index("period")["value"]
    both = tf.compare_growth(published, recomputed)
    both = both.dropna()
    assert len(both) > 100
    assert np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1] > 0.95
    assert (both.iloc[:, 2].abs() > 0.05).mean() > 0.5  # a comparable basis is not the level basis


def test_revisions_late_submissions_and_faults_are_there_to_be_found(demo_ctx):
    every = repo.read_observations(demo_ctx.engine, vintages=True)
    per_period = every.groupby(["indicator", "region", "period"]).size()
    revised = per_period[per_period > 1].reset_index()
    assert revised["indicator"].nunique() >= 5  # GDP's census revision and routine monthly revisions
    assert (every["status"] == "late").sum() >= 3
    faults = json.loads(repo.get_meta(demo_ctx.engine, "demo_faults"))
    kinds = {f["kind"] for f in faults}
    assert {"late", "copied_from_other_region", "unit_error", "ytd_falls"} <= kinds
    hechi = series(demo_ctx, "gdp", "451200")["2016Q4"]
    laibin = series(demo_ctx, "gdp", "451300")["2016Q4"]
    assert hechi == laibin


def test_demo_is_labelled_and_every_batch_is_traceable(demo_ctx):
    assert demo_ctx.is_demo
    batches = repo.batches(demo_ctx.engine, limit=10000)
    assert (batches["format"] == "demo").all() and batches["file_name"].str.contains("演示数据").all()
    obs = repo.read_observations(demo_ctx.engine, "gdp", "450000")
    assert obs["batch_id"].isin(batches["id"]).all()
    assert repo.orphan_observations(demo_ctx.engine) == 0


def test_generation_is_deterministic(demo_ctx):
    a, faults_a = generate(demo_ctx, "2015-01", "2016-12")
    b, faults_b = generate(demo_ctx, "2015-01", "2016-12")
    assert faults_a == faults_b
    assert a.sort_values(["indicator", "region", "period", "realtime_start"]).reset_index(drop=True).equals(
        b.sort_values(["indicator", "region", "period", "realtime_start"]).reset_index(drop=True))


def test_every_demo_value_is_within_its_indicators_plausible_range(demo_ctx):
    obs = repo.read_observations(demo_ctx.engine)
    low = obs["indicator"].map({i.code: i.plausible_min for i in demo_ctx.catalog})
    high = obs["indicator"].map({i.code: i.plausible_max for i in demo_ctx.catalog})
    faulty = {"retail_sales"}  # the deliberate unit error (×10000) is meant to be implausible
    outside = obs[((obs["value"] < low) | (obs["value"] > high)) & ~obs["indicator"].isin(faulty)]
    assert outside.empty, outside.groupby("indicator")["region"].unique().head(10)


def test_per_person_amounts_are_not_split_across_cities(demo_ctx):
    region = series(demo_ctx, "urban_income", "450000").iloc[-1]
    for city in demo_ctx.regions.cities():
        value = series(demo_ctx, "urban_income", city.adcode).iloc[-1]
        assert 0.5 * region < value < 1.6 * region, city.name_zh


def test_three_industries_add_up_to_gdp_and_quarters_to_the_accumulated_value(demo_ctx):
    for region in ("450000", "450100", "450127"):
        gdp = series(demo_ctx, "gdp", region)
        parts = sum(series(demo_ctx, code, region) for code in cal.GDP_COMPONENTS)
        assert ((parts - gdp).abs() < 0.001).all(), region  # stored to 4 decimals
        quarters = series(demo_ctx, "gdp_q", region)
        assert (tf.accumulated_to_quarterly(gdp) - quarters).abs().max() < 0.01


def test_first_release_before_the_census_is_consistent_across_years(demo_ctx):
    then = series(demo_ctx, "gdp", "450000", as_of=dt.date(2018, 6, 1))
    assert then["2016Q4"] == pytest.approx(cal.GUANGXI_GDP_2016_FIRST_RELEASE, abs=0.01)
    nominal_2017 = then["2017Q4"] / then["2016Q4"] * 100 - 100
    assert 5 < nominal_2017 < 15  # not a jump between two bases
