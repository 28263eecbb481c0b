"""View models of the leaders' big screen (态势感知大屏): one plain dict or frame per panel.

Everything is read from what is stored — observations and the results of the batch refresh —
through the analytics services; nothing is fitted here. Each function takes the Context and
returns data for one panel, so a server-side cache can wrap any of them keyed on
:func:`data_version`. Where an analytics result has not been computed yet, the view model says so
(``ready=False``) instead of raising, and the page shows "分析结果尚未计算" in that panel.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators.periods import parse_period
from indicators.regions import GUANGXI
from models.signals import ZONES
from services import early_warning, indices, outlook
from services import targets as targets_service
from services.cache import cached
from services.context import Context
from services.gdp import city_boundaries
from storage import repository as repo
from storage import results as store
from storage import tables as t

# The nine domains as tiles: (domain, level indicator or None, published growth indicator).
# Investment and industry are published only as growth, so their headline is the growth itself.
KPI_TILES: tuple[tuple[str, str | None, str], ...] = (
    ("macro", "electricity", "electricity_growth"),
    ("gdp", "gdp", "gdp_ytd_growth"),
    ("industry", None, "industrial_va_ytd_growth"),
    ("investment", None, "fai_ytd_growth"),
    ("consumption", "retail_sales", "retail_sales_ytd_growth"),
    ("trade", "trade_total", "trade_total_ytd_growth"),
    ("living", "disposable_income", "disposable_income_ytd_growth"),
    ("fiscal", "fiscal_revenue", "fiscal_revenue_ytd_growth"),
    ("employment", "urban_new_jobs", "urban_new_jobs_ytd_growth"),
)
# Indicators the city map cycles through (published year-to-date growth, every city reports them).
MAP_INDICATORS: tuple[str, ...] = (
    "gdp_ytd_growth", "industrial_va_ytd_growth", "retail_sales_ytd_growth", "fai_ytd_growth",
    "fiscal_revenue_ytd_growth", "trade_total_ytd_growth",
)
# The lights shown one by one: the classic business-climate set a leader recognises. The
# composite zone itself is computed over every indicator with a light.
KEY_SIGNALS: tuple[str, ...] = (
    "industrial_va_growth", "electricity_growth", "fai_ytd_growth", "retail_sales_growth",
    "exports_ytd_growth", "fiscal_revenue_ytd_growth", "loans_rmb_growth", "cpi_yoy",
    "freight_volume_ytd_growth", "housing_sales_area_ytd_growth", "surveyed_unemployment", "gdp_q_growth",
)
# Short names that fit a tile or a light at five metres (the catalog's names are for tables).
SHORT_NAMES: dict[str, tuple[str, str]] = {
    "electricity": ("全社会用电量", "Electricity use"),
    "gdp": ("地区生产总值", "GDP"),
    "industrial_va_ytd_growth": ("规上工业增加值", "Industrial VA"),
    "fai_ytd_growth": ("固定资产投资", "Fixed investment"),
    "retail_sales": ("社零总额", "Retail sales"),
    "trade_total": ("进出口总额", "Foreign trade"),
    "disposable_income": ("人均可支配收入", "Disposable income"),
    "fiscal_revenue": ("一般公共预算收入", "Budget revenue"),
    "urban_new_jobs": ("城镇新增就业", "New urban jobs"),
    "gdp_ytd_growth": ("地区生产总值增速", "GDP growth"),
    "retail_sales_ytd_growth": ("社零总额增速", "Retail sales growth"),
    "fiscal_revenue_ytd_growth": ("财政收入增速", "Revenue growth"),
    "trade_total_ytd_growth": ("进出口增速", "Trade growth"),
    "industrial_va_growth": ("工业增加值", "Industrial VA"),
    "electricity_growth": ("全社会用电量", "Electricity use"),
    "retail_sales_growth": ("社零总额", "Retail sales"),
    "exports_ytd_growth": ("出口", "Exports"),
    "loans_rmb_growth": ("人民币贷款", "RMB loans"),
    "cpi_yoy": ("居民消费价格", "Consumer prices"),
    "freight_volume_ytd_growth": ("货运量", "Freight"),
    "housing_sales_area_ytd_growth": ("商品房销售面积", "Housing sales"),
    "surveyed_unemployment": ("调查失业率", "Unemployment"),
    "gdp_q_growth": ("GDP当季增速", "GDP, quarter"),
}
MAP_INDICATOR_NAMES: dict[str, tuple[str, str]] = {
    "gdp_ytd_growth": ("地区生产总值增速", "GDP growth"),
    "industrial_va_ytd_growth": ("规上工业增加值增速", "Industrial value added growth"),
    "retail_sales_ytd_growth": ("社会消费品零售总额增速", "Retail sales growth"),
    "fai_ytd_growth": ("固定资产投资增速", "Fixed-asset investment growth"),
    "fiscal_revenue_ytd_growth": ("一般公共预算收入增速", "Budget revenue growth"),
    "trade_total_ytd_growth": ("进出口总额增速", "Foreign trade growth"),
}
# the chips under the map title: a word each, so all six fit one row
MAP_CHIP_NAMES: dict[str, tuple[str, str]] = {
    "gdp_ytd_growth": ("GDP", "GDP"), "industrial_va_ytd_growth": ("工业", "Industry"),
    "retail_sales_ytd_growth": ("社零", "Retail"), "fai_ytd_growth": ("投资", "Investment"),
    "fiscal_revenue_ytd_growth": ("财政", "Revenue"), "trade_total_ytd_growth": ("外贸", "Trade"),
}
# domain names that fit a tile in English (the catalog's are for menus)
TILE_DOMAIN_EN = {"investment": "Investment", "living": "Living", "fiscal": "Public finance", "gdp": "GDP"}
GDP_TARGET = "gdp_ytd_growth"
NOWCAST_TARGET = "gdp_q_growth"
CITY_INDEX = "city_development"
TICKER_LIMIT = 12
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2}
_Q_ZH = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}
_Q_EN = {1: "Q1 {y}", 2: "H1 {y}", 3: "Q1–Q3 {y}", 4: "Year {y}"}
_MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_name(code: str, lang: str) -> str:
    zh, en = SHORT_NAMES.get(code, (code, code))
    return en if lang == "en" else zh


def period_label(period: str | None, ytd: bool, lang: str) -> str:
    """Periods as Chinese statistics name them: 2026-10 → 2026年1-10月 (year to date) or 2026年10月;
    2026Q3 → 2026年前三季度 or 2026年三季度."""
    if not period:
        return "—"
    p = parse_period(period)
    if "Q" in period:
        if ytd:
            return f"{p.year}年{_Q_ZH[p.number]}" if lang == "zh" else _Q_EN[p.number].format(y=p.year)
        return f"{p.year}年{'一二三四'[p.number - 1]}季度" if lang == "zh" else f"Q{p.number} {p.year}"
    month = p.number
    if lang == "zh":
        return f"{p.year}年1-{month}月" if ytd and month > 1 else f"{p.year}年{month}月"
    if ytd and month > 1:
        return f"Jan–{_MONTH_EN[month - 1]} {p.year}"
    return f"{_MONTH_EN[month - 1]} {p.year}"


def short_period_label(period: str | None, ytd: bool, lang: str) -> str:
    """The period without its year, for a tile: 1-10月, 10月, 前三季度 / Jan–Oct, Oct, Q1–Q3."""
    if not period:
        return "—"
    p = parse_period(period)
    if "Q" in period:
        if ytd:
            return _Q_ZH[p.number] if lang == "zh" else _Q_EN[p.number].format(y="").strip()
        return f"{'一二三四'[p.number - 1]}季度" if lang == "zh" else f"Q{p.number}"
    month = p.number
    if lang == "zh":
        return f"1-{month}月" if ytd and month > 1 else f"{month}月"
    return f"Jan–{_MONTH_EN[month - 1]}" if ytd and month > 1 else _MONTH_EN[month - 1]


# ---- the data version: what the auto-refresh polls --------------------------------------------------

def data_version(ctx: Context) -> str:
    """A cheap fingerprint of what the screen shows: the observation store's version and the time
    of the last analytics refresh. The page re-renders its panels only when this changes."""
    refreshed = repo.get_meta(ctx.engine, "analytics_refreshed_at", "") or ""
    return f"{ctx.data_version}|{refreshed}"


# ---- title bar ---------------------------------------------------------------------------------------

def title_bar(ctx: Context) -> dict:
    """Demo flag, the latest month any headline indicator reaches, and when analytics last ran."""
    codes = [g for _, _, g in KPI_TILES]
    frame = repo.read_observations(ctx.engine, codes, GUANGXI)
    monthly = frame.loc[frame["period"].str.len() == 7, "period"] if len(frame) else pd.Series(dtype=str)
    refreshed = repo.get_meta(ctx.engine, "analytics_refreshed_at")
    return {"demo": ctx.is_demo, "latest_period": monthly.max() if len(monthly) else None,
            "analytics_refreshed_at": refreshed, "data_version": ctx.data_version}


# ---- the nine domains ------------------------------------------------------------------------------

def _latest_lights(ctx: Context, region: str = GUANGXI) -> pd.DataFrame:
    """The latest stored light of each indicator of ``region`` (empty before the first refresh)."""
    lights = store.read_table(ctx.engine, t.signals, region=region)
    if lights.empty:
        return lights
    lights = lights.dropna(subset=["zone"])
    # a quarterly light (2026Q3) and a monthly one never mix for one indicator, so the max label is the latest
    return lights.sort_values("period").groupby("indicator").tail(1).set_index("indicator")


def _zone(lights: pd.DataFrame, code: str) -> dict | None:
    if lights.empty or code not in lights.index:
        return None
    row = lights.loc[code]
    return {"period": row["period"], **early_warning.zone_json(row["zone"])}


@cached()
def kpi_tiles(ctx: Context, region: str = GUANGXI) -> list[dict]:
    """One tile per domain: the latest level (if published) and its growth, both of the same
    period, and the growth's signal light (None when analytics are not computed)."""
    codes = [c for _, lvl, g in KPI_TILES for c in (lvl, g) if c and c in ctx.catalog]
    frame = repo.read_observations(ctx.engine, codes, region).dropna(subset=["value"])
    wide = frame.pivot(index="period", columns="indicator", values="value") if len(frame) else pd.DataFrame()
    lights = _latest_lights(ctx, region)
    groups = {g.code: g for g in ctx.catalog.domains}
    tiles = []
    for domain, level_code, growth_code in KPI_TILES:
        group = groups.get(domain)
        growth_ind = ctx.catalog.get(growth_code)
        level_ind = ctx.catalog.get(level_code) if level_code else None
        growth = wide[growth_code].dropna() if growth_code in wide else pd.Series(dtype=float)
        period = growth.index.max() if len(growth) else None
        level = None
        if level_ind is not None and level_code in wide:
            levels = wide[level_code].dropna()
            if period is None and len(levels):
                period = levels.index.max()
            level = float(levels[period]) if period in levels.index else None
        tiles.append({
            "domain": domain,
            "domain_zh": group.name_zh if group else domain, "domain_en": TILE_DOMAIN_EN.get(domain, group.name_en if group else domain),
            "indicator": level_code or growth_code,
            "name_zh": short_name(level_code or growth_code, "zh"), "name_en": short_name(level_code or growth_code, "en"),
            "period": period, "ytd": bool(growth_ind and growth_ind.is_ytd),
            "value": level, "unit": level_ind.unit if level_ind else "%",
            "growth": float(growth[period]) if period in growth.index else None,
            "growth_code": growth_code, "signal": _zone(lights, growth_code),
        })
    return tiles


