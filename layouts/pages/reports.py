"""报告中心 Report centre (``/reports``): choose a month, a region and formats, generate the monthly
report and the meeting pack with a progress bar, and download from the archive — who generated
each file, when, from which data version, with its SHA-256 checksum.

Generation runs in a background thread of the serving process (``services.report_centre.start``)
and writes its progress to the archive rows, which the page polls; the files are served by the
route ``/reports/file/<id>`` registered here. Scheduled generation is the CLI's
``python app.py report --monthly`` (cron) or an RQ job.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, dcc, html, no_update

from indicators.regions import GUANGXI
from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.shell import CONTEXT_KEY, TITLE, current_context
from services import analytics_view as views
from services import report_centre as centre
from services.report import ReportRequestError, report_months

PATH = "/reports"
MONTHS_OFFERED = 24
ARCHIVE_ROWS = 50
POLL_MS = 700


class Reports:
    MONTH = "reports-month"
    REGION = "reports-region"
    FORMATS = "reports-formats"
    LANG = "reports-lang"
    GENERATE = "reports-generate"
    REQUEST = "reports-request"  # dcc.Store: the request being generated
    POLL = "reports-poll"
    PROGRESS = "reports-progress"
    STATUS = "reports-status"
    ARCHIVE = "reports-archive"
    PAGE_LANG = "reports-page-lang"
    PRESENT = "reports-present-link"


i18n.register({
    "reports_title": ("报告中心", "Report centre"),
    "reports_sub": ("月度经济运行分析报告与经济形势分析会材料", "The monthly situation report and the analysis-meeting pack"),
    "reports_month": ("月份", "Month"),
    "reports_region": ("地区", "Region"),
    "reports_formats": ("格式", "Formats"),
    "reports_lang": ("语言", "Language"),
    "reports_generate": ("生成报告", "Generate"),
    "reports_new": ("生成新报告", "New report"),
    "reports_progress": ("生成进度", "Progress"),
    "reports_archive": ("报告归档", "Archive"),
    "reports_archive_sub": ("每份文件记录生成人、时间、数据版本和 SHA-256 校验值",
                            "Each file records who generated it, when, from which data version, and its SHA-256"),
    "reports_present": ("演示模式", "Presentation mode"),
    "reports_present_sub": ("全屏播放同一组幻灯片，方向键翻页，F 键全屏", "The same slides live, full screen: arrow keys to move, F for full screen"),
    "reports_schedule": ("定时生成", "Scheduled generation"),
    "reports_schedule_text": ("每月初由 cron 执行以下命令，为全区和 14 个设区市生成全部格式（已归档的同一数据版本会跳过）；"
                              "配置 ECONBRAIN_QUEUE_URL 时任务交给 RQ 计算节点（python app.py worker）。",
                              "Cron runs this at the start of each month: every format for Guangxi and the 14 cities "
                              "(skipping what is archived for the same data version); with ECONBRAIN_QUEUE_URL the work "
                              "goes to RQ workers (python app.py worker)."),
    "reports_no_data": ("尚无分析结果，暂不能生成报告：后台更新完成后刷新本页即可（进度见页首），或运行 python app.py refresh。",
                        "No analytics stored yet, so no report can be made: reload this page when the background "
                        "refresh has finished (progress at the top), or run python app.py refresh."),
    "reports_empty": ("尚未生成报告。", "No reports generated yet."),
    "reports_col_time": ("生成时间", "Generated"),
    "reports_col_month": ("月份", "Month"),
    "reports_col_region": ("地区", "Region"),
    "reports_col_format": ("格式", "Format"),
    "reports_col_lang": ("语言", "Lang"),
    "reports_col_by": ("生成人", "By"),
    "reports_col_version": ("数据版本", "Data version"),
    "reports_col_sha": ("SHA-256", "SHA-256"),
    "reports_col_size": ("大小", "Size"),
    "reports_col_status": ("状态", "Status"),
    "reports_col_file": ("文件", "File"),
    "reports_download": ("下载", "Download"),
    "reports_status_queued": ("排队中", "queued"),
    "reports_status_running": ("生成中", "running"),
    "reports_status_done": ("已完成", "done"),
    "reports_status_failed": ("失败", "failed"),
    "reports_choose_format": ("请至少选择一种格式。", "Choose at least one format."),
    "reports_started": ("已开始生成……", "Generating…"),
    "reports_finished": ("生成完成，用时 {s} 秒。", "Done in {s} s."),
    "reports_failed": ("生成失败：{m}", "Generation failed: {m}"),
})

dash.register_page(__name__, path=PATH, name="reports", title=f"报告中心 Report centre · {TITLE}")

FORMAT_LABELS = {"docx": "Word (.docx)", "pdf": "PDF", "xlsx": "Excel (.xlsx)", "pptx": "PowerPoint (.pptx)"}


def month_options(ctx) -> list[str]:
    return report_months(ctx)[::-1][:MONTHS_OFFERED]


def _one(value):
    return (value[-1] if value else None) if isinstance(value, list) else value


def layout(lang=None, month=None, region=None, **_params):
    ctx = current_context()
    lang = i18n.resolve(lang, ctx.settings.language)
    months = month_options(ctx)
    month = _one(month) if _one(month) in months else (months[0] if months else None)
    regions = [{"label": r["name_zh"] if lang == "zh" else r["name_en"], "value": r["adcode"]}
               for r in views.region_choices(ctx)]
    region = _one(region) if _one(region) in {o["value"] for o in regions} else (regions[0]["value"] if regions else GUANGXI)
    form = html.Div([
        _field(t("reports_month", lang), dcc.Dropdown(id=Reports.MONTH, options=months, value=month, clearable=False,
                                                      className="eb-select")),
        _field(t("reports_region", lang), dcc.Dropdown(id=Reports.REGION, options=regions, value=region,
                                                       clearable=False, className="eb-select")),
        _field(t("reports_formats", lang), dcc.Checklist(
            id=Reports.FORMATS, options=[{"label": FORMAT_LABELS[f], "value": f} for f in centre.FORMATS],
            value=list(centre.FORMATS), inline=True, className="eb-report-formats", inputClassName="me-1",
            labelClassName="me-3")),
        _field(t("reports_lang", lang), dcc.RadioItems(
            id=Reports.LANG, options=[{"label": "中文", "value": "zh"}, {"label": "English", "value": "en"}],
            value=lang, inline=True, inputClassName="me-1", labelClassName="me-3")),
        html.Button(t("reports_generate", lang), id=Reports.GENERATE, className="btn btn-primary eb-report-generate",
                    disabled=not months),
    ], className="eb-report-form")
    progress = html.Div([
        dbc.Progress(id=Reports.PROGRESS, value=0, label="", striped=True, animated=False, className="eb-report-bar"),
        html.Div(c.message(t("reports_no_data", lang), "warning") if not months else None, id=Reports.STATUS,
                 className="eb-report-status"),
    ])
    present = html.Div([
        html.P(t("reports_present_sub", lang)),
        dcc.Link(t("reports_present", lang) + " →", href=c.href("/present", lang, ctx.settings.language,
                                                                 month=month, region=region),
                 className="btn btn-outline-primary", id=Reports.PRESENT),
        html.H4(t("reports_schedule", lang), className="eb-report-h4"),
        html.P(t("reports_schedule_text", lang)),
        html.Pre("0 6 1 * *  cd /srv/econbrain && .venv/bin/python app.py report --monthly --quiet",
                 className="eb-code"),
    ])
    body = [
        dcc.Store(id=Reports.REQUEST), dcc.Store(id=Reports.PAGE_LANG, data=lang),
        dcc.Interval(id=Reports.POLL, interval=POLL_MS, disabled=True),
        c.page_header(t("reports_title", lang), t("reports_sub", lang)),
        html.Div([
            c.panel(t("reports_new", lang), [form, progress], class_name="eb-col-7"),
            c.panel(t("reports_present", lang), present, class_name="eb-col-5"),
        ], className="eb-row"),
        c.panel(t("reports_archive", lang), html.Div(archive_table(ctx, lang), id=Reports.ARCHIVE),
                subtitle=t("reports_archive_sub", lang)),
    ]
    return c.page(ctx, lang, PATH, html.Div(body, className="eb-analytics eb-reports"))


def _field(label: str, control) -> html.Div:
    return html.Div([html.Label(label, className="eb-select-label"), control], className="eb-report-field")


def _size(n) -> str:
    if n is None or n != n:
        return "—"
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


def archive_table(ctx, lang: str):
    frame = centre.archive(ctx, limit=ARCHIVE_ROWS)
    if frame.empty:
        return c.message(t("reports_empty", lang), "info")
    names = {r.adcode: (r.name_zh if lang == "zh" else r.name_en) for r in ctx.regions}
    head = html.Thead(html.Tr([html.Th(t(f"reports_col_{k}", lang)) for k in
                               ("time", "month", "region", "format", "lang", "by", "version", "sha", "size", "status",
                                "file")]))
    rows = []
    for r in frame.to_dict("records"):
        when = r["finished_at"] or r["requested_at"]
        link = (html.A(t("reports_download", lang), href=f"/reports/file/{int(r['id'])}", className="eb-report-download")
                if r["status"] == "done" else html.Span(r["message"] or "", className="eb-report-failed"
                                                        if r["status"] == "failed" else ""))
        sha = r["sha256"] or ""
        rows.append(html.Tr([
            html.Td(when.strftime("%Y-%m-%d %H:%M:%S") if hasattr(when, "strftime") else str(when)),
            html.Td(r["month"]), html.Td(names.get(r["region"], r["region"])), html.Td(r["format"].upper()),
            html.Td(r["lang"]), html.Td(r["generated_by"]),
            html.Td("—" if r["data_version"] is None else f"v{int(r['data_version'])}"),
            html.Td(html.Code(sha[:12] + "…" if sha else "—", title=sha)), html.Td(_size(r["size"])),
            html.Td(t(f"reports_status_{r['status']}", lang), className=f"eb-report-{r['status']}"), html.Td(link),
        ]))
    return html.Table([head, html.Tbody(rows)], className="table table-sm eb-table eb-report-archive")


def register_callbacks(app) -> None:
    server = app.server

    @server.route("/reports/file/<int:archive_id>")
    def report_file(archive_id: int):
        ctx = server.config[CONTEXT_KEY]
        row = centre.archived_file(ctx, archive_id)
        if row is None:
            return flask.Response("没有这个报告文件 / no such report file", status=404, mimetype="text/plain")
        return flask.send_file(row["path"], as_attachment=True, download_name=row["filename"])

    @app.callback(
        Output(Reports.REQUEST, "data"), Output(Reports.POLL, "disabled"), Output(Reports.STATUS, "children"),
        Output(Reports.PROGRESS, "value"), Output(Reports.PROGRESS, "label"),
        Input(Reports.GENERATE, "n_clicks"),
        State(Reports.MONTH, "value"), State(Reports.REGION, "value"), State(Reports.FORMATS, "value"),
        State(Reports.LANG, "value"), State(Reports.PAGE_LANG, "data"),
        prevent_initial_call=True,
    )
    def generate(n_clicks, month, region, formats, report_lang, lang):
        if not n_clicks:
            return no_update, no_update, no_update, no_update, no_update
        if not formats:
            return None, True, c.message(t("reports_choose_format", lang), "warning"), 0, ""
        try:
            rid = centre.start(current_context(), month, region, formats, report_lang or "zh")
        except ReportRequestError as exc:
            return None, True, c.message(str(exc), "danger"), 0, ""
        return rid, False, t("reports_started", lang), 2, ""

    @app.callback(
        Output(Reports.PRESENT, "href"),
        Input(Reports.MONTH, "value"), Input(Reports.REGION, "value"), State(Reports.PAGE_LANG, "data"),
        prevent_initial_call=True,
    )
    def present_link(month, region, lang):
        """The presentation of the month and region chosen in the form."""
        ctx = current_context()
        return c.href("/present", lang, ctx.settings.language, month=month, region=region)

    @app.callback(
        Output(Reports.PROGRESS, "value", allow_duplicate=True), Output(Reports.PROGRESS, "label", allow_duplicate=True),
        Output(Reports.STATUS, "children", allow_duplicate=True), Output(Reports.POLL, "disabled", allow_duplicate=True),
        Output(Reports.ARCHIVE, "children"),
        Input(Reports.POLL, "n_intervals"), State(Reports.REQUEST, "data"), State(Reports.PAGE_LANG, "data"),
        prevent_initial_call=True,
    )
    def poll(_n, rid, lang):
        if not rid:
            return no_update, no_update, no_update, True, no_update
        ctx = current_context()
        rows = centre.jobs(ctx, rid)
        return progress_view(ctx, rows, lang)


def progress_view(ctx, rows: list[dict], lang: str):
    """(bar value, bar label, status, stop polling, archive) for the rows of one request."""
    if not rows:
        return 0, "", "", True, no_update
    value = round(100 * min(r["progress"] or 0.0 for r in rows))
    failed = [r for r in rows if r["status"] == "failed"]
    finished = all(r["status"] in ("done", "failed") for r in rows)
    if failed:
        return value, f"{value}%", c.message(t("reports_failed", lang).format(m=failed[0]["message"]), "danger"), True, \
            archive_table(ctx, lang)
    if finished:
        seconds = sum(r["seconds"] or 0 for r in rows)
        start = min(r["requested_at"] for r in rows)
        end = max(r["finished_at"] for r in rows)
        links = [html.A(f"{t('reports_download', lang)} {r['format'].upper()}", href=f"/reports/file/{int(r['id'])}",
                        className="btn btn-sm btn-success me-2 eb-report-download") for r in rows]
        total = (end - start).total_seconds() if end and start else seconds
        return 100, "100%", html.Div([html.Span(t("reports_finished", lang).format(s=f"{total:.1f}"),
                                               className="me-3"), *links]), True, archive_table(ctx, lang)
    message = rows[0]["message"] or t("reports_started", lang)
    return max(value, 2), f"{value}%", message, False, no_update
