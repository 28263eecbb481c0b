"""The analytics use cases run by the batch refresh: what is computed for whom, and where it is stored.

Tasks and their handlers
------------------------
``series``  (one indicator in one region) seasonal adjustment of the analysis form, the robust
            anomaly score on its irregular component, the signal light, and — for the regions in
            the full tier — a forecast with intervals.
``region``  (after every series of the region) the composite signal, the multivariate anomaly
            detector across the region's indicators, and progress against the annual targets.
``nowcast`` GDP growth nowcast for the current quarter with its news (region and cities).
``cycle``   composite leading and coincident indices with Bry–Boschan turning points.
``index``   the development indices (经济发展指数) and the city ranking.

Tiers
-----
A full refresh of every series must fit in 10 minutes on two cores (bench/RESULTS.md), so effort
follows readership:

``full``   全国 and 广西: X-13ARIMA-SEATS with automatic ARIMA selection, automatic forecasts.
``city``   the 14 cities: X-13ARIMA-SEATS with the airline model (0 1 1)(0 1 1) fixed — a tenth of
           the cost of automatic selection — and forecasts only where a target needs them.
``light``  counties and the peer provinces: STL, no forecasts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from indicators import units
from indicators.regions import GUANGXI, NATIONAL
from models.anomaly import MultivariateAnomaly, RobustAnomaly
from models.signals import CompositeSignal, SignalLights
from services.context import Context
from services.inputs import ModelInput, growth_form, model_input, period_labels
from storage import repository as repo
from storage import results as store
from storage import tables as t

MODEL_VERSION = "2026-11-23.4"  # bump to make the next refresh recompute everything
MIN_YEARS_SEASONAL = 3
FORECAST_HORIZON = {"M": 12, "Q": 4}
# Alerts are raised for the latest year only: older anomalies are history, not something to act on.
ALERT_WINDOW = {"M": 11, "Q": 3}
MATERIAL_SHARE = 0.02  # seasonally adjusted levels: at least 2 % off the expected value
MATERIAL_POINTS = 1.0  # growth rates and indices: at least one percentage point (index point)
# Relative cost, to schedule the slowest tasks first.
COST = {"backtest": 500, "nowcast": 50, "cycle": 5, "index": 5, "region": 3, "series": 1}


def analysis_date(ctx: Context) -> dt.date:
    """The date analytics treat as today: settings, else the demo's own date, else today."""
    if ctx.settings.as_of:
        return dt.date.fromisoformat(ctx.settings.as_of)
    demo = repo.get_meta(ctx.engine, "demo_as_of")
    return dt.datetime.fromisoformat(demo).date() if demo else dt.date.today()


def full_tier(ctx: Context) -> set[str]:
    """Regions with their own region task (composite signal, targets): 全国, 广西 and the cities."""
    return {NATIONAL, GUANGXI, *(r.adcode for r in ctx.regions.cities())}


def tier(ctx: Context, region: str) -> str:
    if region in (NATIONAL, GUANGXI):
        return "full"
    return "city" if region in full_tier(ctx) else "light"


AIRLINE = "(0 1 1)(0 1 1)"
FORECAST_BUDGET_S = 0.5


# --- planning ---------------------------------------------------------------------------------

def subjects(ctx: Context, fps: dict, by_region: dict):
    """(subject, inputs, stage) of every task; ``inputs`` is what the fingerprint is taken of."""
    monthly_or_quarterly = {ind.code for ind in ctx.catalog if ind.frequency in ("M", "Q")}
    for (ind, reg), fp in sorted(fps.items()):
        if ind in monthly_or_quarterly:
            yield ("series", ind, reg), (fp, tier(ctx, reg)), 1
    region_targets = store.read_table(ctx.engine, t.targets)
    for reg in sorted(full_tier(ctx) - {NATIONAL}):
        if reg in by_region:
            tg = region_targets[region_targets["region"] == reg].to_dict("records")
            yield ("region", reg), (by_region[reg], tg), 2
    # Nowcasts, the back-test and the indices read observations only, so they run in the first stage
    # (scheduled first, being the longest) rather than waiting for every series to finish.
    for reg in nowcast_regions(ctx, fps):
        yield ("nowcast", reg), (by_region.get(reg, []), by_region.get(NATIONAL, [])), 1
    if (NOWCAST_TARGET, GUANGXI) in fps:
        yield ("backtest", GUANGXI), (by_region.get(GUANGXI, []), BACKTEST_QUARTERS), 1
    yield ("cycle", GUANGXI), (by_region.get(GUANGXI, []),), 2
    from services import indices as index_service

    for name, codes in index_service.index_inputs(ctx).items():
        yield ("index", name), [f for (i, _r), f in sorted(fps.items()) if i in codes], 1


