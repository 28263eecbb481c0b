"""The view cache: hits while nothing changed, misses for exactly the indicators an import touched,
on the filesystem backend and on Redis."""

from __future__ import annotations

import os

import pytest

from services.cache import cached, make_cache
from services.context import open_context
from services.ingest import ingest_file
from settings import Settings
from storage import tables as t

CALLS: list[tuple] = []


@cached(depends=lambda ctx, indicator: [indicator])
def latest(ctx, indicator):
    from storage import repository as repo

    CALLS.append((indicator,))
    frame = repo.read_observations(ctx.engine, indicator, "450000")
    return float(frame["value"].iloc[-1])


def _redis_url() -> str | None:
    url = "redis://127.0.0.1:6379/14"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        redis.Redis.from_url(url).flushdb()
        return url
    except Exception:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis not reachable on CI")
        return None


@pytest.mark.parametrize("backend", ["filesystem", "redis"])
def test_an_import_invalidates_only_the_views_of_its_indicators(backend, sqlite_url, tmp_path):
    url = f"filesystem://{tmp_path / 'cache'}" if backend == "filesystem" else _redis_url()
    if url is None:
        pytest.skip("Redis not reachable")
    ctx = open_context(Settings(database_url=sqlite_url))
    ctx.cache = make_cache(url)
    body = "indicator,region,period,value,unit,vintage\n{}\n"
    (tmp_path / "a.csv").write_text(body.format("gdp,450000,2024Q1,6583.12,亿元,2024-04-28\n"
                                                "cpi,450000,2024-03,100.5,上年同期=100,2024-04-15"), encoding="utf-8")
    assert ingest_file(ctx, tmp_path / "a.csv").ok
    CALLS.clear()
    assert latest(ctx, "gdp") == 6583.12 and latest(ctx, "cpi") == 100.5
    assert latest(ctx, "gdp") == 6583.12 and latest(ctx, "cpi") == 100.5
    assert CALLS == [("gdp",), ("cpi",)]  # the second reads came from the cache
    (tmp_path / "b.csv").write_text(body.format("gdp,450000,2024Q1,6590.00,亿元,2024-05-28"), encoding="utf-8")
    assert ingest_file(ctx, tmp_path / "b.csv").ok
    assert latest(ctx, "gdp") == 6590.00 and latest(ctx, "cpi") == 100.5
    assert CALLS == [("gdp",), ("cpi",), ("gdp",)]  # only the revised indicator was recomputed


def test_cache_urls():
    from flask_caching.backends import FileSystemCache, NullCache, RedisCache

    assert isinstance(make_cache("null://"), NullCache)
    assert isinstance(make_cache("filesystem:///tmp/econbrain-cache-test"), FileSystemCache)
    assert isinstance(make_cache("redis://127.0.0.1:6379/3"), RedisCache)
    with pytest.raises(ValueError, match="unsupported cache URL"):
        make_cache("memcached://x")


def test_two_databases_sharing_one_cache_do_not_see_each_others_views(tmp_path):
    from storage.engine import make_engine, upgrade

    cache = make_cache(f"filesystem://{tmp_path / 'cache'}")
    values = []
    for name, value in (("a", "6583.12"), ("b", "7000.00")):
        url = f"sqlite:///{tmp_path / name}.sqlite"
        upgrade(make_engine(url))
        ctx = open_context(Settings(database_url=url))
        ctx.cache = cache
        (tmp_path / f"{name}.csv").write_text("indicator,region,period,value,unit,vintage\n"
                                              f"gdp,450000,2024Q1,{value},亿元,2024-04-28\n", encoding="utf-8")
        assert ingest_file(ctx, tmp_path / f"{name}.csv").ok
        with ctx.engine.begin() as conn:  # a store from before per-indicator versions: all scopes at 0
            conn.execute(t.data_versions.delete())
        values.append(latest(ctx, "gdp"))
    assert values == [6583.12, 7000.00]
