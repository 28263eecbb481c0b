"""形势预判 Outlook: the GDP nowcast as a fan chart, the news behind its latest update, the stored
back-test, each indicator's forecast with its intervals, and the annual targets with the growth
still needed (``/outlook?region=450000&indicator=retail_sales``).

Everything is read from what ``python app.py refresh`` stored (``services.analytics_view``); nothing
is fitted while the page waits. The selectors write the view into the URL and the page is rebuilt
from it, so Back works and a link shows what its sender saw. The helpers ``selector``,
``view_store`` and ``query_for`` are shared with the 预警中心 and 发展指数 pages.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html, no_update

from figures import analytics as figures
from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.ids import Shell
from layouts.shell import TITLE, current_context
from services import analytics_view as views
from indicators.regions import GUANGXI


class Outlook:
    VIEW = "outlook-view"  # dcc.Store: the view read from the URL (region, indicator, lang)
    REGION = "outlook-region"
    INDICATOR = "outlook-indicator"
    NOTICE = "outlook-notice"
    HEADLINE = "outlook-headline"
    FAN = "outlook-fan"
    NEWS = "outlook-news"
    BACKTEST = "outlook-backtest"
    FORECAST = "outlook-forecast"
    FORECAST_NOTE = "outlook-forecast-note"
    TARGETS = "outlook-targets"
    TARGET_TABLE = "outlook-target-table"


PATH = "/outlook"
DEFAULT_INDICATOR = "retail_sales"
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": "hover", "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}

i18n.register({
    "outlook_title": ("形势预判", "Outlook"),
    "outlook_region": ("地区", "Region"),
    "outlook_indicator": ("指标", "Indicator"),
    "outlook_fan_title": ("GDP 即时预测", "GDP nowcast"),
    "outlook_fan_sub": ("季度实际增长（%），扇形为预测区间", "Real growth of the quarter (%); the fan shows the intervals"),
    "outlook_news_title": ("本次更新的数据影响", "What moved the latest update"),
    "outlook_news_sub": ("各项数据发布对预测值的拉动（百分点）", "Impact of each release on the nowcast (percentage points)"),
    "outlook_backtest_title": ("回测", "Back-test"),
    "outlook_backtest_sub": ("近 12 个季度伪实时回测误差（百分点）", "Pseudo-real-time errors over the last 12 quarters (pp)"),
    "outlook_backtest_missing": ("回测尚未计算", "Back-test not computed yet"),
    "outlook_forecast_title": ("指标预测", "Indicator forecast"),
    "outlook_forecast_sub": ("深色为 80% 区间，浅色为 95% 区间", "Dark band: 80% interval; light band: 95%"),
    "outlook_targets_title": ("年度目标进度", "Annual targets"),
    "outlook_targets_sub": ("柱：累计实际；竖线：目标；菱形：余下时期需达到",
                            "Bar: actual so far; line: target; diamond: needed for the rest of the year"),
    "outlook_no_nowcast": ("尚未计算即时预测：请运行 python app.py refresh。",
                           "No nowcast stored yet: run python app.py refresh."),
    "outlook_no_forecast": ("该地区没有已计算的指标预测。", "No stored forecasts for this region."),
    "outlook_no_targets": ("该地区没有设定年度目标。", "No annual targets for this region."),
    "outlook_unknown": ("所选内容不可用，已显示默认内容。", "The requested view is not available; showing the default."),
    "outlook_point": ("预测值", "Nowcast"),
    "outlook_interval": ("{p}% 区间", "{p}% interval"),
    "outlook_as_of": ("截至 {d}", "as of {d}"),
    "outlook_model": ("模型", "Model"),
    "outlook_col_model": ("模型", "Model"),
    "outlook_col_rmse": ("均方根误差", "RMSE"),
    "outlook_col_mae": ("平均绝对误差", "MAE"),
    "outlook_col_n": ("季度数", "Quarters"),
    "outlook_mase": ("样本外 MASE {m}（小于 1 优于季节性朴素预测）", "Out-of-sample MASE {m} (below 1 beats the seasonal naive forecast)"),
    "outlook_jan_feb": ("1、2 月合并发布，2 月为 1–2 月合计", "January and February are published together: February shows both"),
    "outlook_origin": ("预测起点 {p}", "Forecast from {p}"),
    "outlook_col_target": ("指标", "Target"),
    "outlook_col_goal": ("目标", "Goal"),
    "outlook_col_actual": ("累计实际", "Actual"),
    "outlook_col_period": ("截至", "As of"),
    "outlook_col_gap": ("差距", "Gap"),
    "outlook_col_required": ("余下时期需达到", "Needed for the rest"),
    "outlook_col_probability": ("完成概率", "Chance of meeting"),
    "outlook_at_most": ("不高于", "at most"),
    "outlook_at_least": ("不低于", "at least"),
    "outlook_pp": (" 个百分点", " pp"),
    "outlook_reached": ("完成 {p}%", "{p}% reached"),
    "outlook_required_na": ("无总量数据，无法测算", "No levels published: cannot be derived"),
    "outlook_year": ("{y} 年", "{y}"),
    "outlook_source": ("即时预测、预测与目标测算均为批处理（python app.py refresh）预先计算并存储的结果；区间假定预测误差服从正态分布。",
                       "Nowcasts, forecasts and target projections are computed in advance by the batch refresh "
                       "(python app.py refresh) and stored; the nested bands assume normally distributed errors."),
})

dash.register_page(__name__, path=PATH, name="outlook", title=f"形势预判 Outlook · {TITLE}")


# ---- helpers shared with the other analytics pages ------------------------------------------------

def one(value):
    """A query value as one string (Dash passes a repeated parameter as a list)."""
    if isinstance(value, list):
        value = value[-1] if value else None
    return value or None


def selector(component_id: str, label: str, value, options: list[dict], searchable: bool = False,
             disabled: bool = False) -> html.Div:
    return html.Div([
        html.Label(label, htmlFor=component_id, className="eb-select-label"),
        dcc.Dropdown(id=component_id, value=value, options=options, clearable=False, searchable=searchable,
                     disabled=disabled, className="eb-select"),
    ], className="eb-select-wrap")


def region_options(ctx, lang: str) -> list[dict]:
    return [{"label": r["name_zh"] if lang == "zh" else r["name_en"], "value": r["adcode"]}
            for r in views.region_choices(ctx)]


def view_store(store_id: str, lang: str, default_lang: str, params: dict, defaults: dict) -> dcc.Store:
    return dcc.Store(id=store_id, data={"lang": lang, "default_lang": default_lang, "params": params,
                                        "defaults": defaults})


def url_params(params: dict, defaults: dict) -> dict:
    """The view's query parameters, leaving out those at their default (shorter links)."""
    return {k: v for k, v in params.items() if v not in (None, "") and v != defaults.get(k)}


