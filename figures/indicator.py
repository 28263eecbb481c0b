"""Figures of the indicator detail page: pure functions from the frames of
``services.indicator_view`` to plotly figures.

Periods are drawn on a date axis at the end of each period, so months, quarters and the combined
January–February release sit where they belong in time; the period label is kept for the hover.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from figures import theme
from figures.theme import TEMPLATE
from indicators.periods import PeriodError, parse_period

_LABELS = {
    "first_release": ("首次发布值", "First release"),
    "no_data": ("暂无数据", "No data"),
    "reference": ("全区", "Guangxi"),
    "rank": ("排名", "Rank"),
}
LINE_COLORS = [theme.BLUE, theme.ORANGE, theme.TEAL, "#7b5ea7", theme.GREEN, "#b8860b", theme.RED]
MUTED_BAR = "#9bb7d6"


def label(key: str, lang: str = "zh") -> str:
    zh, en = _LABELS[key]
    return en if lang == "en" else zh


def _empty(text: str, height: int) -> go.Figure:
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=15, color=theme.GREY))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _ends(periods, frequency: str) -> list:
    out = []
    for p in periods:
        try:
            out.append(parse_period(p, frequency).end_date)
        except PeriodError:
            out.append(None)
    return out


def series_figure(lines: pd.DataFrame, first_release: pd.DataFrame, frequency: str, unit: str,
                  lang: str = "zh", height: int = 400, empty_text: str | None = None,
                  decimals: int = 2) -> go.Figure:
    """One line per region (the main region first, drawn strongest) and the first releases of
    revised periods as hollow markers on the main line."""
    if lines.empty:
        return _empty(empty_text or label("no_data", lang), height)
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    name_col = "name_en" if lang == "en" else "name_zh"
    fmt = f",.{decimals}f" if lang == "en" else f".{decimals}f"
    for i, (region, part) in enumerate(lines.groupby("region", sort=False)):
        main = i == 0
        fig.add_scatter(
            name=str(part[name_col].iloc[0]), x=_ends(part["period"], frequency), y=part["value"],
            customdata=part["period"], mode="lines+markers" if len(part) < 40 else "lines",
            line=dict(color=LINE_COLORS[i % len(LINE_COLORS)], width=3 if main else 1.8),
            marker=dict(size=5), connectgaps=False,
            hovertemplate="%{customdata}: %{y:" + fmt + "} " + unit + "<extra>%{fullData.name}</extra>",
        )
    if not first_release.empty:
        fig.add_scatter(
            name=label("first_release", lang), x=_ends(first_release["period"], frequency), y=first_release["value"],
            customdata=first_release["period"], mode="markers",
            marker=dict(symbol="circle-open", size=9, color=theme.RED, line=dict(width=2)),
            hovertemplate="%{customdata}: %{y:" + fmt + "} " + unit + "<extra>%{fullData.name}</extra>",
        )
    fig.update_layout(
        margin=dict(l=56, r=20, t=36, b=40), hovermode="closest", showlegend=True,
        yaxis=dict(title=dict(text=unit), tickformat="," if lang == "en" else ""),
        xaxis=dict(type="date", showgrid=False),
    )
    return fig


def ranking_figure(table: pd.DataFrame, unit: str, lang: str = "zh", reference: float | None = None,
                   height: int = 460, decimals: int = 2, empty_text: str | None = None,
                   baseline: float = 0.0) -> go.Figure:
    """The cities' values, rank 1 at the top; the selected city in orange, Guangxi as a dashed line.
    Bars start at ``baseline`` (100 for an index on the same period last year, so that 101.9 and
    103.3 do not look alike)."""
    data = table[table["value"].notna()]
    if data.empty:
        return _empty(empty_text or label("no_data", lang), height)
    data = data.iloc[::-1]  # plotly draws the first category at the bottom
    names = list(data["name_en" if lang == "en" else "name_zh"])
    colors = [theme.ORANGE if s else theme.BLUE for s in data["selected"]]
    text = [_number(v, decimals, lang) for v in data["value"]]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_bar(
        x=data["value"] - baseline, base=baseline, y=names, orientation="h", marker_color=colors, text=text,
        textposition="outside", cliponaxis=False, customdata=np.column_stack([data["rank"].astype(int), text]),
        hovertemplate=("%{y}: %{customdata[1]} " + unit + "<br>" + label("rank", lang)
                       + " %{customdata[0]}<extra></extra>"),
    )
    if reference is not None:
        fig.add_vline(x=reference, line=dict(color=theme.GREY, width=1.5, dash="dash"))
        fig.add_annotation(x=reference, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{label('reference', lang)} {reference:.{decimals}f}",
                           font=dict(color=theme.GREY, size=12))
    marks = [*data["value"], baseline] + ([reference] if reference is not None else [])
    low, high = min(marks), max(marks)
    span = (high - low) or 1.0
    # room for the value labels outside the bars on both sides
    left = low - (0.18 if low < baseline else 0.02) * span
    fig.update_layout(
        margin=dict(l=8, r=16, t=28, b=32), showlegend=False, bargap=0.3,
        xaxis=dict(range=[left, high + 0.16 * span], title=dict(text=unit)),
        yaxis=dict(type="category", automargin=True),
    )
    return fig


def _number(value: float, decimals: int, lang: str) -> str:
    value = round(float(value), decimals) + 0.0  # no "-0.0"
    return f"{value:,.{decimals}f}" if lang == "en" else f"{value:.{decimals}f}"
