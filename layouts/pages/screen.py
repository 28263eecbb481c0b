"""态势感知大屏 The leaders' big screen: a fixed 1920×1080 canvas, scaled as a whole to the display
(``assets/screen.js``), dark, Chinese by default, without the page frame.

View state is the URL:

* ``?lang=en`` — every label in English;
* ``?view=1|2|3`` — the view shown first (1 overview, 2 cities, 3 early warning);
* ``?rotate=SECONDS`` — play the views as a playlist, one every SECONDS (off without it);
* ``?map=CODE`` — the map's first indicator; ``?cycle=SECONDS`` — how often the map moves on to
  the next one (0: never);
* ``?poll=SECONDS`` — how often the screen asks whether the data changed.

Panels re-render only when :func:`services.screen.data_version` changes, in place (no reload).
A transient failure keeps the last good picture on the wall instead of an error. Only the first
view is drawn while the screen starts; the other views' panels follow once it is up (or when the
playlist reaches them first), so the first picture does not wait for graphs nobody sees yet.
The read-only panels (tiles, ranking, alerts, ticker, the captions beside the graphs) go as markup
(``layouts/markup.py``): the screen holds about 130 Dash components instead of 600, and Dash re-checks
every one of them on each store update, which the clock makes every second.
"""

from __future__ import annotations

import functools
import logging

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, ctx as dash_ctx, dcc, html, no_update

from figures import screen as screen_figures
from layouts import i18n
from layouts import markup as m
from layouts.i18n import t
from layouts.shell import TITLE, current_context
from services import screen as screen_service


class Screen:
    """Component ids of the big screen."""

    ROOT = "screen-root"
    CANVAS = "screen-canvas"
    STATE = "screen-state"  # dcc.Store: the view state read from the URL
    VERSION = "screen-version"  # dcc.Store: the data version the panels show
    MAP_INDEX = "screen-map-index"  # dcc.Store: which map indicator is shown
    FIT = "screen-fit"  # dcc.Store written by the clientside fit (scaling) callback
    POLL = "screen-poll"
    ROTATE = "screen-rotate"
    CYCLE = "screen-cycle"
    TICK = "screen-tick"
    WARM = "screen-warm"  # dcc.Interval, once: draw the views not yet shown, after the first is up
    # dcc.Store per view: whether its panels are drawn (a view's graphs wait until it is first needed)
    DRAWN = ("screen-drawn-overview", "screen-drawn-cities", "screen-drawn-warning")
    CLOCK = "screen-clock"
    ASOF = "screen-asof"
    DEMO = "screen-demo"
    VIEW_NAME = "screen-view-name"
    DOTS = "screen-dots"
    VIEW_OVERVIEW = "screen-view-overview"
    VIEW_CITIES = "screen-view-cities"
    VIEW_WARNING = "screen-view-warning"
    KPIS = "screen-kpis"
    MAP = "screen-map"
    MAP_HEAD = "screen-map-head"
    MAP_CHIPS = "screen-map-chips"
    MAP_CHIP = "screen-map-chip"  # pattern-matching type: {"type": MAP_CHIP, "index": i}
    MAP_FULL = "screen-map-full"
    MAP_FULL_HEAD = "screen-map-full-head"
    MAP_BAR = "screen-map-bar"
    MAP_BAR_HEAD = "screen-map-bar-head"
    NOWCAST = "screen-nowcast"
    SIGNALS = "screen-signals"
    RANKING = "screen-ranking"
    RANKING_FULL = "screen-ranking-full"
    GAUGE = "screen-gauge"
    COMPOSITE = "screen-composite"
    MATRIX = "screen-matrix"
    ALERTS = "screen-alerts"
    TICKER = "screen-ticker"


PATH = "/screen"
VIEWS = (Screen.VIEW_OVERVIEW, Screen.VIEW_CITIES, Screen.VIEW_WARNING)
VIEW_LABELS = ("screen_view_overview", "screen_view_cities", "screen_view_warning")
DEFAULT_CYCLE_S = 12
DEFAULT_POLL_S = 60
# The first view is drawn at once; the others a little later, in the background, so they are ready
# before the playlist shows them but do not delay the first picture on the wall.
WARM_UP_S = 3
MIN_INTERVAL_S = 1
# Figure sizes in canvas pixels; they match the panel bodies in assets/screen.css.
MAP_SIZE = (718, 570)
MAP_FULL_SIZE = (1100, 820)
MAP_BAR_SIZE = (680, 400)
NOWCAST_SIZE = (282, 190)
GAUGE_SIZE = (280, 160)
GAUGE_FULL_SIZE = (520, 180)
COMPOSITE_SIZE = (520, 400)
MATRIX_SIZE = (660, 820)
STATIC = {"staticPlot": True, "responsive": False, "displayModeBar": False}
TICKER_PX_PER_S = 90
TICKER_CHAR_PX = 26

