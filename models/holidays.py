"""Lunar-calendar festival regressors for seasonal adjustment (春节, 端午, 中秋).

Chinese New Year, the Dragon Boat Festival and the Mid-Autumn Festival follow the lunar calendar
and move between Gregorian months, so a fixed monthly seasonal factor cannot capture them.
Following Bell & Hillmer (1983) for Easter and Lin & Liu (2003) for the Chinese festivals, each
festival gets a regressor equal to the share of an *effect window* of days falling in each period,
assuming the effect is the same on every day of the window.

Construction (the X-13 ``genhol`` recipe, ``center = calendar``)
--------------------------------------------------------------------
For a festival on solar date :math:`d_y` in year :math:`y` and a window of ``before`` days before
it and ``after`` days from it, the window is the ``before + after`` days

.. math:: W_y = \\{d_y - \\text{before}, \\dots, d_y + \\text{after} - 1\\}

(``before=N, after=0`` is Lin & Liu's "N days before the festival" regressor; the default CNY
window runs from the week before 春节 to 元宵, the Lantern Festival on day 15). The raw regressor
for period :math:`t` (a month or a quarter) is

.. math:: h_t = \\sum_y |W_y \\cap t| \\, / \\, |W_y| ,

so that the shares of one year's window sum to one over the periods it touches. The regressor is
then *calendar centred*: for each calendar month (or quarter) :math:`m`, the mean of :math:`h_t`
over the complete years covering the requested span is subtracted,

.. math:: x_t = h_t - \\bar h_{m(t)} ,

so the regressor has zero mean in every calendar month and carries no fixed seasonal pattern:
the average festival effect stays in the seasonal factors and only the year-to-year movement
of the festival is assigned to the holiday component. X-13ARIMA-SEATS expects holiday regressors
built this way (``regression { usertype = holiday }``).

References
----------
Bell, W. R. and Hillmer, S. C. (1983). Modeling time series with calendar variation. *Journal of
the American Statistical Association*, 78, 526–534.

Lin, J.-L. and Liu, T.-S. (2003). Modeling lunar calendar holiday effects in Taiwan. *Taiwan
Economic Forecast and Policy*, 33(1), 1–37.

Monsell, B. C. / U.S. Census Bureau. ``genhol``: a utility for generating holiday regressors for
X-13ARIMA-SEATS, and "Notes on centering holiday regressors"; see also ``seasonal::genhol``
(Sax & Eddelbuettel, 2018, *Journal of Statistical Software* 87(11)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from lunardate import LunarDate

from models.base import ModelError

#: lunardate covers these solar years (its tables run 1900–2099)
LUNAR_YEARS = (1900, 2099)


@dataclass(frozen=True)
class Festival:
    """A lunar festival and its default effect window."""

    key: str
    name_zh: str
    name_en: str
    lunar_month: int
    lunar_day: int
    #: days of effect before the festival day
    before: int
    #: days of effect from the festival day on (the festival day counts as the first)
    after: int


FESTIVALS: dict[str, Festival] = {
    # Factories close in the week before 春节 and reopen by 元宵 (正月十五, day 14): 7 + 15 days.
    "cny": Festival("cny", "春节", "Chinese New Year", 1, 1, before=7, after=15),
    # The three-day public holiday around 端午 (五月初五).
    "dragon_boat": Festival("dragon_boat", "端午", "Dragon Boat Festival", 5, 5, before=1, after=2),
    # Gift and mooncake spending in the week before 中秋 (八月十五) and the day itself.
    "mid_autumn": Festival("mid_autumn", "中秋", "Mid-Autumn Festival", 8, 15, before=7, after=1),
}


def _festival(key: str) -> Festival:
    try:
        return FESTIVALS[key]
    except KeyError:
        raise ModelError(
            f"未知节日“{key}”（可选 {'、'.join(FESTIVALS)}） / unknown festival '{key}' "
            f"(choose from {', '.join(FESTIVALS)})"
        ) from None


def festival_dates(festival: str, start_year: int, end_year: int) -> pd.Series:
    """Solar (Gregorian) dates of a lunar festival, one per year.

    Parameters
    ----------
    festival : {"cny", "dragon_boat", "mid_autumn"}
    start_year, end_year : int
        Inclusive range of solar years, within 1900–2099.

    Returns
    -------
    pd.Series
        ``datetime64`` values indexed by the solar year.
    """
    fest = _festival(festival)
    if start_year < LUNAR_YEARS[0] or end_year > LUNAR_YEARS[1]:
        raise ModelError(
            f"农历换算只支持 {LUNAR_YEARS[0]}–{LUNAR_YEARS[1]} 年，请求 {start_year}–{end_year} / "
            f"lunar calendar covers {LUNAR_YEARS[0]}–{LUNAR_YEARS[1]} only, asked {start_year}–{end_year}"
        )
    years = range(start_year, end_year + 1)
    # Lunar year y's festival falls in solar year y for all three festivals (春节 is late Jan–Feb).
    dates = [LunarDate(y, fest.lunar_month, fest.lunar_day).to_solar_date() for y in years]
    return pd.Series(pd.to_datetime(dates), index=pd.Index(list(years), name="year"), name=fest.key)


def _check_index(index: pd.PeriodIndex) -> str:
    if not isinstance(index, pd.PeriodIndex) or not len(index):
        raise ModelError("需要非空的 PeriodIndex / a non-empty PeriodIndex is required")
    freq = (index.freqstr or "")[0]
    if freq not in ("M", "Q"):
        raise ModelError(f"节日回归量只支持月度或季度，实为 {index.freqstr} / "
                         f"holiday regressors need monthly or quarterly periods, found {index.freqstr}")
    return freq


def window_shares(index: pd.PeriodIndex, festival: str = "cny", before: int | None = None,
                  after: int | None = None, centre: bool = True) -> pd.Series:
    """Share of each year's festival effect window falling in each period, calendar centred.

    Parameters
    ----------
    index : pd.PeriodIndex
        Monthly or quarterly periods (any span inside 1900–2099; gaps allowed).
    festival : {"cny", "dragon_boat", "mid_autumn"}
    before, after : int, optional
        Window of ``before`` days before the festival and ``after`` days from the festival day
        on; defaults are the festival's (春节 7 + 15, 端午 1 + 2, 中秋 7 + 1).
    centre : bool, default True
        Subtract the calendar-month (quarter) means over the complete years covering ``index``
        (``genhol`` ``center = calendar``); ``False`` returns the raw shares.

    Returns
    -------
    pd.Series
        The regressor on ``index``, named by the festival key.

    Notes
    -----
    See the module docstring for the formula. Lin & Liu (2003) select the window lengths by AICc;
    the defaults here are documented starting points, not estimates.
    """
    freq = _check_index(index)
    fest = _festival(festival)
    before = fest.before if before is None else int(before)
    after = fest.after if after is None else int(after)
    if before < 0 or after < 0 or before + after == 0:
        raise ModelError(f"节日窗口天数无效（前 {before}，后 {after}） / invalid window "
                         f"(before={before}, after={after}): need before, after ≥ 0 and a non-empty window")
    # Whole years covering the span, plus one on each side so windows crossing New Year count.
    first, last = int(index.min().year), int(index.max().year)
    years = festival_dates(festival, max(first - 1, LUNAR_YEARS[0]), min(last + 1, LUNAR_YEARS[1]))
    length = before + after
    days = pd.DatetimeIndex(np.concatenate([
        pd.date_range(d - pd.Timedelta(days=before), periods=length, freq="D").to_numpy() for d in years
    ]))
    full = pd.period_range(pd.Period(f"{first}-01", freq=freq), pd.Period(f"{last}-12", freq=freq), freq=freq)
    share = days.to_period(freq).value_counts().reindex(full, fill_value=0).astype(float) / length
    if centre:
        position = full.month if freq == "M" else full.quarter
        share = share - share.groupby(position).transform("mean")
    out = share.reindex(index)
    out.name = fest.key
    return out


def holiday_regressors(index: pd.PeriodIndex, holidays: tuple[str, ...] | list[str] = ("cny",),
                       windows: dict[str, tuple[int, int]] | None = None, centre: bool = True) -> pd.DataFrame:
    """One calendar-centred window-share regressor per festival, as columns.

    Parameters
    ----------
    index : pd.PeriodIndex
        Monthly or quarterly periods; pass the observation span *plus* any forecast horizon,
        since X-13 needs regressor values for every period it forecasts.
    holidays : sequence of {"cny", "dragon_boat", "mid_autumn"}
    windows : dict, optional
        ``{festival: (before, after)}`` overriding the default windows.
    centre : bool, default True
        Calendar centring (see :func:`window_shares`).

    Returns
    -------
    pd.DataFrame
        Columns named by festival key, on ``index``.
    """
    windows = windows or {}
    if not holidays:
        return pd.DataFrame(index=index)
    columns = {}
    for key in holidays:
        before, after = windows.get(key, (None, None))
        columns[key] = window_shares(index, key, before=before, after=after, centre=centre)
    return pd.DataFrame(columns, index=index)


def default_window(festival: str) -> tuple[int, int]:
    """The ``(before, after)`` default window of a festival."""
    fest = _festival(festival)
    return fest.before, fest.after


def describe_window(festival: str, before: int | None = None, after: int | None = None) -> str:
    """A short bilingual description of the window, for summaries and reports."""
    fest = _festival(festival)
    b = fest.before if before is None else before
    a = fest.after if after is None else after
    if a == 0:
        return f"{fest.name_zh}前{b}天 / {fest.name_en}: the {b} days before"
    return (f"{fest.name_zh}前{b}天至{fest.name_zh}后第{a - 1}天 / "
            f"{fest.name_en}: {b} days before to {a - 1} days after")


__all__ = [
    "FESTIVALS", "Festival", "festival_dates", "window_shares", "holiday_regressors",
    "default_window", "describe_window", "LUNAR_YEARS",
]
