"""Contributions to growth (拉动, 贡献率) and shares (占比).

* 拉动 — contribution to the growth of the total in percentage points:
  (part_now − part_prev) / total_prev × 100. The contributions of all parts add up to the
  growth of the total.
* 贡献率 — contribution rate: the part's increment as a share of the total's increment, in %.
  The rates of all parts add up to 100.
* 占比 — share of a part in the total, in %.

All functions work on numbers or on Series (aligned on their index, i.e. on period labels);
a zero or missing denominator gives NaN, never infinity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._labels import as_periods, build
from .growth import year_earlier

Number = float | int | pd.Series


def _ratio(num, den):
    """num / den × 100 with NaN where den is 0 or missing."""
    if isinstance(num, pd.Series) or isinstance(den, pd.Series):
        with np.errstate(divide="ignore", invalid="ignore"):
            result = num / den * 100.0
        result = result.astype(float)
        return result.where(np.isfinite(result))
    num_f, den_f = float(num), float(den)
    if den_f == 0 or not np.isfinite(den_f) or not np.isfinite(num_f):
        return np.nan
    return num_f / den_f * 100.0


def contribution_pp(part_now: Number, part_prev: Number, total_prev: Number):
    """Contribution of a part to the growth of the total, in percentage points (拉动):
    (part_now − part_prev) / total_prev × 100."""
    return _ratio(part_now - part_prev, total_prev)


def contribution_rate(part_increment: Number, total_increment: Number):
    """Contribution rate (贡献率), in %: part_increment / total_increment × 100."""
    return _ratio(part_increment, total_increment)


def share(part: Number, total: Number):
    """Share of ``part`` in ``total`` (占比), in %."""
    return _ratio(part, total)


def contribution_pp_yoy(part: pd.Series, total: pd.Series) -> pd.Series:
    """拉动 against the same period a year earlier, from the level series of a part and the total
    (same labels, e.g. quarterly current-quarter values of an industry and of GDP)."""
    p = as_periods(part, "part")
    t = as_periods(total, "total")
    out = {}
    for period, now in p.items():
        prev = year_earlier(period)
        out[period] = contribution_pp(now, p.get(prev, np.nan), t.get(prev, np.nan))
    return build(out, part.name)


def contribution_rate_yoy(part: pd.Series, total: pd.Series) -> pd.Series:
    """贡献率 against the same period a year earlier, from level series of a part and the total."""
    p = as_periods(part, "part")
    t = as_periods(total, "total")
    out = {}
    for period, now in p.items():
        prev = year_earlier(period)
        out[period] = contribution_rate(
            now - p.get(prev, np.nan), t.get(period, np.nan) - t.get(prev, np.nan)
        )
    return build(out, part.name)
