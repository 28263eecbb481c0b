"""预警中心 Early warning: the signal-light matrix (indicators × months), the composite zone over time
for the region and for each city, and the alerts, which a user acknowledges or closes
(``/warning?region=450000&state=new``).

Lights, composites and alerts are what the refresh stored; the only write is an alert's state,
recorded with the viewer's user and in the audit log by ``services.early_warning``.
"""

from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, ctx as callback_ctx, dcc, html, no_update

from figures import analytics as figures
from indicators.regions import GUANGXI
from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.ids import Shell
from layouts.pages.outlook import lang_of, one, param, query_for, region_options, selector, url_params, view_store
from layouts.shell import TITLE, current_context
from services import analytics_view as views
from services import early_warning
from services.series import SeriesRequestError


class EarlyWarning:
    VIEW = "warning-view"  # dcc.Store: the view read from the URL (region, state, lang)
    REGION = "warning-region"
    STATE = "warning-state"
    NOTICE = "warning-notice"
    COMPOSITE = "warning-composite"
    CITIES = "warning-cities"
    MATRIX = "warning-matrix"
    ALERTS = "warning-alerts"
    ALERT_ACTION = "warning-alert-action"  # pattern-matching: {"type", "alert": id, "to": state}
    ACTION_MESSAGE = "warning-action-message"


PATH = "/warning"
STATES = ("all", *early_warning.ALERT_STATES)
# acknowledge and close are offered from the states they make sense in
ACTIONS = {"new": ("acknowledged", "closed"), "acknowledged": ("closed",), "closed": ("new",)}
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}

i18n.register({
    "warning_title": ("预警中心", "Early warning"),
    "warning_region": ("地区", "Region"),
    "warning_state": ("状态", "State"),
    "warning_state_all": ("全部", "All"),
    "warning_state_new": ("新预警", "New"),
    "warning_state_acknowledged": ("已确认", "Acknowledged"),
    "warning_state_closed": ("已关闭", "Closed"),
    "warning_do_acknowledged": ("确认", "Acknowledge"),
    "warning_do_closed": ("关闭", "Close"),
    "warning_do_new": ("重新打开", "Reopen"),
    "warning_composite_title": ("综合景气信号", "Composite business-climate signal"),
    "warning_composite_sub": ("综合指数 0–100：0 全为蓝灯，50 全为绿灯，100 全为红灯",
                              "Composite score 0–100: 0 all blue, 50 all green, 100 all red"),
    "warning_cities_title": ("全区及各市综合信号", "Composite zone of Guangxi and the cities"),
    "warning_cities_sub": ("近 24 个月", "The last 24 months"),
    "warning_matrix_title": ("景气信号灯", "Signal lights"),
    "warning_matrix_sub": ("各指标近 24 个月所处区间（按经济领域排列）",
                           "The zone of each indicator over the last 24 months, by domain"),
    "warning_alerts_title": ("异常预警", "Anomaly alerts"),
    "warning_alerts_sub": ("季节调整后数据的稳健异常检测；确认或关闭会记录操作人",
                           "Robust anomaly detection on seasonally adjusted data; acknowledging or closing records who did it"),
    "warning_alerts_count": ("共 {n} 条，显示 {m} 条", "{n} alerts, {m} shown"),
    "warning_no_alerts": ("没有符合条件的预警。", "No alerts match."),
    "warning_col_period": ("时期", "Period"),
    "warning_col_indicator": ("指标", "Indicator"),
    "warning_col_severity": ("程度", "Severity"),
    "warning_col_message": ("说明", "Explanation"),
    "warning_col_state": ("状态", "State"),
    "warning_col_action": ("操作", "Action"),
    "warning_severity_high": ("重度", "High"),
    "warning_severity_medium": ("中度", "Medium"),
    "warning_severity_low": ("轻度", "Low"),
    "warning_by": ("{u} 于 {d}", "{u} on {d}"),
    "warning_changed": ("预警 {id} 已设为“{s}”。", "Alert {id} set to '{s}'."),
    "warning_unknown": ("所选内容不可用，已显示默认内容。", "The requested view is not available; showing the default."),
    "warning_multivariate": ("多指标综合异常", "Several indicators together"),
    "warning_source": ("景气信号灯按国家统计局景气监测预警方法：每个指标按四个临界值落入五个区间，阈值由历史分位数校准。",
                       "Signal lights follow the NBS business-climate monitoring method: four critical values put each "
                       "indicator in one of five zones; the thresholds are calibrated on quantiles of its history."),
})

