"""Seasonal adjustment with festival effects (models/seasonal.py) on generated series."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from models.base import ModelError
from models.holidays import holiday_regressors
from models.seasonal import SeasonalAdjustment, qs_statistic

COLUMNS = ["period", "observed", "seasonally_adjusted", "trend", "seasonal", "irregular"]


def generated(start="2012-01", end="2024-12", cny_effect=-0.25, seed=7) -> tuple[pd.Series, pd.Series]:
    """A monthly flow: trend × stable seasonal × exp(cny_effect · CNY regressor) × noise."""
    index = pd.period_range(start, end, freq="M")
    rng = np.random.default_rng(seed)
    cny = holiday_regressors(index, ("cny",))["cny"]
    month_effect = np.array([0.05, -0.02, 0.0, 0.02, 0.03, 0.04, 0.06, 0.05, 0.0, -0.03, -0.05, -0.15])
    log_y = (np.log(500) + 0.005 * np.arange(len(index)) + month_effect[index.month - 1]
             + cny_effect * cny.to_numpy() + rng.normal(0, 0.01, len(index)))
    return pd.Series(np.exp(log_y), index=index, name="flow"), cny


@pytest.fixture(scope="module")
def flow():
    return generated()


@pytest.fixture(scope="module")
def x13_fit(flow):
    return SeasonalAdjustment().fit(flow[0])


def festival_correlation(series: pd.Series, trend: pd.Series, cny: pd.Series) -> float:
    """Correlation of the festival regressor with the log series less its trend."""
    detrended = np.log(series) - np.log(trend)
    pair = pd.concat([cny, detrended], axis=1).dropna()
    return float(pair.iloc[:, 0].corr(pair.iloc[:, 1]))


# ------------------------------------------------------------------ acceptance: the festival is removed


def test_x13_removes_the_cny_effect(flow, x13_fit):
    y, cny = flow
    res = x13_fit
    assert res.method == "x13" and res.fallback_reason is None
    frame = res.to_frame()
    assert list(frame.columns) == COLUMNS
    assert frame["period"].iloc[0] == "2012-01"
    sa = res.components["seasonally_adjusted"]
    trend = res.components["trend"]
    # before adjustment the festival shows in the detrended series; after it, |corr| < 0.1
    assert abs(festival_correlation(y, trend, cny)) > 0.3
    assert abs(festival_correlation(sa, trend, cny)) < 0.1
    # month-on-month changes of the adjusted series are not driven by the festival either
    assert abs(np.log(sa).diff().corr(cny.diff())) < 0.1
    diag = res.summary()["diagnostics"]
    # against the series less trend and seasonal only (X-13 D10) the festival is plain to see
    assert abs(diag["holiday_correlation"]["cny"]["before_adjustment"]) > 0.8
    assert abs(diag["holiday_correlation"]["cny"]["after_adjustment"]) < 0.1
    # the known effect is recovered, and significant
    assert diag["holiday"]["cny"]["coefficient"] == pytest.approx(-0.25, abs=0.03)
    assert diag["holiday"]["cny"]["t_statistic"] < -10


def test_x13_spec_declares_holiday_regressor_past_the_horizon(flow, x13_fit):
    spec = x13_fit.x13_spec
    assert "usertype=(holiday)" in spec and "user=(cny)" in spec
    regression = spec[spec.index("regression{"):]
    data = regression[regression.index("data=(") + 6: regression.index(")", regression.index("data=("))]
    assert len(data.split()) == len(flow[0]) + 12  # observations + forecast_horizon
    assert x13_fit.summary()["options"]["forecast_horizon"] == 12


def test_x13_summary_carries_diagnostics(x13_fit):
    summary = x13_fit.summary()
    json.dumps(summary, allow_nan=False)
    d = summary["diagnostics"]
    assert summary["method"] == "x13" and summary["fallback_reason"] is None
    assert summary["mode"] == "multiplicative"
    assert d["arima_model"].startswith("(")
    for key in ("m7", "q", "q2"):
        assert 0 <= d[key] < 1  # a clean generated series: all below the 1.0 acceptance bound
    for series in ("original", "seasonally_adjusted", "irregular", "residuals"):
        assert d["qs"][series]["p_value"] is not None
    assert d["qs"]["seasonally_adjusted"]["p_value"] > 0.05  # no residual seasonality
    assert d["f_residual_seasonality_sa"]["p_value"] > 0.01
    assert d["f_stable_seasonality_d8"]["statistic"] > 7
    assert d["identifiable_seasonality"] == "yes"


def test_components_are_consistent(x13_fit):
    c = x13_fit.components
    np.testing.assert_allclose(c["observed"] / c["seasonal"], c["seasonally_adjusted"], rtol=1e-9)
    np.testing.assert_allclose(c["trend"] * c["irregular"], c["seasonally_adjusted"], rtol=1e-9)


def test_stl_also_removes_the_cny_effect(flow):
    y, cny = flow
    res = SeasonalAdjustment(method="stl").fit(y)
    assert res.method == "stl" and res.fallback_reason is None
    c = res.components
    assert abs(festival_correlation(c["seasonally_adjusted"], c["trend"], cny)) < 0.1
    d = res.summary()["diagnostics"]
    assert d["holiday"]["cny"]["coefficient"] == pytest.approx(-0.25, abs=0.03)
    assert d["qs"]["seasonally_adjusted"]["p_value"] > 0.05
    json.dumps(res.summary(), allow_nan=False)


# ------------------------------------------------------------------ fallback


def test_too_short_series_falls_back_to_stl_and_says_why(flow):
    short = flow[0].iloc[:30]  # X-11 needs three complete years
    res = SeasonalAdjustment().fit(short)
    assert res.method == "stl"
    assert "3 complete years" in res.fallback_reason
    assert res.summary()["fallback_reason"] == res.fallback_reason
    assert res.to_frame()["seasonally_adjusted"].notna().all()


def test_invalid_spec_falls_back_but_x13_only_raises(flow):
    bad = SeasonalAdjustment(arima_model="(0 1 1)(0 1 1")  # unbalanced bracket: X-13 rejects the spec
    res = bad.fit(flow[0])
    assert res.method == "stl" and "X-13 error" in res.fallback_reason
    with pytest.raises(ModelError, match="X-13 seasonal adjustment failed"):
        SeasonalAdjustment(method="x13", arima_model="(0 1 1)(0 1 1").fit(flow[0])


# ------------------------------------------------------------------ January–February combined releases


def combined(y: pd.Series, rule: str) -> pd.Series:
    out = y.copy()
    for year in range(2016, 2025):  # combined releases from 2016 on, as NBS does for output
        jan, feb = pd.Period(f"{year}-01", "M"), pd.Period(f"{year}-02", "M")
        out[feb] = y[jan] + y[feb] if rule == "sum" else (y[jan] + y[feb]) / 2
        out[jan] = np.nan
    return out


@pytest.mark.parametrize("method", ["auto", "stl"])
def test_jan_feb_combined_flow_is_split_and_adjusted(flow, x13_fit, method):
    y, _ = flow
    published = combined(y, "sum")
    res = SeasonalAdjustment(method=method).fit(published, jan_feb_combined=True)
    assert res.method == ("x13" if method == "auto" else "stl")
    c = res.components
    assert res.summary()["jan_feb_combined"]["periods"] == [f"{y}-01/02" for y in range(2016, 2025)]
    for year in range(2016, 2025):
        jan, feb = f"{year}-01", f"{year}-02"
        # the split adds up to the published total exactly ...
        assert c.loc[jan, "observed"] + c.loc[feb, "observed"] == pytest.approx(published[feb], rel=1e-12)
        # ... and lands near the true months (the festival moves weight between them)
        assert c.loc[jan, "observed"] == pytest.approx(y[jan], rel=0.05)
        # both months are reported, adjusted with the combined factors
        assert np.isfinite(c.loc[jan, "seasonally_adjusted"]) and np.isfinite(c.loc[feb, "seasonally_adjusted"])
    # the adjusted January and February are close to the adjustment with all months known
    full = x13_fit.components["seasonally_adjusted"]
    months = [f"{y}-{m:02d}" for y in range(2016, 2025) for m in (1, 2)]
    assert (c.loc[months, "seasonally_adjusted"] / full[months] - 1).abs().max() < 0.05
    json.dumps(res.summary(), allow_nan=False)


def test_jan_feb_combined_rate_keeps_the_published_mean(flow):
    y, _ = flow
    published = combined(y, "mean")
    res = SeasonalAdjustment().fit(published, jan_feb_combined=True, combined_value="mean")
    c = res.components
    for year in range(2016, 2025):
        mean = (c.loc[f"{year}-01", "observed"] + c.loc[f"{year}-02", "observed"]) / 2
        assert mean == pytest.approx(published[f"{year}-02"], rel=1e-12)
    assert "additive shift" in res.summary()["jan_feb_combined"]["rule"]


def test_without_the_flag_january_stays_missing(flow):
    published = combined(flow[0], "sum")
    res = SeasonalAdjustment().fit(published)
    c = res.components
    assert np.isnan(c.loc["2020-01", "observed"]) and np.isnan(c.loc["2020-01", "seasonally_adjusted"])
    assert np.isfinite(c.loc["2020-01", "trend"])
    assert res.summary()["jan_feb_combined"]["periods"] == []


# ------------------------------------------------------------------ inputs and other frequencies


def test_quarterly_series_drops_the_constant_cny_regressor(flow):
    y = flow[0]
    quarterly = y.groupby(y.index.asfreq("Q")).sum()
    quarterly.index = pd.PeriodIndex(quarterly.index, freq="Q")
    res = SeasonalAdjustment(holidays=("cny", "mid_autumn")).fit(quarterly)
    assert res.method == "x13"
    summary = res.summary()
    assert summary["options"]["holidays_dropped"] == ["cny"]
    assert res.to_frame()["period"].iloc[0] == "2012Q1"
    assert "mid_autumn" in summary["diagnostics"]["holiday"]


def test_leading_gaps_and_input_not_modified(flow):
    y = flow[0].copy()
    y.iloc[:5] = np.nan
    before = y.copy()
    res = SeasonalAdjustment().fit(y)
    pd.testing.assert_series_equal(y, before)
    frame = res.to_frame()
    assert len(frame) == len(y) and frame["seasonally_adjusted"].iloc[:5].isna().all()
    assert frame["seasonally_adjusted"].iloc[5:].notna().all()


def test_bad_inputs():
    with pytest.raises(ModelError, match="unknown method"):
        SeasonalAdjustment(method="seats")
    with pytest.raises(ModelError, match="unknown festivals"):
        SeasonalAdjustment(holidays=("easter",))
    index = pd.period_range("2020-01", "2020-12", freq="M")
    with pytest.raises(ModelError, match="two years"):
        SeasonalAdjustment().fit(pd.Series(np.arange(1.0, 13.0), index=index))
    q = pd.Series(np.arange(1.0, 41.0), index=pd.period_range("2010Q1", periods=40, freq="Q"))
    with pytest.raises(ModelError, match="monthly series only"):
        SeasonalAdjustment().fit(q, jan_feb_combined=True)


def test_qs_statistic_detects_seasonality():
    index = pd.period_range("2010-01", periods=120, freq="M")
    rng = np.random.default_rng(1)
    seasonal = pd.Series(np.sin(2 * np.pi * index.month / 12) + rng.normal(0, 0.1, 120), index=index)
    noise = pd.Series(rng.normal(0, 1, 120), index=index)
    assert qs_statistic(seasonal, 12)["p_value"] < 0.01
    assert qs_statistic(noise, 12, difference=False)["p_value"] > 0.01
