"""The partial plotly.js bundle the app serves in place of the full one: the same plotly.js version
as the plotly package's, and every trace type the figure modules draw is in it."""

from __future__ import annotations

import re
from pathlib import Path

import plotly

from layouts import plotly_bundle

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "assets" / "vendor" / "plotly" / "build" / "entry.js"
FULL = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# go.Bar(…), go.Choroplethmap(…), fig.add_scatter(…), fig.add_bar(…)
TRACE_USE = re.compile(r"\bgo\.([A-Z][a-z]+)\(|\.add_([a-z]+)\(")


def test_the_bundle_is_the_plotly_js_of_the_plotly_package():
    full = plotly_bundle.bundle_version(FULL.read_bytes())
    assert full is not None
    assert plotly_bundle.bundle_version(plotly_bundle.BUNDLE.read_bytes()) == full, (
        "plotly was upgraded: rebuild assets/vendor/plotly (see its README) for plotly.js " + full)


def test_every_trace_type_the_figures_draw_is_in_the_bundle():
    used = set()
    for path in [*(ROOT / "figures").glob("*.py"), *(ROOT / "layouts").rglob("*.py")]:
        for go_name, added in TRACE_USE.findall(path.read_text(encoding="utf-8")):
            name = (go_name or added).lower()
            if name not in ("figure", "layout", "annotation", "shape", "hline", "vline", "hrect", "vrect", "trace",
                            "traces", "layout_image"):
                used.add(name)
    assert used, "no trace types found: the pattern no longer matches the figure code"
    assert used <= set(plotly_bundle.TRACES), f"not in the bundle: {used - set(plotly_bundle.TRACES)}"
    # the recipe registers exactly these (scatter is part of plotly.js's core)
    registered = set(re.findall(r"plotly\.js/lib/([a-z]+)'", ENTRY.read_text(encoding="utf-8"))) - {"core"}
    assert registered | {"scatter"} == set(plotly_bundle.TRACES)


def test_the_bundle_names_no_content_delivery_network():
    """Nothing may be fetched at run time: the recipe (build/bundle.js) points plotly.js's one CDN
    default, the geo traces' topojson, at the app's own server, and the build fails if any is left."""
    text = plotly_bundle.BUNDLE.read_text(encoding="utf-8")
    assert not re.search(r"cdn\.|unpkg\.com|jsdelivr|cdnjs", text)
    assert 'dflt:"/assets/vendor/plotly/no-topojson/"' in text
