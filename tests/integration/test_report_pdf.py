"""The monthly report as PDF, checked as a reader would: with poppler's tools, not WeasyPrint's.

``pdffonts`` must show the CJK fonts embedded, ``pdftotext`` must find the title, every section, the
demo label and the page footer, the table of contents must point at the pages where the sections
are, and the first pages rendered to PNG (kept in tests/artifacts/report_pdf/ to look at) must not
be blank. Charts are rendered for real (kaleido), as the report centre does.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from reports.pdf import write_pdf
from services.report import build_report, latest_month

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "report_pdf"
LIUZHOU, GUANGXI = "450200", "450000"


def run(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", *pages, str(pdf), "-")


def squeeze(s: str) -> str:
    """Without whitespace: a long line may wrap anywhere in the PDF."""
    return re.sub(r"\s+", "", s)


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))


@pytest.fixture(scope="module")
def liuzhou_zh(analytics_ctx, tmp_path_factory):
    report = build_report(analytics_ctx, latest_month(analytics_ctx), LIUZHOU)
    path = write_pdf(report, tmp_path_factory.mktemp("pdf") / "liuzhou.pdf", lang="zh")  # charts rendered here
    return report, path


def test_fonts_are_embedded(liuzhou_zh):
    _, pdf = liuzhou_zh
    rows = [line.split() for line in run("pdffonts", str(pdf)).splitlines()[2:]]
    embedded = {r[0].split("+", 1)[-1] for r in rows if r[-5] == "yes"}  # columns: … emb sub uni id gen
    assert all(r[-5] == "yes" for r in rows), rows
    assert any(name.startswith("Noto-Serif-CJK-SC") for name in embedded), embedded  # body
    assert any(name.startswith("Noto-Sans-CJK-SC") for name in embedded), embedded  # headings, tables


def test_text_title_sections_demo_label_and_footer(liuzhou_zh):
    report, pdf = liuzhou_zh
    assert report.demo
    assert page_count(pdf) >= 4
    body = squeeze(text(pdf))
    for needle in [report.title("zh"), report.demo_note("zh"), report.headline.zh, "附表",
                   *(s.title_zh for s in report.sections)]:
        assert squeeze(needle) in body, needle
    first = text(pdf, 1)
    assert "第 1 页 / 共" in first
    assert "演示数据" in text(pdf, 2)  # the tag in the running header of every later page


def test_table_of_contents_points_at_the_sections(liuzhou_zh):
    report, pdf = liuzhou_zh
    toc = dict(re.findall(r"^(\S.*?)\s*\.{3,}\s*(\d+)$", text(pdf, 1), re.M))
    for s in report.sections:
        page = int(toc[s.title_zh])
        assert s.title_zh in text(pdf, page), (s.title_zh, page)
    assert "附表" in text(pdf, int(toc["附表"]))


def test_first_pages_render_and_are_not_blank(liuzhou_zh):
    _, pdf = liuzhou_zh
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("liuzhou_zh-*.png"):
        old.unlink()
    run("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf), str(ARTIFACTS / "liuzhou_zh"))
    pngs = sorted(ARTIFACTS.glob("liuzhou_zh-*.png"))
    assert len(pngs) == 2, pngs
    for png in pngs:
        image = Image.open(png).convert("L")
        assert image.width > 400 and image.height > 600
        ink = ImageChops.invert(image).point(lambda v: 255 if v > 40 else 0)  # darker than light grey
        assert ink.getbbox() is not None, f"{png.name} is blank"
        assert sum(ink.histogram()[255:]) > 0.005 * image.width * image.height, f"{png.name} is nearly blank"


def test_english_variant(analytics_ctx, tmp_path):
    report = build_report(analytics_ctx, latest_month(analytics_ctx), GUANGXI)
    pdf = write_pdf(report, tmp_path / "guangxi_en.pdf", lang="en")
    first = text(pdf, 1)
    assert "Page 1 of" in first
    assert squeeze(report.title("en")) in squeeze(first)
    assert squeeze(report.demo_note("en")) in squeeze(first)
    assert "Demo data" in text(pdf, 2)
    body = squeeze(text(pdf))
    for s in report.sections:
        assert squeeze(s.title_en) in body, s.title_en
    assert "第 1 页" not in first
