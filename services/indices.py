"""Development indices (经济发展指数), the city ranking and the composite cycle indices, as stored.

The definitions are data (``indicators/indices.yaml``); the refresh builds each index for every
region its definition allows and stores the values with each component's contribution, so that a
page or a report can say not only that the index fell but which component pulled it down.
"""

from __future__ import annotations

import functools

import pandas as pd

from indicators.indices import IndexSpec, load_index_specs
from indicators.regions import GUANGXI
from models.base import ModelError
from models.indices import CityRanking, DevelopmentIndex
from services.context import Context
from services.inputs import growth_form, model_input, to_period_series
from services.series import stored_series
from storage import results as store
from storage import tables as t

CYCLE_INDICES = {"leading": ("先行指数", "Composite leading index"),
                 "coincident": ("一致指数", "Composite coincident index")}


class IndexRequestError(ValueError):
    """An index request that cannot be answered; the message is bilingual."""


@functools.cache
def _specs() -> dict[str, IndexSpec]:
    return load_index_specs()


def specs(ctx: Context) -> dict[str, IndexSpec]:
    return _specs()


def index_inputs(ctx: Context) -> dict[str, set[str]]:
    """Each index and the indicators it is built from (the refresh fingerprints these)."""
    return {name: {c.indicator for c in spec.components} for name, spec in specs(ctx).items()}


def _regions_for(ctx: Context, spec: IndexSpec) -> list[str]:
    out = []
    if "province" in spec.region_levels:
        out.append(GUANGXI)
    if "city" in spec.region_levels:
        out += [r.adcode for r in ctx.regions.cities()]
    if "county" in spec.region_levels:
        out += [c.adcode for city in ctx.regions.cities() for c in ctx.regions.counties(city.adcode)]
    return out


def component_series(ctx: Context, code: str, region: str, transform: str, frequency: str) -> pd.Series:
    ind = ctx.catalog[code]
    if transform == "yoy":
        s = growth_form(model_input(ctx, code, region))
    else:
        s, _ = to_period_series(stored_series(ctx, code, region).dropna(), ind.frequency)
    if frequency == "Q" and ind.frequency == "M":
        s = s[s.index.month % 3 == 0]  # a monthly component enters a quarterly index at the quarter's last month
        s.index = s.index.asfreq("Q")
    return s


def _panel(ctx: Context, spec: IndexSpec, region: str) -> pd.DataFrame:
    cols = {c.indicator: component_series(ctx, c.indicator, region, c.transform, spec.frequency)
            for c in spec.components}
    return pd.DataFrame(cols).sort_index()


def _weighting(spec: IndexSpec):
    if spec.weighting == "fixed":
        return {c.indicator: c.weight for c in spec.components}
    return spec.weighting


def refresh_index(ctx: Context, name: str) -> dict:
    spec = specs(ctx)[name]
    directions = {c.indicator: c.direction for c in spec.components}
    rows: dict[str, pd.DataFrame] = {}
    summary: dict = {"regions": 0, "skipped": {}}
    if spec.model == "city_ranking":
        panels = {}
        for city in _regions_for(ctx, spec):
            panel = _panel(ctx, spec, city)
            if not panel.dropna(how="all").empty:
                panels[city] = panel
        wide = pd.concat(panels, axis=1, names=["city", "component"]).sort_index() if panels else pd.DataFrame()
        wide = wide.loc[wide.notna().all(axis=1)]
        if len(panels) < 2 or wide.empty:
            summary["skipped"] = {"reason": "fewer than two cities with every component"}
            with ctx.engine.begin() as conn:
                store.replace_rows(conn, t.index_values, {"index_name": name}, None)
            return summary
        res = CityRanking().fit(wide, directions=directions, weighting=_weighting(spec))
        long = res.to_frame()
        scores = res.scores()
        for city, g in scores.groupby("city"):
            contrib = long[long["city"] == city].pivot(index="period", columns="component", values="contribution")
            rows[city] = pd.DataFrame({
                "period": g["period"].astype(str).to_numpy(), "value": g["score"].to_numpy(dtype=float),
                "rank": g["rank"].to_numpy(dtype=int),
                "contributions": [_round(contrib.loc[p].to_dict()) if p in contrib.index else {}
                                  for p in g["period"].astype(str)],
            })
        summary.update(res.summary())
        summary["regions"] = len(rows)
    else:
        for region in _regions_for(ctx, spec):
            panel = _panel(ctx, spec, region)
            try:
                res = DevelopmentIndex().fit(panel, directions=directions, weighting=_weighting(spec),
                                             base_period=spec.base_period)
            except ModelError as exc:
                summary["skipped"][region] = str(exc)[:200]
                continue
            contrib = res.contributions.copy()
            rows[region] = pd.DataFrame({
                "period": [str(p) for p in res.index.index], "value": res.index.to_numpy(dtype=float),
                "contributions": [_round(contrib.loc[p].to_dict()) for p in res.index.index],
            })
            if region == GUANGXI:
                summary["guangxi"] = res.summary()
        summary["regions"] = len(rows)
        summary["skipped"] = dict(list(summary["skipped"].items())[:5]) | {"count": len(summary["skipped"])}
    with ctx.engine.begin() as conn:
        from sqlalchemy import delete

        conn.execute(delete(t.index_values).where(t.index_values.c.index_name == name))
        for region, frame in rows.items():
            store.replace_rows(conn, t.index_values, {"index_name": name, "region": region}, frame)
    return summary


