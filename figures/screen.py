"""Figures of the leaders' big screen: pure functions from ``services.screen`` view models to plotly.

A dark variant of the EconBrain template (``econbrain_screen``) with type sized for five metres.
Every figure has a fixed pixel size because the screen is a fixed 1920×1080 canvas scaled as a
whole. The city map is drawn as filled SVG polygons over the project's own boundaries rather than
a ``Choroplethmap``: vector shapes stay sharp when the canvas is scaled to 4K (a WebGL map is a
bitmap that would be stretched), and a screen that runs for days holds no WebGL context.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale

from figures import shapes
from figures.theme import FONT_FAMILY
from models.signals import ZONES

TEMPLATE = "econbrain_screen"
INK = "#e6f0fb"
MUTED = "#8fb0d0"
GRID = "rgba(143, 176, 208, 0.18)"
CYAN = "#35d0ff"
GOLD = "#f5c542"
UP = "#ff6b5f"  # Chinese displays: red is up
DOWN = "#3ddc84"
# low → high for the city map on a dark ground
MAP_SCALE = ["#103a66", "#1665a8", "#1f93c9", "#35c2d8", "#8fe3c4", "#f5e38a"]
ZONE_COLORS = {z: v["color"] for z, v in ZONES.items()}

_LABELS = {
    "no_data": ("暂无数据", "No data"),
    "published": ("已发布", "Published"),
    "nowcast": ("即时预测", "Nowcast"),
    "target": ("全年目标", "Annual target"),
    "interval": ("预测区间", "Interval"),
    "province": ("全区", "Guangxi"),
    "score": ("综合指数", "Composite"),
}


def label(key: str, lang: str = "zh") -> str:
    zh, en = _LABELS[key]
    return en if lang == "en" else zh


def _template() -> go.layout.Template:
    axis = dict(gridcolor=GRID, linecolor=GRID, zerolinecolor="rgba(143, 176, 208, 0.45)", tickcolor=GRID,
                tickfont=dict(size=18, color=MUTED), title=dict(font=dict(size=18, color=MUTED)), automargin=True)
    layout = go.Layout(
        font=dict(family=FONT_FAMILY, size=18, color=INK),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        colorway=[CYAN, GOLD, "#7b8cff", DOWN, UP, MUTED],
        margin=dict(l=48, r=24, t=24, b=40), showlegend=False,
        xaxis=axis, yaxis=axis, separators=".,",
    )
    return go.layout.Template(layout=layout)


pio.templates[TEMPLATE] = _template()


def _base(width: int, height: int) -> go.Figure:
    return go.Figure(layout=dict(template=TEMPLATE, width=width, height=height, autosize=False))


def empty_figure(lang: str, width: int, height: int, text: str | None = None) -> go.Figure:
    fig = _base(width, height)
    fig.add_annotation(text=text or label("no_data", lang), showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper", font=dict(size=24, color=MUTED))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


# ---- the map ---------------------------------------------------------------------------------------

def _color_range(values: pd.Series) -> tuple[float, float]:
    v = values.dropna()
    if v.empty:
        return 0.0, 1.0
    low, high = float(v.min()), float(v.max())
    if math.isclose(low, high):
        return low - 1, high + 1
    return low, high


def city_map_figure(table: pd.DataFrame, geojson: dict, lang: str = "zh", width: int = 720, height: int = 800,
                    label_size: int = 20) -> go.Figure:
    """The cities filled by ``table['value']`` (low: deep blue, high: pale gold), each labelled with
    its name and value, and a colour bar; cities without a value are grey."""
    features = {str(f["properties"]["adcode"]): f for f in geojson.get("features", [])}
    if table.empty or not features or table["value"].dropna().empty:
        return empty_figure(lang, width, height)
    low, high = _color_range(table["value"])
    decimals = int(table.attrs.get("decimals", 1))
    unit = table.attrs.get("unit", "")
    fig = _base(width, height)
    label_x, label_y, label_text = [], [], []
    lats: list = []
    lons: list = []
    for row in table.itertuples(index=False):
        feature = features.get(str(row.adcode))
        if feature is None:
            continue
        rings = shapes.outer_rings(feature["geometry"])
        xs, ys = shapes.path(rings)
        west, east, south, north = shapes.extent(rings)
        lats += [south, north]
        lons += [west, east]
        has_value = pd.notna(row.value)
        color = (sample_colorscale(MAP_SCALE, [(row.value - low) / (high - low)])[0] if has_value else "#2a3b52")
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=color,
                        line=dict(color="rgba(4, 16, 31, 0.95)", width=1.6), hoverinfo="skip", name=str(row.adcode))
        cx, cy = shapes.centroid(max(rings, key=shapes.ring_area))
        dx, dy = shapes.LABEL_NUDGE.get(str(row.adcode), (0.0, 0.0))
        cx, cy = cx + dx, cy + dy
        name = row.short_zh if lang == "zh" else row.name_en
        value = f"{row.value:.{decimals}f}{'%' if unit == '%' else ''}" if has_value else "—"
        label_x.append(cx)
        label_y.append(cy)
        label_text.append(f"<b>{name}</b><br>{value}")
    fig.add_scatter(x=label_x, y=label_y, mode="text", text=label_text, hoverinfo="skip", name="labels",
                    textfont=dict(size=label_size, color="#ffffff", family=FONT_FAMILY))
    # an invisible marker carries the colour bar
    fig.add_scatter(x=[label_x[0]], y=[label_y[0]], mode="markers", hoverinfo="skip", name="scale",
                    marker=dict(size=0.1, opacity=0, color=[low], cmin=low, cmax=high, colorscale=MAP_SCALE,
                                showscale=True,
                                colorbar=dict(thickness=16, len=0.42, x=0.0, xanchor="left", y=0.02, yanchor="bottom",
                                              outlinewidth=0, tickfont=dict(size=18, color=MUTED),
                                              ticksuffix="%" if unit == "%" else "",
                                              tickformat=".0f" if high - low >= 4 else ".1f", nticks=5)))
    fig.update_layout(margin=dict(l=8, r=8, t=8, b=8))
    shapes.map_axes(fig, (min(lons), max(lons), min(lats), max(lats)))
    return fig


def city_bar_figure(table: pd.DataFrame, lang: str = "zh", width: int = 640, height: int = 420) -> go.Figure:
    """The cities' values of the map indicator, highest at the top, with Guangxi as a dashed line."""
    data = table.dropna(subset=["value"]).sort_values("value")
    if data.empty:
        return empty_figure(lang, width, height)
    decimals = int(table.attrs.get("decimals", 1))
    province = table.attrs.get("province")
    names = [r.short_zh if lang == "zh" else r.name_en for r in data.itertuples()]
    colors = [CYAN if province is None or v >= province else "#2f6f9f" for v in data["value"]]
    fig = _base(width, height)
    fig.add_bar(x=data["value"], y=names, orientation="h", marker_color=colors, hoverinfo="skip",
                text=[f"{v:.{decimals}f}" for v in data["value"]], textposition="outside", cliponaxis=False,
                constraintext="none", textfont=dict(size=18, color=INK))
    low = min(0.0, float(data["value"].min()))
    high = max(0.0, float(data["value"].max()))
    span = (high - low) or 1.0
    if province is not None:
        fig.add_vline(x=province, line=dict(color=GOLD, width=2, dash="dash"))
        fig.add_annotation(x=province, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{label('province', lang)} {province:.{decimals}f}", font=dict(size=18, color=GOLD))
    fig.update_layout(margin=dict(l=8, r=56, t=32, b=8), bargap=0.28)
    fig.update_xaxes(visible=False, range=[low - (0.12 * span if low < 0 else 0), high + 0.14 * span], fixedrange=True)
    fig.update_yaxes(type="category", tickfont=dict(size=18, color=INK), fixedrange=True)
    return fig


# ---- nowcast -----------------------------------------------------------------------------------------

def nowcast_figure(panel: dict, lang: str = "zh", width: int = 520, height: int = 200) -> go.Figure:
    """Published quarterly GDP growth as bars, the nowcast of the next quarter as a point with its
    interval, and the annual target as a dashed line."""
    history: pd.DataFrame = panel.get("history", pd.DataFrame())
    nowcast = panel.get("nowcast")
    if (history is None or history.empty) and nowcast is None:
        return empty_figure(lang, width, height)
    fig = _base(width, height)
    periods = list(history["period"]) if history is not None else []
    if periods:
        fig.add_bar(x=periods, y=history["value"], marker_color="#2f6f9f", hoverinfo="skip",
                    text=[f"{v:.1f}" for v in history["value"]], textposition="outside", cliponaxis=False,
                    constraintext="none", textfont=dict(size=15, color=MUTED), name=label("published", lang))
    values = list(history["value"]) if periods else []
    if nowcast is not None and nowcast["point"] is not None:
        lower, upper, point = nowcast["lower"], nowcast["upper"], nowcast["point"]
        fig.add_scatter(
            x=[nowcast["period"]], y=[point], mode="markers+text", name=label("nowcast", lang), hoverinfo="skip",
            marker=dict(size=16, color=GOLD, symbol="diamond"), text=[f"{point:.1f}"], textposition="middle right",
            textfont=dict(size=18, color=GOLD), cliponaxis=False,
            error_y=dict(type="data", symmetric=False, array=[(upper - point) if upper is not None else 0],
                         arrayminus=[(point - lower) if lower is not None else 0], color=GOLD, thickness=2.5, width=10),
        )
        values += [v for v in (lower, upper, point) if v is not None]
        periods.append(nowcast["period"])
    target = (panel.get("target") or {}).get("target")
    if target is not None:
        fig.add_hline(y=target, line=dict(color=UP, width=2, dash="dash"))
        values.append(target)
    low = min(0.0, min(values)) if values else 0.0
    high = max(values) if values else 1.0
    fig.update_layout(margin=dict(l=8, r=36, t=12, b=32), bargap=0.35)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods, showgrid=False, tickangle=0,
                     tickvals=periods, ticktext=[p[2:] for p in periods], tickfont=dict(size=14, color=MUTED),
                     fixedrange=True)
    fig.update_yaxes(visible=False, range=[low, high * 1.12], fixedrange=True)
    return fig


