"""The report's charts: plotly figures from :class:`reports.model.Figure` specs, and their PNGs.

The same house template as the dashboard (``figures/theme.py``) and, for the nowcast, the same fan
chart as the 形势预判 page (``figures.analytics.fan_chart_figure``). PNGs are rendered by kaleido
through Debian's Chromium (``BROWSER_PATH``), with one sync server started for a whole report, so
Word, PDF and the archive share one rendering of each chart.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import warnings

import pandas as pd
import plotly.graph_objects as go

from figures import theme
from figures.analytics import composite_history_figure, fan_chart_figure
from figures.theme import TEMPLATE
from models.signals import ZONES
from reports.model import Figure
from services.analytics_view import fan_bands

WIDTH, HEIGHT, SCALE = 900, 420, 2  # 15.9 cm wide at 144 dpi: sharp on paper and on a projector
ZONE_ORDER = (5, 4, 3, 2, 1)


def _categories(fig: Figure, lang: str) -> list[str]:
    if lang == "en" and fig.data.get("categories_en"):
        return fig.data["categories_en"]
    return fig.data["categories"]


def _name(item: dict, lang: str) -> str:
    return item.get("name_en" if lang == "en" else "name_zh") or ""


def _layout(fig: go.Figure, spec: Figure, lang: str, height: int) -> go.Figure:
    fig.update_layout(template=TEMPLATE, height=height, width=WIDTH, paper_bgcolor="white", plot_bgcolor="white",
                      title=dict(text=spec.title(lang)), margin=dict(l=60, r=30, t=60, b=50))
    return fig


def untitled(fig: go.Figure) -> go.Figure:
    """For Word and PDF, where the caption under the picture carries the title."""
    return fig.update_layout(title=dict(text=""), margin=dict(t=36))


def line_figure(spec: Figure, lang: str, height: int) -> go.Figure:
    fig = go.Figure()
    for i, s in enumerate(spec.data["series"]):
        fig.add_scatter(x=_categories(spec, lang), y=s["values"], name=_name(s, lang), mode="lines+markers+text",
                        text=[None if v is None else f"{v:.1f}" for v in s["values"]] if i == 0 else None,
                        textposition="top center", textfont=dict(size=11), cliponaxis=False,
                        line=dict(color=theme.COLORWAY[i % len(theme.COLORWAY)]))
    fig.update_xaxes(type="category")
    fig.update_yaxes(ticksuffix=spec.data.get("unit") if spec.data.get("unit") == "%" else "")
    return _layout(fig, spec, lang, height)


def bar_figure(spec: Figure, lang: str, height: int) -> go.Figure:
    fig = go.Figure()
    highlight = set(spec.data.get("highlight") or [])
    for s in spec.data["series"]:
        colours = [theme.ORANGE if i in highlight else theme.BLUE for i in range(len(s["values"]))]
        fig.add_bar(x=_categories(spec, lang), y=s["values"], name=_name(s, lang), marker_color=colours,
                    text=[f"{v:.1f}" for v in s["values"]], textposition="outside", cliponaxis=False)
    fig.update_layout(showlegend=False)
    fig.update_xaxes(type="category")
    return _layout(fig, spec, lang, height)


def composite_figure(spec: Figure, lang: str, height: int) -> go.Figure:
    """The 预警中心 page's composite chart: the score over the five zone bands."""
    data = spec.data
    history = pd.DataFrame({"period": data["categories"], "score": data["values"],
                            "zone_zh": [ZONES[z]["zh"] for z in data["zones"]],
                            "zone_en": [ZONES[z]["en"] for z in data["zones"]],
                            "color": [ZONES[z]["color"] for z in data["zones"]]})
    return _layout(composite_history_figure(history, lang, height), spec, lang, height)


def zones_figure(spec: Figure, lang: str, height: int) -> go.Figure:
    zones, counts = spec.data["zones"], spec.data["counts"]
    names = [ZONES[z]["en" if lang == "en" else "zh"] for z in zones]
    fig = go.Figure(go.Bar(x=names, y=counts, marker_color=[ZONES[z]["color"] for z in zones],
                           text=counts, textposition="outside", cliponaxis=False))
    fig.update_layout(showlegend=False)
    return _layout(fig, spec, lang, height)


def fan_figure(spec: Figure, lang: str, height: int) -> go.Figure:
    d = spec.data
    bands = fan_bands(d.get("lower"), d.get("upper"), d.get("level"))
    fan = {"history": pd.DataFrame({"period": d["categories"], "value": d["values"]}), "period": d["period"],
           "point": d["point"], "bands": bands}
    fig = fan_chart_figure(fan, lang, height)
    return _layout(fig, spec, lang, height)


BUILDERS = {"line": line_figure, "bar": bar_figure, "composite": composite_figure, "zones": zones_figure,
            "fan": fan_figure}


def plotly_figure(spec: Figure, lang: str = "zh", height: int = HEIGHT) -> go.Figure:
    return BUILDERS[spec.kind](spec, lang, height)


def _browser() -> str | None:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def png_renderer():
    """Yields ``render(spec, lang) -> PNG bytes``; one kaleido server for the whole batch."""
    import kaleido

    browser = _browser()
    if browser:
        os.environ.setdefault("BROWSER_PATH", browser)
    kaleido.start_sync_server(silence_warnings=True)
    try:
        def render(spec: Figure, lang: str = "zh") -> bytes:
            fig = untitled(plotly_figure(spec, lang))
            with warnings.catch_warnings():  # plotly warns that per-call options are unused with a server
                warnings.simplefilter("ignore", UserWarning)
                return fig.to_image(format="png", width=WIDTH, height=HEIGHT, scale=SCALE)

        yield render
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def render_all(figures: list[Figure], lang: str = "zh") -> dict[str, bytes]:
    """PNG bytes of every figure, by key."""
    with png_renderer() as render:
        return {f.key: render(f, lang) for f in figures}
