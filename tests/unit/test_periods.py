import datetime as dt

import pytest

from indicators.periods import PeriodError, parse_period


@pytest.mark.parametrize("text, label", [
    ("2024-03", "2024-03"), ("2024/3", "2024-03"), ("2024年3月", "2024-03"), ("2024-01/02", "2024-01/02"),
    ("2024年1-2月", "2024-01/02"), ("2024Q1", "2024Q1"), ("2024年第一季度", "2024Q1"), ("1Q 2026", "2026Q1"),
    ("2024", "2024"), ("2024年", "2024"),
])
def test_the_ways_chinese_tables_write_periods(text, label):
    assert parse_period(text).label == label


def test_wind_dates_are_read_at_the_indicators_frequency():
    assert parse_period("2024/3/31", "Q").label == "2024Q1"
    assert parse_period("2024/2/29", "M").label == "2024-02"


def test_labels_sort_in_time_order_within_a_frequency():
    labels = ["2024-03", "2024-01/02", "2023-12", "2024-04"]
    assert sorted(labels) == ["2023-12", "2024-01/02", "2024-03", "2024-04"]


def test_period_ends_and_spans():
    p = parse_period("2024-01/02")
    assert p.end_date == dt.date(2024, 2, 29) and p.months == 2
    assert parse_period("2023Q4").end_date == dt.date(2023, 12, 31)


@pytest.mark.parametrize("text", ["2024-13", "24-03", "March", "", "2024Q5"])
def test_unreadable_periods_say_so_in_both_languages(text):
    with pytest.raises(PeriodError) as err:
        parse_period(text)
    assert "/" in str(err.value) and any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


def test_a_year_for_a_monthly_indicator_is_an_error():
    with pytest.raises(PeriodError, match="monthly"):
        parse_period("2024", "M")
