"""AutoForecast: intervals, seasonality, MASE back-test, time budget, forecast distribution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.base import ModelError
from models.forecast import AutoForecast, candidate_grid, scaled_errors, seasonal_naive


def seasonal_monthly(n_years: int = 10, noise: float = 0.01, seed: int = 1) -> pd.Series:
    """Trend × a clean monthly pattern × small noise: what a seasonal model should nail."""
    months = pd.period_range("2016-01", periods=12 * n_years, freq="M")
    t = np.arange(len(months))
    rng = np.random.default_rng(seed)
    values = 100 * np.exp(0.004 * t) * (1 + 0.15 * np.sin(2 * np.pi * t / 12)) * np.exp(rng.normal(0, noise, len(t)))
    return pd.Series(values, index=months)


@pytest.fixture(scope="module")
def seasonal_fit():
    return AutoForecast(time_budget_s=4.0, max_order=1).fit(seasonal_monthly(), horizon=12)


def test_frame_columns_and_labels(seasonal_fit):
    frame = seasonal_fit.to_frame()
    assert list(frame.columns) == ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]
    assert frame["period"].tolist()[:2] == ["2026-01", "2026-02"]
    assert len(frame) == 12


def test_intervals_nested(seasonal_fit):
    f = seasonal_fit.to_frame()
    assert (f["lower_95"] < f["lower_80"]).all() and (f["lower_80"] < f["mean"]).all()
    assert (f["mean"] < f["upper_80"]).all() and (f["upper_80"] < f["upper_95"]).all()


def test_intervals_widen_with_horizon(seasonal_fit):
    # on the log scale the spread grows with the horizon; in levels it also follows the seasonal level
    scale = seasonal_fit.forecast_distribution()["scale"].to_numpy()
    assert np.all(np.diff(scale) >= -1e-12)
    f = seasonal_fit.to_frame()
    relative = (f["upper_95"] / f["lower_95"]).to_numpy()
    assert np.all(np.diff(relative) >= -1e-12)


def test_intervals_widen_in_levels_without_transform():
    quarters = pd.period_range("2010Q1", periods=48, freq="Q")
    rng = np.random.default_rng(5)
    series = pd.Series(50 + np.cumsum(rng.normal(0.5, 1.0, len(quarters))), index=quarters)
    f = AutoForecast(time_budget_s=None, transform="none", max_order=1).fit(series, horizon=8).to_frame()
    width = (f["upper_95"] - f["lower_95"]).to_numpy()
    assert np.all(np.diff(width) >= -1e-9)
    assert f["period"].iloc[0] == "2022Q1"


def test_seasonal_series_gets_seasonal_model(seasonal_fit):
    s = seasonal_fit.summary()
    assert s["seasonal"] is True and s["seasonal_strength"] > 0.64
    assert s["specification"].endswith(",A)") or s["specification"].startswith("SARIMA")


def test_non_seasonal_series_gets_non_seasonal_model():
    months = pd.period_range("2015-01", periods=96, freq="M")
    rng = np.random.default_rng(11)
    walk = pd.Series(100 + np.cumsum(rng.normal(0, 1, len(months))), index=months)
    s = AutoForecast(time_budget_s=None, max_order=1, n_origins=2).fit(walk, horizon=6).summary()
    assert s["seasonal"] is False
    assert "[12]" not in s["specification"] and not s["specification"].endswith(",A)")


def test_mase_computed_and_beats_seasonal_naive(seasonal_fit):
    s = seasonal_fit.summary()
    assert s["mase_horizon"] == 12 and s["n_origins"] >= 1
    assert s["mase"] is not None and 0 < s["mase"] < 1
    assert s["mase"] < s["mase_seasonal_naive"]


def test_mase_scaling_by_hand():
    history = np.array([1.0, 2, 3, 4, 2, 3, 4, 5])  # seasonal naive (m=4) errors are all 1
    errors = scaled_errors(history, np.array([3.0, 4.0]), np.array([2.0, 4.0]), period=4)
    assert errors.tolist() == [1.0, 0.0]
    assert seasonal_naive(history, 6, 4).tolist() == [2, 3, 4, 5, 2, 3]


def test_time_budget_honoured():
    series = seasonal_monthly()
    s = AutoForecast(time_budget_s=0.2).fit(series, horizon=12).summary()
    assert s["budget_exhausted"] is True
    assert s["candidates_tried"] < s["candidates_total"]
    assert any("time budget" in note for note in s["notes"])
    # checked between fits: it may overrun by a fit or two and the one-origin back-test, not more
    assert s["elapsed_s"] < 6.0
    assert s["mase"] is not None  # one back-test origin is always kept


def test_grid_is_small_and_ordered():
    grid = candidate_grid(12, True, 1, 1, ("ets", "sarima"), max_order=2)
    assert grid[0].label == "ETS(A,N,A)"
    sarima = [c for c in grid if c.family == "sarima"]
    assert sarima[0].label == "SARIMA(0,1,1)(0,1,1)[12]"
    assert len(grid) <= 30


def test_sample_paths_repeatable_and_consistent(seasonal_fit):
    a = seasonal_fit.sample_paths(n_paths=2000, seed=3)
    b = seasonal_fit.sample_paths(n_paths=2000, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert a.shape == (2000, 12) and a.columns[0] == "2026-01"
    mean = seasonal_fit.to_frame()["mean"].to_numpy()
    assert np.allclose(a.mean().to_numpy(), mean, rtol=0.02)
    dist = seasonal_fit.forecast_distribution()
    assert {"period", "loc", "scale", "mean", "sd"} <= set(dist.columns)


def test_gaps_are_handled_by_arima():
    series = seasonal_monthly(n_years=6)
    series[series.index.month == 1] = np.nan  # January under 1–2月合并
    r = AutoForecast(time_budget_s=None, max_order=1, n_origins=1).fit(series, horizon=3)
    assert r.method == "sarima"
    assert any("gaps" in note for note in r.summary()["notes"])


def test_input_errors():
    with pytest.raises(ModelError):
        AutoForecast().fit(pd.Series([1.0] * 20))
    months = pd.period_range("2020-01", periods=30, freq="M")
    with pytest.raises(ModelError):
        AutoForecast(transform="log").fit(pd.Series(np.linspace(-1, 1, 30), index=months))
