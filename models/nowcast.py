"""Nowcasts of quarterly GDP growth (real, year on year) from monthly indicators.

China publishes quarterly GDP as a volume index on the same quarter of the preceding year
(上年同期=100), so the target is real year-on-year growth in %, and the monthly indicators are given
in the same spirit: year-on-year growth or another stationary form (a diffusion index, a rate).
Preparing them from the stored publications is the service's job; the models here receive

* ``monthly``: a ``DataFrame`` on a monthly ``PeriodIndex``, one column per indicator, NaN where a
  value is not (yet) published — the *ragged edge* of the real-time data flow;
* ``quarterly_target``: a ``Series`` on a quarterly ``PeriodIndex``, the published GDP growth;
* ``target_period``: the quarter to nowcast. Its own value, and anything after it, is never used.

Five models share the interface of :mod:`models.base`:

``dfm``
    A mixed-frequency dynamic factor model estimated by the EM algorithm (Bańbura & Modugno 2014)
    with the quarterly target tied to the monthly factors by the Mariano & Murasawa (2003)
    aggregation, as implemented in statsmodels' ``DynamicFactorMQ``. Factors come in blocks: a global
    factor loading on everything, plus one factor per domain block (production, demand, …). Its
    results decompose a revision of the nowcast between two data vintages into the *news* of each
    release (Bańbura, Giannone, Modugno & Reichlin 2013).
``bridge``
    Bridge equations (Baffigi, Golinelli & Parigi 2004; Kitchen & Monaco 2003): each indicator is
    averaged to quarters, the months of the target quarter not yet published are filled by AR
    forecasts, and the target is regressed by OLS on each quarterly indicator; the equations'
    nowcasts are averaged (forecast combination, Timmermann 2006).
``combination``
    The equal-weight mean of ``dfm`` and ``bridge`` (Timmermann 2006).
``ar1``, ``last_value``
    The benchmarks every nowcast must beat: an AR(1) on the target, and the last published value
    (a random walk).

When the quarters between the last published one and the target are missing (a province that skips
releases), ``dfm`` and ``bridge`` start from the latest published value and move with the monthly
data of every quarter since; four or more quarters after it they use the level form instead
(:func:`anchored_form`).

:func:`backtest` runs any of them in pseudo-real time over a list of quarters and scores them
separately in calm and turbulent periods.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from models.base import Model, ModelError, ModelResults, json_safe, register, require_series

LEVEL = 0.90  # default coverage of the nowcast interval
TARGET_NAME = "gdp"  # the column name the quarterly target takes inside the factor model
MIN_TARGET_OBS = 8  # quarters of published target needed to estimate anything
MIN_MONTHLY_OBS = 24  # months an indicator needs to enter a model
# Quarters that count as turbulent whatever their size of change: the pandemic shock and the base
# effects it left in year-on-year growth (2020Q1 −6.8 %, 2021Q1 +18.3 % nationally).
TURBULENT_SPAN = (pd.Period("2020Q1", "Q"), pd.Period("2021Q4", "Q"))
# …and any quarter whose published growth moved by more than this many percentage points.
TURBULENT_JUMP = 1.5
# The change form anchors on the last published quarter while it shares at least one
# quarter-on-quarter growth rate with the target quarter (see :func:`anchored_form`).
MAX_ANCHOR_HORIZON = 3


def single_threaded_blas():
    """Limit BLAS to one thread while the Kalman filter runs.

    The state-space recursions multiply small matrices thousands of times; a multi-threaded BLAS
    only adds synchronisation, and on a shared two-core machine (several refresh workers) it made a
    fit five times slower in our measurements. ``threadpoolctl`` ships with scikit-learn."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - the fit still works, only slower under contention
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


# ------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class NowcastInputs:
    """Checked inputs: the target strictly before ``period``, monthly data up to its last month."""

    monthly: pd.DataFrame
    target: pd.Series
    period: pd.Period

    @property
    def last_month(self) -> pd.Period:
        return self.period.asfreq("M", "end")


def as_quarter(period) -> pd.Period:
    """A quarter from a ``pd.Period``, a label such as ``"2024Q3"``, or a date."""
    try:
        p = period if isinstance(period, pd.Period) else pd.Period(period, freq="Q")
    except (ValueError, TypeError) as exc:
        raise ModelError(f"无法识别的季度“{period}” / not a quarter: {period!r}") from exc
    if not p.freqstr.startswith("Q"):
        p = p.asfreq("Q")
    return p


def prepare_inputs(monthly: pd.DataFrame | None, quarterly_target: pd.Series, target_period,
                   need_monthly: bool = True) -> NowcastInputs:
    """Check the input conventions and cut everything the nowcast of ``target_period`` may not see.

    Raises
    ------
    ModelError
        When the target has too few published quarters before ``target_period``, the monthly
        frame is not on a monthly ``PeriodIndex``, or (``need_monthly``) no indicator is usable.
    """
    period = as_quarter(target_period)
    target = require_series(quarterly_target, "quarterly_target", freqs=("Q",))
    target = target[target.index < period].dropna()
    if len(target) < MIN_TARGET_OBS:
        raise ModelError(f"{period} 之前的目标值只有 {len(target)} 个季度，至少需要 {MIN_TARGET_OBS} 个 / "
                         f"only {len(target)} published quarters before {period}; at least {MIN_TARGET_OBS} needed")
    if monthly is None:
        monthly = pd.DataFrame(index=pd.PeriodIndex([], freq="M"))
    if not isinstance(monthly, pd.DataFrame):
        raise ModelError("monthly 应为 pandas DataFrame / monthly must be a pandas DataFrame")
    if not isinstance(monthly.index, pd.PeriodIndex) or not (monthly.index.freqstr or "").startswith("M"):
        raise ModelError("monthly 的索引应为月度 PeriodIndex / monthly must have a monthly PeriodIndex")
    if monthly.index.has_duplicates or not monthly.index.is_monotonic_increasing:
        raise ModelError("monthly 的时期应唯一且递增 / monthly periods must be unique and increasing")
    last = period.asfreq("M", "end")
    monthly = monthly.loc[monthly.index <= last].astype(float)
    usable = [c for c in monthly.columns if monthly[c].notna().sum() >= MIN_MONTHLY_OBS]
    if need_monthly and not usable:
        raise ModelError(f"没有至少 {MIN_MONTHLY_OBS} 个月观测值的月度指标 / "
                         f"no monthly indicator has {MIN_MONTHLY_OBS} observations")
    return NowcastInputs(monthly[usable].copy(), target, period)


# ------------------------------------------------------------------ results


