"""View models of the analytics pages (形势预判, 预警中心, 发展指数): what the refresh stored, shaped
for the figures and tables.

Every function is a pure read taking ``ctx`` (a server-side cache may wrap them): nothing here fits
a model, so a page answers in the time of a few queries. View models carry names in both languages
(``name_zh``/``name_en``); the figure or layout picks one.
"""

from __future__ import annotations

import datetime as dt
import math
from statistics import NormalDist

import pandas as pd

from indicators.periods import parse_period
from indicators.regions import GUANGXI
from models.signals import ZONES
from services import early_warning, indices
from services import outlook as outlook_service
from services.cache import cached
from services.context import Context
from services.inputs import model_input
from services.nowcast import TARGET_ALTERNATIVES
from services.series import stored_series
from storage import results as store
from storage import tables as t

NOWCAST_TARGET = "gdp_q_growth"
HISTORY_QUARTERS = 12
# The stored nowcast carries one interval (90 %); the inner bands of the fan are drawn from the same
# normal error distribution, so the fan says no more than the stored interval does.
FAN_LEVELS = (0.5, 0.7, 0.9)
NEWS_TOP = 10
FORECAST_HISTORY = 36
MATRIX_MONTHS = 24
INDEX_PERIODS = 60
RANKING_PERIODS = 12
ALERT_LIMIT = 20
BACKTEST_TASK = "backtest:{region}"
MODEL_NAMES = {"dfm": ("动态因子模型", "Dynamic factor model"), "bridge": ("桥接方程", "Bridge equations"),
               "ar1": ("一阶自回归", "AR(1)"), "last_value": ("上期值", "Last value"),
               "combination": ("组合预测", "Forecast combination")}


class AnalyticsViewError(ValueError):
    """A request the analytics pages cannot answer (unknown or hidden region, unknown index); bilingual."""


def _region(ctx: Context, region: str):
    try:
        reg = ctx.regions.find(region)
    except Exception as exc:  # RegionError: already bilingual
        raise AnalyticsViewError(str(exc)) from exc
    if not ctx.viewer.can_see(reg.adcode):
        raise AnalyticsViewError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    return reg


