"""Reads and writes of the observation store, shared by importers, the demo builder and services.

Every function takes a SQLAlchemy ``Connection`` (writes run inside the caller's transaction, so an
import is all-or-nothing) or an ``Engine`` for reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import Connection, Engine, String, and_, func, insert, select, true, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite

from storage import tables as t
from storage.copy import COPY_SQL, observations_payload

OBSERVATION_COLUMNS = ["series_id", "period", "realtime_start", "value", "batch_id", "status"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _upsert(conn: Connection, table, rows: list[dict], keys: Sequence[str]) -> None:
    if not rows:
        return
    dialect = conn.dialect.name
    ins = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    cols = {c: ins.excluded[c] for c in rows[0] if c not in keys}
    stmt = ins.on_conflict_do_update(index_elements=list(keys), set_=cols) if cols else ins.on_conflict_do_nothing()
    conn.execute(stmt, rows)


# --- reference data -------------------------------------------------------------------------

def sync_regions(conn: Connection, regions: Iterable) -> int:
    rows = [
        dict(adcode=r.adcode, name_zh=r.name_zh, short_zh=r.short_zh, name_en=r.name_en, level=r.level,
             parent=r.parent, peer=r.peer, sort_order=r.order)
        for r in regions
    ]
    _upsert(conn, t.regions, rows, ["adcode"])
    return len(rows)


def sync_indicators(conn: Connection, catalog) -> int:
    """Make the indicators table mirror the catalog; indicators no longer in it become inactive."""
    rows = [
        dict(code=i.code, name_zh=i.name_zh, name_en=i.name_en, domain=i.domain, topic=i.topic, unit=i.unit,
             frequency=i.frequency, publication=i.publication, measure=i.measure, source_unit=i.source_unit,
             release_lag_days=i.release_lag_days, decimals=i.decimals, spec=i.model_dump(mode="json"), active=True)
        for i in catalog
    ]
    _upsert(conn, t.indicators, rows, ["code"])
    conn.execute(update(t.indicators).where(t.indicators.c.code.not_in([r["code"] for r in rows])).values(active=False))
    return len(rows)


def sync_mappings(conn: Connection, rows: list[dict]) -> int:
    """Replace the shipped mappings with ``rows``; user-added mappings are kept."""
    conn.execute(t.series_mappings.delete().where(t.series_mappings.c.origin == "shipped"))
    if rows:
        conn.execute(insert(t.series_mappings), [{**r, "origin": "shipped"} for r in rows])
    return len(rows)


def add_mapping(conn: Connection, **row) -> None:
    conn.execute(insert(t.series_mappings), [{**row, "origin": "user"}])


def mappings(conn_or_engine, source: str | None = None) -> pd.DataFrame:
    q = select(t.series_mappings)
    if source:
        q = q.where(t.series_mappings.c.source == source)
    with _connect(conn_or_engine) as conn:
        return pd.DataFrame(conn.execute(q).mappings().all(), columns=[c.name for c in t.series_mappings.c])


# --- series and observations ----------------------------------------------------------------

def series_ids(conn: Connection, pairs: Iterable[tuple[str, str]], create: bool = True) -> dict[tuple[str, str], int]:
    """Ids of (indicator, region) series, creating the missing ones when ``create``."""
    wanted = set(pairs)
    if not wanted:
        return {}
    existing = {
        (r.indicator, r.region): r.id
        for r in conn.execute(select(t.series.c.id, t.series.c.indicator, t.series.c.region))
    } if len(wanted) > 200 else {
        (r.indicator, r.region): r.id
        for r in conn.execute(
            select(t.series.c.id, t.series.c.indicator, t.series.c.region).where(
                t.series.c.indicator.in_({i for i, _ in wanted})
            )
        )
    }
    missing = sorted(wanted - existing.keys())
    if missing and create:
        conn.execute(insert(t.series), [dict(indicator=i, region=r) for i, r in missing])
        return series_ids(conn, wanted, create=False)
    return {k: v for k, v in existing.items() if k in wanted}


def latest_values(conn: Connection, ids: Sequence[int]) -> pd.DataFrame:
    """The current vintage of every period of the given series: series_id, period, value."""
    if not ids:
        return pd.DataFrame(columns=["series_id", "period", "value"])
    o = t.observations
    newest = (
        select(o.c.series_id, o.c.period, func.max(o.c.realtime_start).label("rt"))
        .where(o.c.series_id.in_(list(ids)))
        .group_by(o.c.series_id, o.c.period)
        .subquery()
    )
    q = select(o.c.series_id, o.c.period, o.c.value).join(
        newest, and_(o.c.series_id == newest.c.series_id, o.c.period == newest.c.period, o.c.realtime_start == newest.c.rt)
    )
    return pd.DataFrame(conn.execute(q).all(), columns=["series_id", "period", "value"])


def insert_observations(conn: Connection, frame: pd.DataFrame) -> int:
    """Append observations (never updates): binary COPY on PostgreSQL, a column-wise executemany on SQLite."""
    if frame.empty:
        return 0
    frame = frame[OBSERVATION_COLUMNS]
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(COPY_SQL) as copy:
            copy.write(observations_payload(frame))
        return len(frame)
    stamps = pd.to_datetime(frame["realtime_start"]).dt.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's text form
    raw.executemany(
        "INSERT INTO observations (series_id, period, realtime_start, value, batch_id, status) VALUES (?,?,?,?,?,?)",
        zip(frame["series_id"].astype("int64").tolist(), frame["period"].astype(str).tolist(), stamps.tolist(),
            frame["value"].astype(float).tolist(), frame["batch_id"].astype("int64").tolist(),
            frame["status"].astype(str).tolist()),
    )
    return len(frame)


def orphan_observations(engine_or_conn) -> int:
    """Observations whose series or batch does not exist (the table has no foreign keys; see tables.py)."""
    o = t.observations
    q = select(func.count()).select_from(o).where(
        ~select(t.series.c.id).where(t.series.c.id == o.c.series_id).exists()
        | ~select(t.import_batches.c.id).where(t.import_batches.c.id == o.c.batch_id).exists()
    )
    with _connect(engine_or_conn) as conn:
        return int(conn.execute(q).scalar_one())


OBSERVATION_FRAME = ["indicator", "region", "period", "value", "realtime_start", "batch_id", "status"]


def read_observations(
    engine_or_conn,
    indicators: str | Sequence[str] | None = None,
    regions: str | Sequence[str] | None = None,
    as_of: dt.date | dt.datetime | None = None,
    start: str | None = None,
    end: str | None = None,
    vintages: bool = False,
) -> pd.DataFrame:
    """Observations as known on ``as_of`` (end of that day), or the latest when ``as_of`` is None.

    Returns columns indicator, region, period, value, realtime_start, batch_id, status — one row per
    period, or every vintage when ``vintages`` is True (for revision overlays).
    """
    o, s = t.observations, t.series
    cutoff = _cutoff(as_of)
    series_cond, obs_cond = [], []
    if indicators is not None:
        series_cond.append(s.c.indicator.in_([indicators] if isinstance(indicators, str) else list(indicators)))
    if regions is not None:
        series_cond.append(s.c.region.in_([regions] if isinstance(regions, str) else list(regions)))
    if start:
        obs_cond.append(o.c.period >= start)
    if end:
        obs_cond.append(o.c.period <= end + "~")  # "~" sorts after "/02" and "Q4": "2024" includes 2024Q4
    if cutoff is not None:
        obs_cond.append(o.c.realtime_start < cutoff)
    with _connect(engine_or_conn) as conn:
        if vintages:
            q = _all_vintages(series_cond, obs_cond)
        elif conn.dialect.name == "postgresql":
            q = _newest_vintage_distinct_on(series_cond, obs_cond)
        else:
            q = _newest_vintage_anti_join(series_cond, obs_cond, cutoff)
        rows = _fetch_tuples(conn, q)
    frame = pd.DataFrame(rows, columns=OBSERVATION_FRAME)
    frame["value"] = frame["value"].astype(float)
    frame["realtime_start"] = pd.to_datetime(frame["realtime_start"], format="ISO8601")
    frame["batch_id"] = frame["batch_id"].astype("int64")
    return frame


def _fetch_tuples(conn: Connection, q) -> list[tuple]:
    """Run ``q`` on the DBAPI cursor (binary on PostgreSQL): plain tuples, no SQLAlchemy Row per row.

    At stress scale building Row objects and unzipping them cost as much as the query itself
    (bench/RESULTS.md, "read-time breakdown").
    """
    compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    pg = conn.dialect.name == "postgresql"
    if pg:
        params = compiled.params
    else:  # qmark style: positional, in compiled order; datetimes as SQLAlchemy stores them in SQLite
        params = [p.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(p, dt.datetime) else p
                  for p in (compiled.params[k] for k in compiled.positiontup)]
    raw = conn.connection.driver_connection
    cur = raw.cursor(binary=True) if pg else raw.cursor()
    try:
        cur.execute(compiled.string, params)
        return cur.fetchall()
    finally:
        cur.close()


def _frame_columns(o, s):
    # realtime_start read as text and parsed once per column (SQLite would parse it row by row)
    return [s.c.indicator, s.c.region, o.c.period, o.c.value, type_coerce(o.c.realtime_start, String),
            o.c.batch_id, o.c.status]


def _all_vintages(series_cond, obs_cond):
    o, s = t.observations, t.series
    return (select(*_frame_columns(o, s)).select_from(o.join(s, s.c.id == o.c.series_id))
            .where(*series_cond, *obs_cond).order_by(s.c.indicator, s.c.region, o.c.period, o.c.realtime_start))


def _newest_vintage_anti_join(series_cond, obs_cond, cutoff):
    """A row is current when no later vintage (known by the cutoff) exists: one probe into the key."""
    o, s = t.observations, t.series
    newer = o.alias("newer")
    later = select(newer.c.series_id).where(
        newer.c.series_id == o.c.series_id, newer.c.period == o.c.period,
        newer.c.realtime_start > o.c.realtime_start,
        *([newer.c.realtime_start < cutoff] if cutoff is not None else []),
    )
    return (select(*_frame_columns(o, s)).select_from(o.join(s, s.c.id == o.c.series_id))
            .where(*series_cond, *obs_cond, ~later.exists()).order_by(s.c.indicator, s.c.region, o.c.period))


def _newest_vintage_distinct_on(series_cond, obs_cond):
    """PostgreSQL: per series, one index range scan keeping the newest vintage of each period."""
    o, s = t.observations, t.series
    newest = (
        select(o.c.period, o.c.value, o.c.realtime_start, o.c.batch_id, o.c.status)
        .where(o.c.series_id == s.c.id, *obs_cond)
        .ext(postgresql.distinct_on(o.c.period)).order_by(o.c.period, o.c.realtime_start.desc())
        .lateral("newest")
    )
    return (
        select(s.c.indicator, s.c.region, newest.c.period, newest.c.value,
               type_coerce(newest.c.realtime_start, String), newest.c.batch_id, newest.c.status)
        .select_from(s.join(newest, true()))
        .where(*series_cond)
        .order_by(s.c.indicator, s.c.region, newest.c.period)
    )


def _cutoff(as_of) -> dt.datetime | None:
    if as_of is None:
        return None
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    if isinstance(as_of, dt.datetime):
        return as_of
    return dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1)


class _connect:
    """Use a given Connection as is, or open one from an Engine."""

    def __init__(self, engine_or_conn):
        self.given = engine_or_conn
        self.conn = None

    def __enter__(self) -> Connection:
        if isinstance(self.given, Engine):
            self.conn = self.given.connect()
            return self.conn
        return self.given

    def __exit__(self, *exc):
        if self.conn is not None:
            self.conn.close()


# --- batches, rejections, audit ---------------------------------------------------------------

def create_batch(conn: Connection, **fields) -> int:
    fields.setdefault("submitted_at", utcnow())
    fields.setdefault("warnings", [])
    return conn.execute(insert(t.import_batches).values(**fields).returning(t.import_batches.c.id)).scalar_one()


def update_batch(conn: Connection, batch_id: int, **fields) -> None:
    conn.execute(update(t.import_batches).where(t.import_batches.c.id == batch_id).values(**fields))


def add_rejected_rows(conn: Connection, batch_id: int, errors: list[dict]) -> None:
    if errors:
        conn.execute(
            insert(t.rejected_rows),
            [dict(batch_id=batch_id, row_number=e.get("row"), column_name=e.get("column"), found=e.get("found"),
                  message_zh=e["message_zh"], message_en=e["message_en"]) for e in errors],
        )


def batches(engine_or_conn, limit: int = 100) -> pd.DataFrame:
    q = select(t.import_batches).order_by(t.import_batches.c.id.desc()).limit(limit)
    with _connect(engine_or_conn) as conn:
        return pd.DataFrame(conn.execute(q).mappings().all(), columns=[c.name for c in t.import_batches.c])


def batch_with_sha(conn: Connection, sha256: str) -> dict | None:
    row = conn.execute(
        select(t.import_batches).where(t.import_batches.c.sha256 == sha256, t.import_batches.c.status != "rejected")
        .order_by(t.import_batches.c.id.desc()).limit(1)
    ).mappings().first()
    return dict(row) if row else None


def rejected(engine_or_conn, batch_id: int) -> pd.DataFrame:
    q = select(t.rejected_rows).where(t.rejected_rows.c.batch_id == batch_id).order_by(t.rejected_rows.c.id)
    with _connect(engine_or_conn) as conn:
        return pd.DataFrame(conn.execute(q).mappings().all(), columns=[c.name for c in t.rejected_rows.c])


def audit(conn: Connection, actor: str, action: str, target: str | None = None, detail: dict | None = None) -> None:
    conn.execute(insert(t.audit_log).values(at=utcnow(), actor=actor, action=action, target=target, detail=detail))


def audit_entries(engine_or_conn, limit: int = 100) -> pd.DataFrame:
    q = select(t.audit_log).order_by(t.audit_log.c.id.desc()).limit(limit)
    with _connect(engine_or_conn) as conn:
        return pd.DataFrame(conn.execute(q).mappings().all(), columns=[c.name for c in t.audit_log.c])


# --- store metadata: data version (cache keys) and demo flag ---------------------------------

def get_meta(engine_or_conn, key: str, default: str | None = None) -> str | None:
    with _connect(engine_or_conn) as conn:
        v = conn.execute(select(t.store_meta.c.value).where(t.store_meta.c.key == key)).scalar()
    return default if v is None else v


def set_meta(conn: Connection, key: str, value: str) -> None:
    _upsert(conn, t.store_meta, [dict(key=key, value=str(value))], ["key"])


def bump_data_version(conn: Connection, indicators: Iterable[str] = ()) -> int:
    """A new data version: the global counter (shown on pages) and the change time of the given
    indicators' observations (what cached views are keyed on; ``storage.tables.data_versions``)."""
    version = int(get_meta(conn, "data_version", "0")) + 1
    set_meta(conn, "data_version", str(version))
    touch_scopes(conn, ["*", *(f"obs:{code}" for code in indicators)])
    return version


def touch_scopes(conn: Connection, scopes: Iterable[str]) -> None:
    now = int(dt.datetime.now(dt.UTC).timestamp() * 1_000_000)
    _upsert(conn, t.data_versions, [dict(scope=s, version=now) for s in dict.fromkeys(scopes)], ["scope"])


def scope_versions(engine_or_conn, scopes: Sequence[str]) -> tuple[int, ...]:
    """The change times of ``scopes`` (0 for a scope never touched), in the order asked."""
    with _connect(engine_or_conn) as conn:
        rows = dict(conn.execute(select(t.data_versions.c.scope, t.data_versions.c.version)
                                 .where(t.data_versions.c.scope.in_(list(scopes)))).all())
    return tuple(int(rows.get(s, 0)) for s in scopes)