class NowcastResults(ModelResults):
    """A nowcast of one quarter: the point, an interval and the model's diagnostics.

    Attributes
    ----------
    period : pd.Period
        The quarter nowcast.
    point : float
        The nowcast of real GDP growth (%, year on year).
    lower, upper : float
        The interval at coverage ``level`` (Gaussian, from the model's own error variance).
    details : dict
        Model-specific scalars (indicators used, fit statistics); JSON-safe.
    """

    def __init__(self, model: str, method: str, period: pd.Period, point: float, std: float,
                 level: float = LEVEL, details: dict[str, Any] | None = None):
        self.model, self.method, self.period = model, method, period
        self.point = float(point)
        self.std = float(std)
        self.level = float(level)
        half = stats.norm.ppf(0.5 + level / 2) * self.std
        self.lower, self.upper = self.point - half, self.point + half
        self.details = details or {}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"period": str(self.period), "point": self.point, "lower": self.lower,
                              "upper": self.upper, "level": self.level, "model": self.model, "method": self.method}])

    def summary(self) -> dict[str, Any]:
        return json_safe({"model": self.model, "method": self.method, "period": self.period, "point": self.point,
                          "interval": {"lower": self.lower, "upper": self.upper, "level": self.level},
                          "std": self.std, **self.details})


# ------------------------------------------------------------------ benchmarks


def _ar1_coefficients(y: pd.Series) -> tuple[float, float, float]:
    """OLS of y_t on (1, y_{t-1}) over consecutive quarters: intercept, slope, residual std."""
    lagged = y.shift(1, freq="Q") if isinstance(y.index, pd.PeriodIndex) else y.shift(1)
    pairs = pd.concat([y, lagged.reindex(y.index)], axis=1).dropna()
    if len(pairs) < 4:
        raise ModelError("目标序列连续观测太少，无法估计 AR(1) / too few consecutive quarters to fit an AR(1)")
    x = np.column_stack([np.ones(len(pairs)), pairs.iloc[:, 1].to_numpy()])
    beta, *_ = np.linalg.lstsq(x, pairs.iloc[:, 0].to_numpy(), rcond=None)
    resid = pairs.iloc[:, 0].to_numpy() - x @ beta
    sigma = float(np.sqrt(resid @ resid / max(len(pairs) - 2, 1)))
    return float(beta[0]), float(beta[1]), sigma


def _ar1_path(y: pd.Series, horizon: int) -> tuple[float, float]:
    """The ``horizon``-step AR(1) forecast from the last value and its standard error."""
    c, phi, sigma = _ar1_coefficients(y)
    value, var = float(y.iloc[-1]), 0.0
    for h in range(horizon):
        value = c + phi * value
        var += sigma ** 2 * phi ** (2 * h)
    return value, math.sqrt(var)


def _horizon(target: pd.Series, period: pd.Period) -> int:
    return int((period - target.index[-1]).n)


@register
class AR1Nowcast(Model):
    """Benchmark: an AR(1) on the quarterly target, iterated to the target quarter.

    The forecast ignores every monthly indicator, which is what makes it the yardstick: a nowcast
    model earns its keep by beating it (Bańbura, Giannone, Modugno & Reichlin 2013, sect. 5).
    """

    name = "ar1"

    def __init__(self, level: float = LEVEL):
        self.level = level

    def fit(self, monthly: pd.DataFrame | None, quarterly_target: pd.Series, target_period) -> NowcastResults:
        """Fit y_t = c + φ y_{t−1} + e_t by OLS on the published quarters and forecast ``target_period``.

        Parameters
        ----------
        monthly : DataFrame or None
            Ignored (accepted so that every nowcast model is called the same way).
        quarterly_target : Series
            Published real GDP growth (%) on a quarterly ``PeriodIndex``.
        target_period : pd.Period or str
            The quarter to nowcast; its own value, if present, is not used.
        """
        inputs = prepare_inputs(monthly, quarterly_target, target_period, need_monthly=False)
        h = _horizon(inputs.target, inputs.period)
        point, std = _ar1_path(inputs.target, h)
        c, phi, _ = _ar1_coefficients(inputs.target)
        return NowcastResults(self.name, "ols_ar1", inputs.period, point, std, self.level,
                              {"horizon": h, "intercept": c, "phi": phi, "n_quarters": len(inputs.target)})

    @classmethod
    def example(cls):
        target = _example_data()[1]
        return cls(), (None, target, target.index[-1] + 1), {}


@register
class LastValueNowcast(Model):
    """Benchmark: the last published value of the target (a random-walk forecast).

    The interval uses the standard deviation of the target's quarter-to-quarter changes, scaled
    by the square root of the horizon.
    """

    name = "last_value"

    def __init__(self, level: float = LEVEL):
        self.level = level

    def fit(self, monthly: pd.DataFrame | None, quarterly_target: pd.Series, target_period) -> NowcastResults:
        """Return the last published value before ``target_period`` as the nowcast.

        Parameters
        ----------
        monthly : DataFrame or None
            Ignored.
        quarterly_target : Series
            Published real GDP growth (%) on a quarterly ``PeriodIndex``.
        target_period : pd.Period or str
            The quarter to nowcast.
        """
        inputs = prepare_inputs(monthly, quarterly_target, target_period, need_monthly=False)
        y = inputs.target
        h = _horizon(y, inputs.period)
        changes = y.diff().dropna()
        std = float(changes.std(ddof=1)) * math.sqrt(h) if len(changes) > 1 else float("nan")
        return NowcastResults(self.name, "random_walk", inputs.period, float(y.iloc[-1]), std, self.level,
                              {"horizon": h, "last_period": str(y.index[-1])})

    @classmethod
    def example(cls):
        target = _example_data()[1]
        return cls(), (None, target, target.index[-1] + 1), {}


# ------------------------------------------------------------------ bridge equations


def anchored_form(form: str, horizon: int, max_anchor_horizon: int = MAX_ANCHOR_HORIZON) -> str:
    """The model form to use when the last published quarter is ``horizon`` quarters back.

    Year-on-year growth of a quarter is, to first order, the sum of the four latest
    quarter-on-quarter growth rates, y_q ≈ g_q + g_{q−1} + g_{q−2} + g_{q−3}. A value published
    ``horizon`` ≥ 4 quarters earlier shares none of them: it carries no information about y_q beyond
    the trend, and anchoring on it (the change form) adds the whole swing of a base effect to the
    error — 广东's 2021Q1 (+18.6 %) anchored on 2020Q1 (−6.7 %) is the case in point. Beyond
    ``max_anchor_horizon`` the level form is used instead. The rule follows from the definition of
    the target and depends only on what is published at the nowcast date.
    """
    return "level" if form == "change" and horizon > max_anchor_horizon else form