# --- series -----------------------------------------------------------------------------------

def analyse_series(ctx: Context, indicator: str, region: str) -> dict:
    mi = model_input(ctx, indicator, region)
    s = _trim(mi.series)
    summary: dict = {"form": mi.form, "n": int(s.notna().sum()), "tier": tier(ctx, region)}
    if s.notna().sum() < 8:
        summary["skipped"] = "too short"
        with ctx.engine.begin() as conn:
            for table in (t.adjusted_series, t.signals, t.forecasts):
                store.replace_rows(conn, table, {"indicator": indicator, "region": region}, None)
        return summary
    reg = ctx.regions.find(region)
    adjusted, sa = None, None
    if mi.is_level and s.notna().sum() >= MIN_YEARS_SEASONAL * _per_year(s):
        adjusted, sa, summary["seasonal"] = _seasonal(ctx, mi, s, region)
    # The robust score is taken on the seasonally adjusted series around its local robust trend (the
    # irregular component, in the indicator's own unit so the alert sentence reads naturally); growth
    # rates and indices are free of seasonality already.
    suffix = ("（季节调整后）", " (seasonally adjusted)") if sa is not None else ("", "")
    anomaly = RobustAnomaly().fit(
        sa if sa is not None else s, indicator_zh=mi.indicator.name_zh + suffix[0],
        indicator_en=mi.indicator.name_en + suffix[1], region_zh=reg.name_zh, region_en=reg.name_en,
        unit=_display_unit(mi), unit_en=units.english(_display_unit(mi)), decimals=mi.indicator.decimals,
        detrend=True)
    recent = _material(anomaly.to_frame(), sa is not None, mi, region, s)
    summary["anomaly"] = anomaly.summary()
    signal_frame = None
    kwargs = SignalLights.kwargs_from_catalog(mi.indicator.warning, mi.indicator.polarity)
    if kwargs is not None:
        g = _trim(growth_form(mi) if mi.indicator.warning.on == "growth" else s)
        if g.notna().sum() >= 24 or "thresholds" in kwargs:
            lights = SignalLights().fit(g.dropna(), **kwargs)
            signal_frame = lights.to_frame()
            summary["signals"] = lights.summary()
    forecast_frame = None
    if tier(ctx, region) == "full":
        forecast_frame, summary["forecast"] = _forecast(s)
    with ctx.engine.begin() as conn:
        subject = {"indicator": indicator, "region": region}
        store.replace_rows(conn, t.adjusted_series, subject, adjusted)
        store.replace_rows(conn, t.signals, subject, signal_frame)
        store.replace_rows(conn, t.forecasts, subject, forecast_frame)
        store.merge_alerts(conn, "robust", subject, recent)
    return summary


def _trim(s: pd.Series) -> pd.Series:
    valid = s.notna().to_numpy()
    if not valid.any():
        return s.iloc[:0]
    first, last = valid.argmax(), len(valid) - valid[::-1].argmax()
    return s.iloc[first:last]


