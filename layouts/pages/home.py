"""Overview (总览): the six application systems, the nine domains and the special topics as
navigation cards, with the latest headline figures. Domains and topics come from the catalog."""

from __future__ import annotations

import dash
from dash import dcc, html

from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.ids import Home
from layouts.pages._catalog import BUILT_PAGES
from layouts.pages._catalog import SYSTEM_PAGES as AVAILABLE
from layouts.shell import TITLE, current_context
from services import gdp as gdp_service

dash.register_page(__name__, path="/", name="overview", title=TITLE, order=0)

def _latest(ctx, lang: str, default: str):
    try:
        head = gdp_service.gdp_headline(ctx)
    except gdp_service.GdpRequestError:
        head = None
    if head is None:
        return None
    label = head["label_zh"] if lang == "zh" else head["label_en"]
    region = head["region_name_zh"] if lang == "zh" else head["region_name_en"]
    return html.Div(
        [
            html.Div([html.Span(t("home_latest", lang), className="eb-latest-kicker"),
                      html.Span(f"{region} · {label}", className="eb-latest-period")], className="eb-latest-head"),
            html.Div([
                html.Div([html.Div(t("gdp_kpi_gdp", lang), className="eb-latest-label"),
                          html.Div([html.Span(c.fmt(head["gdp"], 2, lang), className="eb-latest-value"),
                                    html.Span(i18n.unit(head["unit"], lang), className="eb-latest-unit")])]),
                html.Div([html.Div(t("gdp_kpi_growth", lang), className="eb-latest-label"),
                          html.Div(c.growth_span(head["real_growth"], lang), className="eb-latest-value")]),
            ], className="eb-latest-figures"),
            dcc.Link(t("home_open_gdp", lang) + " →", href=c.href("/gdp", lang, default), className="eb-latest-link"),
        ],
        className="eb-latest", id=Home.LATEST,
    )


def layout(lang=None, **_params):
    ctx = current_context()
    default = ctx.settings.language
    lang = i18n.resolve(lang, default)
    counts = {g.code: len(ctx.catalog.in_group(g.code)) for g in ctx.catalog.groups.values()}

    systems = [
        c.nav_card(i18n.system_name(code, lang), i18n.pick(s["desc_zh"], s["desc_en"], lang),
                   c.href(AVAILABLE[code][0][0] if code in AVAILABLE else f"/system/{code}", lang, default),
                   ready=code in AVAILABLE, lang=lang, class_name="eb-system-card",
                   extra_links=[dcc.Link(t("nav_systems", lang), href=c.href(f"/system/{code}", lang, default),
                                         className="eb-card-link eb-card-link-secondary")] if code in AVAILABLE else [])
        for code, s in i18n.SYSTEMS.items()
    ]
    domains = []
    for g in ctx.catalog.domains:
        special = BUILT_PAGES.get(g.code)  # a domain with a page of its own besides the domain page
        extra = [dcc.Link(t(special[1], lang), href=c.href(special[0], lang, default),
                          className="eb-card-link eb-card-link-secondary")] if special else []
        domains.append(c.nav_card(
            i18n.group_name(g, lang), i18n.pick(g.name_en, g.name_zh, lang),
            c.href(f"/domain/{g.code}", lang, default),
            body=f"{counts[g.code]} {t('indicators_count', lang)}", ready=True, lang=lang,
            extra_links=extra, class_name="eb-domain-card",
        ))
    topics = [
        c.nav_card(
            i18n.group_name(g, lang), i18n.pick(g.name_en, g.name_zh, lang), c.href(f"/topic/{g.code}", lang, default),
            body=" · ".join(filter(None, [
                "、".join(ctx.regions[r].name(lang) for r in (g.regions or []) if r in ctx.regions) or None,
                f"{counts[g.code]} {t('indicators_count', lang)}",
            ])),
            ready=False, lang=lang, class_name="eb-topic-card",
        )
        for g in ctx.catalog.topics
    ]
    body = [
        html.Div([
            html.Div([html.H1(t("home_title", lang), className="eb-hero-title"),
                      html.Div(t("brand_sub", lang), className="eb-hero-sub"),
                      html.P(t("home_lead", lang), className="eb-hero-lead")], className="eb-hero-text"),
            _latest(ctx, lang, default),
        ], className="eb-hero"),
        c.section_title(t("home_systems", lang), f"{len(systems)}"),
        html.Div(systems, className="eb-card-grid eb-grid-6", id=Home.SYSTEMS),
        c.section_title(t("home_domains", lang), f"{len(domains)}"),
        html.Div(domains, className="eb-card-grid eb-grid-5", id=Home.DOMAINS),
        c.section_title(t("home_topics", lang), f"{len(topics)}"),
        html.Div(topics, className="eb-card-grid eb-grid-5", id=Home.TOPICS),
    ]
    return c.page(ctx, lang, "/", body)
