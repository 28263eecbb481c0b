"""The report centre: generate the monthly report in the chosen formats, archive each file with
who made it, when, from which data version and its checksum, and list the archive.

One generation builds the report once (``services.report.build_report``), renders its charts once
(for Word and PDF), then writes each format. Progress is written to the archive rows as it goes,
so a page served by any process can show it. ``schedule_monthly`` is what cron (``python app.py
report --monthly``) or an RQ worker runs at the start of a month.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

import pandas as pd
from sqlalchemy import insert, select, update

from indicators.regions import GUANGXI
from services.context import Context
from services.report import ReportRequestError, build_report, latest_month, report_region
from storage import repository as repo
from storage import tables as t

FORMATS = ("docx", "pdf", "xlsx", "pptx")
NEEDS_PNG = {"docx", "pdf"}
LANGS = ("zh", "en")
QUEUE_NAME = "econbrain-reports"
Progress = Callable[[float, str], None]


def _check(formats, lang: str) -> list[str]:
    formats = [f.lower() for f in (formats or FORMATS)]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ReportRequestError(f"未知格式 {', '.join(unknown) or '（空）'}，可选 {', '.join(FORMATS)} / "
                                 f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise ReportRequestError(f"语言应为 zh 或 en / language must be zh or en: {lang}")
    return list(dict.fromkeys(formats))


def filename(month: str, region: str, fmt: str, lang: str) -> str:
    stem = f"{month}_{region}_{'月度经济运行分析报告' if lang == 'zh' else 'monthly-report'}"
    if fmt == "pptx":
        stem = f"{month}_{region}_{'经济形势分析会' if lang == 'zh' else 'meeting-pack'}"
    return f"{stem}.{fmt}"


def request(ctx: Context, month: str, region: str = GUANGXI, formats=FORMATS, lang: str = "zh") -> str:
    """Record a generation request (one queued row per format) and return its id."""
    from services.report import check_month

    check_month(month)
    reg = report_region(ctx, region)
    formats = _check(formats, lang)
    rid = str(uuid.uuid4())
    now = repo.utcnow()
    with ctx.engine.begin() as conn:
        for fmt in formats:
            conn.execute(insert(t.report_archive).values(
                request=rid, month=month, region=reg.adcode, format=fmt, lang=lang, status="queued", progress=0.0,
                generated_by=ctx.viewer.user, requested_at=now))
    return rid


def _set(ctx: Context, rid: str, fmt: str | None = None, **values) -> None:
    q = update(t.report_archive).where(t.report_archive.c.request == rid)
    if fmt:
        q = q.where(t.report_archive.c.format == fmt)
    with ctx.engine.begin() as conn:
        conn.execute(q.values(**values))


def run(ctx: Context, rid: str, out_dir: Path | None = None, progress: Progress | None = None,
        out: Path | None = None) -> list[dict]:
    """Generate every file of request ``rid``; returns the archive rows. ``out`` names the file
    of a one-format request (the CLI's ``--out``). A failure marks the request failed with its
    message; files already written stay archived."""
    rows = jobs(ctx, rid)
    if not rows:
        raise ReportRequestError(f"没有生成请求 {rid} / no report request {rid}")
    first = rows[0]
    month, region, lang = first["month"], first["region"], first["lang"]
    formats = [r["format"] for r in rows]
    steps = 1 + (1 if NEEDS_PNG & set(formats) else 0) + len(formats)
    done = 0

    def tick(message: str) -> None:
        if progress:
            progress(done / steps, message)
        _set(ctx, rid, None, progress=done / steps, message=message)

    started = time.perf_counter()
    try:
        _set(ctx, rid, None, status="running")
        tick("汇总数据 / gathering the figures")
        report = build_report(ctx, month, region)
        done += 1
        pngs: dict[str, bytes] = {}
        if NEEDS_PNG & set(formats):
            tick("绘制图表 / drawing the charts")
            from reports.charts import render_all

            pngs = render_all(report.figures(), lang)
            done += 1
        out_dir = Path(out_dir or ctx.settings.reports_dir) / region / month
        out_dir.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            tick(f"生成 {fmt.upper()} / writing {fmt.upper()}")
            t0 = time.perf_counter()
            name = filename(month, region, fmt, lang)
            target = Path(out) if out and len(formats) == 1 else out_dir / f"{rid[:8]}_{name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            write(report, fmt, target, pngs, lang)
            done += 1
            data = target.read_bytes()
            _set(ctx, rid, fmt, status="done", progress=1.0, filename=name, path=str(target),
                 sha256=hashlib.sha256(data).hexdigest(), size=len(data), data_version=report.data_version,
                 analytics_refreshed_at=report.analytics_refreshed_at, finished_at=repo.utcnow(),
                 seconds=round(time.perf_counter() - t0, 3))
        with ctx.engine.begin() as conn:
            repo.audit(conn, ctx.viewer.user, "report", rid,
                       {"month": month, "region": region, "formats": formats, "lang": lang,
                        "seconds": round(time.perf_counter() - started, 2)})
        _set(ctx, rid, None, message="完成 / done")
        if progress:
            progress(1.0, "完成 / done")
    except Exception as exc:  # the archive says what went wrong; the caller decides how loud to be
        message = str(exc) if isinstance(exc, ReportRequestError) else f"生成失败 / generation failed: {exc!r}"
        with ctx.engine.begin() as conn:
            conn.execute(update(t.report_archive).where(t.report_archive.c.request == rid)
                         .where(t.report_archive.c.status != "done")
                         .values(status="failed", message=message, finished_at=repo.utcnow()))
        raise
    return jobs(ctx, rid)


def write(report, fmt: str, path: Path, pngs: dict[str, bytes], lang: str) -> Path:
    if fmt == "docx":
        from reports.docx import write_docx

        return write_docx(report, path, pngs, lang)
    if fmt == "pdf":
        from reports.pdf import write_pdf

        return write_pdf(report, path, pngs, lang)
    if fmt == "xlsx":
        from reports.xlsx import write_xlsx

        return write_xlsx(report, path, lang)
    from reports.pptx import write_pptx

    return write_pptx(report, path, lang)


def generate(ctx: Context, month: str, region: str = GUANGXI, formats=FORMATS, lang: str = "zh",
             out_dir: Path | None = None, progress: Progress | None = None, out: Path | None = None) -> list[dict]:
    """Request and run at once (the CLI, the scheduled job, tests)."""
    return run(ctx, request(ctx, month, region, formats, lang), out_dir, progress, out)


def start(ctx: Context, month: str, region: str = GUANGXI, formats=FORMATS, lang: str = "zh") -> str:
    """Request, then generate in a background thread of this process (the report centre page)."""
    rid = request(ctx, month, region, formats, lang)

    def work():
        try:
            run(ctx, rid)
        except Exception:  # recorded in the archive rows by run()
            pass

    threading.Thread(target=work, name=f"report-{rid[:8]}", daemon=True).start()
    return rid


def jobs(ctx: Context, rid: str) -> list[dict]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(t.report_archive).where(t.report_archive.c.request == rid)
                            .order_by(t.report_archive.c.id)).mappings().all()
    return [dict(r) for r in rows]


def archive(ctx: Context, limit: int = 200, region: str | None = None) -> pd.DataFrame:
    """Generated files, newest first, as far as the viewer may see their regions."""
    q = select(t.report_archive).order_by(t.report_archive.c.id.desc()).limit(limit)
    if region:
        q = q.where(t.report_archive.c.region == region)
    with ctx.engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(q).mappings().all(), columns=[c.name for c in t.report_archive.c])
    if len(frame):
        frame = frame[[ctx.viewer.can_see(r) for r in frame["region"]]].reset_index(drop=True)
    return frame.astype(object).where(frame.notna(), None)  # an unfinished row's blanks as None, not NaT/NaN


def archived_file(ctx: Context, archive_id: int) -> dict | None:
    """The archive row of a finished file the viewer may see, with its file still on disk."""
    with ctx.engine.connect() as conn:
        row = conn.execute(select(t.report_archive).where(t.report_archive.c.id == int(archive_id))).mappings().first()
    if row is None or row["status"] != "done" or not ctx.viewer.can_see(row["region"]):
        return None
    if not row["path"] or not Path(row["path"]).exists():
        return None
    return dict(row)


def verify(row: dict) -> bool:
    """Does the archived file still have the checksum recorded when it was made?"""
    return hashlib.sha256(Path(row["path"]).read_bytes()).hexdigest() == row["sha256"]


# ---- scheduled monthly generation ------------------------------------------------------------------

def monthly_targets(ctx: Context, month: str | None = None, regions=None) -> tuple[str, list[str]]:
    """The month to report (default: the newest month with stored signals) and the regions
    (default: Guangxi and the 14 cities the viewer may see)."""
    month = month or latest_month(ctx)
    if month is None:
        raise ReportRequestError("尚无分析结果，请先运行 refresh / no analytics stored yet: run `app.py refresh` first")
    if not regions:
        regions = [GUANGXI, *[c.adcode for c in ctx.regions.cities()]]
    return month, [r for r in regions if ctx.viewer.can_see(r)]


def schedule_monthly(ctx: Context, month: str | None = None, regions=None, formats=FORMATS, lang: str = "zh",
                     queue_url: str | None = None, progress: Progress | None = None) -> list[str]:
    """Generate (or, with a queue, enqueue) every region's report for the month; returns request ids.

    A region whose report for this month and data version is already archived is skipped, so a
    cron job may run daily and only the first run after new data does any work.
    """
    month, regions = monthly_targets(ctx, month, regions)
    formats = _check(formats, lang)
    existing = archive(ctx, limit=10_000)
    version = ctx.data_version
    out = []
    for region in regions:
        made = existing[(existing["month"] == month) & (existing["region"] == region) & (existing["status"] == "done")
                        & (existing["data_version"] == version) & (existing["lang"] == lang)] if len(existing) else existing
        if len(made) and set(formats) <= set(made["format"]):
            continue
        rid = request(ctx, month, region, formats, lang)
        if queue_url:
            from redis import Redis
            from rq import Queue

            Queue(QUEUE_NAME, connection=Redis.from_url(queue_url)).enqueue(
                run_queued, ctx.settings.model_dump_json(), rid, job_timeout=1800)
        else:
            run(ctx, rid, progress=progress)
        out.append(rid)
    return out


def run_queued(settings_json: str, rid: str) -> int:
    """The RQ job: open a context from the settings and generate request ``rid``."""
    from services.context import open_context
    from settings import Settings

    ctx = open_context(Settings.model_validate_json(settings_json))
    try:
        return len(run(ctx, rid))
    finally:
        ctx.engine.dispose()
