"""The view models of the analytics pages on the analytics test database (the demo with stored
analytics for 广西, 柳州 and one county). Expected values are read from the result tables directly."""

from __future__ import annotations

import dataclasses
import datetime as dt
from statistics import NormalDist

import pytest

from models.signals import ZONES
from services import analytics_view as views
from services.context import Viewer, open_context
from settings import Settings
from storage import results as store
from storage import tables as t


@pytest.fixture(scope="module")
def ctx(analytics_ctx):
    return analytics_ctx


def test_fan_chart_is_the_stored_nowcast_with_nested_bands(ctx):
    stored = store.read_table(ctx.engine, t.nowcasts, order_by=("as_of", "period"), region="450000").iloc[-1]
    fan = views.fan_chart(ctx, "450000")
    assert fan["period"] == stored["period"] and fan["point"] == pytest.approx(stored["point"])
    levels = [b["level"] for b in fan["bands"]]
    assert levels == sorted(levels, reverse=True) and 0.5 in levels
    widest = fan["bands"][0]
    assert (widest["lower"], widest["upper"]) == pytest.approx((stored["lower"], stored["upper"]))
    inner = next(b for b in fan["bands"] if b["level"] == 0.5)
    ratio = NormalDist().inv_cdf(0.75) / NormalDist().inv_cdf(0.5 + stored["level"] / 2)
    assert inner["upper"] - inner["lower"] == pytest.approx((stored["upper"] - stored["lower"]) * ratio)
    history = fan["history"]
    assert 0 < len(history) <= views.HISTORY_QUARTERS
    assert (history["period"] < fan["period"]).all()


def test_no_stored_nowcast_gives_none_and_never_computes_one(ctx):
    assert views.fan_chart(ctx, "450300") is None  # 桂林: no nowcast task in the test refresh
    assert views.news_items(ctx, "450300") is None


def test_news_items_add_up_from_previous_to_current(ctx):
    news = views.news_items(ctx, "450000")
    assert news["items"] and len(news["items"]) <= views.NEWS_TOP + 1
    assert news["previous"] + sum(i["impact"] for i in news["items"]) == pytest.approx(news["current"])
    named = [i for i in news["items"] if i["indicator"]]
    assert all(i["name_zh"] == ctx.catalog[i["indicator"]].name_zh for i in named)
    impacts = [abs(i["impact"]) for i in named]
    assert impacts == sorted(impacts, reverse=True)


def test_backtest_is_none_until_the_refresh_stores_it(ctx):
    assert views.backtest(ctx, "450300") is None  # 桂林: no nowcast tasks in the test refresh


def test_backtest_of_the_refresh_is_read_as_stored(ctx):
    runs = store.read_table(ctx.engine, t.model_runs, task="backtest:450000")
    if runs.empty:
        pytest.skip("the refresh stored no back-test for Guangxi")
    result = views.backtest(ctx, "450000")
    stored = {m["model"]: m for m in runs.iloc[0]["summary"]["models"]}
    assert {m["model"] for m in result["models"]} == set(stored)
    for m in result["models"]:
        assert m["rmse"] == pytest.approx(stored[m["model"]]["rmse"])


def test_backtest_reads_the_stored_summary(sqlite_url):
    ctx = open_context(Settings(database_url=sqlite_url))
    summary = {"models": [{"model": "ar1", "rmse": 1.2, "mae": 0.9, "n": 12},
                          {"model": "dfm", "rmse": 0.8, "mae": 0.6, "n": 12}],
               "quarters": [{"model": "dfm", "period": "2023Q4"}, {"model": "dfm", "period": "2026Q3"}]}
    with ctx.engine.begin() as conn:
        store.record_run(conn, "backtest:450000", "backtest", "f" * 64, "ok", summary, None,
                         dt.datetime(2026, 11, 1), 1.0, 1)
    result = views.backtest(ctx, "450000")
    assert [m["model"] for m in result["models"]] == ["dfm", "ar1"]  # best first
    assert result["models"][0]["name_zh"] == "动态因子模型" and result["models"][0]["rmse"] == 0.8
    assert (result["start"], result["end"]) == ("2023Q4", "2026Q3")
    ctx.engine.dispose()


def test_forecast_has_bands_history_and_mase(ctx):
    choices = [c["code"] for c in views.forecast_choices(ctx, "450000")]
    assert "retail_sales" in choices
    view = views.forecast(ctx, "retail_sales", "450000")
    stored = store.read_table(ctx.engine, t.forecasts, indicator="retail_sales", region="450000")
    assert list(view["forecast"]["period"]) == sorted(stored["period"])
    fc = view["forecast"]
    assert (fc["lower_95"] <= fc["lower_80"]).all() and (fc["upper_80"] <= fc["upper_95"]).all()
    assert view["history"]["period"].iloc[-1] == view["origin"]
    assert view["mase"] is not None and view["mase"] > 0
    assert views.forecast(ctx, "no_such_indicator", "450000") is None


