"""One page per economic domain (/domain/<code>?region=<adcode>): the domain's key indicators for a
region as cards (latest value, year-on-year, change from the previous period, signal light, a
small trend line), the cities compared on the domain's headline indicator (for a county: the
counties of its city), and the domain's indicators from the catalog.

The region is part of the URL (``?region=450200``; 广西 by default): the selector writes it, the
router rebuilds the page. Indicator names link to ``/indicator/<code>?region=<adcode>``.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html, no_update

from figures import region as region_figures
from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.ids import Catalog, Shell
from layouts.pages._catalog import BUILT_PAGES, not_found
from layouts.pages.region import (
    breadcrumbs_view, change_line, period_text, region_href, unit_text, value_text, yoy_line, zone_dot,
)
from layouts.shell import TITLE, current_context
from services import region_view as rv


class Domain:
    VIEW = "domain-view"  # dcc.Store: domain, region, lang from the URL
    REGION = "domain-region"
    BREADCRUMBS = "domain-breadcrumbs"
    CARDS = "domain-cards"
    COMPARE = "domain-compare"
    NOTICE = "domain-notice"


SPARK_CONFIG = {"displayModeBar": False, "responsive": True}
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}

LABELS = {
    "dm_region": ("地区", "Region"),
    "dm_key_title": ("主要指标", "Key indicators"),
    "dm_key_note": ("最新发布值、同比、较上期变化与景气信号灯；小图为近期走势",
                    "Latest value, year on year, change from the previous period and signal light; "
                    "the small chart is the recent trend"),
    "dm_compare_cities": ("各市比较：{indicator}", "The cities compared: {indicator}"),
    "dm_compare_counties": ("{city}各县（市、区）比较：{indicator}", "Counties of {city} compared: {indicator}"),
    "dm_compare_note": ("虚线为上级地区数值；橙色为当前地区", "Dashed line: the parent region; orange: this region"),
    "dm_no_cards": ("该地区暂无本领域指标数据。", "No indicator of this domain is published for this region."),
    "dm_region_unknown": ("未知地区，已显示广西。", "Unknown region; showing Guangxi."),
    "dm_spark_note": ("近期走势", "Recent trend"),
    "dm_single_period": ("当期值（由累计值差分）", "single periods (differenced from year to date)"),
}
i18n.register(LABELS)


def title(code=None, **_params) -> str:
    group = current_context().catalog.groups.get(code or "")
    return f"{group.name_zh} {group.name_en} · {TITLE}" if group is not None and group.kind == "domain" else TITLE


dash.register_page(__name__, path_template="/domain/<code>", name="domain", title=title)


def layout(code=None, lang=None, region=None, **_params):
    ctx = current_context()
    default = ctx.settings.language
    lang = i18n.resolve(lang, default)
    if isinstance(region, list):
        region = region[-1] if region else None
    path = f"/domain/{code}"
    group = ctx.catalog.groups.get(code or "")
    if group is None or group.kind != "domain":
        return not_found(ctx, lang, path)
    notice = None
    try:
        reg = rv.region(ctx, region or rv.GUANGXI)
    except rv.RegionViewError:
        notice = c.message(t("dm_region_unknown", lang), "warning")
        reg = rv.region(ctx, rv.GUANGXI)
    indicators = ctx.catalog.in_group(group.code)
    selector = html.Div([
        html.Label(t("dm_region", lang), htmlFor=Domain.REGION, className="eb-select-label"),
        dcc.Dropdown(id=Domain.REGION, value=reg.adcode, clearable=False, searchable=True,
                     className="eb-select dm-select", options=_region_options(ctx, lang)),
    ], className="eb-select-wrap dm-select-wrap")
    crumbs = rv.breadcrumbs(ctx, reg.adcode)

    def crumb_link(adcode, lang_, default_):
        return c.href(path, lang_, default_, region=None if adcode == rv.GUANGXI else adcode)

    subtitle = " · ".join([i18n.pick(group.name_en, group.name_zh, lang),
                           f"{len(indicators)} {t('indicators_count', lang)}"])
    body = [
        dcc.Store(id=Domain.VIEW, data={"domain": group.code, "region": reg.adcode, "lang": lang,
                                        "default_lang": default}),
        html.Div([breadcrumbs_view(crumbs, lang, default, link=crumb_link),
                  dcc.Link(t("rg_open_region", lang) + " →", href=region_href(reg.adcode, lang, default),
                           className="dm-region-link")],
                 id=Domain.BREADCRUMBS, className="rg-breadcrumbs dm-breadcrumbs"),
        c.page_header(i18n.group_name(group, lang), subtitle, right=selector),
        html.Div(notice, id=Domain.NOTICE),
        _built_page_link(ctx, group, lang),
        c.section_title(t("dm_key_title", lang), t("dm_key_note", lang)),
        html.Div(id=Domain.CARDS, className="dm-card-grid"),
        c.panel(_compare_title(ctx, group.code, reg, lang), dcc.Graph(id=Domain.COMPARE, config=GRAPH_CONFIG),
                subtitle=t("dm_compare_note", lang), class_name="dm-compare-panel"),
        c.panel(t("catalog_link", lang), html.Div(c.catalog_table(indicators, lang), id=Catalog.TABLE),
                subtitle=f"{len(indicators)} {t('indicators_count', lang)}", class_name="dm-catalog-panel"),
        html.P(t("rg_source", lang), className="eb-source"),
    ]
    return c.page(ctx, lang, path, html.Div(body, className="dm-page"),
                  params={"region": None if reg.adcode == rv.GUANGXI else reg.adcode})


def _region_options(ctx, lang: str) -> list[dict]:
    out = []
    for r in rv.region_options(ctx):
        name = r["name_zh"] if lang == "zh" else r["name_en"]
        if r["level"] == "county":
            name = f"{name}（{r['parent_zh']}）" if lang == "zh" else f"{name} ({r['parent_en']})"
        out.append({"label": name, "value": r["adcode"]})
    return out


def _built_page_link(ctx, group, lang: str):
    built = BUILT_PAGES.get(group.code)
    if not built:
        return None
    return html.Div(
        [c.status_badge(True, lang), html.Span(t("available_now", lang), className="eb-ready-text"),
         dcc.Link(t(built[1], lang) + " →", href=c.href(built[0], lang, ctx.settings.language),
                  className="eb-ready-link")],
        className="eb-ready dm-built", id=Catalog.NOT_BUILT,
    )


def _compare_title(ctx, domain: str, reg, lang: str) -> str:
    level = "county" if reg.level == "county" else "city"
    code = rv.headline_code(ctx, domain, level)
    name = ctx.catalog[code].name(lang) if code else "—"
    if level == "city":
        return t("dm_compare_cities", lang).format(indicator=name)
    return t("dm_compare_counties", lang).format(city=ctx.regions[reg.parent].name(lang), indicator=name)


# ---- views ----------------------------------------------------------------------------------------------

def indicator_card(card: dict, lang: str, default: str) -> html.Div:
    name = card["name_zh"] if lang == "zh" else card["name_en"]
    link = c.href(f"/indicator/{card['code']}", lang, default, region=card["region"])
    key = card.get("zone_key") or "none"
    if card["value"] is None:
        main = html.Div(t("rg_no_value", lang), className="dm-card-empty")
        spark = None
    else:
        main = html.Div([html.Span(value_text(card, lang), className="dm-card-value"),
                         html.Span(unit_text(card["unit"], lang), className="dm-card-unit")], className="dm-card-main")
        spark = dcc.Graph(
            figure=region_figures.sparkline_figure(card["spark_periods"], card["spark_values"],
                                                   unit=unit_text(card["unit"], lang)),
            config=SPARK_CONFIG, className="dm-spark",
        )
    return html.Div([
        html.Div([dcc.Link(name, href=link, className="dm-card-name", title=name), zone_dot(card, lang)],
                 className="dm-card-head"),
        main,
        html.Div([html.Span(period_text(card["period"], lang), className="dm-card-period"),
                  yoy_line(card, lang), change_line(card, lang)], className="dm-card-lines"),
        spark,
    ], className=f"dm-card rg-border-{key}", **{"data-code": card["code"]})


# ---- callbacks ---------------------------------------------------------------------------------------------

def _view(view: dict | None) -> tuple[str, str, str, str]:
    view = view or {}
    default = view.get("default_lang", i18n.DEFAULT_LANG)
    return view.get("domain") or "", view.get("region") or rv.GUANGXI, i18n.resolve(view.get("lang"), default), default


def render_cards(view):
    domain, adcode, lang, default = _view(view)
    data = rv.domain_view(current_context(), domain, adcode)
    if not data["cards"]:
        return c.message(t("dm_no_cards", lang), "info")
    return [indicator_card(card, lang, default) for card in data["cards"]]


def render_compare(view):
    domain, adcode, lang, _ = _view(view)
    ctx = current_context()
    table = rv.compare_table(ctx, domain, adcode)
    parent = table.attrs.get("parent_name_zh") if lang == "zh" else table.attrs.get("parent_name_en")
    return region_figures.comparison_figure(table, lang, unit=unit_text(table.attrs.get("unit"), lang),
                                            reference=table.attrs.get("reference"), reference_name=parent)


def select_region(value, view):
    """The selector writes ``?region=…`` into the URL (广西, the default, is left out)."""
    _, adcode, lang, default = _view(view)
    if not value or value == adcode:
        return no_update
    return c.href("", lang, default, region=None if value == rv.GUANGXI else value) or "?"


def register_callbacks(app: dash.Dash) -> None:
    app.callback(Output(Domain.CARDS, "children"), Input(Domain.VIEW, "data"))(render_cards)
    app.callback(Output(Domain.COMPARE, "figure"), Input(Domain.VIEW, "data"))(render_compare)
    app.callback(Output(Shell.LOCATION, "search", allow_duplicate=True), Input(Domain.REGION, "value"),
                 State(Domain.VIEW, "data"), prevent_initial_call=True)(select_region)
