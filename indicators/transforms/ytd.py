"""Year-to-date (累计值) ↔ single-month (当月值) values, with the combined January–February release.

NBS publishes most monthly flows for January and February together: the first year-to-date figure
of a year is the total through February, labelled ``YYYY-02`` (``YYYY-01/02`` is accepted as the
same thing), and no January figure exists. Differencing therefore gives a combined
``YYYY-01/02`` monthly entry, not a January and a February. The split is done only when asked.
"""

from __future__ import annotations

import calendar
from typing import Literal

import numpy as np
import pandas as pd

from indicators.periods import Period

from ._labels import as_periods, build, combined_period, covered_months, is_missing, month_period

SplitRule = Literal["equal", "days"] | None


def _require_monthly(values: dict[Period, float], name: str) -> None:
    for p in values:
        if p.frequency != "M":
            raise ValueError(f"{name} 须为月度序列 / {name} must be monthly, found {p.label}")


def _split_weights(year: int, rule: str) -> tuple[float, float]:
    if rule == "equal":
        return 0.5, 0.5
    if rule == "days":
        feb = calendar.monthrange(year, 2)[1]
        return 31 / (31 + feb), feb / (31 + feb)
    raise ValueError(f"未知的拆分规则 / unknown split rule {rule!r}: use None, 'equal' or 'days'")


def split_combined(value: float, year: int, rule: str) -> tuple[float, float]:
    """Split a combined January–February value into (January, February) by ``rule``.

    ``"equal"``: two equal halves. ``"days"``: in proportion to the days of each month,
    31 : 28 (31 : 29 in a leap year).
    """
    wj, wf = _split_weights(year, rule)
    return value * wj, value * wf


def ytd_to_monthly(ytd: pd.Series, split_jan_feb: SplitRule = None) -> pd.Series:
    """Single-month values from year-to-date values by differencing within each year.

    * Month *m* = YTD(*m*) − YTD(*m*−1) of the same year; NaN when either is missing (a gap in
      the YTD series makes that month and the next one unknown).
    * When the year has a January YTD figure, January = YTD(1) and February = YTD(2) − YTD(1).
    * When it has none (the usual 1-2月 release), the YTD through February (label ``YYYY-02``
      or ``YYYY-01/02``) becomes a combined ``YYYY-01/02`` entry and January stays missing.
    * ``split_jan_feb`` splits that combined entry into ``YYYY-01`` and ``YYYY-02`` only when
      asked: ``"equal"`` gives each month half; ``"days"`` splits in proportion to the number
      of days, 31 : 28 (31 : 29 in leap years). The split is a convention, not data.
    """
    if split_jan_feb is not None:
        _split_weights(2001, split_jan_feb)  # validate the rule early
    values = as_periods(ytd, "ytd")
    _require_monthly(values, "ytd")
    # YTD is cumulative through the end month: a combined label means "through February".
    cum: dict[tuple[int, int], float] = {}
    for p, v in values.items():
        key = (p.year, p.end_month)
        if key in cum:
            raise ValueError(f"累计值重复 / two year-to-date values through {p.year}-{p.end_month:02d}")
        cum[key] = v
    for key in [k for k, v in cum.items() if k[1] == 1 and is_missing(v)]:
        del cum[key]  # a NaN January is no January: February then carries the combined value

    out: dict[Period, float] = {}
    for (year, month), v in cum.items():
        if month == 1:
            out[month_period(year, 1)] = v
            continue
        prev_key = (year, month - 1)
        if month == 2 and prev_key not in cum:
            # the combined January–February release
            if split_jan_feb is None or is_missing(v):
                out[combined_period(year)] = v
            else:
                jan, feb = split_combined(v, year, split_jan_feb)
                out[month_period(year, 1)] = jan
                out[month_period(year, 2)] = feb
            continue
        prev = cum.get(prev_key, np.nan)
        out[month_period(year, month)] = v - prev if not (is_missing(v) or is_missing(prev)) else np.nan
    return build(out, ytd.name)


def monthly_to_ytd(monthly: pd.Series) -> pd.Series:
    """Year-to-date values by accumulating single-month values within each year.

    A combined ``YYYY-01/02`` entry counts as January plus February and produces ``YYYY-02``
    (the label for YTD through February); a January entry produces ``YYYY-01``. A month whose
    YTD would need a missing or NaN month of the same year is NaN (no partial sums).
    """
    values = as_periods(monthly, "monthly")
    _require_monthly(values, "monthly")
    combined_years = {p.year for p in values if p.combined}
    values = {  # a NaN January or February beside a combined value is no value
        p: v for p, v in values.items()
        if p.combined or p.year not in combined_years or p.number > 2 or not is_missing(v)
    }
    by_month: dict[tuple[int, int], float] = {}
    for p, v in values.items():
        for m in covered_months(p):
            if (p.year, m) in by_month:
                raise ValueError(
                    f"{p.year}年1-2月合并值与单月值同时存在 / {p.year}: both a combined January–February "
                    "value and separate January or February values"
                )
            by_month[(p.year, m)] = v if (not p.combined or m == 2) else 0.0
    out: dict[Period, float] = {}
    for p in values:
        total = 0.0
        for m in range(1, p.end_month + 1):
            v = by_month.get((p.year, m), np.nan)
            if is_missing(v):
                total = np.nan
                break
            total += v
        out[month_period(p.year, p.end_month)] = total
    return build(out, monthly.name)