log = logging.getLogger(__name__)

i18n.register({
    "screen_title": ("广西经济态势感知研判平台", "Guangxi Economic Situation Awareness"),
    "screen_brand": ("经济调节大脑", "EconBrain"),
    "screen_demo": ("演示数据", "Demo data"),
    "screen_data_until": ("数据截至", "Data to"),
    "screen_refreshed": ("分析更新", "Analytics"),
    "screen_view_overview": ("综合态势", "Overview"),
    "screen_view_cities": ("区域比拼", "Cities"),
    "screen_view_warning": ("监测预警", "Early warning"),
    "screen_kpis": ("九大经济领域", "Nine economic domains"),
    "screen_growth_ytd": ("累计增长", "Growth YTD"),
    "screen_growth": ("同比增长", "Growth y/y"),
    "screen_kpis_sub": ("全区最新数据 · 增速为发布口径", "Guangxi, latest · growth as published"),
    "screen_map_of": ("各市", "Cities"),
    "screen_nowcast": ("GDP即时预测", "GDP nowcast"),
    "screen_nowcast_interval": ("预测区间", "Interval"),
    "screen_target": ("全年目标", "Annual target"),
    "screen_target_actual": ("累计", "So far"),
    "screen_target_required": ("余下需增长", "Rest of year needs"),
    "screen_target_probability": ("完成概率", "Chance of meeting"),
    "screen_signals": ("景气信号灯", "Business-climate lights"),
    "screen_composite": ("综合景气", "Composite zone"),
    "screen_indicators": ("项指标", "indicators"),
    "screen_ranking": ("赛马比拼", "City race"),
    "screen_ranking_sub": ("城市发展指数", "City development index"),
    "screen_city_bar": ("各市比拼", "Cities compared"),
    "screen_composite_trend": ("综合景气指数走势", "Composite index, monthly"),
    "screen_matrix": ("重点指标信号灯", "Key indicators' lights"),
    "screen_matrix_sub": ("近12个月", "Last 12 months"),
    "screen_alerts": ("异常预警", "Open alerts"),
    "screen_alerts_none": ("当前没有待处理的预警", "No open alerts"),
    "screen_ticker_label": ("预警", "Alerts"),
    "screen_not_computed": ("分析结果尚未计算", "Analytics not computed yet"),
    "screen_not_computed_hint": ("运行 python app.py refresh 后将自动显示", "Shown automatically once python app.py refresh has run"),
    "screen_no_data": ("暂无数据", "No data"),
    "screen_dir_up": ("高于预期", "above expected"),
    "screen_dir_down": ("低于预期", "below expected"),
    "screen_sev_high": ("重度", "High"),
    "screen_sev_medium": ("中度", "Medium"),
    "screen_sev_low": ("轻度", "Low"),
    "screen_weekdays": ("一二三四五六日", "Mon Tue Wed Thu Fri Sat Sun"),
})

dash.register_page(__name__, path=PATH, name="screen", title=f"态势感知大屏 Big screen · {TITLE}")


# ---- the URL → view state ----------------------------------------------------------------------------

def _seconds(value, default: int | None) -> int | None:
    """A positive number of seconds from the URL (at least 1), or ``default`` when absent or invalid;
    0 means off."""
    if isinstance(value, list):
        value = value[-1] if value else None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    if number <= 0:
        return 0
    return max(MIN_INTERVAL_S, int(round(number)))


def view_state(lang=None, rotate=None, view=None, cycle=None, poll=None, map=None, default_lang="zh") -> dict:
    """The view state of the screen from its URL parameters (see the module docstring)."""
    try:
        start = (int(view[-1] if isinstance(view, list) else view) - 1) % len(VIEWS)
    except (TypeError, ValueError):
        start = 0
    code = map[-1] if isinstance(map, list) else map
    codes = list(screen_service.MAP_INDICATORS)
    return {
        "lang": i18n.resolve(lang, default_lang),
        "start": start,
        "rotate": _seconds(rotate, 0),
        "cycle": _seconds(cycle, DEFAULT_CYCLE_S),
        "poll": _seconds(poll, DEFAULT_POLL_S) or DEFAULT_POLL_S,
        "map": codes.index(code) if code in codes else 0,
    }


def active_view(n_intervals: int | None, state: dict) -> int:
    """Which view the playlist shows after ``n_intervals`` ticks (the first view without rotation)."""
    if not state.get("rotate"):
        return state.get("start", 0)
    return (state.get("start", 0) + (n_intervals or 0)) % len(VIEWS)


