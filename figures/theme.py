"""The one plotly template of EconBrain, registered as ``pio.templates["econbrain"]``.

Figures name it explicitly (``template=TEMPLATE``) instead of changing plotly's global default,
so importing this module never restyles someone else's figures. The colours match
``assets/econbrain.css``.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE = "econbrain"
FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'

NAVY = "#0b2a4a"
BLUE = "#1f5fa8"
TEAL = "#0f8b8d"
ORANGE = "#e07b39"
RED = "#c0392b"
GREEN = "#2e8b57"
GREY = "#6b7a8c"
GRID = "#e3e8ef"
TEXT = "#1d2b3a"
# ordinal colours (light → dark) for maps and ranked values
SEQUENTIAL = ["#e8f1fb", "#c3dbf3", "#8fbce6", "#5699d3", "#2c76bb", "#17559a", "#0b3a6f"]
COLORWAY = [BLUE, ORANGE, TEAL, "#7b5ea7", GREEN, "#b8860b", RED, GREY]


def _template() -> go.layout.Template:
    axis = dict(
        gridcolor=GRID, linecolor="#c5cfdb", zerolinecolor="#c5cfdb", tickcolor="#c5cfdb",
        title=dict(font=dict(size=13, color=GREY)), tickfont=dict(size=12, color=TEXT), automargin=True,
    )
    layout = go.Layout(
        font=dict(family=FONT_FAMILY, size=13, color=TEXT),
        title=dict(font=dict(size=16, color=NAVY), x=0.01, xanchor="left"),
        colorway=COLORWAY,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin=dict(l=56, r=56, t=48, b=40),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13), bgcolor="white", bordercolor="#c5cfdb"),
        legend=dict(orientation="h", x=0, y=1.02, xanchor="left", yanchor="bottom", font=dict(size=12),
                    bgcolor="rgba(0,0,0,0)"),
        xaxis=axis, yaxis=axis,
        colorscale=dict(sequential=[[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]),
        separators=".,",
    )
    data = go.layout.template.Data(
        bar=[go.Bar(marker=dict(line=dict(width=0)))],
        scatter=[go.Scatter(line=dict(width=2.5), marker=dict(size=6))],
    )
    return go.layout.Template(layout=layout, data=data)


pio.templates[TEMPLATE] = _template()
