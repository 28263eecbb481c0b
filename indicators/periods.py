"""Statistical periods as published in China, with one canonical text label each.

Labels sort correctly as plain strings within one frequency, so they are stored as text:

* monthly ``2024-03``; the combined January–February release ``2024-01/02`` (sorts between
  ``2024-01`` and ``2024-02``);
* quarterly ``2024Q1``;
* annual ``2024``.

Year-to-date values for January–February are cumulative through February and are labelled
``2024-02``; the combined label is for flows and growth rates of the two months together.
"""

from __future__ import annotations

import calendar
import functools
import datetime as dt
import re
from dataclasses import dataclass

FREQUENCIES = ("M", "Q", "A")

_MONTH = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})月?$")
_COMBINED = re.compile(r"^(\d{4})[-/.年]?0?1\s*[-/~–至]\s*0?2月?$")
_QUARTER = re.compile(r"^(\d{4})\s*[-]?\s*[Qq季]\s*([1-4])$")
_QUARTER_ZH = re.compile(r"^(\d{4})年?第?([1-4一二三四])季度?$")
_QUARTER_NBS = re.compile(r"^([1-4])Q\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})年?$")
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


class PeriodError(ValueError):
    """A period that cannot be read; the message is bilingual."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    frequency: str  # "M", "Q" or "A"
    number: int  # month 1–12, quarter 1–4, or 1 for a year
    combined: bool = False  # January–February published together (label at month 2)

    @property
    def label(self) -> str:
        if self.frequency == "A":
            return f"{self.year}"
        if self.frequency == "Q":
            return f"{self.year}Q{self.number}"
        if self.combined:
            return f"{self.year}-01/02"
        return f"{self.year}-{self.number:02d}"

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.label

    @property
    def end_month(self) -> int:
        return {"A": 12, "Q": self.number * 3, "M": self.number}[self.frequency]

    @property
    def start_month(self) -> int:
        if self.frequency == "A":
            return 1
        if self.frequency == "Q":
            return self.number * 3 - 2
        return 1 if self.combined else self.number

    @property
    def end_date(self) -> dt.date:
        month = self.end_month
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def months(self) -> int:
        return self.end_month - self.start_month + 1


def parse_period(text: object, frequency: str | None = None) -> Period:
    """Read a period written the ways Chinese tables write it.

    Accepts ``2024-03``, ``2024/3``, ``2024年3月``, ``2024-01/02``, ``2024年1-2月``, ``2024Q1``,
    ``2024年第一季度``, ``1Q 2024`` (NBS English UI), ``2024`` and ``2024年``; a date such as
    ``2024/3/31`` (Wind) is read as the period ending that day when ``frequency`` is given.
    """
    return _parse_text(str(text), frequency)


@functools.lru_cache(maxsize=65_536)
def _parse_text(text: str, frequency: str | None) -> Period:
    # pure and called for every label of every series a page transforms: remembered (Period is frozen)
    raw = text.strip()
    if not raw or raw.lower() == "nan":
        raise PeriodError("时期为空 / period is empty")
    s = raw.replace(" ", "")
    if m := _COMBINED.match(s):
        return Period(int(m.group(1)), "M", 2, combined=True)
    if m := _QUARTER.match(s):
        return Period(int(m.group(1)), "Q", int(m.group(2)))
    if m := _QUARTER_ZH.match(s):
        q = m.group(2)
        return Period(int(m.group(1)), "Q", _ZH_DIGITS.get(q) or int(q))
    if m := _QUARTER_NBS.match(s):
        return Period(int(m.group(2)), "Q", int(m.group(1)))
    if m := re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$", s):
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return period_ending(day, frequency or "M")
    if m := _YEAR.match(s):
        if frequency in ("M", "Q"):
            raise PeriodError(
                f"时期“{raw}”是年份，但该指标按{'月' if frequency == 'M' else '季'}发布 / "
                f"period '{raw}' is a year but the indicator is {'monthly' if frequency == 'M' else 'quarterly'}"
            )
        return Period(int(m.group(1)), "A", 1)
    if m := _MONTH.match(s):
        month = int(m.group(2))
        if 1 <= month <= 12:
            return Period(int(m.group(1)), "M", month)
    raise PeriodError(
        f"无法识别的时期“{raw}”，应为 2024-03、2024-01/02、2024Q1 或 2024 / "
        f"unreadable period '{raw}': expected 2024-03, 2024-01/02, 2024Q1 or 2024"
    )


def period_ending(day: dt.date, frequency: str) -> Period:
    """The period of the given frequency that ends on (or contains) ``day``."""
    if frequency == "A":
        return Period(day.year, "A", 1)
    if frequency == "Q":
        return Period(day.year, "Q", (day.month - 1) // 3 + 1)
    return Period(day.year, "M", day.month)


def month_range(start: str, end: str) -> list[str]:
    """Monthly labels from ``start`` to ``end`` inclusive (no combined labels)."""
    a, b = parse_period(start), parse_period(end)
    out, y, m = [], a.year, a.end_month
    while (y, m) <= (b.year, b.end_month):
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def label_frequency(label: str) -> str:
    if "Q" in label:
        return "Q"
    return "M" if "-" in label else "A"
