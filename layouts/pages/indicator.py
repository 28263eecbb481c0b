"""指标详情 Indicator detail: one indicator in one region, for analysts drilling down.

``/indicator/<code>?region=450200&transform=yoy&as_of=2025-06-30&compare=450100,450300&lang=en``

The URL is the view state: every control writes its value into the query, so a link opens as it
was seen and Back restores the previous view. A control change is applied in place (see
``layouts/in_place.py``): the browser makes the new view store from the controls
(``assets/indicator.js``), the panels redraw from it while :func:`label_view` updates the labels
that name the view, and the router leaves the page standing; any other URL change rebuilds the page
from the URL.
The panels' callbacks read the view from that store; each unpacks it, calls one service function
of ``services.indicator_view`` and one figure or view function.
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update

from figures import indicator as figures
from layouts import components as c
from layouts import i18n, in_place
from layouts import markup as m
from layouts.i18n import t
from layouts.ids import Shell
from layouts.shell import TITLE, current_context
from services import indicator_view as service
from services.indicator_view import TRANSFORM_LABELS, IndicatorRequestError


class Ind:
    """Component ids of this page."""

    VIEW = "indicator-view"  # dcc.Store: the request read from the URL, and the language
    SUBJECT = "indicator-subject"  # dcc.Store: indicator, region, language — what the metadata panels read
    SUBTITLE = "indicator-subtitle"
    CHART_SUB = "indicator-chart-sub"
    REGION = "indicator-region"
    TRANSFORM = "indicator-transform"
    AS_OF = "indicator-as-of"
    COMPARE = "indicator-compare"
    NOTICE = "indicator-notice"
    META = "indicator-meta"
    QUALITY = "indicator-quality"
    CHART = "indicator-chart"
    CHART_NOTES = "indicator-chart-notes"
    REVISIONS = "indicator-revisions"
    RANKING = "indicator-ranking"
    RANK_TEXT = "indicator-rank-text"
    GRID = "indicator-grid"
    CSV = "indicator-csv"
    XLSX = "indicator-xlsx"
    DOWNLOAD = "indicator-download"


PATH_TEMPLATE = "/indicator/<code>"
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": "hover", "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}
REVISIONS_SHOWN = 12

i18n.register({
    "ind_title": ("指标详情", "Indicator detail"),
    "ind_region": ("地区", "Region"),
    "ind_transform": ("口径", "Transform"),
    "ind_as_of": ("截至日期", "As of"),
    "ind_as_of_placeholder": ("最新", "Latest"),
    "ind_compare": ("对比地区", "Compare with"),
    "ind_compare_placeholder": ("选择地区…", "Choose regions…"),
    "ind_chart_title": ("走势", "Trend"),
    "ind_meta_title": ("指标说明", "About the indicator"),
    "ind_quality_title": ("数据质量", "Data quality"),
    "ind_revisions_title": ("修订记录", "Revisions"),
    "ind_ranking_title": ("14 市排名", "Rank among the 14 cities"),
    "ind_table_title": ("数据表", "Data table"),
    "ind_csv": ("下载 CSV", "Download CSV"),
    "ind_xlsx": ("下载 Excel", "Download Excel"),
    "ind_unknown": ("未找到该指标。请从经济领域或专题的指标目录进入。",
                    "This indicator was not found. Open one from the indicator catalog of a domain or topic."),
    "ind_definition": ("定义", "Definition"),
    "ind_code": ("指标代码", "Code"),
    "ind_price_basis": ("价格口径", "Price basis"),
    "ind_release_lag": ("发布滞后", "Release lag"),
    "ind_days": ("天", "days"),
    "ind_jan_feb": ("1-2月合并发布", "January and February released together"),
    "ind_last_update": ("最近更新", "Last update"),
    "ind_yes": ("是", "yes"),
    "ind_no": ("否", "no"),
    "ind_price_current": ("现价", "Current prices"),
    "ind_price_constant": ("不变价", "Constant prices"),
    "ind_price_comparable": ("可比价", "Comparable prices"),
    "ind_price_none": ("—", "—"),
    "ind_q_latest": ("最新数据", "Latest figure"),
    "ind_q_batch": ("来源批次", "From batch"),
    "ind_q_timeliness": ("及时性", "Timeliness"),
    "ind_q_on_time": ("按时：应发布至 {expected}，已有 {latest}", "On time: due up to {expected}, stored up to {latest}"),
    "ind_q_overdue": ("逾期：应发布至 {expected}，仅有 {latest}", "Overdue: due up to {expected}, stored up to {latest}"),
    "ind_q_late": ("迟报", "Late submissions"),
    "ind_q_late_none": ("无", "none"),
    "ind_q_revisions": ("修订", "Revisions"),
    "ind_q_revisions_text": ("{periods} 个时期共修订 {n} 次", "{n} revisions of {periods} periods"),
    "ind_q_rejected": ("被拒数据行", "Rejected rows"),
    "ind_q_rejected_text": ("{n} 行（批次 {batches}）", "{n} rows (batches {batches})"),
    "ind_q_faults": ("演示数据预置问题", "Faults planted in the demo data"),
    "ind_q_no_data": ("没有数据", "no data"),
    "ind_q_as_of": ("按 {today} 计", "as at {today}"),
    "ind_rev_period": ("时期", "Period"),
    "ind_rev_vintage": ("修订日期", "Revised on"),
    "ind_rev_previous": ("原值", "Previous"),
    "ind_rev_value": ("修订值", "Revised"),
    "ind_rev_change": ("变化", "Change"),
    "ind_rev_none": ("截至所选日期没有修订。", "No revisions known on the chosen date."),
    "ind_rev_count": ("共 {n} 次修订，显示最近 {shown} 次；图中空心红点为修订前的首次发布值。",
                      "{n} revisions, the latest {shown} shown; hollow red markers in the chart are first releases."),
    "ind_rank_city": ("{city}：第 {rank} 名（共 {n} 市）· {period}", "{city}: rank {rank} of {n} · {period}"),
    "ind_rank_nodata": ("{city}：{period} 无数据", "{city}: no data for {period}"),
    "ind_rank_region": ("{period} · 虚线为全区 {value}", "{period} · dashed line: Guangxi {value}"),
    "ind_rank_order_desc": ("由高到低排名", "ranked from highest"),
    "ind_rank_order_asc": ("由低到高排名（越低越好）", "ranked from lowest (lower is better)"),
    "ind_rank_county": ("所选县区属于{city}", "the selected county belongs to {city}"),
    "ind_col_period": ("时期", "Period"),
    "ind_col_vintage": ("发布日期", "Published"),
    "ind_col_status": ("状态", "Status"),
    "ind_as_of_note": ("显示截至 {date} 已知的数据版本", "Showing the data as known on {date}"),
    "ind_unit": ("单位", "Unit"),
})


def _title(code=None, **_params):
    return f"{code} · 指标详情 Indicator · {TITLE}"


dash.register_page(__name__, path_template=PATH_TEMPLATE, name="indicator", title=_title)


# ---- layout ------------------------------------------------------------------------------------

def layout(code=None, lang=None, region=None, transform=None, as_of=None, compare=None, shown=None, **_params):
    path = f"/indicator/{code}"
    if in_place.already_shown(path, dict(lang=lang, region=region, transform=transform, as_of=as_of, compare=compare),
                              shown):
        return no_update  # the page's own control wrote this URL and has already applied it
    ctx = current_context()
    default = ctx.settings.language
    lang = i18n.resolve(lang, default)
    try:
        req = service.parse_request(ctx, code, region=region, transform=transform, as_of=as_of, compare=compare)
    except IndicatorRequestError as exc:
        body = [c.page_header(t("ind_title", lang)), c.message(str(exc), "warning"),
                c.message(t("ind_unknown", lang), "info"),
                dcc.Link(t("back_home", lang), href=c.href("/", lang, default))]
        return c.page(ctx, lang, path, body)
    ind = ctx.catalog[req.code]
    region_items = _region_items(ctx, ind, lang)
    available = service.available_transforms(ind)
    view = _view(req, path, lang, default)
    controls = html.Div([
        _control(t("ind_region", lang), dcc.Dropdown(
            id=Ind.REGION, options=region_items, value=req.region, clearable=False, className="ind-select")),
        _control(t("ind_transform", lang), dbc.RadioItems(
            id=Ind.TRANSFORM, value=req.transform, inline=True, class_name="ind-transform btn-group",
            input_class_name="btn-check", label_class_name="btn btn-outline-primary btn-sm",
            label_checked_class_name="active",
            options=[{"label": TRANSFORM_LABELS[k][1 if lang == "en" else 0], "value": k,
                      "disabled": k not in available} for k in service.TRANSFORMS])),
        _control(t("ind_as_of", lang), dcc.DatePickerSingle(
            id=Ind.AS_OF, date=req.as_of.isoformat() if req.as_of else None, clearable=True,
            display_format="YYYY-MM-DD", placeholder=t("ind_as_of_placeholder", lang),
            min_date_allowed=service.MIN_DATE.isoformat(), first_day_of_week=1, className="ind-date")),
        _control(t("ind_compare", lang), dcc.Dropdown(
            id=Ind.COMPARE, options=_compare_options(region_items, req.region), value=list(req.compare),
            multi=True, placeholder=t("ind_compare_placeholder", lang), className="ind-select ind-compare")),
    ], className="ind-controls")
    body = [
        dcc.Store(id=Ind.VIEW, data=view),
        dcc.Store(id=Ind.SUBJECT, data=_subject(view)),
        c.page_header(ind.name(lang), html.Span(_subtitle(ctx, ind, req, lang), id=Ind.SUBTITLE)),
        controls,
        html.Div(_notices(req, lang), id=Ind.NOTICE),
        html.Div([
            c.panel(t("ind_chart_title", lang),
                    [dcc.Graph(id=Ind.CHART, config=GRAPH_CONFIG, className="ind-graph-chart"),
                     html.Div(id=Ind.CHART_NOTES, className="ind-notes")],
                    subtitle=html.Span(_transform_label(req, lang), id=Ind.CHART_SUB), class_name="ind-col-8"),
            c.panel(t("ind_meta_title", lang), html.Div(id=Ind.META), class_name="ind-col-4"),
        ], className="eb-row ind-row"),
        html.Div([
            c.panel(t("ind_ranking_title", lang),
                    [html.Div(id=Ind.RANK_TEXT, className="ind-rank-text"),
                     dcc.Graph(id=Ind.RANKING, config=GRAPH_CONFIG, className="ind-graph-ranking")],
                    class_name="ind-col-5"),
            c.panel(t("ind_quality_title", lang), html.Div(id=Ind.QUALITY), class_name="ind-col-3"),
            c.panel(t("ind_revisions_title", lang), html.Div(id=Ind.REVISIONS), class_name="ind-col-4"),
        ], className="eb-row ind-row"),
        c.panel(t("ind_table_title", lang), [
            html.Div([
                html.Button(t("ind_csv", lang), id=Ind.CSV, className="btn btn-outline-primary btn-sm"),
                html.Button(t("ind_xlsx", lang), id=Ind.XLSX, className="btn btn-primary btn-sm"),
                dcc.Download(id=Ind.DOWNLOAD),
            ], className="ind-downloads"),
            dag.AgGrid(id=Ind.GRID, rowData=[], columnDefs=[], className="ind-grid",
                       columnSize="responsiveSizeToFit",
                       csvExportParams={"fileName": f"{file_stem(req)}.csv"},
                       defaultColDef={"sortable": True, "resizable": True, "minWidth": 96},
                       dashGridOptions={"pagination": True, "paginationPageSize": 24,
                                        "paginationPageSizeSelector": False, "animateRows": False}),
        ], class_name="ind-table-panel"),
    ]
    return c.page(ctx, lang, path, body, params=req.query())


# ---- the view state (shared by the layout and the in-place change) ---------------------------------

def _view(req, path: str, lang: str, default: str) -> dict:
    """What the callbacks read: the request and the language, and the URL the page shows (for the
    router, see layouts/in_place.py). A control change makes the next one in the browser
    (``assets/indicator.js``), with the defaults the URL leaves out."""
    return {"code": req.code, "region": req.region, "transform": req.transform,
            "as_of": req.as_of.isoformat() if req.as_of else None, "compare": list(req.compare),
            "lang": lang, "default_lang": default, "path": path,
            "defaults": dict(service.QUERY_DEFAULTS),
            **in_place.url_record(path, req.query(), lang, default)}


def file_stem(req) -> str:
    """The name of downloads: indicator, region, transform and the as-of date."""
    return f"{req.code}_{req.region}_{req.transform}" + (f"_asof_{req.as_of}" if req.as_of else "")


def _subject(view: dict) -> dict:
    """The part of the view the definition and data-quality panels depend on: they stay as they are
    when only the transform, the date or the comparison changes."""
    return {k: view[k] for k in ("code", "region", "lang", "default_lang")}


def _region_items(ctx, ind, lang: str) -> list[dict]:
    return [{"label": f"{r.name(lang)} · {r.adcode}", "value": r.adcode} for r in service.region_options(ctx, ind)]


def _compare_options(region_items: list[dict], region: str) -> list[dict]:
    return [o for o in region_items if o["value"] != region]


def _subtitle(ctx, ind, req, lang: str) -> str:
    return f"{ctx.regions[req.region].name(lang)} · {ind.code} · {i18n.unit(ind.unit, lang)}"


def _transform_label(req, lang: str) -> str:
    return TRANSFORM_LABELS[req.transform][1 if lang == "en" else 0]


def _notices(req, lang: str) -> list:
    notices = [c.message(n.text(lang), n.kind) for n in req.problems]
    if req.as_of:
        notices.append(c.message(t("ind_as_of_note", lang).format(date=req.as_of.isoformat()), "info"))
    return notices


def _control(label: str, control) -> html.Div:
    return html.Div([html.Label(label, className="ind-control-label"), control], className="ind-control")


# ---- views (view models → components) ------------------------------------------------------------

def _fmt_dt(value) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else "—"


def _facts(rows) -> html.Dl:
    items = []
    for key, value in rows:
        items += [html.Dt(key), html.Dd(value)]
    return html.Dl(items, className="ind-facts")


def metadata_view(meta: dict, lang: str) -> html.Dl:
    yes_no = t("ind_yes" if meta["jan_feb_combined"] else "ind_no", lang)
    return _facts([
        (t("ind_definition", lang), meta["definition_en"] if lang == "en" else meta["definition_zh"]),
        (t("col_unit", lang), i18n.unit(meta["unit"], lang)),
        (t("col_source", lang), i18n.source_unit(meta["source_unit"], lang)),
        (t("col_frequency", lang), t(f"freq_{meta['frequency']}", lang)),
        (t("col_publication", lang), t(f"pub_{meta['publication']}", lang)),
        (t("ind_price_basis", lang), t(f"ind_price_{meta['price_basis']}", lang)),
        (t("ind_release_lag", lang), f"{meta['release_lag_days']} {t('ind_days', lang)}"),
        (t("ind_jan_feb", lang), yes_no),
        (t("ind_last_update", lang), _fmt_dt(meta["last_update"])),
        (t("ind_code", lang), html.Code(meta["code"])),
    ])


def quality_view(q: dict, unit: str, decimals: int, lang: str) -> html.Div:
    if q["latest_period"] is None:
        return c.message(t("ind_q_no_data", lang), "warning")
    batch = q["batch"] or {}
    timeliness = t("ind_q_overdue" if q["overdue"] else "ind_q_on_time", lang).format(
        expected=q["expected_period"], latest=q["latest_period"])
    late = ", ".join(f"{x['period']} ({x['status']})" for x in q["late"][:6]) or t("ind_q_late_none", lang)
    if len(q["late"]) > 6:
        late += f" … (+{len(q['late']) - 6})"
    rows = [
        (t("ind_q_latest", lang), f"{q['latest_period']} · {c.fmt(q['latest_value'], decimals, lang)} "
                                  f"{i18n.unit(unit, lang)} · {_fmt_dt(q.get('latest_vintage'))}"),
        (t("ind_q_batch", lang), f"#{batch.get('id', '—')} {batch.get('file_name', '')} · "
                                 f"{i18n.source_unit(batch.get('source_unit') or '', lang)}"),
        (t("ind_q_timeliness", lang), html.Span(timeliness, className="ind-bad" if q["overdue"] else "ind-good")),
        (t("ind_q_late", lang), html.Span(late, className="ind-bad" if q["late"] else None)),
        (t("ind_q_revisions", lang), t("ind_q_revisions_text", lang).format(n=q["revisions"],
                                                                             periods=q["revised_periods"])),
        (t("ind_q_rejected", lang), t("ind_q_rejected_text", lang).format(
            n=q["rejected_rows"], batches=", ".join(f"#{b}" for b in q["rejected_batches"]) or "—")
         if q["rejected_rows"] else t("ind_q_late_none", lang)),
    ]
    if q["faults"]:
        rows.append((t("ind_q_faults", lang), "; ".join(
            f"{f.get('kind')} {f.get('period', '')}" + (f" — {f['note']}" if f.get("note") else "")
            for f in q["faults"])))
    return html.Div([_facts(rows), html.Div(t("ind_q_as_of", lang).format(today=q["today"].isoformat()),
                                            className="ind-small")])


def revisions_view(revisions, decimals: int, lang: str) -> html.Div:
    if revisions.empty:
        return html.P(t("ind_rev_none", lang), className="ind-small")
    shown = revisions.head(REVISIONS_SHOWN)
    head = html.Thead(html.Tr([html.Th(t(k, lang), className="num" if k not in ("ind_rev_period", "ind_rev_vintage")
                                       else None)
                               for k in ("ind_rev_period", "ind_rev_vintage", "ind_rev_previous", "ind_rev_value",
                                         "ind_rev_change")]))
    body = html.Tbody([
        html.Tr([html.Td(r.period), html.Td(_fmt_dt(r.vintage)),
                 html.Td(c.fmt(r.previous, decimals, lang), className="num"),
                 html.Td(c.fmt(r.value, decimals, lang), className="num"),
                 html.Td(c.fmt(r.change, decimals, lang, sign=True), className="num")])
        for r in shown.itertuples()
    ])
    return html.Div([
        html.P(t("ind_rev_count", lang).format(n=len(revisions), shown=len(shown)), className="ind-small"),
        html.Div(html.Table([head, body], className="table eb-table ind-revisions-table"), className="eb-table-wrap"),
    ])


def rank_text(rank, ctx, region: str, decimals: int, lang: str) -> list:
    parts = []
    if rank.note is not None:
        parts.append(c.message(rank.note.text(lang), rank.note.kind))
    if rank.period is None:
        return parts
    n = int(rank.table["value"].notna().sum())
    if rank.selected is not None:
        city = ctx.regions[rank.selected].name(lang)
        if rank.selected_rank is not None:
            parts.append(html.Div(t("ind_rank_city", lang).format(city=city, rank=rank.selected_rank, n=n,
                                                                   period=rank.period), className="ind-rank-main"))
        else:
            parts.append(html.Div(t("ind_rank_nodata", lang).format(city=city, period=rank.period),
                                  className="ind-rank-main"))
        if ctx.regions[region].level == "county":
            parts.append(html.Div(t("ind_rank_county", lang).format(city=city), className="ind-small"))
    if rank.reference is not None:
        parts.append(html.Div(t("ind_rank_region", lang).format(period=rank.period, value=c.fmt(
            rank.reference, decimals, lang)), className="ind-small"))
    parts.append(html.Div(t("ind_rank_order_desc" if rank.descending else "ind_rank_order_asc", lang),
                          className="ind-small"))
    return parts


def grid_columns(table, ctx, decimals: int, lang: str) -> list[dict]:
    sep = "," if lang == "en" else ""
    cols = [{"field": "period", "headerName": t("ind_col_period", lang), "pinned": "left", "minWidth": 110}]
    for col in table.columns:
        if col in ctx.regions:
            cols.append({"field": col, "headerName": ctx.regions[col].name(lang), "type": "numericColumn",
                         "valueFormatter": {"function": f"params.value == null ? '' : d3.format('{sep}.{decimals}f')"
                                                        "(params.value)"}})
    cols += [{"field": "vintage", "headerName": t("ind_col_vintage", lang), "minWidth": 120},
             {"field": "status", "headerName": t("ind_col_status", lang)}]
    return cols


def xlsx_title_rows(meta: dict, req, unit: str, lang: str) -> list[tuple[str, str]]:
    """The lines above the table in the workbook: what, where, how, as of when, from whom."""
    name = meta["name_en"] if lang == "en" else meta["name_zh"]
    region = meta["region_name_en"] if lang == "en" else meta["region_name_zh"]
    rows = [(t("ind_title", lang), f"{name} ({meta['code']})"), (t("ind_region", lang), f"{region} ({meta['region']})"),
            (t("ind_transform", lang), TRANSFORM_LABELS[req.transform][1 if lang == "en" else 0]),
            (t("ind_unit", lang), i18n.unit(unit, lang)),
            (t("ind_as_of", lang), req.as_of.isoformat() if req.as_of else t("ind_as_of_placeholder", lang)),
            (t("col_source", lang), i18n.source_unit(meta["source_unit"], lang))]
    if meta["demo"]:
        rows.append(("演示数据 · Demo data", t("demo_banner", lang)))
    return rows


def grid_headers(table, ctx, lang: str) -> dict[str, str]:
    return {col["field"]: col["headerName"] for col in grid_columns(table, ctx, 0, lang)}


# ---- callbacks ---------------------------------------------------------------------------------------

def _request(view: dict):
    ctx = current_context()
    req = service.parse_request(ctx, view.get("code"), region=view.get("region"), transform=view.get("transform"),
                                as_of=view.get("as_of"), compare=",".join(view.get("compare") or []))
    return ctx, req, i18n.resolve(view.get("lang"))


def _display_decimals(ctx, req, unit: str) -> int:
    return service.display_decimals(ctx.catalog[req.code], unit)


LABEL_OUTPUTS = 7  # the outputs of label_view


def label_view(view):
    """The view changed in place (the browser made it from the controls, and the panels are already
    being redrawn): the labels that name it — region and transform, notices, the compare choices,
    the download name, the language link. The compare choices change only when the region moved
    (``view["moved"]``, set by the browser, which also hands the definition panels their subject)."""
    if not view or not view.get("code"):
        return (no_update,) * LABEL_OUTPUTS
    ctx, req, lang = _request(view)
    ind = ctx.catalog[req.code]
    default = view.get("default_lang", i18n.DEFAULT_LANG)
    path = view.get("path") or f"/indicator/{req.code}"
    compare_options = _compare_options(_region_items(ctx, ind, lang), req.region) if view.get("moved") else no_update
    return (_subtitle(ctx, ind, req, lang), _transform_label(req, lang), _notices(req, lang), compare_options,
            list(req.compare), {"fileName": f"{file_stem(req)}.csv"}, c.href(path, i18n.other(lang), default,
                                                                           **req.query()))


def render_meta(view):
    ctx, req, lang = _request(view)
    meta = service.metadata(ctx, req)
    quality = service.quality_status(ctx, req)
    ind = ctx.catalog[req.code]
    # read-only views, sent as markup (layouts/markup.py): a lighter page for every later change
    return m.static(metadata_view(meta, lang)), m.static(quality_view(quality, ind.unit, ind.decimals, lang))


def render_panels(view):
    """Every panel that follows the view, in one response: the browser redraws the page once per
    change instead of once per panel (measured: the slowest tenth of changes 30–50 ms faster)."""
    return (*render_series(view), *render_ranking(view))


def render_series(view):
    """The chart, its notes, the revisions and the data table, from one view model (the table is the
    chart's figures)."""
    ctx, req, lang = _request(view)
    chart = service.chart(ctx, req)
    return (*_chart_parts(ctx, req, lang, chart), *_table_parts(ctx, req, lang, chart))


def _chart_parts(ctx, req, lang: str, chart) -> tuple:
    ind = ctx.catalog[req.code]
    decimals = _display_decimals(ctx, req, chart.unit)
    fig = figures.series_figure(chart.lines, chart.first_release, ind.frequency, i18n.unit(chart.unit, lang), lang,
                                empty_text=chart.empty_reason.text(lang) if chart.empty_reason else None,
                                decimals=decimals)
    notes = [c.message(n.text(lang), n.kind) for n in chart.notes]
    if chart.empty_reason is not None:
        notes.insert(0, c.message(chart.empty_reason.text(lang), chart.empty_reason.kind))
    return fig, notes, m.static(revisions_view(chart.revisions, ind.decimals, lang))


def render_ranking(view):
    ctx, req, lang = _request(view)
    rank = service.ranking(ctx, req)
    decimals = _display_decimals(ctx, req, rank.unit)
    fig = figures.ranking_figure(rank.table, i18n.unit(rank.unit, lang), lang, reference=rank.reference,
                                 decimals=decimals, baseline=rank.baseline,
                                 empty_text=rank.note.text(lang) if rank.note else None)
    return fig, rank_text(rank, ctx, req.region, decimals, lang)


def _table_parts(ctx, req, lang: str, chart) -> tuple:
    table = service.data_table(ctx, req, chart)
    decimals = _display_decimals(ctx, req, table.attrs.get("unit", ""))
    return table.to_dict("records"), grid_columns(table, ctx, decimals, lang)


def export_csv(n_clicks):
    return bool(n_clicks)


def export_xlsx(n_clicks, view):
    if not n_clicks:
        return no_update
    ctx, req, lang = _request(view)
    table = service.data_table(ctx, req)
    meta = service.metadata(ctx, req)
    title_rows = xlsx_title_rows(meta, req, table.attrs.get("unit", meta["unit"]), lang)
    content = service.xlsx_bytes(table, grid_headers(table, ctx, lang), title_rows)
    return dcc.send_bytes(content, f"{file_stem(req)}.xlsx")


def register_callbacks(app: dash.Dash) -> None:
    # a control changes the view in the browser at once; the panels and the labels follow from it
    # (and, when the region moved, the subject of the definition panels, whose request leaves with them)
    app.clientside_callback(ClientsideFunction("ebIndicator", "view"), Output(Ind.VIEW, "data"),
                            Output(Ind.SUBJECT, "data"),
                            Input(Ind.REGION, "value"), Input(Ind.TRANSFORM, "value"), Input(Ind.AS_OF, "date"),
                            Input(Ind.COMPARE, "value"), State(Ind.VIEW, "data"), prevent_initial_call=True)
    app.callback(Output(Ind.SUBTITLE, "children"), Output(Ind.CHART_SUB, "children"),
                 Output(Ind.NOTICE, "children"), Output(Ind.COMPARE, "options"), Output(Ind.COMPARE, "value"),
                 Output(Ind.GRID, "csvExportParams"), Output(Shell.LANG_SWITCH, "href"),
                 Input(Ind.VIEW, "data"), prevent_initial_call=True)(label_view)
    in_place.register_url_sync(app, Ind.VIEW)
    app.callback(Output(Ind.META, "children"), Output(Ind.QUALITY, "children"), Input(Ind.SUBJECT, "data"))(render_meta)
    app.callback(Output(Ind.CHART, "figure"), Output(Ind.CHART_NOTES, "children"), Output(Ind.REVISIONS, "children"),
                 Output(Ind.GRID, "rowData"), Output(Ind.GRID, "columnDefs"),
                 Output(Ind.RANKING, "figure"), Output(Ind.RANK_TEXT, "children"),
                 Input(Ind.VIEW, "data"))(render_panels)
    app.callback(Output(Ind.GRID, "exportDataAsCsv"), Input(Ind.CSV, "n_clicks"), prevent_initial_call=True)(export_csv)
    app.callback(Output(Ind.DOWNLOAD, "data"), Input(Ind.XLSX, "n_clicks"), State(Ind.VIEW, "data"),
                 prevent_initial_call=True)(export_xlsx)
