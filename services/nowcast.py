"""Nowcasts of quarterly GDP growth and their pseudo-real-time back-test: the use case behind
``python app.py nowcast`` and ``python app.py backtest nowcast``.

The ragged edge
---------------
A nowcast on date D may use only what was published by D. Two rules enforce it, together:

* the stored vintages — ``read_observations(..., as_of=D)`` returns each value as it was known on D
  (a later revision is invisible, a value first stored after D is absent);
* the catalog's release lags — a period counts as released on its last day plus
  ``Indicator.release_lag_days``. This matters for data whose vintages are the import date (a Wind
  export loaded today holds twenty years of history with one vintage), where it alone gives the
  pseudo-real-time data flow: final data, published with the real lags (``vintages="latest"``).

The monthly panel is built from the catalog's monthly indicators that the region has, by domain
block (production, demand, money and prices), each turned into a stationary year-on-year form the
way Chinese statistics publish it (see :func:`model_input`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators import transforms as tf
from indicators.periods import parse_period
from indicators.registry import Indicator
from models.base import ModelError, json_safe
from models.nowcast import (
    AR1Nowcast,
    BridgeNowcast,
    CombinationNowcast,
    DynamicFactorNowcast,
    LastValueNowcast,
    as_quarter,
)
from models.nowcast import backtest as run_backtest
from services.context import Context
from storage import repository as repo

MODELS = ("dfm", "bridge", "combination", "ar1", "last_value")
TARGETS = ("gdp_q_growth",)
# The target's quarterly volume index (上年同期=100) stands in when the growth rate is not stored.
TARGET_ALTERNATIVES = {"gdp_q_growth": ("gdp_q_growth", "gdp_q_index")}

# The monthly panel, by factor block. Each entry lists alternative forms of one quantity, best
# first: the first one the region has enters the panel (a published comparable-basis growth rate is
# preferred to growth recomputed from levels). Blocks follow the expenditure and production sides
# of the accounts plus a nominal block, as in Bańbura & Modugno (2014) and Bok et al. (2018).
PANEL: dict[str, list[tuple[str, ...]]] = {
    "production": [
        ("industrial_va_growth", "industrial_va_ytd_growth"), ("mfg_pmi",), ("electricity", "electricity_growth"),
        ("industrial_electricity",), ("thermal_power_output",), ("crude_steel_output",), ("cement_output",),
        ("raw_coal_output",), ("crude_processing",), ("auto_output",), ("freight_volume",),
        ("port_throughput",),
    ],
    "demand": [
        ("retail_sales_growth", "retail_sales_m", "retail_sales"), ("fai_ytd_growth",), ("exports",), ("imports",),
        ("real_estate_investment",), ("housing_sales_area",),
    ],
    "nominal": [
        ("social_financing",), ("loans_rmb_growth", "loans_rmb"), ("m2_growth",), ("tax_revenue", "fiscal_revenue"),
        ("cpi_yoy", "cpi"), ("ppi",),
    ],
}
# Flows too erratic month by month for year-on-year growth of single months: growth of the
# 12-month sum instead (for total social financing, the credit flow over a year, close to the
# growth of its stock).
ROLLING_SUM = {"social_financing": 12}
NEWS_MONTHS_BACK = 1  # the news compares with the nowcast this many months earlier
# Quantities stay in the panel only while published: a series silent for this long is dropped.
STALE_MONTHS = 6


class NowcastRequestError(ValueError):
    """A nowcast request that cannot be answered; the message is bilingual."""


# ------------------------------------------------------------------ transforms


def model_input(ind: Indicator, stored: pd.Series) -> pd.Series:
    """A stored monthly publication as a stationary series on a monthly ``PeriodIndex``.

    * published growth (当月同比, 累计同比) — as published, on the comparable basis;
    * an index on the same period a year earlier (上年同期=100) — minus 100;
    * other indices (the PMI, a diffusion index around 50) and rates — as published;
    * levels of flows (当月值) and stocks — year-on-year growth; year-to-date levels (累计值) are first
      differenced into single months. Where January and February are published together, the
      two months are combined before growth is taken, so that the Chinese New Year does not
      decide the sign (a year with separate months is combined too, for a consistent series).

    The combined January–February value is placed in February; January stays missing.
    """
    if stored.empty:
        return pd.Series(dtype=float, index=pd.PeriodIndex([], freq="M"), name=ind.code)
    if ind.is_growth:
        values = stored
    elif ind.publication == "index":
        values = stored - 100 if "上年" in ind.unit else stored
    elif ind.measure == "rate":
        values = stored
    else:
        single = tf.ytd_to_monthly(stored) if ind.publication == "ytd_level" else stored
        if ind.jan_feb_combined or ind.publication == "ytd_level":
            single = _combine_jan_feb(single)
        values = tf.yoy(single)
        window = ROLLING_SUM.get(ind.code)
        if window:
            months = _on_months(single.rename(ind.code))
            months = months.reindex(pd.period_range(months.index.min(), months.index.max(), freq="M"))
            total = months.rolling(window, min_periods=window - 2).mean() * window  # Jan gaps tolerated
            return ((total / total.shift(12) - 1) * 100).rename(ind.code)
    return _on_months(values.rename(ind.code))


def _combine_jan_feb(single: pd.Series) -> pd.Series:
    """Replace separate January and February values by their sum under the combined label."""
    out = single.copy()
    labels = list(out.index)
    for label in [x for x in labels if x.endswith("-02")]:
        jan = label[:4] + "-01"
        if jan in out.index:
            both = out[jan] + out[label]
            out = out.drop([jan, label])
            out[label[:4] + "-01/02"] = both
        elif label[:4] + "-01/02" not in out.index:
            # February alone with January unpublished: not comparable with a combined base
            out = out.drop(label)
    order = sorted(out.index, key=lambda x: parse_period(x, "M"))
    return out.reindex(order)


def _on_months(values: pd.Series) -> pd.Series:
    periods = [parse_period(label, "M") for label in values.index]
    index = pd.PeriodIndex([pd.Period(year=p.year, month=p.end_month, freq="M") for p in periods], freq="M")
    out = pd.Series(values.to_numpy(dtype=float), index=index, name=values.name)
    return out[~out.index.duplicated(keep="last")].sort_index()


def target_input(ind: Indicator, stored: pd.Series) -> pd.Series:
    """The quarterly target (real growth, %) on a quarterly ``PeriodIndex``."""
    values = stored - 100 if ind.publication == "index" else stored
    index = pd.PeriodIndex([pd.Period(label, freq="Q") for label in values.index], freq="Q")
    return pd.Series(values.to_numpy(dtype=float), index=index, name=ind.code).sort_index()


# ------------------------------------------------------------------ the ragged edge


def release_date(ind: Indicator, label: str) -> dt.date:
    """The day a period counts as published: its last day plus the catalog's release lag."""
    return parse_period(label, ind.frequency).end_date + dt.timedelta(days=ind.release_lag_days)


