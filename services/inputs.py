"""Stored series in the form the models take: floats on a regular ``pd.PeriodIndex``.

The *analysis form* of an indicator is what its models work on:

* flows published as levels or year-to-date levels → single-period values (当月值/当季值), the
  year-to-date figures differenced;
* stocks, growth rates and indices → as published.

Chinese statistics publish January and February together. A combined label ``2024-01/02`` is put on
February's position with January left missing, and ``combined`` is reported so the seasonal model
can treat the pair as documented in ``models.seasonal``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators import transforms as tf
from indicators.periods import parse_period
from indicators.registry import Indicator
from services.context import Context
from services.series import stored_series


@dataclass
class ModelInput:
    indicator: Indicator
    region: str
    series: pd.Series  # PeriodIndex, float, NaN for gaps
    form: str  # single | level | growth | index
    jan_feb_combined: bool

    @property
    def is_level(self) -> bool:
        return self.form in ("single", "level")


def analysis_form(ind: Indicator) -> str:
    if ind.publication in ("level", "ytd_level") and ind.measure == "flow":
        return "single"
    if ind.publication in ("level", "ytd_level"):
        return "level"
    if ind.publication in ("growth", "ytd_growth"):
        return "growth"
    return "index"


def to_period_series(labelled: pd.Series, frequency: str) -> tuple[pd.Series, bool]:
    """Label-indexed values → a regular PeriodIndex series; whether a combined Jan–Feb label occurred."""
    freq = {"M": "M", "Q": "Q", "A": "Y"}[frequency]
    if labelled.empty:
        return pd.Series([], index=pd.PeriodIndex([], freq=freq), dtype=float), False
    combined = False
    positions, values = [], []
    for label, value in zip(labelled.index, labelled.to_numpy(dtype=float)):
        p = parse_period(label, frequency)
        combined |= p.combined
        if frequency == "M":
            positions.append(pd.Period(year=p.year, month=p.end_month, freq="M"))
        elif frequency == "Q":
            positions.append(pd.Period(year=p.year, quarter=p.end_month // 3, freq="Q"))
        else:
            positions.append(pd.Period(year=p.year, freq="Y"))
        values.append(value)
    s = pd.Series(values, index=pd.PeriodIndex(positions, freq=freq), dtype=float)
    s = s[~s.index.duplicated(keep="last")].sort_index()
    full = pd.period_range(s.index.min(), s.index.max(), freq=freq)
    return s.reindex(full), combined


def model_input(ctx: Context, indicator: str, region: str, as_of=None) -> ModelInput:
    ind = ctx.catalog[indicator]
    stored = stored_series(ctx, indicator, region, as_of=as_of).dropna()
    form = analysis_form(ind)
    if form == "single" and ind.publication == "ytd_level" and not stored.empty:
        stored = tf.ytd_to_monthly(stored) if ind.frequency == "M" else tf.accumulated_to_quarterly(stored)
    series, combined = to_period_series(stored, ind.frequency)
    return ModelInput(ind, region, series.astype(float), form, combined or ind.jan_feb_combined)


def growth_form(mi: ModelInput) -> pd.Series:
    """YoY growth (%) of the analysis form: the published growth, or growth recomputed from levels."""
    s = mi.series
    if mi.form in ("growth",):
        return s
    if mi.form == "index":
        # Indices on the preceding year (上年同期=100) read as growth; diffusion indices (PMI) as they are.
        return s - 100.0 if "上年" in mi.indicator.unit else s
    lag = 12 if mi.indicator.frequency == "M" else 4 if mi.indicator.frequency == "Q" else 1
    prev = s.shift(lag)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (s / prev - 1.0) * 100.0
    return out.where(prev > 0)


def period_labels(index: pd.PeriodIndex) -> list[str]:
    return [str(p) for p in index]
