"""The assembled app on temporary databases, through the Flask test client: every page renders,
nothing is loaded from off the server, and two apps in one process each show their own data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from app import create_app
from layouts import i18n
from layouts.ids import Gdp
from layouts.shell import ASSETS_FOLDER, CONTEXT_KEY
from settings import Settings
from storage import repository as repo

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
URL = re.compile(r"""https?://([^/\s"'()<>\\]+)""", re.I)


@pytest.fixture(scope="session")
def demo_url(request, tmp_path_factory) -> str:
    """The session's demo database (tests/conftest.py builds it once), or our own without it."""
    try:
        return request.getfixturevalue("demo_database_url")
    except pytest.FixtureLookupError:
        from data.demo import build_demo

        url = f"sqlite:///{tmp_path_factory.mktemp('app-demo') / 'demo.sqlite'}"
        build_demo(Settings(database_url=url), progress=False)
        return url


@pytest.fixture(scope="session")
def small_demo_url(tmp_path_factory) -> str:
    """A second, different database: a short demo span ending in 2022Q2."""
    from data.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('app-small') / 'small.sqlite'}"
    build_demo(Settings(database_url=url, demo_start="2021-01", demo_end="2022-06"), progress=False)
    return url


@pytest.fixture(scope="module")
def app(demo_url):
    return create_app(Settings(database_url=demo_url))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def page_routes(app) -> list[str]:
    ctx = app.server.config[CONTEXT_KEY]
    return [
        "/", "/?lang=en", "/gdp", "/gdp?lang=en", "/gdp?period=2020Q2", "/gdp?period=nonsense",
        *(f"/domain/{g.code}" for g in ctx.catalog.domains),
        *(f"/topic/{g.code}" for g in ctx.catalog.topics),
        *(f"/system/{code}" for code in i18n.SYSTEMS),
        "/domain/gdp?lang=en", "/system/forecast?lang=en", "/domain/unknown", "/no/such/page",
    ]