def released(ind: Indicator, labels: Sequence[str], as_of: dt.date) -> np.ndarray:
    return np.array([release_date(ind, label) <= as_of for label in labels], dtype=bool)


def target_quarter(ctx: Context, target: str, as_of: dt.date) -> pd.Period:
    """The first quarter whose target value is not yet published on ``as_of``."""
    ind = ctx.catalog[target]
    q = pd.Period(as_of, freq="Q")
    while release_date(ind, str(q - 1)) > as_of:
        q -= 1
    return q


@dataclass
class Panel:
    """The data as known on ``as_of``: monthly indicators, their blocks, and the quarterly target."""

    monthly: pd.DataFrame
    target: pd.Series
    blocks: dict[str, list[str]]
    labels: dict[str, dict[pd.Period, str]] = field(default_factory=dict)  # column → month → stored label


def _read(ctx: Context, codes: Sequence[str], region: str, as_of: dt.date | None, vintages: str) -> pd.DataFrame:
    frame = repo.read_observations(ctx.engine, list(codes), region, as_of=as_of if vintages == "stored" else None)
    if as_of is None or frame.empty:
        return frame
    keep = np.zeros(len(frame), dtype=bool)
    for code, rows in frame.groupby("indicator").groups.items():
        keep[frame.index.get_indexer(rows)] = released(ctx.catalog[code], frame.loc[rows, "period"].tolist(), as_of)
    return frame[keep]


def panel_candidates(ctx: Context) -> list[str]:
    return [code for entries in PANEL.values() for alternatives in entries for code in alternatives
            if code in ctx.catalog]