def _ar_fill(series: pd.Series, through: pd.Period, order: int = 1) -> pd.Series:
    """Fill the months after the last published value up to ``through`` with AR(``order``) forecasts.

    Holes inside the published history (January, published with February) stay missing: only the
    ragged edge is extrapolated, as in the bridge-equation literature.
    """
    s = series.dropna()
    index = pd.period_range(series.index.min(), through, freq="M")
    out = series.reindex(index)
    if s.empty or s.index[-1] >= through:
        return out
    full = s.reindex(pd.period_range(s.index[0], s.index[-1], freq="M"))
    lags = pd.concat([full.shift(k) for k in range(1, order + 1)], axis=1)
    data = pd.concat([full, lags], axis=1).dropna()
    if len(data) < order + 8:
        coef = np.r_[s.mean(), np.zeros(order)]
    else:
        x = np.column_stack([np.ones(len(data)), data.iloc[:, 1:].to_numpy()])
        coef, *_ = np.linalg.lstsq(x, data.iloc[:, 0].to_numpy(), rcond=None)
    history = list(full.ffill().to_numpy()[-order:])
    month = s.index[-1]
    while month < through:
        month += 1
        value = coef[0] + sum(coef[k] * history[-k] for k in range(1, order + 1))
        history.append(value)
        out[month] = value
    return out


def quarterly_means(monthly: pd.DataFrame) -> pd.DataFrame:
    """Quarterly averages of monthly year-on-year rates (the mean of the available months).

    The average of three monthly year-on-year growth rates approximates the quarter's year-on-year
    growth when the months carry similar weight — the usual bridge between the two frequencies.
    """
    if monthly.empty:
        return pd.DataFrame(index=pd.PeriodIndex([], freq="Q"))
    return monthly.groupby(monthly.index.asfreq("Q")).mean()


@register
class BridgeNowcast(Model):
    """Bridge equations: monthly indicators averaged to quarters, one OLS equation each, averaged.

    For every indicator *i*, ``y_q = a_i + b_i · x̄_{i,q} + e`` is fitted by OLS on the published
    quarters, where ``x̄`` is the quarterly mean of the monthly (year-on-year) indicator; the months
    of the target quarter not yet published are filled by an AR(1) forecast of the indicator
    (Baffigi, Golinelli & Parigi 2004, *Int. J. Forecasting* 20). The equations' nowcasts are combined
    with equal weights, which is hard to beat out of sample (Timmermann 2006; Kitchen & Monaco 2003).
    The interval uses the residual standard deviation of the combined in-sample fit.

    Parameters
    ----------
    combine : {"mean", "ols"}
        ``"mean"`` averages single-indicator equations; ``"ols"`` fits one equation on all
        indicators (sensible only with few indicators and many quarters).
    ar_order : int
        Order of the AR forecasts that fill the ragged edge.
    min_quarters : int
        Quarters of overlap an indicator needs with the target to get an equation.
    """

    name = "bridge"

    def __init__(self, combine: str = "mean", form: str = "change", ar_order: int = 1, min_quarters: int = 12,
                 max_anchor_horizon: int = MAX_ANCHOR_HORIZON, level: float = LEVEL):
        if combine not in ("mean", "ols"):
            raise ModelError(f"未知组合方式“{combine}” / unknown combination '{combine}' (mean, ols)")
        if form not in ("change", "level"):
            raise ModelError(f"未知模型形式“{form}” / unknown form '{form}' (change, level)")
        self.combine, self.form, self.ar_order = combine, form, ar_order
        self.min_quarters, self.max_anchor_horizon, self.level = min_quarters, max_anchor_horizon, level

    def fit(self, monthly: pd.DataFrame, quarterly_target: pd.Series, target_period) -> NowcastResults:
        """Nowcast ``target_period`` from bridge equations.

        Parameters
        ----------
        monthly : DataFrame
            Stationary monthly indicators (year-on-year growth, diffusion indices) on a monthly
            ``PeriodIndex``; NaN where not yet published.
        quarterly_target : Series
            Published real GDP growth (%) on a quarterly ``PeriodIndex``.
        target_period : pd.Period or str
            The quarter to nowcast.

        Returns
        -------
        NowcastResults
            ``details["equations"]`` lists each indicator's coefficient, fit and nowcast.
        """
        inputs = prepare_inputs(monthly, quarterly_target, target_period)
        filled = pd.DataFrame({c: _ar_fill(inputs.monthly[c], inputs.last_month, self.ar_order)
                               for c in inputs.monthly.columns})
        xq = quarterly_means(filled)
        y = inputs.target
        anchor = 0.0
        horizon = _horizon(y, inputs.period)
        form = anchored_form(self.form, horizon, self.max_anchor_horizon)
        now_x = xq.reindex([inputs.period])
        if form == "change":
            # Δy_q = b·Δx̄_q without intercept: growth rates have no drift, and an indicator with
            # no signal then leaves the nowcast at the last published value. Without an intercept
            # the equation telescopes: when the quarters between the last published one (the anchor)
            # and the target are unpublished, y_q − y_anchor = b·(x̄_q − x̄_anchor), so the nowcast
            # still starts from the latest published value and moves with the monthly data of
            # every quarter since — it is not an extrapolation of the target.
            quarters = pd.period_range(min(y.index[0], xq.index[0]), inputs.period, freq="Q")
            levels = xq.reindex(quarters)
            now_x = (levels.loc[[inputs.period]] - levels.loc[y.index[-1]].to_numpy())
            xq = levels.diff()
            anchor = float(y.iloc[-1])
            y = y.reindex(pd.period_range(y.index[0], y.index[-1], freq="Q")).diff().dropna()
        equations, fitted = [], []
        if self.combine == "ols":
            columns = [c for c in xq.columns if xq[c].reindex(y.index).notna().sum() >= self.min_quarters]
            candidates = [columns] if columns else []
        else:
            candidates = [[c] for c in xq.columns]
        for cols in candidates:
            train = pd.concat([y.rename("y"), xq[cols]], axis=1).dropna()
            if len(train) < max(self.min_quarters, len(cols) + 3) or now_x.loc[inputs.period, cols].isna().any():
                continue
            const = np.ones(len(train)) if form == "level" else np.zeros(len(train))
            x = np.column_stack([const, train[cols].to_numpy()])
            beta, *_ = np.linalg.lstsq(x, train["y"].to_numpy(), rcond=None)
            in_sample = pd.Series(x @ beta, index=train.index)
            now = float(const[:1].sum() * beta[0] + now_x.loc[inputs.period, cols].to_numpy() @ beta[1:])
            fitted.append(in_sample)
            equations.append({"indicators": cols, "coefficients": [float(b) for b in beta[1:]],
                              "intercept": float(beta[0]), "n": len(train), "nowcast": now,
                              "r2": float(1 - ((train["y"] - in_sample) ** 2).sum()
                                          / ((train["y"] - train["y"].mean()) ** 2).sum())})
        if not equations:
            raise ModelError(f"没有指标能与目标重叠 {self.min_quarters} 个季度以上并覆盖 {inputs.period} / "
                             f"no indicator overlaps the target for {self.min_quarters} quarters and covers {inputs.period}")
        point = anchor + float(np.mean([e["nowcast"] for e in equations]))
        combined = pd.concat(fitted, axis=1).mean(axis=1)
        resid = (y.reindex(combined.index) - combined).dropna()
        std = float(np.sqrt((resid ** 2).sum() / max(len(resid) - 2, 1)))
        if form == "change":
            std *= math.sqrt(horizon)  # a sum of ``horizon`` quarterly changes, errors independent
        ragged = {c: int(inputs.monthly[c].loc[inputs.period.asfreq("M", "start"):].notna().sum())
                  for c in inputs.monthly.columns}
        return NowcastResults(self.name, f"bridge_{self.combine}_{form}", inputs.period, point, std, self.level,
                              {"equations": equations, "months_published": ragged, "horizon": horizon,
                               "anchor": str(inputs.target.index[-1])})

    @classmethod
    def example(cls):
        monthly, target = _example_data()
        return cls(), (monthly, target, target.index[-1] + 1), {}


