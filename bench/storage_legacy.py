"""The observation-store code as it was before commit a3d6402, kept verbatim so one benchmark run can
measure "before" and "after" on the same machine state.

* ``insert_observations`` / ``read_observations`` — copied from ``storage/repository.py`` at d5c3379
  (text COPY via ``DataFrame.to_csv``; per-row executemany on SQLite; NOT EXISTS anti-join read and a
  DataFrame built from SQLAlchemy ``Row`` objects).
* ``restore_foreign_keys`` — puts back the two foreign keys observations had then (series, batch).
"""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy import Connection, select, text

from storage import tables as t
from storage.repository import OBSERVATION_COLUMNS, _connect, _cutoff

_SQLITE_OBSERVATIONS_WITH_FKS = """
CREATE TABLE observations (
    series_id INTEGER NOT NULL, period VARCHAR(10) NOT NULL, realtime_start DATETIME NOT NULL,
    value FLOAT NOT NULL, batch_id INTEGER NOT NULL, status VARCHAR(10) NOT NULL,
    CONSTRAINT pk_observations PRIMARY KEY (series_id, period, realtime_start),
    CONSTRAINT fk_observations_batch_id_import_batches FOREIGN KEY(batch_id) REFERENCES import_batches (id),
    CONSTRAINT fk_observations_series_id_series FOREIGN KEY(series_id) REFERENCES series (id)
) WITHOUT ROWID
"""


def restore_foreign_keys(conn: Connection) -> None:
    """The observations table as of d5c3379: with FKs to series and import_batches (table must be empty)."""
    if conn.dialect.name == "postgresql":
        for name, col, ref in (("fk_observations_series_id_series", "series_id", "series (id)"),
                               ("fk_observations_batch_id_import_batches", "batch_id", "import_batches (id)")):
            exists = conn.execute(text("SELECT 1 FROM pg_constraint WHERE conname = :n AND conrelid = "
                                       "'observations'::regclass"), {"n": name}).first()
            if not exists:
                conn.execute(text(f"ALTER TABLE observations ADD CONSTRAINT {name} FOREIGN KEY ({col}) "
                                  f"REFERENCES {ref}"))
    else:
        conn.execute(text("DROP TABLE observations"))
        conn.execute(text(_SQLITE_OBSERVATIONS_WITH_FKS))


def insert_observations(conn: Connection, frame: pd.DataFrame) -> int:
    """Append observations (never updates). PostgreSQL gets COPY; others a batched executemany."""
    if frame.empty:
        return 0
    frame = frame[OBSERVATION_COLUMNS]
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(
            "COPY observations (series_id, period, realtime_start, value, batch_id, status) FROM STDIN"
        ) as copy:
            buf = io.StringIO()
            frame.to_csv(buf, sep="\t", header=False, index=False, date_format="%Y-%m-%d %H:%M:%S.%f")
            copy.write(buf.getvalue())
    else:
        records = list(frame.itertuples(index=False, name=None))
        raw = conn.connection.driver_connection
        raw.executemany(
            "INSERT INTO observations (series_id, period, realtime_start, value, batch_id, status) VALUES (?,?,?,?,?,?)",
            [(int(s), p, r.to_pydatetime() if hasattr(r, "to_pydatetime") else r, float(v), int(b), st)
             for s, p, r, v, b, st in records],
        )
    return len(frame)


def read_observations(engine_or_conn, indicators=None, regions=None, as_of=None, start=None, end=None,
                      vintages: bool = False) -> pd.DataFrame:
    """Observations as known on ``as_of`` (end of that day), or the latest when ``as_of`` is None."""
    o, s = t.observations, t.series
    cutoff = _cutoff(as_of)
    cond = []
    if indicators is not None:
        cond.append(s.c.indicator.in_([indicators] if isinstance(indicators, str) else list(indicators)))
    if regions is not None:
        cond.append(s.c.region.in_([regions] if isinstance(regions, str) else list(regions)))
    if start:
        cond.append(o.c.period >= start)
    if end:
        cond.append(o.c.period <= end + "~")  # "~" sorts after "/02", so "2024-02" includes "2024-01/02"
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
    with _connect(engine_or_conn) as conn:
        rows = conn.execute(q).all()
    frame = pd.DataFrame(rows, columns=["indicator", "region", "period", "value", "realtime_start", "batch_id", "status"])
    frame["value"] = frame["value"].astype(float)
    return frame
