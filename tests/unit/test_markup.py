"""Read-only views as one block of markup (layouts/markup.py): what the browser's parser gets."""

from __future__ import annotations

import pytest
from dash import dcc, html

from layouts import markup as m


def test_a_view_becomes_one_line_of_html_with_its_classes_and_data():
    view = html.Div([html.Span("柳州", className="eb-city", title="柳州市"), html.Td("6.5", **{"data-value": "6.5"})],
                    className="rg-tile", **{"data-domain": "gdp", "aria-label": "GDP"})
    out = str(m.markup(view))
    assert out == ('<div aria-label="GDP" className="rg-tile" data-domain="gdp"><span className="eb-city" '
                   'title="柳州市">柳州</span><td data-value="6.5">6.5</td></div>')  # attributes in name order


def test_text_and_attributes_are_escaped_braces_included():
    out = str(m.markup(html.P(['a < b & "c"', " {x}\n"], title='say "{hi}"')))
    assert "<b" not in out.replace("<p", "") and "&lt; b &amp; &#34;c&#34;" in out
    assert "{" not in out and "}" not in out and "&#123;x&#125;" in out  # the parser reads {…} as code
    assert "\n" not in out  # one line: a blank line would end Markdown's HTML block


def test_links_stay_inside_the_app():
    out = str(m.markup(dcc.Link("柳南区", href="/region/450204?indicator=gdp&lang=en", className="eb-city")))
    assert out == '<dccLink className="eb-city" href="/region/450204?indicator=gdp&amp;lang=en">柳南区</dccLink>'


def test_the_block_is_one_markdown_component_that_allows_html():
    block = m.static([html.Div("a"), None, html.Div(7)], "rg-domain-grid")
    assert isinstance(block, dcc.Markdown) and block.dangerously_allow_html and block.className == "eb-markup"
    # one HTML block, whatever the view starts with: a root element that carries the class
    assert block.children == '<div className="rg-domain-grid"><div>a</div><div>7</div></div>'
    assert m.static(dcc.Link("a", href="/")).children == '<div><dccLink href="/">a</dccLink></div>'


def test_inline_styles_go_as_css_text_in_name_order():
    out = str(m.markup(html.Span(style={"width": "63%", "animationDuration": "20s"}, className="sc-rank-bar")))
    assert out == '<span className="sc-rank-bar" style="animation-duration: 20s; width: 63%"></span>'


@pytest.mark.parametrize("view", [html.Div(dcc.Graph(id="x")), html.Div("a", style={"width": 40})])
def test_what_cannot_be_static_is_refused(view):
    with pytest.raises((TypeError, ValueError)):
        m.markup(view)
