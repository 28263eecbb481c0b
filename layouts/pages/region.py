"""Region pages (/region/<adcode>): 广西, a city or a county, with breadcrumbs (广西 › 柳州市 › 柳南区).

The page shows the region's GDP and published growth, its composite signal light, one headline
figure per economic domain coloured by its stored signal, a map of the sub-regions (the 14 cities;
a city's counties; for a county, its city's counties with the county outlined) and a table of
them on one indicator (``?indicator=gdp_ytd_growth``).

Every view is a URL: clicking a map area writes ``/region/<its adcode>`` into the page location
(``assets/region.js``) and the router builds that region's page; the indicator selector writes ``?indicator=…`` and
redraws the map and the table in place (``layouts/in_place.py``, ``assets/region.js``). Back
works and a link can be shared. Callbacks unpack the view from the store the layout filled from the URL, call
one service and one figure function, and return.

The small views of an indicator (signal dot, value, year-on-year and period-on-period lines) are
defined here and shared with the domain pages.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html, no_update

from figures import region as region_figures
from layouts import components as c
from layouts import i18n, in_place
from layouts import markup as m
from layouts.i18n import t
from layouts.ids import Shell
from layouts.pages._catalog import not_found
from layouts.shell import TITLE, current_context
from services import region_view as rv


class Region:
    VIEW = "region-view"  # dcc.Store: adcode, indicator, lang from the URL, and the URL it shows
    PAGE = "region-page"  # dcc.Store: adcode and lang — what the headline and the domain tiles read
    BREADCRUMBS = "region-breadcrumbs"
    HEADLINE = "region-headline"
    DOMAINS = "region-domains"
    MAP = "region-map"
    INDICATOR = "region-indicator"
    TABLE = "region-table"
    NOTICE = "region-notice"


PATH = "/region/{adcode}"
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True, "scrollZoom": False}

LABELS = {
    "rg_level_province": ("自治区", "Autonomous region"),
    "rg_level_city": ("设区市", "City"),
    "rg_level_county": ("县（市、区）", "County"),
    "rg_breadcrumbs": ("所在位置", "You are here"),
    "rg_gdp": ("地区生产总值", "GDP"),
    "rg_gdp_growth": ("实际增长（发布值）", "Real growth (as published)"),
    "rg_composite": ("景气综合信号", "Composite signal"),
    "rg_composite_note": ("{n} 个指标综合得分 {score}", "Score {score} over {n} indicators"),
    "rg_no_composite": ("该地区暂无综合信号", "No composite signal stored for this region"),
    "rg_domains": ("九大经济领域", "The nine economic domains"),
    "rg_domains_note": ("各领域代表性指标最新值；颜色为景气信号灯", "Headline figure of each domain; colour: signal light"),
    "rg_map_cities": ("14 个设区市", "The 14 cities"),
    "rg_map_counties": ("{city}各县（市、区）", "Counties of {city}"),
    "rg_map_note": ("点击地图进入该地区", "Click an area to open it"),
    "rg_table_title": ("下辖地区比较", "Sub-regions compared"),
    "rg_table_siblings": ("同市各县（市、区）比较", "Counties of the same city compared"),
    "rg_indicator": ("指标", "Indicator"),
    "rg_col_rank": ("排名", "Rank"),
    "rg_col_region": ("地区", "Region"),
    "rg_col_value": ("数值", "Value"),
    "rg_col_yoy": ("同比", "YoY"),
    "rg_col_change": ("较上期", "vs previous"),
    "rg_col_signal": ("信号", "Signal"),
    "rg_yoy": ("同比", "YoY"),
    "rg_change": ("较上期", "vs previous"),
    "rg_pp": ("个百分点", "pp"),
    "rg_pt": ("点", "points"),
    "rg_computed": ("由发布的水平值计算", "recomputed from published levels"),
    "rg_published": ("发布的可比口径增速", "published comparable-basis growth"),
    "rg_index": ("指数减 100", "index minus 100"),
    "rg_no_value": ("暂无数据", "No data"),
    "rg_no_signal": ("无信号", "No signal"),
    "rg_signal_at": ("{period} 信号：{zone}", "Signal {period}: {zone}"),
    "rg_indicator_unknown": ("没有该指标的下辖地区数据，已显示默认指标。",
                             "That indicator is not available for the sub-regions; showing the default."),
    "rg_open_region": ("地区页面", "Region page"),
    "rg_source": ("数据来源：各数源单位发布值；信号灯为按历史校准阈值计算的景气信号（五档：过冷、偏冷、正常、偏热、过热）。",
                  "Source: figures as published by the source units; signal lights use thresholds calibrated "
                  "on history (five zones: too cold, cool, normal, warm, overheated)."),
}
i18n.register(LABELS)


def title(adcode=None, **_params) -> str:
    ctx = current_context()
    if adcode in ctx.regions:
        reg = ctx.regions[adcode]
        return f"{reg.name_zh} {reg.name_en} · {TITLE}"
    return TITLE


dash.register_page(__name__, path_template="/region/<adcode>", name="region", title=title)


# ---- small views shared with the domain pages -------------------------------------------------------

def zone_dot(card: dict | None, lang: str) -> html.Span:
    """The signal light as a coloured dot with its zone name (the colour comes from the CSS)."""
    key = (card or {}).get("zone_key")
    if not key:
        return html.Span([html.Span(className="rg-dot rg-zone-none"), t("rg_no_signal", lang)],
                         className="rg-signal rg-signal-none")
    name = card["zone_zh"] if lang == "zh" else card["zone_en"]
    tip = t("rg_signal_at", lang).format(period=card.get("zone_period") or "", zone=name)
    return html.Span([html.Span(className=f"rg-dot rg-zone-{key}"), name], className="rg-signal", title=tip,
                     **{"data-zone": str(card.get("zone"))})


def unit_text(unit: str | None, lang: str) -> str:
    return {"pp": t("rg_pp", lang), "pt": t("rg_pt", lang)}.get(unit or "", i18n.unit(unit or "", lang))


def signed(value, unit: str | None, lang: str, decimals: int = 1, with_unit: bool = True) -> html.Span:
    """A change with its sign and unit, red up and green down as Chinese displays colour them."""
    if value is None:
        return html.Span("—", className="eb-growth")
    value = round(float(value), decimals) + 0.0  # no "-0.0": a change that rounds to nothing is none
    cls = "eb-up" if value > 0 else "eb-down" if value < 0 else ""
    suffix = "" if not with_unit else "%" if unit == "%" else f" {unit_text(unit, lang)}"
    text = c.fmt(value, decimals, lang, sign=value != 0) + suffix
    return html.Span(text, className=f"eb-growth {cls}".strip())


# Table cells carry their classes themselves: fewer elements in a table redrawn on every change.
def signed_cell(value, lang: str, decimals: int = 1) -> html.Td:
    """A change in a table: sign, red up, green down (as ``signed``, on the cell)."""
    span = signed(value, None, lang, decimals, with_unit=False)
    return html.Td(span.children, className=f"num {span.className}")


def zone_cell(card: dict | None, lang: str) -> html.Td:
    """The signal light in a table (as ``zone_dot``, on the cell)."""
    dot = zone_dot(card, lang)
    extra = {k: getattr(dot, k) for k in ("title", "data-zone") if getattr(dot, k, None) is not None}
    return html.Td(dot.children, className=dot.className.replace("rg-signal", "rg-signal-cell"), **extra)


def yoy_line(card: dict, lang: str):
    if card.get("yoy") is None:
        return None
    basis = {"computed": "rg_computed", "published": "rg_published", "index": "rg_index"}.get(card["yoy_basis"])
    return html.Span([t("rg_yoy", lang), " ", signed(card["yoy"], card["yoy_unit"], lang)],
                     title=t(basis, lang) if basis else None, className=f"rg-yoy rg-basis-{card['yoy_basis']}")


def change_line(card: dict, lang: str):
    if card.get("change") is None:
        return None
    return html.Span([t("rg_change", lang), " ", signed(card["change"], card["change_unit"], lang)],
                     className="rg-change")


def period_text(period: str | None, lang: str) -> str:
    """2026-10 → 2026年10月; 2026-01/02 → 2026年1-2月; 2026Q3 → 2026年3季度; English as stored."""
    if not period:
        return ""
    if lang != "zh":
        return period.replace("-01/02", " Jan–Feb")
    if "Q" in period:
        return f"{period[:4]}年{period[-1]}季度"
    if period.endswith("-01/02"):
        return f"{period[:4]}年1-2月"
    if len(period) == 7:
        return f"{period[:4]}年{int(period[5:])}月"
    return f"{period}年"


def value_text(card: dict | None, lang: str) -> str:
    if not card or card.get("value") is None:
        return "—"
    return c.fmt(card["value"], card["decimals"], lang)


def region_href(adcode: str, lang: str, default: str, **params) -> str:
    return c.href(PATH.format(adcode=adcode), lang, default, **params)


def breadcrumbs_view(crumbs: list[dict], lang: str, default: str, link=region_href) -> html.Nav:
    items = []
    for i, crumb in enumerate(crumbs):
        name = crumb["name_zh"] if lang == "zh" else crumb["name_en"]
        last = i == len(crumbs) - 1
        inner = html.Span(name, **{"aria-current": "page"}) if last or not crumb["link"] else \
            dcc.Link(name, href=link(crumb["adcode"], lang, default))
        items.append(html.Li(inner, className="rg-crumb" + (" is-current" if last else ""),
                             **{"data-adcode": crumb["adcode"]}))
    return html.Nav(html.Ol(items, className="rg-crumbs"), **{"aria-label": t("rg_breadcrumbs", lang)})


# ---- layout ----------------------------------------------------------------------------------------------

def layout(adcode=None, lang=None, indicator=None, shown=None, **_params):
    path = PATH.format(adcode=adcode)
    if in_place.already_shown(path, dict(lang=lang, indicator=indicator), shown):
        return no_update  # the indicator selector wrote this URL and has already applied it
    ctx = current_context()
    default = ctx.settings.language
    lang = i18n.resolve(lang, default)
    if isinstance(indicator, list):
        indicator = indicator[-1] if indicator else None
    try:
        reg = rv.region(ctx, adcode)
    except rv.RegionViewError:
        return not_found(ctx, lang, path)
    crumbs = rv.breadcrumbs(ctx, reg.adcode)
    subs = rv.sub_regions(ctx, reg.adcode)
    options = rv.sub_region_indicators(ctx, reg.adcode)
    notice = None
    if indicator and indicator not in options:
        notice = c.message(t("rg_indicator_unknown", lang), "warning")
        indicator = None
    chosen = indicator or (rv.DEFAULT_SUB_REGION_INDICATOR if rv.DEFAULT_SUB_REGION_INDICATOR in options
                           else (options or [None])[0])
    parent = subs["parent_name_zh"] if lang == "zh" else subs["parent_name_en"]
    map_title = t("rg_map_cities", lang) if subs["level"] == "city" else t("rg_map_counties", lang).format(city=parent)
    selector = html.Div([
        html.Label(t("rg_indicator", lang), htmlFor=Region.INDICATOR, className="eb-select-label"),
        dcc.Dropdown(id=Region.INDICATOR, value=chosen, clearable=False, searchable=False,
                     className="eb-select rg-select",
                     options=[{"label": ctx.catalog[code].name(lang), "value": code} for code in options]),
    ], className="eb-select-wrap rg-select-wrap")
    body = [
        dcc.Store(id=Region.VIEW, data={"adcode": reg.adcode, "indicator": indicator, "lang": lang,
                                        "default_lang": default, "default_indicator": chosen, "path": path,
                                        **in_place.url_record(path, {"indicator": indicator}, lang, default)}),
        dcc.Store(id=Region.PAGE, data={"adcode": reg.adcode, "lang": lang, "default_lang": default}),
        html.Div(breadcrumbs_view(crumbs, lang, default), id=Region.BREADCRUMBS, className="rg-breadcrumbs"),
        c.page_header(reg.name(lang), t(f"rg_level_{reg.level}", lang)),
        html.Div(notice, id=Region.NOTICE),
        html.Div(id=Region.HEADLINE),
        c.section_title(t("rg_domains", lang), t("rg_domains_note", lang)),
        html.Div(id=Region.DOMAINS),
        html.Div([
            c.panel(map_title, dcc.Graph(id=Region.MAP, config=GRAPH_CONFIG, className="rg-graph-map"),
                    subtitle=t("rg_map_note", lang), class_name="eb-col-7 rg-map-panel"),
            c.panel(t("rg_table_siblings" if reg.level == "county" else "rg_table_title", lang),
                    [selector, html.Div(id=Region.TABLE, className="rg-table-wrap")], class_name="eb-col-5"),
        ], className="eb-row rg-row"),
        html.P(t("rg_source", lang), className="eb-source"),
    ]
    return c.page(ctx, lang, path, html.Div(body, className="rg-page"), params={"indicator": indicator})


# ---- views (view models → components) ----------------------------------------------------------------

def headline_view(head: dict, lang: str) -> list:
    gdp = head.get("gdp")
    comp = head.get("composite")
    cards = [
        c.kpi_card(t("rg_gdp", lang), value_text(gdp, lang), i18n.unit(gdp["unit"], lang) if gdp else None,
                   [period_text(gdp["period"], lang) if gdp else None], accent="navy"),
        c.kpi_card(t("rg_gdp_growth", lang), c.fmt(gdp["yoy"] if gdp else None, 1, lang), "%",
                   [change_line(gdp, lang) if gdp else None], accent="orange"),
    ]
    if comp:
        name = comp["zone_zh"] if lang == "zh" else comp["zone_en"]
        note = t("rg_composite_note", lang).format(n=comp["n_indicators"], score=c.fmt(comp["score"], 1, lang))
        cards.append(html.Div([
            html.Div(t("rg_composite", lang), className="eb-kpi-title"),
            html.Div([html.Span(className=f"rg-dot rg-dot-lg rg-zone-{comp['zone_key']}"),
                      html.Span(name, className="eb-kpi-value rg-zone-name")], className="eb-kpi-main"),
            html.Div([html.Div(period_text(comp["period"], lang), className="eb-kpi-line"),
                      html.Div(note, className="eb-kpi-line")], className="eb-kpi-lines"),
        ], className=f"eb-kpi rg-composite rg-border-{comp['zone_key']}", **{"data-zone": str(comp["zone"])}))
    else:
        cards.append(c.kpi_card(t("rg_composite", lang), "—", None, [t("rg_no_composite", lang)], accent="navy"))
    return cards


def domain_tiles(head: dict, lang: str, default: str) -> list:
    tiles = []
    for item in head["domains"]:
        card = item["card"]
        link = c.href(f"/domain/{item['domain']}", lang, default, region=head["region"])
        name = item["name_zh"] if lang == "zh" else item["name_en"]
        if card is None or card["value"] is None:
            figure = html.Div(t("rg_no_value", lang), className="rg-tile-empty")
            indicator = card and (card["name_zh"] if lang == "zh" else card["name_en"])
        else:
            indicator = card["name_zh"] if lang == "zh" else card["name_en"]
            figure = html.Div([
                html.Span(value_text(card, lang), className="rg-tile-value"),
                html.Span(unit_text(card["unit"], lang), className="rg-tile-unit"),
            ], className="rg-tile-main")
        key = (card or {}).get("zone_key") or "none"
        tiles.append(html.Div([
            html.Div([dcc.Link(name, href=link, className="rg-tile-title"), zone_dot(card, lang)],
                     className="rg-tile-head"),
            html.Div(indicator, className="rg-tile-indicator", title=indicator),
            figure,
            html.Div([period_text((card or {}).get("period"), lang), change_line(card, lang) if card else None],
                     className="rg-tile-lines"),
        ], className=f"rg-tile rg-border-{key}", **{"data-domain": item["domain"]}))
    return tiles


def sub_region_table_view(table, lang: str, default: str, indicator: str | None) -> html.Div:
    if table.empty or table.attrs.get("indicator") is None:
        return c.message(t("rg_no_value", lang), "info")
    unit = unit_text(table.attrs["unit"], lang)
    decimals = table.attrs["decimals"]
    show_yoy = not table.attrs.get("is_growth") and table["yoy"].notna().any()
    heads = [("rg_col_rank", "num"), ("rg_col_region", None), ("rg_col_value", "num")]
    heads += [("rg_col_yoy", "num")] if show_yoy else []
    heads += [("rg_col_change", "num"), ("rg_col_signal", None)]
    units = {"rg_col_value": unit, "rg_col_yoy": unit_text(table.attrs.get("yoy_unit"), lang),
             "rg_col_change": unit_text(table.attrs.get("change_unit"), lang)}
    head = html.Thead(html.Tr([html.Th([t(k, lang), _unit_note(units.get(k), lang)], className=cls)
                               for k, cls in heads]))
    rows = []
    for r in table.itertuples(index=False):
        name = r.name_zh if lang == "zh" else r.name_en
        zone = None if r.zone is None or r.zone != r.zone else int(r.zone)
        light = {**rv.zone_fields(zone), "zone": zone, "zone_period": r.period} if zone else None
        cells = [
            html.Td(html.Span(_int(r.rank), className="eb-rank" + (" eb-rank-top" if _top3(r.rank) else "")),
                    className="num"),
            html.Td(dcc.Link(name, href=region_href(r.adcode, lang, default, indicator=indicator),
                             className="eb-city")),
            html.Td(c.fmt(r.value, decimals, lang), className="num", **{"data-value": _raw(r.value)}),
        ]
        if show_yoy:
            cells.append(signed_cell(_num(r.yoy), lang))
        cells += [signed_cell(_num(r.change), lang), zone_cell(light, lang)]
        rows.append(html.Tr(cells, className="is-current" if r.current else None, **{"data-adcode": r.adcode}))
    caption = f"{table.attrs['name_zh'] if lang == 'zh' else table.attrs['name_en']} · {period_text(table.attrs['period'], lang)}"
    return html.Div([html.Div(caption, className="rg-table-caption"),
                     html.Table([head, html.Tbody(rows)], className="table eb-table rg-table")],
                    className="eb-table-wrap")


def _unit_note(unit: str | None, lang: str):
    if not unit:
        return None
    return html.Span(f"（{unit}）" if lang == "zh" else f" ({unit})", className="rg-th-unit")


def _num(value):
    return None if value is None or value != value else float(value)


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


# ---- callbacks ---------------------------------------------------------------------------------------------

def _view(view: dict | None) -> tuple[str, str | None, str, str]:
    view = view or {}
    default = view.get("default_lang", i18n.DEFAULT_LANG)
    return view.get("adcode") or rv.GUANGXI, view.get("indicator"), i18n.resolve(view.get("lang"), default), default


def render_headline(view):
    adcode, _, lang, default = _view(view)
    head = rv.region_headline(current_context(), adcode)
    # read-only views, sent as markup (layouts/markup.py): a lighter page for every later change
    return m.static(headline_view(head, lang), "rg-headline"), m.static(domain_tiles(head, lang, default),
                                                                       "rg-domain-grid")


def render_sub_regions(view):
    adcode, indicator, lang, default = _view(view)
    ctx = current_context()
    table = rv.sub_region_table(ctx, adcode, indicator)
    unit = unit_text(table.attrs.get("unit"), lang)
    level = rv.sub_regions(ctx, adcode)["level"]
    figure = region_figures.region_map_figure(table, rv.boundaries(ctx, adcode), lang, unit=unit,
                                              labels=level == "city")
    return figure, m.static(sub_region_table_view(table, lang, default, indicator))


def register_callbacks(app: dash.Dash) -> None:
    app.callback(Output(Region.HEADLINE, "children"), Output(Region.DOMAINS, "children"),
                 Input(Region.PAGE, "data"))(render_headline)
    app.callback(Output(Region.MAP, "figure"), Output(Region.TABLE, "children"),
                 Input(Region.VIEW, "data"))(render_sub_regions)
    # the selector changes the view in the browser (assets/region.js): the map and table redraw in place
    app.clientside_callback(ClientsideFunction("ebRegion", "indicator"), Output(Region.VIEW, "data"),
                            Output(Shell.LANG_SWITCH, "href"), Output(Region.NOTICE, "children"),
                            Input(Region.INDICATOR, "value"), State(Region.VIEW, "data"), prevent_initial_call=True)
    in_place.register_url_sync(app, Region.VIEW)
    # a click on an area opens its page, in the browser (the figure names the areas in trace order)
    app.clientside_callback(ClientsideFunction("ebRegion", "open"), Output(Shell.LOCATION, "href", allow_duplicate=True),
                            Input(Region.MAP, "clickData"), State(Region.MAP, "figure"), State(Region.VIEW, "data"),
                            prevent_initial_call=True)
