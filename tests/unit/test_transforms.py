"""Hand-computed cases for every transform in ``indicators.transforms``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from indicators.transforms import (
    accumulated_to_quarterly,
    aggregate,
    compare_growth,
    contribution_pp,
    contribution_pp_yoy,
    contribution_rate,
    contribution_rate_yoy,
    growth_to_index,
    index_to_growth,
    latest,
    mom,
    monthly_to_ytd,
    quarterly_to_accumulated,
    select_vintage,
    share,
    split_combined,
    to_annual,
    to_quarterly,
    yoy,
    ytd_to_monthly,
)


def S(mapping: dict, name=None) -> pd.Series:
    return pd.Series({k: float(v) for k, v in mapping.items()}, name=name, dtype=float)


def assert_series(actual: pd.Series, expected: dict, tol: float = 1e-9) -> None:
    assert list(actual.index) == list(expected), f"labels {list(actual.index)} != {list(expected)}"
    for label, want in expected.items():
        got = actual[label]
        if want is None or (isinstance(want, float) and math.isnan(want)):
            assert math.isnan(got), f"{label}: expected NaN, got {got}"
        else:
            assert got == pytest.approx(want, abs=tol), f"{label}: {got} != {want}"


NAN = float("nan")


# ------------------------------------------------------------------ year to date ↔ monthly


class TestYtdToMonthly:
    def test_combined_jan_feb_and_differences(self):
        ytd = S({"2024-02": 30, "2024-03": 45, "2024-04": 61})
        out = ytd_to_monthly(ytd)
        assert_series(out, {"2024-01/02": 30, "2024-03": 15, "2024-04": 16})
        assert "2024-01" not in out.index  # January stays missing
        assert out.dtype == float

    def test_combined_label_accepted_as_ytd_through_february(self):
        ytd = S({"2024-01/02": 30, "2024-03": 45})
        assert_series(ytd_to_monthly(ytd), {"2024-01/02": 30, "2024-03": 15})

    def test_chinese_labels_are_normalised(self):
        ytd = pd.Series({"2024年1-2月": 30.0, "2024年3月": 45.0})
        assert_series(ytd_to_monthly(ytd), {"2024-01/02": 30, "2024-03": 15})

    def test_january_published_separately(self):
        ytd = S({"2024-01": 10, "2024-02": 25, "2024-03": 40})
        assert_series(ytd_to_monthly(ytd), {"2024-01": 10, "2024-02": 15, "2024-03": 15})

    def test_years_are_independent(self):
        ytd = S({"2023-11": 110, "2023-12": 120, "2024-02": 20, "2024-03": 31})
        out = ytd_to_monthly(ytd)
        # 2023-11 has no 2023-10 to difference from; 2024 restarts at the combined value
        assert_series(out, {"2023-11": NAN, "2023-12": 10, "2024-01/02": 20, "2024-03": 11})

    def test_missing_month_inside_a_year(self):
        ytd = S({"2024-02": 30, "2024-03": 45, "2024-05": 80, "2024-06": 100})
        # April absent: May cannot be differenced, June can
        assert_series(ytd_to_monthly(ytd), {"2024-01/02": 30, "2024-03": 15, "2024-05": NAN, "2024-06": 20})

    def test_nan_month_inside_a_year(self):
        ytd = S({"2024-02": 30, "2024-03": NAN, "2024-04": 61})
        assert_series(ytd_to_monthly(ytd), {"2024-01/02": 30, "2024-03": NAN, "2024-04": NAN})

    def test_nan_january_means_combined_release(self):
        ytd = S({"2024-01": NAN, "2024-02": 30, "2024-03": 45})
        assert_series(ytd_to_monthly(ytd), {"2024-01/02": 30, "2024-03": 15})

    def test_negative_flows(self):
        # net financing can fall in a month: the YTD decreases
        ytd = S({"2024-02": 100, "2024-03": 80, "2024-04": -20})
        assert_series(ytd_to_monthly(ytd), {"2024-01/02": 100, "2024-03": -20, "2024-04": -100})

    def test_split_equal(self):
        out = ytd_to_monthly(S({"2024-02": 30, "2024-03": 45}), split_jan_feb="equal")
        assert_series(out, {"2024-01": 15, "2024-02": 15, "2024-03": 15})

    def test_split_days_leap_year(self):
        out = ytd_to_monthly(S({"2024-02": 60}), split_jan_feb="days")
        assert_series(out, {"2024-01": 60 * 31 / 60, "2024-02": 60 * 29 / 60})  # 31 : 29

    def test_split_days_common_year(self):
        out = ytd_to_monthly(S({"2023-02": 59}), split_jan_feb="days")
        assert_series(out, {"2023-01": 31, "2023-02": 28})  # 31 : 28

    def test_split_leaves_separate_january_alone(self):
        out = ytd_to_monthly(S({"2024-01": 10, "2024-02": 25}), split_jan_feb="days")
        assert_series(out, {"2024-01": 10, "2024-02": 15})

    def test_split_rule_validated(self):
        with pytest.raises(ValueError):
            ytd_to_monthly(S({"2024-02": 1}), split_jan_feb="weeks")

    def test_split_combined_helper(self):
        assert split_combined(60, 2024, "days") == pytest.approx((31, 29))
        assert split_combined(10, 2023, "equal") == (5, 5)

    def test_duplicate_ytd_through_february_refused(self):
        with pytest.raises(ValueError):
            ytd_to_monthly(S({"2024-01/02": 30, "2024-02": 30}))

    def test_quarterly_refused(self):
        with pytest.raises(ValueError):
            ytd_to_monthly(S({"2024Q1": 1}))

    def test_input_not_modified_and_name_kept(self):
        ytd = S({"2024-02": 30, "2024-03": 45}, name="retail")
        before = ytd.copy()
        out = ytd_to_monthly(ytd)
        pd.testing.assert_series_equal(ytd, before)
        assert out.name == "retail"

    def test_empty(self):
        out = ytd_to_monthly(pd.Series(dtype=float))
        assert out.empty


class TestMonthlyToYtd:
    def test_combined_gives_february(self):
        out = monthly_to_ytd(S({"2024-01/02": 30, "2024-03": 15, "2024-04": 16}))
        assert_series(out, {"2024-02": 30, "2024-03": 45, "2024-04": 61})

    def test_separate_months(self):
        out = monthly_to_ytd(S({"2024-01": 10, "2024-02": 15, "2024-03": 15}))
        assert_series(out, {"2024-01": 10, "2024-02": 25, "2024-03": 40})

    def test_restarts_each_year(self):
        out = monthly_to_ytd(S({"2023-12": 5, "2024-01": 1, "2024-02": 2}))
        assert_series(out, {"2023-12": NAN, "2024-01": 1, "2024-02": 3})  # 2023-01..11 unknown

    def test_missing_month_inside_a_year(self):
        out = monthly_to_ytd(S({"2024-01/02": 30, "2024-03": 15, "2024-05": 10, "2024-06": 10}))
        assert_series(out, {"2024-02": 30, "2024-03": 45, "2024-05": NAN, "2024-06": NAN})

    def test_negative_flows(self):
        out = monthly_to_ytd(S({"2024-01": -472, "2024-02": 289, "2024-03": 3136}))
        assert_series(out, {"2024-01": -472, "2024-02": -183, "2024-03": 2953})

    def test_combined_and_separate_refused(self):
        with pytest.raises(ValueError):
            monthly_to_ytd(S({"2024-01/02": 30, "2024-02": 10}))

    def test_nan_january_beside_combined_ignored(self):
        out = monthly_to_ytd(S({"2024-01": NAN, "2024-01/02": 30, "2024-03": 15}))
        assert_series(out, {"2024-02": 30, "2024-03": 45})

    def test_round_trip(self):
        monthly = S({"2023-01/02": 20, "2023-03": 11, "2023-04": 12, "2024-01": 9, "2024-02": 8, "2024-03": 7})
        pd.testing.assert_series_equal(ytd_to_monthly(monthly_to_ytd(monthly)), monthly.rename_axis("period"))


# ------------------------------------------------------------------ growth


class TestYoy:
    def test_monthly_and_first_year_without_base(self):
        out = yoy(S({"2023-03": 100, "2023-04": 200, "2024-03": 110, "2024-04": 190}))
        assert_series(out, {"2023-03": NAN, "2023-04": NAN, "2024-03": 10, "2024-04": -5})

    def test_combined_against_combined(self):
        out = yoy(S({"2023-01/02": 200, "2024-01/02": 230}))
        assert_series(out, {"2023-01/02": NAN, "2024-01/02": 15})

    def test_combined_against_separate_months_of_base_year(self):
        out = yoy(S({"2023-01": 90, "2023-02": 110, "2024-01/02": 230}))
        assert_series(out, {"2023-01": NAN, "2023-02": NAN, "2024-01/02": 15})

    def test_quarterly_and_annual(self):
        assert_series(yoy(S({"2023Q1": 50, "2024Q1": 52})), {"2023Q1": NAN, "2024Q1": 4})
        assert_series(yoy(S({"2023": 1000, "2024": 1050})), {"2023": NAN, "2024": 5})

    def test_ytd_levels_give_ytd_growth(self):
        ytd = S({"2023-02": 100, "2023-03": 150, "2024-02": 104, "2024-03": 159})
        assert_series(yoy(ytd), {"2023-02": NAN, "2023-03": NAN, "2024-02": 4, "2024-03": 6})

    def test_missing_base_month(self):
        out = yoy(S({"2023-03": 100, "2024-03": 110, "2024-04": 120}))
        assert math.isnan(out["2024-04"])

    def test_nonpositive_base_is_undefined(self):
        out = yoy(S({"2023-03": -50, "2023-04": 0, "2024-03": 20, "2024-04": 5}))
        assert math.isnan(out["2024-03"]) and math.isnan(out["2024-04"])

    def test_negative_current_positive_base(self):
        out = yoy(S({"2023-03": 100, "2024-03": -20}))
        assert out["2024-03"] == pytest.approx(-120)

    def test_leap_year_february(self):
        # no calendar adjustment: 29 days against 28 is part of the published growth
        out = yoy(S({"2023-02": 28, "2024-02": 29}))
        assert out["2024-02"] == pytest.approx(100 / 28)

    def test_mixed_frequencies_refused(self):
        with pytest.raises(ValueError):
            yoy(S({"2024-03": 1, "2024Q1": 2}))


class TestMom:
    def test_monthly_across_year_end(self):
        out = mom(S({"2023-12": 100, "2024-01": 90, "2024-02": 99}))
        assert_series(out, {"2023-12": NAN, "2024-01": -10, "2024-02": 10})

    def test_not_defined_across_combined(self):
        out = mom(S({"2023-12": 100, "2024-01/02": 190, "2024-03": 105, "2024-04": 126}))
        assert_series(out, {"2023-12": NAN, "2024-01/02": NAN, "2024-03": NAN, "2024-04": 20})

    def test_quarterly(self):
        out = mom(S({"2023Q4": 200, "2024Q1": 150, "2024Q2": 180}))
        assert_series(out, {"2023Q4": NAN, "2024Q1": -25, "2024Q2": 20})

    def test_gap(self):
        out = mom(S({"2024-03": 100, "2024-05": 120}))
        assert math.isnan(out["2024-05"])


class TestCompareGrowth:
    def test_columns_and_flag(self):
        published = S({"2024-01/02": 5.5, "2024-03": 3.1, "2024-04": 4.0})
        recomputed = S({"2024-01/02": 5.46, "2024-03": 2.6, "2024-05": 1.0})
        frame = compare_growth(published, recomputed, tolerance=0.1)
        assert list(frame.columns) == ["published", "recomputed", "difference", "flag"]
        assert list(frame.index) == ["2024-01/02", "2024-03", "2024-04", "2024-05"]
        assert frame.loc["2024-01/02", "difference"] == pytest.approx(0.04)
        assert frame.loc["2024-03", "difference"] == pytest.approx(0.5)
        assert frame["flag"].tolist() == [False, True, False, False]
        assert frame["flag"].dtype == bool
        # neither series is overwritten: published kept where recomputed is missing and vice versa
        assert frame.loc["2024-04", "published"] == 4.0 and math.isnan(frame.loc["2024-04", "recomputed"])
        assert frame.loc["2024-05", "recomputed"] == 1.0 and math.isnan(frame.loc["2024-05", "published"])

    def test_inputs_untouched(self):
        published, recomputed = S({"2024Q1": 5.0}), S({"2024Q1": 4.0})
        compare_growth(published, recomputed)
        assert published["2024Q1"] == 5.0 and recomputed["2024Q1"] == 4.0

    def test_negative_difference(self):
        frame = compare_growth(S({"2024": 4.0}), S({"2024": 4.3}), tolerance=0.2)
        assert frame.loc["2024", "difference"] == pytest.approx(-0.3)
        assert bool(frame.loc["2024", "flag"])


class TestIndex:
    def test_index_to_growth_and_back(self):
        index = S({"2024Q1": 105.3, "2024Q2": 98.5})
        growth = index_to_growth(index)
        assert growth["2024Q1"] == pytest.approx(5.3) and growth["2024Q2"] == pytest.approx(-1.5)
        pd.testing.assert_series_equal(growth_to_index(growth), index)
        assert index_to_growth(104.5) == pytest.approx(4.5)
        assert growth_to_index(-2.0) == 98.0


# ------------------------------------------------------------------ quarterly


class TestQuarterly:
    def test_accumulated_to_quarterly(self):
        acc = S({"2024Q1": 100, "2024Q2": 210, "2024Q3": 330, "2024Q4": 460})
        assert_series(accumulated_to_quarterly(acc), {"2024Q1": 100, "2024Q2": 110, "2024Q3": 120, "2024Q4": 130})

    def test_missing_quarter(self):
        acc = S({"2023Q4": 400, "2024Q1": 100, "2024Q3": 330, "2024Q4": 460})
        assert_series(accumulated_to_quarterly(acc), {"2023Q4": NAN, "2024Q1": 100, "2024Q3": NAN, "2024Q4": 130})

    def test_quarterly_to_accumulated(self):
        q = S({"2024Q1": 100, "2024Q2": 110, "2024Q3": 120, "2024Q4": 130, "2025Q1": 105})
        assert_series(quarterly_to_accumulated(q), {"2024Q1": 100, "2024Q2": 210, "2024Q3": 330, "2024Q4": 460, "2025Q1": 105})

    def test_quarterly_to_accumulated_gap(self):
        q = S({"2024Q1": 100, "2024Q3": 120})
        assert_series(quarterly_to_accumulated(q), {"2024Q1": 100, "2024Q3": NAN})

    def test_negative_quarter(self):
        acc = S({"2024Q1": 100, "2024Q2": 80})
        assert_series(accumulated_to_quarterly(acc), {"2024Q1": 100, "2024Q2": -20})

    def test_nbs_labels(self):
        acc = pd.Series({"1Q 2024": 304525.2, "2Q 2024": 633110.6})
        assert_series(accumulated_to_quarterly(acc), {"2024Q1": 304525.2, "2024Q2": 328585.4}, tol=1e-6)

    def test_monthly_refused(self):
        with pytest.raises(ValueError):
            accumulated_to_quarterly(S({"2024-03": 1}))


# ------------------------------------------------------------------ contributions and shares


class TestContribution:
    def test_contribution_pp_scalar(self):
        # part 30 → 33, total 100 → 108: the part pulls growth by 3 points of the 8
        assert contribution_pp(33, 30, 100) == pytest.approx(3.0)

    def test_contribution_rate_scalar(self):
        assert contribution_rate(3, 8) == pytest.approx(37.5)
        assert math.isnan(contribution_rate(3, 0))

    def test_parts_add_up(self):
        prev = {"a": 30.0, "b": 70.0}
        now = {"a": 33.0, "b": 75.0}
        total_prev, total_now = 100.0, 108.0
        pp = [contribution_pp(now[k], prev[k], total_prev) for k in prev]
        assert sum(pp) == pytest.approx((total_now / total_prev - 1) * 100)
        rates = [contribution_rate(now[k] - prev[k], total_now - total_prev) for k in prev]
        assert sum(rates) == pytest.approx(100)

    def test_vectorised(self):
        part_now, part_prev = S({"2024Q1": 33, "2024Q2": 20}), S({"2024Q1": 30, "2024Q2": 25})
        total_prev = S({"2024Q1": 100, "2024Q2": 0})
        out = contribution_pp(part_now, part_prev, total_prev)
        assert out["2024Q1"] == pytest.approx(3.0)
        assert math.isnan(out["2024Q2"])  # zero base → NaN, not infinity
        rate = contribution_rate(S({"2024Q1": 3, "2024Q2": -1}), S({"2024Q1": 8, "2024Q2": 4}))
        assert rate.tolist() == pytest.approx([37.5, -25.0])

    def test_negative_contribution(self):
        assert contribution_pp(25, 30, 100) == pytest.approx(-5.0)

    def test_share(self):
        assert share(25, 200) == pytest.approx(12.5)
        assert math.isnan(share(1, 0))
        out = share(S({"2024": 8512}), S({"2024": 24740.86}))
        assert out["2024"] == pytest.approx(34.40, abs=0.01)  # digital economy share of Guangxi GDP 2021

    def test_yoy_contribution_from_levels(self):
        part = S({"2023Q1": 30, "2024Q1": 33})
        total = S({"2023Q1": 100, "2024Q1": 108})
        assert_series(contribution_pp_yoy(part, total), {"2023Q1": NAN, "2024Q1": 3.0})
        assert_series(contribution_rate_yoy(part, total), {"2023Q1": NAN, "2024Q1": 37.5})


# ------------------------------------------------------------------ frequency conversion


class TestFrequency:
    MONTHLY = {f"2024-{m:02d}": m for m in range(1, 13)}  # 1..12

    def test_flow_quarterly_and_annual(self):
        q = to_quarterly(S(self.MONTHLY), "flow")
        assert_series(q, {"2024Q1": 6, "2024Q2": 15, "2024Q3": 24, "2024Q4": 33})
        assert_series(to_annual(S(self.MONTHLY), "flow"), {"2024": 78})
        assert_series(to_annual(q, "flow"), {"2024": 78})

    def test_flow_with_combined_jan_feb(self):
        m = S({"2024-01/02": 3, "2024-03": 3})
        assert_series(to_quarterly(m, "flow"), {"2024Q1": 6})

    def test_incomplete_is_nan_unless_allowed(self):
        m = S({"2024-01/02": 3, "2024-04": 4, "2024-05": 5})  # March and June missing
        assert_series(to_quarterly(m, "flow"), {"2024Q1": NAN, "2024Q2": NAN})
        assert_series(to_quarterly(m, "flow", allow_incomplete=True), {"2024Q1": 3, "2024Q2": 9})
        assert_series(to_annual(m, "flow"), {"2024": NAN})

    def test_nan_month_makes_incomplete(self):
        m = S({"2024-01": 1, "2024-02": NAN, "2024-03": 3})
        assert_series(to_quarterly(m), {"2024Q1": NAN})

    def test_stock_end_of_period(self):
        q = to_quarterly(S(self.MONTHLY), "stock")
        assert_series(q, {"2024Q1": 3, "2024Q2": 6, "2024Q3": 9, "2024Q4": 12})
        assert_series(to_annual(S(self.MONTHLY), "stock"), {"2024": 12})
        m = S({"2024-01": 1, "2024-02": 2})
        assert_series(to_quarterly(m, "stock"), {"2024Q1": NAN})
        assert_series(to_quarterly(m, "stock", allow_incomplete=True), {"2024Q1": 2})

    def test_rate_mean_weighted_by_months(self):
        assert_series(to_quarterly(S(self.MONTHLY), "rate"), {"2024Q1": 2, "2024Q2": 5, "2024Q3": 8, "2024Q4": 11})
        # the combined Jan–Feb rate stands for two months
        m = S({"2024-01/02": 50.0, "2024-03": 53.0})
        assert_series(to_quarterly(m, "rate"), {"2024Q1": 51.0})
        assert_series(to_annual(S({"2024Q1": 1, "2024Q2": 2, "2024Q3": 3, "2024Q4": 6}), "index"), {"2024": 3})

    def test_negative_flows_sum(self):
        assert_series(to_quarterly(S({"2024-01": -472, "2024-02": 289, "2024-03": 3136})), {"2024Q1": 2953})

    def test_leap_year_no_effect(self):
        assert_series(to_annual(S({f"2024-{m:02d}": 1 for m in range(1, 13)})), {"2024": 12})

    def test_invalid(self):
        with pytest.raises(ValueError):
            aggregate(S({"2024Q1": 1}), "Q")
        with pytest.raises(ValueError):
            aggregate(S({"2024-01": 1}), "Q", measure="median")
        with pytest.raises(ValueError):
            aggregate(S({"2024-01": 1}), "M")


# ------------------------------------------------------------------ vintages


def vintage_frame() -> pd.DataFrame:
    # Guangxi GDP 2017: first published 20396.25, revised to 17790.68 after the 2018 census
    return pd.DataFrame(
        {
            "period": ["2017", "2017", "2018", "2017"],
            "realtime_start": ["2018-01-25", "2019-11-20 16:00", "2019-01-28", "2018-06-01"],
            "value": [20396.25, 17790.68, 20352.51, 20396.25],
        }
    )


class TestVintages:
    def test_select_as_of(self):
        frame = vintage_frame()
        assert_series(select_vintage(frame, "2018-12-31"), {"2017": 20396.25})
        assert_series(select_vintage(frame, "2019-06-30"), {"2017": 20396.25, "2018": 20352.51})

    def test_end_of_day_inclusive(self):
        frame = vintage_frame()
        # the revision was released at 16:00 on 2019-11-20: known as of that day
        assert select_vintage(frame, "2019-11-20")["2017"] == 17790.68
        assert select_vintage(frame, "2019-11-19")["2017"] == 20396.25
        assert select_vintage(frame, pd.Timestamp("2019-11-20 09:00"))["2017"] == 17790.68

    def test_before_anything(self):
        assert select_vintage(vintage_frame(), "2017-12-31").empty

    def test_latest(self):
        assert_series(latest(vintage_frame()), {"2017": 17790.68, "2018": 20352.51})

    def test_by_region(self):
        frame = pd.concat([vintage_frame().assign(region="450000"), vintage_frame().assign(region="450100", value=1.0)])
        out = select_vintage(frame, "2019-12-31", by=["region"])
        assert out[["region", "period", "value"]].values.tolist() == [
            ["450000", "2017", 17790.68], ["450000", "2018", 20352.51], ["450100", "2017", 1.0], ["450100", "2018", 1.0],
        ]

    def test_datetime_column_and_date_argument(self):
        import datetime as dt

        frame = vintage_frame().assign(realtime_start=lambda f: pd.to_datetime(f["realtime_start"], format="ISO8601"))
        assert select_vintage(frame, dt.date(2019, 11, 20))["2017"] == 17790.68

    def test_period_order(self):
        frame = pd.DataFrame(
            {"period": ["2024-03", "2024-01/02", "2023-12"], "realtime_start": ["2024-04-01"] * 3, "value": [3, 2, 1]}
        )
        assert list(latest(frame).index) == ["2023-12", "2024-01/02", "2024-03"]

    def test_missing_columns(self):
        with pytest.raises(ValueError):
            latest(pd.DataFrame({"period": ["2024"], "value": [1.0]}))

    def test_input_unchanged(self):
        frame = vintage_frame()
        before = frame.copy()
        select_vintage(frame, "2019-01-01")
        pd.testing.assert_frame_equal(frame, before)


def test_public_api_exports():
    import indicators.transforms as t

    for name in t.__all__:
        assert callable(getattr(t, name))
    assert np.isnan(yoy(S({"2024": 1}))["2024"])
