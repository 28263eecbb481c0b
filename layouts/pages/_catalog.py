"""The body shared by the domain and topic pages: a "not built yet" panel (or the link to the built
page) and the group's indicators from the catalog."""

from __future__ import annotations

from dash import dcc, html

from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.ids import Catalog

BUILT_PAGES = {"gdp": ("/gdp", "nav_gdp")}  # group code → (path, label key) of its built page
# the pages of each application system, by system code: (path, label key); none: not built yet
SYSTEM_PAGES = {
    "awareness": [("/screen", "nav_screen"), ("/", "nav_home"), ("/region/450000", "nav_region"), ("/gdp", "nav_gdp"),
                  ("/warning", "nav_warning")],
    "forecast": [("/outlook", "nav_outlook"), ("/warning", "nav_warning")],
    "indices": [("/indices", "nav_indices")],
}


def group_body(ctx, group, lang: str, path: str) -> html.Div:
    default = ctx.settings.language
    indicators = ctx.catalog.in_group(group.code)
    regions = [ctx.regions[r].name(lang) for r in (group.regions or []) if r in ctx.regions]
    subtitle = " · ".join(filter(None, [
        i18n.pick(group.name_en, group.name_zh, lang),
        f"{t('topic_regions', lang)}: {'、'.join(regions)}" if regions else None,
        f"{len(indicators)} {t('indicators_count', lang)}",
    ]))
    built = BUILT_PAGES.get(group.code)
    if built:
        status = html.Div(
            [c.status_badge(True, lang), html.Span(t("available_now", lang), className="eb-ready-text"),
             dcc.Link(t(built[1], lang) + " →", href=c.href(built[0], lang, default), className="eb-ready-link")],
            className="eb-ready", id=Catalog.NOT_BUILT,
        )
    else:
        status = html.Div(c.not_built_panel(lang, html.P(t("not_built_catalog", lang), className="eb-muted")),
                          id=Catalog.NOT_BUILT)
    body = [
        c.page_header(i18n.group_name(group, lang), subtitle),
        status,
        c.panel(t("catalog_link", lang), html.Div(c.catalog_table(indicators, lang), id=Catalog.TABLE),
                subtitle=f"{len(indicators)} {t('indicators_count', lang)}"),
    ]
    return c.page(ctx, lang, path, body)


def not_found(ctx, lang: str, path: str) -> html.Div:
    default = ctx.settings.language
    body = [
        c.page_header(t("not_found_title", lang)),
        html.Div([html.P(t("not_found_text", lang)),
                  dcc.Link(t("back_home", lang) + " →", href=c.href("/", lang, default), className="eb-card-link")],
                 className="eb-not-built"),
    ]
    return c.page(ctx, lang, path, body)