# ---- the map of the 14 cities ---------------------------------------------------------------------

@cached()
def city_values(ctx: Context, indicator: str) -> pd.DataFrame:
    """The cities' latest values of one map indicator, at the latest period every visible city has
    (else the one most of them have). Columns adcode, names, value, rank; attrs: period, names,
    unit, Guangxi's value of the same period."""
    cities = [c for c in ctx.regions.cities() if ctx.viewer.can_see(c.adcode)]
    table = pd.DataFrame({"adcode": [c.adcode for c in cities], "name_zh": [c.name_zh for c in cities],
                          "short_zh": [c.short_zh for c in cities], "name_en": [c.name_en for c in cities]})
    ind = ctx.catalog[indicator]
    frame = repo.read_observations(ctx.engine, indicator, [*table["adcode"], GUANGXI]).dropna(subset=["value"])
    in_cities = frame[frame["region"] != GUANGXI]
    period = None
    if len(in_cities):
        counts = in_cities.groupby("period")["region"].nunique()
        period = counts[counts == counts.max()].index.max()
    values = in_cities[in_cities["period"] == period].set_index("region")["value"]
    table["value"] = table["adcode"].map(values).astype(float)
    table["rank"] = table["value"].rank(ascending=False, method="min").astype("Int64")
    table = table.sort_values(["rank", "adcode"], na_position="last").reset_index(drop=True)
    province = frame[(frame["region"] == GUANGXI) & (frame["period"] == period)]["value"]
    names = MAP_INDICATOR_NAMES.get(indicator, (ind.name_zh, ind.name_en))
    table.attrs.update(indicator=indicator, name_zh=names[0], name_en=names[1], unit=ind.unit, period=period,
                       ytd=ind.is_ytd, province=float(province.iloc[-1]) if len(province) else None,
                       decimals=min(ind.decimals, 1))
    return table


