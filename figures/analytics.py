"""Figures of the analytics pages: pure functions from the view models of
``services.analytics_view`` to plotly figures (Chinese by default, ``lang="en"`` for English).

The signal-light colours are the five zones of ``models.signals.ZONES`` (过冷 blue … 过热 red), so a
light reads the same on every page, report and big screen.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from figures import theme
from figures.theme import TEMPLATE
from models.signals import COMPOSITE_CUTS, ZONES

_LABELS = {
    "no_data": ("暂无数据", "No data"),
    "published": ("已发布", "Published"),
    "nowcast": ("即时预测", "Nowcast"),
    "band": ("{p}% 区间", "{p}% interval"),
    "growth_axis": ("增长（%）", "Growth (%)"),
    "previous": ("上次预测", "Previous nowcast"),
    "current": ("本次预测", "Current nowcast"),
    "news": ("数据发布影响", "News impact"),
    "history": ("实际值", "Actual"),
    "forecast": ("预测值", "Forecast"),
    "actual": ("累计实际", "Actual so far"),
    "target": ("目标", "Target"),
    "required": ("余下时期需达到", "Needed for the rest of the year"),
    "full_year": ("全年预测", "Full-year forecast"),
    "percent_axis": ("%", "%"),
    "composite": ("综合指数", "Composite score"),
    "index": ("指数", "Index"),
    "rank": ("排名", "Rank"),
    "contribution": ("贡献（点）", "Contribution (points)"),
}


def label(key: str, lang: str = "zh") -> str:
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def _pick(item: dict, lang: str, key: str = "name") -> str:
    return item[f"{key}_zh"] if lang == "zh" else item[f"{key}_en"]


def _wrap(text: str, lang: str, width: int | None = None) -> str:
    """Break a long axis label into lines (Chinese by characters, English by words)."""
    width = width or (12 if lang == "zh" else 28)
    if len(text) <= width:
        return text
    if lang == "zh":
        return "<br>".join(text[i:i + width] for i in range(0, len(text), width))
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _empty(lang: str, height: int) -> go.Figure:
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_annotation(text=label("no_data", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=16, color=theme.GREY))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


# ---- 形势预判 ---------------------------------------------------------------------------------------

def fan_chart_figure(fan: dict | None, lang: str = "zh", height: int = 360) -> go.Figure:
    """Published quarterly growth, then the nowcast quarter as a fan: nested bands (widest first)
    around the point, joined to the last published quarter."""
    if not fan:
        return _empty(lang, height)
    history = fan["history"]
    periods = list(history["period"]) + [fan["period"]]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    last = (history["period"].iloc[-1], float(history["value"].iloc[-1])) if len(history) else None
    bands = fan.get("bands") or []
    for i, band in enumerate(bands):
        x = [last[0], fan["period"]] if last else [fan["period"]]
        lower = [last[1], band["lower"]] if last else [band["lower"]]
        upper = [last[1], band["upper"]] if last else [band["upper"]]
        alpha = 0.16 + 0.16 * i
        fig.add_scatter(x=x + x[::-1], y=upper + lower[::-1], fill="toself", mode="lines", line=dict(width=0),
                        fillcolor=_rgba(theme.ORANGE, alpha), hoverinfo="skip",
                        name=label("band", lang).format(p=round(band["level"] * 100)))
    fig.add_scatter(name=label("published", lang), x=history["period"], y=history["value"], mode="lines+markers",
                    line=dict(color=theme.BLUE), hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    widest = bands[0] if bands else None
    hover = f"{fan['period']}: %{{y:.2f}}%"
    if widest:
        hover += f"<br>{round(widest['level'] * 100)}%: {widest['lower']:.1f} ~ {widest['upper']:.1f}%"
    fig.add_scatter(name=label("nowcast", lang), x=[fan["period"]], y=[fan["point"]], mode="markers+text",
                    marker=dict(color=theme.ORANGE, size=12, symbol="diamond", line=dict(color="white", width=1.5)),
                    text=[f"{fan['point']:.1f}%"], textposition="middle right", textfont=dict(color=theme.ORANGE, size=14),
                    cliponaxis=False, hovertemplate=hover + "<extra></extra>")
    fig.update_layout(
        margin=dict(l=56, r=48, t=36, b=40), hovermode="closest",
        xaxis=dict(type="category", categoryorder="array", categoryarray=periods, showgrid=False),
        yaxis=dict(title=dict(text=label("growth_axis", lang)), ticksuffix="%", zeroline=True),
    )
    return fig


def news_waterfall_figure(news: dict | None, lang: str = "zh", height: int | None = None) -> go.Figure:
    """From the previous nowcast (top), each release's impact in percentage points, to the current
    nowcast (bottom). Horizontal, so that indicator names stay readable on a phone too."""
    height = height or (140 + 26 * (len(news["items"]) + 2) if news else 420)
    if not news or not news["items"]:
        return _empty(lang, height)
    names = [_wrap(_pick(i, lang), lang, 16 if lang == "zh" else 36) for i in news["items"]]
    y = [label("previous", lang), *names, label("current", lang)]
    x = [news["previous"], *[i["impact"] for i in news["items"]], news["current"]]
    measure = ["absolute", *["relative"] * len(news["items"]), "total"]
    text = [f"{news['previous']:.2f}", *[f"{i['impact']:+.2f}" for i in news["items"]], f"{news['current']:.2f}"]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_trace(go.Waterfall(
        name=label("news", lang), orientation="h", x=x, y=y, measure=measure, text=text, textposition="outside",
        cliponaxis=False, connector=dict(line=dict(color="#c5cfdb", width=1)),
        increasing=dict(marker=dict(color=theme.RED)), decreasing=dict(marker=dict(color=theme.GREEN)),
        totals=dict(marker=dict(color=theme.BLUE)), hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    running, values = news["previous"], [news["previous"], news["current"]]
    for i in news["items"]:
        running += i["impact"]
        values.append(running)
    low, high = min(values), max(values)
    pad = max(0.3, (high - low) * 0.3)
    fig.update_layout(
        margin=dict(l=8, r=36, t=16, b=36), showlegend=False,
        yaxis=dict(type="category", autorange="reversed", automargin=True, showgrid=False),
        xaxis=dict(title=dict(text=label("growth_axis", lang)), ticksuffix="%", range=[max(0.0, low - pad), high + pad]),
    )
    return fig


def forecast_figure(view: dict | None, lang: str = "zh", height: int = 380) -> go.Figure:
    """The series, then the forecast mean inside its 95 % and 80 % bands."""
    if not view:
        return _empty(lang, height)
    history, fc = view["history"], view["forecast"]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    x_band = list(fc["period"]) + list(fc["period"])[::-1]
    for level, alpha in ((95, 0.16), (80, 0.32)):
        lower, upper = fc[f"lower_{level}"], fc[f"upper_{level}"]
        if lower.isna().all():
            continue
        fig.add_scatter(x=x_band, y=list(upper) + list(lower)[::-1], fill="toself", mode="lines", line=dict(width=0),
                        fillcolor=_rgba(theme.ORANGE, alpha), hoverinfo="skip",
                        name=label("band", lang).format(p=level))
    fig.add_scatter(name=label("history", lang), x=history["period"], y=history["value"], mode="lines",
                    line=dict(color=theme.BLUE), connectgaps=False, hovertemplate="%{x}: %{y:,.2f}<extra></extra>")
    fig.add_scatter(name=label("forecast", lang), x=fc["period"], y=fc["mean"], mode="lines+markers",
                    line=dict(color=theme.ORANGE, dash="dot"), marker=dict(size=5),
                    hovertemplate="%{x}: %{y:,.2f}<extra></extra>")
    periods = sorted(set(history["period"]) | set(fc["period"]))
    fig.update_layout(
        margin=dict(l=60, r=24, t=36, b=40), hovermode="x unified",
        xaxis=dict(type="category", categoryorder="array", categoryarray=periods, nticks=12, showgrid=False),
        yaxis=dict(tickformat=",.0f" if fc["mean"].abs().max() >= 100 else ",.1f"),
    )
    return fig


def target_progress_figure(rows: list[dict], lang: str = "zh", height: int | None = None) -> go.Figure:
    """Targets in percent (growth targets and rates): the actual so far as a bar, the target and the
    figure needed for the rest of the year as markers. Level totals (e.g. new jobs) stay in the table."""
    rows = [r for r in rows if r["percent"] and r["actual"] is not None]
    height = height or max(260, 80 + 52 * len(rows))
    if not rows:
        return _empty(lang, height)
    names = [_wrap(_pick(r, lang), lang) for r in rows][::-1]
    data = rows[::-1]

    def met(r):
        return r["actual"] >= r["target"] if r["direction"] == "at_least" else r["actual"] <= r["target"]

    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_bar(name=label("actual", lang), y=names, x=[r["actual"] for r in data], orientation="h",
                marker_color=[theme.BLUE if met(r) else "#9bb7d6" for r in data],
                hovertemplate="%{y}: %{x:.2f}%<extra></extra>")
    fig.add_scatter(name=label("target", lang), y=names, x=[r["target"] for r in data], mode="markers",
                    marker=dict(symbol="line-ns", size=22, line=dict(width=3, color=theme.NAVY), color=theme.NAVY),
                    hovertemplate="%{y}: " + label("target", lang) + " %{x:.1f}%<extra></extra>")
    fig.add_scatter(name=label("required", lang), y=names, x=[r["required"] for r in data], mode="markers",
                    marker=dict(symbol="diamond", size=11, color=theme.ORANGE),
                    hovertemplate="%{y}: " + label("required", lang) + " %{x:.1f}%<extra></extra>")
    fig.update_layout(
        margin=dict(l=8, r=32, t=36, b=32), barmode="overlay", bargap=0.45,
        xaxis=dict(ticksuffix="%", zeroline=True, zerolinecolor="#9aa8b8"),
        yaxis=dict(type="category", automargin=True),
    )
    return fig


# ---- 预警中心 ---------------------------------------------------------------------------------------

def _zone_colorscale() -> list:
    """A discrete colour scale for zones 1..5 on z in [0.5, 5.5]."""
    scale = []
    for z in range(1, 6):
        lo, hi = (z - 1) / 5, z / 5
        scale += [[lo, ZONES[z]["color"]], [hi, ZONES[z]["color"]]]
    return scale


def _zone_heatmap(periods: list[str], rows: list[dict], lang: str, name: str, height: int) -> go.Figure:
    names = [_pick(r, lang) for r in rows]
    z = [[float("nan") if v is None else v for v in r["zones"]] for r in rows]
    zone_names = [[(ZONES[v][lang if lang == "en" else "zh"] if v else "—") for v in r["zones"]] for r in rows]
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    fig.add_trace(go.Heatmap(
        name=name, x=periods, y=names, z=z, zmin=0.5, zmax=5.5, colorscale=_zone_colorscale(), showscale=False,
        xgap=2, ygap=2, customdata=zone_names, hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
    ))
    # the legend: one invisible marker per zone, hottest first as the published charts list them
    for zone in sorted(ZONES, reverse=True):
        fig.add_scatter(x=[None], y=[None], mode="markers", name=ZONES[zone]["zh" if lang == "zh" else "en"],
                        marker=dict(symbol="square", size=12, color=ZONES[zone]["color"]), hoverinfo="skip")
    fig.update_layout(
        margin=dict(l=8, r=8, t=36, b=40), plot_bgcolor="white",
        xaxis=dict(type="category", showgrid=False, tickangle=-45, side="bottom"),
        yaxis=dict(type="category", autorange="reversed", showgrid=False, automargin=True, tickfont=dict(size=11)),
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, xanchor="left"),
    )
    return fig


def signal_matrix_figure(matrix: dict, lang: str = "zh") -> go.Figure:
    """The signal lights: indicators (rows) × months (columns) in the five zone colours."""
    height = max(260, 110 + 19 * len(matrix.get("rows", [])))
    if not matrix.get("rows"):
        return _empty(lang, 260)
    return _zone_heatmap(matrix["periods"], matrix["rows"], lang, "signal_lights", height)


def regional_composite_figure(matrix: dict, lang: str = "zh") -> go.Figure:
    """The composite zone of Guangxi and each city (rows) by month."""
    height = max(260, 120 + 24 * len(matrix.get("rows", [])))
    if not matrix.get("rows"):
        return _empty(lang, 260)
    return _zone_heatmap(matrix["periods"], matrix["rows"], lang, "composite_zones", height)


def composite_history_figure(history: pd.DataFrame, lang: str = "zh", height: int = 440) -> go.Figure:
    """The composite score (0–100) over the five zone bands, each month's marker in its zone colour."""
    if history is None or history.empty:
        return _empty(lang, height)
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    edges = (0.0, *COMPOSITE_CUTS, 100.0)
    for zone in range(1, 6):
        fig.add_hrect(y0=edges[zone - 1], y1=edges[zone], fillcolor=ZONES[zone]["color"], opacity=0.12, line_width=0,
                      layer="below")
    names = history["zone_zh"] if lang == "zh" else history["zone_en"]
    fig.add_scatter(name=label("composite", lang), x=history["period"], y=history["score"], mode="lines+markers",
                    line=dict(color=theme.NAVY, width=1.8), marker=dict(color=list(history["color"]), size=6),
                    customdata=list(names), hovertemplate="%{x}: %{y:.1f} · %{customdata}<extra></extra>")
    low = max(0.0, float(history["score"].min()) - 8)
    high = min(100.0, float(history["score"].max()) + 8)
    fig.update_layout(
        margin=dict(l=48, r=16, t=24, b=36), showlegend=False, hovermode="closest",
        xaxis=dict(type="category", nticks=12, showgrid=False, range=[-0.5, len(history) - 0.5]),
        yaxis=dict(range=[low, high], title=dict(text=label("composite", lang))),
    )
    return fig