def next_map_index(current: int | None, count: int = len(screen_service.MAP_INDICATORS)) -> int:
    return ((current or 0) + 1) % count


# ---- layout ------------------------------------------------------------------------------------------

def _panel(title, body, class_name: str, sub=None, head_id: str | None = None) -> html.Section:
    head = html.Header([html.H2(title, className="sc-panel-title"),
                        html.Span(sub, className="sc-panel-sub") if sub else None],
                       className="sc-panel-head", **({"id": head_id} if head_id else {}))
    return html.Section([head, html.Div(body, className="sc-panel-body")], className=f"sc-panel {class_name}")


def _graph(graph_id: str, size: tuple[int, int], class_name: str = "") -> dcc.Graph:
    # the size is fixed in canvas pixels; the canvas, not the graph, is scaled to the display
    return dcc.Graph(id=graph_id, config=STATIC, className=f"sc-graph {class_name}".strip(),
                     style={"width": f"{size[0]}px", "height": f"{size[1]}px"})


def _title_bar(state: dict) -> html.Header:
    lang = state["lang"]
    _classes, name, dots = playlist(None, state)
    return html.Header([
        html.Div([html.Span("EB", className="sc-logo"),
                  html.Div([html.Div(t("screen_title", lang), className="sc-title"),
                            html.Div(f"{t('screen_brand', 'zh')} · EconBrain", className="sc-brand")])],
                 className="sc-titlebar-left"),
        html.Div([html.Div(name, id=Screen.VIEW_NAME, className="sc-view-name"),
                  html.Div(dots, id=Screen.DOTS, className="sc-dots")], className="sc-titlebar-center"),
        html.Div([html.Div(id=Screen.CLOCK, className="sc-clock"),
                  html.Div([html.Span(id=Screen.ASOF, className="sc-asof"),
                            html.Span(id=Screen.DEMO, className="sc-demo-slot")], className="sc-meta")],
                 className="sc-titlebar-right"),
    ], className="sc-titlebar")


def _views(state: dict) -> list:
    lang = state["lang"]
    classes, _name, _dots = playlist(None, state)
    overview = html.Div([
        html.Div(id=Screen.KPIS, className="sc-kpis"),
        _panel(t("screen_nowcast", lang), html.Div(id=Screen.NOWCAST), "sc-p-nowcast"),
        _panel(t("screen_signals", lang), html.Div(id=Screen.SIGNALS), "sc-p-signals"),
        _panel(t("screen_map_of", lang), [html.Div(id=Screen.MAP_CHIPS, className="sc-chips"),
                                          _graph(Screen.MAP, MAP_SIZE)], "sc-p-map", head_id=Screen.MAP_HEAD),
        _panel(t("screen_ranking", lang), html.Div(id=Screen.RANKING), "sc-p-ranking",
               sub=t("screen_ranking_sub", lang)),
    ], id=Screen.VIEW_OVERVIEW, className=classes[0])
    cities = html.Div([
        _panel(t("screen_map_of", lang), _graph(Screen.MAP_FULL, MAP_FULL_SIZE), "sc-p-map-full",
               head_id=Screen.MAP_FULL_HEAD),
        _panel(t("screen_city_bar", lang), _graph(Screen.MAP_BAR, MAP_BAR_SIZE), "sc-p-bar",
               head_id=Screen.MAP_BAR_HEAD),
        _panel(t("screen_ranking", lang), html.Div(id=Screen.RANKING_FULL), "sc-p-ranking-full",
               sub=t("screen_ranking_sub", lang)),
    ], id=Screen.VIEW_CITIES, className=classes[1])
    warning = html.Div([
        _panel(t("screen_composite", lang), html.Div(id=Screen.GAUGE), "sc-p-gauge"),
        _panel(t("screen_composite_trend", lang), html.Div(id=Screen.COMPOSITE), "sc-p-trend"),
        _panel(t("screen_matrix", lang), html.Div(id=Screen.MATRIX), "sc-p-matrix", sub=t("screen_matrix_sub", lang)),
        _panel(t("screen_alerts", lang), html.Div(id=Screen.ALERTS), "sc-p-alerts"),
    ], id=Screen.VIEW_WARNING, className=classes[2])
    return [overview, cities, warning]