def map_boundaries(ctx: Context) -> dict:
    """The simplified city boundaries the viewer may see (GeoJSON shipped in ``data/geo``)."""
    return city_boundaries(ctx)


# ---- nowcast and the annual target ------------------------------------------------------------------

@cached()
def nowcast_panel(ctx: Context, region: str = GUANGXI, quarters: int = 4) -> dict:
    """The stored GDP nowcast with its interval, the recent published quarters and the annual GDP
    target with the growth still needed. ``ready`` is False when no nowcast is stored: the page
    never computes one live (that is the refresh's job)."""
    stored = outlook.nowcast_history(ctx, region, NOWCAST_TARGET)
    history = repo.read_observations(ctx.engine, NOWCAST_TARGET, region).dropna(subset=["value"])
    history = history[["period", "value"]].sort_values("period").tail(quarters).reset_index(drop=True)
    out = {"ready": len(stored) > 0, "history": history, "nowcast": None, "target": None}
    if len(stored):
        row = stored.iloc[-1]
        out["nowcast"] = {"period": row["period"], "as_of": str(row["as_of"]), "point": _num(row["point"]),
                          "lower": _num(row["lower"]), "upper": _num(row["upper"]), "level": _num(row["level"]),
                          "model": row["model"]}
        history = history[history["period"] < row["period"]]
        out["history"] = history.reset_index(drop=True)
    year = int(str(out["nowcast"]["period"])[:4]) if out["nowcast"] else _latest_year(history)
    if year:
        rows = targets_service.targets(ctx, region, year=year)["targets"]
        gdp = next((r for r in rows if r["indicator"] == GDP_TARGET), None)
        if gdp is not None:
            out["target"] = {k: gdp[k] for k in ("year", "target", "period", "actual", "required", "probability")}
    return out


