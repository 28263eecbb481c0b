#!/usr/bin/env python
"""Repro: on SQLite, the d5c3379 ``insert_observations`` stored realtime_start without microseconds,
so "as of D" also returned a value released exactly at D+1 00:00:00 (PostgreSQL correctly does not).

That code handed datetimes to sqlite3's default adapter (``isoformat(" ")`` → ``2024-02-02 00:00:00``)
while SQLAlchemy binds the cutoff as ``2024-02-02 00:00:00.000000``; as strings the shorter one sorts
first, so ``realtime_start < cutoff`` is true for an equal instant. The current code (a3d6402) writes
SQLAlchemy's format, as ``bench/storage_alt.insert_observations_binary`` did. SQLite files written by
the old code keep the short form (see RESULTS.md for the one-line UPDATE). Prints one line per
inserter; exit code 1 when the current one shows the bug.

    python bench/check_sqlite_asof_boundary.py
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pandas as pd  # noqa: E402
from sqlalchemy import insert  # noqa: E402

import storage_legacy as legacy  # noqa: E402
from storage import repository as repo  # noqa: E402
from storage import tables as t  # noqa: E402
from storage.engine import make_engine, upgrade  # noqa: E402


def visible(inserter) -> tuple[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/s.sqlite")
        upgrade(engine)
        with engine.begin() as conn:
            conn.execute(insert(t.regions), [dict(adcode="450000", name_zh="广西", short_zh="广西", name_en="Guangxi",
                                                  level="province", parent=None, peer=False, sort_order=0)])
            conn.execute(insert(t.indicators), [dict(code="x", name_zh="x", name_en="x", domain="d", unit="u",
                                                     frequency="M", publication="level", measure="level",
                                                     source_unit="s", release_lag_days=0, decimals=1, spec={})])
            sid = repo.series_ids(conn, [("x", "450000")])[("x", "450000")]
            bid = repo.create_batch(conn, file_name="f", sha256="0" * 64, format="t", submitted_by="t",
                                    vintage=dt.datetime(2024, 2, 2), status="loaded")
            inserter(conn, pd.DataFrame({"series_id": [sid], "period": ["2024-01"],
                                         "realtime_start": [pd.Timestamp("2024-02-02 00:00:00")], "value": [1.0],
                                         "batch_id": [bid], "status": ["ok"]}))
            stored = conn.exec_driver_sql("SELECT realtime_start FROM observations").scalar()
        n = len(repo.read_observations(engine, "x", as_of=dt.date(2024, 2, 1)))
        engine.dispose()
        return stored, n


if __name__ == "__main__":
    bad = False
    for name, fn in (("d5c3379 insert_observations", legacy.insert_observations),
                     ("current insert_observations", repo.insert_observations)):
        stored, n = visible(fn)
        print(f"{name}: stored {stored!r}; as_of 2024-02-01 sees the 2024-02-02 00:00 release: "
              f"{'YES (wrong)' if n else 'no (right)'}")
        bad |= name.startswith("current") and n > 0
    sys.exit(1 if bad else 0)