def layout(lang=None, rotate=None, view=None, cycle=None, poll=None, map=None, **_params):  # noqa: A002 - URL name
    ctx = current_context()
    state = view_state(lang, rotate, view, cycle, poll, map, default_lang=ctx.settings.language)
    lang = state["lang"]
    return html.Div(
        html.Div([
            dcc.Store(id=Screen.STATE, data=state),
            *(dcc.Store(id=drawn, data=i == state["start"]) for i, drawn in enumerate(Screen.DRAWN)),
            dcc.Interval(id=Screen.WARM, interval=WARM_UP_S * 1000, max_intervals=1),
            dcc.Store(id=Screen.VERSION, data=screen_service.data_version(ctx)),
            dcc.Store(id=Screen.MAP_INDEX, data=state["map"]),
            dcc.Store(id=Screen.FIT),
            dcc.Interval(id=Screen.POLL, interval=state["poll"] * 1000),
            dcc.Interval(id=Screen.ROTATE, interval=(state["rotate"] or 3600) * 1000, disabled=not state["rotate"]),
            dcc.Interval(id=Screen.CYCLE, interval=(state["cycle"] or 3600) * 1000, disabled=not state["cycle"]),
            dcc.Interval(id=Screen.TICK, interval=1000),
            _title_bar(state),
            html.Div(_views(state), className="sc-stage"),
            html.Div(id=Screen.TICKER, className="sc-ticker"),
        ], id=Screen.CANVAS, className="sc-canvas"),
        id=Screen.ROOT, className=f"sc-root sc-lang-{lang}", lang="zh-CN" if lang == "zh" else "en",
    )


# ---- views (view models → components) ---------------------------------------------------------------

def not_computed(lang: str) -> html.Div:
    return html.Div([html.Div(t("screen_not_computed", lang), className="sc-not-computed-title"),
                     html.Div(t("screen_not_computed_hint", lang), className="sc-not-computed-hint")],
                    className="sc-not-computed")


def _fmt(value, decimals: int = 1, sign: bool = False) -> str:
    if value is None or value != value:
        return "—"
    return format(float(value), f"{'+' if sign else ''}.{decimals}f")


def _level_decimals(value: float) -> int:
    """Big figures without decimals: at five metres 24452 reads, 24452.29 does not."""
    size = abs(value)
    return 0 if size >= 1000 else 1 if size >= 10 else 2


def _growth(value, lang: str, class_name: str = "sc-growth") -> html.Span:
    if value is None or value != value:
        return html.Span("—", className=class_name)
    arrow, tone = ("▲", "sc-up") if value > 0 else ("▼", "sc-down") if value < 0 else ("", "")
    return html.Span([html.Span(arrow, className="sc-arrow"), f"{_fmt(abs(value))}%"], className=f"{class_name} {tone}")


def _lamp(signal: dict | None, lang: str, with_text: bool = False) -> html.Span:
    if signal is None:
        return html.Span(className="sc-lamp sc-lamp-none")
    text = signal["zone_zh"] if lang == "zh" else signal["zone_en"]
    lamp = html.Span(className=f"sc-lamp sc-zone-{signal['zone']}", title=text)
    return html.Span([lamp, html.Span(text, className="sc-lamp-text")], className="sc-lamp-wrap") if with_text else lamp


def kpi_tiles_view(tiles: list[dict], lang: str) -> list:
    out = []
    for tile in tiles:
        unit = i18n.unit(tile["unit"], lang)
        when = screen_service.short_period_label(tile["period"], tile["ytd"], lang)
        if tile["value"] is not None:
            value = _fmt(tile["value"], _level_decimals(tile["value"]))
            growth = [_growth(tile["growth"], lang), html.Span(when, className="sc-kpi-when")]
        else:  # published only as growth: the growth is the headline
            value, unit = _fmt(tile["growth"]), "%"
            growth = [html.Span(t("screen_growth_ytd" if tile["ytd"] else "screen_growth", lang),
                                className="sc-growth sc-muted"), html.Span(when, className="sc-kpi-when")]
        # long figures with long units get a smaller size so the tile never overflows
        long = len(value) + 2 * len(unit) > 12
        out.append(html.Div([
            html.Div([html.Span(tile["domain_zh"] if lang == "zh" else tile["domain_en"], className="sc-kpi-domain"),
                      _lamp(tile["signal"], lang)], className="sc-kpi-head"),
            html.Div([html.Span(value, className="sc-kpi-value"), html.Span(unit, className="sc-kpi-unit")],
                     className="sc-kpi-main" + (" is-long" if long else "")),
            html.Div(growth, className="sc-kpi-growth"),
            html.Div(tile["name_zh"] if lang == "zh" else tile["name_en"], className="sc-kpi-name"),
        ], className=f"sc-kpi sc-kpi-{tile['domain']}", **{"data-domain": tile["domain"]}))
    return out


