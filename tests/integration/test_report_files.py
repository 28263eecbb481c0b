"""The report centre end to end: Word and Excel files checked as a reader opens them, the archive's
checksums and data versions, the scheduled run, and the CLI (``app.py report``)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from reports.model import Paragraph, Table
from reports.xlsx import write_xlsx
from services import report_centre as centre
from services.report import build_report, latest_month

ROOT = Path(__file__).resolve().parents[2]
LIUZHOU = "450200"


@pytest.fixture(scope="module")
def month(analytics_ctx):
    return latest_month(analytics_ctx)


@pytest.fixture(scope="module")
def generated(analytics_ctx, month, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    rows = centre.generate(analytics_ctx, month, LIUZHOU, ["docx", "xlsx"], out_dir=out)
    return {r["format"]: r for r in rows}


def test_word_has_headings_contents_charts_and_page_numbers(generated, analytics_ctx, month):
    report = build_report(analytics_ctx, month, LIUZHOU)
    doc = docx.Document(generated["docx"]["path"])
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [s.title_zh for s in report.sections] == [h for h in headings if h not in ("总体判断", "附表")]
    assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == report.title_zh
    xml = doc.element.xml
    assert "TOC \\o" in xml, "a table-of-contents field"
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer, "page numbers in the footer"
    assert report.demo_note("zh") in doc.sections[0].header.paragraphs[0].text
    assert len(doc.inline_shapes) == len(report.figures()) >= 15
    assert len(doc.tables) == len(report.appendix)
    assert report.headline.zh in [p.text for p in doc.paragraphs]


def test_excel_has_a_sheet_per_domain_with_native_charts(generated):
    wb = openpyxl.load_workbook(generated["xlsx"]["path"])
    names = wb.sheetnames
    assert names[0] == "说明"
    for sheet in ("经济总量", "工业", "投资", "消费", "外贸", "财政", "就业", "监测预警", "预判与目标"):
        assert sheet in names
    charted = [ws.title for ws in wb.worksheets if ws._charts]
    assert len(charted) >= 9, charted
    ws = wb["消费"]
    assert ws["A1"].value.startswith("演示数据")
    assert any(c.value == "社会消费品零售总额" for row in ws.iter_rows() for c in row)
    assert not [c for w in wb.worksheets for row in w.iter_rows() for c in row if c.data_type == "f"]


def test_excel_neutralises_formula_like_text(analytics_ctx, month, tmp_path):
    report = build_report(analytics_ctx, month, LIUZHOU)
    bad = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)"]
    report.headline = Paragraph(bad[0], bad[0])
    section = report.sections[0]
    section.tables = [Table("t", "表", "t", [("name_zh", "指标", "Indicator")], [{"name_zh": b} for b in bad])]
    path = write_xlsx(report, tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = [c for w in wb.worksheets for row in w.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c for w in wb.worksheets for row in w.iter_rows() for c in row if c.data_type == "f"]
    risky = [c.value for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert risky == []
    assert "'" + bad[0] in [c.value for c in cells] and "'@SUM(A1)" in [c.value for c in cells]


def test_archive_records_version_author_and_checksum(generated, analytics_ctx):
    for row in generated.values():
        assert row["status"] == "done"
        assert row["sha256"] == hashlib.sha256(Path(row["path"]).read_bytes()).hexdigest()
        assert row["data_version"] == analytics_ctx.data_version
        assert row["generated_by"] == analytics_ctx.viewer.user
        assert row["size"] == Path(row["path"]).stat().st_size
        assert centre.verify(row)
    frame = centre.archive(analytics_ctx)
    assert {r["id"] for r in generated.values()} <= set(frame["id"])


def test_scheduled_run_skips_what_is_archived(analytics_ctx, month, tmp_path):
    settings = analytics_ctx.settings.model_copy(update={"reports_dir": tmp_path})
    ctx = dataclasses.replace(analytics_ctx, settings=settings)
    # an English March report: nothing else in the session makes one
    centre.schedule_monthly(ctx, "2026-03", regions=[LIUZHOU], formats=["xlsx"], lang="en")
    made = centre.archive(ctx)
    made = made[(made["month"] == "2026-03") & (made["lang"] == "en") & (made["region"] == LIUZHOU)]
    assert (made["status"] == "done").any() and (made["data_version"] == ctx.data_version).all()
    assert centre.schedule_monthly(ctx, "2026-03", regions=[LIUZHOU], formats=["xlsx"], lang="en") == []


def test_bad_requests_are_refused_in_both_languages(analytics_ctx):
    from services.report import ReportRequestError

    with pytest.raises(ReportRequestError, match="YYYY-MM"):
        centre.request(analytics_ctx, "2026/10", LIUZHOU, ["xlsx"])
    with pytest.raises(ReportRequestError, match="unknown format"):
        centre.request(analytics_ctx, "2026-10", LIUZHOU, ["odt"])
    with pytest.raises(ReportRequestError, match="14 cities"):
        centre.request(analytics_ctx, "2026-10", "450202", ["xlsx"])  # a county


def test_cli_writes_the_file_and_refuses_bad_input(analytics_database_url, month, tmp_path):
    env = {**os.environ, "ECONBRAIN_DATABASE_URL": analytics_database_url, "ECONBRAIN_REPORTS_DIR": str(tmp_path)}
    out = tmp_path / "lz.xlsx"
    done = subprocess.run([sys.executable, "app.py", "report", "--month", month, "--region", "柳州", "--format", "xlsx",
                           "--out", str(out), "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.exists() and hashlib.sha256(out.read_bytes()).hexdigest()[:12] in done.stdout
    bad = subprocess.run([sys.executable, "app.py", "report", "--month", "2026-13", "--format", "docx", "--out",
                          str(tmp_path / "x.docx"), "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "无效月份" in bad.stderr and "invalid month" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_scheduled_run_through_an_rq_worker(analytics_database_url, tmp_path):
    """With a queue, the monthly run only enqueues; a worker (``app.py worker --burst``) makes the files."""
    import redis

    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis not reachable at {url} on CI")
        pytest.skip(f"Redis not reachable at {url}")
    redis.Redis.from_url(url).flushdb()
    from services.context import open_context
    from settings import Settings

    from sqlalchemy import delete

    from storage import tables as tb

    ctx = open_context(Settings(database_url=analytics_database_url, reports_dir=tmp_path))
    # an English February report of 柳州: nothing else makes one (an earlier run's would be skipped)
    with ctx.engine.begin() as conn:
        conn.execute(delete(tb.report_archive).where(tb.report_archive.c.month == "2026-02")
                     .where(tb.report_archive.c.region == LIUZHOU).where(tb.report_archive.c.lang == "en"))
    ids = centre.schedule_monthly(ctx, "2026-02", regions=[LIUZHOU], formats=["xlsx"], lang="en", queue_url=url)
    assert len(ids) == 1 and centre.jobs(ctx, ids[0])[0]["status"] == "queued"
    env = {**os.environ, "ECONBRAIN_DATABASE_URL": analytics_database_url}
    done = subprocess.run([sys.executable, "app.py", "worker", "--queue", url, "--burst"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    row = centre.jobs(ctx, ids[0])[0]
    assert row["status"] == "done" and Path(row["path"]).parent.parent.parent == tmp_path
    assert centre.verify(row)
    ctx.engine.dispose()
