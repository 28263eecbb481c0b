"""Annual-target tracking: progress so far, what the rest of the year needs, and the odds.

"To reach 5.5% for the year, Q4 needs x%" — the question asked at every 经济形势分析会. The answer
rests on an identity: the annual total is this year's year-to-date (YTD) total plus the rest of
the year, and a growth target fixes the annual total relative to last year's.

Notation (for one target; periods are months or quarters of the target year)
---------------------------------------------------------------------------
``x_t``      this year's value of period t (a flow: 当月值 / 当季值, on the target's price basis)
``x'_t``     last year's value of the same month or quarter
``E``        elapsed periods (up to the last observed one); ``R`` the remaining ones
``A = Σ_E x_t``, ``A' = Σ_E x'_t``, ``L = Σ_{E∪R} x'_t`` (last year's annual total), ``R' = L - A'``
``T``        the target: a growth rate g = T/100 (``basis="growth"``) or a value (``basis="level"``)

Formulas
--------
YTD growth:                     ``ĝ_YTD = A / A' - 1``
Growth target, annual total:    ``T_total = (1 + g) · L``
Share of the target reached:    ``A / T_total`` (``A / T`` for a level target)
Needed in the remaining periods (sum targets):
                                ``V_R = T_total - A``
Required growth of the remaining periods over the same periods last year:
                                ``r_R = V_R / R' - 1 = ((1 + g) · L - A) / R' - 1``
                                Equivalently, with last year's YTD share ``s = A'/L``,
                                ``1 + g = s (1 + ĝ_YTD) + (1 - s)(1 + r_R)``: annual growth is the
                                share-weighted mean of YTD and remaining growth.
Average targets (rates such as CPI or unemployment, ``aggregation="mean"``), with ``c`` observed
and ``m`` remaining periods: the remaining periods must average ``(T·(c + m) - Σ_E x_t) / m``.
Probability of meeting the target: the share of joint forecast sample paths of the remaining
periods whose full-year figure meets the target (≥ T for ``direction="at_least"``, ≤ T for
``"at_most"``). Joint paths matter: forecast errors of successive months are correlated, so the
variance of their sum is not the sum of variances.

Periods not published last year (January under 1–2月合并, where February carries the combined
value) are left out of both years, so that the two years stay comparable.

Official growth of GDP and industrial value added is on a comparable (constant-price) basis; pass
levels on that basis (e.g. last year's levels times one plus the published growth of each period),
not current-price levels, or the YTD growth here will not match the published one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from models.base import Model, ModelError, ModelResults, json_safe, register

PERIODS_PER_YEAR = {"M": 12, "Q": 4}
BASES = ("growth", "level")
DIRECTIONS = ("at_least", "at_most")
AGGREGATIONS = ("sum", "mean")
COLUMNS = [
    "indicator", "region", "year", "basis", "direction", "aggregation", "target", "as_of",
    "periods_elapsed", "periods_remaining", "ytd_value", "ytd_last_year", "ytd_growth", "ytd_figure",
    "gap_to_target", "share_reached", "required_remaining_value", "required_remaining_growth",
    "forecast_full_year", "forecast_lower_80", "forecast_upper_80", "prob_meeting", "note",
]


def to_period(label, freq: str | None = None) -> pd.Period:
    """A ``pd.Period`` from a Period or a stored label (``2024-03``, ``2024-01/02`` → February,
    ``2024Q1``)."""
    if isinstance(label, pd.Period):
        return label
    text = str(label).strip()
    if text.endswith("-01/02"):
        text = text[:-6] + "-02"
    return pd.Period(text, freq=freq or ("Q" if "Q" in text.upper() else "M"))


def _series_for(actuals, indicator: str, region: str) -> pd.Series | None:
    if isinstance(actuals, Mapping):
        series = actuals.get((indicator, region))
        if series is None:
            return None
        if not isinstance(series, pd.Series) or not isinstance(series.index, pd.PeriodIndex):
            raise ModelError(f"实际值应为 PeriodIndex 序列 / actuals for ({indicator}, {region}) must be a Series "
                             "on a PeriodIndex")
        return series.astype(float)
    rows = actuals[(actuals["indicator"] == indicator) & (actuals["region"].astype(str) == str(region))]
    if rows.empty:
        return None
    index = pd.PeriodIndex([to_period(p) for p in rows["period"]])
    series = pd.Series(rows["value"].astype(float).to_numpy(), index=index)
    if series.index.has_duplicates:
        raise ModelError(f"实际值时期重复 / duplicate periods in actuals for ({indicator}, {region})")
    return series.sort_index()


def _paths_for(forecasts, key, n_paths: int, seed: int) -> pd.DataFrame | None:
    if not forecasts or key not in forecasts or forecasts[key] is None:
        return None
    source = forecasts[key]
    if hasattr(source, "sample_paths"):  # a ForecastResults (duck-typed: models stay independent)
        return source.sample_paths(n_paths=n_paths, seed=seed)
    if isinstance(source, pd.DataFrame):
        return source.rename(columns=lambda c: str(c))
    raise ModelError(f"预测应为 ForecastResults 或样本路径表 / forecast for {key} must be ForecastResults or a "
                     "DataFrame of sample paths")


@register
class TargetProgress(Model):
    """Progress towards annual targets, the growth the rest of the year needs, and the probability
    of meeting each target from the forecast distribution.

    The formulas are in the module docstring (:mod:`models.targets`).

    Parameters
    ----------
    n_paths : int
        Sample paths drawn from each forecast that provides ``sample_paths``.
    seed : int
        Seed for those draws, so that probabilities are repeatable.
    """

    name = "target_progress"

    def __init__(self, n_paths: int = 4000, seed: int = 20240101):
        self.n_paths, self.seed = int(n_paths), int(seed)

    def fit(self, targets: pd.DataFrame, actuals, forecasts: Mapping | None = None) -> "TargetResults":
        """Evaluate every target against the actuals and, where given, the forecasts.

        Parameters
        ----------
        targets : pd.DataFrame
            One row per target: ``indicator``, ``region``, ``year``, ``target`` (a growth rate in %
            or a value in the indicator's unit), ``basis`` ("growth" | "level"); optional
            ``direction`` ("at_least" default | "at_most") and ``aggregation`` ("sum" default, for
            flows | "mean", for rates averaged over the year).
        actuals : pd.DataFrame or Mapping
            Per-period values (monthly or quarterly flows, or rates for mean targets) covering last
            year and this year so far: a long frame with ``indicator``, ``region``, ``period``
            (label or Period), ``value``, or a mapping ``(indicator, region) -> Series`` on a
            PeriodIndex. The last non-missing period of the target year is the as-of point.
        forecasts : Mapping, optional
            ``(indicator, region) ->`` a :class:`models.forecast.ForecastResults` of the same
            per-period series (its ``sample_paths`` are drawn), or a DataFrame of sample paths
            (rows are draws, columns period labels). Without one the probability is missing.

        Returns
        -------
        TargetResults
        """
        if not isinstance(targets, pd.DataFrame):
            raise ModelError("目标应为 DataFrame / targets must be a DataFrame")
        missing = {"indicator", "region", "year", "target", "basis"} - set(targets.columns)
        if missing:
            raise ModelError(f"目标表缺少列 {sorted(missing)} / targets lack columns {sorted(missing)}")
        rows = []
        for n, target in enumerate(targets.to_dict("records")):
            spec = self._spec(target, n)
            series = _series_for(actuals, spec["indicator"], spec["region"])
            paths = _paths_for(forecasts, (spec["indicator"], spec["region"]), self.n_paths, self.seed)
            rows.append(evaluate_target(spec, series, paths))
        frame = pd.DataFrame(rows, columns=COLUMNS)
        return TargetResults(frame, method="forecast_paths" if frame["prob_meeting"].notna().any() else "ytd_only")

    @staticmethod
    def _spec(target: dict, n: int) -> dict[str, Any]:
        spec = {
            "indicator": str(target["indicator"]), "region": str(target["region"]), "year": int(target["year"]),
            "target": float(target["target"]), "basis": target["basis"],
            "direction": target.get("direction") or "at_least", "aggregation": target.get("aggregation") or "sum",
        }
        for field, allowed in (("basis", BASES), ("direction", DIRECTIONS), ("aggregation", AGGREGATIONS)):
            if spec[field] not in allowed:
                raise ModelError(f"目标第 {n + 1} 行 {field} 应为 {'/'.join(allowed)}，实为 {spec[field]!r} / "
                                 f"target row {n + 1}: {field} must be one of {', '.join(allowed)}, "
                                 f"found {spec[field]!r}")
        if not np.isfinite(spec["target"]):
            raise ModelError(f"目标第 {n + 1} 行目标值无效 / target row {n + 1}: target value is not a number")
        if spec["basis"] == "growth" and spec["aggregation"] != "sum":
            raise ModelError(f"目标第 {n + 1} 行：增速目标须按合计计算 / target row {n + 1}: a growth target "
                             "needs aggregation 'sum'")
        return spec

    @classmethod
    def example(cls):
        quarters = pd.period_range("2025Q1", "2026Q3", freq="Q")
        gdp = pd.Series([100.0, 110.0, 115.0, 125.0, 105.0, 116.0, 121.0], index=quarters)
        targets = pd.DataFrame([
            {"indicator": "gdp_ytd_growth", "region": "450000", "year": 2026, "target": 5.5, "basis": "growth"},
        ])
        paths = pd.DataFrame({"2026Q4": np.linspace(125.0, 140.0, 61)})
        return cls(), (targets, {("gdp_ytd_growth", "450000"): gdp}), {"forecasts": {("gdp_ytd_growth", "450000"): paths}}


def evaluate_target(spec: dict[str, Any], series: pd.Series | None, paths: pd.DataFrame | None) -> dict[str, Any]:
    """Apply the module's formulas to one target. Returns one row of ``TargetResults.frame``."""
    row: dict[str, Any] = {k: spec[k] for k in ("indicator", "region", "year", "basis", "direction",
                                                 "aggregation", "target")}
    notes: list[str] = []
    if series is None or series.dropna().empty:
        row["note"] = "no actuals"
        return row
    freq = series.index.freqstr[0]
    if freq not in PERIODS_PER_YEAR:
        raise ModelError(f"实际值频率应为月或季 / actuals must be monthly or quarterly, found {series.index.freqstr}")
    year = spec["year"]
    this_periods = pd.period_range(f"{year}-01" if freq == "M" else f"{year}Q1",
                                   periods=PERIODS_PER_YEAR[freq], freq=freq)
    last_periods = this_periods - PERIODS_PER_YEAR[freq]
    x = series.reindex(this_periods).to_numpy(dtype=float)
    x_last = series.reindex(last_periods).to_numpy(dtype=float)
    have_last_year = bool(np.isfinite(x_last).any())
    # periods not published last year (e.g. January under 1–2月合并) are dropped from both years
    published = np.isfinite(x_last) if have_last_year else np.ones(len(x), dtype=bool)
    observed = np.flatnonzero(np.isfinite(x))
    k = int(observed[-1]) if len(observed) else -1
    elapsed = (np.arange(len(x)) <= k) & published
    remaining = (np.arange(len(x)) > k) & published
    row["as_of"] = str(this_periods[k]) if k >= 0 else None
    row["periods_elapsed"], row["periods_remaining"] = int(elapsed.sum()), int(remaining.sum())
    target, g = spec["target"], spec["target"] / 100.0
    at_least = spec["direction"] == "at_least"

    if spec["aggregation"] == "sum":
        A = float(np.nansum(x[elapsed]))
        A_last = float(np.nansum(x_last[elapsed])) if have_last_year else np.nan
        L = float(np.nansum(x_last[published])) if have_last_year else np.nan
        R_last = L - A_last
        row["ytd_value"], row["ytd_last_year"] = A, A_last
        row["ytd_growth"] = (A / A_last - 1) * 100 if elapsed.any() and A_last else np.nan
        if spec["basis"] == "growth":
            if not have_last_year:
                row["note"] = "no data for last year: growth cannot be assessed"
                return row
            total_needed = (1 + g) * L
            row["ytd_figure"] = row["ytd_growth"]
        else:
            total_needed = target
            row["ytd_figure"] = A
        row["gap_to_target"] = row["ytd_figure"] - target if np.isfinite(row["ytd_figure"]) else np.nan
        row["share_reached"] = A / total_needed if total_needed else np.nan
        row["required_remaining_value"] = total_needed - A
        row["required_remaining_growth"] = (
            ((total_needed - A) / R_last - 1) * 100 if have_last_year and remaining.any() and R_last > 0 else np.nan
        )

        def full_year(rest_sums: np.ndarray) -> np.ndarray:
            total = A + rest_sums
            return (total / L - 1) * 100 if spec["basis"] == "growth" else total
    else:
        seen = elapsed & np.isfinite(x)
        c, m = int(seen.sum()), int(remaining.sum())
        S = float(np.nansum(x[seen]))
        row["ytd_value"] = S / c if c else np.nan
        row["ytd_last_year"] = float(np.nanmean(x_last[seen])) if have_last_year and c else np.nan
        row["ytd_figure"] = row["ytd_value"]
        row["gap_to_target"] = row["ytd_value"] - target if c else np.nan
        row["required_remaining_value"] = (target * (c + m) - S) / m if m else np.nan
        notes.append("average target: required value is the mean the remaining periods need")

        def full_year(rest_sums: np.ndarray) -> np.ndarray:
            return (S + rest_sums) / (c + m)

    def meets(figure: np.ndarray) -> np.ndarray:
        return figure >= target - 1e-12 if at_least else figure <= target + 1e-12

    if not remaining.any():
        final = float(full_year(np.zeros(1))[0])
        row["forecast_full_year"] = row["forecast_lower_80"] = row["forecast_upper_80"] = final
        row["prob_meeting"] = float(meets(np.array([final]))[0])
        notes.append("year complete: outcome known")
    elif paths is None:
        notes.append("no forecast: probability not computed")
    else:
        needed = [str(p) for p in this_periods[remaining]]
        lacking = [p for p in needed if p not in paths.columns]
        if lacking:
            notes.append(f"forecast lacks {', '.join(lacking)}: probability not computed")
        else:
            figures = full_year(paths[needed].to_numpy(dtype=float).sum(axis=1))
            figures = figures[np.isfinite(figures)]
            if len(figures):
                row["forecast_full_year"] = float(np.mean(figures))
                row["forecast_lower_80"], row["forecast_upper_80"] = (float(q) for q in np.quantile(figures, [0.1, 0.9]))
                row["prob_meeting"] = float(np.mean(meets(figures)))
                notes.append(f"probability from {len(figures)} forecast paths")
    row["note"] = "; ".join(notes) or None
    return row


class TargetResults(ModelResults):
    """One row per target (columns in ``models.targets.COLUMNS``); growth figures are in %,
    shares and probabilities are fractions (0–1)."""

    model = TargetProgress.name

    def __init__(self, frame: pd.DataFrame, method: str):
        self.frame, self.method = frame, method

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def summary(self) -> dict[str, Any]:
        prob = self.frame["prob_meeting"]
        return json_safe({
            "n_targets": len(self.frame),
            "n_with_probability": int(prob.notna().sum()),
            "n_likely_met": int((prob >= 0.5).sum()),
            "n_at_risk": int((prob < 0.5).sum()),
            "targets": [
                {k: r[k] for k in ("indicator", "region", "year", "target", "ytd_figure", "required_remaining_growth",
                                   "required_remaining_value", "prob_meeting")}
                for r in self.frame.to_dict("records")
            ],
        })
