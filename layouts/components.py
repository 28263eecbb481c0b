"""Shared pieces of every page: the frame (navbar, demo banner, footer), cards, tables, links.

Style lives in ``assets/econbrain.css``; components only set class names. Every internal link
carries the language (``?lang=en``) through :func:`href`, so a shared link opens as it was seen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts import i18n, markup
from layouts.i18n import t
from layouts.ids import Shell


def href(path: str, lang: str, default_lang: str = i18n.DEFAULT_LANG, **params) -> str:
    """An internal link with the view state in its query; the default language is left out."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if lang != default_lang:
        query["lang"] = lang
    return f"{path}?{urlencode(query)}" if query else path


def fmt(value, decimals: int = 2, lang: str = "zh", sign: bool = False) -> str:
    """A number for people: ``—`` when missing; thousands separators in English only (Chinese
    statistical tables write 24547.17)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    spec = f"{'+' if sign else ''}{',' if lang == 'en' else ''}.{decimals}f"
    return format(float(value), spec)


# ---- the frame ----------------------------------------------------------------------------------

def _dropdown(label: str, items: list[tuple[str, str]], active: bool) -> html.Details:
    """A menu of the navbar: a ``<details>`` that opens by itself (no script to draw it);
    ``assets/navbar.js`` closes it on a choice, a click elsewhere or Escape."""
    return html.Details([
        html.Summary(label, className="nav-link dropdown-toggle"),
        html.Div([dcc.Link(text, href=link, className="dropdown-item") for text, link in items],
                 className="dropdown-menu dropdown-menu-dark"),
    ], className="eb-nav-dropdown dropdown nav-item" + (" active" if active else ""))


def navbar(ctx, lang: str, path: str, params: dict | None = None) -> html.Nav:
    """Brand, pages, menus and the language link. All but the language link (which callbacks
    update) is one block of markup (``layouts/markup.py``): ~45 fewer components on every page,
    which every later change on the page is the cheaper for."""
    default = ctx.settings.language
    params = {k: v for k, v in (params or {}).items() if k != "lang"}
    systems = [(i18n.system_name(code, lang), href(f"/system/{code}", lang, default)) for code in i18n.SYSTEMS]
    domains = [(i18n.group_name(g, lang), href(f"/domain/{g.code}", lang, default)) for g in ctx.catalog.domains]
    topics = [(i18n.group_name(g, lang), href(f"/topic/{g.code}", lang, default)) for g in ctx.catalog.topics]
    other = i18n.other(lang)
    switch = dcc.Link(t("lang_switch", lang), href=href(path, other, default, **params), id=Shell.LANG_SWITCH,
                      className="eb-lang-switch", title=t("lang_switch_title", lang))
    version = html.Span(f"{t('data_version', lang)} v{ctx.data_version}", className="eb-nav-meta")
    brand = dcc.Link(
        [html.Span("EB", className="eb-logo"),
         html.Span([html.Span(t("brand", "zh"), className="eb-brand-zh"),
                    html.Span("EconBrain", className="eb-brand-en")], className="eb-brand-text")],
        href=href("/", lang, default), className="navbar-brand eb-brand",
    )

    def link(key: str, target: str, active: bool) -> html.Div:
        return html.Div(dcc.Link(t(key, lang), href=href(target, lang, default),
                                 className="nav-link" + (" active" if active else "")), className="nav-item")

    nav = html.Div([
        link("nav_home", "/", path == "/"),
        link("nav_screen", "/screen", path == "/screen"),
        link("nav_region", "/region/450000", path.startswith("/region/")),
        link("nav_gdp", "/gdp", path == "/gdp"),
        link("nav_outlook", "/outlook", path == "/outlook"),
        link("nav_warning", "/warning", path == "/warning"),
        link("nav_indices", "/indices", path == "/indices"),
        link("nav_reports", "/reports", path in ("/reports", "/present")),
        _dropdown(t("nav_systems", lang), systems, path.startswith("/system/")),
        _dropdown(t("nav_domains", lang), domains, path.startswith("/domain/")),
        *([_dropdown(t("nav_topics", lang), topics, path.startswith("/topic/"))] if topics else []),
    ], className="me-auto navbar-nav")
    return html.Nav(
        html.Div([markup.static([brand, nav], "eb-nav-links"), html.Div([version, switch], className="eb-nav-right")],
                 className="container-fluid eb-nav-inner"),
        className="eb-navbar navbar navbar-expand navbar-dark", id=Shell.NAVBAR,
    )


def demo_banner(ctx, lang: str):
    if not ctx.is_demo:
        return None
    return html.Div(
        [html.Span("!", className="eb-banner-mark"), html.Span(t("demo_banner", lang))],
        className="eb-demo-banner", id=Shell.DEMO_BANNER, role="status",
    )


def refresh_notice(ctx, lang: str):
    """While the batch refresh runs (or the analytics are older than the data), say so: a page may
    show last run's results or none yet."""
    from services.refresh import status

    info = status(ctx)
    if info.get("running"):
        share = info["done"] / info["total"] if info.get("total") else 0
        text = f"{t('refresh_running', lang)} {share:.0%}"
    elif info.get("stale") and ctx.data_version > 0:
        text = t("refresh_stale", lang)
    else:
        return None
    return html.Div([html.Span("⟳", className="eb-banner-mark"), html.Span(text)],
                    className="eb-refresh-notice", id=Shell.REFRESH_NOTICE, role="status")


