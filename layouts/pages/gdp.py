"""地区生产总值 Regional GDP: headline cards, the quarterly trend, the 14 cities on a map, in a
table and in a growth race, for one quarter (``?period=2026Q3``; the latest by default).

The URL is the view state: the quarter selector writes ``?period=…`` into the page location, the
router rebuilds the page, and the callbacks below read the view (period, language) from a store
the layout filled from the URL. Each callback unpacks the view, calls one service and the figure
or view function, and returns.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update

from figures import gdp as gdp_figures
from layouts import components as c
from layouts import i18n
from layouts import markup as m
from layouts.i18n import t
from layouts.ids import Gdp, Shell
from layouts.shell import TITLE, current_context
from services import gdp as gdp_service

PATH = "/gdp"
TREND_QUARTERS = 20
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": "hover", "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}
MAP_CONFIG = {**GRAPH_CONFIG, "scrollZoom": False}

dash.register_page(__name__, path=PATH, name="gdp", title=f"地区生产总值 Regional GDP · {TITLE}")


# ---- layout ------------------------------------------------------------------------------------

def layout(lang=None, period=None, **_params):
    ctx = current_context()
    default = ctx.settings.language
    lang = i18n.resolve(lang, default)
    try:
        quarters = gdp_service.quarters(ctx)
    except gdp_service.GdpRequestError as exc:  # e.g. a viewer not permitted to see Guangxi
        return c.page(ctx, lang, PATH, [c.page_header(t("gdp_title", lang)), c.message(str(exc), "warning")])
    if not quarters:
        body = [c.page_header(t("gdp_title", lang)), c.message(t("gdp_no_data", lang), "warning")]
        return c.page(ctx, lang, PATH, body)
    notice = None
    if isinstance(period, list):
        period = period[-1]
    if period not in quarters:
        notice = c.message(t("gdp_quarter_unknown", lang), "warning") if period else None
        period = quarters[0]
    region = ctx.regions["450000"].name(lang)
    label = gdp_service.ytd_label(period, lang)
    selector = html.Div([
        html.Label(t("gdp_quarter", lang), htmlFor=Gdp.QUARTER, className="eb-select-label"),
        dcc.Dropdown(
            id=Gdp.QUARTER, value=period, clearable=False, searchable=False, className="eb-select",
            options=[{"label": f"{q} · {gdp_service.ytd_label(q, lang)}", "value": q} for q in quarters],
        ),
    ], className="eb-select-wrap")
    body = [
        dcc.Store(id=Gdp.VIEW, data={"period": period, "lang": lang, "default_lang": default}),
        c.page_header(t("gdp_title", lang), f"{region} · {label}", right=selector),
        html.Div(notice, id=Gdp.NOTICE),
        html.Div(id=Gdp.KPIS, className="eb-kpi-row"),
        html.Div([
            c.panel(t("gdp_trend_title", lang),
                    dcc.Graph(id=Gdp.TREND, config=GRAPH_CONFIG, className="eb-graph-trend"), subtitle=t("gdp_trend_sub", lang), class_name="eb-col-7"),
            c.panel(t("gdp_map_title", lang), dcc.Graph(id=Gdp.MAP, config=MAP_CONFIG, className="eb-graph-map"),
                    subtitle=t("gdp_map_sub", lang), class_name="eb-col-5"),
        ], className="eb-row"),
        html.Div([
            c.panel(t("gdp_table_title", lang), html.Div(id=Gdp.CITY_TABLE), subtitle=t("gdp_table_sub", lang),
                    class_name="eb-col-7"),
            c.panel(t("gdp_bar_title", lang), dcc.Graph(id=Gdp.CITY_BAR, config=GRAPH_CONFIG,
                                                        className="eb-graph-bar"),
                    subtitle=t("gdp_bar_sub", lang), class_name="eb-col-5"),
        ], className="eb-row"),
        html.P(t("gdp_source", lang), className="eb-source"),
    ]
    return c.page(ctx, lang, PATH, body, params={"period": period if period != quarters[0] else None})


# ---- views (dict/frame → components) ---------------------------------------------------------------

def headline_cards(head: dict | None, lang: str) -> list:
    if head is None:
        return [c.message(t("gdp_no_data", lang), "warning")]
    unit = i18n.unit(head["unit"], lang)
    cards = [
        c.kpi_card(t("gdp_kpi_gdp", lang), c.fmt(head["gdp"], head["decimals"], lang), unit,
                   [t("gdp_ytd_current", lang)], accent="navy"),
        c.kpi_card(t("gdp_kpi_growth", lang), c.fmt(head["real_growth"], 1, lang), "%",
                   [t("gdp_growth_note", lang),
                    html.Span([t("gdp_nominal", lang), " ", c.growth_span(head["nominal_growth"], lang)])],
                   accent="orange"),
    ]
    for item in head["industries"]:
        cards.append(c.kpi_card(
            t(f"gdp_kpi_{item['key']}", lang), c.fmt(item["value"], 2, lang), unit,
            [html.Span([t("gdp_growth", lang), " ", c.growth_span(item["real_growth"], lang)]),
             html.Span([t("gdp_share", lang), " ", html.B(c.fmt(item["share"], 1, lang) + "%")])],
            accent=item["key"],
        ))
    return cards


def city_table_view(table, lang: str) -> html.Div:
    if table.empty:
        return c.message(t("gdp_no_data", lang), "warning")
    cols = ["gdp_col_rank", "gdp_col_city", "gdp_col_value", "gdp_col_growth", "gdp_col_share", "gdp_col_growth_rank"]
    numeric = {"gdp_col_value", "gdp_col_growth", "gdp_col_share", "gdp_col_growth_rank", "gdp_col_rank"}
    head = html.Thead(html.Tr([html.Th(t(k, lang), className="num" if k in numeric else None) for k in cols]))
    rows = []
    for r in table.itertuples(index=False):
        name = r.name_zh if lang == "zh" else r.name_en
        rows.append(html.Tr([
            html.Td(html.Span(_int(r.rank_value), className="eb-rank" + (" eb-rank-top" if _top3(r.rank_value) else "")),
                    className="num"),
            html.Td(name, className="eb-city"),
            html.Td(c.fmt(r.gdp, 2, lang), className="num", **{"data-value": _raw(r.gdp)}),
            html.Td(c.fmt(r.real_growth, 1, lang), className="num", **{"data-value": _raw(r.real_growth)}),
            html.Td(c.fmt(r.share, 1, lang), className="num", **{"data-value": _raw(r.share)}),
            html.Td(_int(r.rank_growth), className="num"),
        ], **{"data-adcode": r.adcode}))
    total = table.attrs.get("total")
    foot = html.Tfoot(html.Tr([
        html.Td(""), html.Td(t("gdp_total", lang)), html.Td(c.fmt(total, 2, lang), className="num"),
        html.Td(""), html.Td(c.fmt(100.0 if total else None, 1, lang), className="num"), html.Td(""),
    ]))
    return html.Table([head, html.Tbody(rows), foot], className="table eb-table eb-city-table")


def _top3(rank) -> bool:
    try:
        return int(rank) <= 3
    except (TypeError, ValueError):
        return False


def _int(value) -> str:
    try:
        return str(int(value))
    except (TypeError, ValueError):
        return "—"


def _raw(value) -> str:
    return "" if value is None or value != value else repr(float(value))


# ---- callbacks ---------------------------------------------------------------------------------------

def _view(view: dict | None) -> tuple[str | None, str]:
    view = view or {}
    return view.get("period"), i18n.resolve(view.get("lang"))


def select_quarter(value, view):
    """The selector writes the quarter into the URL; the page is rebuilt from it."""
    period, lang = _view(view)
    if not value or value == period:
        return no_update
    return c.href("", lang, (view or {}).get("default_lang", i18n.DEFAULT_LANG), period=value) or "?"


def render_headline(view):
    period, lang = _view(view)
    head = gdp_service.gdp_headline(current_context(), period=period)
    # read-only: one block of markup (layouts/markup.py) instead of ~50 components
    return m.static(headline_cards(head, lang), "eb-contents")


def render_trend(view):
    period, lang = _view(view)
    trend = gdp_service.gdp_trend(current_context(), end=period, last=TREND_QUARTERS)
    return gdp_figures.trend_figure(trend, lang, highlight=period)


def render_cities(view):
    period, lang = _view(view)
    ctx = current_context()
    table = gdp_service.city_table(ctx, period)
    return (
        gdp_figures.city_map_figure(table, gdp_service.city_boundaries(ctx), lang),
        gdp_figures.city_bar_figure(table, lang, reference=table.attrs.get("province_real_growth")),
        m.static(city_table_view(table, lang)),  # ~130 components as one block
    )


def register_callbacks(app: dash.Dash) -> None:
    app.callback(Output(Shell.LOCATION, "search"), Input(Gdp.QUARTER, "value"), State(Gdp.VIEW, "data"),
                 prevent_initial_call=True)(select_quarter)
    app.callback(Output(Gdp.KPIS, "children"), Input(Gdp.VIEW, "data"))(render_headline)
    app.callback(Output(Gdp.TREND, "figure"), Input(Gdp.VIEW, "data"))(render_trend)
    app.callback(Output(Gdp.MAP, "figure"), Output(Gdp.CITY_BAR, "figure"), Output(Gdp.CITY_TABLE, "children"),
                 Input(Gdp.VIEW, "data"))(render_cities)
    # a click on a city opens its region page, in the browser (the map names the areas, assets/region.js)
    app.clientside_callback(ClientsideFunction("ebRegion", "open"), Output(Shell.LOCATION, "href", allow_duplicate=True),
                            Input(Gdp.MAP, "clickData"), State(Gdp.MAP, "figure"), State(Gdp.VIEW, "data"),
                            prevent_initial_call=True)
