"""The Dash app: pages, assets served locally, and the Context every page and callback reads.

The Context (settings, engine, catalog, regions, viewer) lives on the Flask server of the app
(``server.config["ECONBRAIN_CONTEXT"]``); layouts and callbacks reach it with
:func:`current_context`, which reads the app handling the current request. So two apps built in
one process on two databases (as the tests do) each see their own data, and no callback keeps
state in a module global.

Dash's page registry and its ``dash.callback`` list are process globals; page modules therefore
do not use ``dash.callback`` but expose ``register_callbacks(app)``, which :func:`build_app`
calls on the app being built.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dash
import flask
from dash import html

from layouts import in_place, plotly_bundle

from services.context import Context, open_context
from settings import Settings

CONTEXT_KEY = "ECONBRAIN_CONTEXT"
ROOT = Path(__file__).resolve().parents[1]
ASSETS_FOLDER = ROOT / "assets"
PAGES_FOLDER = Path(__file__).resolve().parent / "pages"
TITLE = "经济调节大脑 EconBrain"
# Bootstrap is linked first so econbrain.css (auto-included from assets/) overrides it.
BOOTSTRAP = "vendor/bootstrap.min.css"

INDEX = """<!DOCTYPE html>
<html lang="zh-CN">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def current_context() -> Context:
    """The Context of the app serving the current request (layouts and callbacks)."""
    return flask.current_app.config[CONTEXT_KEY]


def build_app(settings: Settings, context: Context | None = None) -> dash.Dash:
    ctx = context or open_context(settings)
    if ctx.cache is None:
        from services.cache import make_cache

        ctx.cache = make_cache(settings.cache_url)
    app = dash.Dash(
        "layouts",  # the package name: page modules are imported as layouts.pages.<name>
        use_pages=True,
        pages_folder=str(PAGES_FOLDER),
        assets_folder=str(ASSETS_FOLDER),
        assets_ignore=r"^bootstrap\.min\.css$",
        assets_path_ignore=[r"^plotly$"],  # the plotly.js bundle is served in Dash's place (plotly_bundle)
        external_stylesheets=[f"/assets/{BOOTSTRAP}"],
        serve_locally=True,
        include_pages_meta=False,
        suppress_callback_exceptions=True,  # page components exist only while their page is shown
        title=TITLE,
        update_title=None,
        index_string=INDEX,
        routing_callback_inputs=in_place.routing_inputs(),
    )
    app.layout = html.Div([dash.page_container, in_place.store()])
    plotly_bundle.serve(app)
    app.server.config[CONTEXT_KEY] = ctx
    app.server.secret_key = settings.secret_key
    for page in dash.page_registry.values():
        module = sys.modules.get(page["module"])
        register = getattr(module, "register_callbacks", None)
        if register is not None:
            register(app)
    return app