def _material(found: pd.DataFrame, adjusted: bool, mi: ModelInput, region: str, s: pd.Series) -> pd.DataFrame:
    """The alerts worth a person's attention: Guangxi's own regions (peer provinces and the nation are
    benchmarks), the latest year, a deviation that matters in the indicator's terms (not only in
    robust z, which is large for very smooth series), and not a January made by splitting a
    combined January–February release."""
    if not region.startswith(GUANGXI[:2]) or found.empty:
        return found.iloc[:0]
    keep = found["period"].astype(str) >= str(s.index[-1] - ALERT_WINDOW[_freq(s)])
    gap = (found["value"] - found["expected"]).abs()
    if adjusted:
        keep &= gap >= MATERIAL_SHARE * found["expected"].abs()
    else:
        keep &= gap >= MATERIAL_POINTS
    if mi.jan_feb_combined:
        keep &= ~found["period"].astype(str).str.endswith("-01")
    return found[keep]


def _freq(s: pd.Series) -> str:
    return "M" if s.index.freqstr.startswith("M") else "Q"


def _per_year(s: pd.Series) -> int:
    return 12 if s.index.freqstr.startswith("M") else 4


def _display_unit(mi: ModelInput) -> str:
    return mi.indicator.unit


def _seasonal(ctx: Context, mi: ModelInput, s: pd.Series, region: str):
    from models.seasonal import SeasonalAdjustment

    level = tier(ctx, region)
    options = {"full": {}, "city": {"arima_model": AIRLINE}, "light": {"method": "stl"}}[level]
    res = SeasonalAdjustment(**options).fit(s, jan_feb_combined=mi.jan_feb_combined,
                                                combined_value="sum" if mi.indicator.measure == "flow" else "mean")
    frame = res.to_frame()
    frame["method"] = res.method
    sa = pd.Series(frame["seasonally_adjusted"].to_numpy(dtype=float),
                   index=pd.PeriodIndex(frame["period"], freq=s.index.freq))
    return frame, sa, res.summary()


def _forecast(s: pd.Series):
    from models.forecast import AutoForecast

    freq = "M" if s.index.freqstr.startswith("M") else "Q"
    res = AutoForecast(time_budget_s=FORECAST_BUDGET_S, n_origins=2).fit(s, horizon=FORECAST_HORIZON[freq])
    frame = res.to_frame()
    frame = frame[np.isfinite(frame["mean"].to_numpy(dtype=float))]  # no January where it is released with February
    frame["origin"] = str(s.dropna().index[-1])
    return frame, res.summary()


# --- region -----------------------------------------------------------------------------------

def analyse_region(ctx: Context, region: str) -> dict:
    reg = ctx.regions.find(region)
    summary: dict = {}
    lights = store.read_table(ctx.engine, t.signals, region=region)
    monthly = lights[lights["period"].str.len() == 7]
    composite = None
    if not monthly.empty:
        zones = monthly.pivot(index="period", columns="indicator", values="zone")
        zones.index = pd.PeriodIndex(zones.index, freq="M")
        zones = zones.sort_index().astype(float)
        res = CompositeSignal().fit(zones)
        composite = res.to_frame()
        summary["composite"] = res.summary()
    multivariate = _multivariate(ctx, reg, monthly)
    if multivariate is not None:
        summary["multivariate"] = multivariate.summary()
    progress = _targets(ctx, region)
    summary["targets"] = len(progress) if progress is not None else 0
    with ctx.engine.begin() as conn:
        store.replace_rows(conn, t.composite_signals, {"region": region}, composite)
        if multivariate is not None:
            found = multivariate.to_frame()
            last = multivariate.scores.index[-1]
            found = found[found["period"].astype(str) >= str(last - ALERT_WINDOW["M"])]
            store.merge_alerts(conn, "multivariate", {"indicator": "", "region": region}, found)
        store.replace_rows(conn, t.target_progress, {"region": region}, progress)
    return summary


# The multivariate detector looks at a region's headline monthly indicators together: one per
# domain, as published (growth) or as an index, so that a month is judged on what leaders read.
MULTIVARIATE_INDICATORS = ("industrial_va_growth", "retail_sales_ytd_growth", "fai_ytd_growth",
                           "exports_ytd_growth", "fiscal_revenue_ytd_growth", "electricity_growth", "cpi",
                           "surveyed_unemployment", "loans_rmb_growth")


