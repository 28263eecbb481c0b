"""演示模式 Presentation mode (``/present?month=2026-10&region=450000``): the analysis-meeting pack
shown live, full screen, from the same slide list as the PowerPoint deck (``reports.slides``).

The report is built once when the page loads; every slide is rendered at once on a fixed
1920×1080 canvas that ``assets/present.js`` scales to the window and steps through (arrow keys,
Page Up/Down, Space, Home/End, F for full screen, ``#3`` in the URL). No callbacks: nothing is
computed while the room waits. No navbar either — the projector shows the slides only; a small
control bar gives mouse users previous / next / full screen and the way back.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from indicators.regions import GUANGXI
from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.shell import TITLE, current_context
from reports.charts import plotly_figure
from reports.model import Figure
from reports.slides import Slide, demo_tag, slides
from services.report import ReportRequestError, build_report, latest_month


class Present:
    ROOT = "present-root"  # present.js acts only where this element exists
    CANVAS = "present-canvas"
    COUNTER = "present-counter"
    PREV = "present-prev"
    NEXT = "present-next"
    FULL = "present-full"
    EXIT = "present-exit"
    ERROR = "present-error"


PATH = "/present"
CANVAS_W, CANVAS_H = 1920, 1080
GRAPH_CONFIG = {"displayModeBar": False, "staticPlot": True, "responsive": False}
# chart sizes (px on the canvas) for each body layout
ONE_WIDE, ONE_BESIDE, TWO = (1728, 700), (1130, 700), (852, 700)

i18n.register({
    "present_title": ("演示模式", "Presentation mode"),
    "present_prev": ("上一页（←）", "Previous (←)"),
    "present_next": ("下一页（→）", "Next (→)"),
    "present_full": ("全屏（F）", "Full screen (F)"),
    "present_exit": ("返回报告中心", "Back to the report centre"),
    "present_error": ("无法生成演示文稿 · The presentation cannot be shown",
                      "无法生成演示文稿 · The presentation cannot be shown"),
    "present_no_data": ("尚无分析结果：后台更新完成后刷新本页即可，或运行 python app.py refresh。 / "
                        "No analytics stored yet: reload when the background refresh has finished, "
                        "or run python app.py refresh.",
                        "尚无分析结果：后台更新完成后刷新本页即可，或运行 python app.py refresh。 / "
                        "No analytics stored yet: reload when the background refresh has finished, "
                        "or run python app.py refresh."),
})

dash.register_page(__name__, path=PATH, name="present", title=f"演示模式 Presentation · {TITLE}")


def _one(value):
    return (value[-1] if value else None) if isinstance(value, list) else value


# ---- charts for the projector ------------------------------------------------------------------------

def projector_figure(spec: Figure, lang: str, size: tuple[int, int]):
    """The report's chart, resized and with type large enough for the back of the room."""
    width, height = size
    fig = plotly_figure(spec, lang, height)
    fig.update_layout(width=width, height=height, autosize=False, font=dict(size=20),
                      title=dict(font=dict(size=26), x=0.02, xanchor="left"),
                      margin=dict(l=80, r=40, t=84, b=70), legend=dict(font=dict(size=18)))
    fig.update_xaxes(tickfont=dict(size=18), automargin=True)
    fig.update_yaxes(tickfont=dict(size=18), title_font_size=18, automargin=True)
    fig.update_traces(textfont_size=18, selector=dict(type="bar"))
    for trace in fig.data:  # thicker lines and markers; the fan's bands keep their own style
        if trace.type == "scatter" and "lines" in (trace.mode or "") and not trace.fill:
            trace.line.width = 4
            trace.marker.size = 12 if spec.kind == "composite" else 10
        if trace.type == "scatter" and "text" in (trace.mode or ""):  # point labels, the nowcast's value
            trace.textfont.size = 22 if spec.kind == "fan" else 18
    n = len(spec.data.get("categories") or [])
    if n > 14:  # two years of months: every third label, upright, the latest one included
        fig.update_xaxes(dtick=3, tick0=(n - 1) % 3, tickangle=0)
    in_legend = [tr for tr in fig.data if tr.showlegend is not False and tr.name]
    if len(in_legend) > 1 and fig.layout.showlegend is not False:
        # the legend under the title, not over it
        fig.update_layout(margin_t=130, title=dict(y=0.97, yanchor="top", yref="container"),
                          legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"))
    return fig


def _graph(spec: Figure, lang: str, size: tuple[int, int]) -> html.Div:
    return html.Div(dcc.Graph(figure=projector_figure(spec, lang, size), config=GRAPH_CONFIG,
                              style={"width": f"{size[0]}px", "height": f"{size[1]}px"}),
                    className="pr-figure", **{"data-kind": spec.kind, "data-key": spec.key})


# ---- slides ---------------------------------------------------------------------------------------------

def _body(slide: Slide, lang: str):
    figs, bullets = slide.figures, slide.bullets
    if not figs:
        size = "pr-bullets--large" if len(bullets) <= 4 else "pr-bullets--many" if len(bullets) > 6 else ""
        return html.Ul([html.Li(b) for b in bullets], className=f"pr-bullets pr-bullets--text {size}")
    if len(figs) == 2:
        size = (TWO[0], TWO[1] - (120 if bullets else 0))
        return html.Div([html.Div([_graph(f, lang, size) for f in figs], className="pr-figures pr-figures--two"),
                         html.Ul([html.Li(b) for b in bullets[:2]], className="pr-bullets pr-bullets--below")
                         if bullets else None], className="pr-stack")
    if bullets:
        return html.Div([_graph(figs[0], lang, ONE_BESIDE),
                         html.Ul([html.Li(b) for b in bullets], className="pr-bullets pr-bullets--side")],
                        className="pr-figures pr-figures--beside")
    return html.Div(_graph(figs[0], lang, ONE_WIDE), className="pr-figures")


def _tag(text: str):
    return html.Div(text, className="pr-demo-tag") if text else None


def slide_view(slide: Slide, n: int, total: int, report, lang: str) -> html.Section:
    tag = demo_tag(report, lang)
    active = " is-active" if n == 1 else ""
    common = {"id": f"present-slide-{n}", "aria-label": f"{n} / {total}", "data-n": str(n)}
    if slide.kind == "title":
        return html.Section([
            _tag(tag),
            html.Div(slide.kicker, className="pr-kicker"),
            html.H1(slide.title, className="pr-title"),
            html.Div(className="pr-rule"),
            html.Div(slide.bullets[0] if slide.bullets else "", className="pr-subtitle"),
            html.Div(slide.bullets[1:], className="pr-demo-note") if len(slide.bullets) > 1 else None,
            html.Div(slide.footnote, className="pr-footnote"),
        ], className="pr-slide pr-slide--title" + active, **common)
    return html.Section([
        html.Header([html.Div([html.Div(slide.kicker, className="pr-kicker"),
                               html.H1(slide.title, className="pr-title")], className="pr-head-text"),
                     _tag(tag)], className="pr-head"),
        html.Div(_body(slide, lang), className="pr-body"),
        html.Footer(report.title(lang), className="pr-foot"),
    ], className=f"pr-slide pr-slide--{slide.kind}" + active, **common)


def _button(symbol: str, id_: str, label: str) -> html.Button:
    return html.Button(symbol, id=id_, className="pr-btn", title=label, **{"aria-label": label})


def _controls(total: int, lang: str, default_lang: str) -> html.Nav:
    return html.Nav([
        _button("‹", Present.PREV, t("present_prev", lang)),
        html.Span(f"1 / {total}", id=Present.COUNTER, className="pr-counter", **{"aria-live": "polite"}),
        _button("›", Present.NEXT, t("present_next", lang)),
        _button("⛶", Present.FULL, t("present_full", lang)),
        dcc.Link("×", id=Present.EXIT, href=c.href("/reports", lang, default_lang), className="pr-btn pr-exit",
                 title=t("present_exit", lang)),
    ], className="pr-controls")


def error_view(message: str, lang: str, default_lang: str) -> html.Div:
    return html.Div(html.Div([
        html.H1(t("present_error", lang), className="pr-error-title"),
        html.P(message, className="pr-error-message"),
        dcc.Link(t("present_exit", "zh") + " · " + t("present_exit", "en"), href=c.href("/reports", lang, default_lang),
                 className="pr-error-link"),
    ], id=Present.ERROR, className="pr-error", role="alert"), id=Present.ROOT + "-error", className="pr-root pr-root--error")


def layout(lang=None, month=None, region=None, **_params):
    ctx = current_context()
    default_lang = ctx.settings.language
    lang = i18n.resolve(_one(lang), default_lang)
    month, region = _one(month), _one(region) or GUANGXI
    try:
        month = month or latest_month(ctx)
        if month is None:
            return error_view(t("present_no_data", lang), lang, default_lang)
        report = build_report(ctx, month, region)
    except ReportRequestError as exc:  # bad month or region, no data: already bilingual
        return error_view(str(exc), lang, default_lang)
    deck = slides(report, lang)
    views = [slide_view(s, n, len(deck), report, lang) for n, s in enumerate(deck, 1)]
    return html.Div([
        html.Div(views, id=Present.CANVAS, className="pr-canvas"),
        _controls(len(deck), lang, default_lang),
    ], id=Present.ROOT, className=f"pr-root pr-lang-{lang}", lang="zh-CN" if lang == "zh" else "en",
        **{"data-total": str(len(deck)), "data-demo": "true" if report.demo else "false"})