def build_panel(ctx: Context, region: str, as_of: dt.date | None, target: str = "gdp_q_growth",
                vintages: str = "stored", indicators: Sequence[str] | None = None) -> Panel:
    """Monthly panel and target for ``region`` as known on ``as_of`` (None: everything stored).

    Parameters
    ----------
    vintages : {"stored", "latest"}
        ``"stored"`` reads the vintages known on ``as_of`` and applies the release lags;
        ``"latest"`` reads the latest values and applies the release lags only (pseudo-real time,
        for stores whose vintages are import dates).
    indicators : sequence of codes, optional
        Restrict the panel to these indicators (default: the catalog panel :data:`PANEL`).
    """
    if vintages not in ("stored", "latest"):
        raise NowcastRequestError(f"未知的数据版本方式“{vintages}” / unknown vintages '{vintages}' (stored, latest)")
    wanted = set(indicators) if indicators is not None else None
    codes = [c for c in panel_candidates(ctx) if wanted is None or c in wanted]
    target_codes = [c for c in TARGET_ALTERNATIVES.get(target, (target,)) if c in ctx.catalog]
    frame = _read(ctx, codes + target_codes, region, as_of, vintages)
    by_code = {code: g for code, g in frame.groupby("indicator")}

    columns, blocks, labels = {}, {}, {}
    for block, entries in PANEL.items():
        for alternatives in entries:
            for code in alternatives:
                if code not in by_code or (wanted is not None and code not in wanted):
                    continue
                g = by_code[code]
                stored = pd.Series(g["value"].to_numpy(), index=g["period"].to_numpy(), dtype=float)
                series = model_input(ctx.catalog[code], stored)
                if series.notna().sum() == 0:
                    continue
                columns[code] = series
                blocks.setdefault(block, []).append(code)
                labels[code] = {_on_months(pd.Series([0.0], index=[lbl])).index[0]: lbl for lbl in g["period"]}
                break
    monthly = pd.DataFrame(columns) if columns else pd.DataFrame(index=pd.PeriodIndex([], freq="M"))
    if len(monthly):
        monthly = monthly.reindex(pd.period_range(monthly.index.min(), monthly.index.max(), freq="M"))
    if as_of is not None and len(monthly.columns):
        # a quantity no longer published would only feed the model its own forecasts
        cutoff = pd.Period(as_of, freq="M") - STALE_MONTHS
        live = [c for c in monthly.columns if monthly[c].last_valid_index() is not None
                and monthly[c].last_valid_index() >= cutoff]
        monthly = monthly[live]
        blocks = {b: [c for c in cols if c in live] for b, cols in blocks.items()}
    target_series = pd.Series(dtype=float, index=pd.PeriodIndex([], freq="Q"))
    for code in target_codes:
        if code in by_code:
            g = by_code[code]
            target_series = target_input(ctx.catalog[code], pd.Series(g["value"].to_numpy(), index=g["period"].to_numpy()))
            break
    return Panel(monthly, target_series.rename(target), {b: c for b, c in blocks.items() if c}, labels)


# ------------------------------------------------------------------ models


def make_model(name: str, blocks: dict[str, list[str]] | None = None, fast: bool = False):
    """A configured nowcast model; ``fast`` caps the EM iterations (back-tests refit every quarter)."""
    if name == "dfm":
        return DynamicFactorNowcast(blocks=blocks, maxiter=60 if fast else 100, tolerance=1e-4 if fast else 1e-5)
    if name == "bridge":
        return BridgeNowcast()
    if name == "combination":
        # equal weights of the flagship factor model and the bridge equations (Timmermann 2006)
        return CombinationNowcast({"dfm": make_model("dfm", blocks, fast), "bridge": make_model("bridge", blocks, fast)})
    if name == "ar1":
        return AR1Nowcast()
    if name == "last_value":
        return LastValueNowcast()
    raise NowcastRequestError(f"未知模型“{name}” / unknown model '{name}' ({', '.join(MODELS)})")


def _check_request(ctx: Context, region: str, target: str) -> str:
    if target not in TARGETS or target not in ctx.catalog:
        raise NowcastRequestError(f"不支持的目标“{target}” / unsupported target '{target}' ({', '.join(TARGETS)})")
    try:
        reg = ctx.regions.find(region)
    except Exception as exc:  # RegionError: already bilingual
        raise NowcastRequestError(str(exc)) from exc
    if not ctx.viewer.can_see(reg.adcode):
        raise NowcastRequestError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    return reg.adcode


def _as_date(as_of) -> dt.date:
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError as exc:
        raise NowcastRequestError(f"日期格式应为 YYYY-MM-DD / as-of date must be YYYY-MM-DD: {as_of}") from exc


def _month_earlier(day: dt.date, months: int = NEWS_MONTHS_BACK) -> dt.date:
    p = pd.Period(day, freq="M") - months
    return dt.date(p.year, p.month, min(day.day, p.days_in_month))


# ------------------------------------------------------------------ use cases