def nowcast_view(panel: dict, lang: str) -> list:
    if not panel["ready"]:
        return [not_computed(lang)]
    now = panel["nowcast"]
    target = panel["target"]
    facts = [
        html.Div([html.Span(_fmt(now["point"]), className="sc-now-value"), html.Span("%", className="sc-now-unit"),
                  html.Span(screen_service.period_label(now["period"], False, lang), className="sc-now-period")]),
        html.Div([t("screen_nowcast_interval", lang), " ", html.B(f"{_fmt(now['lower'])}～{_fmt(now['upper'])}%")],
                 className="sc-now-line"),
    ]
    if target:
        facts += [
            html.Div([t("screen_target", lang), " ", html.B(f"{_fmt(target['target'])}%")],
                     className="sc-now-line sc-now-target"),
            html.Div([t("screen_target_actual", lang), " ",
                      screen_service.period_label(target["period"], True, lang), " ", html.B(f"{_fmt(target['actual'])}%")],
                     className="sc-now-line"),
            html.Div([t("screen_target_required", lang), " ", html.B(f"{_fmt(target['required'])}%")],
                     className="sc-now-line"),
            html.Div([t("screen_target_probability", lang), " ",
                      html.B(f"{_fmt(target['probability'] * 100, 0)}%" if target["probability"] is not None else "—")],
                     className="sc-now-line"),
        ]
    graph = dcc.Graph(figure=screen_figures.nowcast_figure(panel, lang, *NOWCAST_SIZE), config=STATIC,
                      className="sc-graph", style={"width": f"{NOWCAST_SIZE[0]}px", "height": f"{NOWCAST_SIZE[1]}px"})
    return [html.Div([m.static(facts, "sc-now-facts"), graph], className="sc-now")]


def signals_view(panel: dict, lang: str) -> list:
    if not panel["ready"]:
        return [not_computed(lang)]
    comp = panel["composite"]
    zone = comp["zone_zh"] if lang == "zh" else comp["zone_en"]
    gauge = dcc.Graph(figure=screen_figures.composite_gauge(comp, lang, *GAUGE_SIZE), config=STATIC,
                      className="sc-graph", style={"width": f"{GAUGE_SIZE[0]}px", "height": f"{GAUGE_SIZE[1]}px"})
    summary = [
        html.Div(t("screen_composite", lang), className="sc-zone-label"),
        html.Div(zone, className=f"sc-zone-name sc-zone-text-{comp['zone']}"),
        html.Div(f"{screen_service.period_label(panel['period'], False, lang)} · {comp['n_indicators']} "
                 f"{t('screen_indicators', lang)}", className="sc-zone-note"),
    ]
    lights = [html.Div([_lamp(item, lang), html.Span(item["name_zh"] if lang == "zh" else item["name_en"],
                                                     className="sc-light-name")],
                       className="sc-light", **{"data-indicator": item["indicator"]})
              for item in panel["lights"]]
    return [html.Div([gauge, m.static(summary, "sc-zone-summary")], className="sc-signal-top"),
            m.static(lights, "sc-lights")]


def zone_counts_view(counts: list[dict], lang: str) -> html.Div:
    return html.Div([
        html.Div([html.Span(className=f"sc-lamp sc-zone-{c['zone']}"),
                  html.Span(c["zone_zh"] if lang == "zh" else c["zone_en"], className="sc-count-name"),
                  html.B(str(c["count"]), className="sc-count")], className="sc-count-item")
        for c in counts
    ], className="sc-counts")


def gauge_view(panel: dict, lang: str) -> list:
    if not panel["ready"]:
        return [not_computed(lang)]
    comp = panel["composite"]
    gauge = dcc.Graph(figure=screen_figures.composite_gauge(comp, lang, *GAUGE_FULL_SIZE), config=STATIC,
                      className="sc-graph", style={"width": f"{GAUGE_FULL_SIZE[0]}px", "height": f"{GAUGE_FULL_SIZE[1]}px"})
    zone = comp["zone_zh"] if lang == "zh" else comp["zone_en"]
    return [gauge, m.static([
        html.Div([html.Span(zone, className=f"sc-zone-name sc-zone-text-{comp['zone']}"),
                  html.Span(f"{screen_service.period_label(panel['period'], False, lang)} · {comp['n_indicators']} "
                            f"{t('screen_indicators', lang)}", className="sc-zone-note")], className="sc-gauge-caption"),
        zone_counts_view(panel["counts"], lang)], "eb-contents")]


