"""Views that change in place: a drill-down control redraws the page's figures without a rebuild.

Every view is a URL. A page's controls write their state into the query of Dash pages' own
location, so links can be shared and Back works, and the router builds a page from its URL.
Rebuilding the whole page on each control change costs a round trip for the layout and a remount
of every component (the grid, the date picker, the charts) before the page's own callbacks start;
for an analyst switching regions that is most of the wait.

So a page that can apply a new view itself (its control callback updates the page's view store and
the few labels that depend on it) also records in the shell's ``shown`` store the URL it now shows.
The router passes that store to every layout; when only the query changed and the page already
shows exactly that query, the layout answers :data:`dash.no_update` and the page stays. Any other
change of the URL — another page, another language, Back or Forward to a view the page does not
show, a typed or shared link — still rebuilds the page from the URL, so the URL stays the one
source of the view.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import ClientsideFunction, Input, Output, State, dcc

from layouts.ids import Shell

PATHNAME = f"{Shell.LOCATION}.pathname"


def shown(path: str, query: dict) -> dict:
    """What the shell's store records for a page: its path and its query without empty values
    (strings, as the router parses them from the URL)."""
    return {"path": path, "query": {k: str(v) for k, v in sorted(query.items()) if v not in (None, "")}}


def url_record(path: str, query: dict, lang: str, default_lang: str) -> dict:
    """The part of a page's view store that names its URL: the query string for the location and
    the record for the shell's store (the language is in the query unless it is the default)."""
    full = {**query, "lang": lang if lang != default_lang else None}
    search = urlencode({k: v for k, v in full.items() if v not in (None, "")})
    return {"search": f"?{search}" if search else "", "shown": shown(path, full)}


def store() -> dcc.Store:
    """The shell's store (in the app layout, outside the page content, so it outlives pages)."""
    return dcc.Store(id=Shell.SHOWN)


def routing_inputs() -> dict:
    """Extra inputs of Dash pages' router: every layout receives ``shown``."""
    return {"shown": State(Shell.SHOWN, "data")}


def already_shown(path: str, query: dict, shown_now: dict | None) -> bool:
    """True when the router was called only because the page at ``path`` wrote the query it already
    shows: the pathname did not change, and the store holds this very path and query."""
    if not shown_now:
        return False
    try:
        triggered = set(dash.callback_context.triggered_prop_ids)
    except Exception:  # noqa: BLE001 - a layout built outside a callback (tests, validation) is new
        return False
    if not triggered or PATHNAME in triggered:
        return False
    return shown_now == shown(path, query)


def register_url_sync(app: dash.Dash, view_store: str) -> None:
    """Whenever the page's view store changes — built with the page or changed in place — write its
    URL into the location (when it differs) and its record into the shell's store, in the browser.
    Both land before the router runs, so the router sees that the page already shows the new URL."""
    app.clientside_callback(ClientsideFunction("ebInPlace", "url"),
                            Output(Shell.LOCATION, "search", allow_duplicate=True),
                            Output(Shell.SHOWN, "data", allow_duplicate=True),
                            Input(view_store, "data"), prevent_initial_call="initial_duplicate")