def _round(d: dict) -> dict:
    return {str(k): (None if pd.isna(v) else round(float(v), 4)) for k, v in d.items()}


def index_values(ctx: Context, name: str, region: str = GUANGXI) -> dict:
    """An index over time for one region (for the city ranking: that city's score and rank, or for
    the region, every city's latest score and rank)."""
    all_specs = specs(ctx)
    if name not in all_specs and name not in CYCLE_INDICES:
        known = ", ".join([*all_specs, *CYCLE_INDICES])
        raise IndexRequestError(f"未知指数“{name}” / unknown index '{name}' ({known})")
    try:
        reg = ctx.regions.find(region)
    except Exception as exc:
        raise IndexRequestError(str(exc)) from exc
    if not ctx.viewer.can_see(reg.adcode):
        raise IndexRequestError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    spec = all_specs.get(name)
    name_zh, name_en = (spec.name_zh, spec.name_en) if spec else CYCLE_INDICES[name]
    out = {"name": name, "name_zh": name_zh, "name_en": name_en, "region": reg.adcode,
           "region_name_zh": reg.name_zh, "region_name_en": reg.name_en,
           "weighting": spec.weighting if spec else "oecd", "base_period": spec.base_period if spec else None,
           "frequency": spec.frequency if spec else "M", "demo": ctx.is_demo}
    if spec is not None and spec.model == "city_ranking" and reg.level != "city":
        frame = store.read_table(ctx.engine, t.index_values, index_name=name)
        if frame.empty:
            raise IndexRequestError(f"“{name_zh}”尚未计算，请先运行 refresh / '{name_en}' not computed yet: run refresh")
        latest = frame["period"].max()
        cur = frame[frame["period"] == latest].sort_values("rank")
        out["period"] = latest
        out["ranking"] = [{"region": r.region, "name_zh": ctx.regions.find(r.region).name_zh,
                           "name_en": ctx.regions.find(r.region).name_en, "value": float(r.value),
                           "rank": int(r.rank), "contributions": r.contributions} for r in cur.itertuples()]
        out["values"] = [{"period": p, "value": float(g["value"].mean()), "rank": None}
                         for p, g in frame.groupby("period")]
        return out
    frame = store.read_table(ctx.engine, t.index_values, order_by=("period",), index_name=name, region=reg.adcode)
    if frame.empty:
        raise IndexRequestError(f"“{reg.name_zh}”没有“{name_zh}”：尚未计算或该地区不适用 / "
                                f"no '{name_en}' for {reg.name_en}: not computed yet, or not defined for this region")
    out["values"] = [{"period": r.period, "value": float(r.value),
                      "rank": None if pd.isna(r.rank) else int(r.rank), "contributions": r.contributions}
                     for r in frame.itertuples()]
    return out
