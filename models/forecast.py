"""Automatic univariate forecasts with prediction intervals (形势预判).

One indicator at a time: the series is log-transformed when strictly positive, tested for
seasonality, and a small grid of exponential-smoothing (ETS) and seasonal ARIMA specifications is
searched within a time budget. Within each family the specification with the smallest AICc wins;
the two family winners are compared on a rolling-origin back-test by the mean absolute scaled error
(MASE), because likelihoods of ETS and ARIMA models are not comparable (Hyndman & Athanasopoulos,
2021, §9.10). The back-test of the chosen model is reported.

References
----------
Hyndman, R. J., Koehler, A. B., Ord, J. K. & Snyder, R. D. (2008). *Forecasting with Exponential
    Smoothing: The State Space Approach*. Springer. (ETS, exact prediction variances, class 1.)
Hyndman, R. J. & Khandakar, Y. (2008). Automatic time series forecasting: the forecast package for
    R. *Journal of Statistical Software* 27(3). (KPSS for d, AICc for the orders, drift when d+D ≤ 1.)
Hyndman, R. J. & Koehler, A. B. (2006). Another look at measures of forecast accuracy.
    *International Journal of Forecasting* 22(4), 679–688. (MASE.)
Tashman, L. J. (2000). Out-of-sample tests of forecasting accuracy: an analysis and review.
    *International Journal of Forecasting* 16(4), 437–450. (Rolling-origin evaluation.)
Wang, X., Smith, K. A. & Hyndman, R. J. (2006). Characteristic-based clustering for time series
    data. *Data Mining and Knowledge Discovery* 13(3), 335–364. (Seasonal strength.)
Hyndman, R. J. & Athanasopoulos, G. (2021). *Forecasting: Principles and Practice*, 3rd ed.
    OTexts. (Bias-adjusted back-transformation, §5.6.)
"""

from __future__ import annotations

import contextlib
import time
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import norm

from models.base import Model, ModelError, ModelResults, json_safe, register, require_series

# Seasonal when STL's seasonal strength reaches 0.64, the cut-off fable/feasts use for one seasonal
# difference (unitroot_nsdiffs, after Wang, Smith & Hyndman 2006).
SEASONAL_STRENGTH_THRESHOLD = 0.64
KPSS_ALPHA = 0.05
Z80 = float(norm.ppf(0.90))
Z95 = float(norm.ppf(0.975))
PERIODS_PER_YEAR = {"M": 12, "Q": 4}


