"""The figures a monthly report states, read once and turned into checkable facts.

``ReportData`` reads the observations a report needs in one query (the report's region, the 14
cities or the peer provinces for ranks, two years back) and answers "the value of this indicator,
in this form, at the latest period up to the report month" with a :class:`reports.model.Fact`
whose ``source`` names exactly what ``python app.py series`` prints for it. Transforms go through
``services.series.apply_transform`` — the same code the CLI and the screens use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from indicators.periods import PeriodError, parse_period
from indicators.registry import Indicator
from indicators.units import english as unit_en
from reports.model import Fact
from services.context import Context
from services.region_view import alternate_label, growth_companion
from services.series import SeriesRequestError, apply_transform
from storage import repository as repo

# How far before the report month a figure may be and still be "the latest" (a quarterly figure
# is current for the quarter after it; an annual one for the year after).
STALE_MONTHS = {"M": 2, "Q": 5, "A": 23}
MIN_RANKED = 10  # rank among the cities only when at least this many have the figure
MIN_PEERS = 5


def month_end(month: str) -> dt.date:
    return parse_period(month, "M").end_date


def period_end(label: str) -> dt.date:
    return parse_period(label).end_date


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


@dataclass(frozen=True)
class Growth:
    """How an indicator's year-on-year growth is read: from which code, in which transform."""

    code: str
    transform: str  # "level" (a published rate) or "yoy" (recomputed; an index minus 100)
    kind: str  # growth | price


