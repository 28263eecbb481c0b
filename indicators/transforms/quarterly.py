"""Quarterly accumulated (累计值, year to date) ↔ current-quarter (当季值) values.

Quarterly GDP is published as accumulated values: Q2 means January–June. The current quarter is
the difference from the previous accumulated value of the same year; Q1 is the same in both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.periods import Period

from ._labels import as_periods, build, is_missing


def _require_quarterly(values: dict[Period, float], name: str) -> None:
    for p in values:
        if p.frequency != "Q":
            raise ValueError(f"{name} 须为季度序列 / {name} must be quarterly, found {p.label}")


def accumulated_to_quarterly(accumulated: pd.Series) -> pd.Series:
    """Current-quarter values: Q1 = A(Q1), Qn = A(Qn) − A(Qn−1) within the year.

    NaN when the accumulated value of the quarter or of the previous quarter is missing.
    """
    values = as_periods(accumulated, "accumulated")
    _require_quarterly(values, "accumulated")
    out = {}
    for p, v in values.items():
        if p.number == 1:
            out[p] = v
            continue
        prev = values.get(Period(p.year, "Q", p.number - 1), np.nan)
        out[p] = np.nan if is_missing(v) or is_missing(prev) else v - prev
    return build(out, accumulated.name)


def quarterly_to_accumulated(quarterly: pd.Series) -> pd.Series:
    """Accumulated values: the sum of the current quarters of the year so far.

    NaN from the first missing quarter of a year onwards (no partial sums).
    """
    values = as_periods(quarterly, "quarterly")
    _require_quarterly(values, "quarterly")
    out = {}
    for p in values:
        total = 0.0
        for q in range(1, p.number + 1):
            v = values.get(Period(p.year, "Q", q), np.nan)
            if is_missing(v):
                total = np.nan
                break
            total += v
        out[p] = total
    return build(out, quarterly.name)