def query_for(view: dict | None, **changes):
    """The ``search`` of the URL with ``changes`` applied to the view, or ``no_update`` if unchanged."""
    view = view or {}
    params = dict(view.get("params") or {})
    new = {**params, **{k: v for k, v in changes.items() if v is not None}}
    if new == params:
        return no_update
    lang = i18n.resolve(view.get("lang"))
    query = c.href("", lang, view.get("default_lang", i18n.DEFAULT_LANG), **url_params(new, view.get("defaults") or {}))
    return query or "?"


def lang_of(view: dict | None) -> str:
    return i18n.resolve((view or {}).get("lang"))


def param(view: dict | None, key: str):
    return ((view or {}).get("params") or {}).get(key)


# ---- layout ---------------------------------------------------------------------------------------

def layout(lang=None, region=None, indicator=None, **_params):
    ctx = current_context()
    default_lang = ctx.settings.language
    lang = i18n.resolve(lang, default_lang)
    region, indicator = one(region), one(indicator)
    regions = region_options(ctx, lang)
    notice = None
    if region not in {o["value"] for o in regions}:
        notice = region is not None
        region = regions[0]["value"] if regions else GUANGXI
    choices = views.forecast_choices(ctx, region) if regions else []
    codes = [ch["code"] for ch in choices]
    if indicator not in codes:
        notice = notice or indicator is not None
        indicator = DEFAULT_INDICATOR if DEFAULT_INDICATOR in codes else (codes[0] if codes else None)
    params = {"region": region, "indicator": indicator}
    defaults = {"region": GUANGXI, "indicator": DEFAULT_INDICATOR}
    region_name = next((o["label"] for o in regions if o["value"] == region), region)
    tools = selector(Outlook.REGION, t("outlook_region", lang), region, regions)
    # the picker is always there (disabled without forecasts): the URL callback listens to it
    indicator_picker = selector(
        Outlook.INDICATOR, t("outlook_indicator", lang), indicator,
        [{"label": ch["name_zh"] if lang == "zh" else ch["name_en"], "value": ch["code"]} for ch in choices],
        searchable=True, disabled=not choices)
    body = [
        view_store(Outlook.VIEW, lang, default_lang, params, defaults),
        c.page_header(t("outlook_title", lang), region_name, right=tools),
        html.Div(c.message(t("outlook_unknown", lang), "warning") if notice else None, id=Outlook.NOTICE),
        html.Div([
            c.panel(t("outlook_fan_title", lang),
                    [html.Div(id=Outlook.HEADLINE, className="eb-nowcast-headline"),
                     dcc.Graph(id=Outlook.FAN, config=GRAPH_CONFIG)],
                    subtitle=t("outlook_fan_sub", lang), class_name="eb-col-7"),
            c.panel(t("outlook_news_title", lang), dcc.Graph(id=Outlook.NEWS, config=GRAPH_CONFIG),
                    subtitle=t("outlook_news_sub", lang), class_name="eb-col-5"),
        ], className="eb-row"),
        html.Div([
            c.panel(t("outlook_forecast_title", lang),
                    [html.Div(indicator_picker, className="eb-panel-tools"),
                     dcc.Graph(id=Outlook.FORECAST, config=GRAPH_CONFIG),
                     html.Div(id=Outlook.FORECAST_NOTE, className="eb-figure-note")],
                    subtitle=t("outlook_forecast_sub", lang), class_name="eb-col-7"),
            c.panel(t("outlook_backtest_title", lang), html.Div(id=Outlook.BACKTEST),
                    subtitle=t("outlook_backtest_sub", lang), class_name="eb-col-5"),
        ], className="eb-row"),
        html.Div([
            c.panel(t("outlook_targets_title", lang), dcc.Graph(id=Outlook.TARGETS, config=GRAPH_CONFIG),
                    subtitle=t("outlook_targets_sub", lang), class_name="eb-col-5"),
            c.panel(t("outlook_targets_title", lang), html.Div(id=Outlook.TARGET_TABLE), class_name="eb-col-7"),
        ], className="eb-row"),
        html.P(t("outlook_source", lang), className="eb-source"),
    ]
    return c.page(ctx, lang, PATH, html.Div(body, className="eb-analytics"), params=url_params(params, defaults))