# ------------------------------------------------------------------ dynamic factor model


def _screen_bounds(frame: pd.DataFrame, iqr_multiple: float | None) -> pd.DataFrame | None:
    if not iqr_multiple:
        return None
    q1, q3, median = frame.quantile(0.25), frame.quantile(0.75), frame.median()
    spread = iqr_multiple * (q3 - q1).replace(0, np.nan)
    return pd.DataFrame({"low": median - spread, "high": median + spread})


def screen_outliers(frame: pd.DataFrame, iqr_multiple: float | None,
                    bounds: pd.DataFrame | None = None) -> pd.DataFrame:
    """Set values more than ``iqr_multiple`` interquartile ranges from the median to NaN.

    The rule of McCracken & Ng (2016, FRED-MD) used before estimating factor models: isolated
    recording errors would otherwise dominate a factor. With the default multiple of 10 the 2020
    collapse and rebound survive, which is intended: they are information, not errors. ``bounds``
    (from the estimation sample) lets an earlier data vintage be screened by the same rule.
    """
    if not iqr_multiple:
        return frame
    bounds = _screen_bounds(frame, iqr_multiple) if bounds is None else bounds
    low, high = bounds["low"].reindex(frame.columns), bounds["high"].reindex(frame.columns)
    return frame.mask(frame.lt(low, axis=1) | frame.gt(high, axis=1))


@dataclass
class NewsDecomposition:
    """How a revision of the nowcast splits into the news of each release.

    Attributes
    ----------
    period : pd.Period
        The quarter whose nowcast is decomposed.
    previous, current : float
        The nowcast on the previous and on the new vintage, both with the *new* parameters, so that
        the decomposition is exact (Bańbura, Giannone, Modugno & Reichlin 2013, eq. 4.3).
    items : DataFrame
        One row per (indicator, period) that was released or revised: ``kind`` (news | revision),
        ``actual``, ``forecast`` (what the model expected, news only), ``weight`` and ``impact``.
    """

    period: pd.Period
    previous: float
    current: float
    items: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def revision(self) -> float:
        return self.current - self.previous

    @property
    def total_impact(self) -> float:
        return float(self.items["impact"].sum()) if len(self.items) else 0.0

    def to_frame(self) -> pd.DataFrame:
        return self.items.copy()

    def summary(self) -> dict[str, Any]:
        return json_safe({"period": self.period, "previous": self.previous, "current": self.current,
                          "revision": self.revision, "total_impact": self.total_impact,
                          "items": self.items.to_dict(orient="records")})