def _multivariate(ctx: Context, reg, monthly_lights: pd.DataFrame):
    """Joint anomalies across the region's headline monthly indicators."""
    columns, names = {}, {}
    for code in MULTIVARIATE_INDICATORS:
        if code not in ctx.catalog:
            continue
        mi = model_input(ctx, code, reg.adcode)
        g = growth_form(mi)
        if g.notna().sum() >= 36:
            columns[code] = g
            names[code] = (mi.indicator.name_zh, mi.indicator.name_en)
    if len(columns) < 3:
        return None
    panel = pd.DataFrame(columns).sort_index()
    panel = panel.loc[:, panel.notna().mean() >= 0.8]
    # Jan–Feb releases leave January empty: carry February's combined figure back one month
    panel = panel.bfill(limit=1).dropna()
    if panel.shape[1] < 3 or len(panel) < max(36, 5 * panel.shape[1]):
        return None
    return MultivariateAnomaly().fit(panel, names=names, region_zh=reg.name_zh, region_en=reg.name_en)


def _targets(ctx: Context, region: str):
    from services.targets import target_progress_frame

    return target_progress_frame(ctx, region)


# --- the rest -----------------------------------------------------------------------------------

NOWCAST_TARGET = "gdp_q_growth"


def nowcast_regions(ctx: Context, fps: dict) -> list[str]:
    """Guangxi and the cities that publish quarterly GDP growth."""
    return [r for r in sorted(full_tier(ctx) - {NATIONAL}) if (NOWCAST_TARGET, r) in fps]


def analyse_nowcast(ctx: Context, region: str) -> dict:
    from services import nowcast as nowcast_service

    as_of = analysis_date(ctx)
    result = nowcast_service.nowcast(ctx, region, as_of=as_of, target=NOWCAST_TARGET)
    interval = result.get("interval") or {}
    row = pd.DataFrame([{
        "period": result["period"], "as_of": str(result["as_of"]), "model": result["model"],
        "point": result["point"], "lower": interval.get("lower"), "upper": interval.get("upper"),
        "level": interval.get("level"), "news": result.get("news") or [], "computed_at": repo.utcnow(),
    }])
    with ctx.engine.begin() as conn:
        subject = {"region": region, "target": NOWCAST_TARGET}
        conn.execute(t.nowcasts.delete().where(
            (t.nowcasts.c.region == region) & (t.nowcasts.c.target == NOWCAST_TARGET)
            & (t.nowcasts.c.as_of == row["as_of"][0]) & (t.nowcasts.c.model == row["model"][0])))
        conn.execute(t.nowcasts.insert(), [{**subject, **r} for r in row.to_dict("records")])
    return {k: result.get(k) for k in ("period", "point", "model")} | {"news_items": len(result.get("news") or [])}


BACKTEST_QUARTERS = 12


def analyse_backtest(ctx: Context, region: str) -> dict:
    """The pseudo-real-time back-test of the last ``BACKTEST_QUARTERS`` published quarters; the page
    reads it from this task's summary in ``model_runs``."""
    from services import nowcast as nowcast_service
    from services.series import stored_series

    published = stored_series(ctx, NOWCAST_TARGET, region).dropna()
    end = pd.Period(str(published.index[-1]), freq="Q")
    start = end - (BACKTEST_QUARTERS - 1)
    return nowcast_service.backtest(ctx, region, NOWCAST_TARGET, str(start), str(end))


def analyse_cycle(ctx: Context, region: str) -> dict:
    from services.cycle import refresh_cycle

    return refresh_cycle(ctx, region)


def analyse_index(ctx: Context, name: str) -> dict:
    from services.indices import refresh_index

    return refresh_index(ctx, name)


HANDLERS = {"series": analyse_series, "region": analyse_region, "nowcast": analyse_nowcast,
            "backtest": analyse_backtest, "cycle": analyse_cycle, "index": analyse_index}

__all__ = ["HANDLERS", "subjects", "analysis_date", "period_labels"]