def _single_threaded_blas():
    """State-space matrices here are tiny: threaded BLAS only adds contention, which made fits up to
    ten times slower on a shared two-core machine. threadpoolctl comes with scikit-learn."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn is a requirement
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


@dataclass(frozen=True)
class Candidate:
    """One specification on the grid: an additive-error ETS model or a seasonal ARIMA."""

    family: Literal["ets", "sarima"]
    period: int
    seasonal: bool = False
    trend: str | None = None  # ETS trend: None or "add"
    damped: bool = False
    order: tuple[int, int, int] = (0, 0, 0)
    seasonal_order: tuple[int, int, int, int] = (0, 0, 0, 0)
    arima_trend: str | None = None  # "c" (constant) or "t" (drift after differencing)

    @property
    def label(self) -> str:
        if self.family == "ets":
            trend = "N" if self.trend is None else ("Ad" if self.damped else "A")
            return f"ETS(A,{trend},{'A' if self.seasonal else 'N'})"
        p, d, q = self.order
        text = f"ARIMA({p},{d},{q})"
        if self.seasonal:
            P, D, Q, m = self.seasonal_order
            text = f"S{text}({P},{D},{Q})[{m}]"
        if self.arima_trend == "c":
            text += " with constant"
        elif self.arima_trend == "t":
            text += " with drift"
        return text

    def fit(self, y: np.ndarray, start_params=None) -> "_Fitted":
        # A RangeIndex Series, not an ndarray: ETS prediction needs a pandas index in statsmodels 0.15.
        endog = pd.Series(y, dtype=float)
        with warnings.catch_warnings():
            # convergence and start-value warnings are expected on a grid; a failed fit is skipped
            warnings.simplefilter("ignore")
            if self.family == "ets":
                from statsmodels.tsa.exponential_smoothing.ets import ETSModel

                model = ETSModel(
                    endog, error="add", trend=self.trend, damped_trend=self.damped,
                    seasonal="add" if self.seasonal else None,
                    seasonal_periods=self.period if self.seasonal else None,
                )
                res = model.fit(disp=False, start_params=start_params)
            else:
                from statsmodels.tsa.statespace.sarimax import SARIMAX

                model = SARIMAX(endog, order=self.order, seasonal_order=self.seasonal_order,
                                trend=self.arima_trend)
                res = model.fit(disp=False, start_params=start_params)
        if not np.isfinite(res.aicc):
            raise ModelError("似然不可计算 / likelihood not finite")
        return _Fitted(self, res, len(y))


class _Fitted:
    """A fitted candidate: Gaussian forecast distribution on the model scale and sample paths."""

    def __init__(self, candidate: Candidate, res, nobs: int):
        self.candidate, self.res, self.nobs = candidate, res, nobs

    @property
    def aicc(self) -> float:
        return float(self.res.aicc)

    @property
    def params(self):
        return self.res.params

    def forecast(self, steps: int) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of the h-step forecasts (model scale)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if self.candidate.family == "ets":
                # All candidates are additive-error ETS (class 1): exact Gaussian variances exist.
                pred = self.res.get_prediction(start=self.nobs, end=self.nobs + steps - 1, method="exact")
                mean, var = np.asarray(pred.predicted_mean), np.asarray(pred.forecast_variance)
            else:
                pred = self.res.get_forecast(steps)
                mean, var = np.asarray(pred.predicted_mean), np.asarray(pred.var_pred_mean)
        return mean.astype(float), np.sqrt(np.maximum(var.astype(float), 0.0))

    def simulate(self, steps: int, n_paths: int, rng: np.random.Generator) -> np.ndarray:
        """Joint sample paths from the fitted state-space model, shape (steps, n_paths)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sims = self.res.simulate(steps, anchor="end", repetitions=n_paths, rng=rng)
        return np.asarray(sims, dtype=float).reshape(steps, n_paths)


def seasonal_strength(y: np.ndarray, period: int) -> float | None:
    """STL seasonal strength ``max(0, 1 - Var(R) / Var(S + R))`` (Wang, Smith & Hyndman 2006).

    Interior gaps are interpolated linearly for this measure only. ``None`` when the series
    is shorter than two full seasons plus one.
    """
    from statsmodels.tsa.seasonal import STL

    if len(y) < 2 * period + 1:
        return None
    filled = pd.Series(y).interpolate(limit_direction="both").to_numpy()
    decomposition = STL(filled, period=period, robust=True).fit()
    remainder, seasonal = decomposition.resid, decomposition.seasonal
    denominator = np.var(seasonal + remainder)
    if denominator <= 0:
        return 0.0
    return float(max(0.0, 1.0 - np.var(remainder) / denominator))


def kpss_differences(y: np.ndarray) -> int:
    """0 or 1 ordinary differences by the KPSS test at 5% (Hyndman & Khandakar 2008), capped at one
    because a second difference widens intervals on economic series without a gain in accuracy."""
    from statsmodels.tsa.stattools import kpss

    x = y[np.isfinite(y)]
    if len(x) < 8 or np.ptp(x) == 0:
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # InterpolationWarning when p is outside the table
        p_value = kpss(x, regression="c", nlags="auto")[1]
    return int(p_value < KPSS_ALPHA)