class DynamicFactorNowcastResults(NowcastResults):
    """Results of the ``dfm`` nowcast, holding the statsmodels results for news and diagnostics."""

    def __init__(self, *args, sm_results=None, spec: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sm_results = sm_results
        self.spec = spec or {}

    def _endog(self, monthly: pd.DataFrame | None, target: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A data vintage in the model's own form (same columns, sample, transform and screen)."""
        spec = self.spec
        columns = spec["monthly_columns"]
        if monthly is None or not len(monthly.columns):
            monthly = pd.DataFrame(index=spec["index"], columns=columns, dtype=float)
        levels = screen_outliers(monthly.reindex(columns=columns).astype(float), spec["outlier_iqr"],
                                 spec["screen_bounds"])
        panel = _model_form(levels, spec["form"], spec["index"])
        return panel, _target_form(target[target.index < self.period], spec["form"], spec["quarters"])

    def news(self, previous_monthly: pd.DataFrame, previous_target: pd.Series) -> NewsDecomposition:
        """Decompose the change from the nowcast on an earlier data vintage into release news.

        The earlier vintage is run through the model with the current parameters; the difference
        between the two nowcasts then equals, exactly, the sum over releases of
        weight × (released value − model's forecast of it), plus the impact of revised values
        (Bańbura, Giannone, Modugno & Reichlin 2013, sect. 4.2; statsmodels ``news``). In the
        ``change`` form the nowcast is the last published level plus the predicted changes, so the
        impacts on each quarter's change are summed from a level both vintages know.

        Parameters
        ----------
        previous_monthly : DataFrame
            The monthly panel as known at the earlier date (same transforms as this fit).
        previous_target : Series
            The quarterly target as known at the earlier date.
        """
        spec = self.spec
        prev_m, prev_q = self._endog(previous_monthly, previous_target)
        res_new = self.sm_results
        known_prev = previous_target[previous_target.index < self.period].dropna()
        if spec["form"] == "change":
            anchor = min(spec["anchor"], known_prev.index[-1]) if len(known_prev) else spec["anchor"]
            quarters = pd.period_range(anchor + 1, self.period, freq="Q")
        else:
            anchor, quarters = None, pd.PeriodIndex([self.period], freq="Q")
        months = [q.asfreq("M", "end") for q in quarters]
        with warnings.catch_warnings(), single_threaded_blas():
            warnings.simplefilter("ignore")
            res_prev = res_new.apply(prev_m, endog_quarterly=prev_q, retain_standardization=True)
            news = res_new.news(res_prev, comparison_type="previous", start=months[0], end=months[-1],
                                impacted_variable=TARGET_NAME, revisions_details_start=True, tolerance=0)
        base_new = base_prev = 0.0
        if anchor is not None:
            base_new = float(self.spec["target"].get(anchor, np.nan))
            base_prev = float(known_prev.get(anchor, base_new))
        previous = base_prev + sum(_smoothed_point(res_prev, m)[0] for m in months)
        current = base_new + sum(_smoothed_point(res_new, m)[0] for m in months)
        keep = set(months)
        rows = []
        for frame, kind, variable, date, actual, forecast in (
                (news.details_by_impact, "news", "updated variable", "update date", "observed", "forecast (prev)"),
                (news.revision_details_by_impact, "revision", "revised variable", "revision date", "revised",
                 "observed (prev)")):
            if frame is None or not len(frame):
                continue
            for r in frame.reset_index().to_dict(orient="records"):
                if _as_month(r["impact date"]) not in keep:
                    continue
                rows.append({"indicator": r[variable], "period": _label(r[date]), "kind": kind,
                             "actual": float(r[actual]), "forecast": float(r[forecast]),
                             "weight": float(r["weight"]), "impact": float(r["impact"])})
        if base_new != base_prev and np.isfinite(base_new - base_prev):
            rows.append({"indicator": TARGET_NAME, "period": str(anchor.asfreq("M", "end")), "kind": "revision",
                         "actual": base_new, "forecast": base_prev, "weight": 1.0, "impact": base_new - base_prev})
        items = pd.DataFrame(rows, columns=["indicator", "period", "kind", "actual", "forecast", "weight", "impact"])
        items = items.groupby(["indicator", "period", "kind"], as_index=False, sort=False).agg(
            actual=("actual", "first"), forecast=("forecast", "first"), weight=("weight", "sum"),
            impact=("impact", "sum"))
        items = _quarterly_labels(items)
        items = items.reindex(items["impact"].abs().sort_values(ascending=False).index).reset_index(drop=True)
        return NewsDecomposition(self.period, previous, current, items)


def _as_month(value) -> pd.Period:
    return value.to_period("M") if isinstance(value, pd.Timestamp) else pd.Period(value, freq="M")


def _label(value) -> str:
    return str(_as_month(value))


def _quarterly_labels(items: pd.DataFrame) -> pd.DataFrame:
    """The target is a quarterly release: name its period as a quarter, not its last month."""
    is_target = items["indicator"] == TARGET_NAME
    items.loc[is_target, "period"] = [str(pd.Period(p, "M").asfreq("Q")) for p in items.loc[is_target, "period"]]
    return items


def _smoothed_point(sm_results, impact_date) -> tuple[float, float]:
    """E[y | all data] and its standard deviation for the target at ``impact_date`` (original scale)."""
    with single_threaded_blas():
        pred = sm_results.get_prediction(start=impact_date, end=impact_date, information_set="smoothed")
    mean = pred.predicted_mean
    column = list(mean.columns).index(TARGET_NAME)
    var = np.asarray(pred.var_pred_mean)
    if var.ndim == 3:  # (k_endog, k_endog, n) or (n, k_endog, k_endog)
        value = var[column, column, -1] if var.shape[0] == mean.shape[1] else var[-1, column, column]
    else:
        value = var.reshape(len(mean), -1)[-1, column]
    return float(mean.iloc[-1, column]), float(np.sqrt(max(value, 0.0)))


def _model_form(monthly: pd.DataFrame, form: str, index: pd.PeriodIndex) -> pd.DataFrame:
    """Monthly inputs as the model sees them: year-on-year rates, or their monthly changes."""
    full = monthly.reindex(pd.period_range(min(monthly.index.min(), index[0]) if len(monthly) else index[0],
                                           index[-1], freq="M"))
    if form == "change":
        # January (and often February) is not published on its own; a change across such a hole
        # would be missing too, leaving the first quarter blind. Holes inside the history are bridged
        # linearly before differencing (never the ragged edge: nothing is extrapolated).
        full = full.interpolate(limit=2, limit_area="inside").diff()
    return full.reindex(index)


def _target_form(target: pd.Series, form: str, quarters: pd.PeriodIndex) -> pd.DataFrame:
    y = target.reindex(pd.period_range(min(target.index.min(), quarters[0]) if len(target) else quarters[0],
                                       quarters[-1], freq="Q"))
    if form == "change":
        y = y.diff()
    return y.reindex(quarters).to_frame(TARGET_NAME)


@register
class DynamicFactorNowcast(Model):
    """Mixed-frequency dynamic factor model (Bańbura & Modugno 2014) for quarterly GDP growth.

    The monthly indicators ``x_t`` and the quarterly target ``y_q`` load on latent monthly factors
    ``f_t = (f^global_t, f^block_t, …)`` that follow a VAR; the quarterly observation is tied to the
    monthly factors by the Mariano & Murasawa (2003) weights (1, 2, 3, 2, 1), and each series has
    an AR(1) idiosyncratic component. Estimation is by the EM algorithm, which handles an arbitrary
    pattern of missing data — the January gaps, series that start late, and the ragged edge — and the
    nowcast is the Kalman-smoothed expectation of the target in the last month of the quarter
    (Giannone, Reichlin & Small 2008; implementation: statsmodels ``DynamicFactorMQ``).

    Year-on-year growth of a quarter is close to the mean of the three monthly year-on-year rates,
    so in the default ``form="change"`` the model is written in first differences: monthly changes
    of the indicators' year-on-year rates, and the quarterly change of GDP growth, for which the
    weights (1, 2, 3, 2, 1)/3 are then the exact aggregation of Mariano & Murasawa. The nowcast is the
    last published growth plus the predicted change — which keeps it on the level of a slowly moving
    target such as China's GDP growth in the 2010s. ``form="level"`` models the rates themselves.

    Parameters
    ----------
    blocks : mapping of block name to column names, optional
        Domain blocks (e.g. ``{"production": [...], "demand": [...]}``). Every indicator loads on the
        global factor and on its block's factor; blocks with fewer than ``min_block_size``
        indicators present are folded into the global factor. The target loads on all factors.
    form : {"change", "level"}
        Model the changes of the year-on-year rates (default) or the rates.
    factor_order : int
        VAR order of the global factor (block factors follow an AR(1)).
    history_years : int or None
        Years of monthly data before the target quarter used for estimation (None: all).
    outlier_iqr : float or None
        Outlier screen on the monthly inputs (see :func:`screen_outliers`).
    maxiter, tolerance : EM iterations and relative tolerance on the log-likelihood.
    """

    name = "dfm"

    def __init__(self, blocks: Mapping[str, Sequence[str]] | None = None, form: str = "change",
                 factor_order: int = 2, history_years: int | None = 15, outlier_iqr: float | None = 10.0,
                 min_block_size: int = 3, maxiter: int = 100, tolerance: float = 1e-5,
                 max_anchor_horizon: int = MAX_ANCHOR_HORIZON, level: float = LEVEL):
        if form not in ("change", "level"):
            raise ModelError(f"未知模型形式“{form}” / unknown form '{form}' (change, level)")
        self.blocks = {k: list(v) for k, v in (blocks or {}).items()}
        self.form, self.factor_order, self.history_years = form, factor_order, history_years
        self.outlier_iqr, self.min_block_size = outlier_iqr, min_block_size
        self.maxiter, self.tolerance, self.level = maxiter, tolerance, level
        self.max_anchor_horizon = max_anchor_horizon

    def specification(self, columns: Sequence[str]) -> tuple[dict[str, list[str]], dict[str, int]]:
        """Factors each series loads on, and each factor's VAR order."""
        blocks = {name: [c for c in cols if c in columns] for name, cols in self.blocks.items()}
        blocks = {name: cols for name, cols in blocks.items() if len(cols) >= self.min_block_size}
        # one factor per monthly series at most: drop the smallest blocks until identified
        while blocks and 1 + len(blocks) > len(columns):
            blocks.pop(min(blocks, key=lambda b: len(blocks[b])))
        factors = {c: ["global"] + [b for b, cols in blocks.items() if c in cols] for c in columns}
        factors[TARGET_NAME] = ["global", *blocks]
        orders = {"global": self.factor_order, **{b: 1 for b in blocks}}
        return factors, orders

    def _estimate(self, mq, panel: pd.DataFrame, target: pd.DataFrame, factors, orders, form: str):
        with warnings.catch_warnings(), single_threaded_blas():
            warnings.simplefilter("ignore")  # EM convergence chatter; the iterations are reported in details
            model = mq(panel, endog_quarterly=target, factors=factors, factor_orders=orders,
                       idiosyncratic_ar1=True, standardize=self._scaling(panel, target, form))
            sm = model.fit(disp=False, maxiter=self.maxiter, tolerance=self.tolerance)
            path = np.asarray(sm.mle_retvals.get("llf", []) if isinstance(sm.mle_retvals, dict) else [])
            if len(path) > 1 and np.nanargmax(path) < len(path) - 1:
                # EM must not lower the likelihood; when rounding makes it diverge, stop at the best step
                sm = model.fit(disp=False, maxiter=max(int(np.nanargmax(path)), 1), tolerance=0)
        return sm

    def _scaling(self, panel: pd.DataFrame, target: pd.DataFrame, form: str):
        """Standardisation: by the sample standard deviation, around the sample mean for rates, but
        around zero for changes — growth rates have no drift, and a sample mean of the changes (the
        2010s slowdown) would otherwise pull every nowcast down."""
        if form == "level":
            return True
        both = pd.concat([panel, target.reindex(panel.index.asfreq("Q")).set_axis(panel.index)], axis=1)
        std = pd.concat([panel.std(), target.std()]).reindex(both.columns).replace(0, 1.0).fillna(1.0)
        return pd.Series(0.0, index=both.columns), std

    @staticmethod
    def _nowcast(sm, inputs: NowcastInputs, form: str) -> tuple[float, float]:
        """The nowcast and its standard deviation from a fitted state-space model."""
        if form == "change":
            anchor = inputs.target.index[-1]
            ahead = pd.period_range(anchor + 1, inputs.period, freq="Q")
            parts = [_smoothed_point(sm, q.asfreq("M", "end")) for q in ahead]
            # the changes' errors are treated as independent: exact for one quarter ahead
            point = float(inputs.target.iloc[-1]) + sum(m for m, _ in parts)
            std = math.sqrt(sum(sd ** 2 for _, sd in parts))
        else:
            point, std = _smoothed_point(sm, inputs.last_month)
        if not (np.isfinite(point) and abs(point) < 1e3 and std > 0):
            raise ModelError("因子模型没有给出合理的估计 / the factor model returned no sensible nowcast")
        return point, std

    def fit(self, monthly: pd.DataFrame, quarterly_target: pd.Series, target_period) -> DynamicFactorNowcastResults:
        """Estimate the factor model on the data available and nowcast ``target_period``.

        Parameters
        ----------
        monthly : DataFrame
            Stationary monthly indicators (year-on-year growth, diffusion indices) on a monthly
            ``PeriodIndex``; NaN where not (yet) published.
        quarterly_target : Series
            Published real GDP growth (%) on a quarterly ``PeriodIndex``.
        target_period : pd.Period or str
            The quarter to nowcast.

        Returns
        -------
        DynamicFactorNowcastResults
            The nowcast with its smoothed-state interval; ``news(...)`` decomposes revisions.
        """
        from statsmodels.tsa.statespace.dynamic_factor_mq import DynamicFactorMQ

        inputs = prepare_inputs(monthly, quarterly_target, target_period)
        # a last published value four or more quarters back is no anchor for year-on-year growth
        form = anchored_form(self.form, _horizon(inputs.target, inputs.period), self.max_anchor_horizon)
        start = inputs.target.index[0].asfreq("M", "start") - 12
        if self.history_years:
            start = max(start, inputs.last_month - 12 * self.history_years + 1)
        # begin where at least half of the indicators are published: years in which one or two
        # series stand for the whole panel make the EM iterations unstable
        coverage = inputs.monthly.notna().mean(axis=1)
        dense = coverage.index[coverage >= 0.5]
        if len(dense):
            start = max(start, dense[0])
        index = pd.period_range(start, inputs.last_month, freq="M")
        quarters = pd.period_range(index[0].asfreq("Q"), inputs.period, freq="Q")
        # screen the published (year-on-year) form, not its changes: a genuine collapse such as the
        # PMI's 35.7 in February 2020 is a moderate outlier in levels but a 15-IQR jump in changes,
        # and the screen must not throw away the one release that announces a turning point
        bounds = _screen_bounds(inputs.monthly.reindex(index), self.outlier_iqr)
        screened = screen_outliers(inputs.monthly, self.outlier_iqr, bounds)
        panel = _model_form(screened, form, index)
        panel = panel[[c for c in panel.columns if panel[c].notna().sum() >= MIN_MONTHLY_OBS]]
        if panel.shape[1] == 0:
            raise ModelError("估计窗口内没有足够的月度数据 / no monthly indicator has enough data in the estimation window")
        target = _target_form(inputs.target, form, quarters)
        if target[TARGET_NAME].notna().sum() < MIN_TARGET_OBS:
            raise ModelError(f"估计窗口内目标值少于 {MIN_TARGET_OBS} 个 / fewer than {MIN_TARGET_OBS} target values in the window")
        factors, orders = self.specification(list(panel.columns))
        anchor = inputs.target.index[-1]
        try:
            sm = self._estimate(DynamicFactorMQ, panel, target, factors, orders, form)
            point, std = self._nowcast(sm, inputs, form)
        except (ValueError, np.linalg.LinAlgError, ModelError):
            # a singular EM step, or a degenerate optimum (EM stopped where the likelihood fell):
            # fall back to one global AR(1) factor, the most robust specification
            factors = {c: ["global"] for c in [*panel.columns, TARGET_NAME]}
            orders = {"global": 1}
            try:
                sm = self._estimate(DynamicFactorMQ, panel, target, factors, orders, form)
            except (ValueError, np.linalg.LinAlgError) as exc:
                raise ModelError(f"因子模型估计失败 / the factor model could not be estimated: {exc}") from exc
            point, std = self._nowcast(sm, inputs, form)
        spec = {"index": index, "quarters": quarters, "monthly_columns": list(panel.columns), "form": form,
                "outlier_iqr": self.outlier_iqr, "screen_bounds": bounds, "anchor": anchor,
                "target": inputs.target}
        retvals = sm.mle_retvals if isinstance(sm.mle_retvals, dict) else {}
        details = {"indicators": list(panel.columns), "factor_orders": dict(orders), "form": form,
                   "loglike": float(sm.llf), "em_iterations": retvals.get("iter"), "sample_start": str(index[0]),
                   "anchor": str(anchor)}
        return DynamicFactorNowcastResults(self.name, f"dfm_em_{form}", inputs.period, point, std, self.level,
                                           details, sm_results=sm, spec=spec)

    @classmethod
    def example(cls):
        monthly, target = _example_data()
        return cls(blocks={"real": ["x1", "x2", "x3"]}, maxiter=30, history_years=None), \
            (monthly, target, target.index[-1] + 1), {}


# ------------------------------------------------------------------ forecast combination


@register
class CombinationNowcast(Model):
    """Equal-weight combination of nowcast models (by default ``dfm`` and ``bridge``).

    Averaging forecasts with equal weights is the standard, look-ahead-free combination: estimated
    weights rarely beat it out of sample (the "forecast combination puzzle", Timmermann 2006,
    *Handbook of Economic Forecasting* 1, ch. 4; Stock & Watson 2004). The factor model and the
    bridge equations use the same data in different ways — a joint likelihood over all series
    versus one regression per indicator — so their errors are not perfectly correlated and the
    average is at least as accurate as the worse of the two, often better than both.
    The interval uses the average of the members' standard deviations (the bound for perfectly
    correlated errors, so it does not overstate the gain).

    Parameters
    ----------
    members : mapping of name to Model, optional
        The models to combine (default: ``dfm`` and ``bridge`` with default settings).
    """

    name = "combination"

    def __init__(self, members: Mapping[str, Model] | None = None, level: float = LEVEL):
        self.members = dict(members) if members else {"dfm": DynamicFactorNowcast(), "bridge": BridgeNowcast()}
        self.level = level

    def combine(self, period, results: Mapping[str, NowcastResults]) -> NowcastResults:
        """Average already fitted members' nowcasts of ``period`` (those missing are left out).

        Raises
        ------
        ModelError
            When no member produced a nowcast.
        """
        ok = {name: r for name, r in results.items() if r is not None and np.isfinite(r.point)}
        if not ok:
            raise ModelError(f"组合中没有模型给出 {period} 的估计 / no member of the combination nowcast {period}")
        point = float(np.mean([r.point for r in ok.values()]))
        std = float(np.mean([r.std for r in ok.values()]))
        return NowcastResults(self.name, "equal_weights", as_quarter(period), point, std, self.level,
                              {"members": {n: r.point for n, r in ok.items()}})

    def fit(self, monthly: pd.DataFrame, quarterly_target: pd.Series, target_period) -> NowcastResults:
        """Fit every member and average their nowcasts of ``target_period`` with equal weights.

        Parameters
        ----------
        monthly : DataFrame
            Stationary monthly indicators on a monthly ``PeriodIndex``; NaN where not yet published.
        quarterly_target : Series
            Published real GDP growth (%) on a quarterly ``PeriodIndex``.
        target_period : pd.Period or str
            The quarter to nowcast.

        Returns
        -------
        NowcastResults
            ``details["members"]`` gives each member's nowcast, ``details["failed"]`` any member's error.
        """
        results, failed = {}, {}
        for name, model in self.members.items():
            try:
                results[name] = model.fit(monthly, quarterly_target, target_period)
            except ModelError as exc:
                failed[name] = str(exc).splitlines()[0][:200]
        if not results and failed:
            raise ModelError(next(iter(failed.values())))
        out = self.combine(target_period, results)
        out.details["failed"] = failed
        return out

    @classmethod
    def example(cls):
        monthly, target = _example_data()
        members = {"dfm": DynamicFactorNowcast(blocks={"real": ["x1", "x2", "x3"]}, maxiter=20, history_years=None),
                   "bridge": BridgeNowcast()}
        return cls(members), (monthly, target, target.index[-1] + 1), {}


# ------------------------------------------------------------------ example data


def simulate_factor_data(n_quarters: int = 40, n_indicators: int = 6, seed: int = 0, start: str = "2010-01",
                         noise: float = 0.5, ragged: Mapping[str, int] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Monthly indicators and a quarterly target driven by one AR(1) factor (a known structure).

    ``x_{i,t} = λ_i f_t + e_{i,t}`` and ``y_q = mean of f over the quarter + u_q``, with
    f_t = 0.9 f_{t−1} + η_t. ``ragged`` gives, per column, how many trailing months are unpublished.
    The last quarter's target value is withheld (NaN) so that it can be nowcast.
    """
    rng = np.random.default_rng(seed)
    months = pd.period_range(start, periods=3 * n_quarters, freq="M")
    f = np.zeros(len(months))
    for t in range(1, len(months)):
        f[t] = 0.9 * f[t - 1] + rng.normal(0, 1.0)
    loadings = np.linspace(1.0, 0.5, n_indicators)
    monthly = pd.DataFrame({f"x{i + 1}": 5 + loadings[i] * f + rng.normal(0, noise, len(months))
                            for i in range(n_indicators)}, index=months)
    quarters = months.asfreq("Q").unique()
    y = pd.Series(6 + pd.Series(f, index=months).groupby(months.asfreq("Q")).mean().to_numpy()
                  + rng.normal(0, 0.2, len(quarters)), index=quarters, name="gdp_growth")
    for col, k in (ragged or {}).items():
        if k:
            monthly.iloc[-k:, monthly.columns.get_loc(col)] = np.nan
    y.iloc[-1] = np.nan
    return monthly, y


def _example_data() -> tuple[pd.DataFrame, pd.Series]:
    monthly, y = simulate_factor_data(n_quarters=24, n_indicators=3, seed=1, ragged={"x2": 1, "x3": 2})
    return monthly, y.iloc[:-1]


# ------------------------------------------------------------------ back-test


Vintage = Callable[[Any], tuple[pd.DataFrame, pd.Series]]


def is_turbulent(period: pd.Period, actual: float, previous: float | None, jump: float = TURBULENT_JUMP) -> bool:
    """A quarter is turbulent if it lies in 2020Q1–2021Q4 or its growth moved more than ``jump`` pp.

    The first rule isolates the pandemic and its base effects on year-on-year growth; the second
    catches other sharp turns (e.g. 2022Q2). ``previous`` is the published value of the quarter before.
    """
    if TURBULENT_SPAN[0] <= period <= TURBULENT_SPAN[1]:
        return True
    return previous is not None and np.isfinite(previous) and abs(actual - previous) > jump


def _rmse(errors: pd.Series) -> float | None:
    errors = errors.dropna()
    return float(np.sqrt((errors ** 2).mean())) if len(errors) else None


def _mae(errors: pd.Series) -> float | None:
    errors = errors.dropna()
    return float(errors.abs().mean()) if len(errors) else None


@dataclass
class BacktestResults:
    """Pseudo-real-time nowcast errors per model and quarter.

    ``quarters`` has one row per (model, quarter): as_of, actual, previous, point, lower, upper,
    error (point − actual), turbulent, and ``failure`` (the error message when the fit failed).
    ``table()`` counts failed fits (``failures``) apart from quarters without a published outcome
    (``unscored``).
    """

    quarters: pd.DataFrame
    jump: float = TURBULENT_JUMP

    def common_periods(self) -> pd.Index:
        """The quarters every model nowcast and that have a published outcome."""
        scored = self.quarters[self.quarters["error"].notna()]
        n_models = self.quarters["model"].nunique()
        counts = scored.groupby("period")["model"].nunique()
        return counts.index[counts == n_models]

    def table(self, common: bool = True) -> pd.DataFrame:
        """RMSE, MAE and n per model, over all quarters and separately for calm and turbulent ones.

        Parameters
        ----------
        common : bool
            Score every model on the same quarters — those all models nowcast — so that a model
            that fails in the hard quarters is not flattered (like-for-like comparison). With
            ``False`` each model is scored on its own successful nowcasts.
        """
        rows = []
        keep = set(self.common_periods()) if common else None
        for model, g in self.quarters.groupby("model", sort=False):
            ok = g[g["error"].notna()]
            if keep is not None:
                ok = ok[ok["period"].isin(keep)]
            calm, turb = ok[~ok["turbulent"]], ok[ok["turbulent"]]
            inside = ok[(ok["actual"] >= ok["lower"]) & (ok["actual"] <= ok["upper"])]
            rows.append({"model": model, "rmse": _rmse(ok["error"]), "mae": _mae(ok["error"]), "n": len(ok),
                         "rmse_calm": _rmse(calm["error"]), "mae_calm": _mae(calm["error"]), "n_calm": len(calm),
                         "rmse_turbulent": _rmse(turb["error"]), "mae_turbulent": _mae(turb["error"]),
                         "n_turbulent": len(turb), "coverage": len(inside) / len(ok) if len(ok) else None,
                         "failures": int(g["failure"].notna().sum()),
                         "unscored": int(g["actual"].isna().sum())})
        return pd.DataFrame(rows)

    def relative_rmse(self, benchmark: str = "ar1") -> dict[str, dict[str, float | None]]:
        """Each model's RMSE divided by the benchmark's, over all / calm / turbulent quarters.

        The ratios are computed on the quarters both models nowcast, so a failed fit does not flatter
        either side."""
        out = {}
        q = self.quarters
        base = q[q["model"] == benchmark].set_index("period")
        for model, g in q.groupby("model", sort=False):
            g = g.set_index("period")
            common = g.index[g["error"].notna()].intersection(base.index[base["error"].notna()])
            ratios = {}
            for key, mask in (("all", slice(None)), ("calm", ~g.loc[common, "turbulent"].to_numpy(bool)),
                              ("turbulent", g.loc[common, "turbulent"].to_numpy(bool))):
                idx = common[mask] if key != "all" else common
                num, den = _rmse(g.loc[idx, "error"]), _rmse(base.loc[idx, "error"])
                ratios[key] = num / den if num is not None and den else None
            out[model] = ratios
        return out


def backtest(vintage: Vintage, schedule: Iterable[tuple[Any, Any]], models: Mapping[str, Model],
             actuals: pd.Series | None = None, jump: float = TURBULENT_JUMP) -> BacktestResults:
    """Pseudo-real-time evaluation: nowcast each quarter with only the data known at its as-of date.

    Parameters
    ----------
    vintage : callable
        ``vintage(as_of) -> (monthly, quarterly_target)``: the data as known on ``as_of`` (``None``:
        the latest, used for the outcomes unless ``actuals`` is given). The routine
        is pure — it reads nothing else — so the same code scores stored vintages, final data with
        publication lags (pseudo-real time), or simulated data.
    schedule : iterable of (quarter, as_of)
        The quarters to nowcast and the date each is evaluated at.
    models : mapping of name to Model
        Configured models; each is fitted afresh at every as-of date (parameters re-estimated).
    actuals : Series, optional
        The outcome to score against (default: the latest vintage's target). Pass the first release
        to score against what was published first.
    jump : float
        Threshold (pp) of the turbulence rule, see :func:`is_turbulent`.

    Returns
    -------
    BacktestResults
    """
    schedule = [(as_quarter(q), a) for q, a in schedule]
    if not schedule:
        raise ModelError("回测季度列表为空 / the back-test schedule is empty")
    if actuals is None:
        actuals = vintage(None)[1]
    actuals = actuals.dropna()
    rows = []
    for quarter, as_of in schedule:
        monthly, target = vintage(as_of)
        actual = float(actuals.get(quarter, np.nan))
        before = actuals[actuals.index < quarter]
        previous = float(before.iloc[-1]) if len(before) and before.index[-1] == quarter - 1 else None
        turbulent = is_turbulent(quarter, actual, previous, jump)
        fitted: dict[str, NowcastResults | None] = {}
        for name, model in models.items():
            row = {"model": name, "period": quarter, "as_of": str(as_of), "actual": actual, "previous": previous,
                   "turbulent": turbulent, "point": np.nan, "lower": np.nan, "upper": np.nan, "failure": None}
            try:
                if isinstance(model, CombinationNowcast) and all(
                        m in fitted and models.get(m) is model.members[m] for m in model.members):
                    # the members were fitted on this vintage already: combine, do not refit
                    res = model.combine(quarter, {m: fitted[m] for m in model.members})
                else:
                    res = model.fit(monthly, target, quarter)
                row.update(point=res.point, lower=res.lower, upper=res.upper)
                fitted[name] = res
            except (ModelError, np.linalg.LinAlgError, ValueError) as exc:
                row["failure"] = str(exc).splitlines()[0][:200]
                fitted[name] = None
            rows.append(row)
    quarters = pd.DataFrame(rows)
    quarters["error"] = quarters["point"] - quarters["actual"]
    return BacktestResults(quarters, jump)
