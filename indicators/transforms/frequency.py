"""Frequency conversion: monthly → quarterly or annual, quarterly → annual.

How periods combine depends on the measure (see ``registry.Measure``):

* ``flow`` (sum over the period: output, sales, financing) — the sum of the sub-periods;
* ``stock`` (a position at a date: deposits, population) — the value at the end of the period
  (March for Q1, December or Q4 for a year);
* ``rate`` and ``index`` (rates, prices, diffusion indices) — the mean of the sub-periods,
  weighted by the months each covers.

The combined January–February entry (``YYYY-01/02``) covers two months of Q1. A period is
complete when every month of it is covered by a non-missing value (for a stock: when its last
month is there). Incomplete periods are NaN unless ``allow_incomplete=True``, in which case the
flow is the sum of what is there, the stock the latest value, the rate the mean of what is there.

Convert year-to-date levels to single-period values first (:mod:`.ytd`, :mod:`.quarterly`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from indicators.periods import Period

from ._labels import as_periods, build, frequency_of, is_missing

Measure = Literal["flow", "stock", "rate", "index"]
_HOW = {"flow": "sum", "stock": "last", "rate": "mean", "index": "mean", "sum": "sum", "last": "last", "mean": "mean"}


def _months(p: Period) -> range:
    """Calendar months covered (the combined January–February covers 1–2, a quarter three)."""
    return range(p.start_month, p.end_month + 1)


def _target(p: Period, to: str) -> Period:
    if to == "A":
        return Period(p.year, "A", 1)
    return Period(p.year, "Q", (p.end_month - 1) // 3 + 1)


def aggregate(series: pd.Series, to: str, measure: Measure = "flow", allow_incomplete: bool = False) -> pd.Series:
    """Convert ``series`` to frequency ``to`` ("Q" or "A") by the rule of ``measure`` (see module)."""
    if measure not in _HOW:
        raise ValueError(f"未知的计量类型 / unknown measure {measure!r}: flow, stock, rate or index")
    how = _HOW[measure]
    values = as_periods(series, "series")
    source = frequency_of(values)
    order = {"M": 0, "Q": 1, "A": 2}
    if to not in ("Q", "A"):
        raise ValueError(f"目标频率须为 Q 或 A / target frequency must be 'Q' or 'A', not {to!r}")
    if source is not None and order[source] >= order[to]:
        raise ValueError(f"不能从 {source} 转换为 {to} / cannot convert {source} to {to}")
    groups: dict[Period, list[tuple[Period, float]]] = {}
    for p, v in values.items():
        groups.setdefault(_target(p, to), []).append((p, v))

    out: dict[Period, float] = {}
    for target, members in groups.items():
        present = [(p, v) for p, v in members if not is_missing(v)]
        covered = {m for p, _ in present for m in _months(p)}
        needed = set(range(target.start_month, target.end_month + 1))
        if how == "last":
            at_end = [v for p, v in present if p.end_month == target.end_month]
            if at_end:
                out[target] = at_end[-1]
            elif allow_incomplete and present:
                out[target] = max(present, key=lambda pv: pv[0].end_month)[1]
            else:
                out[target] = np.nan
            continue
        complete = covered >= needed
        if not present or (not complete and not allow_incomplete):
            out[target] = np.nan
        elif how == "sum":
            out[target] = float(sum(v for _, v in present))
        else:
            weights = np.array([len(_months(p)) for p, _ in present], dtype=float)
            out[target] = float(np.average([v for _, v in present], weights=weights))
    return build(out, series.name)


def to_quarterly(monthly: pd.Series, measure: Measure = "flow", allow_incomplete: bool = False) -> pd.Series:
    """Monthly → quarterly (flows summed, stocks at the quarter's last month, rates averaged)."""
    return aggregate(monthly, "Q", measure, allow_incomplete)


def to_annual(series: pd.Series, measure: Measure = "flow", allow_incomplete: bool = False) -> pd.Series:
    """Monthly or quarterly → annual (flows summed, stocks at year end, rates averaged)."""
    return aggregate(series, "A", measure, allow_incomplete)
