"""Demo annual targets (年度目标) for Guangxi and its 14 cities — invented, not official figures.

The numbers are plausible for the region's government work reports of recent years (GDP growth
around 5–5.5%, CPI "around 3%" then "around 2%", surveyed unemployment within 5.5%), and each
city's growth target is the region's plus a fixed city offset: cities on the Beibu Gulf and
Nanning set higher targets than the resource-based cities of the north-west. Every row says in its
note that it is a demo target.

Columns: ``indicator`` (a catalog code), ``region`` (adcode), ``year``, ``target`` (growth in %
or a value in the indicator's unit), ``basis`` ("growth": the year's growth of the indicator's
levels; "level": the year's value itself), ``direction`` ("at_least" | "at_most": a ceiling such
as CPI or unemployment), ``aggregation`` ("sum" of periods for flows, "mean" of periods for
rates), ``note``. The last three extend the brief's columns so that ``models.targets`` needs no
catalog look-up.
"""

from __future__ import annotations

import pandas as pd

from data.calibration import CITY_POPULATION_2020
from indicators.regions import CITY_CODES, GUANGXI

NOTE = "演示目标，非官方数据 / demo target, not an official figure"

# Guangxi's targets by year: (indicator, basis, direction, aggregation) -> value per year
REGION_TARGETS: dict[tuple[str, str, str, str], dict[int, float]] = {
    ("gdp_ytd_growth", "growth", "at_least", "sum"): {2024: 5.5, 2025: 5.5, 2026: 5.0},
    ("industrial_va_ytd_growth", "growth", "at_least", "sum"): {2024: 7.0, 2025: 7.0, 2026: 6.5},
    ("fai_ytd_growth", "growth", "at_least", "sum"): {2024: 5.0, 2025: 4.0, 2026: 3.0},
    ("retail_sales_ytd_growth", "growth", "at_least", "sum"): {2024: 6.0, 2025: 5.5, 2026: 5.5},
    ("fiscal_revenue_ytd_growth", "growth", "at_least", "sum"): {2024: 3.0, 2025: 3.0, 2026: 2.5},
    ("cpi_yoy", "level", "at_most", "mean"): {2024: 3.0, 2025: 2.0, 2026: 2.0},
    ("surveyed_unemployment", "level", "at_most", "mean"): {2024: 5.5, 2025: 5.5, 2026: 5.5},
    ("urban_new_jobs", "level", "at_least", "sum"): {2024: 35.0, 2025: 35.0, 2026: 35.0},  # 万人
}

# Percentage points added to the region's growth targets (invented, fixed so the demo is stable).
CITY_GROWTH_OFFSET = {
    "450100": 0.5, "450200": 0.0, "450300": 0.0, "450400": 0.0, "450500": 1.0, "450600": 1.0, "450700": 1.0,
    "450800": 0.5, "450900": 0.5, "451000": 0.5, "451100": 0.0, "451200": -0.5, "451300": -0.5, "451400": 0.5,
}


def _city_value(indicator: str, basis: str, region_value: float, city: str) -> float:
    if basis == "growth":
        return region_value + CITY_GROWTH_OFFSET[city]
    if indicator == "urban_new_jobs":
        # the region's total shared by resident population, rounded up a little as cities do
        share = CITY_POPULATION_2020[city] / sum(CITY_POPULATION_2020.values())
        return round(region_value * share * 1.05, 1)
    return region_value  # CPI and unemployment ceilings are the region's


def demo_targets(years=(2024, 2025, 2026)) -> pd.DataFrame:
    """Demo annual targets for region 450000 and the 14 cities.

    Parameters
    ----------
    years : iterable of int
        Years among 2024–2026.

    Returns
    -------
    pd.DataFrame
        Columns ``indicator, region, year, target, basis, direction, aggregation, note``.
    """
    rows = []
    for year in years:
        for (indicator, basis, direction, aggregation), by_year in REGION_TARGETS.items():
            if year not in by_year:
                raise ValueError(f"没有 {year} 年的演示目标 / no demo targets for {year}")
            value = by_year[year]
            for region in (GUANGXI, *CITY_CODES):
                target = value if region == GUANGXI else _city_value(indicator, basis, value, region)
                rows.append({"indicator": indicator, "region": region, "year": int(year), "target": float(target),
                             "basis": basis, "direction": direction, "aggregation": aggregation, "note": NOTE})
    return pd.DataFrame(rows, columns=["indicator", "region", "year", "target", "basis", "direction",
                                       "aggregation", "note"])
