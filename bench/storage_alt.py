"""Prototypes of faster observation-store paths, measured side by side with ``storage.repository``.

Nothing here is used by the application; each function is a drop-in candidate for the function of
the same role in ``storage/repository.py`` (same arguments, same result). ``bench/run_storage.py``
measures them against the shipped code. Commit a3d6402 adopted the first two ideas below (binary
COPY as ``storage/copy.py``; column-wise frames and the LATERAL DISTINCT ON read in
``read_observations``); they stay here as the reference the benchmark was run with.

* ``insert_observations_binary``  — PostgreSQL: ``COPY … (FORMAT BINARY)`` with the whole buffer built
  by numpy; SQLite: ``executemany`` over columns converted once (adopted as ``storage/copy.py``).
* ``read_observations_tuples``    — the d5c3379 query unchanged, frame built from plain tuples
  (``pd.DataFrame(list_of_Row)`` takes pandas' slow path: Row is not a tuple subclass).
* ``read_observations_fast``      — hand-written SQL: PostgreSQL LATERAL ``DISTINCT ON (period)`` per
  series (adopted in a3d6402) run on a binary DBAPI cursor; SQLite the NOT EXISTS on the DBAPI cursor.
* ``read_observations_cursor``    — the current (a3d6402) statement, compiled and run on the DBAPI
  cursor: no SQLAlchemy ``Row`` objects and no ``zip(*rows)`` over them.
* ``read_observations_result_cursor`` — the same idea as a two-line change to ``read_observations``
  (``rows = conn.execute(q).cursor.fetchall()``); measured equal to ``read_observations_cursor``.
"""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy import Connection, Engine

from storage import repository as repo
from storage.copy import observations_payload as binary_copy_payload  # adopted in a3d6402

COLUMNS = ["indicator", "region", "period", "value", "realtime_start", "batch_id", "status"]
_SQLITE_INSERT = ("INSERT INTO observations (series_id, period, realtime_start, value, batch_id, status) "
                  "VALUES (?,?,?,?,?,?)")


# --- load ------------------------------------------------------------------------------------

