"""Deterministic demo data: 2015-01 to 2026-10, every indicator at every region level it supports.

How the numbers are made, so a reader can trust what they see in a demo:

* a common business cycle (log deviation of activity) with the 2020 shock, a 2022 dip and a slow
  recovery; every indicator loads on it with its catalog ``demo.cycle`` sensitivity;
* monthly seasonal profiles, and a Chinese New Year effect from the lunar calendar (the festival
  window, 4 days before to 15 after, depresses output and lifts retail and tourism in the months it
  falls in);
* publication as real statistics: January–February combined, year-to-date levels and growth,
  growth on a comparable basis kept apart from the levels, release lags (each value's vintage is its
  period end plus the indicator's release lag, so "as of" queries see the real ragged edge);
* regional GDP calibrated to the published 2017–2021 figures and city shares to 2016 city GDP
  (``data/calibration.py``); 2017 first released before the census revision, then revised;
* a few revisions, late submissions and deliberate faults (listed in the store as ``demo_faults``)
  for the data-quality checks to find.

Everything is labelled demo data in the store (``store_meta.demo = 1``) and in the UI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
import zlib

import numpy as np
import pandas as pd
from lunardate import LunarDate

from data import calibration as cal
from data.demo_targets import demo_targets
from indicators import transforms as tf
from indicators.periods import parse_period
from indicators.regions import GUANGXI, NATIONAL
from indicators.registry import Indicator
from services.context import Context, open_context
from settings import Settings
from storage import repository as repo
from storage import results

DEMO_AS_OF = dt.datetime(2026, 11, 20, 18, 0)  # nothing released after this is in the demo
DEMO_USER = "demo-generator"

SEASONAL = {
    "none": [1.0] * 12,
    "output": [0.90, 0.84, 1.02, 0.98, 1.00, 1.05, 0.98, 0.99, 1.04, 1.00, 1.05, 1.15],
    "retail": [1.05, 0.98, 0.92, 0.92, 0.97, 0.98, 0.95, 0.96, 1.00, 1.07, 1.06, 1.14],
    "investment": [0.50, 0.50, 0.90, 0.95, 1.05, 1.25, 0.95, 1.00, 1.15, 1.00, 1.10, 1.65],
    "fiscal": [1.25, 0.80, 1.05, 1.15, 1.00, 0.95, 0.95, 0.80, 0.90, 1.10, 0.85, 1.20],
    "tourism": [1.05, 1.20, 0.85, 0.95, 1.05, 0.90, 1.15, 1.20, 0.85, 1.25, 0.80, 0.75],
    "energy": [1.02, 0.85, 0.95, 0.95, 1.00, 1.05, 1.12, 1.13, 1.02, 0.96, 0.95, 1.00],
}
# effect of a full month of festival window, by seasonal profile (log points)
CNY_EFFECT = {"output": -0.35, "investment": -0.40, "retail": 0.12, "tourism": 0.45, "energy": -0.15, "fiscal": 0.0,
              "none": 0.0}


def _rng(*keys) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32("|".join(map(str, keys)).encode()))


class Calendar:
    """The monthly grid and the common drivers on it."""

    def __init__(self, start: str, end: str):
        a, b = parse_period(start), parse_period(end)
        self.months = pd.period_range(f"{a.year}-{a.end_month:02d}", f"{b.year}-{b.end_month:02d}", freq="M")
        self.year = self.months.year.to_numpy()
        self.month = self.months.month.to_numpy()
        self.t_years = (np.arange(len(self.months))) / 12.0
        self.cycle = self._cycle()
        self.cny = self._festival_share()

    def _cycle(self) -> np.ndarray:
        t = np.arange(len(self.months))
        c = 0.018 * np.sin(2 * np.pi * (t - 8) / 42) + 0.008 * np.sin(2 * np.pi * t / 17)
        shocks = {"2020-01": -0.03, "2020-02": -0.16, "2020-03": -0.07, "2020-04": -0.035, "2020-05": -0.02,
                  "2020-06": -0.01, "2022-04": -0.035, "2022-05": -0.025, "2022-11": -0.02, "2022-12": -0.03,
                  "2023-01": -0.01}
        labels = self.months.strftime("%Y-%m")
        for label, shock in shocks.items():
            c[labels == label] += shock
        slowdown = np.where(self.year >= 2023, -0.004 * (self.t_years - 8).clip(min=0), 0.0)
        return c + slowdown

    def _festival_share(self) -> np.ndarray:
        """Fraction of each month covered by the Spring Festival window (−4 … +15 days)."""
        share = np.zeros(len(self.months))
        index = {(y, m): i for i, (y, m) in enumerate(zip(self.year, self.month))}
        for year in range(int(self.year.min()), int(self.year.max()) + 1):
            day = LunarDate(year, 1, 1).to_solar_date()
            for k in range(-4, 16):
                d = day + dt.timedelta(days=k)
                if (d.year, d.month) in index:
                    share[index[(d.year, d.month)]] += 1 / 20
        return share


class Geography:
    """Which regions an indicator is generated for, and how a total splits among them."""

    def __init__(self, ctx: Context):
        self.regions = ctx.regions
        self.cities = [r.adcode for r in ctx.regions.cities()]
        self.peers = [r.adcode for r in ctx.regions.peers()]
        self.counties = {c: [r.adcode for r in ctx.regions.counties(c)] for c in self.cities}
        gdp = np.array([cal.CITY_GDP_2016[c][0] for c in self.cities])
        pop = np.array([cal.CITY_POPULATION_2020[c] for c in self.cities])
        industry = gdp * np.where(np.array(self.cities) == "450200", 2.2, 1.0)
        tourism = gdp * np.where(np.array(self.cities) == "450300", 3.0, 1.0) * np.where(
            np.isin(self.cities, ["450500", "450600"]), 1.4, 1.0)
        self.city_shares = {k: v / v.sum() for k, v in {
            "gdp": gdp, "population": pop, "industry": industry, "tourism": tourism,
            "equal": np.ones(len(self.cities))}.items()}
        self.city_growth_offset = {c: (cal.CITY_GDP_2016[c][1] - 7.3) * 0.5 for c in self.cities}
        self.county_weights = {}
        for city, counties in self.counties.items():
            rng = _rng("county-weights", city)
            urban = np.array([self.regions[c].name_zh.endswith("区") for c in counties])
            w = rng.gamma(4.0, 1.0, len(counties)) * np.where(urban, 2.5, 1.0)
            self.county_weights[city] = w / w.sum()

    def units(self, ind: Indicator, topic_regions: list[str] | None) -> dict[str, list[str]]:
        cities = [c for c in self.cities if not topic_regions or c in topic_regions]
        out = {}
        if "national" in ind.region_levels and not topic_regions:
            out["national"] = [NATIONAL]
        if "province" in ind.region_levels and not topic_regions:
            out["province"] = [GUANGXI, *self.peers]
        if "city" in ind.region_levels:
            out["city"] = cities
        if "county" in ind.region_levels:
            out["county"] = [k for c in cities for k in self.counties[c]]
        return out


def _quarter_label(y, q):
    return f"{y}Q{q}"


class Generator:
    def __init__(self, ctx: Context, cal_: Calendar):
        self.ctx = ctx
        self.cal = cal_
        self.geo = Geography(ctx)
        self.frames: list[pd.DataFrame] = []
        self.faults: list[dict] = []

    # ---- latent monthly paths --------------------------------------------------------------
    def _flow_path(self, ind: Indicator, key: str, scale: float, growth_offset: float = 0.0) -> np.ndarray:
        d = ind.demo
        rng = _rng(ind.code, key)
        per_month = d.base / {"M": 1, "Q": 3, "A": 12}[ind.frequency] if ind.measure == "flow" else d.base
        trend = np.log1p((d.trend + growth_offset) / 100) * self.cal.t_years
        season = np.log(np.array(SEASONAL[d.seasonal])[self.cal.month - 1]) if ind.measure == "flow" else 0
        cny = CNY_EFFECT.get(d.seasonal, 0.0) * self.cal.cny if ind.measure == "flow" else 0
        noise = rng.normal(0, d.noise, len(self.cal.months))
        if ind.measure == "stock":
            noise = np.cumsum(noise) * 0.3
        return per_month * scale * np.exp(trend + d.cycle * self.cal.cycle + season + cny + noise)

    def _rate_path(self, ind: Indicator, key: str, offset: float = 0.0) -> np.ndarray:
        d = ind.demo
        rng = _rng(ind.code, key)
        swing = 100 * (self.cal.cycle - np.roll(self.cal.cycle, 12))
        swing[:12] = 100 * self.cal.cycle[:12]
        return d.base + offset + d.trend * self.cal.t_years + 0.5 * d.cycle * swing + rng.normal(0, d.noise, len(swing))

    # ---- publication ------------------------------------------------------------------------
    def _publish_levels(self, ind: Indicator, monthly: pd.DataFrame) -> pd.DataFrame:
        """Monthly latent levels (columns = regions) → the published form of ``ind``."""
        f, pub, measure = ind.frequency, ind.publication, ind.measure
        if measure == "stock":
            agg = monthly.groupby(_freq_key(self.cal, f)).last() if f != "M" else monthly
            return _relabel(agg, self.cal, f)
        if f == "M":
            if pub == "ytd_level":
                ytd = monthly.groupby(self.cal.year).cumsum()
                ytd = ytd[self.cal.month != 1] if ind.jan_feb_combined else ytd
                return _relabel(ytd, self.cal, "M")
            if ind.jan_feb_combined:
                return _combine_jan_feb(monthly, self.cal)
            return _relabel(monthly, self.cal, "M")
        by_period = monthly.groupby(_freq_key(self.cal, f)).sum()
        complete = monthly.groupby(_freq_key(self.cal, f)).size() == (3 if f == "Q" else 12)
        by_period = by_period[complete.to_numpy()]
        if pub == "ytd_level" and f == "Q":
            by_period = by_period.groupby(level=0).cumsum()
        return _relabel(by_period, self.cal, f)

    def _publish_rates(self, ind: Indicator, monthly: pd.DataFrame) -> pd.DataFrame:
        f = ind.frequency
        if f == "M":
            if ind.jan_feb_combined:
                out = _relabel(monthly, self.cal, "M")
                out = out[~out.index.str.endswith("-01")]
                out.index = [i[:4] + "-01/02" if i.endswith("-02") and not ind.is_ytd else i for i in out.index]
                return out
            return _relabel(monthly, self.cal, "M")
        keys = _freq_key(self.cal, f)
        agg = monthly.groupby(keys).mean()
        complete = monthly.groupby(keys).size() == (3 if f == "Q" else 12)
        return _relabel(agg[complete.to_numpy()], self.cal, f)

    # ---- one indicator ------------------------------------------------------------------------
    def indicator(self, ind: Indicator, generated: dict[str, pd.DataFrame]) -> pd.DataFrame | None:
        """The published values of ``ind`` (periods × regions), or None when it has no demo recipe."""
        units = self.geo.units(ind, self.ctx.catalog.groups[ind.domain].regions)
        if not units:
            return None
        if ind.derived_from in generated:
            out = self._derived(ind, generated[ind.derived_from])
        elif ind.growth_of in generated:
            out = self._growth_from_levels(ind, generated[ind.growth_of])
        elif ind.demo is None:
            return None
        elif ind.measure in ("flow", "stock") and not ind.is_growth:
            out = self._publish_levels(ind, self._level_matrix(ind, units))
        else:
            out = self._publish_rates(ind, self._rate_matrix(ind, units))
        return out.round(ind.decimals + 2)

    def _level_matrix(self, ind: Indicator, units: dict[str, list[str]]) -> pd.DataFrame:
        """Monthly latent levels. Additive quantities split the provincial path by city shares;
        per-person amounts and averages vary around it instead."""
        cols = {}
        additive = ind.aggregation == "sum"
        share = self.geo.city_shares[ind.demo.shares]
        guangxi = self._flow_path(ind, GUANGXI, 1.0)
        if "province" in units:
            cols[GUANGXI] = guangxi
            for peer in self.geo.peers:
                scale = cal.PEER_SCALE.get(peer, 1.0) if additive else 1 + _rng(ind.code, "peer", peer).normal(0, 0.18)
                cols[peer] = self._flow_path(ind, peer, scale, _rng(peer).normal(0, 1.5))
        if "national" in units:
            scale = (ind.demo.national / ind.demo.base if ind.demo.national else
                     cal.NATIONAL_SCALE if additive else 1.12)
            # the nation grows more slowly than a catching-up province
            cols[NATIONAL] = self._flow_path(ind, NATIONAL, scale, -ind.demo.trend / 2)
        if "city" in units or "county" in units:
            topic = self.ctx.catalog.groups[ind.domain].regions
            for i, city in enumerate(self.geo.cities):
                if topic and city not in topic:
                    continue
                drift = np.exp(np.log1p(self.geo.city_growth_offset[city] / 100) * self.cal.t_years)
                wobble = np.exp(_rng(ind.code, city).normal(0, ind.demo.noise * 0.8, len(self.cal.months)))
                if topic:  # a topic indicator is about its city: its base is that city's value
                    level = 1.0
                elif additive:
                    level = share[i]
                else:
                    level = 1 + _rng(ind.code, "level", city).normal(0, 0.15)
                city_path = guangxi * level * drift * wobble
                if "city" in units:
                    cols[city] = city_path
                if "county" in units:
                    for k, county in enumerate(self.geo.counties[city]):
                        w = (self.geo.county_weights[city][k] if additive
                             else 1 + _rng(ind.code, "level", county).normal(0, 0.12))
                        jitter = np.exp(_rng(ind.code, county).normal(0, ind.demo.noise * 1.5, len(self.cal.months)))
                        cols[county] = city_path * w * jitter
        return pd.DataFrame(cols, index=self.cal.months)

    def _rate_matrix(self, ind: Indicator, units: dict[str, list[str]]) -> pd.DataFrame:
        cols = {}
        spread = max(ind.demo.noise * 3, abs(ind.demo.base) * 0.01)
        if "province" in units:
            cols[GUANGXI] = self._rate_path(ind, GUANGXI)
            for peer in self.geo.peers:
                cols[peer] = self._rate_path(ind, peer, _rng(ind.code, "peer", peer).normal(0, spread))
        if "national" in units:
            cols[NATIONAL] = self._rate_path(ind, NATIONAL, -0.2 * spread)
        topic = self.ctx.catalog.groups[ind.domain].regions
        for city in self.geo.cities:
            if topic and city not in topic:
                continue
            offset = _rng(ind.code, "offset", city).normal(0, spread)
            if ind.polarity == "higher_better" and ind.unit == "%":
                offset += self.geo.city_growth_offset[city] * 0.5
            if "city" in units:
                cols[city] = self._rate_path(ind, city, offset)
            if "county" in units:
                for county in self.geo.counties[city]:
                    cols[county] = self._rate_path(ind, county, offset + _rng(ind.code, "o", county).normal(0, spread))
        return pd.DataFrame(cols, index=self.cal.months)

    def _derived(self, ind: Indicator, source: pd.DataFrame) -> pd.DataFrame:
        """Another publication form of a generated series, exactly consistent with it."""
        src = self.ctx.catalog[ind.derived_from]
        if ind.publication == "level" and src.publication == "ytd_level":
            single = tf.accumulated_to_quarterly if ind.frequency == "Q" else tf.ytd_to_monthly
            # built column by column: differencing creates labels (2024-01/02) the source lacks
            return pd.DataFrame({region: single(col.dropna()) for region, col in source.items()})
        if ind.publication == "index" and src.is_growth:
            return source + 100.0
        if ind.is_growth and src.publication == "index":
            return source - 100.0
        return source.copy()

    def _growth_from_levels(self, ind: Indicator, levels: pd.DataFrame) -> pd.DataFrame:
        """Published comparable-basis growth: growth recomputed from levels, less the price change for
        real growth, plus a small basis difference (the 规模以上 scope changes every year)."""
        base = self.ctx.catalog[ind.growth_of]
        growth = _yoy_by_label(levels)
        if ind.price_basis == "comparable" and base.price_basis == "current":
            years = np.array([int(p[:4]) for p in growth.index])
            deflator = np.array([cal.DEMO_GDP_DEFLATOR.get(y, 2.0 + np.sin(y - 2015.0)) for y in years])
            growth = growth.sub(deflator, axis=0)
        rng = _rng(ind.code, "basis")
        growth = growth + rng.normal(0, ind.demo.noise if ind.demo else 0.25, growth.shape)
        if ind.publication == "growth" and ind.jan_feb_combined and base.publication == "level":
            growth = growth[~growth.index.str.endswith("-01")]
        if ind.publication == "index":
            growth = growth + 100.0
        return growth.dropna(how="all")

    # ---- GDP calibration ----------------------------------------------------------------------
    def calibrate_gdp(self, published: dict[str, pd.DataFrame]) -> None:
        """Scale Guangxi's GDP (and its cities, counties) so annual totals equal the published ones,
        and pin the annual real growth."""
        gdp = published.get("gdp")
        if gdp is None or GUANGXI not in gdp:
            return
        year = gdp.index.str[:4].astype(int)
        q4 = gdp[gdp.index.str.endswith("Q4")]
        factors = pd.Series(1.0, index=sorted(set(year)))
        anchored = {y: v for y, v in cal.GUANGXI_GDP.items() if f"{y}Q4" in q4.index}
        if not anchored:  # a span without any published year to calibrate to
            return
        for y, v in anchored.items():
            factors[y] = v / q4.loc[f"{y}Q4", GUANGXI]
        first, last = min(anchored), max(anchored)
        factors[factors.index < first] = factors[first]
        factors[factors.index > last] = factors[last]
        guangxi_cols = [c for c in gdp.columns if c == GUANGXI or c.startswith("45")]
        scale = factors.reindex(year).to_numpy()
        gdp.loc[:, guangxi_cols] = gdp[guangxi_cols].mul(scale, axis=0)

    def components_add_up(self, published: dict[str, pd.DataFrame]) -> None:
        """Scale the three industries so that, in every region and period, they sum to GDP."""
        gdp = published.get("gdp")
        parts = [published.get(code) for code in cal.GDP_COMPONENTS]
        if gdp is None or any(p is None for p in parts):
            return
        total = sum(p.reindex_like(gdp) for p in parts)
        factor = (gdp / total).replace([np.inf, -np.inf], np.nan)
        for code, part in zip(cal.GDP_COMPONENTS, parts):
            published[code] = (part.reindex_like(gdp) * factor).reindex(part.index).round(
                self.ctx.catalog[code].decimals + 2)

    def pin_gdp_growth(self, published: dict[str, pd.DataFrame]) -> None:
        """Published annual real growth for Guangxi (Q4 year to date); the year's path shifts with it."""
        growth = published.get("gdp_ytd_growth")
        if growth is not None and GUANGXI in growth:
            for y, g in cal.GUANGXI_GDP_REAL_GROWTH.items():
                label = f"{y}Q4"
                if label in growth.index:
                    shift = g - growth.loc[label, GUANGXI]
                    rows = growth.index.str.startswith(str(y))
                    cols = [c for c in growth.columns if c.startswith("45")]
                    growth.loc[rows, cols] = growth.loc[rows, cols] + shift
                    growth.loc[label, GUANGXI] = g


