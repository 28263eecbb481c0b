"""Composite index and turning points on known data: sine waves with known peaks and troughs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from models.base import ModelError
from models.cycle import CompositeIndex, TurningPoints, evaluate_leads, hp_lambda

IDX = pd.period_range("2008-01", periods=180, freq="M")
T = np.arange(180)
PERIOD = 48  # a four-year growth cycle


def wave(shift=0, trend=0.0, noise=0.0, seed=0):
    """A cycle leading the base wave by ``shift`` months, on an optional trend, with noise."""
    rng = np.random.default_rng(seed)
    return np.sin(2 * np.pi * (T + shift) / PERIOD) + trend * T + noise * rng.normal(size=len(T))


def test_hp_lambdas_are_the_oecd_values():
    assert hp_lambda(120) == pytest.approx(133107.94, abs=0.01)
    assert hp_lambda(12) == pytest.approx(13.93, abs=0.01)


def test_bry_boschan_on_a_sine_wave():
    s = pd.Series(np.sin(2 * np.pi * T / PERIOD), index=IDX)
    res = TurningPoints().fit(s)
    f = res.to_frame()
    # peaks at t = 12 + 48k, troughs at t = 36 + 48k; none within 6 months of the ends
    expected = sorted([(12 + 48 * k, "peak") for k in range(4)] + [(36 + 48 * k, "trough") for k in range(4)])
    expected = [(str(IDX[t]), kind) for t, kind in expected if 6 <= t <= 173]
    assert list(zip(f["period"], f["type"])) == expected
    assert res.summary()["mean_expansion"] == 24 and res.summary()["mean_contraction"] == 24
    json.dumps(res.summary(), allow_nan=False)


def test_short_wiggles_are_not_cycles():
    # a 10-month ripple on the 48-month wave: extremes within ±5 months and cycles < 15 months go
    s = pd.Series(np.sin(2 * np.pi * T / PERIOD) + 0.15 * np.sin(2 * np.pi * T / 10), index=IDX)
    f = TurningPoints().fit(s).to_frame()
    assert len(f) == 7 and list(f["type"]) == ["peak", "trough"] * 3 + ["peak"]
    gaps = np.diff([pd.Period(p, "M").ordinal for p in f["period"]])
    assert gaps.min() >= 6


def test_alternation_and_phase_rules():
    # a double top: two peaks 8 months apart with a shallow dip between; only the higher survives
    y = np.sin(2 * np.pi * T / PERIOD)
    y[10:22] = 1.0 - 0.05 * np.abs(np.sin(2 * np.pi * (np.arange(12)) / 8))
    y[12], y[19] = 1.02, 1.05
    f = TurningPoints().fit(pd.Series(y, index=IDX)).to_frame()
    peaks = f.loc[f["type"] == "peak", "period"].tolist()
    assert str(IDX[19]) in peaks and str(IDX[12]) not in peaks
    assert all(a != b for a, b in zip(f["type"], f["type"].iloc[1:]))


def test_quarterly_rules_default_to_bbq():
    q = pd.Series(np.sin(2 * np.pi * np.arange(60) / 16), index=pd.period_range("2005Q1", periods=60, freq="Q"))
    res = TurningPoints().fit(q)
    assert res.rules == {"window": 2, "min_phase": 2, "min_cycle": 5, "boundary": 2}
    f = res.to_frame()
    assert f["period"].iloc[0] == "2006Q1" and f["type"].iloc[0] == "peak"  # t = 4, a quarter of 16


def test_composite_of_phase_shifted_series_leads():
    panel = pd.DataFrame({
        # leading components: 6 months ahead of the cycle, in levels with a trend, and one inverted
        "orders": 50 + 3 * wave(6, noise=0.1, seed=1),
        "credit": np.exp(0.006 * T + 0.04 * wave(6, noise=0.1, seed=2)),
        "inventories": -wave(6, noise=0.1, seed=3),
    }, index=IDX)
    coincident = pd.DataFrame({
        "output": np.exp(0.005 * T + 0.03 * wave(0, noise=0.1, seed=4)),
        "power": np.exp(0.004 * T + 0.03 * wave(0, noise=0.1, seed=5)),
    }, index=IDX)
    lead = CompositeIndex().fit(panel, log=["credit"], invert=["inventories"])
    coin = CompositeIndex().fit(coincident, log=["output", "power"])
    f = lead.to_frame()
    assert list(f.columns) == ["period", "index", "n_components", "phase"]
    assert f["index"].mean() == pytest.approx(100.0)
    assert set(f["phase"].dropna()) <= {"expansion", "downturn", "slowdown", "recovery"}
    ev = evaluate_leads(TurningPoints().fit(lead.index), TurningPoints().fit(coin.index), window=(12, 3))
    s = ev.summary()
    assert s["n_matched"] >= 4 and s["n_false_alarms"] == 0
    assert 4 <= s["median_lead"] <= 8
    # cross-correlation peaks at a 6-month lead
    corr = {k: lead.index.shift(k).corr(coin.index) for k in range(0, 13)}
    assert max(corr, key=corr.get) in (5, 6, 7)
    json.dumps(lead.summary(), allow_nan=False)
    json.dumps(s, allow_nan=False)


def test_cf_filter_and_coverage():
    panel = pd.DataFrame({"a": 50 + wave(0, noise=0.05), "b": 50 + wave(0, noise=0.05, seed=9)}, index=IDX)
    panel.loc[panel.index[:60], "b"] = np.nan  # b starts five years later
    panel.loc[panel.index[100], "a"] = np.nan  # an interior gap is interpolated
    res = CompositeIndex().fit(panel, filter="cf", min_coverage=1.0)
    assert res.method == "christiano_fitzgerald"
    assert str(res.index.index[0]) == str(IDX[60]) and (res.n_components == 2).all()
    partial = CompositeIndex().fit(panel, min_coverage=0.5)
    assert len(partial.index) == 180 and partial.n_components.iloc[0] == 1


def test_evaluate_leads_counts_missed_and_false_alarms():
    ref = pd.DataFrame({"period": ["2010-06", "2012-01", "2014-03"], "type": ["peak", "trough", "peak"]})
    cand = pd.DataFrame({"period": ["2010-01", "2011-02", "2011-09", "2016-12", "2030-01"],
                         "type": ["peak", "trough", "peak", "trough", "peak"]})
    ev = evaluate_leads(cand, ref, window=(12, 3))
    s = ev.summary()
    assert [t["lead"] for t in s["per_turn"]] == [5.0, 11.0, None]
    assert s["n_missed"] == 1 and s["median_lead"] == 8.0
    # 2011-09 (an extra peak) and 2016-12 are false alarms; 2030-01 is outside the judged span
    assert [t["period"] for t in s["false_alarm_turns"]] == ["2011-09"]
    with pytest.raises(ModelError, match="peak or trough"):
        evaluate_leads(pd.DataFrame({"period": ["2010-01"], "type": ["top"]}), ref)


def test_composite_index_errors():
    with pytest.raises(ModelError, match="PeriodIndex"):
        CompositeIndex().fit(pd.DataFrame({"a": [1.0, 2.0]}))
    with pytest.raises(ModelError, match="logs"):
        CompositeIndex().fit(pd.DataFrame({"a": wave(0)}, index=IDX), log=["a"])
    with pytest.raises(ModelError, match="filter"):
        CompositeIndex().fit(pd.DataFrame({"a": wave(0)}, index=IDX), filter="bk")
