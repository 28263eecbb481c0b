"""Figures of the regional GDP page: pure functions from the frames of ``services.gdp`` to plotly.

The live page and any static export (reports) call these same functions. Labels come in Chinese
(``lang="zh"``, the default) or English. The city map is drawn as SVG shapes over the project's own
boundaries (``figures/shapes.py``): no tiles, no WebGL, nothing fetched from the network.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from figures import region as region_figures
from figures import theme
from figures.theme import TEMPLATE

_LABELS = {
    "gdp_q": ("当季地区生产总值", "GDP, current quarter"),
    "real_growth_ytd": ("累计实际增长", "Real growth, year to date"),
    "unit_yi": ("亿元", "100 million yuan"),
    "growth_axis": ("增长（%）", "Growth (%)"),
    "gdp_ytd": ("地区生产总值（累计）", "GDP, year to date"),
    "real_growth": ("实际增长", "Real growth"),
    "share": ("占14市合计", "Share of the 14 cities"),
    "rank": ("排名", "Rank"),
    "city_growth": ("各市累计实际增长", "Real growth by city, year to date"),
    "reference": ("全区", "Guangxi"),
    "no_data": ("暂无数据", "No data"),
    "demo": ("演示数据", "Demo data"),
}


def label(key: str, lang: str = "zh") -> str:
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def _empty(lang: str, height: int) -> go.Figure:
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_annotation(text=label("no_data", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=16, color=theme.GREY))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _name(row, lang: str) -> str:
    return row["short_zh"] if lang == "zh" else row["name_en"]


def trend_figure(trend: pd.DataFrame, lang: str = "zh", highlight: str | None = None,
                 height: int = 360) -> go.Figure:
    """Bars: the current-quarter GDP (stored ``gdp_q``, or differenced from the accumulated value
    where it is missing); line on the right axis: published year-to-date real growth."""
    if trend.empty:
        return _empty(lang, height)
    quarter = trend["gdp_q"].where(trend["gdp_q"].notna(), trend["gdp_q_from_ytd"])
    colors = [theme.BLUE if p == highlight else "#8fb3dc" for p in trend["period"]]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_bar(
        name=label("gdp_q", lang), x=trend["period"], y=quarter, marker_color=colors,
        hovertemplate="%{x}<br>%{y:,.2f} " + label("unit_yi", lang) + "<extra></extra>",
    )
    fig.add_scatter(
        name=label("real_growth_ytd", lang), x=trend["period"], y=trend["real_growth_ytd"], yaxis="y2",
        mode="lines+markers", line=dict(color=theme.ORANGE), marker=dict(color=theme.ORANGE),
        connectgaps=False, hovertemplate="%{x}<br>%{y:.1f}%<extra></extra>",
    )
    growth = trend["real_growth_ytd"].dropna()
    low = min(0.0, math.floor(growth.min())) if len(growth) else 0.0
    high = math.ceil(growth.max()) + 1 if len(growth) else 10.0
    fig.update_layout(
        margin=dict(l=64, r=56, t=40, b=48),
        bargap=0.25,
        hovermode="x unified",
        xaxis=dict(type="category", tickangle=0, nticks=12, showgrid=False),
        yaxis=dict(title=dict(text=label("unit_yi", lang)), tickformat=",.0f", rangemode="tozero"),
        yaxis2=dict(title=dict(text=label("growth_axis", lang)), overlaying="y", side="right", showgrid=False,
                    ticksuffix="%", range=[low, high], zeroline=False, tickmode="auto", nticks=6,
                    tickformat=".0f"),
    )
    return fig


def city_map_figure(table: pd.DataFrame, geojson: dict, lang: str = "zh", value: str = "gdp",
                    height: int = 380) -> go.Figure:
    """The cities coloured by ``value`` (default: GDP year to date) and named on the map, drawn as SVG
    shapes like the region pages' maps (``figures.region.region_map_figure``); the hover adds the
    growth, the share and the rank."""
    if table.empty or not geojson.get("features"):
        return _empty(lang, height)
    unit = label("unit_yi", lang)
    number = region_figures.number_text
    hover = [
        f"<b>{_name(r, lang)}</b><br>{label('gdp_ytd', lang)}: {number(r[value], 2)} {unit}<br>"
        f"{label('real_growth', lang)}: {number(r['real_growth'], 1)}%<br>"
        f"{label('share', lang)}: {number(r['share'], 1)}%<br>"
        f"{label('rank', lang)}: {number(r['rank_value'], 0)}"
        for _, r in table.iterrows()
    ]
    areas = pd.DataFrame({"adcode": table["adcode"].astype(str), "value": table[value].astype(float),
                          "short_zh": table["short_zh"], "name_en": table["name_en"], "hover": hover})
    areas.attrs["decimals"] = 0
    return region_figures.region_map_figure(areas, geojson, lang, unit=unit, height=height, labels=True)


def city_bar_figure(table: pd.DataFrame, lang: str = "zh", reference: float | None = None,
                    height: int = 540) -> go.Figure:
    """The cities' published real growth, fastest at the top (赛马比拼), with Guangxi's rate as a
    reference line when given."""
    if table.empty:
        return _empty(lang, height)
    data = table.sort_values("real_growth", ascending=True, na_position="first")
    names = [_name(r, lang) for _, r in data.iterrows()]
    colors = [theme.BLUE if reference is None or pd.isna(v) or v >= reference else "#9bb7d6"
              for v in data["real_growth"]]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_bar(
        name=label("real_growth", lang), x=data["real_growth"], y=names, orientation="h", marker_color=colors,
        text=[f"{v:.1f}" if pd.notna(v) else "" for v in data["real_growth"]], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
    )
    if reference is not None:
        fig.add_vline(x=reference, line=dict(color=theme.ORANGE, width=2, dash="dash"))
        fig.add_annotation(x=reference, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{label('reference', lang)} {reference:.1f}%",
                           font=dict(color=theme.ORANGE, size=12))
    growth = data["real_growth"].dropna()
    top = (max(growth.max(), reference or 0) if len(growth) else 10) * 1.12
    fig.update_layout(
        margin=dict(l=8, r=24, t=28, b=36), showlegend=False, bargap=0.3,
        xaxis=dict(ticksuffix="%", range=[min(0, growth.min() * 1.1 if len(growth) else 0), top]),
        yaxis=dict(type="category", automargin=True),
    )
    return fig
