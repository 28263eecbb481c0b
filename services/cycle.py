"""Composite leading and coincident indices of a region, with their turning points.

The components follow the usual Chinese practice for provincial 景气指数: money, project starts and
property sales lead; industrial output, electricity, freight, retail sales and tax revenue move with
the economy. Levels enter seasonally adjusted (the stored X-13/STL results), growth rates as
published; the OECD double-HP filter then keeps the 1.5–10-year business cycle (models.cycle).
"""

from __future__ import annotations

import pandas as pd

from indicators.regions import NATIONAL
from models.cycle import CompositeIndex, TurningPoints
from services.context import Context
from services.inputs import growth_form, model_input
from storage import results as store
from storage import tables as t

COMPONENTS = {
    "leading": ["loans_rmb", "housing_sales_area", "new_projects_investment_ytd_growth", "exports",
                ("mfg_pmi", NATIONAL)],
    "coincident": ["industrial_va_growth", "electricity", "freight_volume", "retail_sales", "tax_revenue"],
}
NAMES = {"leading": ("先行指数", "Composite leading index"), "coincident": ("一致指数", "Composite coincident index")}


def component_panel(ctx: Context, region: str, kind: str) -> tuple[pd.DataFrame, list[str]]:
    """Seasonally adjusted levels (logged) or published growth rates, one column per component."""
    columns, logged = {}, []
    for item in COMPONENTS[kind]:
        code, reg = (item if isinstance(item, tuple) else (item, region))
        if code not in ctx.catalog:
            continue
        mi = model_input(ctx, code, reg)
        if mi.series.notna().sum() < 36:
            continue
        if mi.is_level:
            sa = store.read_table(ctx.engine, t.adjusted_series, order_by=("period",), indicator=code, region=reg)
            if sa.empty:
                continue
            s = pd.Series(sa["seasonally_adjusted"].to_numpy(dtype=float),
                          index=pd.PeriodIndex(sa["period"], freq="M"))
            if (s.dropna() > 0).all():
                logged.append(code)
        else:
            s = growth_form(mi)
        columns[code] = s
    if not columns:
        return pd.DataFrame(), []
    return pd.DataFrame(columns).sort_index(), logged


def refresh_cycle(ctx: Context, region: str) -> dict:
    summary = {}
    frames = []
    for kind in ("leading", "coincident"):
        panel, logged = component_panel(ctx, region, kind)
        if panel.shape[1] < 2:
            summary[kind] = {"skipped": "fewer than two components"}
            continue
        res = CompositeIndex().fit(panel, log=logged)
        frame = res.to_frame().dropna(subset=["index"])
        turns = TurningPoints().fit(pd.Series(frame["index"].to_numpy(), index=pd.PeriodIndex(frame["period"], freq="M")))
        summary[kind] = {**res.summary(), "turning_points": turns.to_frame().astype({"period": str}).to_dict("records")}
        comps = res.components.copy()
        comps.index = comps.index.astype(str)
        detail = [{"phase": ph, "components": {c: (None if pd.isna(v) else round(float(v), 4))
                                               for c, v in comps.loc[p].items()} if p in comps.index else {}}
                  for p, ph in zip(frame["period"], frame["phase"])]
        # the JSON column holds the OECD phase and each component's normalised cycle that period
        frames.append((kind, pd.DataFrame({"period": frame["period"], "value": frame["index"],
                                           "contributions": detail})))
    with ctx.engine.begin() as conn:
        for kind, frame in frames:
            store.replace_rows(conn, t.index_values, {"index_name": kind, "region": region}, frame)
    return summary
