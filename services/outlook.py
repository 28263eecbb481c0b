"""形势预判 as users read it: the stored nowcast and forecasts (live computation only on request)."""

from __future__ import annotations

import pandas as pd

from indicators.regions import GUANGXI
from services import nowcast as nowcast_service
from services.context import Context
from services.nowcast import NowcastRequestError
from services.series import SeriesRequestError, resolve
from storage import results as store
from storage import tables as t

__all__ = ["NowcastRequestError", "nowcast", "nowcast_history", "forecast"]


def nowcast(ctx: Context, region: str = GUANGXI, as_of=None, target: str = "gdp_q_growth") -> dict:
    """The latest stored nowcast, or — for an explicit ``as_of`` — one computed from the vintages then."""
    reg = ctx.regions.find(region)
    if not ctx.viewer.can_see(reg.adcode):
        raise NowcastRequestError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    if as_of is None:
        stored = nowcast_history(ctx, reg.adcode, target)
        if len(stored):
            row = stored.iloc[-1]
            return {"region": reg.adcode, "target": target, "period": row["period"], "as_of": row["as_of"],
                    "point": float(row["point"]),
                    "interval": {"lower": _f(row["lower"]), "upper": _f(row["upper"]), "level": _f(row["level"])},
                    "model": row["model"], "news": row["news"] or [], "stored": True}
    result = nowcast_service.nowcast(ctx, reg.adcode, as_of=as_of, target=target)
    return {**result, "stored": False}


def nowcast_history(ctx: Context, region: str = GUANGXI, target: str = "gdp_q_growth") -> pd.DataFrame:
    frame = store.read_table(ctx.engine, t.nowcasts, order_by=("as_of", "period"), region=region, target=target)
    return frame


def forecast(ctx: Context, indicator: str, region: str = GUANGXI) -> pd.DataFrame:
    """Stored forecast of an indicator's analysis form (period, mean, 80% and 95% bounds)."""
    try:
        ind, reg = resolve(ctx, indicator, region)
    except SeriesRequestError:
        raise
    return store.read_table(ctx.engine, t.forecasts, order_by=("period",), indicator=ind.code, region=reg.adcode)


def _f(v):
    return None if v is None or pd.isna(v) else float(v)
