"""The indicator page's layout and callbacks, called directly (no browser) on an app built over the
analytics test database."""

from __future__ import annotations

import base64
import io

import pytest
from dash import no_update
from openpyxl import load_workbook

from app import create_app
from settings import Settings
from storage import repository as repo

LIUZHOU = "450200"


@pytest.fixture(scope="module")
def app(analytics_database_url):
    return create_app(Settings(database_url=analytics_database_url))


@pytest.fixture(scope="module")
def page(app):
    import layouts.pages.indicator as indicator_page

    return indicator_page


def view(**kw):
    base = {"code": "retail_sales", "region": LIUZHOU, "transform": "level", "as_of": None, "compare": [],
            "lang": "zh", "default_lang": "zh"}
    return {**base, **kw}


def walk(component):
    if component is None or isinstance(component, (str, int, float)):
        return
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from walk(child)
        return
    yield component
    yield from walk(getattr(component, "children", None))


def text(component) -> str:
    out = []
    for c in walk(component):
        children = getattr(c, "children", None)
        if isinstance(children, (str, int, float)):
            out.append(str(children))
        elif isinstance(children, (list, tuple)):
            out += [str(x) for x in children if isinstance(x, (str, int, float))]
    return " ".join(out)


def find(component, id_):
    return next(c for c in walk(component) if getattr(c, "id", None) == id_)


# ---- the URL is the view ---------------------------------------------------------------------------

def labels(page, app, view_):
    with app.server.app_context():
        out = page.label_view(view_)
    assert len(out) == page.LABEL_OUTPUTS
    keys = ("subtitle", "chart_sub", "notices", "compare_options", "compare", "csv", "lang_href")
    return dict(zip(keys, out))


def test_the_view_store_names_the_url_it_shows(app, page):
    """The layout's view store carries the URL (defaults left out) and the router's record of it;
    a control change makes the next one in the browser (assets/indicator.js, tests/browser)."""
    with app.server.test_request_context("/"):
        layout = page.layout(code="retail_sales", region="450200", transform="yoy", as_of="2025-06-30",
                             compare="450100,450300")
        en = page.layout(code="retail_sales", lang="en")
    store = find(layout, page.Ind.VIEW).data
    assert store["search"] == "?region=450200&transform=yoy&as_of=2025-06-30&compare=450100%2C450300"
    assert store["shown"] == {"path": "/indicator/retail_sales", "query": {
        "as_of": "2025-06-30", "compare": "450100,450300", "region": "450200", "transform": "yoy"}}
    assert store["defaults"] == {"region": "450000", "transform": "level"}
    assert find(en, page.Ind.VIEW).data["search"] == "?lang=en"


def test_labels_follow_a_view_changed_in_place(app, page):
    """The labels naming the view and, when the region moved, the compare choices."""
    out = labels(page, app, view(region="450300", transform="yoy", as_of="2025-06-30", compare=["450100"],
                                 moved=True))
    assert out["subtitle"].startswith("桂林市 · retail_sales") and out["chart_sub"] == "同比增长"
    assert "2025-06-30" in text(out["notices"])
    assert "450300" not in [o["value"] for o in out["compare_options"]] and out["compare"] == ["450100"]
    assert out["csv"] == {"fileName": "retail_sales_450300_yoy_asof_2025-06-30.csv"}
    assert out["lang_href"] == \
        "/indicator/retail_sales?region=450300&transform=yoy&as_of=2025-06-30&compare=450100&lang=en"
    # a new transform in the same region leaves the compare choices alone
    same = labels(page, app, view(transform="mom", moved=False))
    assert same["compare_options"] is no_update
    en = labels(page, app, view(region="450300", lang="en", moved=True))
    assert en["subtitle"].startswith("Guilin") and en["lang_href"] == "/indicator/retail_sales?region=450300"
    assert page.label_view(None) == (no_update,) * page.LABEL_OUTPUTS


def test_layout_reads_the_url_and_reports_invalid_values(app, page):
    with app.server.test_request_context("/"):
        layout = page.layout(code="retail_sales", region="450200", transform="nonsense", as_of="2025-02-30",
                             compare="450100,zz", lang="en")
    store = find(layout, page.Ind.VIEW)
    assert store.data["region"] == LIUZHOU and store.data["transform"] == "level"
    assert store.data["compare"] == ["450100"] and store.data["as_of"] is None
    notice = text(find(layout, page.Ind.NOTICE))
    assert "unknown transform 'nonsense'" in notice and "YYYY-MM-DD" in notice and "unknown region 'zz'" in notice
    transform = find(layout, page.Ind.TRANSFORM)
    assert [o["label"] for o in transform.options][:2] == ["As published", "Single period"]


