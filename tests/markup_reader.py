"""Panels sent as markup (layouts/markup.py), read back for the callback tests: elements with their
attributes (``className``, ``data-…``) and children, so a test walks them as it walks components."""

from __future__ import annotations

from html.parser import HTMLParser

from dash import dcc


class Element:
    """An element of a panel sent as markup (layouts/markup.py), read back: its attributes as
    attributes (``className``, ``data-…``) and its children, like a component's."""

    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children = tag, attrs, []

    def __getattr__(self, name):
        try:
            return self.__dict__["attrs"][name]
        except KeyError:
            raise AttributeError(name) from None


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        # the parser lowers attribute names: className and the like get their case back
        element = Element(tag, {("className" if k == "classname" else k): v or "" for k, v in attrs})
        self.open[-1].children.append(element)
        self.open.append(element)

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        self.open[-1].children.append(data)


def read(node):
    """A panel as a tree: markup is read back into elements, components stay as they are."""
    if isinstance(node, dcc.Markdown):
        reader = _Reader()
        reader.feed(node.children)
        return reader.root.children
    return node