def scaled_errors(history: np.ndarray, actual: np.ndarray, predicted: np.ndarray, period: int) -> np.ndarray:
    """Absolute errors divided by the in-sample mean absolute error of the one-step seasonal naive
    forecast (naive when ``period`` is 1): the q_t of Hyndman & Koehler (2006, eq. 8)."""
    lag = period if len(history) > period + 1 else 1
    naive_errors = np.abs(history[lag:] - history[:-lag])
    scale = np.nanmean(naive_errors) if np.isfinite(naive_errors).any() else np.nan
    if not np.isfinite(scale) or scale == 0:
        return np.full(len(actual), np.nan)
    return np.abs(actual - predicted) / scale


def seasonal_naive(history: np.ndarray, steps: int, period: int) -> np.ndarray:
    """ŷ_{T+h} = y_{T+h-m·ceil(h/m)}: last year's value for the same month or quarter."""
    last_season = history[-period:]
    return np.array([last_season[(h % period)] for h in range(steps)])


@register
class AutoForecast(Model):
    """Automatic ETS / seasonal-ARIMA forecasts with 80% and 95% prediction intervals.

    Parameters
    ----------
    time_budget_s : float or None
        Wall-clock budget for the specification search and the back-test. It is checked between
        fits (a fit in progress is not interrupted, so the search can overrun by one fit). When it
        is exceeded the search stops with the best specification found so far and the summary
        says so (``budget_exhausted``). ``None`` searches the whole grid, which also makes results
        independent of machine speed.
    transform : {"auto", "log", "none"}
        ``auto`` models the logarithm when every observation is positive, so that intervals
        scale with the level and stay positive; the point forecast is then the bias-adjusted mean
        ``exp(μ + σ²/2)`` (Hyndman & Athanasopoulos 2021, §5.6).
    seasonal : bool or None
        ``None`` decides from the STL seasonal strength (≥ 0.64 is seasonal).
    families : tuple of {"ets", "sarima"}
        Which model families to search.
    max_order : int
        Largest non-seasonal AR and MA order on the ARIMA grid (seasonal orders are at most 1).
    n_origins : int
        Rolling origins in the back-test, spaced ``max(1, m // 4)`` periods apart (a quarter for
        monthly data), each forecasting ``mase_horizon = min(horizon, m)`` periods ahead.
    """

    name = "forecast"

    def __init__(self, time_budget_s: float | None = 5.0, transform: str = "auto", seasonal: bool | None = None,
                 families: tuple[str, ...] = ("ets", "sarima"), max_order: int = 2, n_origins: int = 4):
        if transform not in ("auto", "log", "none"):
            raise ModelError(f"未知变换“{transform}” / unknown transform '{transform}'")
        if not families or set(families) - {"ets", "sarima"}:
            raise ModelError(f"模型族应为 ets/sarima / families must be among ets, sarima: {families}")
        self.time_budget_s = time_budget_s
        self.transform = transform
        self.seasonal = seasonal
        self.families = tuple(families)
        self.max_order = int(max_order)
        self.n_origins = int(n_origins)

    def fit(self, data: pd.Series, horizon: int = 12) -> "ForecastResults":
        """Choose a specification, fit it and forecast ``horizon`` periods ahead.

        Parameters
        ----------
        data : pd.Series
            Monthly or quarterly values on a ``PeriodIndex``; interior gaps (NaN, e.g. January
            under 1–2月合并) are allowed and handled by the ARIMA Kalman filter (ETS is skipped
            when the series has gaps). Leading and trailing gaps are dropped.
        horizon : int
            Number of periods to forecast after the last observation.

        Returns
        -------
        ForecastResults
        """
        with _single_threaded_blas():
            return self._fit(data, horizon)

    def _fit(self, data: pd.Series, horizon: int) -> "ForecastResults":
        started = time.perf_counter()
        series = require_series(data, min_length=8)
        if horizon < 1:
            raise ModelError(f"预测步数应 ≥ 1 / horizon must be at least 1, found {horizon}")
        observed = series.notna().to_numpy()
        series = series.iloc[int(np.argmax(observed)): len(series) - int(np.argmax(observed[::-1]))]
        freq = series.index.freqstr[0]
        period = PERIODS_PER_YEAR[freq]
        y = series.to_numpy(dtype=float)
        has_gaps = bool(np.isnan(y).any())
        notes: list[str] = []

        use_log = self.transform == "log" or (self.transform == "auto" and np.nanmin(y) > 0)
        if use_log and np.nanmin(y) <= 0:
            raise ModelError("对数变换要求全部为正值 / the log transform needs positive values")
        z = np.log(y) if use_log else y

        strength = seasonal_strength(z, period)
        seasonal = self.seasonal if self.seasonal is not None else bool(
            strength is not None and strength >= SEASONAL_STRENGTH_THRESHOLD
        )
        if seasonal and len(z) < 2 * period + 3:
            seasonal = False
            notes.append("too short for a seasonal model: fewer than two seasons plus three periods")
        D = int(seasonal and len(z) >= 3 * period + 2)
        d = kpss_differences(np.diff(z, n=period) if D and len(z) > period else z)

        families = [f for f in self.families if not (f == "ets" and has_gaps)]
        if has_gaps and "ets" in self.families:
            notes.append("series has gaps: ETS skipped, ARIMA handles missing values")
        if not families:
            raise ModelError("序列有缺失值，ETS 无法处理 / the series has gaps and only ETS was allowed")
        grid = candidate_grid(period, seasonal, d, D, families, self.max_order)

        budget = self.time_budget_s
        over_budget = lambda: budget is not None and time.perf_counter() - started >= budget  # noqa: E731
        best: dict[str, _Fitted] = {}
        tried, failed, exhausted = [], 0, False
        for cand in grid:
            if best and over_budget():
                exhausted = True
                break
            try:
                fitted = cand.fit(z)
            except Exception:  # noqa: BLE001 - statsmodels raises many types on a bad start
                failed += 1
                continue
            tried.append({"specification": cand.label, "aicc": fitted.aicc})
            if cand.family not in best or fitted.aicc < best[cand.family].aicc:
                best[cand.family] = fitted
        if not best:
            raise ModelError("所有候选模型均拟合失败 / every candidate specification failed to fit")
        if exhausted:
            notes.append(f"time budget of {budget:g} s exceeded: search stopped after {len(tried) + failed} "
                         f"of {len(grid)} candidates")

        mase_horizon = min(horizon, period)
        backtest = rolling_origin(list(best.values()), y, z, use_log, period, mase_horizon, self.n_origins,
                                  over_budget)
        if backtest["budget_cut"]:
            exhausted = True
        chosen = min(best.values(), key=lambda f: (_nan_last(backtest["mase"].get(f.candidate.label)),
                                                   self.families.index(f.candidate.family)))
        loc, scale = chosen.forecast(horizon)
        last = series.index[-1]
        periods = pd.PeriodIndex([last + h for h in range(1, horizon + 1)])
        return ForecastResults(
            history=series, periods=periods, loc=loc, scale=scale, log=use_log, fitted=chosen,
            info={
                "specification": chosen.candidate.label,
                "family": chosen.candidate.family,
                "transform": "log" if use_log else "none",
                "seasonal": seasonal,
                "seasonal_period": period,
                "seasonal_strength": strength,
                "differences": {"d": d, "D": D},
                "aicc": chosen.aicc,
                "selection": "AICc within each family; rolling-origin MASE between families",
                "family_winners": {f.candidate.label: {"aicc": f.aicc, "mase": backtest["mase"].get(f.candidate.label)}
                                   for f in best.values()},
                "mase": backtest["mase"].get(chosen.candidate.label),
                "mase_seasonal_naive": backtest["mase_snaive"],
                "mase_horizon": mase_horizon,
                "n_origins": backtest["n_origins"],
                "candidates_total": len(grid),
                "candidates_tried": len(tried) + failed,
                "candidates_failed": failed,
                "candidates": tried,
                "time_budget_s": budget,
                "budget_exhausted": exhausted,
                "elapsed_s": round(time.perf_counter() - started, 3),
                "n_obs": int(np.isfinite(y).sum()),
                "last_period": str(last),
                "horizon": horizon,
                "notes": notes,
            },
        )

    @classmethod
    def example(cls):
        quarters = pd.period_range("2015Q1", "2024Q4", freq="Q")
        t = np.arange(len(quarters))
        rng = np.random.default_rng(7)
        values = 1000 * np.exp(0.015 * t) * np.array([0.9, 1.0, 1.02, 1.08])[t % 4] * np.exp(rng.normal(0, 0.01, len(t)))
        # no time budget: the full grid is searched, so the result does not depend on machine speed
        return (cls(time_budget_s=None, max_order=1, n_origins=2), (pd.Series(values, index=quarters),),
                {"horizon": 8})