def base_name(ind: Indicator, lang: str) -> str:
    """规模以上工业增加值累计增长 → 规模以上工业增加值: the thing whose growth a rate is."""
    if lang == "en":
        name = ind.name_en.split(", ")[0] if ind.is_growth else ind.name_en
        # mid-sentence: "value added of the primary industry", but "RMB deposits", "CPI" keep their capitals
        return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
    name = ind.name_zh
    if ind.is_growth:
        for suffix in ("累计增长", "当月增长", "当季增长", "同比增长", "增长"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
    return name


def amount_en(unit: str) -> str:
    """The unit after an amount in English text: "%" sticks to the number, others in brackets."""
    u = unit_en(unit)
    return u if u in ("%", "") else f" ({u})"


class ReportData:
    """Observations of ``codes`` for ``regions`` (latest vintages, or as known on ``as_of``)."""

    def __init__(self, ctx: Context, codes, regions, month: str, as_of: dt.date | None = None):
        self.ctx, self.month, self.as_of = ctx, month, as_of
        self.end = month_end(month)
        start = str(self.end.year - 2)
        frame = repo.read_observations(ctx.engine, list(dict.fromkeys(codes)), list(dict.fromkeys(regions)),
                                       as_of=as_of, start=start, end=month[:4])
        self.stored: dict[tuple[str, str], pd.Series] = {}
        for (code, reg), rows in frame.groupby(["indicator", "region"], sort=False):
            s = pd.Series(rows["value"].to_numpy(dtype=float), index=rows["period"].astype(str).to_numpy())
            self.stored[(code, reg)] = s[~s.index.duplicated(keep="last")].sort_index().dropna()
        self._transformed: dict[tuple[str, str, str], pd.Series] = {}

    # ---- series -------------------------------------------------------------------------------

    def series(self, code: str, region: str, transform: str = "level") -> pd.Series:
        """Values by period label, as ``app.py series CODE REGION --transform T`` prints them."""
        key = (code, region, transform)
        if key not in self._transformed:
            stored = self.stored.get((code, region), pd.Series(dtype=float))
            if transform == "level" or stored.empty:
                out = stored
            else:
                try:
                    out = apply_transform(self.ctx.catalog[code], stored, transform)[0].dropna()
                except (SeriesRequestError, PeriodError, ValueError, KeyError):
                    out = pd.Series(dtype=float)
            self._transformed[key] = out
        return self._transformed[key]

    def latest_period(self, code: str, region: str, transform: str = "level") -> str | None:
        """The newest period up to the report month, if it is recent enough to be reported."""
        s = self.series(code, region, transform)
        if s.empty:
            return None
        freq = self.ctx.catalog[code].frequency
        best = None
        for label in s.index:
            end = period_end(label)
            if end <= self.end and (best is None or end > best[1]):
                best = (label, end)
        if best is None or months_between(best[1], self.end) > STALE_MONTHS.get(freq, 2):
            return None
        return best[0]

    def at(self, code: str, region: str, period: str | None, transform: str = "level") -> tuple[str, float] | None:
        """(label, value) at ``period``; a combined Jan–Feb may be spelt ``-01/02`` or ``-02``."""
        if period is None:
            return None
        s = self.series(code, region, transform)
        for label in dict.fromkeys((period, alternate_label(period))):
            if label in s.index:
                return label, float(s[label])
        return None

    def previous(self, code: str, region: str, period: str, transform: str = "level",
                 same_year: bool = False) -> str | None:
        """The period before ``period`` in the series (within the year for year-to-date figures)."""
        s = self.series(code, region, transform)
        end = period_end(period)
        earlier = [(period_end(p), p) for p in s.index if period_end(p) < end]
        if same_year:
            earlier = [e for e in earlier if e[0].year == end.year]
        return max(earlier)[1] if earlier else None

    def year_earlier(self, code: str, region: str, period: str) -> str | None:
        p = parse_period(period)
        label = type(p)(p.year - 1, p.frequency, p.number, p.combined).label
        return label if self.at(code, region, label) else None

    # ---- facts ------------------------------------------------------------------------------------

    def fact(self, code: str, region: str, period: str | None, transform: str = "level", *,
             decimals: int | None = None, unit: str | None = None, absolute: bool = False) -> Fact | None:
        found = self.at(code, region, period, transform)
        if found is None:
            return None
        label, value = found
        ind = self.ctx.catalog[code]
        return Fact(value, ind.decimals if decimals is None else decimals,
                    (ind.unit if transform == "level" else "%") if unit is None else unit,
                    series_source(code, region, label, transform), absolute)

    def diff(self, a: Fact | None, b: Fact | None, unit: str = "个百分点") -> Fact | None:
        """a − b as a fact (a change in a rate, in percentage points)."""
        if a is None or b is None:
            return None
        return Fact(a.value - b.value, a.decimals, unit, {"kind": "diff", "a": a.source, "b": b.source}, absolute=True)

    def growth_of(self, ind: Indicator) -> Growth | None:
        """Where the year-on-year growth of ``ind`` comes from: the published companion rate first
        (comparable basis, never replaced by growth recomputed from levels), else recomputed."""
        if ind.is_growth:
            return Growth(ind.code, "level", "price" if "价格" in ind.name_zh else "growth")
        companion = growth_companion(self.ctx, ind.code)
        if companion:
            return Growth(companion, "level", "growth")
        if ind.publication == "index" and "上年" in ind.unit:
            return Growth(ind.code, "yoy", "price")
        if ind.measure in ("flow", "stock") and ind.publication in ("level", "ytd_level"):
            return Growth(ind.code, "yoy", "growth")
        return None

    def rank(self, code: str, transform: str, period: str, region: str, among: list[str],
             polarity: str, minimum: int) -> tuple[Fact, Fact] | None:
        """(rank, out of) of ``region`` among ``among`` on one figure at one period; 1 = best."""
        values = {}
        for r in among:
            found = self.at(code, r, period, transform)
            if found is not None:
                values[r] = found[1]
        if region not in values or len(values) < minimum:
            return None
        ascending = polarity == "lower_better"
        mine = values[region]
        better = sum(1 for v in values.values() if (v < mine if ascending else v > mine))
        source = {"kind": "rank", "indicator": code, "transform": transform, "period": period, "region": region,
                  "among": sorted(values), "polarity": polarity}
        return (Fact(better + 1, 0, "位", source),
                Fact(len(values), 0, "个", {**source, "kind": "count"}))

    def pull(self, growth: Fact | None, part: str, total: str, region: str) -> Fact | None:
        """拉动: the part's growth × its share of the total a year earlier, in percentage points."""
        if growth is None:
            return None
        period = growth.source["period"]
        before = self.year_earlier(part, region, period)
        if before is None or self.at(total, region, before) is None:
            return None
        p_prev, t_prev = self.fact(part, region, before), self.fact(total, region, before)
        if not t_prev.value:
            return None
        return Fact(growth.value * p_prev.value / t_prev.value, 1, "个百分点",
                    {"kind": "pull", "growth": growth.source, "part_prev": p_prev.source,
                     "total_prev": t_prev.source}, absolute=True)


def series_source(code: str, region: str, period: str, transform: str = "level") -> dict:
    return {"kind": "series", "indicator": code, "region": region, "period": period, "transform": transform}
