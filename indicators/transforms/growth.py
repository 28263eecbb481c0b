"""Growth rates from levels (同比, 环比), volume indices, and published versus recomputed growth.

Official growth rates are on a comparable basis (可比口径): the scope of 规模以上 units changes
every year and real growth uses constant prices, so they differ from growth recomputed from the
published levels. Keep both: :func:`compare_growth` puts them side by side and never replaces
one with the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.periods import Period

from ._labels import as_periods, build, is_missing, month_period


def _pct_change(now: float, base: float) -> float:
    """Percentage change; NaN when either is missing or the base is not positive.

    A change measured from a zero or negative base (a negative flow such as a net financing
    figure) has no meaningful sign or size, so it is left undefined.
    """
    if is_missing(now) or is_missing(base) or base <= 0:
        return np.nan
    return (now / base - 1.0) * 100.0


def year_earlier(p: Period) -> Period:
    return Period(p.year - 1, p.frequency, p.number, p.combined)


def previous_period(p: Period) -> Period | None:
    """The period just before ``p``; None for the combined January–February (nothing precedes it
    on the same footing)."""
    if p.frequency == "A":
        return Period(p.year - 1, "A", 1)
    if p.frequency == "Q":
        return Period(p.year, "Q", p.number - 1) if p.number > 1 else Period(p.year - 1, "Q", 4)
    if p.combined:
        return None
    return month_period(p.year, p.number - 1) if p.number > 1 else month_period(p.year - 1, 12)


def base_value(values: dict[Period, float], p: Period) -> float:
    """The level of the same period a year earlier.

    For a combined January–February the base is the previous year's combined value or, if that
    year published January and February separately, their sum.
    """
    prev = year_earlier(p)
    if prev in values and not is_missing(values[prev]):
        return values[prev]
    if p.combined:
        jan, feb = values.get(month_period(prev.year, 1)), values.get(month_period(prev.year, 2))
        if jan is not None and feb is not None and not (is_missing(jan) or is_missing(feb)):
            return jan + feb
    return np.nan


def yoy(levels: pd.Series) -> pd.Series:
    """Growth over the same period a year earlier (同比), in %: (x / x₋₁ − 1) × 100.

    Works on monthly, combined January–February (``YYYY-01/02`` against the previous
    ``YYYY-01/02``), quarterly and annual labels; year-to-date levels give year-to-date growth
    (累计增长). NaN for the first year (no base), a missing base, or a base ≤ 0.
    """
    values = as_periods(levels, "levels")
    out = {p: _pct_change(v, base_value(values, p)) for p, v in values.items()}
    return build(out, levels.name)


def mom(levels: pd.Series) -> pd.Series:
    """Growth over the previous period (环比), in %.

    Not defined across the combined January–February release: the combined entry and a March
    that follows it (with no separate February) are NaN; January compares with December of the
    previous year, Q1 with Q4.
    """
    values = as_periods(levels, "levels")
    out = {}
    for p, v in values.items():
        prev = previous_period(p)
        out[p] = _pct_change(v, values.get(prev, np.nan)) if prev is not None else np.nan
    return build(out, levels.name)


def compare_growth(published: pd.Series, recomputed: pd.Series, tolerance: float = 0.1) -> pd.DataFrame:
    """Published growth beside growth recomputed from levels, for every period in either.

    Columns: ``published`` and ``recomputed`` (%, unchanged), ``difference`` = published −
    recomputed in percentage points, and ``flag`` = True where |difference| > ``tolerance``
    (False where either is missing). Neither series is altered or substituted.
    """
    pub = as_periods(published, "published")
    rec = as_periods(recomputed, "recomputed")
    periods = set(pub) | set(rec)
    p_series = build({p: pub.get(p, np.nan) for p in periods})
    r_series = build({p: rec.get(p, np.nan) for p in periods})
    frame = pd.DataFrame({"published": p_series, "recomputed": r_series})
    frame["difference"] = frame["published"] - frame["recomputed"]
    frame["flag"] = (frame["difference"].abs() > tolerance).astype(bool)
    return frame


def index_to_growth(index: pd.Series | float, base: float = 100.0):
    """Growth in % from a volume index with the preceding period = ``base`` (上年同期=100):
    index − 100. Accepts a Series or a number."""
    return index - base


def growth_to_index(growth: pd.Series | float, base: float = 100.0):
    """A volume index (preceding period = ``base``) from growth in %: growth + 100."""
    return growth + base


__all__ = [
    "yoy",
    "mom",
    "compare_growth",
    "index_to_growth",
    "growth_to_index",
    "year_earlier",
    "previous_period",
]
