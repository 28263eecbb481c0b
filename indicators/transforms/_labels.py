"""Shared helpers: read a period-labelled Series and build one back.

Every transform takes a ``pandas.Series`` of numbers indexed by period labels (see
:mod:`indicators.periods`) and returns one indexed by canonical labels, sorted, as float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from indicators.periods import Period, parse_period


def as_periods(series: pd.Series, name: str = "series") -> dict[Period, float]:
    """Read ``series`` into ``{Period: value}``; labels may be written any way ``parse_period`` reads.

    Raises ``ValueError`` on duplicate periods (after normalisation) or mixed frequencies.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by period labels")
    values = pd.to_numeric(series, errors="coerce").astype(float).to_numpy()
    out: dict[Period, float] = {}
    freqs = set()
    for label, value in zip(series.index, values, strict=True):
        p = parse_period(label)
        if p in out:
            raise ValueError(f"时期重复 / duplicate period {p.label} in {name}")
        out[p] = float(value)
        freqs.add(p.frequency)
    if len(freqs) > 1:
        raise ValueError(
            f"{name} 混合了不同频率 / {name} mixes frequencies {sorted(freqs)}; convert first"
        )
    return out


def frequency_of(periods: Iterable[Period]) -> str | None:
    for p in periods:
        return p.frequency
    return None


def build(values: Mapping[Period, float], name=None) -> pd.Series:
    """A float Series indexed by canonical labels in period order."""
    items = sorted(values.items(), key=lambda kv: sort_key(kv[0]))
    index = pd.Index([p.label for p, _ in items], dtype="str", name="period")
    data = np.array([v for _, v in items], dtype=float)
    return pd.Series(data, index=index, name=name, dtype=float)


def sort_key(p: Period) -> tuple:
    """Order periods in time; the combined January–February sorts just before February."""
    return (p.year, p.frequency, p.end_month, 0 if p.combined else 1)


def is_missing(value: float | None) -> bool:
    return value is None or not np.isfinite(value)


def month_period(year: int, month: int) -> Period:
    return Period(year, "M", month)


def combined_period(year: int) -> Period:
    return Period(year, "M", 2, combined=True)


def covered_months(p: Period) -> range:
    """Calendar months a monthly period covers (1–2 for the combined January–February)."""
    return range(p.start_month, p.end_month + 1)