def _latest_year(history: pd.DataFrame) -> int | None:
    return int(history["period"].iloc[-1][:4]) if len(history) else None


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


# ---- early warning ----------------------------------------------------------------------------------

@cached()
def signal_panel(ctx: Context, region: str = GUANGXI) -> dict:
    """The composite zone of the latest month and the key indicators' lights (``ready`` False before
    the first refresh). ``counts`` tallies every indicator's light by zone, hottest first."""
    period = early_warning.latest_signal_period(ctx, region)
    if period is None:
        return {"ready": False, "period": None, "composite": None, "lights": [], "counts": []}
    month = early_warning.signals(ctx, period, region)
    lights = _latest_lights(ctx, region)
    key = []
    for code in KEY_SIGNALS:
        zone = _zone(lights, code)
        if zone is not None and code in ctx.catalog:
            key.append({"indicator": code, "name_zh": short_name(code, "zh"), "name_en": short_name(code, "en"),
                        "value": _num(lights.loc[code, "value"]), **zone})
    tally = {z: 0 for z in ZONES}
    for item in month["signals"]:
        tally[item["zone"]] += 1
    counts = [{**early_warning.zone_json(z), "count": tally[z]} for z in sorted(ZONES, reverse=True)]
    return {"ready": month["composite"] is not None, "period": period, "composite": month["composite"],
            "lights": key, "counts": counts}