def _freq_key(cal_: Calendar, f: str):
    """Group keys of the monthly grid: (year, quarter) arrays, or the year."""
    if f == "Q":
        return [cal_.year, (cal_.month - 1) // 3 + 1]
    return cal_.year


def _relabel(frame: pd.DataFrame, cal_: Calendar, f: str) -> pd.DataFrame:
    frame = frame.copy()
    if f == "M":
        frame.index = [p.strftime("%Y-%m") for p in frame.index]
    elif f == "Q":
        frame.index = [_quarter_label(y, q) for y, q in frame.index]
    else:
        frame.index = [str(y) for y in frame.index]
    return frame


def _combine_jan_feb(monthly: pd.DataFrame, cal_: Calendar) -> pd.DataFrame:
    out = _relabel(monthly, cal_, "M")
    jan = out.index.str.endswith("-01")
    feb = out.index.str.endswith("-02")
    combined = out[feb].to_numpy() + out[jan].to_numpy()[: feb.sum()]
    out.loc[feb] = combined
    out = out[~jan]
    out.index = [i[:4] + "-01/02" if i.endswith("-02") else i for i in out.index]
    return out


def _yoy_by_label(levels: pd.DataFrame) -> pd.DataFrame:
    """Growth on the same period a year earlier, matching labels (works for 2024-01/02, 2024Q1, 2024)."""
    prev = levels.copy()
    prev.index = [str(int(i[:4]) + 1) + i[4:] for i in prev.index]
    prev = prev.reindex(levels.index)
    return (levels / prev - 1) * 100


# ---- assembling the store ---------------------------------------------------------------------

def _release(ind: Indicator, label: str) -> dt.datetime:
    end = parse_period(label, ind.frequency).end_date
    return dt.datetime.combine(end, dt.time(9, 0)) + dt.timedelta(days=ind.release_lag_days)


def _long(ind: Indicator, wide: pd.DataFrame) -> pd.DataFrame:
    long = wide.rename_axis("period").reset_index().melt(id_vars="period", var_name="region", value_name="value")
    long = long.dropna(subset=["value"])
    long["indicator"] = ind.code
    releases = {p: _release(ind, p) for p in long["period"].unique()}
    long["realtime_start"] = long["period"].map(releases)
    long["status"] = "ok"
    return long[long["realtime_start"] <= DEMO_AS_OF]


def generate(ctx: Context, start: str, end: str, progress=None) -> tuple[pd.DataFrame, list[dict]]:
    cal_ = Calendar(start, end)
    gen = Generator(ctx, cal_)
    published: dict[str, pd.DataFrame] = {}
    ordered = _generation_order(ctx)
    for n, ind in enumerate(ordered):
        if progress:
            progress(n, len(ordered), ind.code)
        wide = gen.indicator(ind, published)
        if wide is not None and len(wide):
            published[ind.code] = wide
        if ind.code == "gdp":
            gen.calibrate_gdp(published)
        if ind.code == cal.GDP_COMPONENTS[-1]:
            gen.components_add_up(published)
        if ind.code == "gdp_ytd_growth":
            gen.pin_gdp_growth(published)
    frames = [_long(ctx.catalog[code], wide) for code, wide in published.items()]
    obs = pd.concat(frames, ignore_index=True)
    obs, extra = _revisions_and_faults(ctx, obs)
    return obs, extra


def _generation_order(ctx: Context) -> list[Indicator]:
    """Each indicator after the ones it is derived from (growth_of, derived_from); GDP and its
    three industries first, so that their identity holds before any other form is derived."""
    done: dict[str, Indicator] = {
        code: ctx.catalog[code] for code in ("gdp", *cal.GDP_COMPONENTS) if code in ctx.catalog
    }

    def visit(ind: Indicator, path: tuple[str, ...] = ()):
        if ind.code in done or ind.code in path:
            return
        for dep in (ind.growth_of, ind.derived_from):
            if dep and dep in ctx.catalog:
                visit(ctx.catalog[dep], path + (ind.code,))
        done[ind.code] = ind

    for ind in ctx.catalog:
        visit(ind)
    return list(done.values())


def _revisions_and_faults(ctx: Context, obs: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    faults: list[dict] = []
    # 1. the 2018 census revision: GDP of 2015–2017 was first released on the old basis and revised
    #    down in November 2019 (Guangxi and its cities and counties, accumulated and quarterly values)
    gdp_2016 = _demo_value(obs, "gdp", GUANGXI, "2016Q4")
    first_ratio = {2017: cal.GUANGXI_GDP_2017_FIRST_RELEASE / cal.GUANGXI_GDP[2017]}
    if gdp_2016:
        first_ratio |= {2015: cal.GUANGXI_GDP_2016_FIRST_RELEASE / gdp_2016,
                        2016: cal.GUANGXI_GDP_2016_FIRST_RELEASE / gdp_2016}
    census = obs.indicator.isin(["gdp", "gdp_q"]) & obs.region.str.startswith("45") & \
        obs.period.str[:4].astype(int).isin(list(first_ratio))
    if census.any() and gdp_2016:
        first = obs[census].copy()
        first["value"] = first["value"] * first["period"].str[:4].astype(int).map(first_ratio)
        revised = obs[census].copy()
        revised["realtime_start"] = dt.datetime(2019, 11, 22, 9)
        obs = pd.concat([obs[~census], first, revised], ignore_index=True)
    # 2. routine revisions: the latest three months of some monthly series revised a month later
    rng = _rng("revisions")
    monthly = [i.code for i in ctx.catalog if i.frequency == "M" and i.code in set(obs.indicator)]
    revise = set(rng.choice(monthly, size=min(8, len(monthly)), replace=False)) if monthly else set()
    recent = obs[obs.indicator.isin(revise) & (obs.region == GUANGXI)]
    recent = recent[recent.period >= "2026-07"].copy()
    recent = recent[recent.realtime_start + dt.timedelta(days=30) <= DEMO_AS_OF]
    recent["value"] = recent["value"] * (1 + rng.normal(0, 0.004, len(recent)))
    recent["realtime_start"] = recent["realtime_start"] + dt.timedelta(days=30)
    obs = pd.concat([obs, recent], ignore_index=True)
    # 3. late submissions: a few counties' retail sales arrive 40 days late
    counties = [r.adcode for r in ctx.regions.counties("451200")][:3]
    late = obs.indicator.eq("retail_sales") & obs.region.isin(counties) & obs.period.eq("2026-06")
    obs.loc[late, "realtime_start"] += dt.timedelta(days=40)
    obs.loc[late, "status"] = "late"
    if late.any():
        faults.append(dict(kind="late", indicator="retail_sales", regions=counties, period="2026-06"))
    # 4. deliberate faults for the quality checks (values stay flagged "ok": the checks must find them)
    faults += _inject(obs, "gdp", "451200", "2016Q4", lambda v, o: o.loc[
        o.indicator.eq("gdp") & o.region.eq("451300") & o.period.eq("2016Q4"), "value"].iloc[-1], "copied_from_other_region",
        "河池 2016Q4 repeats 来宾's value, as in the real 2018 prototype data")
    county = ctx.regions.counties("450100")[2].adcode
    faults += _inject(obs, "retail_sales", county, "2025-05", lambda v, o: v * 10000, "unit_error",
                      "value entered in 万元 instead of 亿元")
    faults += _inject(obs, "fiscal_revenue", "450300", "2025-08", lambda v, o: v * 0.5, "ytd_falls",
                      "year-to-date value below the previous month's")
    return obs, faults


def _demo_value(obs, code, region, period) -> float | None:
    hit = obs.loc[obs.indicator.eq(code) & obs.region.eq(region) & obs.period.eq(period), "value"]
    return float(hit.iloc[-1]) if len(hit) else None


def _inject(obs, code, region, period, change, kind, note) -> list[dict]:
    mask = obs.indicator.eq(code) & obs.region.eq(region) & obs.period.eq(period)
    if not mask.any():
        return []
    idx = obs.index[mask][-1]
    obs.loc[idx, "value"] = change(obs.loc[idx, "value"], obs)
    return [dict(kind=kind, indicator=code, region=region, period=period, note=note)]


def build_demo(settings: Settings | None = None, progress: bool = True) -> dict:
    """(Re)build the embedded demo database from scratch."""
    settings = settings or Settings()
    started = time.perf_counter()
    path = settings.sqlite_path
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            p = path.with_name(path.name + suffix)
            if p.exists():
                p.unlink()
    ctx = open_context(settings)
    if ctx.data_version > 0:
        raise RuntimeError("演示数据只能写入空数据库 / the demo data needs an empty database: "
                           f"{settings.database_url}")
    bar = _ProgressBar("生成 generate") if progress else None
    obs, faults = generate(ctx, settings.demo_start, settings.demo_end, bar)
    obs["source_unit"] = obs["indicator"].map({i.code: i.source_unit for i in ctx.catalog})
    obs["year"] = obs["realtime_start"].dt.year
    with ctx.engine.begin() as conn:
        ids = repo.series_ids(conn, set(zip(obs["indicator"], obs["region"])))
        obs["series_id"] = [ids[k] for k in zip(obs["indicator"], obs["region"])]
        groups = obs.groupby(["source_unit", "year"])
        write = _ProgressBar("写入 write") if progress else None
        for n, ((unit, year), g) in enumerate(groups):
            if write:
                write(n, groups.ngroups, f"{unit} {year}")
            digest = hashlib.sha256(f"demo|{unit}|{year}|{len(g)}".encode()).hexdigest()
            batch = repo.create_batch(conn, file_name=f"演示数据 demo: {unit} {year}", sha256=digest, format="demo",
                                      source_unit=unit, submitted_by=DEMO_USER,
                                      submitted_at=g["realtime_start"].max().to_pydatetime(),
                                      vintage=g["realtime_start"].min().to_pydatetime(), status="loaded",
                                      rows_read=len(g), rows_loaded=len(g))
            repo.insert_observations(conn, g.assign(batch_id=batch))
        repo.set_meta(conn, "demo", "1")
        repo.set_meta(conn, "demo_as_of", DEMO_AS_OF.isoformat())
        repo.set_meta(conn, "demo_faults", json.dumps(faults, ensure_ascii=False))
        targets = demo_targets()
        results.replace_targets(conn, targets, origin="demo")
        repo.bump_data_version(conn, sorted(set(obs["indicator"])))
        repo.audit(conn, DEMO_USER, "init-demo", settings.database_url, {"observations": len(obs)})
    if bar:
        sys.stderr.write("\n")
    return dict(observations=int(len(obs)), series=int(obs["series_id"].nunique()), targets=int(len(targets)),
                indicators=int(obs["indicator"].nunique()), faults=faults,
                seconds=round(time.perf_counter() - started, 1), database=settings.database_url)


class _ProgressBar:
    def __init__(self, label: str):
        self.label = label

    def __call__(self, n: int, total: int, what: str) -> None:
        width = 30
        done = int(width * (n + 1) / max(total, 1))
        sys.stderr.write(f"\r{self.label} [{'#' * done}{'.' * (width - done)}] {n + 1}/{total} {what[:28]:<28}")
        sys.stderr.flush()
