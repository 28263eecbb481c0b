"""Early warning as users read it: the signal lights of a month, the composite zone, the alerts.

Everything here reads what the refresh stored; nothing is fitted while someone waits.
"""

from __future__ import annotations

import pandas as pd

from indicators.regions import GUANGXI
from models.signals import ZONES
from services.context import Context
from services.series import SeriesRequestError
from storage import repository as repo
from storage import results as store
from storage import tables as t

ALERT_STATES = store.ALERT_STATES


def _region(ctx: Context, region: str):
    try:
        reg = ctx.regions.find(region)
    except Exception as exc:
        raise SeriesRequestError(str(exc)) from exc
    if not ctx.viewer.can_see(reg.adcode):
        raise SeriesRequestError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    return reg


def zone_json(zone) -> dict:
    z = ZONES[int(zone)]
    return {"zone": int(zone), "zone_key": z["key"], "zone_zh": z["zh"], "zone_en": z["en"], "color": z["color"]}


def signals(ctx: Context, period: str, region: str = GUANGXI) -> dict:
    """The lights of every indicator of ``region`` in ``period`` and the composite zone."""
    reg = _region(ctx, region)
    lights = store.read_table(ctx.engine, t.signals, order_by=("indicator",), region=reg.adcode, period=period)
    comp = store.read_table(ctx.engine, t.composite_signals, region=reg.adcode, period=period)
    items = []
    for row in lights.itertuples():
        ind = ctx.catalog.get(row.indicator)
        if ind is None:
            continue
        items.append({"indicator": row.indicator, "name_zh": ind.name_zh, "name_en": ind.name_en,
                      "domain": ind.domain, "value": None if pd.isna(row.value) else float(row.value),
                      "score": None if pd.isna(row.score) else float(row.score), **zone_json(row.zone)})
    composite = None
    if len(comp):
        c = comp.iloc[0]
        composite = {"score": float(c["score"]), "n_indicators": int(c["n_indicators"]), **zone_json(c["zone"])}
    return {"region": reg.adcode, "region_name_zh": reg.name_zh, "region_name_en": reg.name_en,
            "period": period, "composite": composite, "signals": items, "demo": ctx.is_demo}


def signal_matrix(ctx: Context, region: str = GUANGXI, months: int = 24) -> pd.DataFrame:
    """Indicators × months of zones (for the signal-light matrix)."""
    reg = _region(ctx, region)
    lights = store.read_table(ctx.engine, t.signals, region=reg.adcode)
    lights = lights[lights["period"].str.len() == 7]
    if lights.empty:
        return pd.DataFrame()
    keep = sorted(lights["period"].unique())[-months:]
    lights = lights[lights["period"].isin(keep)]
    return lights.pivot(index="indicator", columns="period", values="zone")


def composite_history(ctx: Context, region: str = GUANGXI) -> pd.DataFrame:
    reg = _region(ctx, region)
    return store.read_table(ctx.engine, t.composite_signals, order_by=("period",), region=reg.adcode)


def latest_signal_period(ctx: Context, region: str = GUANGXI) -> str | None:
    comp = store.read_table(ctx.engine, t.composite_signals, region=region)
    return None if comp.empty else str(comp["period"].max())


def alerts(ctx: Context, state: str | None = None, region: str | None = None, current_only: bool = True,
           limit: int | None = None) -> list[dict]:
    if state and state not in ALERT_STATES:
        raise SeriesRequestError(f"未知状态“{state}” / unknown state '{state}' ({', '.join(ALERT_STATES)})")
    frame = store.read_table(ctx.engine, t.alerts, state=state, region=region)
    if current_only and len(frame):
        frame = frame[frame["current"].astype(bool)]
    frame = frame[[ctx.viewer.can_see(r) for r in frame["region"]]] if len(frame) else frame
    order = {"high": 0, "medium": 1, "low": 2}
    frame = frame.assign(_sev=frame["severity"].map(order)).sort_values(["period", "_sev"], ascending=[False, True])
    if limit:
        frame = frame.head(limit)
    out = []
    for row in frame.itertuples():
        reg = ctx.regions.find(row.region)
        ind = ctx.catalog.get(row.indicator) if row.indicator else None
        out.append({
            "id": int(row.id), "kind": row.kind, "indicator": row.indicator or None,
            "name_zh": ind.name_zh if ind else None, "name_en": ind.name_en if ind else None,
            "region": row.region, "region_name_zh": reg.name_zh, "region_name_en": reg.name_en,
            "period": row.period, "score": float(row.score), "severity": row.severity, "direction": row.direction,
            "message_zh": row.message_zh, "message_en": row.message_en, "drivers": row.drivers,
            "state": row.state, "updated_at": row.updated_at.isoformat() if pd.notna(row.updated_at) else None,
            "updated_by": row.updated_by,
        })
    return out


def set_alert_state(ctx: Context, alert_id: int, state: str) -> dict:
    with ctx.engine.begin() as conn:
        try:
            ok = store.set_alert_state(conn, alert_id, state, ctx.viewer.user)
        except ValueError as exc:
            raise SeriesRequestError(str(exc)) from exc
        if not ok:
            raise SeriesRequestError(f"没有编号为 {alert_id} 的预警 / no alert with id {alert_id}")
        repo.audit(conn, ctx.viewer.user, "alert_state", str(alert_id), {"state": state})
        repo.touch_scopes(conn, ["*"])  # cached views listing alerts are stale now
    return {"id": alert_id, "state": state}
