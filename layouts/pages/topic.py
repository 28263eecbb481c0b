"""One page per special topic (/topic/<code>), listed from the catalog's topic files."""

from __future__ import annotations

import dash

from layouts import i18n
from layouts.pages._catalog import group_body, not_found
from layouts.shell import TITLE, current_context


def title(code=None, **_params) -> str:
    group = current_context().catalog.groups.get(code or "")
    return f"{group.name_zh} {group.name_en} · {TITLE}" if group is not None and group.kind == "topic" else TITLE


dash.register_page(__name__, path_template="/topic/<code>", name="topic", title=title)


def layout(code=None, lang=None, **_params):
    ctx = current_context()
    lang = i18n.resolve(lang, ctx.settings.language)
    group = ctx.catalog.groups.get(code or "")
    if group is None or group.kind != "topic":
        return not_found(ctx, lang, f"/topic/{code}")
    return group_body(ctx, group, lang, f"/topic/{code}")