# ---- views ------------------------------------------------------------------------------------------

def nowcast_headline(fan: dict | None, lang: str):
    if fan is None:
        return c.message(t("outlook_no_nowcast", lang), "info")
    widest = (fan.get("bands") or [None])[0]
    parts = [html.Span(fan["period"], className="eb-nowcast-period"),
             html.Span(t("outlook_point", lang), className="eb-nowcast-label"),
             html.Span(c.fmt(fan["point"], 1, lang) + "%", className="eb-nowcast-value")]
    if widest:
        parts.append(html.Span(t("outlook_interval", lang).format(p=round(widest["level"] * 100)) + " "
                               + f"{c.fmt(widest['lower'], 1, lang)} ~ {c.fmt(widest['upper'], 1, lang)}%",
                               className="eb-nowcast-interval"))
    parts.append(html.Span(t("outlook_as_of", lang).format(d=fan["as_of"]) + f" · {t('outlook_model', lang)} "
                           + str(fan["model"]).upper(), className="eb-nowcast-meta"))
    return parts


def backtest_view(result: dict | None, lang: str):
    if result is None:
        return c.message(t("outlook_backtest_missing", lang), "info")
    head = html.Thead(html.Tr([html.Th(t("outlook_col_model", lang)),
                               *[html.Th(t(k, lang), className="num")
                                 for k in ("outlook_col_rmse", "outlook_col_mae", "outlook_col_n")]]))
    rows = [html.Tr([html.Td(m["name_zh"] if lang == "zh" else m["name_en"]),
                     html.Td(c.fmt(m["rmse"], 2, lang), className="num"),
                     html.Td(c.fmt(m["mae"], 2, lang), className="num"),
                     html.Td(str(m.get("n") if m.get("n") is not None else "—"), className="num")],
                    **{"data-model": str(m["model"])}) for m in result["models"]]
    span = f"{result['start']} – {result['end']}" if result.get("start") else ""
    return html.Div([html.Table([head, html.Tbody(rows)], className="table eb-table eb-backtest-table"),
                     html.Div(span, className="eb-figure-note")], className="eb-table-wrap")


def _percent_or_unit(value, row, lang: str, sign: bool = False) -> str:
    text = c.fmt(value, 1 if row["percent"] else 2, lang, sign=sign)
    if text == "—":
        return text
    return text + ("%" if row["percent"] else " " + i18n.unit(row["unit"], lang))