def _nan_last(value) -> float:
    return np.inf if value is None or not np.isfinite(value) else float(value)


def candidate_grid(period: int, seasonal: bool, d: int, D: int, families, max_order: int = 2) -> list[Candidate]:
    """The small grid, cheapest and most often chosen first, so that a budget cut keeps them."""
    grid: list[Candidate] = []
    if "ets" in families:
        for trend, damped in ((None, False), ("add", True), ("add", False)):
            grid.append(Candidate("ets", period, seasonal, trend, damped))
    if "sarima" in families:
        pq = [(p, q) for (p, q) in [(0, 1), (1, 0), (1, 1), (2, 0), (0, 2), (2, 1), (1, 2)]
              if max(p, q) <= max_order]
        if d + D > 0:
            pq.insert(0, (0, 0))
        seasonal_pq = [(0, 1), (1, 0), (1, 1)] if seasonal else [(0, 0)]
        # a constant when undifferenced, a drift after one difference, nothing after two
        # (Hyndman & Khandakar 2008)
        arima_trend = {0: "c", 1: "t"}.get(d + D)
        specs = [
            Candidate("sarima", period, seasonal, order=(p, d, q),
                      seasonal_order=(P, D, Q, period) if seasonal else (0, 0, 0, 0), arima_trend=arima_trend)
            for (P, Q) in seasonal_pq for (p, q) in pq
        ]
        # the airline model (0,d,1)(0,D,1) first, then by number of coefficients
        specs.sort(key=lambda c: (c.order != (0, d, 1) or c.seasonal_order[::2] != (0, 1),
                                  sum(c.order[::2]) + sum(c.seasonal_order[:3:2])))
        grid += specs
    return grid