# ---- 发展指数 ---------------------------------------------------------------------------------------

def index_figure(view: dict | None, lang: str = "zh", height: int = 520) -> go.Figure:
    """Top: the index; bottom: each component's contribution (index points) stacked, by period."""
    if not view or view["values"].empty:
        return _empty(lang, height)
    values, contrib = view["values"], view["contributions"]
    has_contrib = not contrib.empty and contrib.notna().any().any()
    rows = 2 if has_contrib else 1
    fig = make_subplots(rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.5, 0.5] if rows == 2 else [1.0])
    fig.update_layout(template=TEMPLATE, height=height if rows == 2 else int(height * 0.6))
    name = _pick(view, lang)
    fig.add_scatter(name=name, x=values["period"], y=values["value"], mode="lines", line=dict(color=theme.NAVY),
                    hovertemplate="%{x}: %{y:.1f}<extra></extra>", row=1, col=1)
    if view.get("baseline") and not view.get("is_city_mean"):
        fig.add_hline(y=view["baseline"], line=dict(color=theme.GREY, width=1, dash="dot"), row=1, col=1)
    if has_contrib:
        palette = theme.COLORWAY + ["#17becf", "#8c564b", "#e377c2", "#bcbd22"]
        for i, comp in enumerate(view["components"]):
            fig.add_bar(name=_pick(comp, lang), x=values["period"], y=contrib[comp["code"]],
                        marker_color=palette[i % len(palette)], legendgroup="contrib",
                        hovertemplate=_pick(comp, lang) + " %{x}: %{y:+.2f}<extra></extra>", row=2, col=1)
        fig.update_yaxes(title=dict(text=label("contribution", lang)), row=2, col=1)
    fig.update_layout(
        barmode="relative", bargap=0.15, hovermode="closest", margin=dict(l=56, r=16, t=24, b=36),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),  # above: clear of the ticks
    )
    fig.update_xaxes(type="category", nticks=12, showgrid=False)
    fig.update_yaxes(title=dict(text=label("index", lang)), row=1, col=1)
    return fig


