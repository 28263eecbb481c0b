"""The plotly.js the browser runs: a partial bundle with only the trace types the figures draw.

Dash's graphs load plotly.js lazily, when the first graph mounts, from
``_dash-component-suites/plotly/package_data/plotly.min.js`` — the full 4.8 MB bundle that ships
with the plotly package. Evaluating it costs about a second on two cores before any chart can
draw, most of it for trace types EconBrain never uses (3D, WebGL, geo, sankey …). The app serves
its own build at that address instead (``assets/vendor/plotly``, plotly.js of the same version,
built by the recipe beside it), which loads in about a third of the time; nothing else changes.
The Python figures and the report charts (kaleido) are untouched.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import dash
import flask

BUNDLE = Path(__file__).resolve().parents[1] / "assets" / "vendor" / "plotly" / "plotly-econbrain.min.js"
# what figures/ may draw; tests/unit/test_plotly_bundle.py checks the figure modules against it
TRACES = ("scatter", "bar", "heatmap", "indicator", "waterfall")
DASH_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"
VERSION = re.compile(rb"plotly\.js v(\d+\.\d+\.\d+)")


def bundle_version(data: bytes) -> str | None:
    """The plotly.js version named in a bundle's banner."""
    found = VERSION.search(data[:400])
    return found.group(1).decode() if found else None


def serve(app: dash.Dash) -> None:
    """Answer Dash's plotly.js address with the partial bundle (a static rule outranks Dash's
    ``<package>/<path>`` rule); revalidated by ETag like Dash's own unfingerprinted files."""
    data = BUNDLE.read_bytes()
    etag = hashlib.sha256(data).hexdigest()[:32]

    def plotly_js():
        if etag in flask.request.if_none_match:
            return flask.Response(status=304)
        response = flask.Response(data, mimetype="application/javascript")
        response.set_etag(etag)
        return response

    app.server.add_url_rule(f"{app.config.requests_pathname_prefix}{DASH_PATH}", "econbrain_plotly_js", plotly_js)
