"""A server-side cache of view models, keyed by the versions of the data they read.

The backend comes from ``ECONBRAIN_CACHE_URL`` through Flask-Caching's backends: ``filesystem://DIR``
(the default, under ``instance/``), ``redis://host:port/db`` in production (shared by every gunicorn
worker), or ``null://`` (no caching). A cached service function declares which indicators it reads;
its key carries the change times of their observations and analytics results
(``storage.tables.data_versions``), so an import or a refresh invalidates exactly the views of the
indicators it touched — and a view that reads "everything" depends on the global scope ``*``.

    @cached(depends=lambda ctx, indicator, region, **kw: [indicator])
    def indicator_card(ctx, indicator, region): ...
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlparse

from storage import repository as repo

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 24 * 3600  # versions invalidate; the timeout only bounds the cache's size over time


def make_cache(url: str | None):
    """A Flask-Caching backend for ``url``."""
    from flask_caching.backends import FileSystemCache, NullCache, RedisCache

    if not url or url.startswith("null:"):
        return NullCache()
    parsed = urlparse(url)
    if parsed.scheme == "filesystem":
        path = url.split("://", 1)[1]
        return FileSystemCache(path, threshold=20_000, default_timeout=DEFAULT_TIMEOUT)
    if parsed.scheme in ("redis", "rediss"):
        db = int((parsed.path or "/0").lstrip("/") or 0)
        return RedisCache(host=parsed.hostname or "localhost", port=parsed.port or 6379, password=parsed.password,
                          db=db, default_timeout=DEFAULT_TIMEOUT, key_prefix="econbrain:")
    raise ValueError(f"不支持的缓存地址 / unsupported cache URL: {url} (filesystem://DIR, redis://HOST:PORT/DB, null://)")


def _scopes(indicators: Iterable[str] | None) -> list[str]:
    if indicators is None:
        return ["*"]
    codes = sorted(set(indicators))
    return [*(f"obs:{c}" for c in codes), *(f"res:{c}" for c in codes)]


def cache_key(ctx, name: str, args: tuple, kwargs: dict, indicators: Iterable[str] | None) -> str:
    scopes = _scopes(indicators)
    versions = repo.scope_versions(ctx.engine, scopes)
    # the database is part of the key: two stores may share one cache (a Redis server, instance/cache)
    payload = json.dumps([ctx.settings.database_url, name, ctx.viewer.user, sorted(ctx.viewer.regions or []), args,
                          kwargs, dict(zip(scopes, versions))], sort_keys=True, default=str, ensure_ascii=False)
    return f"view:{name}:{hashlib.sha256(payload.encode()).hexdigest()[:40]}"


def cached(depends: Callable[..., Iterable[str] | None] | None = None, timeout: int = DEFAULT_TIMEOUT):
    """Cache a service function ``f(ctx, *args, **kwargs)`` by its arguments, the viewer and the data
    versions of the indicators ``depends(ctx, *args, **kwargs)`` names (None: any data at all)."""

    def wrap(fn):
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def inner(ctx, *args, **kwargs):
            cache = getattr(ctx, "cache", None)
            if cache is None:
                return fn(ctx, *args, **kwargs)
            deps = depends(ctx, *args, **kwargs) if depends else None
            key = cache_key(ctx, name, args, kwargs, deps)
            try:
                hit = cache.get(key)
            except Exception as exc:  # a cache outage must not take a page down
                log.warning("cache read failed: %s", exc)
                hit = None
            if hit is not None:
                return hit
            value = fn(ctx, *args, **kwargs)
            try:
                cache.set(key, value, timeout=timeout)
            except Exception as exc:
                log.warning("cache write failed: %s", exc)
            return value

        inner.uncached = fn
        return inner

    return wrap