class Router:
    """Drives Dash's page router the way the browser does: pathname + search → page layout."""

    def __init__(self, client):
        self.client = client
        client.get("/")  # the router callback is registered on the first request
        deps = client.get("/_dash-dependencies").get_json()
        self.dep = next(d for d in deps if "_pages_content.children" in d["output"])

    def render(self, path: str, shown: dict | None = None, changed: str = "pathname") -> tuple[int, str]:
        """The router's answer for ``path``; ``shown`` is the shell's record of what the page on show
        displays (layouts/in_place.py), ``changed`` the location property that changed."""
        parsed = urlparse(path)
        search = f"?{parsed.query}" if parsed.query else ""
        body = {
            "output": self.dep["output"],
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": parsed.path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": [f"_pages_location.{changed}"],
            "state": [{"id": "shell-shown", "property": "data", "value": shown}],
        }
        response = self.client.post("/_dash-update-component", json=body)
        if response.status_code != 200:
            return response.status_code, response.get_data(as_text=True)
        # compact JSON with the Chinese unescaped, so tests can look for labels and values
        return 200, json.dumps(response.get_json(), ensure_ascii=False, separators=(",", ":"))

    def callback(self, output: str, outputs, inputs) -> dict:
        body = {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": [], "state": []}
        response = self.client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response.get_json()["response"]


def test_every_page_route_is_served(app, client):
    for path in page_routes(app):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "经济调节大脑 EconBrain" in response.get_data(as_text=True)


def test_every_page_layout_renders_with_the_demo_banner(app, client):
    router = Router(client)
    for path in page_routes(app):
        status, body = router.render(path)
        assert status == 200, (path, body[:300])
        assert "Demo data" in body, path


def test_pages_say_what_is_not_built_and_list_the_catalog(app, client):
    router = Router(client)
    ctx = app.server.config[CONTEXT_KEY]
    status, body = router.render("/domain/industry")
    assert status == 200
    assert "主要指标" in body  # the domain page is built: key indicators, then the catalog
    for ind in ctx.catalog.in_group("industry"):
        assert f'"{ind.code}"' in body
    _, body = router.render("/system/chains?lang=en")
    assert "Not built yet: this page comes in a later release." in body
    _, body = router.render("/domain/gdp")
    assert '"/gdp"' in body  # the built page is linked from its domain


def test_home_lists_the_systems_domains_and_catalog_topics(app, client):
    router = Router(client)
    ctx = app.server.config[CONTEXT_KEY]
    _, body = router.render("/?lang=en")
    for code in i18n.SYSTEMS:
        assert f'"/system/{code}?lang=en"' in body
    for g in ctx.catalog.domains:
        assert g.name_en in body
    for g in ctx.catalog.topics:
        assert f'"/topic/{g.code}?lang=en"' in body
    assert '"/gdp?lang=en"' in body


def test_the_gdp_page_takes_its_view_from_the_url(client):
    router = Router(client)
    _, body = router.render("/gdp?period=2020Q2&lang=en")
    assert '"period":"2020Q2"' in body and '"lang":"en"' in body
    _, body = router.render("/gdp?period=nonsense")
    assert i18n.t("gdp_quarter_unknown", "zh") in body


def test_a_view_changed_in_place_is_not_rebuilt_by_the_router(client):
    """A page that applied its control itself records the URL it shows; the router then leaves the
    page standing. Another query, another path or language, or a new pathname rebuild it."""
    router = Router(client)
    path = "/indicator/retail_sales"
    shown = {"path": path, "query": {"region": "450200", "transform": "yoy"}}

    def rebuilt(url, shown_now, changed="search"):
        status, body = router.render(url, shown=shown_now, changed=changed)
        assert status == 200, body[:300]
        return '"_pages_content"' in body and '"indicator-view"' in body

    assert not rebuilt(f"{path}?region=450200&transform=yoy", shown)
    assert not rebuilt(f"{path}?transform=yoy&region=450200", shown)  # the same query in another order
    assert rebuilt(f"{path}?region=450200&transform=yoy", shown, changed="pathname")  # came from another page
    assert rebuilt(f"{path}?region=450200", shown)  # Back to a view the page does not show
    assert rebuilt(f"{path}?region=450200&transform=yoy&lang=en", shown)  # the language switch
    assert rebuilt(f"{path}?region=450200&transform=yoy", {**shown, "path": "/indicator/gdp"})
    assert rebuilt(f"{path}?region=450200&transform=yoy", None)


def test_graphs_get_the_partial_plotly_bundle(client):
    """Dash's address for plotly.js answers with the app's partial bundle, revalidated by ETag."""
    from layouts import plotly_bundle

    response = client.get("/" + plotly_bundle.DASH_PATH)
    assert response.status_code == 200 and response.mimetype == "application/javascript"
    assert response.data == plotly_bundle.BUNDLE.read_bytes()
    assert b"partial bundle" in response.data[:300]
    again = client.get("/" + plotly_bundle.DASH_PATH, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # the bundle and its build recipe are not included in pages as assets
    assert "vendor/plotly" not in client.get("/").get_data(as_text=True)


def test_dash_layout_and_dependencies(client):
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/_dash-layout").get_json()["props"]["children"]
    deps = client.get("/_dash-dependencies").get_json()
    assert any(Gdp.KPIS in d["output"] for d in deps)


def _off_server_hosts(text: str) -> set[str]:
    return {m.group(1).split(":")[0] for m in URL.finditer(text)} - LOCAL_HOSTS


def _fetchable_css(text: str) -> str:
    # What a browser may fetch from CSS: comments and data: URIs (whose SVG carries an XML namespace
    # such as http://www.w3.org/2000/svg, an identifier, never requested) are not fetched.
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"""url\(\s*["']?data:[^)]*\)""", "url()", text)


def test_nothing_is_loaded_from_off_the_server(app, client):
    html = client.get("/gdp").get_data(as_text=True)
    assert _off_server_hosts(html) == set()
    referenced = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert referenced and all(urlparse(u).netloc in ("", *LOCAL_HOSTS) for u in referenced), referenced
    for url in referenced:  # every script and stylesheet is served by the app itself
        assert client.get(url).status_code == 200, url
    assert not app.config.external_scripts
    css_files = sorted(Path(ASSETS_FOLDER).glob("**/*.css"))
    assert {p.name for p in css_files} >= {"econbrain.css", "bootstrap.min.css"}
    for path in css_files:
        served = client.get("/assets/" + path.relative_to(ASSETS_FOLDER).as_posix())
        assert served.status_code == 200
        assert _off_server_hosts(_fetchable_css(served.get_data(as_text=True))) == set(), path
    own = (Path(ASSETS_FOLDER) / "econbrain.css").read_text(encoding="utf-8")
    assert _off_server_hosts(own) == set()  # our own stylesheet names no host at all, comments included
    assert "@import" not in own


def test_a_second_app_on_another_database_shows_its_own_data(app, client, small_demo_url):
    other = create_app(Settings(database_url=small_demo_url))
    other_client = other.server.test_client()
    engines = {"big": app.server.config[CONTEXT_KEY].engine, "small": other.server.config[CONTEXT_KEY].engine}
    latest = {k: repo.read_observations(e, "gdp", "450000")["period"].max() for k, e in engines.items()}
    assert latest["small"] == "2022Q2" and latest["big"] > latest["small"]

    for name, c in (("big", client), ("small", other_client), ("big", client)):  # interleaved requests
        router = Router(c)
        _, body = router.render("/gdp")
        assert f'"period":"{latest[name]}"' in body, name
        response = router.callback(
            f"{Gdp.KPIS}.children", {"id": Gdp.KPIS, "property": "children"},
            [{"id": Gdp.VIEW, "property": "data", "value": {"period": latest[name], "lang": "zh"}}],
        )
        value = repo.read_observations(engines[name], "gdp", "450000", start=latest[name], end=latest[name])
        value = value[value["period"] == latest[name]]["value"].iloc[0]
        assert f"{value:.2f}" in str(response), name
    # the same quarter differs between the two stores, and each app answers from its own
    own = {name: repo.read_observations(e, "gdp", "450000", start="2022Q2", end="2022Q2")["value"].iloc[-1]
           for name, e in engines.items()}
    assert f"{own['big']:.2f}" != f"{own['small']:.2f}"
    for name, c in (("big", client), ("small", other_client)):
        response = Router(c).callback(
            f"{Gdp.KPIS}.children", {"id": Gdp.KPIS, "property": "children"},
            [{"id": Gdp.VIEW, "property": "data", "value": {"period": "2022Q2", "lang": "zh"}}],
        )
        assert f"{own[name]:.2f}" in str(response), name


def test_an_empty_database_serves_every_page_without_data_or_banner(tmp_path):
    empty = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite'}"))
    router = Router(empty.server.test_client())
    for path in page_routes(empty):
        status, body = router.render(path)
        assert status == 200, (path, body[:300])
        assert "Demo data" not in body, path
    _, body = router.render("/gdp")
    assert i18n.t("gdp_no_data", "zh") in body
    with empty.server.app_context():
        import layouts.pages.gdp as gdp_page

        map_fig, bar_fig, table = gdp_page.render_cities({"period": None, "lang": "zh"})
        assert gdp_page.render_trend({"period": None, "lang": "en"}).data == ()
