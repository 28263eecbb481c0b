"""The analysis-meeting deck (.pptx) of the analytics test database, opened again with python-pptx:
one slide per entry of ``reports.slides.slides``, 16:9, every slide titled, the charts native and
editable (with the report's numbers in their data), speaker notes with the supporting numbers, the
demo tag on every slide, and the Chinese font on the runs."""

from __future__ import annotations

import re

import pytest
from pptx import Presentation
from pptx.util import Inches

from indicators.regions import GUANGXI
from reports.pptx import FONT, write_pptx
from reports.slides import slides
from services.report import build_report, latest_month

LIUZHOU = "450200"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.fixture(scope="module")
def report(analytics_ctx):
    return build_report(analytics_ctx, latest_month(analytics_ctx), GUANGXI)


@pytest.fixture(scope="module")
def deck(report, tmp_path_factory):
    path = write_pptx(report, tmp_path_factory.mktemp("pptx") / "pack.pptx", "zh")
    return Presentation(str(path)), slides(report, "zh")


def _texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def test_one_slide_per_message_in_16_9(deck):
    prs, planned = deck
    assert len(prs.slides) == len(planned) >= 12
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    for slide, plan in zip(prs.slides, planned):
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text == plan.title
        assert plan.title.strip()


def test_charts_are_native_and_carry_the_report_numbers(deck, report):
    prs, planned = deck
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    figures = [f for p in planned for f in p.figures]
    assert len(charts) == len(figures) >= 2 * 9  # every domain: trend and cities
    kinds = {f.kind for f in figures}
    assert {"line", "bar", "composite", "zones", "fan"} <= kinds
    for chart, fig in zip(charts, figures):
        assert chart.chart_title.text_frame.text == fig.title("zh")
        values = list(chart.plots[0].series[0].values)
        if fig.kind in ("line", "bar"):
            expected = fig.data["series"][0]["values"]
            assert values == pytest.approx([v for v in expected], nan_ok=True)
            assert list(chart.plots[0].categories) == [str(c) for c in fig.data["categories"]]
        if fig.kind == "zones":
            assert values == pytest.approx(fig.data["counts"])
        if fig.kind == "fan":
            assert pytest.approx(fig.data["point"]) in list(chart.plots[0].series[1].values)


def test_speaker_notes_carry_the_numbers(deck):
    prs, planned = deck
    for slide, plan in zip(prs.slides, planned):
        notes = slide.notes_slide.notes_text_frame.text
        assert notes == plan.notes
        if plan.key not in ("title", "headline"):
            assert len(NUMBER.findall(notes)) >= 3, (plan.key, notes)
    by_key = {p.key: s for p, s in zip(planned, prs.slides)}
    gdp = by_key["gdp"].notes_slide.notes_text_frame.text
    assert "地区生产总值" in gdp and "亿元" in gdp


def test_demo_tag_on_every_slide_and_the_chinese_font(deck, report):
    prs, _ = deck
    assert report.demo
    for slide in prs.slides:
        assert any("演示数据" in t for t in _texts(slide)), _texts(slide)
    title_run = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert title_run.font.name == FONT
    ea = title_run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea is not None and ea.get("typeface") == FONT


def test_english_and_a_city(analytics_ctx, tmp_path):
    report = build_report(analytics_ctx, latest_month(analytics_ctx), LIUZHOU)
    path = write_pptx(report, tmp_path / "liuzhou-en.pptx", "en")
    prs = Presentation(str(path))
    planned = slides(report, "en")
    assert len(prs.slides) == len(planned)
    assert "Liuzhou" in prs.slides[0].shapes.title.text_frame.text
    assert all(any("Demo data" in t for t in _texts(s)) for s in prs.slides)
    assert sum(sh.has_chart for s in prs.slides for sh in s.shapes) == sum(len(p.figures) for p in planned)