def target_table(result: dict, lang: str):
    if not result["rows"]:
        return c.message(t("outlook_no_targets", lang), "info")
    cols = ("outlook_col_target", "outlook_col_goal", "outlook_col_actual", "outlook_col_period",
            "outlook_col_gap", "outlook_col_required", "outlook_col_probability")
    head = html.Thead(html.Tr([html.Th(t(k, lang), className=None if k == "outlook_col_target" else "num")
                               for k in cols]))
    body = []
    for r in result["rows"]:
        bound = t("outlook_at_most" if r["direction"] == "at_most" else "outlook_at_least", lang)
        if r["basis"] == "level" and r["aggregation"] == "sum" and r["progress"] is not None:
            gap = t("outlook_reached", lang).format(p=c.fmt(r["progress"] * 100, 0, lang))  # share of a total
        elif r["percent"]:
            gap = c.fmt(r["progress"], 1, lang, sign=True) + t("outlook_pp", lang) if r["progress"] is not None else "—"
        else:
            gap = _percent_or_unit(r["progress"], r, lang, sign=True)
        required = (_percent_or_unit(r["required"], r, lang) if r["required"] is not None
                    else html.Span(t("outlook_required_na", lang), className="eb-muted eb-wrap"))
        probability = c.fmt(r["probability"] * 100, 0, lang) + "%" if r["probability"] is not None else "—"
        body.append(html.Tr([
            html.Td(r["name_zh"] if lang == "zh" else r["name_en"], className="eb-target-name"),
            html.Td(f"{bound} {_percent_or_unit(r['target'], r, lang)}", className="num"),
            html.Td(_percent_or_unit(r["actual"], r, lang), className="num", **{"data-value": repr(r["actual"])}),
            html.Td(r["period"] or "—", className="num"),
            html.Td(gap, className="num"),
            html.Td(required, className="num", **{"data-value": repr(r["required"])}),
            html.Td(probability, className="num"),
        ], **{"data-indicator": r["indicator"]}))
    caption = html.Div(t("outlook_year", lang).format(y=result["year"]), className="eb-figure-note")
    return html.Div([html.Table([head, html.Tbody(body)], className="table eb-table eb-target-table"), caption],
                    className="eb-table-wrap")


# ---- callbacks (adapters: unpack the view, call one service and one figure or view) ----------------

def select_view(region, indicator, view):
    """A selector writes its value into the URL; the router rebuilds the page from it."""
    return query_for(view, region=region, indicator=indicator)


def render_nowcast(view):
    region, lang = param(view, "region"), lang_of(view)
    ctx = current_context()
    fan = views.fan_chart(ctx, region)
    return nowcast_headline(fan, lang), figures.fan_chart_figure(fan, lang), \
        figures.news_waterfall_figure(views.news_items(ctx, region), lang)


def render_backtest(view):
    return backtest_view(views.backtest(current_context(), param(view, "region")), lang_of(view))


def render_forecast(view):
    lang = lang_of(view)
    result = views.forecast(current_context(), param(view, "indicator") or "", param(view, "region"))
    if result is None:
        return figures.forecast_figure(None, lang), t("outlook_no_forecast", lang)
    notes = []
    if result:
        notes.append(t("outlook_origin", lang).format(p=result["origin"]))
        notes.append(i18n.unit(result["unit"], lang))
        if result["jan_feb_combined"]:
            notes.append(t("outlook_jan_feb", lang))
        if result["mase"] is not None:
            notes.append(t("outlook_mase", lang).format(m=c.fmt(result["mase"], 2, lang)))
    return figures.forecast_figure(result, lang), " · ".join(notes)


def render_targets(view):
    lang = lang_of(view)
    result = views.target_rows(current_context(), param(view, "region"))
    return figures.target_progress_figure(result["rows"], lang), target_table(result, lang)


def register_callbacks(app: dash.Dash) -> None:
    app.callback(Output(Shell.LOCATION, "search", allow_duplicate=True), Input(Outlook.REGION, "value"),
                 Input(Outlook.INDICATOR, "value"), State(Outlook.VIEW, "data"), prevent_initial_call=True)(select_view)
    app.callback(Output(Outlook.HEADLINE, "children"), Output(Outlook.FAN, "figure"), Output(Outlook.NEWS, "figure"),
                 Input(Outlook.VIEW, "data"))(render_nowcast)
    app.callback(Output(Outlook.BACKTEST, "children"), Input(Outlook.VIEW, "data"))(render_backtest)
    app.callback(Output(Outlook.FORECAST, "figure"), Output(Outlook.FORECAST_NOTE, "children"),
                 Input(Outlook.VIEW, "data"))(render_forecast)
    app.callback(Output(Outlook.TARGETS, "figure"), Output(Outlook.TARGET_TABLE, "children"),
                 Input(Outlook.VIEW, "data"))(render_targets)