def ranking_view(ranking: dict, lang: str, columns: int = 1) -> list:
    if not ranking["ready"]:
        return [not_computed(lang)]
    rows = ranking["rows"]
    if not rows:
        return [html.Div(t("screen_no_data", lang), className="sc-empty")]
    top = max(r["score"] for r in rows) or 1.0
    low = min(r["score"] for r in rows)
    items = []
    for r in rows:
        change = r["change"]
        move = (html.Span(f"▲{change}", className="sc-move sc-up") if change and change > 0 else
                html.Span(f"▼{-change}", className="sc-move sc-down") if change and change < 0 else
                html.Span("—", className="sc-move"))
        share = 15 + 85 * (r["score"] - low) / ((top - low) or 1.0)  # bars start at 15 % so the last one shows
        items.append(html.Div([
            html.Span(str(r["rank"]), className="sc-rank" + (" sc-rank-top" if r["rank"] <= 3 else "")),
            html.Span(r["name_zh"] if lang == "zh" else r["name_en"], className="sc-rank-name"),
            html.Span(html.Span(className="sc-rank-bar", style={"width": f"{share:.0f}%"}), className="sc-rank-track"),
            html.Span(_fmt(r["score"]), className="sc-rank-score"),
            move,
        ], className="sc-rank-row", **{"data-region": r["region"]}))
    period = screen_service.period_label(ranking["period"], True, lang)
    return [html.Div(period, className="sc-rank-period"),
            html.Div(items, className=f"sc-rank-list sc-rank-cols-{columns}")]


def alerts_view(alerts: list[dict], ready: bool, lang: str, limit: int = 7) -> list:
    if not ready:
        return [not_computed(lang)]
    if not alerts:
        return [html.Div(t("screen_alerts_none", lang), className="sc-empty")]
    cards = []
    for a in alerts[:limit]:
        region = a["region_name_zh"] if lang == "zh" else a["region_name_en"]
        name = (a["name_zh"] if lang == "zh" else a["name_en"]) or ""
        cards.append(html.Div([
            html.Div([html.Span(t(f"screen_sev_{a['severity']}", lang), className=f"sc-sev sc-sev-{a['severity']}"),
                      html.Span(region, className="sc-alert-region"),
                      html.Span(a["period"], className="sc-alert-period")], className="sc-alert-head"),
            html.Div([html.Span("▲ " if a["direction"] == "up" else "▼ ", className=f"sc-{a['direction']}"), name,
                      html.Span(t(f"screen_dir_{a['direction']}", lang), className=f"sc-alert-dir sc-{a['direction']}")],
                     className="sc-alert-name"),
        ], className=f"sc-alert sc-alert-{a['severity']}"))
    return cards


def ticker_view(alerts: list[dict], ready: bool, lang: str) -> list:
    label = html.Div(t("screen_ticker_label", lang), className="sc-ticker-label")
    if not ready:
        return [label, html.Div(t("screen_not_computed", lang), className="sc-ticker-static")]
    if not alerts:
        return [label, html.Div(t("screen_alerts_none", lang), className="sc-ticker-static")]
    items = [html.Span([html.Span(t(f"screen_sev_{a['severity']}", lang), className=f"sc-sev sc-sev-{a['severity']}"),
                        a["message_zh"] if lang == "zh" else a["message_en"]], className="sc-ticker-item")
             for a in alerts]
    chars = sum(len(a["message_zh"] if lang == "zh" else a["message_en"]) + 6 for a in alerts)
    seconds = max(20, round(chars * TICKER_CHAR_PX * (0.5 if lang == "en" else 1) / TICKER_PX_PER_S))
    # the items twice: the track slides by half its width and starts over without a jump
    track = html.Div(items + items, className="sc-ticker-track", style={"animationDuration": f"{seconds}s"})
    return [label, html.Div(track, className="sc-ticker-window")]


def map_chips_view(index: int, lang: str) -> list:
    return [html.Button(screen_service.MAP_CHIP_NAMES[code][1 if lang == "en" else 0],
                        id={"type": Screen.MAP_CHIP, "index": i}, n_clicks=0,
                        className="sc-chip" + (" is-active" if i == index else ""))
            for i, code in enumerate(screen_service.MAP_INDICATORS)]


def map_head_view(table, lang: str, prefix_key: str = "screen_map_of") -> list:
    name = table.attrs.get("name_zh") if lang == "zh" else table.attrs.get("name_en")
    period = screen_service.period_label(table.attrs.get("period"), table.attrs.get("ytd", False), lang)
    return [html.H2(f"{t(prefix_key, lang)} · {name}", className="sc-panel-title"),
            html.Span(period, className="sc-panel-sub")]


# ---- callbacks -----------------------------------------------------------------------------------------

def steady(outputs: int):
    """Keep the last good picture on the wall when a render fails (a locked database, a restart):
    log the error and leave every output as it is."""
    def wrap(func):
        @functools.wraps(func)
        def inner(*args):
            try:
                return func(*args)
            except Exception:  # noqa: BLE001 - an always-on screen must not show an error
                log.exception("big screen: %s failed; keeping the last picture", func.__name__)
                return no_update if outputs == 1 else (no_update,) * outputs
        return inner
    return wrap


def _lang(state: dict | None) -> str:
    return i18n.resolve((state or {}).get("lang"))


