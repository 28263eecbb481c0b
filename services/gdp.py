"""View models of the regional GDP page (地区生产总值): headline, quarterly trend, the 14 cities.

Pure pandas over the stored observations; no Dash. Every number comes from the store:

* levels (``gdp``, ``va_*``) are year-to-date accumulated values at current prices (亿元);
* real growth (``*_ytd_growth``) is the **published** comparable-basis rate and is shown as
  published; nominal growth is recomputed from the stored levels and kept beside it, never in
  its place (see PRODUCT.md, "comparable basis");
* the current-quarter value is the stored ``gdp_q`` (published), with the value differenced from
  the accumulated series alongside it, so a reader can see when the two disagree.

Access control is here, not in the pages: every function checks ``ctx.viewer.can_see``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from indicators import transforms as tf
from indicators.periods import PeriodError, parse_period
from indicators.regions import GUANGXI
from services.cache import cached
from services.context import Context
from storage import repository as repo

GDP = "gdp"
GDP_GROWTH = "gdp_ytd_growth"
GDP_QUARTER = "gdp_q"
# key, level indicator, published real growth indicator
INDUSTRIES: tuple[tuple[str, str, str], ...] = (
    ("primary", "va_primary", "va_primary_ytd_growth"),
    ("secondary", "va_secondary", "va_secondary_ytd_growth"),
    ("tertiary", "va_tertiary", "va_tertiary_ytd_growth"),
)
HEADLINE_CODES = (GDP, GDP_GROWTH, *(c for _, lvl, g in INDUSTRIES for c in (lvl, g)))
CITY_TABLE_COLUMNS = [
    "adcode", "name_zh", "short_zh", "name_en", "period", "gdp", "real_growth", "nominal_growth", "share",
    "rank_value", "rank_growth",
]
CITY_BOUNDARIES = Path(__file__).resolve().parents[1] / "data" / "geo" / "guangxi_cities.geojson"


def _gdp_codes(_ctx, *_args, **_kwargs):
    return [*HEADLINE_CODES, "gdp_q", "gdp_q_growth", "gdp_ytd_growth"]


TREND_COLUMNS = ["period", "gdp_ytd", "gdp_q", "gdp_q_from_ytd", "real_growth_ytd", "nominal_growth_ytd"]

_YTD_ZH = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}
_YTD_EN = {1: "Q1 {y}", 2: "H1 {y}", 3: "Q1–Q3 {y}", 4: "Full year {y}"}


class GdpRequestError(ValueError):
    """A request the GDP page cannot answer (unknown or forbidden region, unknown quarter); bilingual."""


def ytd_label(period: str, lang: str = "zh") -> str:
    """The Chinese way of naming a year-to-date quarter: 2026Q3 → 2026年前三季度 / Q1–Q3 2026."""
    p = parse_period(period, "Q")
    if lang == "zh":
        return f"{p.year}年{_YTD_ZH[p.number]}"
    return _YTD_EN[p.number].format(y=p.year)


def _region(ctx: Context, region: str):
    try:
        reg = ctx.regions[str(region)]
    except KeyError as exc:
        raise GdpRequestError(f"未知地区“{region}” / unknown region '{region}'") from exc
    if not ctx.viewer.can_see(reg.adcode):
        raise GdpRequestError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    return reg


def _wide(ctx: Context, codes, region: str, as_of=None) -> pd.DataFrame:
    """Stored observations of one region: periods × indicators (current vintage, or as of a day)."""
    frame = repo.read_observations(ctx.engine, list(codes), region, as_of=as_of)
    if frame.empty:
        return pd.DataFrame(columns=list(codes), dtype=float)
    wide = frame.pivot(index="period", columns="indicator", values="value").reindex(columns=list(codes))
    return wide.sort_index()


def _value(wide: pd.DataFrame, period: str, code: str) -> float | None:
    if period not in wide.index or code not in wide.columns:
        return None
    v = wide.at[period, code]
    return None if pd.isna(v) else float(v)


def _nominal_growth(levels: pd.Series) -> pd.Series:
    """Year-to-date growth recomputed from the stored accumulated levels (current prices), in %."""
    levels = levels.dropna()
    return tf.yoy(levels) if len(levels) else levels


@cached(depends=_gdp_codes)
def quarters(ctx: Context, region: str = GUANGXI, as_of=None) -> list[str]:
    """Quarters with a stored GDP value for ``region``, newest first."""
    reg = _region(ctx, region)
    frame = repo.read_observations(ctx.engine, GDP, reg.adcode, as_of=as_of)
    return sorted(frame["period"].unique().tolist(), reverse=True)


@cached(depends=_gdp_codes)
def city_quarters(ctx: Context, as_of=None) -> list[str]:
    """Quarters for which every visible city has a stored GDP value, newest first."""
    cities = _visible_cities(ctx)
    if not cities:
        return []
    frame = repo.read_observations(ctx.engine, GDP, [c.adcode for c in cities], as_of=as_of)
    counts = frame.dropna(subset=["value"]).groupby("period")["region"].nunique()
    return sorted(counts[counts == len(cities)].index.tolist(), reverse=True)


@cached(depends=_gdp_codes)
def gdp_headline(ctx: Context, region: str = GUANGXI, as_of=None, period: str | None = None) -> dict | None:
    """The headline figures of one region for one quarter (default: the latest stored).

    Returns None when no GDP is stored for the region. The industries' ``share`` is the
    three-industry structure (三次产业结构: value added of each over their sum, adding up to 100);
    ``share_of_gdp`` is each over GDP, and ``industries_gap_pct`` says how far the three
    industries' sum is from GDP (zero in official data).
    """
    reg = _region(ctx, region)
    industry_codes = [c for _, lvl, g in INDUSTRIES for c in (lvl, g)]
    wide = _wide(ctx, [GDP, GDP_GROWTH, *industry_codes], reg.adcode, as_of=as_of)
    available = wide[GDP].dropna().index.tolist() if GDP in wide else []
    if not available:
        return None
    if period is None:
        period = available[-1]
    elif period not in available:
        raise GdpRequestError(f"没有“{period}”的地区生产总值 / no GDP stored for {period}")
    nominal = _nominal_growth(wide[GDP])
    industries = []
    for key, level_code, growth_code in INDUSTRIES:
        ind = ctx.catalog[level_code] if level_code in ctx.catalog else None
        industries.append(dict(
            key=key, code=level_code, growth_code=growth_code,
            name_zh=ind.name_zh if ind else level_code, name_en=ind.name_en if ind else level_code,
            value=_value(wide, period, level_code), real_growth=_value(wide, period, growth_code),
        ))
    values = [i["value"] for i in industries]
    total = sum(values) if all(v is not None for v in values) else None
    gdp_value = _value(wide, period, GDP)
    for item in industries:
        item["share"] = _share(item["value"], total)
        item["share_of_gdp"] = _share(item["value"], gdp_value)
    gdp_ind = ctx.catalog[GDP]
    return dict(
        region=reg.adcode, region_name_zh=reg.name_zh, region_name_en=reg.name_en,
        period=period, label_zh=ytd_label(period, "zh"), label_en=ytd_label(period, "en"),
        gdp=gdp_value, unit=gdp_ind.unit, decimals=gdp_ind.decimals,
        real_growth=_value(wide, period, GDP_GROWTH),
        nominal_growth=None if period not in nominal.index or pd.isna(nominal[period]) else float(nominal[period]),
        industries=industries, industries_total=total,
        industries_gap_pct=None if total is None or not gdp_value else (total / gdp_value - 1) * 100,
        as_of=as_of.isoformat() if isinstance(as_of, dt.date) else as_of,
        demo=ctx.is_demo,
    )


def _share(part: float | None, total: float | None) -> float | None:
    if part is None or not total:
        return None
    return float(tf.share(part, total))


@cached(depends=_gdp_codes)
def gdp_trend(ctx: Context, region: str = GUANGXI, as_of=None, end: str | None = None,
              last: int | None = None) -> pd.DataFrame:
    """Quarter by quarter: the accumulated GDP, the current-quarter value (stored ``gdp_q`` and the
    one differenced from the accumulated values), published real YTD growth and nominal YTD growth
    recomputed from levels. ``end`` cuts at a quarter; ``last`` keeps the last n quarters."""
    reg = _region(ctx, region)
    wide = _wide(ctx, [GDP, GDP_QUARTER, GDP_GROWTH], reg.adcode, as_of=as_of)
    if wide.empty or wide[GDP].dropna().empty:
        return pd.DataFrame({c: pd.Series(dtype="str" if c == "period" else float) for c in TREND_COLUMNS})
    levels = wide[GDP].dropna()
    derived = tf.accumulated_to_quarterly(levels)
    out = pd.DataFrame(index=wide.index)
    out["gdp_ytd"] = wide[GDP]
    out["gdp_q"] = wide[GDP_QUARTER]
    out["gdp_q_from_ytd"] = derived.reindex(out.index)
    out["real_growth_ytd"] = wide[GDP_GROWTH]
    out["nominal_growth_ytd"] = _nominal_growth(levels).reindex(out.index)
    out = out.rename_axis("period").reset_index()
    out["period"] = out["period"].astype(str)
    if end:
        out = out[out["period"] <= end]
    if last:
        out = out.tail(last)
    out = out.reset_index(drop=True)
    out.attrs.update(region=reg.adcode, region_name_zh=reg.name_zh, region_name_en=reg.name_en,
                     unit=ctx.catalog[GDP].unit, demo=ctx.is_demo)
    return out[TREND_COLUMNS]


def _visible_cities(ctx: Context):
    return [c for c in ctx.regions.cities() if ctx.viewer.can_see(c.adcode)]


@cached(depends=_gdp_codes)
def city_table(ctx: Context, period: str | None = None, as_of=None) -> pd.DataFrame:
    """The cities the viewer may see, for one quarter (default: the latest all of them have).

    Columns: adcode, names, period, gdp (YTD, 亿元), real_growth (published, %), nominal_growth
    (recomputed, %), share (% of the listed cities' total), rank_value and rank_growth (1 = first;
    ties share the better rank). Sorted by rank_value. ``attrs`` carry the period labels and unit.
    """
    cities = _visible_cities(ctx)
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in CITY_TABLE_COLUMNS})
    if not cities:
        return empty
    if period is None:
        available = city_quarters(ctx, as_of=as_of)
        if not available:
            return empty
        period = available[0]
    else:
        try:
            parse_period(period, "Q")
        except PeriodError as exc:
            raise GdpRequestError(str(exc)) from exc
    codes = [c.adcode for c in cities]
    prev = f"{int(period[:4]) - 1}{period[4:]}"
    frame = repo.read_observations(ctx.engine, [GDP, GDP_GROWTH], codes, as_of=as_of)
    frame = frame[frame["period"].isin([period, prev])]
    wide = frame.pivot_table(index="region", columns=["indicator", "period"], values="value", aggfunc="last")

    def col(code, p):
        return wide[(code, p)] if (code, p) in wide.columns else pd.Series(dtype=float)

    table = pd.DataFrame({
        "adcode": codes,
        "name_zh": [c.name_zh for c in cities], "short_zh": [c.short_zh for c in cities],
        "name_en": [c.name_en for c in cities],
    })
    table["period"] = period
    table["gdp"] = table["adcode"].map(col(GDP, period)).astype(float)
    table["real_growth"] = table["adcode"].map(col(GDP_GROWTH, period)).astype(float)
    base = table["adcode"].map(col(GDP, prev)).astype(float)
    table["nominal_growth"] = np.where(base > 0, (table["gdp"] / base - 1) * 100, np.nan)
    total = table["gdp"].sum(min_count=1)
    table["share"] = table["gdp"] / total * 100 if total and total > 0 else np.nan
    table["rank_value"] = table["gdp"].rank(ascending=False, method="min").astype("Int64")
    table["rank_growth"] = table["real_growth"].rank(ascending=False, method="min").astype("Int64")
    table = table.sort_values(["rank_value", "adcode"], na_position="last").reset_index(drop=True)
    reference = None
    if ctx.viewer.can_see(GUANGXI):
        ref = repo.read_observations(ctx.engine, GDP_GROWTH, GUANGXI, as_of=as_of, start=period, end=period)
        ref = ref[ref["period"] == period]
        reference = float(ref["value"].iloc[-1]) if len(ref) else None
    table = table[CITY_TABLE_COLUMNS]
    table.attrs.update(period=period, label_zh=ytd_label(period, "zh"), label_en=ytd_label(period, "en"),
                       unit=ctx.catalog[GDP].unit, total=None if pd.isna(total) else float(total),
                       complete=len(cities) == len(ctx.regions.cities()), demo=ctx.is_demo,
                       province_real_growth=reference)
    return table


@functools.cache
def _city_features() -> dict:
    return json.loads(CITY_BOUNDARIES.read_text(encoding="utf-8"))


def city_boundaries(ctx: Context) -> dict:
    """The simplified city boundaries (GeoJSON, ``properties.adcode``) of the cities the viewer may see.
    The features are the loaded file's own (read-only): the maps only read them, and copying the
    coordinates cost more than drawing a map."""
    geo = _city_features()
    features = [f for f in geo["features"] if ctx.viewer.can_see(str(f["properties"]["adcode"]))]
    return {"type": "FeatureCollection", "features": features}
