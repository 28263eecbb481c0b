"""Read-only markup drawn by one component: a table that is redrawn on every control change.

Each Dash component costs the browser a wrapper of its own (store subscriptions, prop checks,
layout paths); a sub-region table of 14 rows is about 190 of them and Dash's renderer was most of
the time an indicator change took. The same table as markup is one ``dcc.Markdown`` whose HTML is
parsed into plain React elements (react-jsx-parser). Links are ``<dccLink>`` elements, so they
navigate inside the app as ``dcc.Link`` does. Text and attribute values are escaped here, braces
included (the parser reads ``{…}`` as an expression); it drops ``on…`` attributes and scripts itself.
"""

from __future__ import annotations

from dash import dcc
from markupsafe import Markup, escape


def text(value) -> Markup:
    """Text or an attribute value, safe in the parser's HTML."""
    return Markup(str(escape("" if value is None else value)).replace("{", "&#123;").replace("}", "&#125;"))


def el(tag: str, *children, **attrs) -> Markup:
    """``<tag attr="…">children</tag>``: ``class_`` is written ``class``, ``data_x`` is ``data-x``;
    attributes that are None are left out; children already Markup are kept, others escaped."""
    parts = [tag]
    for name, value in attrs.items():
        if value is None:
            continue
        name = "class" if name == "class_" else name.replace("_", "-")
        parts.append(f'{name}="{text(value)}"')
    inner = "".join(child if isinstance(child, Markup) else text(child) for child in children if child is not None)
    return Markup(f"<{' '.join(parts)}>{inner}</{tag}>")


def link(href: str, label, class_=None) -> Markup:
    """An in-app link (``dcc.Link``: no page reload)."""
    return el("dccLink", label, href=href, className=class_)


def block(markup: Markup, class_name: str | None = None) -> dcc.Markdown:
    """The markup as one component. It must stay on one line: a blank line would end the HTML block."""
    return dcc.Markdown(str(markup).replace("\n", " "), dangerously_allow_html=True, dedent=False,
                        className=class_name)