def test_target_rows_carry_names_progress_and_growth_needed(ctx):
    result = views.target_rows(ctx, "450000")
    progress = store.read_table(ctx.engine, t.target_progress, region="450000", year=result["year"])
    assert result["rows"][0]["indicator"] == "gdp_ytd_growth"
    by_code = {r["indicator"]: r for r in result["rows"]}
    for row in progress.to_dict("records"):
        mine = by_code[row["indicator"]]
        assert mine["name_zh"] == ctx.catalog[row["indicator"]].name_zh
        assert mine["actual"] == pytest.approx(row["actual"])
        if row["required"] == row["required"]:  # not NaN
            assert mine["required"] == pytest.approx(row["required"])


def test_signal_matrix_has_names_and_valid_zones(ctx):
    matrix = views.signal_matrix(ctx, "450000")
    assert len(matrix["periods"]) == views.MATRIX_MONTHS
    assert matrix["periods"] == sorted(matrix["periods"])
    row = matrix["rows"][0]
    assert row["name_zh"] == ctx.catalog[row["indicator"]].name_zh
    zones = {z for r in matrix["rows"] for z in r["zones"] if z is not None}
    assert zones <= set(ZONES)
    stored = store.read_table(ctx.engine, t.signals, region="450000", indicator=row["indicator"],
                              period=matrix["periods"][-1])
    if len(stored):
        assert row["zones"][-1] == int(stored["zone"].iloc[0])


def test_composite_history_and_regional_matrix(ctx):
    history = views.composite_history(ctx, "450000")
    assert len(history) > 24 and history["period"].is_monotonic_increasing
    assert set(history["color"]) <= {z["color"] for z in ZONES.values()}
    regional = views.regional_composites(ctx)
    regions = [r["region"] for r in regional["rows"]]
    assert regions[0] == "450000" and "450200" in regions
    assert regional["rows"][0]["name_zh"] == "广西"


def test_alert_rows_filter_by_state_and_sort_newest_first(ctx):
    every = views.alert_rows(ctx, "450000")
    assert every["total"] == sum(every["counts"].values())
    assert every["rows"], "the test refresh should find some alerts for Guangxi"
    ends = [views._period_end(a["period"]) for a in every["rows"]]
    assert ends == sorted(ends, reverse=True)
    for state in ("new", "acknowledged", "closed"):
        chosen = views.alert_rows(ctx, "450000", state)
        assert chosen["total"] == every["counts"][state]
        assert all(a["state"] == state for a in chosen["rows"])


def test_index_series_with_contributions_adding_up(ctx):
    view = views.index_series(ctx, "transport", "450000")
    assert len(view["values"]) <= views.INDEX_PERIODS
    assert [c["code"] for c in view["components"]] == list(view["contributions"].columns)
    last = view["contributions"].iloc[-1].sum()
    assert last == pytest.approx(view["values"]["value"].iloc[-1] - view["baseline"], abs=0.05)
    assert view["components"][0]["name_zh"] == ctx.catalog[view["components"][0]["code"]].name_zh


def test_cycle_index_contributions_are_unwrapped(ctx):
    view = views.index_series(ctx, "leading", "450000")
    assert "phase" not in view["contributions"].columns and len(view["components"]) > 0


def test_unknown_index_or_region_is_a_bilingual_error(ctx):
    with pytest.raises(views.AnalyticsViewError, match="unknown index"):
        views.index_series(ctx, "no_such_index", "450000")
    with pytest.raises(views.AnalyticsViewError):
        views.fan_chart(ctx, "999999")


def test_ranking_history_ranks_the_cities_per_period(ctx):
    ranking = views.ranking_history(ctx, "city_development")
    assert ranking["period"].nunique() == views.RANKING_PERIODS
    for _, g in ranking.groupby("period"):
        assert sorted(g["rank"]) == list(range(1, len(g) + 1))
        assert g.sort_values("rank")["value"].is_monotonic_decreasing
    derived = views.ranking_history(ctx, "transport")  # no stored rank: ranked by value
    if len(derived):
        top = derived[derived["rank"] == 1]
        assert (top["value"].to_numpy() >= derived.groupby("period")["value"].max().loc[top["period"]].to_numpy()).all()


def test_a_viewer_sees_only_their_regions(ctx):
    limited = dataclasses.replace(ctx, viewer=Viewer(user="liuzhou", regions=frozenset({"450200"})))
    assert [r["adcode"] for r in views.region_choices(limited)] == ["450200"]
    with pytest.raises(views.AnalyticsViewError, match="not permitted"):
        views.signal_matrix(limited, "450000")
    assert set(views.ranking_history(limited, "city_development")["region"]) <= {"450200"}