dash.register_page(__name__, path=PATH, name="warning", title=f"预警中心 Early warning · {TITLE}")


# ---- layout ---------------------------------------------------------------------------------------

def layout(lang=None, region=None, state=None, **_params):
    ctx = current_context()
    default_lang = ctx.settings.language
    lang = i18n.resolve(lang, default_lang)
    region, state = one(region), one(state)
    regions = region_options(ctx, lang)
    notice = False
    if region not in {o["value"] for o in regions}:
        notice = region is not None
        region = regions[0]["value"] if regions else GUANGXI
    if state not in STATES:
        notice = notice or state is not None
        state = "all"
    params, defaults = {"region": region, "state": state}, {"region": GUANGXI, "state": "all"}
    region_name = next((o["label"] for o in regions if o["value"] == region), region)
    tools = [
        selector(EarlyWarning.REGION, t("warning_region", lang), region, regions),
        selector(EarlyWarning.STATE, t("warning_state", lang), state,
                 [{"label": t(f"warning_state_{s}", lang), "value": s} for s in STATES]),
    ]
    body = [
        view_store(EarlyWarning.VIEW, lang, default_lang, params, defaults),
        c.page_header(t("warning_title", lang), region_name, right=tools),
        html.Div(c.message(t("warning_unknown", lang), "warning") if notice else None, id=EarlyWarning.NOTICE),
        html.Div([
            c.panel(t("warning_composite_title", lang), [
                html.Div(_legend(lang), className="eb-zone-legend"),
                dcc.Graph(id=EarlyWarning.COMPOSITE, config=GRAPH_CONFIG)],
                subtitle=t("warning_composite_sub", lang), class_name="eb-col-7"),
            c.panel(t("warning_cities_title", lang),
                    html.Div(dcc.Graph(id=EarlyWarning.CITIES, config=GRAPH_CONFIG, className="eb-wide-graph"), className="eb-scroll-x"),
                    subtitle=t("warning_cities_sub", lang), class_name="eb-col-5"),
        ], className="eb-row"),
        html.Div([
            c.panel(t("warning_alerts_title", lang),
                    [html.Div(id=EarlyWarning.ACTION_MESSAGE), html.Div(id=EarlyWarning.ALERTS)],
                    subtitle=t("warning_alerts_sub", lang), class_name="eb-col-12"),
        ], className="eb-row"),
        html.Div([
            c.panel(t("warning_matrix_title", lang),
                    html.Div(dcc.Graph(id=EarlyWarning.MATRIX, config=GRAPH_CONFIG, className="eb-wide-graph"), className="eb-scroll-x"),
                    subtitle=t("warning_matrix_sub", lang), class_name="eb-col-12"),
        ], className="eb-row"),
        html.P(t("warning_source", lang), className="eb-source"),
    ]
    return c.page(ctx, lang, PATH, html.Div(body, className="eb-analytics"), params=url_params(params, defaults))


def _legend(lang: str) -> list:
    return [html.Span([html.Span(className=f"eb-zone-dot eb-zone-{z['key']}"),
                       z["name_zh"] if lang == "zh" else z["name_en"]], className="eb-zone-item")
            for z in views.zone_legend()]


# ---- views ------------------------------------------------------------------------------------------

