"""Figures of the region and domain pages: pure functions from ``services.region_view`` frames.

* :func:`region_map_figure` — the sub-regions coloured by one indicator, every area clickable
  (``clickData.points[0].location`` is its adcode), the page's own county outlined. A
  ``Choroplethmap`` on the blank ``white-bg`` style over the project's boundaries: nothing fetched.
* :func:`sparkline_figure` — a card's small trend line.
* :func:`comparison_figure` — regions ranked on one indicator, the page's region marked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from figures import theme
from figures.gdp import _bounds, _fit_zoom  # one fit for every map of the project
from figures.theme import TEMPLATE

_LABELS = {
    "no_data": ("暂无数据", "No data"),
    "value": ("数值", "Value"),
    "reference": ("上级", "Parent"),
}
NO_DATA_FILL = "#e6ebf1"
HIGHLIGHT = theme.ORANGE
MAP_WIDTH_HINT = 640  # the page refits the zoom to the map's real width (see layouts/pages/region.py)


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


def _text(value, decimals: int) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):,.{decimals}f}"


def region_map_figure(table: pd.DataFrame, geojson: dict, lang: str = "zh", unit: str = "", height: int = 420,
                      width_hint: int = MAP_WIDTH_HINT) -> go.Figure:
    """Areas of ``geojson`` coloured by ``table.value``; areas without a value stay grey but remain
    clickable. ``table.current`` marks the area outlined (a county seen within its city). ``unit``
    is the unit as the reader's language writes it."""
    features = geojson.get("features", [])
    if not features:
        return _empty(lang, height)
    decimals = int(table.attrs.get("decimals") or 1)
    rows = table.set_index("adcode") if len(table) else pd.DataFrame(columns=["value"])
    codes = [str(f["properties"]["adcode"]) for f in features]
    names = {str(f["properties"]["adcode"]): (f["properties"].get("name_zh") if lang == "zh"
                                              else f["properties"].get("name_en")) for f in features}
    if len(table):
        names.update({r.adcode: (r.short_zh if lang == "zh" else r.name_en) for r in table.itertuples()})

    def custom(subset):
        return np.array([[c, names.get(c, c), _text(rows["value"].get(c) if c in rows.index else None, decimals)]
                         for c in subset], dtype=object)

    hover = "<b>%{customdata[1]}</b><br>%{customdata[2]} " + unit + "<extra></extra>"
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    # every area, grey: the click target where no value is stored
    fig.add_trace(go.Choroplethmap(
        geojson=geojson, featureidkey="properties.adcode", locations=codes, z=[0] * len(codes),
        customdata=custom(codes), colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]], showscale=False,
        marker=dict(line=dict(color="white", width=1.2)), hovertemplate=hover, name="areas",
    ))
    valued = table[table["value"].notna()] if len(table) else table
    if len(valued):
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="properties.adcode", locations=valued["adcode"].tolist(),
            z=valued["value"].astype(float).tolist(), customdata=custom(valued["adcode"].tolist()),
            colorscale=[[i / (len(theme.SEQUENTIAL) - 1), c] for i, c in enumerate(theme.SEQUENTIAL)],
            marker=dict(line=dict(color="white", width=1.2), opacity=0.95),
            colorbar=dict(title=dict(text=unit, font=dict(size=12)), thickness=10, len=0.7, x=0.99, xanchor="right",
                          tickformat=f",.{min(decimals, 1)}f", outlinewidth=0),
            hovertemplate=hover, name="values",
        ))
    current = table.loc[table["current"].astype(bool), "adcode"].tolist() if len(table) else []
    if current:
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="properties.adcode", locations=current, z=[1] * len(current),
            customdata=custom(current), colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker=dict(line=dict(color=HIGHLIGHT, width=3.5)), hovertemplate=hover, name="current",
        ))
    bounds = _bounds(geojson)
    center, zoom = _fit_zoom(bounds, width_hint, height)
    fig.update_layout(
        margin=dict(l=0, r=0, t=0, b=0), showlegend=False, clickmode="event",
        map=dict(style="white-bg", center=center, zoom=zoom),
        meta=dict(bounds=[float(b) for b in bounds]),  # for the page's refit to the real width
    )
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
    decimals = int(table.attrs.get("decimals") or 1)
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