def _num(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _names(ctx: Context, code: str) -> dict:
    ind = ctx.catalog.get(code)
    return {"name_zh": ind.name_zh if ind else code, "name_en": ind.name_en if ind else code}


def region_choices(ctx: Context) -> list[dict]:
    """Guangxi and its 14 cities, as far as the viewer may see them (the regions every task covers)."""
    regions = [ctx.regions[GUANGXI], *ctx.regions.cities()]
    return [{"adcode": r.adcode, "name_zh": r.name_zh, "name_en": r.name_en, "short_zh": r.short_zh}
            for r in regions if ctx.viewer.can_see(r.adcode)]


# ---- 形势预判: nowcast, news, back-test, forecasts, targets ------------------------------------------

def latest_nowcast(ctx: Context, region: str = GUANGXI) -> dict | None:
    """The newest stored nowcast of ``region`` (None when the refresh has not stored one; never computed here)."""
    reg = _region(ctx, region)
    stored = outlook_service.nowcast_history(ctx, reg.adcode, NOWCAST_TARGET)
    if stored.empty:
        return None
    row = stored.iloc[-1]
    return {"region": reg.adcode, "period": row["period"], "as_of": row["as_of"], "model": row["model"],
            "point": float(row["point"]), "lower": _num(row["lower"]), "upper": _num(row["upper"]),
            "level": _num(row["level"]), "news": list(row["news"] or [])}


def quarterly_growth(ctx: Context, region: str, last: int = HISTORY_QUARTERS) -> pd.DataFrame:
    """Published real GDP growth of the quarter (%), the last ``last`` quarters."""
    for code in TARGET_ALTERNATIVES[NOWCAST_TARGET]:
        if code not in ctx.catalog:
            continue
        s = stored_series(ctx, code, region).dropna()
        if len(s):
            values = s - 100.0 if ctx.catalog[code].publication == "index" else s
            frame = pd.DataFrame({"period": [str(p) for p in s.index], "value": values.to_numpy(dtype=float)})
            return frame.sort_values("period").tail(last).reset_index(drop=True)
    return pd.DataFrame(columns=["period", "value"])


def fan_chart(ctx: Context, region: str = GUANGXI) -> dict | None:
    """The nowcast with nested bands (``FAN_LEVELS``) and the published quarters before it."""
    now = latest_nowcast(ctx, region)
    if now is None:
        return None
    bands = fan_bands(now["lower"], now["upper"], now["level"])
    history = quarterly_growth(ctx, now["region"])
    history = history[history["period"] < now["period"]]
    return {**{k: v for k, v in now.items() if k != "news"}, "bands": bands, "history": history}


def fan_bands(lower: float | None, upper: float | None, level: float | None) -> list[dict]:
    """Nested bands (``FAN_LEVELS`` and the stored level, widest first) around the stored interval,
    assuming normally distributed errors; none without an interval."""
    if lower is None or upper is None or not level:
        return []
    sd = (upper - lower) / (2 * NormalDist().inv_cdf(0.5 + level / 2))
    centre = (upper + lower) / 2
    bands = []
    for lv in sorted({*FAN_LEVELS, level}, reverse=True):
        half = NormalDist().inv_cdf(0.5 + lv / 2) * sd
        bands.append({"level": lv, "lower": centre - half, "upper": centre + half})
    return bands


def news_items(ctx: Context, region: str = GUANGXI, top: int = NEWS_TOP) -> dict | None:
    """How the releases since the previous update moved the nowcast: the ``top`` largest impacts,
    the rest summed as "others"; ``previous + Σ impacts = current``."""
    now = latest_nowcast(ctx, region)
    if now is None:
        return None
    news = sorted(now["news"], key=lambda n: -abs(n.get("impact") or 0.0))
    shown, rest = news[:top], news[top:]
    items = [{"indicator": n["indicator"], "period": n.get("period"), "impact": float(n.get("impact") or 0.0),
              **_names(ctx, n["indicator"])} for n in shown]
    if rest:
        items.append({"indicator": None, "period": None, "impact": sum(float(n.get("impact") or 0.0) for n in rest),
                      "name_zh": f"其他 {len(rest)} 项", "name_en": f"{len(rest)} others"})
    total = sum(i["impact"] for i in items)
    return {"period": now["period"], "as_of": now["as_of"], "current": now["point"],
            "previous": now["point"] - total, "items": items, "count": len(news)}


def backtest(ctx: Context, region: str = GUANGXI) -> dict | None:
    """The stored nowcast back-test of ``region`` (task ``backtest:<region>``), None when not computed."""
    reg = _region(ctx, region)
    runs = store.read_table(ctx.engine, t.model_runs, task=BACKTEST_TASK.format(region=reg.adcode))
    if runs.empty or runs.iloc[0]["status"] != "ok" or not isinstance(runs.iloc[0]["summary"], dict):
        return None
    summary = runs.iloc[0]["summary"]
    models = []
    for m in summary.get("models") or []:
        zh, en = MODEL_NAMES.get(m.get("model"), (m.get("model"), m.get("model")))
        models.append({**m, "name_zh": zh, "name_en": en, "rmse": _num(m.get("rmse")), "mae": _num(m.get("mae"))})
    if not models:
        return None
    models.sort(key=lambda m: (m["rmse"] is None, m["rmse"] or 0.0))
    quarters = summary.get("quarters") or []
    periods = sorted({str(q.get("period")) for q in quarters if q.get("period")})
    return {"region": reg.adcode, "models": models, "start": summary.get("start", periods[0] if periods else None),
            "end": summary.get("end", periods[-1] if periods else None), "quarters": len(periods)}


def forecast_choices(ctx: Context, region: str = GUANGXI) -> list[dict]:
    """Indicators with a stored forecast for ``region``, in catalog order."""
    reg = _region(ctx, region)
    codes = set(store.read_table(ctx.engine, t.forecasts, region=reg.adcode)["indicator"])
    return [{"code": ind.code, "name_zh": ind.name_zh, "name_en": ind.name_en}
            for ind in ctx.catalog if ind.code in codes]


@cached()
def forecast(ctx: Context, indicator: str, region: str = GUANGXI, history: int = FORECAST_HISTORY) -> dict | None:
    """The stored forecast with its 80 % and 95 % bounds, the series it continues (its analysis form:
    single periods for year-to-date levels) and the model's out-of-sample MASE."""
    reg = _region(ctx, region)
    ind = ctx.catalog.get(indicator)
    if ind is None:
        return None
    frame = store.read_table(ctx.engine, t.forecasts, order_by=("period",), indicator=ind.code, region=reg.adcode)
    if frame.empty:
        return None
    mi = model_input(ctx, ind.code, reg.adcode)
    past = mi.series.dropna()
    past = pd.DataFrame({"period": [str(p) for p in past.index], "value": past.to_numpy(dtype=float)}).tail(history)
    runs = store.read_table(ctx.engine, t.model_runs, task=f"series:{ind.code}:{reg.adcode}")
    summary = runs.iloc[0]["summary"] if len(runs) and isinstance(runs.iloc[0]["summary"], dict) else {}
    fit = summary.get("forecast") or {}
    return {"indicator": ind.code, "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit,
            "decimals": ind.decimals, "region": reg.adcode, "origin": str(frame["origin"].iloc[0]),
            "history": past.reset_index(drop=True),
            "forecast": frame[["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95"]].reset_index(drop=True),
            "mase": _num(fit.get("mase")), "specification": fit.get("specification"),
            "jan_feb_combined": bool(mi.jan_feb_combined and ind.frequency == "M" and mi.is_level)}


@cached()
def target_rows(ctx: Context, region: str = GUANGXI, year: int | None = None) -> dict:
    """Annual targets with progress for the latest year that has progress stored (or ``year``)."""
    reg = _region(ctx, region)
    progress = store.read_table(ctx.engine, t.target_progress, region=reg.adcode)
    if year is None and len(progress):
        year = int(progress["year"].max())
    targets = store.read_table(ctx.engine, t.targets, order_by=("indicator",), region=reg.adcode, year=year)
    if year is None and len(targets):
        year = int(targets["year"].max())
        targets = targets[targets["year"] == year]
    prog = {r["indicator"]: r for r in progress[progress["year"] == year].to_dict("records")} if year else {}
    rows = []
    for r in targets.to_dict("records"):
        ind = ctx.catalog.get(r["indicator"])
        if ind is None:
            continue
        p = prog.get(r["indicator"], {})
        detail = p.get("detail") if isinstance(p.get("detail"), dict) else {}
        rows.append({
            "indicator": ind.code, "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit,
            "basis": r["basis"], "direction": r["direction"], "aggregation": r.get("aggregation") or "sum",
            "target": float(r["target"]), "period": p.get("period"), "actual": _num(p.get("actual")),
            "progress": _num(p.get("progress")), "required": _num(p.get("required")),
            "probability": _num(p.get("probability")),
            "forecast_full_year": _num(detail.get("forecast_full_year")),
            # a growth target is judged in %, a level target on a rate (CPI, unemployment) in its unit
            "percent": r["basis"] == "growth" or ind.unit == "%",
        })
    order = {"gdp_ytd_growth": 0}
    rows.sort(key=lambda x: (order.get(x["indicator"], 1), x["basis"] != "growth", x["indicator"]))
    return {"region": reg.adcode, "year": year, "rows": rows}


# ---- 预警中心: signal lights, composite zones, alerts -----------------------------------------------

def zone_legend() -> list[dict]:
    return [{"zone": z, "key": v["key"], "name_zh": v["zh"], "name_en": v["en"], "color": v["color"]}
            for z, v in sorted(ZONES.items(), reverse=True)]


@cached()
def signal_matrix(ctx: Context, region: str = GUANGXI, months: int = MATRIX_MONTHS) -> dict:
    """Indicators (rows, by domain) × the last ``months`` months of light zones."""
    reg = _region(ctx, region)
    wide = early_warning.signal_matrix(ctx, reg.adcode, months)
    if wide.empty:
        return {"region": reg.adcode, "periods": [], "rows": []}
    domain_order = {g.code: i for i, g in enumerate(ctx.catalog.domains)}
    rows = []
    for code, zones in wide.iterrows():
        ind = ctx.catalog.get(code)
        if ind is None:
            continue
        rows.append({"indicator": code, "name_zh": ind.name_zh, "name_en": ind.name_en, "domain": ind.domain,
                     "zones": [None if pd.isna(z) else int(z) for z in zones.to_numpy()]})
    rows.sort(key=lambda r: (domain_order.get(r["domain"], 99), r["indicator"]))
    return {"region": reg.adcode, "periods": [str(p) for p in wide.columns], "rows": rows}


def composite_history(ctx: Context, region: str = GUANGXI) -> pd.DataFrame:
    """The composite score (0–100) and zone of every month, with the zone's names and colour."""
    reg = _region(ctx, region)
    frame = early_warning.composite_history(ctx, reg.adcode)
    frame = frame[frame["period"].str.len() == 7].reset_index(drop=True)
    return _with_zone(frame)


def _with_zone(frame: pd.DataFrame) -> pd.DataFrame:
    zones = frame["zone"].astype(int) if len(frame) else frame["zone"]
    return frame.assign(zone_zh=[ZONES[z]["zh"] for z in zones], zone_en=[ZONES[z]["en"] for z in zones],
                        color=[ZONES[z]["color"] for z in zones])


@cached()
def regional_composites(ctx: Context, months: int = MATRIX_MONTHS) -> dict:
    """Guangxi and the cities (rows) × the last ``months`` months of composite zones."""
    choices = region_choices(ctx)
    frame = store.read_table(ctx.engine, t.composite_signals, region=[c["adcode"] for c in choices])
    frame = frame[frame["period"].str.len() == 7]
    if frame.empty:
        return {"periods": [], "rows": []}
    periods = sorted(frame["period"].unique())[-months:]
    wide = frame[frame["period"].isin(periods)].pivot(index="region", columns="period", values="zone")
    rows = [{"region": c["adcode"], "name_zh": c["short_zh"], "name_en": c["name_en"],
             "zones": [None if pd.isna(z) else int(z) for z in wide.loc[c["adcode"]].reindex(periods).to_numpy()]}
            for c in choices if c["adcode"] in wide.index]
    return {"periods": list(periods), "rows": rows}


@cached()
def alert_rows(ctx: Context, region: str = GUANGXI, state: str | None = None, limit: int = ALERT_LIMIT) -> dict:
    """The current alerts of ``region`` (newest period first, then by severity) and their count by state."""
    reg = _region(ctx, region)
    every = early_warning.alerts(ctx, region=reg.adcode)
    counts = {s: 0 for s in early_warning.ALERT_STATES}
    for a in every:
        counts[a["state"]] = counts.get(a["state"], 0) + 1
    chosen = [a for a in every if state in (None, "", "all") or a["state"] == state]
    # newest first by the period's end: "2026-10" comes after "2026Q2", which string order gets wrong
    severity = {"high": 0, "medium": 1, "low": 2}
    chosen.sort(key=lambda a: (_period_end(a["period"]), -severity.get(a["severity"], 3)), reverse=True)
    return {"region": reg.adcode, "state": state, "counts": counts, "total": len(chosen), "rows": chosen[:limit]}


def _period_end(label: str):
    try:
        return parse_period(label, "Q" if "Q" in label else "M" if len(label) >= 7 else "A").end_date
    except Exception:  # an unreadable label sorts last rather than failing the list
        return dt.date.min


# ---- 发展指数: index values, contributions, city ranking ----------------------------------------------

def index_choices(ctx: Context) -> list[dict]:
    out = [{"name": name, "name_zh": spec.name_zh, "name_en": spec.name_en, "frequency": spec.frequency}
           for name, spec in indices.specs(ctx).items()]
    out += [{"name": name, "name_zh": zh, "name_en": en, "frequency": "M"}
            for name, (zh, en) in indices.CYCLE_INDICES.items()]
    return out


def index_regions(ctx: Context, name: str) -> list[dict]:
    """Regions with stored values of the index (Guangxi first, then cities and counties), visible ones only."""
    codes = set(store.read_table(ctx.engine, t.index_values, index_name=name)["region"])
    spec = indices.specs(ctx).get(name)
    if spec is not None and spec.model == "city_ranking" and codes:
        codes.add(GUANGXI)  # the region's view of a city ranking: the ranking itself
    out = []
    for code in sorted(codes, key=lambda c: (c != GUANGXI, c)):
        reg = ctx.regions[code]
        if ctx.viewer.can_see(code):
            out.append({"adcode": code, "name_zh": reg.name_zh, "name_en": reg.name_en, "level": reg.level})
    return out


@cached()
def index_series(ctx: Context, name: str, region: str = GUANGXI, periods: int = INDEX_PERIODS) -> dict:
    """An index over the last ``periods`` periods with each component's contribution (index points).

    Raises :class:`AnalyticsViewError` (bilingual) for an unknown index or one not computed for the region.
    """
    reg = _region(ctx, region)
    try:
        values = indices.index_values(ctx, name, reg.adcode)
    except indices.IndexRequestError as exc:
        raise AnalyticsViewError(str(exc)) from exc
    rows = values["values"][-periods:]
    frame = pd.DataFrame({"period": [r["period"] for r in rows], "value": [float(r["value"]) for r in rows]})
    contributions = {}
    for r in rows:
        c = r.get("contributions") or {}
        if isinstance(c.get("components"), dict):  # cycle indices: {"phase", "components"}
            c = c["components"]
        contributions[r["period"]] = {k: _num(v) for k, v in c.items()}
    contrib = pd.DataFrame.from_dict(contributions, orient="index") if any(contributions.values()) else pd.DataFrame()
    components = [{"code": code, **_names(ctx, code)} for code in contrib.columns]
    spec = indices.specs(ctx).get(name)
    baseline = 0.0 if spec is not None and spec.model == "city_ranking" else 100.0
    return {"name": name, "name_zh": values["name_zh"], "name_en": values["name_en"], "region": reg.adcode,
            "region_name_zh": reg.name_zh, "region_name_en": reg.name_en, "frequency": values["frequency"],
            "base_period": values.get("base_period"), "baseline": baseline,
            "is_city_mean": "ranking" in values, "values": frame,
            "contributions": contrib.reindex(frame["period"]).reset_index(drop=True) if len(contrib) else contrib,
            "components": components}


@cached()
def ranking_history(ctx: Context, name: str, periods: int = RANKING_PERIODS) -> pd.DataFrame:
    """The 14 cities' ranks on the index over the last ``periods`` periods: the stored rank of a city
    ranking, else the rank by index value (1 = highest). Empty when the index has no city values."""
    cities = {r.adcode: r for r in ctx.regions.cities() if ctx.viewer.can_see(r.adcode)}
    frame = store.read_table(ctx.engine, t.index_values, index_name=name, region=list(cities))
    if frame.empty:
        return pd.DataFrame(columns=["period", "region", "name_zh", "name_en", "value", "rank"])
    keep = sorted(frame["period"].unique())[-periods:]
    frame = frame[frame["period"].isin(keep)].copy()
    if frame["rank"].isna().any():
        frame["rank"] = frame.groupby("period")["value"].rank(ascending=False, method="min")
    frame["rank"] = frame["rank"].astype(int)
    frame["name_zh"] = [cities[c].short_zh for c in frame["region"]]
    frame["name_en"] = [cities[c].name_en for c in frame["region"]]
    return frame[["period", "region", "name_zh", "name_en", "value", "rank"]].sort_values(
        ["period", "rank"]).reset_index(drop=True)
