"""TargetProgress: hand-computed progress, required growth and probability; demo targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from data.demo_targets import demo_targets
from indicators.registry import default_catalog
from indicators.regions import CITY_CODES, GUANGXI
from models.base import ModelError
from models.forecast import AutoForecast
from models.targets import COLUMNS, TargetProgress

GDP = pd.Series([100.0, 110.0, 115.0, 125.0, 105.0, 116.0, 121.0],
                index=pd.period_range("2025Q1", "2026Q3", freq="Q"))
KEY = ("gdp_ytd_growth", "450000")


def gdp_target(**extra) -> pd.DataFrame:
    return pd.DataFrame([{"indicator": KEY[0], "region": KEY[1], "year": 2026, "target": 5.5, "basis": "growth",
                          **extra}])


def one_row(targets, actuals, forecasts=None) -> dict:
    return TargetProgress().fit(targets, actuals, forecasts).to_frame().iloc[0].to_dict()


def test_growth_target_by_hand():
    row = one_row(gdp_target(), {KEY: GDP})
    # YTD: 105 + 116 + 121 = 342 against 100 + 110 + 115 = 325 last year
    assert row["ytd_value"] == 342 and row["ytd_last_year"] == 325
    assert row["ytd_growth"] == pytest.approx((342 / 325 - 1) * 100)
    assert row["gap_to_target"] == pytest.approx((342 / 325 - 1) * 100 - 5.5)
    # the year needs 1.055 × 450 = 474.75, so Q4 must bring 132.75 against 125 last year: +6.2 %
    assert row["required_remaining_value"] == pytest.approx(132.75)
    assert row["required_remaining_growth"] == pytest.approx(6.2)
    assert row["share_reached"] == pytest.approx(342 / 474.75)
    assert row["as_of"] == "2026Q3" and row["periods_elapsed"] == 3 and row["periods_remaining"] == 1
    assert np.isnan(row["prob_meeting"])  # no forecast given


def test_required_growth_equals_share_weighted_identity():
    row = one_row(gdp_target(), {KEY: GDP})
    s = 325 / 450  # last year's YTD share of the annual total
    lhs = s * (1 + row["ytd_growth"] / 100) + (1 - s) * (1 + row["required_remaining_growth"] / 100)
    assert lhs == pytest.approx(1.055)


def test_probability_from_given_paths():
    paths = pd.DataFrame({"2026Q4": np.linspace(125.0, 140.0, 61)})  # 125, 125.25, …, 140
    row = one_row(gdp_target(), {KEY: GDP}, {KEY: paths})
    assert row["prob_meeting"] == pytest.approx(30 / 61)  # draws ≥ 132.75: 133.0 … 140.0


def test_probability_matches_normal_distribution():
    rng = np.random.default_rng(0)
    paths = pd.DataFrame({"2026Q4": rng.normal(130.0, 5.0, 40_000)})
    row = one_row(gdp_target(), {KEY: GDP}, {KEY: paths})
    assert row["prob_meeting"] == pytest.approx(1 - norm.cdf((132.75 - 130.0) / 5.0), abs=0.01)
    assert row["forecast_full_year"] == pytest.approx((342 + 130) / 450 * 100 - 100, abs=0.05)


def test_probability_from_forecast_results():
    quarters = pd.period_range("2015Q1", "2026Q3", freq="Q")
    t = np.arange(len(quarters))
    series = pd.Series(100 * np.exp(0.013 * t) * np.array([0.9, 1.0, 1.02, 1.08])[t % 4], index=quarters)
    series *= np.exp(np.random.default_rng(2).normal(0, 0.01, len(t)))
    forecast = AutoForecast(time_budget_s=None, families=("ets",), n_origins=1).fit(series, horizon=4)
    targets = gdp_target()
    row = TargetProgress(n_paths=500).fit(targets, {KEY: series}, {KEY: forecast}).to_frame().iloc[0]
    assert 0.0 <= row["prob_meeting"] <= 1.0
    assert row["forecast_lower_80"] <= row["forecast_full_year"] <= row["forecast_upper_80"]


def test_level_sum_target_from_long_frame():
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    values = [3.0] * 12 + [3.2] * 10 + [np.nan, np.nan]
    actuals = pd.DataFrame({"indicator": "urban_new_jobs", "region": "450000", "period": months, "value": values})
    targets = pd.DataFrame([{"indicator": "urban_new_jobs", "region": "450000", "year": 2026, "target": 38.0,
                             "basis": "level"}])
    paths = pd.DataFrame({"2026-11": [2.0, 3.0, 3.5], "2026-12": [2.0, 3.0, 3.5]})
    row = one_row(targets, actuals, {("urban_new_jobs", "450000"): paths})
    assert row["ytd_value"] == pytest.approx(32.0)
    assert row["share_reached"] == pytest.approx(32.0 / 38.0)
    assert row["required_remaining_value"] == pytest.approx(6.0)
    assert row["required_remaining_growth"] == pytest.approx((6.0 / 6.0 - 1) * 100)
    assert row["prob_meeting"] == pytest.approx(2 / 3)  # totals 36, 38, 39


def test_mean_ceiling_target():
    months = pd.period_range("2025-01", "2026-09", freq="M")
    values = [5.0] * 12 + [5.6] * 9
    series = pd.Series(values, index=months)
    targets = pd.DataFrame([{"indicator": "surveyed_unemployment", "region": "450000", "year": 2026, "target": 5.5,
                             "basis": "level", "direction": "at_most", "aggregation": "mean"}])
    # nine months at 5.6: the last three must average (5.5·12 − 50.4) / 3 = 5.2
    paths = pd.DataFrame({"2026-10": [5.1, 5.3], "2026-11": [5.1, 5.3], "2026-12": [5.1, 5.3]})
    row = one_row(targets, {("surveyed_unemployment", "450000"): series}, {("surveyed_unemployment", "450000"): paths})
    assert row["ytd_value"] == pytest.approx(5.6)
    assert row["gap_to_target"] == pytest.approx(0.1)
    assert row["required_remaining_value"] == pytest.approx(5.2)
    assert row["prob_meeting"] == pytest.approx(0.5)  # annual means 5.475 (met) and 5.525 (missed)


def test_january_february_combined_is_left_out_of_both_years():
    months = pd.period_range("2025-01", "2026-03", freq="M")
    values = pd.Series(10.0, index=months)
    values[values.index.month == 1] = np.nan
    values[values.index.month == 2] = 20.0  # the combined 1–2月 value
    targets = pd.DataFrame([{"indicator": "x", "region": "r", "year": 2026, "target": 10.0, "basis": "growth"}])
    row = one_row(targets, {("x", "r"): values})
    assert row["periods_elapsed"] == 2 and row["periods_remaining"] == 9
    assert row["ytd_growth"] == pytest.approx(0.0)
    # last year: 20 + 10·10 = 120, so 132 is needed; 30 is in, 102 must come against 90 last year
    assert row["required_remaining_value"] == pytest.approx(132 - 30)
    assert row["required_remaining_growth"] == pytest.approx((102 / 90 - 1) * 100)


def test_completed_year_is_known():
    quarters = pd.period_range("2025Q1", "2026Q4", freq="Q")
    series = pd.Series([100.0, 100, 100, 100, 106, 106, 106, 106], index=quarters)
    row = one_row(gdp_target(), {KEY: series})
    assert row["periods_remaining"] == 0 and row["prob_meeting"] == 1.0
    assert row["forecast_full_year"] == pytest.approx(6.0)


def test_forecast_not_covering_the_year_gives_no_probability():
    paths = pd.DataFrame({"2027Q1": [1.0, 2.0]})
    row = one_row(gdp_target(), {KEY: GDP}, {KEY: paths})
    assert np.isnan(row["prob_meeting"]) and "lacks 2026Q4" in row["note"]


def test_missing_actuals_and_bad_input():
    results = TargetProgress().fit(gdp_target(), {})
    assert list(results.to_frame().columns) == COLUMNS
    assert results.to_frame().iloc[0]["note"] == "no actuals"
    with pytest.raises(ModelError):
        TargetProgress().fit(gdp_target(basis="share"), {KEY: GDP})
    with pytest.raises(ModelError):
        TargetProgress().fit(pd.DataFrame({"indicator": ["x"]}), {})


def test_demo_targets_are_plausible_and_use_catalog_codes():
    frame = demo_targets()
    assert {"indicator", "region", "year", "target", "basis", "note"} <= set(frame.columns)
    assert set(frame["region"]) == {GUANGXI, *CITY_CODES}
    assert set(frame["year"]) == {2024, 2025, 2026}
    assert frame["note"].str.contains("demo").all()
    catalog = default_catalog()
    for code, rows in frame.groupby("indicator"):
        assert code in catalog, code
        assert "city" in catalog[code].region_levels and "province" in catalog[code].region_levels
    gx = frame[(frame["region"] == GUANGXI) & (frame["indicator"] == "gdp_ytd_growth")]
    assert gx["target"].between(5.0, 5.5).all()
    assert frame.loc[frame["indicator"] == "surveyed_unemployment", "target"].max() <= 5.5
    # the targets feed the model as they are
    TargetProgress().fit(frame, {})