# ---- early warning -----------------------------------------------------------------------------------

def composite_gauge(composite: dict | None, lang: str = "zh", width: int = 260, height: int = 190) -> go.Figure:
    """The composite score (0–100) on a dial banded by the five zones."""
    if not composite:
        return empty_figure(lang, width, height)
    cuts = [0, 20, 40, 60, 80, 100]
    steps = [dict(range=[cuts[z - 1], cuts[z]], color=ZONE_COLORS[z]) for z in ZONES]
    fig = _base(width, height)
    fig.add_trace(go.Indicator(
        mode="gauge+number", value=composite["score"], number=dict(font=dict(size=40, color=INK), valueformat=".1f"),
        gauge=dict(axis=dict(range=[0, 100], tickvals=cuts, tickfont=dict(size=14, color=MUTED), tickwidth=1),
                   bar=dict(color="rgba(255,255,255,0.9)", thickness=0.18), bgcolor="rgba(0,0,0,0)",
                   borderwidth=0, steps=steps,
                   threshold=dict(line=dict(color="#ffffff", width=4), thickness=0.9, value=composite["score"])),
        domain=dict(x=[0, 1], y=[0, 1]),
    ))
    fig.update_layout(margin=dict(l=40, r=40, t=14, b=4))
    return fig


def composite_trend_figure(trend: pd.DataFrame, lang: str = "zh", width: int = 600, height: int = 360) -> go.Figure:
    """The composite score month by month over the five zone bands."""
    if trend.empty:
        return empty_figure(lang, width, height)
    fig = _base(width, height)
    cuts = [0, 20, 40, 60, 80, 100]
    for z in ZONES:
        fig.add_hrect(y0=cuts[z - 1], y1=cuts[z], fillcolor=ZONE_COLORS[z], opacity=0.16, line_width=0, layer="below")
    fig.add_scatter(x=trend["period"], y=trend["score"], mode="lines+markers", hoverinfo="skip",
                    line=dict(color="#ffffff", width=3), marker=dict(size=7, color=[ZONE_COLORS[int(z)] for z in trend["zone"]],
                                                                      line=dict(color="#ffffff", width=1)),
                    name=label("score", lang))
    ticks = [p for p in trend["period"] if p.endswith(("-06", "-12"))]
    fig.update_layout(margin=dict(l=8, r=16, t=12, b=36))
    fig.update_xaxes(type="category", tickvals=ticks, ticktext=[_month_tick(p, lang) for p in ticks], showgrid=False,
                     tickangle=0, tickfont=dict(size=16, color=MUTED), fixedrange=True)
    fig.update_yaxes(range=[0, 100], tickvals=cuts, tickfont=dict(size=16, color=MUTED), fixedrange=True)
    return fig


