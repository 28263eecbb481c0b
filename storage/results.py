"""Reads and writes of analytics results (the tables under "analytics results" in ``tables.py``).

A refresh task replaces every row of the subject it recomputed (one series, one region, one index)
inside one transaction, so a reader sees either the old results or the new ones, never a mix.
Alerts are the exception: their state is a user's decision, so a re-found alert keeps its state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, delete, insert, select, update

from storage import tables as t
from storage.repository import _connect, _upsert, utcnow

ALERT_STATES = ("new", "acknowledged", "closed")


def _records(frame: pd.DataFrame, columns: list[str], fixed: Mapping[str, object]) -> list[dict]:
    out = []
    data = {c: frame[c].to_numpy(dtype=object) if c in frame else [None] * len(frame) for c in columns}
    for i in range(len(frame)):
        row = dict(fixed)
        for c in columns:
            v = data[c][i]
            if isinstance(v, (float, np.floating)) and not np.isfinite(v):
                v = None
            elif isinstance(v, np.generic):
                v = v.item()
            row[c] = v
        out.append(row)
    return out


def replace_rows(conn: Connection, table, subject: Mapping[str, object], frame: pd.DataFrame | None) -> int:
    """Delete the subject's rows and insert ``frame`` (its columns named as the table's)."""
    conn.execute(delete(table).where(and_(*(table.c[k] == v for k, v in subject.items()))))
    if frame is None or frame.empty:
        return 0
    columns = [c.name for c in table.c if c.name not in subject and c.name in frame.columns]
    rows = _records(frame, columns, subject)
    conn.execute(insert(table), rows)
    return len(rows)


def read_table(engine_or_conn, table, order_by: tuple[str, ...] = (), **where) -> pd.DataFrame:
    """Rows of ``table`` matching ``column=value`` (a list or tuple value means IN)."""
    conds = []
    for k, v in where.items():
        if v is None:
            continue
        conds.append(table.c[k].in_(list(v)) if isinstance(v, (list, tuple, set, frozenset)) else table.c[k] == v)
    q = select(table)
    if conds:
        q = q.where(and_(*conds))
    if order_by:
        q = q.order_by(*(table.c[c] for c in order_by))
    with _connect(engine_or_conn) as conn:
        rows = conn.execute(q).all()
    names = [c.name for c in table.c]
    if not rows:
        return pd.DataFrame(columns=names)
    # columns of plain values: a frame built from row mappings takes pandas' slow path (2.5× here)
    return pd.DataFrame({name: list(col) for name, col in zip(names, zip(*rows))}, columns=names)


# --- targets ----------------------------------------------------------------------------------

def replace_targets(conn: Connection, frame: pd.DataFrame, origin: str) -> int:
    conn.execute(delete(t.targets).where(t.targets.c.origin == origin))
    frame = frame.assign(direction=frame.get("direction", "at_least"), aggregation=frame.get("aggregation", "sum"))
    rows = _records(frame, ["indicator", "region", "year", "target", "basis", "direction", "aggregation", "note"],
                    {"origin": origin})
    _upsert(conn, t.targets, rows, ["indicator", "region", "year"])
    return len(rows)


# --- alerts -----------------------------------------------------------------------------------

def merge_alerts(conn: Connection, kind: str, subject: Mapping[str, str], frame: pd.DataFrame) -> int:
    """Store the alerts a detector found for one subject, keeping the state of known alerts.

    Alerts of the subject that are no longer found are marked not current rather than deleted, so
    that a user's acknowledgement is not lost if a revision brings the alert back.
    """
    a = t.alerts
    cond = and_(a.c.kind == kind, *(a.c[k] == v for k, v in subject.items()))
    existing = {r.period: r.id for r in conn.execute(select(a.c.id, a.c.period).where(cond))}
    now = utcnow()
    conn.execute(update(a).where(cond).values(current=False))
    found = 0
    columns = ["period", "score", "severity", "direction", "message_zh", "message_en", "drivers"]
    for row in _records(frame, columns, {}):
        values = {k: row[k] for k in columns if k != "period"}
        if row["period"] in existing:
            conn.execute(update(a).where(a.c.id == existing[row["period"]]).values(current=True, **values))
        else:
            conn.execute(insert(a).values(kind=kind, period=row["period"], state="new", created_at=now,
                                          updated_at=now, current=True, indicator=subject.get("indicator", ""),
                                          region=subject["region"], **values))
        found += 1
    return found


def set_alert_state(conn: Connection, alert_id: int, state: str, user: str) -> bool:
    if state not in ALERT_STATES:
        raise ValueError(f"未知状态“{state}” / unknown state '{state}' ({', '.join(ALERT_STATES)})")
    res = conn.execute(update(t.alerts).where(t.alerts.c.id == alert_id)
                       .values(state=state, updated_at=utcnow(), updated_by=user))
    return res.rowcount == 1


# --- refresh task log -------------------------------------------------------------------------

def run_fingerprints(engine_or_conn) -> dict[str, tuple[str, str]]:
    """task → (fingerprint, status) of the last run."""
    with _connect(engine_or_conn) as conn:
        rows = conn.execute(select(t.model_runs.c.task, t.model_runs.c.fingerprint, t.model_runs.c.status))
        return {r.task: (r.fingerprint, r.status) for r in rows}


def record_run(conn: Connection, task: str, kind: str, fingerprint: str, status: str, summary, error: str | None,
               started_at: dt.datetime, seconds: float, data_version: int) -> None:
    _upsert(conn, t.model_runs, [dict(task=task, kind=kind, fingerprint=fingerprint, status=status, summary=summary,
                                      error=error, started_at=started_at, seconds=seconds,
                                      data_version=data_version)], ["task"])


def series_fingerprints(engine_or_conn) -> dict[tuple[str, str], str]:
    """(indicator, region) → a short fingerprint of its stored vintages (count and newest vintage)."""
    from sqlalchemy import func

    o, s = t.observations, t.series
    q = (select(s.c.indicator, s.c.region, func.count(), func.max(o.c.realtime_start), func.sum(o.c.value))
         .select_from(o.join(s, s.c.id == o.c.series_id)).group_by(s.c.indicator, s.c.region))
    with _connect(engine_or_conn) as conn:
        return {(ind, reg): f"{n}|{newest}|{total:.6g}" for ind, reg, n, newest, total in conn.execute(q)}
