"""Business-climate signal lights (景气信号灯): four thresholds, five zones, one composite.

The method
----------
China's business-climate monitoring and early-warning signal system (经济景气监测预警信号系统),
published by the NBS China Economic Monitoring and Analysis Center and by the State Information
Center's CEInet (国家信息中心中经网), gives each of about ten indicators (mostly year-on-year
growth rates) one of five lights by four critical values (临界值), and scores them:

====  ==========  ===========  ========  =====  ==========
zone  key         中文          light     score  colour
====  ==========  ===========  ========  =====  ==========
5     overheated  过热          red       5      ``#d62728``
4     hot         偏热          yellow    4      ``#f2c12e``
3     normal      正常          green     3      ``#2ca02c``
2     cool        偏冷          lt. blue  2      ``#74b9e8``
1     cold        过冷          blue      1      ``#1f4e9c``
====  ==========  ===========  ========  =====  ==========

The composite (预警指数) is the sum of the indicators' scores: with ten indicators it runs from
10 to 50 (CEInet publishes it so; October 2021, seven blue, one light blue, one green and one red
light gave 17, "in the blue zone"), while the NBS publication divided by the all-green sum so that
100 was "the ideal level" (2007–08 releases: 110.7 and 113.3 green, 120.7 "just above the lower
line of the yellow zone"). The OECD reads its composite leading indicators the same way as a
traffic light: above/below 100 and rising/falling (OECD 2012, *OECD System of Composite Leading
Indicators*), which is what :mod:`models.cycle` provides.

What the published system does not document, and this module does:

Threshold calibration
    ``fixed``: the four critical values come from the catalog (policy targets, e.g. CPI 1 %
    and 3 %). ``quantile``: the four values are empirical quantiles of the indicator's own history
    (default 10 %, 25 %, 75 %, 90 %; Hyndman & Fan 1996 type 7, numpy's default), so that half the
    months of the calibration window are green and a tenth are red or blue. The published system
    sets its critical values from each indicator's historical distribution together with policy
    targets and expert judgement, without publishing the rule; this is the historical part made
    explicit and reproducible. Pass ``calibration`` to calibrate on a window (e.g. up to the month
    before a back-test starts, so that no future data leak in) instead of the whole history.
Boundaries
    A value equal to a threshold belongs to the zone nearer "normal": ``v < t1`` → 1,
    ``t1 ≤ v < t2`` → 2, ``t2 ≤ v ≤ t3`` → 3, ``t3 < v ≤ t4`` → 4, ``v > t4`` → 5.
Polarity
    Zones describe *heat*, not good or bad, as in the Chinese practice (a red CPI light means
    "overheated prices", not "good"). Thresholds are always stated ascending in the indicator's
    own units. For ``higher_better``, ``band`` (e.g. CPI: both tails are bad, high = hot) and
    ``neutral`` indicators a higher value is a hotter zone. For ``lower_better`` (counter-cyclical:
    unemployment) the direction is inverted: a value above ``t4`` is 过冷 (zone 1), below ``t1`` is
    过热 (zone 5). Severity in the UI is then ``|zone − 3|`` for every polarity.
Composite
    ``score`` = 100 × (weighted mean light score − 1) / 4, so 0 = all blue, 50 = all green,
    100 = all red; equal weights unless given. Cut points split the range into five equal bands
    (:data:`COMPOSITE_CUTS` 20 / 40 / 60 / 80, i.e. mean light score 1.8 / 2.6 / 3.4 / 4.2, on the
    ten-indicator CEInet scale 18 / 26 / 34 / 42), with the same boundary rule as above. These
    agree with the published readings quoted above (17 of 50 → blue; 113.3 → green;
    120.7 → yellow). ``sum10`` (the CEInet scale) and ``nbs_index`` (100 = all green) are given too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from models.base import Model, ModelError, ModelResults, json_safe, register, require_series

ZONES: dict[int, dict[str, str]] = {
    1: {"key": "cold", "zh": "过冷", "en": "Too cold", "light_zh": "蓝灯", "light_en": "blue", "color": "#1f4e9c"},
    2: {"key": "cool", "zh": "偏冷", "en": "Cool", "light_zh": "浅蓝灯", "light_en": "light blue", "color": "#74b9e8"},
    3: {"key": "normal", "zh": "正常", "en": "Normal", "light_zh": "绿灯", "light_en": "green", "color": "#2ca02c"},
    4: {"key": "hot", "zh": "偏热", "en": "Warm", "light_zh": "黄灯", "light_en": "yellow", "color": "#f2c12e"},
    5: {"key": "overheated", "zh": "过热", "en": "Overheated", "light_zh": "红灯", "light_en": "red", "color": "#d62728"},
}
ZONE_KEYS = {z: v["key"] for z, v in ZONES.items()}
DEFAULT_QUANTILES = (0.10, 0.25, 0.75, 0.90)
#: cut points of the composite score (0–100): five equal bands
COMPOSITE_CUTS = (20.0, 40.0, 60.0, 80.0)
POLARITIES = ("higher_better", "lower_better", "neutral", "band")
# below this many observations quantiles of the tails (10 %, 90 %) rest on one or two values
MIN_CALIBRATION = 24


def zone_of(values, thresholds: Sequence[float], polarity: str = "higher_better") -> np.ndarray:
    """Zones 1..5 (float, NaN where the value is NaN) of ``values`` under ascending ``thresholds``."""
    t1, t2, t3, t4 = (float(t) for t in thresholds)
    v = np.asarray(values, dtype=float)
    heat = np.select([v < t1, v < t2, v <= t3, v <= t4], [1.0, 2.0, 3.0, 4.0], 5.0)
    if polarity == "lower_better":
        heat = 6.0 - heat
    return np.where(np.isnan(v), np.nan, heat)


def _check_thresholds(thresholds) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(t) for t in thresholds)
    except (TypeError, ValueError):
        raise ModelError("阈值应为四个数 / thresholds must be four numbers") from None
    if len(values) != 4 or not all(np.isfinite(values)):
        raise ModelError(f"阈值应为四个有限数，实为 {list(thresholds)} / "
                         f"thresholds must be four finite numbers, found {list(thresholds)}")
    if list(values) != sorted(values):
        raise ModelError(f"阈值应升序排列：{list(values)} / thresholds must be ascending: {list(values)}")
    return values  # type: ignore[return-value]


def _check_polarity(polarity: str) -> str:
    if polarity not in POLARITIES:
        raise ModelError(f"未知的指标方向“{polarity}” / unknown polarity '{polarity}' ({', '.join(POLARITIES)})")
    return polarity


@dataclass
class SignalResults(ModelResults):
    """Lights of one indicator: thresholds used and a zone per period."""

    values: pd.Series
    zones: pd.Series  # float 1..5 on the same PeriodIndex, NaN where the value is missing
    thresholds: tuple[float, float, float, float]
    method: str  # "fixed" | "quantile"
    polarity: str
    quantiles: tuple[float, ...] | None = None
    calibration: tuple[str, str, int] | None = None  # first, last period, observations
    model: str = "signals"

    def to_frame(self) -> pd.DataFrame:
        ok = self.zones.notna()
        zones = self.zones[ok].astype(int)
        return pd.DataFrame({
            "period": [str(p) for p in zones.index],
            "value": self.values[ok].to_numpy(dtype=float),
            "zone": zones.to_numpy(dtype="int64"),
            "zone_key": [ZONE_KEYS[z] for z in zones],
            "score": zones.to_numpy(dtype=float),  # the NBS light score equals the zone number
        })

    def summary(self) -> dict[str, Any]:
        ok = self.zones.dropna()
        latest = None
        if len(ok):
            z = int(ok.iloc[-1])
            latest = {"period": str(ok.index[-1]), "value": self.values[ok.index[-1]], "zone": z,
                      "zone_key": ZONE_KEYS[z]}
        return json_safe({
            "model": self.model, "method": self.method, "polarity": self.polarity,
            "thresholds": list(self.thresholds),
            "quantiles": list(self.quantiles) if self.quantiles else None,
            "calibration": dict(zip(("start", "end", "n"), self.calibration)) if self.calibration else None,
            "n_periods": int(len(ok)),
            "zone_counts": {ZONE_KEYS[z]: int((ok == z).sum()) for z in ZONES},
            "latest": latest,
        })


@register
class SignalLights(Model):
    """Signal lights of one indicator: four thresholds → five zones (景气信号灯).

    Thresholds are fixed (from the catalog) or calibrated as quantiles of the indicator's history;
    ``lower_better`` indicators are read in the inverted direction (see the module docstring).

    References
    ----------
    NBS China Economic Monitoring and Analysis Center, 中国经济景气月报 (monthly), the
    "宏观经济预警信号图"; State Information Center CEInet, 中经指数 monthly commentary.
    OECD (2012), *OECD System of Composite Leading Indicators*.
    Hyndman, R. J. and Fan, Y. (1996), "Sample quantiles in statistical packages",
    *The American Statistician* 50(4), 361–365.
    """

    name = "signals"

    def fit(self, series: pd.Series, thresholds: Sequence[float] | None = None,
            quantiles: Sequence[float] = DEFAULT_QUANTILES, polarity: str = "higher_better",
            calibration: tuple[str, str] | None = None) -> SignalResults:
        """Light every period of ``series``.

        Parameters
        ----------
        series : pd.Series
            The indicator on a monthly or quarterly ``PeriodIndex`` — a growth rate or a value,
            as the catalog's ``warning.on`` says (the caller transforms it).
        thresholds : four ascending floats, optional
            Fixed critical values; when given they override calibration (method ``fixed``).
        quantiles : four ascending probabilities
            Used when ``thresholds`` is None (method ``quantile``).
        polarity : {"higher_better", "lower_better", "neutral", "band"}
            ``lower_better`` inverts the direction of heat.
        calibration : (start, end) period labels, optional
            Calibrate quantiles on this window only (inclusive); default the whole series.

        Returns
        -------
        SignalResults
        """
        s = require_series(series, "series", min_length=1)
        polarity = _check_polarity(polarity)
        calib = None
        if thresholds is not None:
            used, method, probs = _check_thresholds(thresholds), "fixed", None
        else:
            probs = tuple(float(q) for q in quantiles)
            if len(probs) != 4 or list(probs) != sorted(probs) or not all(0 < q < 1 for q in probs):
                raise ModelError(f"分位数应为四个升序的 (0,1) 内的数：{list(quantiles)} / "
                                 f"quantiles must be four ascending numbers in (0, 1): {list(quantiles)}")
            window = s if calibration is None else s.loc[calibration[0]:calibration[1]]
            window = window.dropna()
            if len(window) < MIN_CALIBRATION:
                raise ModelError(
                    f"校准阈值至少需要 {MIN_CALIBRATION} 个观测值，实有 {len(window)} / "
                    f"calibrating thresholds needs at least {MIN_CALIBRATION} observations, found {len(window)}")
            used = tuple(float(x) for x in np.quantile(window.to_numpy(), probs))
            method = "quantile"
            calib = (str(window.index[0]), str(window.index[-1]), int(len(window)))
        zones = pd.Series(zone_of(s.to_numpy(), used, polarity), index=s.index)
        return SignalResults(values=s, zones=zones, thresholds=used, method=method, polarity=polarity,
                             quantiles=probs, calibration=calib)

    @staticmethod
    def kwargs_from_catalog(warning, polarity: str = "higher_better") -> dict[str, Any] | None:
        """``fit`` keyword arguments from a catalog ``warning`` block (None when method is ``none``).

        ``warning`` is anything with ``method``, ``thresholds`` and ``quantiles`` attributes
        (``indicators.registry.Warning_``); the caller applies ``warning.on`` to the series."""
        if warning.method == "none":
            return None
        if warning.method == "fixed":
            return {"thresholds": list(warning.thresholds), "polarity": polarity}
        return {"quantiles": list(warning.quantiles), "polarity": polarity}

    @classmethod
    def example(cls):
        idx = pd.period_range("2018-01", periods=60, freq="M")
        growth = pd.Series(6.0 + 3.0 * np.sin(np.arange(60) / 6.0), index=idx)
        return cls(), (growth,), {"polarity": "higher_better"}


@dataclass
class CompositeResults(ModelResults):
    """Composite light per period from several indicators' zones."""

    table: pd.DataFrame  # PeriodIndex; mean_light, score, sum10, nbs_index, zone, n_indicators
    weights: dict[str, float] = field(default_factory=dict)
    cuts: tuple[float, float, float, float] = COMPOSITE_CUTS
    min_indicators: int = 1
    method: str = "mean_score_0_100"
    model: str = "composite_signal"

    def to_frame(self) -> pd.DataFrame:
        t = self.table
        return pd.DataFrame({
            "period": [str(p) for p in t.index],
            "score": t["score"].to_numpy(dtype=float),
            "zone": t["zone"].to_numpy(dtype="int64"),
            "zone_key": [ZONE_KEYS[int(z)] for z in t["zone"]],
            "n_indicators": t["n_indicators"].to_numpy(dtype="int64"),
            "mean_light": t["mean_light"].to_numpy(dtype=float),
            "sum10": t["sum10"].to_numpy(dtype=float),
            "nbs_index": t["nbs_index"].to_numpy(dtype=float),
        })

    def summary(self) -> dict[str, Any]:
        t = self.table
        latest = None
        if len(t):
            row = t.iloc[-1]
            latest = {"period": str(t.index[-1]), "score": row["score"], "zone": int(row["zone"]),
                      "zone_key": ZONE_KEYS[int(row["zone"])], "n_indicators": int(row["n_indicators"])}
        return json_safe({
            "model": self.model, "method": self.method, "cuts": list(self.cuts),
            "scale": "100 × (weighted mean light score − 1) / 4: 0 all blue, 50 all green, 100 all red",
            "weights": self.weights, "min_indicators": self.min_indicators, "n_periods": int(len(t)),
            "zone_counts": {ZONE_KEYS[z]: int((t["zone"] == z).sum()) for z in ZONES},
            "latest": latest,
        })