# 14 distinguishable colours for the 14 cities
CITY_COLOURS = ["#1f5fa8", "#e07b39", "#0f8b8d", "#7b5ea7", "#2e8b57", "#b8860b", "#c0392b", "#17becf",
                "#8c564b", "#e377c2", "#4b6584", "#a3cb38", "#f368e0", "#576574"]


def ranking_bump_figure(ranking: pd.DataFrame, lang: str = "zh", highlight: str | None = None,
                        height: int = 460) -> go.Figure:
    """Each city's rank by period (1 at the top), one line per city, its name at the line's end."""
    if ranking is None or ranking.empty:
        return _empty(lang, height)
    fig = go.Figure(layout=dict(template=TEMPLATE, height=height))
    periods = sorted(ranking["period"].unique())
    n = int(ranking["rank"].max())
    for i, (region, g) in enumerate(ranking.groupby("region", sort=True)):
        g = g.sort_values("period")
        name = g["name_zh"].iloc[0] if lang == "zh" else g["name_en"].iloc[0]
        faded = highlight is not None and highlight != region
        colour = CITY_COLOURS[i % len(CITY_COLOURS)]
        fig.add_scatter(
            name=name, x=g["period"], y=g["rank"], mode="lines+markers+text",
            line=dict(color="#c5cfdb" if faded else colour, width=1.5 if faded else 3),
            marker=dict(size=6 if faded else 9, color="#c5cfdb" if faded else colour),
            text=[""] * (len(g) - 1) + [name], textposition="middle right", cliponaxis=False,
            textfont=dict(color=theme.GREY if faded else colour, size=12),
            customdata=g["value"], hovertemplate=name + " %{x}: " + label("rank", lang) + " %{y} · %{customdata:.1f}<extra></extra>",
        )
    fig.update_layout(
        margin=dict(l=40, r=90, t=16, b=36), showlegend=False, hovermode="closest",
        xaxis=dict(type="category", categoryorder="array", categoryarray=periods, showgrid=False),
        yaxis=dict(autorange=False, range=[n + 0.6, 0.4], dtick=1, title=dict(text=label("rank", lang))),
    )
    return fig
