"""The indicator detail view models on the analytics test database (the demo with stored analytics
for 广西, 柳州 and one county).

Expected numbers are read straight from the store (``repository.read_observations``, the
``adjusted_series`` table), not through the service under test.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from indicators import transforms as tf
from services import indicator_view as view
from storage import repository as repo
from storage import results as store
from storage import tables as t

CITIES = [f"45{n:02d}00" for n in range(1, 15)]
LIUZHOU = "450200"


def stored(ctx, code, region, as_of=None):
    frame = repo.read_observations(ctx.engine, code, region, as_of=as_of)
    return dict(zip(frame["period"], frame["value"]))


def line(chart, region) -> dict:
    part = chart.lines[chart.lines["region"] == region]
    return dict(zip(part["period"], part["value"]))


# ---- the request ---------------------------------------------------------------------------------

def test_request_keeps_valid_values_and_reports_the_others_in_both_languages(analytics_ctx):
    req = view.parse_request(analytics_ctx, "retail_sales", region="柳州", transform="yoy", as_of="2025-06-30",
                             compare="450100,xx,450200,南宁")
    assert (req.region, req.transform, req.as_of, req.compare) == (LIUZHOU, "yoy", dt.date(2025, 6, 30), ("450100",))
    assert [(p.zh, p.en) for p in req.problems] == [("未知地区“xx”", "unknown region 'xx'")]
    assert req.query() == {"region": LIUZHOU, "transform": "yoy", "as_of": "2025-06-30", "compare": "450100"}

    bad = view.parse_request(analytics_ctx, "cpi", region="999999", transform="sa", as_of="2020-13-01")
    assert (bad.region, bad.transform, bad.as_of) == ("450000", "level", None)
    texts = [p.en for p in bad.problems]
    assert any("999999" in x for x in texts)
    assert any("cannot be shown as seasonally adjusted" in x for x in texts)
    assert any("YYYY-MM-DD" in x for x in texts)
    assert all(p.zh and p.zh != p.en for p in bad.problems)
    with pytest.raises(view.IndicatorRequestError, match="unknown indicator"):
        view.parse_request(analytics_ctx, "no_such_indicator")


def test_available_transforms_follow_the_publication(analytics_ctx):
    cat = analytics_ctx.catalog
    assert view.available_transforms(cat["retail_sales"]) == view.TRANSFORMS
    assert view.available_transforms(cat["cpi"]) == ("level", "yoy")  # an index on last year: growth only
    assert "sa" not in view.available_transforms(cat["retail_sales_growth"])
    assert "monthly" not in view.available_transforms(cat["deposits_rmb"])  # a stock has no single-period flow


# ---- every transform --------------------------------------------------------------------------------

@pytest.mark.parametrize("transform", view.TRANSFORMS)
def test_every_transform_of_a_year_to_date_series(analytics_ctx, transform):
    req = view.parse_request(analytics_ctx, "retail_sales", region=LIUZHOU, transform=transform)
    chart = view.chart(analytics_ctx, req)
    assert req.problems == [] and chart.empty_reason is None
    got = line(chart, LIUZHOU)
    assert len(got) > 100
    ytd = stored(analytics_ctx, "retail_sales", LIUZHOU)
    if transform in ("level", "ytd"):
        assert got == pytest.approx(ytd)
    elif transform in ("monthly", "yoy", "mom"):
        import pandas as pd

        monthly = tf.ytd_to_monthly(pd.Series(ytd))
        expected = {"monthly": monthly, "yoy": tf.yoy(pd.Series(ytd)), "mom": tf.mom(monthly)}[transform].dropna()
        assert got == pytest.approx(dict(expected))
        assert chart.unit == ("%" if transform != "monthly" else "亿元")
    else:
        table = store.read_table(analytics_ctx.engine, t.adjusted_series, indicator="retail_sales", region=LIUZHOU)
        column = view.STORED_TRANSFORMS[transform]
        expected = dict(zip(table["period"], table[column]))
        assert got == pytest.approx({k: v for k, v in expected.items() if v == v})
        assert any("batch refresh" in n.en for n in chart.notes)


def test_seasonal_adjustment_absent_says_why(analytics_ctx):
    # Nanning was not refreshed in the test database
    req = view.parse_request(analytics_ctx, "retail_sales", region="450100", transform="sa")
    chart = view.chart(analytics_ctx, req)
    assert chart.lines.empty
    assert chart.empty_reason.en == "not computed yet — run python app.py refresh"
    assert "refresh" in chart.empty_reason.zh
    growth = view.adjusted_absence(analytics_ctx, analytics_ctx.catalog["retail_sales_growth"], "450000")
    assert "growth rates and indices" in growth.en
    annual = view.adjusted_absence(analytics_ctx, analytics_ctx.catalog["gdp_per_capita"], "450000")
    assert "annual" in annual.en


def test_compared_regions_get_their_own_lines(analytics_ctx):
    req = view.parse_request(analytics_ctx, "retail_sales", region=LIUZHOU, transform="yoy", compare="450100,450300")
    chart = view.chart(analytics_ctx, req)
    assert list(chart.lines["region"].unique()) == [LIUZHOU, "450100", "450300"]
    table = view.data_table(analytics_ctx, req, chart)
    assert list(table.columns[:4]) == ["period", LIUZHOU, "450100", "450300"]
    assert table["period"].iloc[0] == max(line(chart, LIUZHOU))  # newest first


# ---- as of a date, revisions ---------------------------------------------------------------------

def test_as_of_shows_the_vintage_known_then_and_the_revisions_since(analytics_ctx):
    engine = analytics_ctx.engine
    vintages = repo.read_observations(engine, "gdp", "450000", vintages=True)
    gdp2017 = vintages[vintages["period"] == "2017Q4"].sort_values("realtime_start")
    assert len(gdp2017) == 2  # the census revision
    first, revised = gdp2017["value"].tolist()
    revision_day = gdp2017["realtime_start"].iloc[1].date()

    day_before = str(revision_day - dt.timedelta(days=1))
    before = view.chart(analytics_ctx, view.parse_request(analytics_ctx, "gdp", as_of=day_before))
    assert line(before, "450000")["2017Q4"] == pytest.approx(first)
    assert before.revisions.empty and before.first_release.empty
    assert max(line(before, "450000")) < "2019Q4"  # nothing published after the date

    now = view.chart(analytics_ctx, view.parse_request(analytics_ctx, "gdp"))
    assert line(now, "450000")["2017Q4"] == pytest.approx(revised)
    row = now.revisions[now.revisions["period"] == "2017Q4"].iloc[0]
    assert (row["previous"], row["value"]) == pytest.approx((first, revised))
    assert row["change"] == pytest.approx(revised - first)
    assert pd_date(row["vintage"]) == revision_day
    overlay = dict(zip(now.first_release["period"], now.first_release["value"]))
    assert overlay["2017Q4"] == pytest.approx(first)
    assert set(overlay) == set(now.revisions["period"])


def pd_date(value) -> dt.date:
    import pandas as pd

    return pd.Timestamp(value).date()


# ---- the 14 cities --------------------------------------------------------------------------------

def test_ranking_of_the_14_cities_highlights_the_region(analytics_ctx):
    req = view.parse_request(analytics_ctx, "retail_sales", region=LIUZHOU)
    rank = view.ranking(analytics_ctx, req)
    assert len(rank.table) == 14 and sorted(rank.table["adcode"]) == CITIES
    latest = {c: stored(analytics_ctx, "retail_sales", c)[rank.period] for c in CITIES}
    assert dict(zip(rank.table["adcode"], rank.table["value"])) == pytest.approx(latest)
    assert list(rank.table["rank"]) == list(range(1, 15))
    assert list(rank.table["value"]) == sorted(latest.values(), reverse=True)
    assert rank.selected == LIUZHOU and rank.table.loc[rank.table["selected"], "adcode"].tolist() == [LIUZHOU]
    assert rank.selected_rank == int(rank.table.loc[rank.table["adcode"] == LIUZHOU, "rank"].iloc[0])
    assert rank.reference is None  # Guangxi's total is no yardstick for a city's sales

    growth = view.ranking(analytics_ctx, view.parse_request(analytics_ctx, "retail_sales", region="450202",
                                                            transform="yoy"))
    assert growth.selected == LIUZHOU  # a county is placed through its city
    assert growth.reference is not None and growth.unit == "%"


@pytest.mark.parametrize("code", ["retail_sales", "fiscal_revenue", "gdp", "industrial_va_ytd_growth"])
def test_the_board_from_recent_history_is_the_board_from_the_whole_series(analytics_ctx, monkeypatch, code):
    """The board transforms only each city's last three years (RANKING_HISTORY): every transform of
    monthly and quarterly indicators, levels and growth rates, ranks the same as from the whole series."""
    ind = analytics_ctx.catalog[code]
    for transform in view.available_transforms(ind):
        if transform in view.STORED_TRANSFORMS:
            continue
        recent = view.city_board.uncached(analytics_ctx, code, transform, None)
        with monkeypatch.context() as m:
            m.setitem(view.RANKING_HISTORY, ind.frequency, 10_000)
            whole = view.city_board.uncached(analytics_ctx, code, transform, None)
        assert recent.period == whole.period is not None, transform
        assert recent.table[["adcode", "value", "rank"]].equals(whole.table[["adcode", "value", "rank"]]), transform
        assert recent.reference == pytest.approx(whole.reference), transform


def test_ranking_of_an_indicator_not_published_for_cities(analytics_ctx):
    rank = view.ranking(analytics_ctx, view.parse_request(analytics_ctx, "m2_growth", region="100000"))
    assert rank.table.empty and "not published for the cities" in rank.note.en


# ---- data quality ---------------------------------------------------------------------------------

def test_quality_status_reports_late_submissions_and_the_batch(analytics_ctx):
    q = view.quality_status(analytics_ctx, view.parse_request(analytics_ctx, "retail_sales", region="451202"))
    assert {"period": "2026-06", "status": "late"} in q["late"]
    assert q["latest_period"] == max(stored(analytics_ctx, "retail_sales", "451202"))
    assert q["batch"]["id"] and q["batch"]["status"] == "loaded"
    assert q["faults"] and q["faults"][0]["kind"] == "late"
    assert q["rejected_rows"] == 0


def test_quality_status_counts_revisions_and_overdue_periods(analytics_ctx):
    req = view.parse_request(analytics_ctx, "gdp")
    q = view.quality_status(analytics_ctx, req)
    vintages = repo.read_observations(analytics_ctx.engine, "gdp", "450000", vintages=True)
    counts = vintages.groupby("period").size()
    assert q["revised_periods"] == int((counts > 1).sum()) > 0
    assert q["revisions"] == int((counts - 1).sum())
    assert q["overdue"] is False and q["expected_period"] == q["latest_period"]
    later = view.quality_status(analytics_ctx, req, today=dt.date(2027, 6, 1))
    assert later["overdue"] is True and later["expected_period"] == "2027Q1"


def test_expected_period_skips_january_when_released_with_february(analytics_ctx):
    retail = analytics_ctx.catalog["retail_sales"]  # monthly, January and February together
    lag = retail.release_lag_days
    assert view.expected_latest_period(retail, dt.date(2026, 3, 1)) == "2025-12"
    assert view.expected_latest_period(retail, dt.date(2026, 2, 28) + dt.timedelta(days=lag)) == "2026-02"
    gdp = analytics_ctx.catalog["gdp"]
    assert view.expected_latest_period(gdp, dt.date(2026, 10, 24)) == "2026Q2"
    assert view.expected_latest_period(gdp, dt.date(2026, 10, 25)) == "2026Q3"


# ---- downloads ----------------------------------------------------------------------------------

def test_xlsx_neutralises_formulas_and_keeps_numbers(analytics_ctx):
    import pandas as pd

    table = pd.DataFrame({"period": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "2026-10"],
                          "450000": [1.5, -2.25, None, 4.0, 5.0], "status": ["ok", "\tcmd", "late", "=1+1", ""]})
    content = view.xlsx_bytes(table, {"period": "时期", "450000": "=evil"}, [("指标", "=cmd|' /C calc'!A0")])
    ws = load_workbook(io.BytesIO(content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(v.startswith(view.FORMULA_PREFIXES) for v in texts)
    assert "'=HYPERLINK(\"http://x\")" in texts and "'+1" in texts and "'-2" in texts and "'@SUM(A1)" in texts
    assert "'=evil" in texts and "'\tcmd" in texts
    numbers = [c.value for c in cells if isinstance(c.value, (int, float))]
    assert numbers == [1.5, -2.25, 4.0, 5.0]


def test_data_table_rounds_to_published_decimals(analytics_ctx):
    req = view.parse_request(analytics_ctx, "retail_sales", region=LIUZHOU, transform="yoy")
    table = view.data_table(analytics_ctx, req)
    assert table.attrs["unit"] == "%"
    values = table[LIUZHOU].dropna()
    assert (values.round(1) == values).all()
    assert set(table["status"]) <= {"ok", "late", "suspect", ""}