@register
class CompositeSignal(Model):
    """Composite signal (预警指数): the weighted mean of the indicators' light scores.

    The CEInet composite is the sum of ten indicators' scores (10–50); here the weighted mean
    score is rescaled to 0–100 so that the cut points do not depend on how many indicators a region
    publishes, and the CEInet-scale ``sum10`` and NBS-scale ``nbs_index`` are reported alongside.
    See the module docstring for the cut points and how they match published readings.
    """

    name = "composite_signal"

    def fit(self, zones: pd.DataFrame, weights: dict[str, float] | None = None,
            min_indicators: int | None = None, cuts: Sequence[float] = COMPOSITE_CUTS) -> CompositeResults:
        """Combine indicator zones period by period.

        Parameters
        ----------
        zones : pd.DataFrame
            One column per indicator, values 1..5 (NaN where an indicator has no light),
            on a ``PeriodIndex``; build it from :class:`SignalLights` results' ``zones``.
        weights : {column: weight}, optional
            Non-negative; missing columns weigh 0. Equal weights by default. Weights are
            renormalised over the indicators lit in each period.
        min_indicators : int, optional
            Periods with fewer lit indicators are left out; default: more than half the columns.
        cuts : four ascending numbers on the 0–100 score scale

        Returns
        -------
        CompositeResults
        """
        if not isinstance(zones, pd.DataFrame) or not isinstance(zones.index, pd.PeriodIndex):
            raise ModelError("zones 应为以 PeriodIndex 为索引的 DataFrame / "
                             "zones must be a DataFrame on a PeriodIndex")
        if zones.shape[1] == 0:
            raise ModelError("zones 没有指标列 / zones has no indicator columns")
        z = zones.astype(float)
        bad = z.notna() & ~z.isin([1.0, 2.0, 3.0, 4.0, 5.0])
        if bad.any().any():
            col = bad.any()[lambda b: b].index[0]
            raise ModelError(f"指标“{col}”的灯号应为 1–5 的整数 / zones of '{col}' must be integers 1–5")
        cuts = _check_thresholds(cuts)
        if weights is None:
            w = pd.Series(1.0, index=z.columns)
        else:
            w = pd.Series({c: float(weights.get(c, 0.0)) for c in z.columns})
            if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
                raise ModelError("权重应为非负且不全为零 / weights must be non-negative and not all zero")
        if min_indicators is None:
            min_indicators = z.shape[1] // 2 + 1
        lit = z.notna()
        wsum = lit.mul(w, axis=1).sum(axis=1)
        mean_light = z.fillna(0.0).mul(w, axis=1).sum(axis=1) / wsum.where(wsum > 0)
        n = lit.sum(axis=1)
        keep = (n >= min_indicators) & mean_light.notna()
        mean_light = mean_light[keep]
        score = 100.0 * (mean_light - 1.0) / 4.0
        table = pd.DataFrame({
            "mean_light": mean_light,
            "score": score,
            "sum10": 10.0 * mean_light,
            "nbs_index": 100.0 * mean_light / 3.0,
            "zone": zone_of(score.to_numpy(), cuts).astype("int64") if len(score) else np.array([], "int64"),
            "n_indicators": n[keep].astype("int64"),
        }, index=mean_light.index)
        return CompositeResults(table=table, weights={str(k): float(v) for k, v in w.items()},
                                cuts=cuts, min_indicators=int(min_indicators))

    @classmethod
    def example(cls):
        idx = pd.period_range("2024-01", periods=6, freq="M")
        zones = pd.DataFrame({
            "industry": [3, 4, 5, 5, 3, 1],
            "retail": [3, 3, 4, 5, 2, 1],
            "cpi": [3, 3, 4, 4, 2, np.nan],
        }, index=idx, dtype=float)
        return cls(), (zones,), {}