def _month_tick(period: str, lang: str) -> str:
    year, month = period[2:4], int(period[5:7])
    return f"{year}.{month}" if lang == "zh" else f"{month}/{year}"


def signal_matrix_figure(matrix: pd.DataFrame, names: list[str], lang: str = "zh", width: int = 700,
                         height: int = 560) -> go.Figure:
    """Indicators × months of signal lights: each cell a lamp in its zone's colour."""
    if matrix.empty:
        return empty_figure(lang, width, height)
    periods = list(matrix.columns)
    fig = _base(width, height)
    xs, ys, colors = [], [], []
    for name, (_, row) in zip(names, matrix.iterrows()):
        for period, zone in row.items():
            if pd.notna(zone):
                xs.append(period)
                ys.append(name)
                colors.append(ZONE_COLORS[int(zone)])
    fig.add_scatter(x=xs, y=ys, mode="markers", hoverinfo="skip", name="lights",
                    marker=dict(size=30, color=colors, line=dict(color="rgba(255,255,255,0.35)", width=1)))
    fig.update_layout(margin=dict(l=8, r=16, t=8, b=40))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods, showgrid=False,
                     tickvals=periods, ticktext=[_short_month(p, lang) for p in periods], tickangle=0,
                     tickfont=dict(size=16, color=MUTED), fixedrange=True)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(names)), showgrid=False,
                     tickfont=dict(size=18, color=INK), fixedrange=True)
    return fig


def _short_month(period: str, lang: str) -> str:
    month = int(period[5:7])
    if lang == "zh":
        return f"{month}月"
    return ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[month - 1]
