"""The analytics figures on small hand-made view models: trace names, types and counts."""

from __future__ import annotations

import pandas as pd
import pytest

from figures import analytics as f
from models.signals import ZONES


@pytest.fixture
def fan():
    history = pd.DataFrame({"period": ["2025Q4", "2026Q1", "2026Q2"], "value": [5.1, 5.4, 5.6]})
    bands = [{"level": 0.9, "lower": 3.0, "upper": 9.0}, {"level": 0.7, "lower": 4.0, "upper": 8.0},
             {"level": 0.5, "lower": 5.0, "upper": 7.0}]
    return {"period": "2026Q3", "as_of": "2026-10-10", "model": "dfm", "point": 6.0, "lower": 3.0, "upper": 9.0,
            "level": 0.9, "bands": bands, "history": history}


def test_fan_chart_has_one_band_per_level_then_history_and_point(fan):
    fig = f.fan_chart_figure(fan, "zh")
    assert [t.name for t in fig.data] == ["90% 区间", "70% 区间", "50% 区间", "已发布", "即时预测"]
    assert all(t.fill == "toself" for t in fig.data[:3])
    assert list(fig.data[-1].y) == [6.0]
    assert list(fig.layout.xaxis.categoryarray) == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert [t.name for t in f.fan_chart_figure(fan, "en").data][-2:] == ["Published", "Nowcast"]


def test_news_waterfall_runs_from_previous_to_current():
    news = {"period": "2026Q3", "as_of": "2026-10-10", "previous": 5.0, "current": 5.3, "count": 3,
            "items": [{"indicator": "exports", "name_zh": "出口总额", "name_en": "Exports", "impact": 0.5, "period": "2026-09"},
                      {"indicator": "cpi", "name_zh": "居民消费价格指数", "name_en": "CPI", "impact": -0.2, "period": "2026-09"}]}
    fig = f.news_waterfall_figure(news, "en")
    assert len(fig.data) == 1 and fig.data[0].type == "waterfall"
    w = fig.data[0]
    assert list(w.measure) == ["absolute", "relative", "relative", "total"]
    assert list(w.y) == ["Previous nowcast", "Exports", "CPI", "Current nowcast"]
    assert list(w.x) == [5.0, 0.5, -0.2, 5.3]


def test_forecast_has_95_and_80_bands_history_and_mean():
    view = {"history": pd.DataFrame({"period": ["2026-08", "2026-09"], "value": [10.0, 11.0]}),
            "forecast": pd.DataFrame({"period": ["2026-10", "2026-11"], "mean": [11.5, 12.0],
                                      "lower_80": [11.0, 11.2], "upper_80": [12.0, 12.8],
                                      "lower_95": [10.5, 10.8], "upper_95": [12.5, 13.2]})}
    fig = f.forecast_figure(view, "zh")
    assert [t.name for t in fig.data] == ["95% 区间", "80% 区间", "实际值", "预测值"]
    assert list(fig.data[-1].y) == [11.5, 12.0]


def test_target_progress_shows_percent_targets_only():
    rows = [
        {"indicator": "gdp_ytd_growth", "name_zh": "地区生产总值累计增长", "name_en": "GDP growth", "percent": True,
         "actual": 5.9, "target": 5.0, "required": 2.8, "direction": "at_least"},
        {"indicator": "urban_new_jobs", "name_zh": "城镇新增就业人数", "name_en": "New jobs", "percent": False,
         "actual": 36.0, "target": 35.0, "required": -1.0, "direction": "at_least"},
    ]
    fig = f.target_progress_figure(rows, "en")
    assert [t.name for t in fig.data] == ["Actual so far", "Target", "Needed for the rest of the year"]
    assert list(fig.data[0].y) == ["GDP growth"] and list(fig.data[0].x) == [5.9]


def test_signal_matrix_uses_the_five_zone_colours():
    matrix = {"periods": ["2026-08", "2026-09"],
              "rows": [{"indicator": "a", "name_zh": "甲", "name_en": "A", "zones": [1, 5]},
                       {"indicator": "b", "name_zh": "乙", "name_en": "B", "zones": [3, None]}]}
    fig = f.signal_matrix_figure(matrix, "zh")
    heat = fig.data[0]
    assert heat.type == "heatmap" and list(heat.y) == ["甲", "乙"] and (heat.zmin, heat.zmax) == (0.5, 5.5)
    assert {c for _, c in heat.colorscale} == {z["color"] for z in ZONES.values()}
    assert [t.name for t in fig.data[1:]] == ["过热", "偏热", "正常", "偏冷", "过冷"]
    assert len(f.regional_composite_figure({"periods": [], "rows": []}).data) == 0


def test_composite_history_colours_each_month_by_zone():
    history = pd.DataFrame({"period": ["2026-08", "2026-09"], "score": [35.0, 55.0], "zone": [2, 3],
                            "zone_zh": ["偏冷", "正常"], "zone_en": ["Cool", "Normal"],
                            "color": [ZONES[2]["color"], ZONES[3]["color"]]})
    fig = f.composite_history_figure(history, "en")
    assert [t.name for t in fig.data] == ["Composite score"]
    assert list(fig.data[0].marker.color) == [ZONES[2]["color"], ZONES[3]["color"]]
    assert len(fig.layout.shapes) == 5  # the five zone bands


def test_index_figure_has_the_line_and_one_bar_per_component():
    view = {"name_zh": "交通运输发展指数", "name_en": "Transport", "baseline": 100.0, "is_city_mean": False,
            "values": pd.DataFrame({"period": ["2026-08", "2026-09"], "value": [101.0, 99.0]}),
            "contributions": pd.DataFrame({"freight": [0.6, -0.4], "port": [0.4, -0.6]}),
            "components": [{"code": "freight", "name_zh": "货运量", "name_en": "Freight"},
                           {"code": "port", "name_zh": "港口吞吐量", "name_en": "Port"}]}
    fig = f.index_figure(view, "zh")
    assert [t.name for t in fig.data] == ["交通运输发展指数", "货运量", "港口吞吐量"]
    assert [t.type for t in fig.data] == ["scatter", "bar", "bar"] and fig.layout.barmode == "relative"
    assert fig.data[1].yaxis == "y2"
    no_contrib = f.index_figure({**view, "contributions": pd.DataFrame(), "components": []}, "en")
    assert [t.name for t in no_contrib.data] == ["Transport"]


def test_ranking_bump_has_a_line_per_city_with_rank_one_on_top():
    ranking = pd.DataFrame({"period": ["2026Q1", "2026Q1", "2026Q2", "2026Q2"],
                            "region": ["450100", "450200", "450100", "450200"],
                            "name_zh": ["南宁", "柳州", "南宁", "柳州"], "name_en": ["Nanning", "Liuzhou"] * 2,
                            "value": [60.0, 50.0, 55.0, 58.0], "rank": [1, 2, 2, 1]})
    fig = f.ranking_bump_figure(ranking, "en", highlight="450200")
    assert [t.name for t in fig.data] == ["Nanning", "Liuzhou"]
    assert list(fig.data[1].y) == [2, 1]
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # reversed: rank 1 at the top
    assert fig.data[1].line.width > fig.data[0].line.width  # the chosen city stands out


@pytest.mark.parametrize("figure", [f.fan_chart_figure, f.news_waterfall_figure, f.forecast_figure,
                                    f.index_figure])
def test_missing_results_give_a_no_data_figure(figure):
    fig = figure(None, "en")
    assert len(fig.data) == 0 and fig.layout.annotations[0].text == "No data"