def nowcast(ctx: Context, region: str = "450000", as_of=None, target: str = "gdp_q_growth", model: str = "dfm",
            vintages: str = "stored") -> dict:
    """Nowcast the first quarter of ``target`` not yet published on ``as_of`` (default: today).

    Returns
    -------
    dict
        ``{region, target, period, as_of, point, interval: {lower, upper, level}, model, news}``, where
        ``news`` lists ``{indicator, region, period, impact}``: how each release (or revision) since
        the nowcast one month earlier moved it, in percentage points (dfm only; the impacts add up
        to the change of the nowcast, computed with today's parameters).
    """
    adcode = _check_request(ctx, region, target)
    day = _as_date(as_of)
    period = target_quarter(ctx, target, day)
    panel = build_panel(ctx, adcode, day, target, vintages)
    estimator = make_model(model, panel.blocks)
    try:
        results = estimator.fit(panel.monthly, panel.target, period)
    except ModelError as exc:
        raise NowcastRequestError(f"{adcode} {period}: {exc}") from exc
    news = []
    if model == "dfm":
        earlier = build_panel(ctx, adcode, _month_earlier(day), target, vintages)
        decomposition = results.news(earlier.monthly, earlier.target)
        for item in decomposition.items.to_dict(orient="records"):
            code = target if item["indicator"] == "gdp" else item["indicator"]
            label = item["period"]
            if code in panel.labels:
                label = panel.labels[code].get(pd.Period(label, freq="M"), label)
            news.append({"indicator": code, "region": adcode, "period": label, "impact": item["impact"]})
    return json_safe({
        "region": adcode, "target": target, "period": str(period), "as_of": day.isoformat(),
        "point": results.point,
        "interval": {"lower": results.lower, "upper": results.upper, "level": results.level},
        "model": model, "news": news,
    })


def evaluation_schedule(ctx: Context, target: str, start, end, days_before_release: int = 1) -> list[tuple[pd.Period, dt.date]]:
    """Each quarter from ``start`` to ``end`` with its as-of date: ``days_before_release`` days before
    the target is published (the most informed nowcast, the one that matters for the release)."""
    ind = ctx.catalog[target]
    first, last = as_quarter(start), as_quarter(end)
    if last < first:
        raise NowcastRequestError(f"结束季度早于开始季度 / end {last} is before start {first}")
    return [(q, release_date(ind, str(q)) - dt.timedelta(days=days_before_release))
            for q in pd.period_range(first, last, freq="Q")]


def backtest(ctx: Context, region: str, target: str, start, end, models: Sequence[str] = MODELS,
             vintages: str = "stored", days_before_release: int = 1, indicators: Sequence[str] | None = None,
             fast: bool = True) -> dict:
    """Pseudo-real-time back-test of the nowcast models for ``region`` over quarters ``start``–``end``.

    Each quarter is nowcast with the data known ``days_before_release`` days before its GDP release
    (stored vintages plus release lags, or latest data plus release lags with ``vintages="latest"``);
    the models are re-estimated every time. Errors are scored against the latest published values.
    Turbulent quarters: 2020Q1–2021Q4, and any quarter whose growth moved by more than 1.5 pp
    (:func:`models.nowcast.is_turbulent`).

    Returns
    -------
    dict
        ``{region, target, start, end, models: [{model, rmse, mae, n, rmse_calm, rmse_turbulent, …}],
        relative_rmse_vs_ar1: {model: {all, calm, turbulent}}, quarters: [{model, period, as_of, actual,
        point, lower, upper, error, turbulent, …}]}``
    """
    adcode = _check_request(ctx, region, target)
    for name in models:
        make_model(name)  # unknown names fail before any work
    schedule = evaluation_schedule(ctx, target, start, end, days_before_release)
    cache: dict = {}

    def vintage(as_of):
        if as_of not in cache:
            cache[as_of] = build_panel(ctx, adcode, as_of, target, vintages, indicators)
        p = cache[as_of]
        return p.monthly, p.target

    blocks = build_panel(ctx, adcode, None, target, vintages, indicators).blocks
    configured = {name: make_model(name, blocks, fast=fast) for name in models}
    if "combination" in configured and isinstance(configured["combination"], CombinationNowcast):
        # the combination averages the very models scored beside it: share them, so that each
        # quarter's dfm and bridge fits are reused instead of estimated twice
        members = configured["combination"].members
        for name in members:
            if name in configured:
                members[name] = configured[name]
    results = run_backtest(vintage, schedule, configured)
    table = results.table(common=True)
    relative = results.relative_rmse("ar1") if "ar1" in models else {}
    quarters = results.quarters.assign(period=results.quarters["period"].astype(str))
    return json_safe({
        "region": adcode, "target": target, "start": str(schedule[0][0]), "end": str(schedule[-1][0]),
        "vintages": vintages, "days_before_release": days_before_release,
        "models": table.to_dict(orient="records"),
        "relative_rmse_vs_ar1": relative,
        "quarters": quarters.to_dict(orient="records"),
    })
