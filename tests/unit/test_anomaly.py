"""Anomaly alerts on known data: an injected outlier, its severity and its two sentences."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from models.anomaly import MultivariateAnomaly, RobustAnomaly, period_zh, severity_of
from models.base import ModelError

IDX = pd.period_range("2016-01", periods=96, freq="M")


def seasonally_adjusted(seed=3) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(len(IDX))
    return pd.Series(200 + 0.8 * t + 5 * np.sin(2 * np.pi * t / 48) + rng.normal(0, 1.0, len(IDX)), index=IDX)


def test_severity_levels():
    assert [severity_of(z) for z in (2.9, -3.0, 4.2, -5.0, 12)] == [None, "low", "medium", "high", "high"]
    assert period_zh(pd.Period("2024-03", "M")) == "2024年3月"
    assert period_zh(pd.Period("2024Q1", "Q")) == "2024年第1季度"


@pytest.mark.parametrize("size,severity", [(3.5, "low"), (4.5, "medium"), (8.0, "high")])
def test_injected_outlier_is_found_with_its_severity(size, severity):
    s = seasonally_adjusted()
    clean = RobustAnomaly().fit(s)
    scale = clean.scale
    bumped = s.copy()
    bumped.iloc[60] = clean.scores["expected"].iloc[60] + size * scale  # 2021-01
    res = RobustAnomaly().fit(bumped, indicator_zh="社会消费品零售总额", indicator_en="Retail sales",
                              region_zh="南宁市", region_en="Nanning", unit="亿元", unit_en="100 million yuan")
    alerts = res.to_frame().set_index("period")
    assert "2021-01" in alerts.index
    row = alerts.loc["2021-01"]
    assert row["severity"] == severity and row["direction"] == "up"
    assert row["lower"] < row["expected"] < row["upper"] < row["value"]
    assert row["message_zh"].startswith("南宁市社会消费品零售总额2021年1月为")
    assert "高于预期区间" in row["message_zh"] and "亿元" in row["message_zh"]
    assert row["message_en"].startswith("Retail sales in Nanning was ")
    assert "above the expected range" in row["message_en"] and "100 million yuan" in row["message_en"]
    assert f"{severity} severity" in row["message_en"]
    # nothing else reaches medium in clean N(0,1) noise
    assert (alerts.drop(index="2021-01")["severity"].isin(["medium", "high"])).sum() == 0


def test_downward_spike_and_irregular_input():
    irregular = pd.Series(np.tile([0.2, -0.1, 0.0, 0.1, -0.2, 0.05], 8), index=IDX[:48])
    irregular.iloc[20] = -3.0
    res = RobustAnomaly().fit(irregular, detrend=False, indicator_zh="用电量", indicator_en="Electricity use")
    f = res.to_frame()
    assert f["period"].tolist() == [str(IDX[20])]
    assert f["direction"].iloc[0] == "down" and "低于" in f["message_zh"].iloc[0]
    assert "below" in f["message_en"].iloc[0]
    assert res.summary()["window"] is None
    json.dumps(res.summary(), allow_nan=False)


def test_trend_at_the_end_raises_no_false_alert():
    # a steep clean trend: a running median would lag it at the last months
    s = pd.Series(100 + 2.0 * np.arange(48) + np.tile([0.3, -0.3, 0.1, -0.1], 12), index=IDX[:48])
    assert RobustAnomaly().fit(s).to_frame().empty


def test_quarterly_and_errors():
    rng = np.random.default_rng(5)
    q = pd.Series(np.linspace(5, 8, 28) + rng.normal(0, 0.2, 28),
                  index=pd.period_range("2018Q1", periods=28, freq="Q"))
    q.iloc[20] += 3.0  # 2023Q1
    f = RobustAnomaly().fit(q, indicator_zh="GDP增速", indicator_en="GDP growth", unit="%").to_frame()
    assert f["period"].tolist() == ["2023Q1"] and f["severity"].iloc[0] == "high"
    assert "GDP增速2023年第1季度为" in f["message_zh"].iloc[0] and "%" in f["message_en"].iloc[0]
    with pytest.raises(ModelError, match="constant"):
        RobustAnomaly().fit(pd.Series(1.0, index=IDX[:24]))
    with pytest.raises(ModelError, match="PeriodIndex"):
        RobustAnomaly().fit(pd.Series(np.arange(30.0)))


def panel(n=96, seed=11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    common = rng.normal(size=n)
    return pd.DataFrame({
        "industry": common + 0.4 * rng.normal(size=n),
        "electricity": common + 0.4 * rng.normal(size=n),
        "freight": common + 0.4 * rng.normal(size=n),
        "retail": 0.3 * common + rng.normal(size=n),
    }, index=IDX[:n])


def test_multivariate_finds_a_broken_correlation_and_names_drivers():
    p = panel()
    p.iloc[50, :2] = [-2.0, 2.0]  # each within ±2.5 σ alone; jointly far off the common factor
    names = {"industry": ("规上工业增加值", "Industrial value added"),
             "electricity": ("工业用电量", "Industrial electricity use")}
    res = MultivariateAnomaly().fit(p, names=names, region_zh="柳州市", region_en="Liuzhou")
    alerts = res.to_frame().set_index("period")
    period = str(IDX[50])
    assert period in alerts.index
    row = alerts.loc[period]
    assert row["severity"] in ("medium", "high")
    assert set(row["drivers"].split(",")[:2]) == {"industry", "electricity"}
    assert "规上工业增加值（偏低" in row["message_zh"] and "工业用电量（偏高" in row["message_zh"]
    assert row["message_zh"].startswith("柳州市")
    assert "Liuzhou" in row["message_en"] and "Industrial value added (low" in row["message_en"]
    # contributions add up to the distance
    assert np.allclose(res.contributions.sum(axis=1), res.scores["distance"])
    assert (alerts["severity"] == "high").sum() <= 2
    json.dumps(res.summary(), allow_nan=False)


def test_multivariate_is_deterministic_and_checks_input():
    p = panel()
    a = MultivariateAnomaly().fit(p).scores
    b = MultivariateAnomaly().fit(p).scores
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ModelError, match="too few"):
        MultivariateAnomaly().fit(p.iloc[:15])
    with pytest.raises(ModelError, match="two indicators"):
        MultivariateAnomaly().fit(p[["industry"]])
