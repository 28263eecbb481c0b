"""发展指数 Development indices: each index over time with its components' contributions, and the
cities' ranking over time (赛马比拼) (``/indices?index=transport&region=450000``).

The indices are computed and stored by the refresh (``services.indices``); this page reads them.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html

from figures import analytics as figures
from indicators.regions import GUANGXI
from layouts import components as c
from layouts import i18n
from layouts.i18n import t
from layouts.ids import Shell
from layouts.pages.outlook import GRAPH_CONFIG, lang_of, one, param, query_for, selector, url_params, view_store
from layouts.shell import TITLE, current_context
from services import analytics_view as views


class Indices:
    VIEW = "indices-view"  # dcc.Store: the view read from the URL (index, region, lang)
    INDEX = "indices-index"
    REGION = "indices-region"
    NOTICE = "indices-notice"
    CHIPS = "indices-chips"
    SERIES = "indices-series"
    SERIES_NOTE = "indices-series-note"
    RANKING = "indices-ranking"


PATH = "/indices"
DEFAULT_INDEX = "transport"

i18n.register({
    "indices_title": ("发展指数", "Development indices"),
    "indices_index": ("指数", "Index"),
    "indices_region": ("地区", "Region"),
    "indices_series_title": ("指数走势与构成", "The index and its components"),
    "indices_series_sub": ("上：指数；下：各分项对指数的贡献（点）", "Top: the index; bottom: each component's contribution (points)"),
    "indices_ranking_title": ("各市排名走势", "The cities' ranks over time"),
    "indices_ranking_sub": ("赛马比拼：第 1 名在最上方", "Growth race: rank 1 at the top"),
    "indices_no_ranking": ("该指数没有分市数据。", "This index has no values for the cities."),
    "indices_base": ("基期 {p} = 100", "Base period {p} = 100"),
    "indices_city_mean": ("全区为 14 市得分的平均值；选择城市可查看其构成", "Guangxi: mean of the 14 cities' scores; choose a city to see its components"),
    "indices_unknown": ("所选内容不可用，已显示默认内容。", "The requested view is not available; showing the default."),
    "indices_source": ("指数由批处理按 indicators/indices.yaml 的定义计算并存储：标准化后的分项按权重合成，贡献之和等于指数与基准之差。",
                       "The indices are computed and stored by the batch refresh as defined in indicators/indices.yaml: "
                       "normalised components combined with weights; the contributions add up to the index's distance "
                       "from its baseline."),
})

dash.register_page(__name__, path=PATH, name="indices", title=f"发展指数 Development indices · {TITLE}")


# ---- layout ---------------------------------------------------------------------------------------

def layout(lang=None, index=None, region=None, **_params):
    ctx = current_context()
    default_lang = ctx.settings.language
    lang = i18n.resolve(lang, default_lang)
    index, region = one(index), one(region)
    choices = views.index_choices(ctx)
    names = [ch["name"] for ch in choices]
    notice = False
    if index not in names:
        notice = index is not None
        index = DEFAULT_INDEX if DEFAULT_INDEX in names else names[0]
    regions = views.index_regions(ctx, index)
    codes = [r["adcode"] for r in regions]
    if region not in codes:  # e.g. a county kept from another index: silently the region's view
        region = GUANGXI if GUANGXI in codes or not codes else codes[0]
    params, defaults = {"index": index, "region": region}, {"index": DEFAULT_INDEX, "region": GUANGXI}
    default_params = url_params(params, defaults)
    region_opts = [{"label": r["name_zh"] if lang == "zh" else r["name_en"], "value": r["adcode"]} for r in regions]
    tools = [
        selector(Indices.INDEX, t("indices_index", lang), index,
                 [{"label": ch["name_zh"] if lang == "zh" else ch["name_en"], "value": ch["name"]} for ch in choices]),
        selector(Indices.REGION, t("indices_region", lang), region, region_opts, searchable=len(region_opts) > 20,
                 disabled=not region_opts),
    ]
    chips = [dcc.Link(ch["name_zh"] if lang == "zh" else ch["name_en"],
                      href=c.href(PATH, lang, default_lang, **url_params({"index": ch["name"], "region": region}, defaults)),
                      className="eb-chip" + (" is-active" if ch["name"] == index else ""))
             for ch in choices]
    current = next(ch for ch in choices if ch["name"] == index)
    region_name = next((o["label"] for o in region_opts if o["value"] == region), region)
    body = [
        view_store(Indices.VIEW, lang, default_lang, params, defaults),
        c.page_header(t("indices_title", lang), f"{current['name_zh' if lang == 'zh' else 'name_en']} · {region_name}",
                      right=tools),
        html.Div(c.message(t("indices_unknown", lang), "warning") if notice else None, id=Indices.NOTICE),
        html.Nav(chips, className="eb-chips eb-index-chips", id=Indices.CHIPS),
        html.Div([
            c.panel(t("indices_series_title", lang),
                    [dcc.Graph(id=Indices.SERIES, config=GRAPH_CONFIG),
                     html.Div(id=Indices.SERIES_NOTE, className="eb-figure-note")],
                    subtitle=t("indices_series_sub", lang), class_name="eb-col-7"),
            c.panel(t("indices_ranking_title", lang), dcc.Graph(id=Indices.RANKING, config=GRAPH_CONFIG),
                    subtitle=t("indices_ranking_sub", lang), class_name="eb-col-5"),
        ], className="eb-row"),
        html.P(t("indices_source", lang), className="eb-source"),
    ]
    return c.page(ctx, lang, PATH, html.Div(body, className="eb-analytics"), params=default_params)


# ---- callbacks (adapters) ------------------------------------------------------------------------------

def select_view(index, region, view):
    """A new index keeps the region only where that index has it (the layout falls back otherwise)."""
    return query_for(view, index=index, region=region)


def render_series(view):
    lang = lang_of(view)
    try:
        result = views.index_series(current_context(), param(view, "index"), param(view, "region"))
    except views.AnalyticsViewError as exc:
        return figures.index_figure(None, lang), c.message(str(exc), "warning")
    notes = []
    if result.get("base_period") and result["baseline"] == 100.0:
        notes.append(t("indices_base", lang).format(p=result["base_period"]))
    if result["is_city_mean"]:
        notes.append(t("indices_city_mean", lang))
    return figures.index_figure(result, lang), " · ".join(notes)


def render_ranking(view):
    region = param(view, "region")
    ranking = views.ranking_history(current_context(), param(view, "index"))
    return figures.ranking_bump_figure(ranking, lang_of(view), highlight=None if region == GUANGXI else region)


def register_callbacks(app: dash.Dash) -> None:
    app.callback(Output(Shell.LOCATION, "search", allow_duplicate=True), Input(Indices.INDEX, "value"),
                 Input(Indices.REGION, "value"), State(Indices.VIEW, "data"), prevent_initial_call=True)(select_view)
    app.callback(Output(Indices.SERIES, "figure"), Output(Indices.SERIES_NOTE, "children"),
                 Input(Indices.VIEW, "data"))(render_series)
    app.callback(Output(Indices.RANKING, "figure"), Input(Indices.VIEW, "data"))(render_ranking)