def rolling_origin(fits: list[_Fitted], y: np.ndarray, z: np.ndarray, use_log: bool, period: int, steps: int,
                   n_origins: int, over_budget) -> dict[str, Any]:
    """Rolling-origin back-test (Tashman 2000) of fixed specifications, re-estimated at each origin.

    Origins are the last ``n_origins`` points, ``max(1, m // 4)`` apart, from which ``steps``
    periods can be evaluated. Each origin's errors are scaled by the seasonal naive MAE of its own
    training data; MASE is the mean scaled error over all origins and horizons. At least one origin
    is always evaluated for every specification; later origins stop when the budget is spent.
    """
    spacing = max(1, period // 4)
    min_train = max(2 * period + 3, 8)
    origins = [len(y) - steps - k * spacing for k in range(n_origins)]
    origins = [o for o in origins if o >= min_train]
    errors: dict[str, list[np.ndarray]] = {f.candidate.label: [] for f in fits}
    naive_errors: list[np.ndarray] = []
    done, budget_cut = 0, False
    for origin in origins:
        if done and over_budget():
            budget_cut = True
            break
        train, test = y[:origin], y[origin: origin + steps]
        for fitted in fits:
            try:
                refit = fitted.candidate.fit(z[:origin], start_params=fitted.params)
                loc, scale = refit.forecast(steps)
                point = np.exp(loc + scale**2 / 2) if use_log else loc
            except Exception:  # noqa: BLE001 - a failed refit counts as missing, not as zero error
                point = np.full(steps, np.nan)
            errors[fitted.candidate.label].append(scaled_errors(train, test, point, period))
        filled = pd.Series(train).ffill().to_numpy()
        naive_errors.append(scaled_errors(train, test, seasonal_naive(filled, steps, period), period))
        done += 1
    mean_or_none = lambda parts: (float(np.nanmean(np.concatenate(parts)))  # noqa: E731
                                  if parts and np.isfinite(np.concatenate(parts)).any() else None)
    return {
        "mase": {label: mean_or_none(parts) for label, parts in errors.items()},
        "mase_snaive": mean_or_none(naive_errors),
        "n_origins": done,
        "budget_cut": budget_cut,
    }


class ForecastResults(ModelResults):
    """Forecasts with 80% and 95% intervals, and the forecast distribution behind them.

    The distribution is Gaussian on the model scale (log or original): ``forecast_distribution``
    gives its per-horizon location and scale, and ``sample_paths`` draws joint paths from the
    fitted state-space model (seeded, so repeatable), which is what sums over several future
    periods — as in annual-target probabilities — need, because forecast errors are correlated
    across horizons.
    """

    model = AutoForecast.name

    def __init__(self, history: pd.Series, periods: pd.PeriodIndex, loc: np.ndarray, scale: np.ndarray, log: bool,
                 fitted: _Fitted, info: dict[str, Any]):
        self.history, self.periods, self.loc, self.scale, self.log = history, periods, loc, scale, log
        self._fitted = fitted
        self.info = info
        self.method = info["family"]

    def _back(self, x: np.ndarray) -> np.ndarray:
        return np.exp(x) if self.log else x

    @property
    def mean(self) -> np.ndarray:
        return np.exp(self.loc + self.scale**2 / 2) if self.log else self.loc

    def interval(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Central prediction interval at ``level`` (e.g. 0.8): quantiles, back-transformed."""
        z = float(norm.ppf(0.5 + level / 2))
        return self._back(self.loc - z * self.scale), self._back(self.loc + z * self.scale)

    def to_frame(self) -> pd.DataFrame:
        lo80, hi80 = self._back(self.loc - Z80 * self.scale), self._back(self.loc + Z80 * self.scale)
        lo95, hi95 = self._back(self.loc - Z95 * self.scale), self._back(self.loc + Z95 * self.scale)
        return pd.DataFrame({
            "period": [str(p) for p in self.periods], "mean": self.mean,
            "lower_80": lo80, "upper_80": hi80, "lower_95": lo95, "upper_95": hi95,
        })

    def forecast_distribution(self) -> pd.DataFrame:
        """Per horizon: ``loc``/``scale`` of the Gaussian on the model scale (log-normal in levels
        when ``transform`` is log), and the implied ``mean`` and ``sd`` in the series' units."""
        if self.log:
            sd = np.sqrt((np.exp(self.scale**2) - 1) * np.exp(2 * self.loc + self.scale**2))
        else:
            sd = self.scale
        return pd.DataFrame({
            "period": [str(p) for p in self.periods], "horizon": np.arange(1, len(self.periods) + 1),
            "loc": self.loc, "scale": self.scale, "transform": "log" if self.log else "none",
            "mean": self.mean, "sd": sd,
        })

    def sample_paths(self, n_paths: int = 2000, seed: int = 20240101) -> pd.DataFrame:
        """Joint future paths in the series' units: rows are draws, columns are period labels.

        Drawn by simulating the fitted state-space model forward from the last observation
        (parameter uncertainty is not included), with a fixed seed so results are repeatable.
        """
        with _single_threaded_blas():
            draws = self._fitted.simulate(len(self.periods), n_paths, np.random.default_rng(seed))
        return pd.DataFrame(self._back(draws).T, columns=[str(p) for p in self.periods])

    def summary(self) -> dict[str, Any]:
        return json_safe(dict(self.info))
