"""Read-only views drawn by one component: tables and tiles that a control change redraws.

Each Dash component costs the browser a wrapper of its own, and Dash runs every wrapper's store
selector on every store update — a dozen per callback. A region page held ~230 components and
Dash's renderer was most of the time an indicator change took. A view that is only read (no ids,
no callbacks on its parts) can be written with the usual ``html`` components and ``dcc.Link`` and
sent as one ``dcc.Markdown`` instead: ``static(view)`` turns the tree into HTML that the browser
parses into plain React elements (react-jsx-parser). Links become ``<dccLink>``, which navigates
inside the app as ``dcc.Link`` does. Text and attribute values are escaped here, braces included
(the parser reads ``{…}`` as an expression); the parser itself drops ``on…`` attributes and scripts.
Inline styles go as CSS text; a wrapper that must not take part in the layout takes ``eb-contents``.
"""

from __future__ import annotations

import re

from dash import dcc, html
from dash.development.base_component import Component
from markupsafe import Markup, escape

# props Dash adds for its own bookkeeping: meaningless in static markup
_SKIPPED = {"n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "key"}


def static(view, class_name: str | None = None) -> dcc.Markdown:
    """A view of ``html`` components and ``dcc.Link`` as one component, inside a ``<div>`` that takes
    ``class_name`` (e.g. the grid its tiles sit in). The block's root must be such an element for
    Markdown to read it as HTML; Markdown's own wrapper (``eb-markup``) takes no part in the layout."""
    return dcc.Markdown(str(markup(html.Div(view, className=class_name))), dangerously_allow_html=True,
                        dedent=False, className="eb-markup")


def markup(node) -> Markup:
    """The HTML of a view. One line, so that Markdown reads it as one HTML block (a blank line would
    end it)."""
    if node is None or node is False:
        return Markup("")
    if isinstance(node, (list, tuple)):
        return Markup("").join(markup(child) for child in node)
    if not isinstance(node, Component):
        return text(node)
    props = node.to_plotly_json()["props"]
    if isinstance(node, dcc.Link):
        tag = "dccLink"
    elif type(node).__module__.startswith("dash.html"):
        tag = type(node).__name__.lower()
    else:
        raise TypeError(f"{type(node).__name__} has behaviour of its own: it cannot be static markup")
    if "style" in props:
        props = {**props, "style": style(props["style"])}
    # in name order: the same view is the same text (Dash keeps data-/aria- props in no fixed order)
    attrs = "".join(f' {name}="{text(value)}"' for name, value in sorted(props.items())
                    if name != "children" and name not in _SKIPPED and value is not None)
    return Markup(f"<{tag}{attrs}>{markup(props.get('children'))}</{tag}>")


def style(rules: dict) -> str:
    """An inline style as CSS text (``{"animationDuration": "20s"}`` → ``animation-duration: 20s``),
    which the parser turns back into React's style object. Values are strings with their unit: React
    would add ``px`` to some bare numbers and not to others."""
    out = []
    for name, value in sorted(rules.items()):
        if not isinstance(value, str):
            raise ValueError(f"style {name}: give the value as text with its unit, not {value!r}")
        out.append(f"{re.sub(r'([A-Z])', lambda c: '-' + c.group(1).lower(), name)}: {value}")
    return "; ".join(out)


def text(value) -> Markup:
    """Text or an attribute value, safe in the parser's HTML."""
    return Markup(str(escape(str(value))).replace("{", "&#123;").replace("}", "&#125;").replace("\n", " "))
