"""The wording rules of the monthly report (reports/narrative.py) and the fact model."""

from reports import narrative as nv
from reports.model import Fact, sentence


def test_periods_are_named_as_releases_name_them():
    assert nv.period_text("2026-09", ytd=True, year=2026) == "1—9月"
    assert nv.period_text("2026-09", ytd=False, year=2026) == "9月"
    assert nv.period_text("2026-09", ytd=False, stock=True, year=2026) == "9月末"
    assert nv.period_text("2026-01/02", ytd=False, year=2026) == "1—2月"
    assert nv.period_text("2026Q3", ytd=True, year=2026) == "前三季度"
    assert nv.period_text("2026Q3", ytd=False, year=2025) == "2026年三季度"
    assert nv.period_text("2025", ytd=False, year=2026) == "2025年"
    assert nv.period_text("2026-09", ytd=True, lang="en", year=2026) == "Jan–Sep"


def test_growth_changes_are_worded_by_sign():
    assert nv.change_of_growth(5.2, 4.9)[0] == "增速比{prev}加快"
    assert nv.change_of_growth(4.9, 5.2)[0] == "增速比{prev}回落"
    assert nv.change_of_growth(-1.0, -2.0)[0] == "降幅比{prev}收窄"
    assert nv.change_of_growth(-2.0, -1.0)[0] == "降幅比{prev}扩大"
    assert nv.change_of_growth(1.0, -1.0)[0] == "增速比{prev}提高"
    assert nv.change_of_growth(5.01, 5.0) is None  # unchanged at the shown precision: 持平
    assert nv.growth_verb(-0.3) == ("下降", "fell")
    assert nv.growth_verb(0.3, price=True)[0] == "上涨"
    assert nv.trend_title(4.0, 0.3) == ("增势加快", "growth quickening")
    assert nv.trend_title(-4.0, 0.3)[0] == "降幅收窄"
    assert nv.trend_title(5.1, 0.2, "lower_better")[0] == "有所承压"


def test_judgements_and_ordinals():
    assert nv.zone_judgement(3)[0] == "经济运行总体平稳"
    assert nv.score_trend(2.5)[0] == "景气度有所回升"
    assert nv.score_trend(0.4)[0] == "景气度基本稳定"
    assert nv.versus_target(-0.3)[0] == "低于全年目标"
    assert nv.versus_target(0.01) is None
    assert [nv.chinese_ordinal(n) for n in (1, 10, 11, 12, 20)] == ["一", "十", "十一", "十二", "二十"]
    assert nv.rank_phrase(3, 14) == "3rd of 14" and nv.rank_phrase(11, 14) == "11th of 14"


def test_a_sentence_lists_its_facts_in_reading_order():
    g = Fact(-2.71, 1, "%", {"kind": "series"}, absolute=True)
    d = Fact(0.25, 1, "个百分点", {"kind": "diff"}, absolute=True)
    p = sentence("同比下降{g}%，降幅收窄{d}个百分点", "down {g}%, narrowing by {d} points", d=d, g=g)
    assert p.zh == "同比下降2.7%，降幅收窄0.2个百分点"  # 0.25 rounds half to even, as Python's format does
    assert p.facts == [g, d]
    assert Fact(-0.04, 1, "%", {}).shown() == "0.0"  # no "-0.0" in a report