def alerts_view(result: dict, lang: str):
    rows = result["rows"]
    if not rows:
        return c.message(t("warning_no_alerts", lang), "info")
    cols = ("warning_col_period", "warning_col_indicator", "warning_col_severity", "warning_col_message",
            "warning_col_state", "warning_col_action")
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in cols]))
    body = []
    for a in rows:
        name = (a["name_zh"] if lang == "zh" else a["name_en"]) or t("warning_multivariate", lang)
        state = [html.Span(t(f"warning_state_{a['state']}", lang), className=f"eb-state eb-state-{a['state']}")]
        if a["updated_by"] and a["state"] != "new":
            state.append(html.Div(t("warning_by", lang).format(u=a["updated_by"], d=(a["updated_at"] or "")[:10]),
                                  className="eb-state-by"))
        actions = [html.Button(t(f"warning_do_{to}", lang), id={"type": EarlyWarning.ALERT_ACTION, "alert": a["id"], "to": to},
                               n_clicks=0, className=f"btn btn-sm eb-alert-btn eb-alert-btn-{to}")
                   for to in ACTIONS.get(a["state"], ())]
        body.append(html.Tr([
            html.Td(a["period"], className="eb-nowrap eb-alert-period"),
            html.Td(name, className="eb-alert-indicator"),
            html.Td(html.Span(t(f"warning_severity_{a['severity']}", lang),
                              className=f"eb-severity eb-severity-{a['severity']}")),
            html.Td(a["message_zh"] if lang == "zh" else a["message_en"], className="eb-alert-message"),
            html.Td(state, className="eb-nowrap eb-alert-state"),
            html.Td(html.Div(actions, className="eb-alert-actions")),
        ], **{"data-alert": str(a["id"]), "data-state": a["state"]}))
    count = html.Div(t("warning_alerts_count", lang).format(n=result["total"], m=len(rows)), className="eb-figure-note")
    return html.Div([count, html.Table([head, html.Tbody(body)], className="table eb-table eb-alert-table")],
                    className="eb-table-wrap")


# ---- callbacks (adapters) ------------------------------------------------------------------------------

def select_view(region, state, view):
    return query_for(view, region=region, state=state)


def render_signals(view):
    region, lang = param(view, "region"), lang_of(view)
    ctx = current_context()
    return (figures.composite_history_figure(views.composite_history(ctx, region), lang),
            figures.regional_composite_figure(views.regional_composites(ctx), lang),
            figures.signal_matrix_figure(views.signal_matrix(ctx, region), lang))


def apply_alert_action(trigger: dict | None, view) -> tuple:
    """Set the state the clicked button asks for (if any), then list the alerts again."""
    lang, message = lang_of(view), None
    ctx = current_context()
    if trigger:
        try:
            early_warning.set_alert_state(ctx, int(trigger["alert"]), trigger["to"])
            message = c.message(t("warning_changed", lang).format(id=trigger["alert"],
                                                                 s=t(f"warning_state_{trigger['to']}", lang)), "info")
        except SeriesRequestError as exc:
            message = c.message(str(exc), "warning")
    state = param(view, "state")
    result = views.alert_rows(ctx, param(view, "region"), None if state == "all" else state)
    return alerts_view(result, lang), message


def render_alerts(view, _clicks):
    """The list, after a click on acknowledge/close: the trigger names the alert and the new state."""
    trigger = None
    fired = callback_ctx.triggered[0] if callback_ctx.triggered else {}
    if isinstance(callback_ctx.triggered_id, dict) and fired.get("value"):
        trigger = callback_ctx.triggered_id  # a button that was clicked, not one that just appeared
    elif isinstance(callback_ctx.triggered_id, dict):
        return no_update, no_update
    return apply_alert_action(trigger, view)


def register_callbacks(app: dash.Dash) -> None:
    app.callback(Output(Shell.LOCATION, "search", allow_duplicate=True), Input(EarlyWarning.REGION, "value"),
                 Input(EarlyWarning.STATE, "value"), State(EarlyWarning.VIEW, "data"), prevent_initial_call=True)(select_view)
    app.callback(Output(EarlyWarning.COMPOSITE, "figure"), Output(EarlyWarning.CITIES, "figure"), Output(EarlyWarning.MATRIX, "figure"),
                 Input(EarlyWarning.VIEW, "data"))(render_signals)
    app.callback(Output(EarlyWarning.ALERTS, "children"), Output(EarlyWarning.ACTION_MESSAGE, "children"),
                 Input(EarlyWarning.VIEW, "data"), Input({"type": EarlyWarning.ALERT_ACTION, "alert": ALL, "to": ALL}, "n_clicks"),
                 )(render_alerts)
