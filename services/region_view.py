"""View models of the region pages (/region/<adcode>) and the domain pages (/domain/<code>).

Everything is read from the store — observations as published and the signal lights the refresh
stored — and nothing is fitted here. The unit of these views is the *indicator card*: one
indicator of one region at one period, with

* ``value`` as stored;
* ``yoy``: for a level, its **published** growth companion (the catalog's ``growth_of``: the
  comparable-basis rate, never replaced by growth recomputed from levels); where no growth is
  published, growth recomputed from the stored levels (``yoy_basis="computed"``); for an index on
  the same period last year (上年同期=100), the index minus 100; for rates, the difference from a
  year earlier in percentage points; for published growth rates none (the value *is* the growth);
* ``change`` from the previous period: 环比 % of the single-period (or stock) values for levels,
  the difference in percentage points or index points for rates, growth rates and indices;
* ``zone``: the stored signal light of the indicator, or of its growth companion.

Functions are pure reads taking ``ctx`` (a server-side cache can wrap them) and check
``ctx.viewer.can_see`` for every region they report.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.periods import PeriodError, parse_period
from indicators.regions import GUANGXI
from models.signals import ZONES
from services.cache import cached
from services.context import Context
from services.series import SeriesRequestError, apply_transform
from storage import repository as repo
from storage import results as store
from storage import tables as t

GEO = Path(__file__).resolve().parents[1] / "data" / "geo"

# The indicators an analyst reads first in each domain, in the order the monthly analysis article
# discusses them (seeds/example_monthly_analysis_article.txt); levels carry their published growth.
KEY_INDICATORS: dict[str, tuple[str, ...]] = {
    "macro": ("electricity", "freight_volume", "port_throughput", "express_delivery", "deposits_rmb", "loans_rmb",
              "m2_growth", "nonmfg_pmi"),
    "gdp": ("gdp", "gdp_q", "va_primary", "va_secondary", "va_tertiary", "gdp_per_capita"),
    "industry": ("industrial_va_ytd_growth", "industrial_va_growth", "manufacturing_va_ytd_growth",
                 "hitech_manufacturing_va_ytd_growth", "industrial_profit", "industrial_electricity", "auto_output",
                 "agri_output_value", "services_revenue", "mfg_pmi"),
    "investment": ("fai_ytd_growth", "fai_industry_ytd_growth", "fai_manufacturing_ytd_growth",
                   "fai_infrastructure_ytd_growth", "fai_private_ytd_growth", "real_estate_investment",
                   "housing_sales_area", "new_projects"),
    "consumption": ("retail_sales", "retail_sales_m", "retail_above_quota", "catering_revenue", "rural_retail",
                    "auto_retail", "online_retail"),
    "trade": ("trade_total", "exports", "imports", "asean_trade", "border_trade", "fdi_actual"),
    "living": ("disposable_income", "urban_income", "rural_income", "consumption_expenditure", "cpi",
               "engel_coefficient"),
    "fiscal": ("fiscal_revenue", "tax_revenue", "fiscal_expenditure", "livelihood_expenditure", "tax_share",
               "gov_fund_revenue"),
    "employment": ("urban_new_jobs", "surveyed_unemployment", "registered_unemployment", "reemployment",
                   "rural_labor_transfer", "pension_insured"),
}
# The one figure that sums a domain up (the region page's domain tiles, the cities compared on
# the domain page): a rate, so that regions of any size compare. The first candidate published
# at the region's level is used (counties publish fewer indicators).
HEADLINES: dict[str, tuple[str, ...]] = {
    "macro": ("electricity_growth", "electricity"),
    "gdp": ("gdp_ytd_growth",),
    "industry": ("industrial_va_ytd_growth",),
    "investment": ("fai_ytd_growth",),
    "consumption": ("retail_sales_ytd_growth",),
    "trade": ("trade_total_ytd_growth", "border_trade_ytd_growth"),
    "living": ("disposable_income_ytd_growth",),
    "fiscal": ("fiscal_revenue_ytd_growth",),
    "employment": ("surveyed_unemployment", "urban_new_jobs_ytd_growth"),
}
DEFAULT_SUB_REGION_INDICATOR = "gdp_ytd_growth"
GDP, GDP_GROWTH = "gdp", "gdp_ytd_growth"
SPARK_POINTS = {"M": 24, "Q": 12, "A": 10}
TABLE_COLUMNS = ["adcode", "name_zh", "short_zh", "name_en", "period", "value", "yoy", "change", "zone", "rank",
                 "current"]


class RegionViewError(ValueError):
    """A region or domain the pages cannot show (unknown, outside Guangxi, not permitted); bilingual."""


# ---- regions -------------------------------------------------------------------------------------

def region(ctx: Context, adcode: str):
    """The Guangxi unit (the region, a city or a county) named by ``adcode``, if the viewer may see it."""
    code = str(adcode or "")
    if code not in ctx.regions:
        raise RegionViewError(f"未知地区“{code}” / unknown region '{code}'")
    reg = ctx.regions[code]
    if reg.adcode != GUANGXI and GUANGXI not in {a.adcode for a in ctx.regions.ancestors(reg.adcode)}:
        raise RegionViewError(f"“{reg.name_zh}”不是广西的地区 / {reg.name_en} is not a region of Guangxi")
    if not ctx.viewer.can_see(reg.adcode):
        raise RegionViewError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    return reg


def breadcrumbs(ctx: Context, adcode: str) -> list[dict]:
    """广西 › 柳州市 › 柳南区: the region and its ancestors, outermost first."""
    reg = region(ctx, adcode)
    chain = [*reversed(ctx.regions.ancestors(reg.adcode)), reg]
    return [dict(adcode=r.adcode, name_zh=r.name_zh, name_en=r.name_en, level=r.level,
                 link=ctx.viewer.can_see(r.adcode)) for r in chain]


def sub_regions(ctx: Context, adcode: str) -> dict:
    """What the map and table of a region page show: the cities of 广西, the counties of a city, or
    for a county the counties of its city with the county itself as ``highlight``."""
    reg = region(ctx, adcode)
    parent, highlight = (ctx.regions[reg.parent], reg.adcode) if reg.level == "county" else (reg, None)
    children = [r for r in ctx.regions.children(parent.adcode) if ctx.viewer.can_see(r.adcode)]
    level = "city" if parent.adcode == GUANGXI else "county"
    return dict(parent=parent.adcode, parent_name_zh=parent.name_zh, parent_name_en=parent.name_en,
                level=level, highlight=highlight, regions=children)


def region_options(ctx: Context) -> list[dict]:
    """Every Guangxi unit the viewer may see, the region first, each city followed by its counties."""
    ordered = [ctx.regions[GUANGXI]]
    for city in ctx.regions.cities():
        ordered += [city, *ctx.regions.children(city.adcode)]
    out = []
    for reg in ordered:
        if ctx.viewer.can_see(reg.adcode):
            parent = ctx.regions[reg.parent] if reg.level == "county" else None
            out.append(dict(adcode=reg.adcode, name_zh=reg.name_zh, name_en=reg.name_en, level=reg.level,
                            parent_zh=parent.name_zh if parent else None, parent_en=parent.name_en if parent else None))
    return out


@functools.cache
@functools.lru_cache(maxsize=8)
def _geo(name: str) -> dict:
    return json.loads((GEO / name).read_text(encoding="utf-8"))  # shared: treat as read-only


def boundaries(ctx: Context, adcode: str) -> dict:
    """The GeoJSON (``properties.adcode``) of the areas on a region page's map. The features are the
    loaded file's own (read-only): copying their coordinates cost more than drawing the map."""
    view = sub_regions(ctx, adcode)
    wanted = {r.adcode for r in view["regions"]}
    source = _geo("guangxi_cities.geojson" if view["level"] == "city" else "guangxi_counties.geojson")
    features = [f for f in source["features"] if str(f["properties"]["adcode"]) in wanted]
    return {"type": "FeatureCollection", "features": features}


