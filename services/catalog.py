"""The indicator catalog, regions and external-series mappings as tables for the CLI and pages."""

from __future__ import annotations

import pandas as pd

from indicators.importers.mapping import normalise_name
from services.context import Context
from storage import repository as repo


class MappingError(ValueError):
    pass


def catalog_frame(ctx: Context, domain: str | None = None) -> pd.DataFrame:
    rows = []
    for ind in ctx.catalog:
        if domain and ind.domain != domain:
            continue
        rows.append(dict(
            code=ind.code, name_zh=ind.name_zh, name_en=ind.name_en, domain=ind.domain, topic=ind.topic or "",
            unit=ind.unit, frequency=ind.frequency, publication=ind.publication, measure=ind.measure,
            price_basis=ind.price_basis, source_unit=ind.source_unit, release_lag_days=ind.release_lag_days,
            polarity=ind.polarity, region_levels="|".join(ind.region_levels), aggregation=ind.aggregation,
            decimals=ind.decimals, jan_feb_combined=ind.jan_feb_combined, growth_of=ind.growth_of or "",
            definition_zh=ind.definition_zh, definition_en=ind.definition_en,
        ))
    if domain and not rows:
        known = ", ".join(ctx.catalog.groups)
        raise MappingError(f"未知领域“{domain}” / unknown domain '{domain}' (known: {known})")
    return pd.DataFrame(rows)


def regions_frame(ctx: Context, level: str | None = None) -> pd.DataFrame:
    regions = ctx.regions.level(level) if level else list(ctx.regions)
    return pd.DataFrame([
        dict(adcode=r.adcode, name_zh=r.name_zh, short_zh=r.short_zh, name_en=r.name_en, level=r.level,
             parent=r.parent or "", peer=r.peer)
        for r in regions if ctx.viewer.can_see(r.adcode) or r.level in ("national", "province")
    ])


def mappings_frame(ctx: Context, source: str | None = None) -> pd.DataFrame:
    return repo.mappings(ctx.engine, source)


def add_mapping(ctx: Context, source: str, external_name: str, indicator: str, external_id: str | None = None,
                region: str | None = None, unit: str | None = None, scale: float = 1.0) -> None:
    """A user's own rule: e.g. a Wind series of a province whose name the shipped table lacks."""
    if indicator not in ctx.catalog:
        raise MappingError(f"未知指标“{indicator}” / unknown indicator '{indicator}'")
    if region:
        region = ctx.regions.find(region).adcode
    name = normalise_name(external_name) if source == "nbs" else external_name
    with ctx.engine.begin() as conn:
        repo.add_mapping(conn, source=source, external_id=external_id, external_name=name, indicator=indicator,
                         region=region, unit=unit, scale=scale)
        repo.audit(conn, ctx.viewer.user, "mapping.add", name, {"indicator": indicator, "region": region})
