"""Shared fixtures: real SQLite files and a fresh schema on the PostgreSQL server per test."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.engine import make_engine, upgrade

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
PG_URL = os.environ.get("ECONBRAIN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ON_CI = os.environ.get("CI", "").lower() == "true"


def need_real_data() -> Path:
    """The shared real-data folder: skip without it on a user's clone, fail without it on CI."""
    if not REAL_DATA.is_dir():
        if ON_CI:
            pytest.fail(f"real data folder missing on CI: {REAL_DATA}")
        pytest.skip(f"real data folder {REAL_DATA} not present (a fresh clone without ../shared)")
    return REAL_DATA


def _postgres_available() -> str | None:
    try:
        with create_engine(PG_URL).connect() as conn:
            conn.execute(text("select 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def postgres_reachable():
    problem = _postgres_available()
    if problem:
        if ON_CI:
            pytest.fail(f"PostgreSQL not reachable on CI at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {problem}")


def _pg_schema_url() -> tuple[str, str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with create_engine(PG_URL, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    return schema, f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def _drop_schema(schema: str) -> None:
    with create_engine(PG_URL, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A migrated, empty database URL: a SQLite file, then a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    request.getfixturevalue("postgres_reachable")
    schema, url = _pg_schema_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        engine.dispose()
        _drop_schema(schema)


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_database_url(tmp_path_factory) -> str:
    """One demo database per test session (the build takes about 40 s), shared read-only."""
    from data.demo import build_demo
    from settings import Settings

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    build_demo(Settings(database_url=url), progress=False)
    return url


ANALYTICS_REGIONS = ("450000", "450200", "450202")  # 广西, 柳州 and one county: every tier once


@pytest.fixture(scope="session")
def analytics_database_url(demo_database_url, tmp_path_factory) -> str:
    """A copy of the demo database with stored analytics for 广西, 柳州 and one county (series and
    region tasks), plus every nowcast, cycle and index task — what the pages read (about 2 min)."""
    import sqlite3

    from services.context import open_context
    from services.refresh import refresh
    from settings import Settings

    if os.environ.get("ECONBRAIN_TEST_ANALYTICS_DB"):  # while developing: reuse one built earlier
        return "sqlite:///" + os.environ["ECONBRAIN_TEST_ANALYTICS_DB"]
    src = demo_database_url.split("///", 1)[1]
    dst = tmp_path_factory.mktemp("analytics") / "analytics.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    url = f"sqlite:///{dst}"
    ctx = open_context(Settings(database_url=url))
    refresh(ctx, progress=False, kinds=("series", "region"), regions=ANALYTICS_REGIONS)
    refresh(ctx, progress=False, kinds=("nowcast", "backtest", "cycle", "index"), regions=("450000", "450200"))
    ctx.engine.dispose()
    return url


@pytest.fixture(scope="session")
def analytics_ctx(analytics_database_url):
    from services.context import open_context
    from settings import Settings

    ctx = open_context(Settings(database_url=analytics_database_url))
    yield ctx
    ctx.engine.dispose()


@pytest.fixture(scope="session")
def demo_ctx(demo_database_url):
    from services.context import open_context
    from settings import Settings

    ctx = open_context(Settings(database_url=demo_database_url))
    yield ctx
    ctx.engine.dispose()
