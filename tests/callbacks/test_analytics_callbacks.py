"""The callbacks of 形势预判, 预警中心 and 发展指数, called directly (no browser): the view state goes
into the URL, the renderers read the stored results, acknowledge/close changes an alert's state.

Alert states are changed only on a private copy of the analytics database, so other tests see the
states the refresh stored."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from dash import no_update

from app import create_app
from layouts.shell import CONTEXT_KEY, build_app
from services.context import Viewer, open_context
from settings import Settings
from storage import results as store
from storage import tables as t


@pytest.fixture(scope="module")
def app(analytics_database_url):
    return create_app(Settings(database_url=analytics_database_url))


@pytest.fixture(scope="module")
def pages(app):
    import layouts.pages.indices as indices
    import layouts.pages.outlook as outlook
    import layouts.pages.warning as warning

    return outlook, warning, indices


def view(lang="zh", **params):
    defaults = {"region": "450000", "indicator": "retail_sales", "state": "all", "index": "transport"}
    return {"lang": lang, "default_lang": "zh", "params": params, "defaults": defaults}


def texts(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return "".join(texts(c) for c in component)
    return texts(getattr(component, "children", None))


def walk(component):
    if component is None or isinstance(component, (str, int, float)):
        return
    if isinstance(component, (list, tuple)):
        for c in component:
            yield from walk(c)
        return
    yield component
    yield from walk(getattr(component, "children", None))


# ---- the URL is the view --------------------------------------------------------------------------

def test_selectors_write_the_view_into_the_url(pages):
    outlook, warning, indices = pages
    current = view(region="450000", indicator="retail_sales")
    assert outlook.select_view("450200", "retail_sales", current) == "?region=450200"
    assert outlook.select_view("450000", "exports", current) == "?indicator=exports"
    assert outlook.select_view("450000", "retail_sales", current) is no_update
    assert warning.select_view("450200", "new", view("en", region="450000", state="all")) == \
        "?region=450200&state=new&lang=en"
    assert indices.select_view("city_development", "450000", view(index="transport", region="450000")) == \
        "?index=city_development"
    assert warning.select_view("450000", "all", view(region="450200", state="all")) == "?"  # back to defaults


def test_layouts_read_the_view_from_the_query(app, pages):
    outlook, warning, indices = pages
    with app.server.test_request_context("/outlook"):
        page = outlook.layout(region="450200", indicator="nonsense")
    store_ = next(c for c in walk(page) if getattr(c, "id", None) == outlook.Outlook.VIEW)
    assert store_.data["params"]["region"] == "450200"
    assert "所选内容不可用" in texts(page)  # an unknown indicator falls back, and says so
    with app.server.test_request_context("/warning"):
        page = warning.layout(lang="en", region="450200", state="new")
    store_ = next(c for c in walk(page) if getattr(c, "id", None) == warning.EarlyWarning.VIEW)
    assert store_.data == {"lang": "en", "default_lang": "zh", "params": {"region": "450200", "state": "new"},
                           "defaults": {"region": "450000", "state": "all"}}
    assert "Early warning" in texts(page) and "预警中心" not in texts(page)
    with app.server.test_request_context("/indices"):
        page = indices.layout(index="leading", region="450200")  # leading: Guangxi only
    store_ = next(c for c in walk(page) if getattr(c, "id", None) == indices.Indices.VIEW)
    assert store_.data["params"] == {"index": "leading", "region": "450000"}


# ---- renderers -------------------------------------------------------------------------------------

def test_outlook_renders_the_stored_nowcast_in_both_languages(app, pages):
    outlook = pages[0]
    engine = app.server.config[CONTEXT_KEY].engine
    stored = store.read_table(engine, t.nowcasts, order_by=("as_of",), region="450000").iloc[-1]
    with app.server.app_context():
        head_zh, fan, news = outlook.render_nowcast(view(region="450000"))
        head_en, fan_en, _ = outlook.render_nowcast(view("en", region="450000"))
    assert f"{stored['point']:.1f}%" in texts(head_zh) and "预测值" in texts(head_zh)
    assert "Nowcast" in texts(head_en)
    assert fan.data[-1].y[0] == pytest.approx(stored["point"])
    assert news.data[0].type == "waterfall"
    assert fan_en.data[-1].name == "Nowcast"


def test_outlook_backtest_says_when_it_is_not_computed(app, pages):
    with app.server.app_context():
        assert "回测尚未计算" in texts(pages[0].render_backtest(view(region="450300")))
        assert "Back-test not computed yet" in texts(pages[0].render_backtest(view("en", region="450300")))


def test_outlook_forecast_and_targets(app, pages):
    outlook = pages[0]
    with app.server.app_context():
        fig, note = outlook.render_forecast(view(region="450000", indicator="retail_sales"))
        target_fig, table = outlook.render_targets(view("en", region="450000"))
        empty, message = outlook.render_forecast(view(region="450200", indicator="retail_sales"))
    assert [tr.name for tr in fig.data][-2:] == ["实际值", "预测值"] and "MASE" in note
    assert target_fig.data[0].name == "Actual so far"
    rows = [c for c in walk(table) if getattr(c, "data-indicator", None)]
    assert getattr(rows[0], "data-indicator") == "gdp_ytd_growth"
    assert "Gross regional product" in texts(table)
    assert len(empty.data) == 0 and message == "该地区没有已计算的指标预测。"


def test_warning_renders_matrix_composites_and_alerts(app, pages):
    warning = pages[1]
    with app.server.app_context():
        composite, cities, matrix = warning.render_signals(view(region="450000"))
        alerts, message = warning.apply_alert_action(None, view(region="450000", state="new"))
    assert composite.data[0].name == "综合指数"
    assert cities.data[0].type == "heatmap" and cities.data[0].y[0] == "广西"
    assert matrix.data[0].type == "heatmap" and len(matrix.data[0].x) == 24
    rows = [c for c in walk(alerts) if getattr(c, "data-alert", None)]
    assert rows and all(getattr(r, "data-state") == "new" for r in rows) and message is None


def test_indices_render_series_and_ranking(app, pages):
    indices = pages[2]
    with app.server.app_context():
        fig, note = indices.render_series(view("en", index="transport", region="450000"))
        bump = indices.render_ranking(view(index="city_development", region="450200"))
        missing, error = indices.render_series(view(index="leading", region="450200"))
    assert fig.data[0].name == "Transport development index" and "Base period" in note
    assert len(bump.data) >= 2 and "柳州" in [tr.name for tr in bump.data]
    assert len(missing.data) == 0 and "leading" in texts(error) or "先行" in texts(error)


# ---- acknowledge / close on a private copy -----------------------------------------------------------

@pytest.fixture(scope="module")
def private_app(analytics_database_url, tmp_path_factory):
    src = analytics_database_url.split("///", 1)[1]
    dst = tmp_path_factory.mktemp("alerts") / "alerts.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    settings = Settings(database_url=f"sqlite:///{dst}")
    ctx = dataclasses.replace(open_context(settings), viewer=Viewer(user="analyst-wang"))
    return build_app(settings, context=ctx)


def test_acknowledge_then_close_records_the_viewer(private_app):
    import layouts.pages.warning as warning

    engine = private_app.server.config[CONTEXT_KEY].engine
    with private_app.server.app_context():
        listed, _ = warning.apply_alert_action(None, view(region="450000", state="all"))
        first = next(c for c in walk(listed) if getattr(c, "data-alert", None))
        alert_id = int(getattr(first, "data-alert"))
        buttons = [c.id for c in walk(first) if isinstance(getattr(c, "id", None), dict)]
        assert {b["to"] for b in buttons} == {"acknowledged", "closed"}
        listed, message = warning.apply_alert_action({"alert": alert_id, "to": "acknowledged"},
                                                     view(region="450000", state="all"))
        assert f"预警 {alert_id} 已设为“已确认”" in texts(message)
        row = store.read_table(engine, t.alerts, id=alert_id).iloc[0]
        assert (row["state"], row["updated_by"]) == ("acknowledged", "analyst-wang")
        again = next(c for c in walk(listed) if getattr(c, "data-alert", None) == str(alert_id))
        assert getattr(again, "data-state") == "acknowledged" and "analyst-wang" in texts(again)

        warning.apply_alert_action({"alert": alert_id, "to": "closed"}, view("en", region="450000", state="new"))
        assert store.read_table(engine, t.alerts, id=alert_id).iloc[0]["state"] == "closed"
        closed, _ = warning.apply_alert_action(None, view(region="450000", state="closed"))
        assert str(alert_id) in [getattr(c, "data-alert", None) for c in walk(closed)]
        _, error = warning.apply_alert_action({"alert": 10**9, "to": "closed"}, view("en", region="450000"))
        assert "no alert with id" in texts(error)


def test_callbacks_are_registered_once(app):
    outputs = [cb["output"] for cb in app._callback_list]
    for wanted in ("outlook-backtest.children", "indices-ranking.figure"):
        assert outputs.count(wanted) == 1
    assert sum("warning-alerts.children" in o for o in outputs) == 1