@cached()
def composite_trend(ctx: Context, region: str = GUANGXI, months: int = 36) -> pd.DataFrame:
    """The composite score of the last ``months`` months (period, score, zone)."""
    frame = early_warning.composite_history(ctx, region)
    if frame.empty:
        return pd.DataFrame(columns=["period", "score", "zone"])
    frame = frame[frame["period"].str.len() == 7]
    return frame[["period", "score", "zone"]].tail(months).reset_index(drop=True)


@cached()
def key_signal_matrix(ctx: Context, region: str = GUANGXI, months: int = 12) -> pd.DataFrame:
    """Key indicators × the last ``months`` months of zones (1–5, NaN where no light)."""
    matrix = early_warning.signal_matrix(ctx, region, months=months)
    if matrix.empty:
        return matrix
    rows = [c for c in KEY_SIGNALS if c in matrix.index]
    return matrix.loc[rows]


@cached()
def alert_ticker(ctx: Context, limit: int = TICKER_LIMIT) -> list[dict]:
    """Open alerts for the ticker: the region and its cities before counties, severe before mild,
    recent before old. Empty when none are stored (before the first refresh, or all handled)."""
    items = early_warning.alerts(ctx, state="new")
    for item in items:
        item["level"] = ctx.regions[item["region"]].level
    items.sort(key=lambda a: a["period"], reverse=True)  # stable sorts: newest first within each group
    items.sort(key=lambda a: (_LEVEL_ORDER.get(a["level"], 3), _SEVERITY_ORDER.get(a["severity"], 3)))
    return items[:limit]


def alerts_ready(ctx: Context) -> bool:
    """Whether the refresh has run at all (so "no alerts" means none, not "not computed")."""
    return repo.get_meta(ctx.engine, "analytics_refreshed_at") is not None


# ---- the city ranking (赛马比拼) ----------------------------------------------------------------------

@cached()
def city_ranking(ctx: Context) -> dict:
    """The city development index of the latest period: score, rank and the change of rank since
    the period before (positive: moved up). ``ready`` False when the index is not computed."""
    try:
        index = indices.index_values(ctx, CITY_INDEX, GUANGXI)
    except indices.IndexRequestError:
        return {"ready": False, "period": None, "rows": []}
    previous = _previous_ranks(ctx, index["period"])
    rows = []
    for r in index["ranking"]:
        if not ctx.viewer.can_see(r["region"]):
            continue
        before = previous.get(r["region"])
        rows.append({"region": r["region"], "name_zh": ctx.regions[r["region"]].short_zh, "name_en": r["name_en"],
                     "score": r["value"], "rank": r["rank"], "change": None if before is None else before - r["rank"]})
    return {"ready": True, "period": index["period"], "name_zh": index["name_zh"], "name_en": index["name_en"],
            "rows": rows}


def _previous_ranks(ctx: Context, period: str) -> dict[str, int]:
    frame = store.read_table(ctx.engine, t.index_values, index_name=CITY_INDEX)
    earlier = frame[frame["period"] < period] if len(frame) else frame
    if earlier.empty:
        return {}
    prev = earlier[earlier["period"] == earlier["period"].max()]
    return {r.region: int(r.rank) for r in prev.itertuples() if pd.notna(r.rank)}


def now_label(lang: str, now: dt.datetime | None = None) -> str:
    """The server's idea of today, for the first paint before the browser's clock takes over."""
    now = now or dt.datetime.now()
    return now.strftime("%Y-%m-%d %H:%M") if lang == "en" else now.strftime("%Y年%m月%d日 %H:%M")