def poll_version(_n, current):
    """Ask for the data version; hand it on only when it changed, so panels re-render only then."""
    version = screen_service.data_version(current_context())
    return no_update if version == current else version


def playlist(n_intervals, state) -> tuple[list[str], str, list]:
    """The playlist after ``n_intervals`` ticks: each view's class, the active view's name and the
    position dots (the layout shows the first view with these, the rotate callback the next ones)."""
    state = state or {}
    lang = _lang(state)
    active = active_view(n_intervals, state)
    classes = [f"sc-view {v.replace('screen-view-', 'sc-view-')}" + (" is-active" if i == active else "")
               for i, v in enumerate(VIEWS)]
    dots = [html.Span(className="sc-dot" + (" is-active" if i == active else "")) for i in range(len(VIEWS))]
    name = f"{t(VIEW_LABELS[active], lang)}"
    return classes, name, dots


def rotate(n_intervals, state):
    """The playlist moves on: the active view's class, its name and the position dots."""
    classes, name, dots = playlist(n_intervals, state)
    return (*classes, name, dots)


def arm_views(warm, n_intervals, state, *drawn):
    """Mark a view's panels to be drawn when the playlist first shows it, or all of them once the
    warm-up interval has passed; a view already drawn stays as it is (no second draw)."""
    active = active_view(n_intervals, state or {})
    return tuple(True if (warm or i == active) and not done else no_update for i, done in enumerate(drawn))


def advance_map(_n_cycle, _chips, index, state):
    """The map's indicator: the next one on each cycle tick, or the one a chip was clicked for."""
    trigger = dash_ctx.triggered_id
    if isinstance(trigger, dict) and trigger.get("type") == Screen.MAP_CHIP:
        if not any(_chips or []):
            return no_update
        return int(trigger["index"])
    if trigger == Screen.CYCLE:
        return next_map_index(index)
    return no_update


def render_title(_version, state):
    lang = _lang(state)
    bar = screen_service.title_bar(current_context())
    parts = [f"{t('screen_data_until', lang)} {screen_service.period_label(bar['latest_period'], False, lang)}"]
    if bar["analytics_refreshed_at"]:
        parts.append(f"{t('screen_refreshed', lang)} {bar['analytics_refreshed_at'][:16].replace('T', ' ')}")
    demo = html.Span(t("screen_demo", lang), className="sc-demo", id=Screen.DEMO + "-tag") if bar["demo"] else None
    return " · ".join(parts), demo


def render_overview(_version, drawn, state):
    if not drawn:
        return (no_update,) * 4
    lang = _lang(state)
    ctx = current_context()
    return (m.static(kpi_tiles_view(screen_service.kpi_tiles(ctx), lang), "eb-contents"),
            nowcast_view(screen_service.nowcast_panel(ctx), lang),
            signals_view(screen_service.signal_panel(ctx), lang),
            m.static(ranking_view(screen_service.city_ranking(ctx), lang, columns=1), "eb-contents"))


def _map_table(ctx, index):
    codes = screen_service.MAP_INDICATORS
    return screen_service.city_values(ctx, codes[(index or 0) % len(codes)])


def render_map(index, _version, drawn, state):
    """The overview's map, its title and the indicator chips."""
    if not drawn:
        return (no_update,) * 3
    lang = _lang(state)
    ctx = current_context()
    table = _map_table(ctx, index)
    return (screen_figures.city_map_figure(table, screen_service.map_boundaries(ctx), lang, *MAP_SIZE, label_size=18),
            map_head_view(table, lang), map_chips_view((index or 0) % len(screen_service.MAP_INDICATORS), lang))


def render_cities(index, _version, drawn, state):
    """The cities view: the large map, the cities compared and the full ranking."""
    if not drawn:
        return (no_update,) * 5
    lang = _lang(state)
    ctx = current_context()
    table = _map_table(ctx, index)
    return (screen_figures.city_map_figure(table, screen_service.map_boundaries(ctx), lang, *MAP_FULL_SIZE,
                                           label_size=24),
            screen_figures.city_bar_figure(table, lang, *MAP_BAR_SIZE),
            map_head_view(table, lang), map_head_view(table, lang, "screen_city_bar"),
            m.static(ranking_view(screen_service.city_ranking(ctx), lang, columns=2), "eb-contents"))


