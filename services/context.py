"""What every use case needs: settings, the engine, the catalog and the regions, opened once."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field

from sqlalchemy import Engine

from indicators.importers.mapping import shipped_mappings
from indicators.regions import Regions, load_regions
from indicators.registry import Catalog, load_catalog
from settings import Settings
from storage import repository as repo
from storage.engine import make_engine, upgrade


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and which regions they may see (None: all)."""

    user: str = "local"
    regions: frozenset[str] | None = None

    def can_see(self, adcode: str) -> bool:
        return self.regions is None or adcode in self.regions


@dataclass
class Context:
    settings: Settings
    engine: Engine
    catalog: Catalog
    regions: Regions
    viewer: Viewer = field(default_factory=Viewer)
    cache: object | None = None  # a Flask-Caching backend for view models (services.cache); the app sets it

    @property
    def data_version(self) -> int:
        return int(repo.get_meta(self.engine, "data_version", "0"))

    @property
    def is_demo(self) -> bool:
        return repo.get_meta(self.engine, "demo", "0") == "1"


def open_context(settings: Settings | None = None, prepare: bool = True) -> Context:
    settings = settings or Settings()
    catalog = load_catalog(settings.catalog_dir) if settings.catalog_dir else _default_catalog()
    ctx = Context(settings=settings, engine=make_engine(settings.database_url), catalog=catalog, regions=load_regions())
    if prepare:
        prepare_store(ctx)
    return ctx


@functools.cache
def _default_catalog() -> Catalog:
    return load_catalog()


def prepare_store(ctx: Context) -> None:
    """Migrate the schema and mirror regions, catalog and shipped mappings — only when they changed."""
    upgrade(ctx.engine)
    rows, _ = shipped_mappings()
    fingerprint = hashlib.sha256(
        json.dumps([[i.model_dump(mode="json") for i in ctx.catalog], rows, [r.__dict__ for r in ctx.regions]],
                   sort_keys=True, default=str).encode()
    ).hexdigest()
    if repo.get_meta(ctx.engine, "reference_fingerprint") == fingerprint:
        return
    with ctx.engine.begin() as conn:
        repo.sync_regions(conn, ctx.regions)
        repo.sync_indicators(conn, ctx.catalog)
        repo.sync_mappings(conn, [r for r in rows if r["indicator"] in ctx.catalog])
        repo.set_meta(conn, "reference_fingerprint", fingerprint)
