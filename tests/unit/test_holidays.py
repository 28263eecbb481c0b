"""Lunar festival regressors: dates, window shares, calendar centring (models/holidays.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from models.base import ModelError
from models.holidays import describe_window, festival_dates, holiday_regressors, window_shares

MONTHS = pd.period_range("2000-01", "2030-12", freq="M")


def test_festival_dates_known_years():
    cny = festival_dates("cny", 2023, 2025)
    assert list(cny.dt.date) == [dt.date(2023, 1, 22), dt.date(2024, 2, 10), dt.date(2025, 1, 29)]
    assert festival_dates("dragon_boat", 2024, 2024).iloc[0].date() == dt.date(2024, 6, 10)
    assert festival_dates("mid_autumn", 2024, 2024).iloc[0].date() == dt.date(2024, 9, 17)


def test_raw_shares_count_days_of_the_window():
    # 2024: 春节 on 10 Feb; default window 7 days before + 15 from the day: 3 Feb – 24 Feb, all in February
    raw = window_shares(MONTHS, "cny", centre=False)
    assert raw["2024-02"] == 1.0 and raw["2024-01"] == 0.0
    # 2023: 春节 on 22 Jan; window 15 Jan – 5 Feb: 17 days in January, 5 in February
    assert raw["2023-01"] == pytest.approx(17 / 22)
    assert raw["2023-02"] == pytest.approx(5 / 22)
    # N days before only (Lin & Liu's "before" regressor): 10 days before 22 Jan 2023 all in January
    before = window_shares(MONTHS, "cny", before=10, after=0, centre=False)
    assert before["2023-01"] == 1.0
    # every year's shares sum to one
    per_year = raw.groupby(raw.index.year).sum()
    np.testing.assert_allclose(per_year.to_numpy(), 1.0)


def test_calendar_centring_gives_zero_mean_per_calendar_month():
    regs = holiday_regressors(MONTHS, ("cny", "dragon_boat", "mid_autumn"))
    means = regs.groupby(MONTHS.month).mean()
    np.testing.assert_allclose(means.to_numpy(), 0.0, atol=1e-12)
    # the regressors move: not identically zero
    assert (regs.std() > 0.05).all()
    # centred = raw minus the calendar-month mean
    raw = window_shares(MONTHS, "cny", centre=False)
    assert regs["cny"]["2023-01"] == pytest.approx(raw["2023-01"] - raw[MONTHS.month == 1].mean())


def test_partial_span_is_centred_over_the_whole_years_covering_it():
    part = pd.period_range("2011-03", "2019-10", freq="M")
    regs = holiday_regressors(part, ("cny",))
    full = holiday_regressors(pd.period_range("2011-01", "2019-12", freq="M"), ("cny",))
    pd.testing.assert_frame_equal(regs, full.reindex(part))


def test_quarterly_regressors():
    quarters = pd.period_range("2000Q1", "2030Q4", freq="Q")
    regs = holiday_regressors(quarters, ("cny", "mid_autumn"), centre=False)
    # the CNY window (mid-January to early March) never leaves Q1: constant, nothing to estimate
    assert (regs["cny"][quarters.quarter == 1] == 1.0).all()
    # Mid-Autumn moves between Q3 and Q4 (e.g. 2001: 1 October)
    assert regs["mid_autumn"]["2001Q4"] > 0 and regs["mid_autumn"]["2002Q3"] == 1.0
    centred = holiday_regressors(quarters, ("mid_autumn",))
    np.testing.assert_allclose(centred.groupby(quarters.quarter).mean().to_numpy(), 0.0, atol=1e-12)


def test_bad_inputs_raise_bilingual_errors():
    with pytest.raises(ModelError, match="unknown festival"):
        window_shares(MONTHS, "easter")
    with pytest.raises(ModelError, match="invalid window"):
        window_shares(MONTHS, "cny", before=0, after=0)
    with pytest.raises(ModelError, match="1900"):
        festival_dates("cny", 1890, 1900)
    with pytest.raises(ModelError, match="monthly or quarterly"):
        window_shares(pd.period_range("2020", "2024", freq="Y"), "cny")


def test_describe_window():
    assert "7 days before" in describe_window("cny")
    assert "春节" in describe_window("cny")
