"""Annual targets: progress so far, the growth the rest of the year needs, the odds of meeting them.

A growth target (e.g. GDP +5.5%) is judged on levels of the same basis as the published growth.
Real GDP and industrial value added grow on a comparable (constant-price) basis, so their levels
are rebuilt from last year's levels times one plus each period's published growth
(``comparable_levels``); where no levels are published at all (industrial value added) a chained
volume index stands in. Fixed-asset investment is published only as year-to-date growth, so only
its progress is shown — the growth still needed cannot be derived without levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from models.forecast import AutoForecast
from models.targets import TargetProgress
from services.context import Context
from services.inputs import model_input
from storage import results as store
from storage import tables as t

# target indicator → (levels indicator, published single-period growth on the comparable basis)
TARGET_BASES = {
    "gdp_ytd_growth": ("gdp_q", "gdp_q_growth"),
    "industrial_va_ytd_growth": (None, "industrial_va_growth"),
    # the levels made comparable with the published monthly growth, so that the growth still
    # needed is on the basis of the published year-to-date growth it is compared with
    "retail_sales_ytd_growth": ("retail_sales", "retail_sales_growth"),
    "fiscal_revenue_ytd_growth": ("fiscal_revenue", None),
}
FORECAST_BUDGET_S = 0.5


def comparable_levels(levels: pd.Series | None, growth: pd.Series, year: int) -> pd.Series:
    """Levels of ``year`` and the year before whose year-on-year growth equals the published growth.

    Last year keeps its published levels ``x'_t``; this year's are ``x_t = x'_t (1 + g_t)``. Without
    published levels a volume index is chained instead (every calendar period 100 in the first year).
    """
    lag = 12 if growth.index.freqstr.startswith("M") else 4
    if levels is not None:
        out = levels.reindex(growth.index).copy()
        for p in growth.index[growth.index.year == year]:
            prev = p - lag
            base = levels.get(prev)
            out[p] = base * (1 + growth[p] / 100.0) if pd.notna(base) and pd.notna(growth[p]) else np.nan
        return out
    out = pd.Series(np.nan, index=growth.index, dtype=float)
    for p in growth.index:
        prev = p - lag
        last = out.get(prev) if prev in out.index else np.nan
        if pd.isna(growth[p]):
            continue
        out[p] = 100.0 if pd.isna(last) else last * (1 + growth[p] / 100.0)
    return out


# rates whose target indicator is not stored where its source index is: (source indicator, offset)
RATE_SOURCES = {"cpi_yoy": ("cpi", -100.0)}


def _actuals(ctx: Context, indicator: str, region: str, year: int) -> pd.Series | None:
    levels_code, growth_code = TARGET_BASES.get(indicator, (ctx.catalog[indicator].growth_of, None))
    ind = ctx.catalog[indicator]
    if not ind.is_growth or indicator in RATE_SOURCES:  # a level or a rate: judged on its own analysis form
        s = model_input(ctx, indicator, region).series
        if not s.notna().any() and indicator in RATE_SOURCES:
            source, offset = RATE_SOURCES[indicator]
            s = model_input(ctx, source, region).series + offset
        return s if s.notna().any() else None
    levels = None
    if levels_code and levels_code in ctx.catalog:
        levels = model_input(ctx, levels_code, region).series
        levels = levels if levels.notna().any() else None
    if growth_code and growth_code in ctx.catalog:
        growth = model_input(ctx, growth_code, region).series
        if growth.notna().any():
            return comparable_levels(levels, growth, year)
    return levels


def target_progress_frame(ctx: Context, region: str, year: int | None = None) -> pd.DataFrame | None:
    """Evaluate the region's targets for ``year`` (default: the analysis year) and return rows to store."""
    from services.analytics import analysis_date

    year = year or analysis_date(ctx).year
    targets = store.read_table(ctx.engine, t.targets, region=region, year=year)
    targets = targets[[code in ctx.catalog for code in targets["indicator"]]]
    if targets.empty:
        return None
    actuals, forecasts = {}, {}
    for code in targets["indicator"]:
        s = _actuals(ctx, code, region, year)
        if s is None:
            continue
        s = s[s.index.year <= year]
        actuals[(code, region)] = s
        history = s.dropna()
        if len(history) >= 24 and history.index[-1].year == year:
            horizon = (12 if s.index.freqstr.startswith("M") else 4) - _position(history.index[-1])
            if horizon > 0:
                forecasts[(code, region)] = AutoForecast(time_budget_s=FORECAST_BUDGET_S).fit(history, horizon=horizon)
    res = TargetProgress().fit(targets, actuals, forecasts)
    frame = res.to_frame()
    published = {code: _published_ytd(ctx, code, region, year) for code in targets["indicator"]}
    rows = []
    for r in frame.to_dict("records"):
        growth = r["basis"] == "growth"
        actual = r["ytd_growth"] if growth else r["ytd_figure"]
        pub = published.get(r["indicator"])
        if growth and pub is not None:
            actual = pub[1]  # the published year-to-date growth is the official figure
        rows.append({
            "indicator": r["indicator"], "year": int(r["year"]),
            "period": pub[0] if pub is not None else (str(r["as_of"]) if r["as_of"] is not None else ""),
            "basis": r["basis"], "target": r["target"], "actual": _num(actual),
            # growth and rate targets: the gap in percentage points; level totals: the share reached
            "progress": _num(r["share_reached"] if not growth and r["aggregation"] == "sum"
                             else (actual - r["target"] if actual is not None else None)),
            "required": _num(r["required_remaining_growth"] if growth else r["required_remaining_value"]),
            "probability": _num(r["prob_meeting"]), "detail": _jsonable(r),
        })
    return pd.DataFrame(rows)