def page(ctx, lang: str, path: str, children, params: dict | None = None) -> html.Div:
    """The whole page: navbar, demo banner when the data are generated, content, footer."""
    return html.Div(
        [
            navbar(ctx, lang, path, params),
            demo_banner(ctx, lang),
            refresh_notice(ctx, lang),
            html.Main(children, className="eb-main container-fluid", lang="zh-CN" if lang == "zh" else "en"),
            html.Footer(t("footer", lang), className="eb-footer"),
        ],
        className=f"eb-page eb-lang-{lang}",
    )


# ---- building blocks ------------------------------------------------------------------------------

def page_header(title: str, subtitle: str | None = None, right=None) -> html.Div:
    return html.Div(
        [html.Div([html.H1(title, className="eb-page-title"),
                   html.Div(subtitle, className="eb-page-subtitle") if subtitle else None]),
         html.Div(right, className="eb-page-tools") if right is not None else None],
        className="eb-page-header",
    )


def section_title(text: str, note: str | None = None) -> html.Div:
    return html.Div([html.H2(text, className="eb-section-title"),
                     html.Span(note, className="eb-section-note") if note else None], className="eb-section-head")


def panel(title: str, body, subtitle: str | None = None, class_name: str = "") -> html.Section:
    """A titled white card holding a chart or a table."""
    return html.Section(
        [html.Header([html.H3(title, className="eb-panel-title"),
                      html.Span(subtitle, className="eb-panel-sub") if subtitle else None], className="eb-panel-head"),
         html.Div(body, className="eb-panel-body")],
        className=f"eb-panel {class_name}".strip(),
    )


def kpi_card(title: str, value: str, unit: str | None = None, lines: Iterable = (), accent: str = "blue",
             note: str | None = None) -> html.Div:
    """A headline figure: title, big value with unit, and a few small lines under it."""
    return html.Div(
        [
            html.Div(title, className="eb-kpi-title"),
            html.Div([html.Span(value, className="eb-kpi-value"),
                      html.Span(unit, className="eb-kpi-unit") if unit else None], className="eb-kpi-main"),
            html.Div([html.Div(line, className="eb-kpi-line") for line in lines if line is not None],
                     className="eb-kpi-lines"),
            html.Div(note, className="eb-kpi-note") if note else None,
        ],
        className=f"eb-kpi eb-accent-{accent}",
    )


def growth_span(value, lang: str, decimals: int = 1) -> html.Span:
    """A growth rate coloured by sign (red up, green down, as Chinese financial displays do)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return html.Span("—", className="eb-growth")
    cls = "eb-up" if value > 0 else "eb-down" if value < 0 else ""
    return html.Span(fmt(value, decimals, lang, sign=True) + "%", className=f"eb-growth {cls}")


def not_built_panel(lang: str, extra=None) -> html.Div:
    return html.Div(
        [html.Div(t("not_built_title", lang), className="eb-not-built-badge"),
         html.P(t("not_built_text", lang), className="eb-not-built-text"),
         extra],
        className="eb-not-built",
    )


def status_badge(ready: bool, lang: str) -> html.Span:
    return html.Span(t("status_ready" if ready else "status_planned", lang),
                     className="eb-badge " + ("eb-badge-ready" if ready else "eb-badge-planned"))


def nav_card(title: str, subtitle: str | None, link: str, body=None, ready: bool = False, lang: str = "zh",
             extra_links: Iterable = (), class_name: str = "") -> html.Div:
    """A navigation card: the whole title is a link; a badge says whether the page is built."""
    return html.Div(
        [
            html.Div([dcc.Link(title, href=link, className="eb-card-title"),
                      status_badge(ready, lang)], className="eb-card-head"),
            html.Div(subtitle, className="eb-card-sub") if subtitle else None,
            html.Div(body, className="eb-card-body") if body is not None else None,
            html.Div([dcc.Link(t("open", lang) + " →", href=link, className="eb-card-link"), *extra_links],
                     className="eb-card-links"),
        ],
        className=f"eb-nav-card {'is-ready' if ready else ''} {class_name}".strip(),
    )


def catalog_table(indicators, lang: str) -> html.Div:
    """The indicators of a domain or topic, from the catalog: code, name, unit, frequency, source."""
    head = html.Thead(html.Tr([html.Th(t(k, lang)) for k in
                               ("col_code", "col_name", "col_unit", "col_frequency", "col_publication", "col_source")]))
    rows = [
        html.Tr([
            html.Td(html.Code(ind.code)),
            html.Td(ind.name(lang), title=ind.definition_en if lang == "en" else ind.definition_zh),
            html.Td(i18n.unit(ind.unit, lang)),
            html.Td(t(f"freq_{ind.frequency}", lang)),
            html.Td(t(f"pub_{ind.publication}", lang)),
            html.Td(i18n.source_unit(ind.source_unit, lang)),
        ], **{"data-code": ind.code})
        for ind in indicators
    ]
    return html.Div(dbc.Table([head, html.Tbody(rows)], class_name="eb-table eb-catalog-table", hover=True, size="sm"),
                    className="eb-table-wrap")


def message(text: str, kind: str = "info") -> html.Div:
    return html.Div(text, className=f"eb-message eb-message-{kind}", role="status")