def render_warning(_version, drawn, state):
    if not drawn:
        return (no_update,) * 4
    lang = _lang(state)
    ctx = current_context()
    panel = screen_service.signal_panel(ctx)
    trend = screen_service.composite_trend(ctx)
    matrix = screen_service.key_signal_matrix(ctx)
    ready = screen_service.alerts_ready(ctx)
    alerts = screen_service.alert_ticker(ctx)
    names = [screen_service.short_name(code, lang) for code in matrix.index]
    trend_view = ([not_computed(lang)] if trend.empty else
                  [dcc.Graph(figure=screen_figures.composite_trend_figure(trend, lang, *COMPOSITE_SIZE), config=STATIC,
                             className="sc-graph",
                             style={"width": f"{COMPOSITE_SIZE[0]}px", "height": f"{COMPOSITE_SIZE[1]}px"})])
    matrix_view = ([not_computed(lang)] if matrix.empty else
                   [dcc.Graph(figure=screen_figures.signal_matrix_figure(matrix, names, lang, *MATRIX_SIZE),
                              config=STATIC, className="sc-graph",
                              style={"width": f"{MATRIX_SIZE[0]}px", "height": f"{MATRIX_SIZE[1]}px"})])
    return gauge_view(panel, lang), trend_view, matrix_view, m.static(alerts_view(alerts, ready, lang), "eb-contents")


def render_ticker(_version, state):
    """The alert ticker runs under every view."""
    lang = _lang(state)
    ctx = current_context()
    return m.static(ticker_view(screen_service.alert_ticker(ctx), screen_service.alerts_ready(ctx), lang), "eb-contents")


def register_callbacks(app: dash.Dash) -> None:
    app.callback(Output(Screen.VERSION, "data"), Input(Screen.POLL, "n_intervals"), State(Screen.VERSION, "data"),
                 prevent_initial_call=True)(steady(1)(poll_version))
    app.callback(*(Output(v, "className") for v in VIEWS), Output(Screen.VIEW_NAME, "children"),
                 Output(Screen.DOTS, "children"), Input(Screen.ROTATE, "n_intervals"),
                 State(Screen.STATE, "data"), prevent_initial_call=True)(rotate)
    app.callback(*(Output(d, "data") for d in Screen.DRAWN), Input(Screen.WARM, "n_intervals"),
                 Input(Screen.ROTATE, "n_intervals"), State(Screen.STATE, "data"),
                 *(State(d, "data") for d in Screen.DRAWN), prevent_initial_call=True)(arm_views)
    app.callback(Output(Screen.MAP_INDEX, "data"), Input(Screen.CYCLE, "n_intervals"),
                 Input({"type": Screen.MAP_CHIP, "index": ALL}, "n_clicks"), State(Screen.MAP_INDEX, "data"),
                 State(Screen.STATE, "data"), prevent_initial_call=True)(advance_map)
    app.callback(Output(Screen.ASOF, "children"), Output(Screen.DEMO, "children"), Input(Screen.VERSION, "data"),
                 State(Screen.STATE, "data"))(steady(2)(render_title))
    overview, cities, warning = Screen.DRAWN
    app.callback(Output(Screen.KPIS, "children"), Output(Screen.NOWCAST, "children"),
                 Output(Screen.SIGNALS, "children"), Output(Screen.RANKING, "children"),
                 Input(Screen.VERSION, "data"), Input(overview, "data"),
                 State(Screen.STATE, "data"))(steady(4)(render_overview))
    app.callback(Output(Screen.MAP, "figure"), Output(Screen.MAP_HEAD, "children"), Output(Screen.MAP_CHIPS, "children"),
                 Input(Screen.MAP_INDEX, "data"), Input(Screen.VERSION, "data"), Input(overview, "data"),
                 State(Screen.STATE, "data"))(steady(3)(render_map))
    app.callback(Output(Screen.MAP_FULL, "figure"), Output(Screen.MAP_BAR, "figure"),
                 Output(Screen.MAP_FULL_HEAD, "children"), Output(Screen.MAP_BAR_HEAD, "children"),
                 Output(Screen.RANKING_FULL, "children"),
                 Input(Screen.MAP_INDEX, "data"), Input(Screen.VERSION, "data"), Input(cities, "data"),
                 State(Screen.STATE, "data"))(steady(5)(render_cities))
    app.callback(Output(Screen.GAUGE, "children"), Output(Screen.COMPOSITE, "children"),
                 Output(Screen.MATRIX, "children"), Output(Screen.ALERTS, "children"),
                 Input(Screen.VERSION, "data"), Input(warning, "data"),
                 State(Screen.STATE, "data"))(steady(4)(render_warning))
    app.callback(Output(Screen.TICKER, "children"), Input(Screen.VERSION, "data"),
                 State(Screen.STATE, "data"))(steady(1)(render_ticker))
    app.clientside_callback(ClientsideFunction("ebScreen", "clock"), Output(Screen.CLOCK, "children"),
                            Input(Screen.TICK, "n_intervals"), State(Screen.STATE, "data"))
    app.clientside_callback(ClientsideFunction("ebScreen", "fit"), Output(Screen.FIT, "data"),
                            Input(Screen.STATE, "data"))