def _position(p: pd.Period) -> int:
    return p.month if p.freqstr.startswith("M") else p.quarter


def _published_ytd(ctx: Context, code: str, region: str, year: int):
    """(period label, value) of the latest published figure of a growth target in ``year``."""
    ind = ctx.catalog[code]
    if not ind.is_growth or code in RATE_SOURCES:
        return None
    from services.series import stored_series

    s = stored_series(ctx, code, region).dropna()
    s = s[[str(p).startswith(str(year)) for p in s.index]]
    return (str(s.index[-1]), float(s.iloc[-1])) if len(s) else None


def _num(v):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _jsonable(row: dict) -> dict:
    out = {}
    for k, v in row.items():
        if isinstance(v, (np.floating, float)):
            out[k] = _num(v)
        elif isinstance(v, (np.integer,)):
            out[k] = int(v)
        elif v is None or isinstance(v, (str, int, bool)):
            out[k] = v
        else:
            out[k] = str(v)
    return out


def targets(ctx: Context, region: str = "450000", year: int | None = None) -> dict:
    """Stored targets and their progress, as the CLI and reports read them."""
    reg = ctx.regions.find(region)
    tg = store.read_table(ctx.engine, t.targets, order_by=("year", "indicator"), region=reg.adcode, year=year)
    progress = store.read_table(ctx.engine, t.target_progress, region=reg.adcode, year=year)
    prog = {(r["indicator"], int(r["year"])): r for r in progress.to_dict("records")}
    rows = []
    for r in tg.to_dict("records"):
        ind = ctx.catalog.get(r["indicator"])
        p = prog.get((r["indicator"], int(r["year"])), {})
        rows.append({"indicator": r["indicator"], "name_zh": ind.name_zh if ind else None,
                     "name_en": ind.name_en if ind else None, "year": int(r["year"]), "target": r["target"],
                     "basis": r["basis"], "direction": r["direction"], "origin": r["origin"], "note": r["note"],
                     "period": p.get("period"), "actual": _num(p.get("actual")),
                     "progress": _num(p.get("progress")), "required": _num(p.get("required")),
                     "probability": _num(p.get("probability"))})
    return {"region": reg.adcode, "region_name_zh": reg.name_zh, "region_name_en": reg.name_en,
            "targets": rows, "demo": ctx.is_demo}