def insert_observations_binary(conn: Connection, frame: pd.DataFrame) -> int:
    """Drop-in for ``repo.insert_observations``: binary COPY on PostgreSQL, column-wise executemany on SQLite."""
    if frame.empty:
        return 0
    frame = frame[repo.OBSERVATION_COLUMNS]
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        payload = binary_copy_payload(frame)
        with raw.cursor() as cur, cur.copy(
            "COPY observations (series_id, period, realtime_start, value, batch_id, status) FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.write(payload)
    else:
        rt = pd.to_datetime(frame["realtime_start"]).dt.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's format
        raw.executemany(_SQLITE_INSERT, zip(
            frame["series_id"].astype("int64").tolist(), frame["period"].astype(str).tolist(), rt.tolist(),
            frame["value"].astype(float).tolist(), frame["batch_id"].astype("int64").tolist(),
            frame["status"].astype(str).tolist(),
        ))
    return len(frame)


def csv_payload(frame: pd.DataFrame) -> str:
    """Exactly the text the shipped ``insert_observations`` builds (to time the Python side alone)."""
    buf = io.StringIO()
    frame[repo.OBSERVATION_COLUMNS].to_csv(buf, sep="\t", header=False, index=False,
                                           date_format="%Y-%m-%d %H:%M:%S.%f")
    return buf.getvalue()


# --- read ------------------------------------------------------------------------------------

def read_observations_tuples(engine_or_conn, indicators=None, regions=None, as_of=None, start=None, end=None,
                             vintages=False) -> pd.DataFrame:
    """``repo.read_observations`` with one change: ``rows = [tuple(r) for r in conn.execute(q)]``."""
    from sqlalchemy import select

    from storage import tables as t

    o, s = t.observations, t.series
    cutoff = repo._cutoff(as_of)
    cond = []
    if indicators is not None:
        cond.append(s.c.indicator.in_([indicators] if isinstance(indicators, str) else list(indicators)))
    if regions is not None:
        cond.append(s.c.region.in_([regions] if isinstance(regions, str) else list(regions)))
    if start:
        cond.append(o.c.period >= start)
    if end:
        cond.append(o.c.period <= end + "~")
    if cutoff is not None:
        cond.append(o.c.realtime_start < cutoff)
    cols = [s.c.indicator, s.c.region, o.c.period, o.c.value, o.c.realtime_start, o.c.batch_id, o.c.status]
    q = select(*cols).select_from(o.join(s, s.c.id == o.c.series_id)).where(*cond)
    if not vintages:
        newer = o.alias("newer")
        later = select(newer.c.series_id).where(
            newer.c.series_id == o.c.series_id, newer.c.period == o.c.period,
            newer.c.realtime_start > o.c.realtime_start,
            *([newer.c.realtime_start < cutoff] if cutoff is not None else []),
        )
        q = q.where(~later.exists())
    q = q.order_by(s.c.indicator, s.c.region, o.c.period, o.c.realtime_start)
    with repo._connect(engine_or_conn) as conn:
        rows = [tuple(r) for r in conn.execute(q)]          # <- the only change
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = frame["value"].astype(float)
    return frame


def _as_list(v):
    return [v] if isinstance(v, str) else list(v)


def read_sql(dialect: str, indicators=None, regions=None, as_of=None, start=None, end=None):
    """(sql, params) of the fast read: named %(x)s params for psycopg, qmark list for sqlite3."""
    cutoff = repo._cutoff(as_of)
    if dialect == "postgresql":
        params, outer, inner = {}, [], []
        if indicators is not None:
            outer.append("s.indicator = ANY(%(indicators)s)")
            params["indicators"] = _as_list(indicators)
        if regions is not None:
            outer.append("s.region = ANY(%(regions)s)")
            params["regions"] = _as_list(regions)
        if start:
            inner.append("o.period >= %(start)s")
            params["start"] = start
        if end:
            inner.append("o.period <= %(end)s")
            params["end"] = end + "~"
        if cutoff is not None:
            inner.append("o.realtime_start < %(cutoff)s")
            params["cutoff"] = cutoff
        # one index range scan per series, newest vintage first within a period (DISTINCT ON keeps it);
        # rows leave each series already in period order, so the outer sort is an incremental one
        sql = ("SELECT s.indicator, s.region, x.period, x.value, x.realtime_start, x.batch_id, x.status "
               "FROM series s CROSS JOIN LATERAL ("
               "SELECT DISTINCT ON (o.period) o.period, o.value, o.realtime_start, o.batch_id, o.status "
               "FROM observations o WHERE " + " AND ".join(["o.series_id = s.id", *inner]) +
               " ORDER BY o.period, o.realtime_start DESC) x "
               "WHERE " + (" AND ".join(outer) or "TRUE") + " ORDER BY s.indicator, s.region, x.period")
        return sql, params
    cond, params = [], []

    def in_list(col, values):
        values = _as_list(values)
        params.extend(values)
        return f"{col} IN ({','.join('?' * len(values))})"

    if indicators is not None:
        cond.append(in_list("s.indicator", indicators))
    if regions is not None:
        cond.append(in_list("s.region", regions))
    if start:
        cond.append("o.period >= ?")
        params.append(start)
    if end:
        cond.append("o.period <= ?")
        params.append(end + "~")
    newer_cut = ""
    if cutoff is not None:
        cond.append("o.realtime_start < ?")
        params.append(cutoff.strftime("%Y-%m-%d %H:%M:%S.%f"))
        newer_cut = " AND n.realtime_start < ?"
        params.append(cutoff.strftime("%Y-%m-%d %H:%M:%S.%f"))
    where = " AND ".join(cond) or "1"
    # SQLite: the NOT EXISTS is a cheap probe into the clustered WITHOUT ROWID key; same SQL as shipped
    sql = ("SELECT s.indicator, s.region, o.period, o.value, o.realtime_start, o.batch_id, o.status "
           f"FROM observations o JOIN series s ON s.id = o.series_id WHERE {where} "
           "AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.series_id = o.series_id "
           f"AND n.period = o.period AND n.realtime_start > o.realtime_start{newer_cut}) "
           "ORDER BY s.indicator, s.region, o.period")
    return sql, params


def read_observations_fast(engine_or_conn, indicators=None, regions=None, as_of=None, start=None,
                           end=None) -> pd.DataFrame:
    """Drop-in for ``repo.read_observations`` (vintages=False): same columns, rows and order."""
    with repo._connect(engine_or_conn) as conn:
        dialect = conn.dialect.name
        sql, params = read_sql(dialect, indicators, regions, as_of, start, end)
        raw = conn.connection.driver_connection
        cur = raw.cursor(binary=True) if dialect == "postgresql" else raw.cursor()  # binary: cheaper decoding
        try:
            cur.execute(sql, params)
            rows = cur.fetchall()
        finally:
            cur.close()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = frame["value"].astype(float)
    if dialect != "postgresql":
        frame["realtime_start"] = pd.to_datetime(frame["realtime_start"], format="ISO8601")
    return frame


# --- the current read_observations, rows taken from the DBAPI cursor --------------------------

def read_observations_cursor(engine_or_conn, indicators=None, regions=None, as_of=None, start=None, end=None,
                             binary: bool = True) -> pd.DataFrame:
    """``repo.read_observations`` (a3d6402, vintages=False) with one change: the statement SQLAlchemy builds
    is compiled once and run on the DBAPI cursor — binary on PostgreSQL — so no ``Row`` object is made
    and no ``zip(*rows)`` walks them. Same SQL, same frame."""
    from sqlalchemy import select  # noqa: F401  (the builders below are repository's own)

    from storage import tables as t

    o, s = t.observations, t.series
    cutoff = repo._cutoff(as_of)
    series_cond, obs_cond = [], []
    if indicators is not None:
        series_cond.append(s.c.indicator.in_([indicators] if isinstance(indicators, str) else list(indicators)))
    if regions is not None:
        series_cond.append(s.c.region.in_([regions] if isinstance(regions, str) else list(regions)))
    if start:
        obs_cond.append(o.c.period >= start)
    if end:
        obs_cond.append(o.c.period <= end + "~")
    if cutoff is not None:
        obs_cond.append(o.c.realtime_start < cutoff)
    with repo._connect(engine_or_conn) as conn:
        pg = conn.dialect.name == "postgresql"
        q = (repo._newest_vintage_distinct_on(series_cond, obs_cond) if pg
             else repo._newest_vintage_anti_join(series_cond, obs_cond, cutoff))
        compiled = q.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
        params = compiled.params
        if not pg:  # qmark: positional, in the compiled order; datetimes in SQLAlchemy's text form
            params = [p.strftime("%Y-%m-%d %H:%M:%S.%f") if hasattr(p, "strftime") else p
                      for p in (compiled.params[k] for k in compiled.positiontup)]
        raw = conn.connection.driver_connection
        cur = raw.cursor(binary=True) if (pg and binary) else raw.cursor()
        try:
            cur.execute(compiled.string, params)
            rows = cur.fetchall()
        finally:
            cur.close()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["realtime_start"] = pd.to_datetime(frame["realtime_start"], format="ISO8601")
    frame["batch_id"] = frame["batch_id"].astype("int64")
    return frame


def read_observations_result_cursor(engine_or_conn, indicators=None, regions=None, as_of=None, start=None,
                                    end=None) -> pd.DataFrame:
    """The smallest form of the change ``read_observations_cursor`` measures, as it would read in
    ``repo.read_observations``: keep SQLAlchemy's statement and binding, take the rows from the DBAPI
    cursor behind the result (plain tuples, no ``Row`` objects), build the frame from them::

        result = conn.execute(q)
        rows = result.cursor.fetchall()      # was: rows = conn.execute(q).all(); columns = zip(*rows)
        result.close()
        frame = pd.DataFrame(rows, columns=OBSERVATION_FRAME)
    """
    from storage import tables as t

    o, s = t.observations, t.series
    cutoff = repo._cutoff(as_of)
    series_cond, obs_cond = [], []
    if indicators is not None:
        series_cond.append(s.c.indicator.in_([indicators] if isinstance(indicators, str) else list(indicators)))
    if regions is not None:
        series_cond.append(s.c.region.in_([regions] if isinstance(regions, str) else list(regions)))
    if start:
        obs_cond.append(o.c.period >= start)
    if end:
        obs_cond.append(o.c.period <= end + "~")
    if cutoff is not None:
        obs_cond.append(o.c.realtime_start < cutoff)
    with repo._connect(engine_or_conn) as conn:
        q = (repo._newest_vintage_distinct_on(series_cond, obs_cond) if conn.dialect.name == "postgresql"
             else repo._newest_vintage_anti_join(series_cond, obs_cond, cutoff))
        result = conn.execute(q)
        rows = result.cursor.fetchall()
        result.close()
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["value"] = frame["value"].astype(float)
    frame["realtime_start"] = pd.to_datetime(frame["realtime_start"], format="ISO8601")
    frame["batch_id"] = frame["batch_id"].astype("int64")
    return frame
