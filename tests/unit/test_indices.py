"""DevelopmentIndex and CityRanking: weights, entropy behaviour, exact contributions, base = 100, ranks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.base import ModelError
from models.indices import CityRanking, DevelopmentIndex, entropy_weights, minmax, pca_weights

PERIODS = pd.period_range("2022-01", periods=24, freq="M")


def panel(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(len(PERIODS), dtype=float)
    return pd.DataFrame({
        "electricity_growth": 5 + np.sin(t / 3) + rng.normal(0, 0.3, len(t)),
        "freight_growth": 4 + 0.1 * t + rng.normal(0, 0.5, len(t)),
        "loans_growth": 9 - 0.05 * t + rng.normal(0, 0.2, len(t)),
        "unemployment": 5.3 - 0.01 * t + rng.normal(0, 0.05, len(t)),
    }, index=PERIODS)


DIRECTIONS = {"unemployment": -1}
WEIGHTINGS = ["equal", "entropy", "pca", {"electricity_growth": 2, "freight_growth": 1, "loans_growth": 1,
                                          "unemployment": 0}]


@pytest.mark.parametrize("weighting", WEIGHTINGS, ids=["equal", "entropy", "pca", "fixed"])
def test_weights_sum_to_one(weighting):
    r = DevelopmentIndex().fit(panel(), directions=DIRECTIONS, weighting=weighting)
    assert r.weights.sum() == pytest.approx(1.0)
    assert (r.weights >= 0).all()


def test_fixed_weights_are_rescaled():
    r = DevelopmentIndex().fit(panel(), directions=DIRECTIONS, weighting=WEIGHTINGS[3])
    assert r.weights["electricity_growth"] == pytest.approx(0.5) and r.weights["unemployment"] == 0


def test_entropy_favours_the_more_dispersed_component():
    # after min–max both span [0, 1]; the spike is concentrated in one period (high coefficient of
    # variation, low entropy), the ramp is spread evenly (high entropy)
    frame = pd.DataFrame({"ramp": np.arange(10.0), "spike": [1.0] * 9 + [10.0]})
    w = entropy_weights(minmax(frame))
    assert w["spike"] > w["ramp"]
    assert w.sum() == pytest.approx(1.0)


def test_entropy_by_hand_and_constant_component():
    frame = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [0.0, 0.0, 1.0], "flat": [2.0, 2.0, 2.0]})
    w = entropy_weights(minmax(frame))
    e_a = -(1 / 3 * np.log(1 / 3) + 2 / 3 * np.log(2 / 3)) / np.log(3)
    d_a, d_b = 1 - e_a, 1.0  # b puts all its mass on one period: entropy 0
    assert w["a"] == pytest.approx(d_a / (d_a + d_b))
    assert w["b"] == pytest.approx(d_b / (d_a + d_b))
    assert w["flat"] == 0


def test_pca_rule():
    rng = np.random.default_rng(1)
    common = rng.normal(size=60)
    frame = pd.DataFrame({"a": common + rng.normal(0, 0.1, 60), "b": common + rng.normal(0, 0.1, 60),
                          "c": rng.normal(size=60)})
    w, info = pca_weights(frame)
    assert w.sum() == pytest.approx(1.0)
    assert info["cumulative_explained"] >= 0.85 and info["pca_components"] == 2
    assert w["a"] == pytest.approx(w["b"], rel=0.1)  # near-duplicates load alike


@pytest.mark.parametrize("weighting", WEIGHTINGS, ids=["equal", "entropy", "pca", "fixed"])
@pytest.mark.parametrize("normalisation", ["efficacy", "ratio"])
def test_contributions_add_up_exactly(weighting, normalisation):
    r = DevelopmentIndex(normalisation).fit(panel(), directions=DIRECTIONS, weighting=weighting,
                                            base_period="2022-06")
    np.testing.assert_allclose(r.contributions.sum(axis=1), r.index - 100, atol=1e-9)
    frame = r.to_frame()
    by_period = frame.groupby("period").agg(total=("contribution", "sum"), index=("index", "first"))
    np.testing.assert_allclose(by_period["total"], by_period["index"] - 100, atol=1e-9)


@pytest.mark.parametrize("normalisation", ["efficacy", "ratio"])
def test_base_period_is_100(normalisation):
    r = DevelopmentIndex(normalisation).fit(panel(), directions=DIRECTIONS, weighting="entropy",
                                            base_period="2022-12")
    assert r.index[pd.Period("2022-12", freq="M")] == pytest.approx(100.0)
    assert r.summary()["base_period"] == "2022-12"
    assert (r.contributions.loc[pd.Period("2022-12", freq="M")] == 0).all()


def test_direction_minus_one_counts_lower_as_better():
    rising = pd.DataFrame({"growth": [5.0, 5.0, 5.0], "unemployment": [5.0, 5.5, 6.0]},
                          index=pd.period_range("2024Q1", periods=3, freq="Q"))
    r = DevelopmentIndex().fit(rising, directions={"unemployment": -1})
    assert r.index.is_monotonic_decreasing and r.index.iloc[-1] < 100


def test_incomplete_periods_dropped_and_bad_input():
    p = panel()
    p.iloc[3, 0] = np.nan
    r = DevelopmentIndex().fit(p, directions=DIRECTIONS)
    assert r.summary()["dropped_periods"] == ["2022-04"]
    with pytest.raises(ModelError):
        DevelopmentIndex().fit(p, base_period="2022-04")
    with pytest.raises(ModelError):
        DevelopmentIndex().fit(panel(), directions={"unemployment": 0})
    with pytest.raises(ModelError):
        DevelopmentIndex().fit(panel(), directions={"nonsense": 1})
    with pytest.raises(ModelError):
        DevelopmentIndex().fit(panel(), weighting="magic")


def city_panel() -> pd.DataFrame:
    periods = pd.period_range("2025Q1", periods=4, freq="Q")
    rng = np.random.default_rng(4)
    data = {}
    for n, city in enumerate(["450100", "450200", "450300", "450400", "450500"]):
        # 450500 is best on everything; unemployment lower is better
        data[(city, "gdp_growth")] = 4.0 + n + rng.normal(0, 0.1, 4)
        data[(city, "retail_growth")] = 3.0 + 0.5 * n + rng.normal(0, 0.1, 4)
        data[(city, "unemployment")] = 6.0 - 0.2 * n + rng.normal(0, 0.02, 4)
    frame = pd.DataFrame(data, index=periods)
    frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["city", "component"])
    return frame


@pytest.mark.parametrize("weighting", ["equal", "entropy", "pca"])
def test_ranking_orders_cities(weighting):
    r = CityRanking().fit(city_panel(), directions={"unemployment": -1}, weighting=weighting)
    table = r.scores()
    for _, one in table.groupby("period"):
        assert one["city"].tolist() == ["450500", "450400", "450300", "450200", "450100"]
        assert one["rank"].tolist() == [1, 2, 3, 4, 5]
    assert r.summary()["latest_ranking"][0]["city"] == "450500"


def test_ranking_contributions_add_up():
    r = CityRanking().fit(city_panel(), directions={"unemployment": -1})
    assert r.weights.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(r.contributions.sum(axis=1), r.score, atol=1e-9)
    gap = r.score - r.score.groupby(level="period").transform("mean")
    np.testing.assert_allclose(r.gap_contributions.sum(axis=1), gap, atol=1e-9)
    assert r.score.between(0, 100).all()
    frame = r.to_frame()
    assert len(frame) == 4 * 5 * 3
    assert {"period", "city", "component", "contribution", "gap_contribution", "score", "rank"} <= set(frame.columns)


def test_ranking_ties_share_the_better_rank():
    frame = city_panel()
    frame[("450400", "gdp_growth")] = frame[("450500", "gdp_growth")]
    frame[("450400", "retail_growth")] = frame[("450500", "retail_growth")]
    frame[("450400", "unemployment")] = frame[("450500", "unemployment")]
    table = CityRanking().fit(frame, directions={"unemployment": -1}, weighting="equal").scores()
    first = table[table["period"] == "2025Q1"]
    assert first["rank"].tolist()[:3] == [1, 1, 3]


def test_panel_from_long_round_trip():
    wide = city_panel()
    long = wide.stack(level=[0, 1], future_stack=True).rename("value").reset_index()
    long.columns = ["period", "region", "indicator", "value"]
    long["period"] = long["period"].astype(str)
    rebuilt = CityRanking.panel_from_long(long)
    assert isinstance(rebuilt.index, pd.PeriodIndex)
    a = CityRanking().fit(wide, directions={"unemployment": -1}).scores()
    b = CityRanking().fit(rebuilt, directions={"unemployment": -1}).scores()
    pd.testing.assert_frame_equal(a, b)


def test_ranking_needs_multiindex():
    with pytest.raises(ModelError):
        CityRanking().fit(panel())
