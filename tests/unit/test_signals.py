"""Signal lights on known data: quantile thresholds, polarity, fixed override, the composite."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from models.base import ModelError
from models.signals import (COMPOSITE_CUTS, ZONES, CompositeSignal, SignalLights, zone_of)


def monthly(values, start="2020-01"):
    return pd.Series(values, index=pd.period_range(start, periods=len(values), freq="M"), dtype=float)


def test_quantile_thresholds_are_the_empirical_quantiles():
    s = monthly(np.arange(1, 101))  # 1..100: type-7 quantiles are 10.9, 25.75, 75.25, 90.1
    res = SignalLights().fit(s)
    assert res.method == "quantile"
    assert res.thresholds == pytest.approx((10.9, 25.75, 75.25, 90.1))
    frame = res.to_frame()
    assert list(frame.columns) == ["period", "value", "zone", "zone_key", "score"]
    assert frame["period"].iloc[0] == "2020-01"
    counts = frame["zone"].value_counts().sort_index().to_dict()
    assert counts == {1: 10, 2: 15, 3: 50, 4: 15, 5: 10}
    assert (frame["score"] == frame["zone"]).all()
    json.dumps(res.summary(), allow_nan=False)


def test_boundary_values_fall_in_the_zone_nearer_normal():
    z = zone_of([0.99, 1.0, 2.0, 3.0, 3.01, 4.0, 4.01], [1.0, 2.0, 3.0, 4.0])
    assert z.tolist() == [1, 2, 3, 3, 4, 4, 5]


def test_fixed_thresholds_override_calibration():
    s = monthly(np.linspace(-5, 15, 40))
    res = SignalLights().fit(s, thresholds=[0.0, 4.0, 9.0, 12.0], quantiles=[0.2, 0.3, 0.7, 0.8])
    assert res.method == "fixed" and res.thresholds == (0.0, 4.0, 9.0, 12.0)
    assert res.summary()["calibration"] is None
    frame = res.to_frame().set_index("period")
    assert frame.loc["2020-01", "zone_key"] == "cold" and frame.loc[str(s.index[-1]), "zone_key"] == "overheated"


def test_lower_better_inverts_the_direction_of_heat():
    # surveyed unemployment, catalog thresholds [4.5, 4.8, 5.5, 6.0]: 6.3 % is 过冷, 4.2 % is 过热
    s = monthly([6.3, 5.8, 5.0, 4.6, 4.2])
    res = SignalLights().fit(s, thresholds=[4.5, 4.8, 5.5, 6.0], polarity="lower_better")
    assert res.to_frame()["zone"].tolist() == [1, 2, 3, 4, 5]
    # a band indicator (CPI) reads like higher_better: high inflation is hot
    cpi = SignalLights().fit(monthly([99.0, 104.5]), thresholds=[100, 101, 103, 104], polarity="band")
    assert cpi.to_frame()["zone_key"].tolist() == ["cold", "overheated"]


def test_quantile_calibration_window_and_polarity():
    s = monthly(np.arange(1, 61))
    res = SignalLights().fit(s, polarity="lower_better", calibration=("2020-01", "2021-12"))
    assert res.summary()["calibration"] == {"start": "2020-01", "end": "2021-12", "n": 24}
    assert res.thresholds[-1] < 24  # calibrated on the first two years only
    assert res.to_frame()["zone"].iloc[-1] == 1  # far above the upper threshold, lower is better


def test_missing_values_get_no_light_and_errors_are_bilingual():
    s = monthly([1.0, np.nan, 3.0, 4.0])
    res = SignalLights().fit(s, thresholds=[0, 1, 2, 3])
    assert res.to_frame()["period"].tolist() == ["2020-01", "2020-03", "2020-04"]
    with pytest.raises(ModelError, match="ascending"):
        SignalLights().fit(s, thresholds=[3, 2, 1, 0])
    with pytest.raises(ModelError, match="至少需要"):
        SignalLights().fit(s)  # too short to calibrate
    with pytest.raises(ModelError, match="polarity"):
        SignalLights().fit(s, thresholds=[0, 1, 2, 3], polarity="up")


def test_catalog_warning_block_to_kwargs():
    from indicators.registry import Warning_

    assert SignalLights.kwargs_from_catalog(Warning_(method="none")) is None
    fixed = SignalLights.kwargs_from_catalog(Warning_(method="fixed", thresholds=[4.5, 4.8, 5.5, 6.0]),
                                             "lower_better")
    assert fixed == {"thresholds": [4.5, 4.8, 5.5, 6.0], "polarity": "lower_better"}
    assert SignalLights.kwargs_from_catalog(Warning_())["quantiles"] == [0.10, 0.25, 0.75, 0.90]


def test_composite_score_zone_and_weights():
    idx = pd.period_range("2024-01", periods=4, freq="M")
    zones = pd.DataFrame({"a": [3, 5, 1, 4], "b": [3, 5, 1, 2], "c": [3, 4, np.nan, np.nan]}, index=idx)
    res = CompositeSignal().fit(zones, min_indicators=1)
    f = res.to_frame()
    assert {"period", "score", "zone", "zone_key", "n_indicators"} <= set(f.columns)
    # all green → 50, normal; (5+5+4)/3 → 4.667 → 91.7, overheated; all blue → 0, cold
    assert f["score"].tolist()[:3] == pytest.approx([50.0, 100 * (14 / 3 - 1) / 4, 0.0])
    assert f["zone_key"].tolist() == ["normal", "overheated", "cold", "normal"]
    assert f["n_indicators"].tolist() == [3, 3, 2, 2]
    assert f["sum10"].iloc[0] == pytest.approx(30.0) and f["nbs_index"].iloc[0] == pytest.approx(100.0)
    weighted = CompositeSignal().fit(zones, weights={"a": 3.0, "b": 1.0, "c": 0.0}, min_indicators=1).to_frame()
    assert weighted["score"].iloc[3] == pytest.approx(100 * ((3 * 4 + 2) / 4 - 1) / 4)  # 3.5 → 62.5, hot
    assert weighted["zone_key"].iloc[3] == "hot"


def test_composite_cut_points_match_published_readings():
    # CEInet October 2021: 7 blue, 1 light blue, 1 green, 1 red → 17 of 50, "blue zone"
    idx = pd.period_range("2021-10", periods=1, freq="M")
    zones = pd.DataFrame([[1] * 7 + [2, 3, 5]], index=idx, columns=[f"i{j}" for j in range(10)])
    f = CompositeSignal().fit(zones).to_frame()
    assert f["sum10"].iloc[0] == pytest.approx(17.0) and f["zone_key"].iloc[0] == "cold"
    assert COMPOSITE_CUTS == (20.0, 40.0, 60.0, 80.0)


def test_composite_rejects_bad_zones_and_thin_months():
    idx = pd.period_range("2024-01", periods=2, freq="M")
    with pytest.raises(ModelError, match="1–5"):
        CompositeSignal().fit(pd.DataFrame({"a": [3, 7]}, index=idx))
    zones = pd.DataFrame({"a": [3, 3], "b": [3, np.nan], "c": [3, np.nan]}, index=idx)
    assert CompositeSignal().fit(zones).to_frame()["period"].tolist() == ["2024-01"]  # needs 2 of 3


def test_zone_table_for_figures():
    assert [ZONES[z]["zh"] for z in range(1, 6)] == ["过冷", "偏冷", "正常", "偏热", "过热"]
    assert all(ZONES[z]["color"].startswith("#") and len(ZONES[z]["color"]) == 7 for z in ZONES)
