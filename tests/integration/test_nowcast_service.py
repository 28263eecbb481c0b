"""The nowcast service on the demo database (session fixture ``demo_ctx``): the JSON contract, the
ragged edge (as-of excludes what was not yet released) and a short back-test."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from services import nowcast as svc

AS_OF = "2026-11-20"  # the demo's last release day


@pytest.fixture(scope="module")
def dfm_nowcast(demo_ctx):
    return svc.nowcast(demo_ctx, region="450000", as_of=AS_OF, model="dfm")


def test_nowcast_json_shape(dfm_nowcast):
    out = dfm_nowcast
    json.dumps(out, allow_nan=False)
    assert set(out) == {"region", "target", "period", "as_of", "point", "interval", "model", "news"}
    assert (out["region"], out["target"], out["model"], out["as_of"]) == ("450000", "gdp_q_growth", "dfm", AS_OF)
    assert out["period"] == "2026Q4"  # 2026Q3 was published on 2026-10-25
    assert set(out["interval"]) == {"lower", "upper", "level"}
    assert out["interval"]["lower"] < out["point"] < out["interval"]["upper"]
    assert -5 < out["point"] < 15
    assert out["news"], "a month of releases must move the nowcast"
    for item in out["news"]:
        assert set(item) == {"indicator", "region", "period", "impact"}
        assert item["region"] == "450000"
    # since 2026-10-20: October's monthly data and the 2026Q3 GDP release
    named = {(n["indicator"], n["period"]) for n in out["news"]}
    assert ("gdp_q_growth", "2026Q3") in named
    assert ("industrial_va_growth", "2026-10") in named


def test_news_adds_up_to_the_change_since_a_month_earlier(demo_ctx, dfm_nowcast):
    """Re-run the decomposition by hand: the impacts equal the change of the nowcast under today's
    parameters (Bańbura et al. 2013)."""
    day = dt.date.fromisoformat(AS_OF)
    period = pd.Period(dfm_nowcast["period"], "Q")
    now = svc.build_panel(demo_ctx, "450000", day)
    earlier = svc.build_panel(demo_ctx, "450000", svc._month_earlier(day))
    results = svc.make_model("dfm", now.blocks).fit(now.monthly, now.target, period)
    news = results.news(earlier.monthly, earlier.target)
    assert results.point == pytest.approx(dfm_nowcast["point"], abs=1e-9)
    assert sum(n["impact"] for n in dfm_nowcast["news"]) == pytest.approx(news.revision, abs=1e-6)


def test_as_of_excludes_unreleased_data(demo_ctx):
    day = dt.date(2024, 5, 10)
    panel = svc.build_panel(demo_ctx, "450000", day)
    # industrial value added for April is released on May 17: not known on May 10
    assert panel.monthly["industrial_va_growth"].last_valid_index() == pd.Period("2024-03", "M")
    assert panel.monthly.index.max() <= pd.Period("2024-04", "M")
    assert panel.target.index.max() == pd.Period("2024Q1", "Q")
    for code in panel.monthly.columns:
        ind = demo_ctx.catalog[code]
        last = panel.monthly[code].last_valid_index()
        label = panel.labels[code][last]
        assert svc.release_date(ind, label) <= day, code
    out = svc.nowcast(demo_ctx, region="450000", as_of=day, model="ar1")
    assert out["period"] == "2024Q2" and out["news"] == []


def test_city_and_benchmarks(demo_ctx):
    out = svc.nowcast(demo_ctx, region="450200", as_of=AS_OF, model="bridge")
    assert out["region"] == "450200" and out["period"] == "2026Q4"
    both = svc.nowcast(demo_ctx, region="450200", as_of=AS_OF, model="combination")
    assert both["model"] == "combination" and both["news"] == []
    assert both["interval"]["lower"] < both["point"] < both["interval"]["upper"]
    with pytest.raises(svc.NowcastRequestError, match="/"):
        svc.nowcast(demo_ctx, region="450000", as_of=AS_OF, model="lstm")
    with pytest.raises(svc.NowcastRequestError, match="/"):
        svc.nowcast(demo_ctx, region="450000", as_of="20/11/2026")


def test_backtest_shape(demo_ctx):
    out = svc.backtest(demo_ctx, "450000", "gdp_q_growth", "2024Q1", "2024Q4", models=("bridge", "ar1", "last_value"))
    json.dumps(out, allow_nan=False)
    assert {"region", "target", "start", "end", "models", "relative_rmse_vs_ar1", "quarters"} <= set(out)
    assert (out["start"], out["end"]) == ("2024Q1", "2024Q4")
    rows = {m["model"]: m for m in out["models"]}
    assert set(rows) == {"bridge", "ar1", "last_value"}
    for row in rows.values():
        assert {"model", "rmse", "mae", "n", "rmse_calm", "rmse_turbulent"} <= set(row)
        assert row["n"] == 4
    assert out["relative_rmse_vs_ar1"]["ar1"]["all"] == pytest.approx(1.0)
    assert len(out["quarters"]) == 12
    # each quarter is nowcast the day before its release, with the release itself not yet known
    first = next(q for q in out["quarters"] if q["model"] == "last_value" and q["period"] == "2024Q1")
    assert first["as_of"] == "2024-04-24" and first["point"] == pytest.approx(first["previous"])