# ---- indicator cards -------------------------------------------------------------------------------

def _published_at(ind, level: str) -> bool:
    return level in ind.region_levels  # region levels and catalog levels share their names


def growth_companion(ctx: Context, code: str) -> str | None:
    """The published growth of a level indicator (the catalog's ``growth_of``), if any."""
    return next((i.code for i in ctx.catalog if i.growth_of == code), None)


def alternate_label(period: str) -> str:
    """A combined January–February is stored as ``YYYY-01/02`` for single-period indicators and as
    ``YYYY-02`` for year-to-date ones; a companion may use the other spelling."""
    if period.endswith("-01/02"):
        return period[:4] + "-02"
    if len(period) == 7 and period.endswith("-02"):
        return period[:4] + "-01/02"
    return period


def _at(series: pd.Series | None, period: str) -> float | None:
    if series is None or series.empty:
        return None
    for p in (period, alternate_label(period)):
        if p in series.index and pd.notna(series[p]):
            return float(series[p])
    return None


def _year_earlier(period: str) -> str | None:
    try:
        p = parse_period(period)
    except PeriodError:
        return None
    return type(p)(p.year - 1, p.frequency, p.number, p.combined).label


def _series(frame: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    """(indicator, region) → values by period, sorted."""
    out = {}
    for (code, reg), rows in frame.groupby(["indicator", "region"], sort=False):
        s = pd.Series(rows["value"].to_numpy(dtype=float), index=rows["period"].astype(str).to_numpy())
        out[(code, reg)] = s[~s.index.duplicated(keep="last")].sort_index()
    return out


def _signals(ctx: Context, codes, regions) -> dict[tuple[str, str], pd.Series]:
    lights = store.read_table(ctx.engine, t.signals, indicator=list(codes), region=list(regions))
    out = {}
    for (code, reg), rows in lights.groupby(["indicator", "region"], sort=False):
        out[(code, reg)] = pd.Series(rows["zone"].to_numpy(dtype=int), index=rows["period"].astype(str)).sort_index()
    return out


def _zone(lights: pd.Series | None, period: str | None) -> tuple[int | None, str | None]:
    """The light at ``period``, else the latest one stored before it."""
    if lights is None or lights.empty or period is None:
        return None, None
    for p in (period, alternate_label(period)):
        if p in lights.index:
            return int(lights[p]), p
    earlier = lights[lights.index <= period]
    return (int(earlier.iloc[-1]), str(earlier.index[-1])) if len(earlier) else (None, None)


def _safe(fn):
    try:
        return fn()
    except (SeriesRequestError, PeriodError, ValueError, KeyError):
        return pd.Series(dtype=float)


def _yoy(ind, stored: pd.Series, growth: pd.Series | None, period: str) -> tuple[float | None, str | None, str | None]:
    """(value, unit, basis) of the year-on-year comparison; see the module docstring."""
    if ind.is_growth:
        return None, None, None
    published = _at(growth, period)
    if published is not None:
        return published, "%", "published"
    if ind.measure in ("flow", "stock"):
        return _at(_safe(lambda: apply_transform(ind, stored, "yoy")[0]), period), "%", "computed"
    if ind.publication == "index" and "上年" in ind.unit:
        return _at(_safe(lambda: apply_transform(ind, stored, "yoy")[0]), period), "%", "index"
    before = _year_earlier(period)
    now, then = _at(stored, period), _at(stored, before) if before else None
    if now is None or then is None:
        return None, None, None
    return now - then, "pp" if ind.unit == "%" else "pt", "difference"


def _change(ind, stored: pd.Series, period: str) -> tuple[float | None, str | None]:
    if ind.measure in ("flow", "stock") and not ind.is_growth:
        return _at(_safe(lambda: apply_transform(ind, stored, "mom")[0]), period), "%"
    earlier = stored[stored.index < period]
    now = _at(stored, period)
    if now is None or earlier.dropna().empty:
        return None, None
    return now - float(earlier.dropna().iloc[-1]), "pp" if ind.unit == "%" else "pt"


def _spark(ind, stored: pd.Series, period: str | None) -> tuple[list[str], list[float | None]]:
    if period is None:
        return [], []
    shown = stored
    if ind.publication == "ytd_level" and ind.frequency != "A":
        # year-to-date levels climb through each year; the single periods show the trend
        shown = _safe(lambda: apply_transform(ind, stored, "monthly")[0])
    shown = shown[shown.index <= period].tail(SPARK_POINTS.get(ind.frequency, 12))
    return [str(p) for p in shown.index], [None if pd.isna(v) else float(v) for v in shown.to_numpy()]


def _card(ind, reg, stored: pd.Series | None, growth: pd.Series | None, lights: pd.Series | None,
          growth_lights: pd.Series | None, period: str | None = None) -> dict:
    stored = stored if stored is not None else pd.Series(dtype=float)
    if period is None:
        present = stored.dropna()
        period = str(present.index[-1]) if len(present) else None
    value = _at(stored, period) if period else None
    yoy, yoy_unit, yoy_basis = _yoy(ind, stored, growth, period) if value is not None else (None, None, None)
    change, change_unit = _change(ind, stored, period) if value is not None else (None, None)
    zone, zone_period = _zone(lights, period)
    if zone is None:
        zone, zone_period = _zone(growth_lights, period)
    spark_x, spark_y = _spark(ind, stored, period) if value is not None else ([], [])
    return dict(
        code=ind.code, name_zh=ind.name_zh, name_en=ind.name_en, domain=ind.domain, unit=ind.unit,
        decimals=ind.decimals, frequency=ind.frequency, publication=ind.publication, is_growth=ind.is_growth,
        polarity=ind.polarity, region=reg.adcode, region_name_zh=reg.name_zh, region_name_en=reg.name_en,
        period=period if value is not None else None, value=value,
        yoy=_clean(yoy), yoy_unit=yoy_unit, yoy_basis=yoy_basis, change=_clean(change), change_unit=change_unit,
        zone=zone, zone_period=zone_period, **(zone_fields(zone)),
        spark_periods=spark_x, spark_values=spark_y,
    )


def _clean(value) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def zone_fields(zone: int | None) -> dict:
    if zone is None or int(zone) not in ZONES:
        return dict(zone_key=None, zone_zh=None, zone_en=None, zone_color=None)
    z = ZONES[int(zone)]
    return dict(zone_key=z["key"], zone_zh=z["zh"], zone_en=z["en"], zone_color=z["color"])


def indicator_cards(ctx: Context, codes, regions, period: str | None = None) -> dict[tuple[str, str], dict]:
    """Cards for every (indicator, region) pair, from one read of observations and one of signals.

    ``period`` pins every card to one period (a table across regions); by default each card is
    at its own latest stored period.
    """
    return _cards(_card_data(ctx, codes, regions), period)


def _card_data(ctx: Context, codes, regions) -> tuple | None:
    """What cards are made of: the indicators, regions, growth companions, series and lights."""
    inds = [ctx.catalog[c] for c in dict.fromkeys(codes) if c in ctx.catalog]
    regs = [region(ctx, r) for r in dict.fromkeys(regions)]
    if not inds or not regs:
        return None
    companions = {i.code: growth_companion(ctx, i.code) for i in inds}
    wanted = list(dict.fromkeys([i.code for i in inds] + [g for g in companions.values() if g]))
    frame = repo.read_observations(ctx.engine, wanted, [r.adcode for r in regs])
    return inds, regs, companions, _series(frame), _signals(ctx, wanted, [r.adcode for r in regs])


def _cards(data: tuple | None, period: str | None = None) -> dict[tuple[str, str], dict]:
    if data is None:
        return {}
    inds, regs, companions, series, lights = data
    cards = {}
    for reg in regs:
        for ind in inds:
            g = companions[ind.code]
            cards[(ind.code, reg.adcode)] = _card(
                ind, reg, series.get((ind.code, reg.adcode)), series.get((g, reg.adcode)) if g else None,
                lights.get((ind.code, reg.adcode)), lights.get((g, reg.adcode)) if g else None, period)
    return cards


def headline_code(ctx: Context, domain: str, level: str) -> str | None:
    """The domain's headline indicator published at ``level`` (province, city or county)."""
    for code in HEADLINES.get(domain, ()):
        if code in ctx.catalog and _published_at(ctx.catalog[code], level):
            return code
    return None


def key_codes(ctx: Context, domain: str, level: str) -> list[str]:
    return [c for c in KEY_INDICATORS.get(domain, ()) if c in ctx.catalog and _published_at(ctx.catalog[c], level)]


# ---- the region page ----------------------------------------------------------------------------------

@cached()
def region_headline(ctx: Context, adcode: str) -> dict:
    """GDP and its published growth, the composite signal, and each domain's headline card."""
    reg = region(ctx, adcode)
    domains = [g for g in ctx.catalog.domains if g.code in HEADLINES]
    heads = {g.code: headline_code(ctx, g.code, reg.level) for g in domains}
    codes = [GDP, *[c for c in heads.values() if c]]
    cards = indicator_cards(ctx, codes, [reg.adcode])
    comp = store.read_table(ctx.engine, t.composite_signals, order_by=("period",), region=reg.adcode)
    composite = None
    if len(comp):
        last = comp.iloc[-1]
        composite = dict(period=str(last["period"]), score=float(last["score"]),
                         n_indicators=int(last["n_indicators"]), zone=int(last["zone"]), **zone_fields(last["zone"]))
    return dict(
        region=reg.adcode, name_zh=reg.name_zh, name_en=reg.name_en, level=reg.level,
        gdp=cards.get((GDP, reg.adcode)), composite=composite,
        domains=[dict(domain=g.code, name_zh=g.name_zh, name_en=g.name_en,
                      card=cards.get((heads[g.code], reg.adcode)) if heads[g.code] else None) for g in domains],
        demo=ctx.is_demo,
    )


def sub_region_indicators(ctx: Context, adcode: str) -> list[str]:
    """The indicators the sub-region table offers: GDP and each domain's headline, as published at
    the sub-regions' level."""
    level = sub_regions(ctx, adcode)["level"]
    codes = [GDP, GDP_GROWTH]
    for g in ctx.catalog.domains:
        codes += [c for c in HEADLINES.get(g.code, ()) if c in ctx.catalog and _published_at(ctx.catalog[c], level)]
    return list(dict.fromkeys(c for c in codes if c in ctx.catalog and _published_at(ctx.catalog[c], level)))


@cached()
def sub_region_table(ctx: Context, adcode: str, indicator: str | None = None) -> pd.DataFrame:
    """The sub-regions of a region page on one indicator, at the latest period most of them have.

    Columns: adcode, names, period, value, yoy, change, zone, rank (1 = best by the indicator's
    polarity), current (the county the page is about). ``attrs`` carry the indicator, its unit and
    the parent. Unknown or unavailable indicators fall back to the default (``attrs["fallback"]``).
    """
    view = sub_regions(ctx, adcode)
    options = sub_region_indicators(ctx, adcode)
    fallback = indicator not in options
    if fallback:
        indicator = DEFAULT_SUB_REGION_INDICATOR if DEFAULT_SUB_REGION_INDICATOR in options else (options or [None])[0]
    return _table(ctx, view, indicator, fallback=fallback and indicator is not None)


@cached()
def compare_table(ctx: Context, domain: str, adcode: str) -> pd.DataFrame:
    """The domain page's comparison: the cities on the domain's headline indicator (for a county,
    the counties of its city), the page's region or its city marked ``current``."""
    reg = region(ctx, adcode)
    view = sub_regions(ctx, reg.adcode if reg.level == "county" else GUANGXI)
    view["highlight"] = reg.adcode if reg.level == "county" else (reg.adcode if reg.level == "city" else None)
    code = headline_code(ctx, domain, view["level"])
    table = _table(ctx, view, code)
    parent_card = indicator_cards(ctx, [code], [view["parent"]]).get((code, view["parent"])) if code else None
    table.attrs["reference"] = parent_card["value"] if parent_card else None
    return table


def _table(ctx: Context, view: dict, indicator: str | None, fallback: bool = False) -> pd.DataFrame:
    regs = view["regions"]
    base = dict(parent=view["parent"], parent_name_zh=view["parent_name_zh"], parent_name_en=view["parent_name_en"],
                level=view["level"], indicator=indicator, fallback=fallback, demo=ctx.is_demo)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in TABLE_COLUMNS})
    if indicator is None or not regs:
        empty.attrs.update(base, period=None, unit=None, name_zh=None, name_en=None, decimals=1)
        return empty
    ind = ctx.catalog[indicator]
    data = _card_data(ctx, [indicator], [r.adcode for r in regs])  # one read for both passes below
    latest = _cards(data)
    periods = pd.Series([c["period"] for c in latest.values() if c["period"]])
    period = None
    if len(periods):
        counts = periods.value_counts()
        # the newest period at least half the sub-regions have: one late city does not blank the table
        enough = sorted(p for p, n in counts.items() if n * 2 >= len(regs))
        period = enough[-1] if enough else periods.max()
    cards = _cards(data, period) if period else latest
    rows = []
    for r in regs:
        card = cards[(indicator, r.adcode)]
        rows.append(dict(adcode=r.adcode, name_zh=r.name_zh, short_zh=r.short_zh, name_en=r.name_en,
                         period=card["period"], value=card["value"], yoy=card["yoy"], change=card["change"],
                         zone=card["zone"], current=r.adcode == view["highlight"]))
    table = pd.DataFrame(rows, columns=[c for c in TABLE_COLUMNS if c != "rank"])
    table["value"] = table["value"].astype(float)
    ascending = ind.polarity == "lower_better"
    table["rank"] = table["value"].rank(ascending=ascending, method="min").astype("Int64")
    table = table.sort_values(["rank", "adcode"], na_position="last").reset_index(drop=True)[TABLE_COLUMNS]
    some = next((c for c in cards.values() if c["yoy_unit"]), None)
    table.attrs.update(base, period=period, unit=ind.unit, name_zh=ind.name_zh, name_en=ind.name_en,
                       decimals=ind.decimals, is_growth=ind.is_growth, yoy_unit=some["yoy_unit"] if some else None,
                       change_unit=next((c["change_unit"] for c in cards.values() if c["change_unit"]), None))
    return table


# ---- the domain page ------------------------------------------------------------------------------------

@cached()
def domain_view(ctx: Context, domain: str, adcode: str = GUANGXI) -> dict:
    """The key indicators of ``domain`` for one region as cards (with sparklines and lights)."""
    group = ctx.catalog.groups.get(domain)
    if group is None or group.kind != "domain":
        raise RegionViewError(f"未知经济领域“{domain}” / unknown domain '{domain}'")
    reg = region(ctx, adcode)
    codes = key_codes(ctx, domain, reg.level)
    cards = indicator_cards(ctx, codes, [reg.adcode])
    return dict(domain=domain, name_zh=group.name_zh, name_en=group.name_en, region=reg.adcode,
                region_name_zh=reg.name_zh, region_name_en=reg.name_en, level=reg.level,
                headline=headline_code(ctx, domain, reg.level),
                cards=[cards[(c, reg.adcode)] for c in codes], demo=ctx.is_demo)
