"""Figures of the region and domain pages: pure functions from ``services.region_view`` frames.

* :func:`region_map_figure` — the sub-regions coloured by one indicator, every area clickable
  (``layout.meta.areas[clickData.points[0].curveNumber]`` is its adcode), the page's own county
  outlined: SVG shapes over the project's boundaries (``figures/shapes.py``), nothing fetched.
* :func:`sparkline_figure` — a card's small trend line.
* :func:`comparison_figure` — regions ranked on one indicator, the page's region marked.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from plotly.colors import sample_colorscale

from figures import shapes, theme
from figures.theme import TEMPLATE

_LABELS = {
    "no_data": ("暂无数据", "No data"),
    "value": ("数值", "Value"),
    "reference": ("上级", "Parent"),
}
NO_DATA_FILL = "#e6ebf1"
HIGHLIGHT = theme.ORANGE


def label(key: str, lang: str = "zh") -> str:
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def _name(row, lang: str) -> str:
    return row["short_zh"] if lang == "zh" else row["name_en"]


def _empty(lang: str, height: int) -> go.Figure:
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_annotation(text=label("no_data", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=15, color=theme.GREY))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _decimals(table: pd.DataFrame) -> int:
    """The decimals the table's indicator is published with (``attrs``), 1 when it does not say."""
    decimals = table.attrs.get("decimals")
    return 1 if decimals is None or pd.isna(decimals) else int(decimals)


def number_text(value, decimals: int) -> str:
    """A value as the maps' hover writes it (thousands grouped), "—" where there is none."""
    return "—" if value is None or pd.isna(value) else f"{float(value):,.{decimals}f}"


def region_map_figure(table: pd.DataFrame, geojson: dict, lang: str = "zh", unit: str = "",
                      height: int = 460, labels: bool = False) -> go.Figure:
    """Areas of ``geojson`` filled by ``table.value`` (grey without a value, still clickable), drawn
    as SVG shapes (``figures/shapes.py``): one trace per area, named by its adcode and listed in
    ``layout.meta.areas``, so a click's ``curveNumber`` names the area. ``table.current`` marks the
    area outlined (a county seen within its city); ``labels`` writes the areas' names on them;
    ``table.hover``, where given, replaces an area's hover text (name and value).
    ``unit`` is the unit as the reader's language writes it."""
    features = geojson.get("features", [])
    if not features:
        return _empty(lang, height)
    decimals = _decimals(table)
    rows = table.set_index("adcode") if len(table) else pd.DataFrame(columns=["value", "current"])
    values = rows["value"].dropna().astype(float) if len(rows) else pd.Series(dtype=float)
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    if high - low < 1e-12:
        low, high = low - 1.0, high + 1.0
    scale = [[i / (len(theme.SEQUENTIAL) - 1), c] for i, c in enumerate(theme.SEQUENTIAL)]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    areas, outlines, label_at = [], [], []
    bounds = [math.inf, -math.inf, math.inf, -math.inf]
    for feature in features:
        props = feature["properties"]
        code = str(props["adcode"])
        rings = shapes.outer_rings(feature["geometry"])
        xs, ys = shapes.path(rings)
        west, east, south, north = shapes.extent(rings)
        bounds = [min(bounds[0], west), max(bounds[1], east), min(bounds[2], south), max(bounds[3], north)]
        row = rows.loc[code] if code in rows.index else None
        name = (row["short_zh"] if lang == "zh" else row["name_en"]) if row is not None and "short_zh" in rows \
            else (props.get("name_zh") if lang == "zh" else props.get("name_en"))
        value = row["value"] if row is not None else None
        has_value = value is not None and pd.notna(value)
        share = (float(value) - low) / (high - low) if has_value else 0.0
        fill = sample_colorscale(scale, [share])[0] if has_value else NO_DATA_FILL
        hover = row.get("hover") if row is not None else None
        if not isinstance(hover, str):
            hover = f"<b>{name}</b><br>{number_text(value, decimals)} {unit}".rstrip()
        fig.add_scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill, name=code, hoveron="fills",
                        line=dict(color="white", width=1.2), hoverinfo="text", text=hover)
        areas.append(code)
        if row is not None and bool(row.get("current", False)):
            outlines.append((xs, ys))
        # names in white on the dark end of the scale, in navy on the light end
        cx, cy = shapes.centroid(max(rings, key=shapes.ring_area))
        dx, dy = shapes.LABEL_NUDGE.get(code, (0.0, 0.0))
        label_at.append((cx + dx, cy + dy, name, "white" if share > 0.55 else theme.NAVY))
    for xs, ys in outlines:  # on top of every fill
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=HIGHLIGHT, width=3.5), hoverinfo="skip",
                        name="current")
    if labels:
        fig.add_scatter(x=[a[0] for a in label_at], y=[a[1] for a in label_at], mode="text",
                        text=[a[2] for a in label_at], hoverinfo="skip", name="labels",
                        textfont=dict(size=12, color=[a[3] for a in label_at]))
    if len(values):  # the colour bar, carried by an invisible marker
        fig.add_scatter(x=[bounds[0]], y=[bounds[2]], mode="markers", hoverinfo="skip", name="scale",
                        marker=dict(size=0.1, opacity=0, color=[low], cmin=low, cmax=high, colorscale=scale,
                                    showscale=True,
                                    colorbar=dict(title=dict(text=unit, font=dict(size=12)), thickness=10, len=0.7,
                                                  x=0.99, xanchor="right", tickformat=f",.{min(decimals, 1)}f",
                                                  outlinewidth=0)))
    fig.update_layout(margin=dict(l=4, r=4, t=4, b=4), showlegend=False, clickmode="event", hovermode="closest",
                      meta=dict(areas=areas))
    shapes.map_axes(fig, tuple(bounds))
    return fig


