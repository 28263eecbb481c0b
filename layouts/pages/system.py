"""One page per application system (/system/<code>): what it does, its pages where they are built
(a system without pages says so plainly), and the domains and topics it draws on."""

from __future__ import annotations

import dash
from dash import dcc, html

from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.ids import Catalog
from layouts.pages._catalog import SYSTEM_PAGES as AVAILABLE
from layouts.pages._catalog import not_found
from layouts.shell import TITLE, current_context


def title(code=None, **_params) -> str:
    system = i18n.SYSTEMS.get(code or "")
    return f"{system['zh']} {system['en']} · {TITLE}" if system else TITLE


dash.register_page(__name__, path_template="/system/<code>", name="system", title=title)



def layout(code=None, lang=None, **_params):
    ctx = current_context()
    default = ctx.settings.language
    lang = i18n.resolve(lang, default)
    path = f"/system/{code}"
    system = i18n.SYSTEMS.get(code or "")
    if system is None:
        return not_found(ctx, lang, path)
    available = [dcc.Link(t(key, lang) + " →", href=c.href(p, lang, default), className="eb-ready-link")
                 for p, key in AVAILABLE.get(code, [])]
    domains = html.Div(
        [dcc.Link([html.Span(i18n.group_name(g, lang), className="eb-chip-name"),
                   html.Span(str(len(ctx.catalog.in_group(g.code))), className="eb-chip-count")],
                  href=c.href(f"/{g.kind}/{g.code}", lang, default), className="eb-chip")
         for g in [*ctx.catalog.domains, *ctx.catalog.topics]],
        className="eb-chips",
    )
    body = [
        c.page_header(i18n.system_name(code, lang), i18n.pick(system["en"], system["zh"], lang)),
        html.Div(c.not_built_panel(lang, html.P(i18n.pick(system["desc_zh"], system["desc_en"], lang),
                                                className="eb-muted")), id=Catalog.NOT_BUILT)
        if not available else html.P(i18n.pick(system["desc_zh"], system["desc_en"], lang), className="eb-lead"),
        html.Div([html.Span(t("available_now", lang), className="eb-ready-text"), *available],
                 className="eb-ready") if available else None,
        c.panel(t("system_related", lang), domains, subtitle=t("system_related_sub", lang)),
        c.panel(t("system_others", lang), html.Div(
            [dcc.Link(i18n.system_name(other, lang), href=c.href(f"/system/{other}", lang, default),
                      className="eb-chip") for other in i18n.SYSTEMS if other != code],
            className="eb-chips"), class_name="eb-panel-gap"),
    ]
    return c.page(ctx, lang, path, body)