def test_layout_of_an_unknown_indicator_is_a_message(app, page):
    with app.server.test_request_context("/"):
        zh = page.layout(code="no_such_thing")
        en = page.layout(code="no_such_thing", lang="en")
    assert "未找到该指标" in text(zh) and "unknown indicator 'no_such_thing'" in text(zh)
    assert "This indicator was not found" in text(en)


def test_transforms_not_applicable_are_disabled(app, page):
    with app.server.test_request_context("/"):
        layout = page.layout(code="cpi")
    options = {o["value"]: o["disabled"] for o in find(layout, page.Ind.TRANSFORM).options}
    assert options == {"level": False, "monthly": True, "ytd": True, "yoy": False, "mom": True, "sa": True,
                       "trend": True}


# ---- content ---------------------------------------------------------------------------------------

def test_metadata_and_quality(app, page):
    with app.server.app_context():
        meta, quality = page.render_meta(view())
        meta_en, _ = page.render_meta(view(lang="en"))
    assert "自治区统计局" in text(meta) and "月度" in text(meta)
    assert "Statistics Bureau of Guangxi" in text(meta_en) and "Monthly" in text(meta_en)
    assert "按时" in text(quality)


@pytest.mark.parametrize("transform", ["level", "yoy", "sa"])
def test_chart_draws_the_region_and_the_comparison(app, page, transform):
    with app.server.app_context():
        fig, notes, revisions, *_ = page.render_series(view(transform=transform, compare=["450000"]))
    names = [tr.name for tr in fig.data]
    assert names[:2] == ["柳州", "广西壮族自治区"] or (transform == "sa" and names[0] == "柳州")
    assert fig.data[0].line.width == 3


def test_chart_of_revised_gdp_overlays_first_releases(app, page):
    with app.server.app_context():
        fig, _, revisions, *_ = page.render_series(view(code="gdp", region="450000", lang="en"))
    assert [tr.name for tr in fig.data] == ["Guangxi", "First release"]
    assert "revisions" in text(revisions) and "2017Q4" in text(revisions)


def test_every_panel_in_one_response(app, page):
    """The chart, revisions, table and ranking come from one callback (one redraw per change)."""
    with app.server.app_context():
        out = page.render_panels(view(transform="yoy"))
        series, ranking = page.render_series(view(transform="yoy")), page.render_ranking(view(transform="yoy"))
    assert len(out) == 7
    assert out[0].to_json() == series[0].to_json() and out[5].to_json() == ranking[0].to_json()
    assert out[3] == series[3]  # the grid's rows


def test_ranking_figure_and_text(app, page):
    with app.server.app_context():
        fig, parts = page.render_ranking(view(transform="yoy"))
        fig_en, parts_en = page.render_ranking(view(transform="yoy", lang="en"))
    bar = fig.data[0]
    assert len(bar.y) == 14 and "柳州" in bar.y
    assert bar.marker.color[list(bar.y).index("柳州")] != bar.marker.color[list(bar.y).index("南宁")]
    assert "柳州市：第" in text(parts) and "共 14 市" in text(parts)
    assert "Liuzhou: rank" in text(parts_en) and "of 14" in text(parts_en)


def test_table_rows_and_columns(app, page):
    with app.server.app_context():
        *_, rows, columns = page.render_series(view(compare=["450100"], lang="en"))
    assert [c["headerName"] for c in columns] == ["Period", "Liuzhou", "Nanning", "Published", "Status"]
    latest = repo.read_observations(app.server.config["ECONBRAIN_CONTEXT"].engine, "retail_sales", LIUZHOU)
    newest = latest.loc[latest["period"].idxmax()]
    assert rows[0]["period"] == newest["period"]
    assert rows[0][LIUZHOU] == pytest.approx(round(newest["value"], 2))


def test_downloads(app, page):
    assert page.export_csv(1) is True
    assert page.export_xlsx(None, view()) is no_update
    with app.server.app_context():
        sent = page.export_xlsx(1, view(transform="yoy", lang="en"))
    assert sent["filename"] == "retail_sales_450200_yoy.xlsx"  # named after the view shown
    ws = load_workbook(io.BytesIO(base64.b64decode(sent["content"]))).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Liuzhou" in values and "Year on year" in values and "%" in values


def test_callbacks_are_registered_on_the_app(app):
    outputs = [cb["output"] for cb in app._callback_list]
    assert "indicator-download.data" in outputs and "indicator-grid.exportDataAsCsv" in outputs
    assert any(o.startswith("_pages_location.search@") for o in outputs)