def sparkline_figure(periods, values, color: str | None = None, height: int = 64, unit: str = "") -> go.Figure:
    """A small line without axes; the last point marked."""
    color = color or theme.BLUE
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    ys = [np.nan if v is None else v for v in values]
    fig.add_scatter(x=list(periods), y=ys, mode="lines", line=dict(color=color, width=2), connectgaps=True,
                    hovertemplate="%{x}: %{y:,.2f} " + unit + "<extra></extra>", showlegend=False)
    if len(periods):
        fig.add_scatter(x=[periods[-1]], y=[ys[-1]], mode="markers", marker=dict(color=color, size=7),
                        hoverinfo="skip", showlegend=False)
    fig.update_layout(margin=dict(l=2, r=6, t=4, b=2), xaxis=dict(visible=False, type="category"),
                      yaxis=dict(visible=False), hovermode="closest")
    return fig


def comparison_figure(table: pd.DataFrame, lang: str = "zh", unit: str = "", reference: float | None = None,
                      reference_name: str | None = None, height: int | None = None) -> go.Figure:
    """The regions of ``table`` ranked on its indicator, best at the top; ``current`` in orange;
    the parent's value as a dashed line."""
    data = table[table["value"].notna()] if len(table) else table
    height = height or max(240, 26 * len(table) + 70)
    if data.empty:
        return _empty(lang, height)
    decimals = _decimals(table)
    data = data.sort_values("rank", ascending=False)
    names = [_name(r, lang) for _, r in data.iterrows()]
    colors = [HIGHLIGHT if cur else theme.BLUE for cur in data["current"].astype(bool)]
    values = data["value"].astype(float)
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_bar(x=values, y=names, orientation="h", marker_color=colors,
                text=[f"{v:,.{decimals}f}" for v in values], textposition="outside", cliponaxis=False,
                customdata=data["adcode"], hovertemplate="%{y}: %{x:,." + str(decimals) + "f} " + unit + "<extra></extra>")
    if reference is not None and not pd.isna(reference):
        fig.add_vline(x=reference, line=dict(color=theme.NAVY, width=1.5, dash="dash"))
        fig.add_annotation(x=reference, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{reference_name or label('reference', lang)} {reference:,.{decimals}f}",
                           font=dict(color=theme.NAVY, size=12))
    low, high = min(0.0, values.min(), reference or 0.0), max(0.0, values.max(), reference or 0.0)
    pad = (high - low) * 0.14 or 1.0
    fig.update_layout(
        margin=dict(l=8, r=24, t=28, b=30), showlegend=False, bargap=0.28,
        xaxis=dict(range=[low - (pad if low < 0 else 0), high + pad], title=dict(text=unit)),
        yaxis=dict(type="category", automargin=True),
    )
    return fig
