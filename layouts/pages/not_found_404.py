"""Any address without a page: say so in the user's language and offer the way back."""

from __future__ import annotations

import dash

from layouts import i18n
from layouts.pages._catalog import not_found
from layouts.shell import TITLE, current_context

dash.register_page(__name__, path="/404", name="not found", title=TITLE)


def layout(lang=None, **_params):
    ctx = current_context()
    return not_found(ctx, i18n.resolve(lang, ctx.settings.language), "/404")
