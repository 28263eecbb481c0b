"""Vintages: what was known on a given date (“what did we know on date D”).

Revisions are kept as separate rows, each with the date it became known (``realtime_start``).
The value known as of a date is, per period, the row with the latest ``realtime_start`` on or
before that date; a date means the whole day (a revision released at 16:00 on D is known
as of D).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from indicators.periods import parse_period

from ._labels import sort_key

REQUIRED = ("period", "realtime_start", "value")


def _naive(ts: pd.Series | pd.Timestamp):
    """Timestamps without a time zone (aware ones are expressed in their own local time)."""
    if isinstance(ts, pd.Series):
        return ts.dt.tz_localize(None) if ts.dt.tz is not None else ts
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def _to_datetime(values: pd.Series) -> pd.Series:
    """ISO dates or datetimes (or date objects) as naive timestamps; mixed time zones go to UTC."""
    try:
        return _naive(pd.to_datetime(values, format="ISO8601"))
    except ValueError:
        return pd.to_datetime(values, format="ISO8601", utc=True).dt.tz_localize(None)


def _check(frame: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValueError(f"缺少列 / missing columns: {', '.join(missing)}")


def _pick(frame: pd.DataFrame, as_of, by: Sequence[str] | None) -> pd.DataFrame:
    _check(frame)
    keys = [*(by or ()), "period"]
    data = frame.copy()
    data["realtime_start"] = _to_datetime(data["realtime_start"])
    if as_of is not None:
        day = pd.Timestamp(as_of)
        day = _naive(day).normalize() + pd.Timedelta(days=1)  # end of the as-of day, inclusive
        data = data[data["realtime_start"] < day]
    data = data.assign(_order=range(len(data))).sort_values(["realtime_start", "_order"], kind="stable")
    picked = data.groupby(keys, sort=False, dropna=False).tail(1).drop(columns="_order")
    # period order within each key group
    picked = picked.assign(_key=[sort_key(parse_period(p)) for p in picked["period"]])
    picked = picked.sort_values([*(by or ()), "_key"], kind="stable").drop(columns="_key")
    return picked.reset_index(drop=True)


def select_vintage(frame: pd.DataFrame, as_of: str | dt.date | dt.datetime | pd.Timestamp, by: Sequence[str] | None = None):
    """The value of each period as known on ``as_of`` (inclusive, to the end of that day).

    ``frame`` has columns ``period``, ``realtime_start`` and ``value`` (several rows per period,
    one per vintage). Periods first published after ``as_of`` are absent. Returns a float
    Series indexed by period label; with ``by`` (extra key columns such as ``region``), the
    chosen rows as a DataFrame instead. Ties on ``realtime_start`` go to the later row.
    """
    picked = _pick(frame, as_of, by)
    if by:
        return picked
    return _to_series(picked)


def latest(frame: pd.DataFrame, by: Sequence[str] | None = None):
    """The current vintage of each period (the latest ``realtime_start``)."""
    picked = _pick(frame, None, by)
    if by:
        return picked
    return _to_series(picked)


def _to_series(picked: pd.DataFrame) -> pd.Series:
    index = pd.Index([str(p) for p in picked["period"]], dtype="str", name="period")
    return pd.Series(pd.to_numeric(picked["value"], errors="coerce").to_numpy(dtype=float), index=index, name="value")
