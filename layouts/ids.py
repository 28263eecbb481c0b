"""Component ids, one namespace per page, so layouts, callbacks and tests share one spelling."""

from __future__ import annotations


class Shell:
    # Dash pages' own location component (dash.dash._ID_LOCATION); page callbacks write the
    # view state into its ``search`` so that every view is a URL.
    LOCATION = "_pages_location"
    CONTENT = "_pages_content"
    NAVBAR = "shell-navbar"
    DEMO_BANNER = "shell-demo-banner"
    LANG_SWITCH = "shell-lang-switch"
    REFRESH_NOTICE = "shell-refresh-notice"
    SHOWN = "shell-shown"  # dcc.Store: the path and query the page on show displays (layouts/in_place.py)


class Home:
    SYSTEMS = "home-systems"
    DOMAINS = "home-domains"
    TOPICS = "home-topics"
    LATEST = "home-latest"


class Catalog:
    """The domain, topic and system pages (catalog listings and "not built yet" panels)."""

    NOT_BUILT = "catalog-not-built"
    TABLE = "catalog-indicators"


class Gdp:
    QUARTER = "gdp-quarter"
    VIEW = "gdp-view"  # dcc.Store: the view state read from the URL (period, lang)
    KPIS = "gdp-kpis"
    TREND = "gdp-trend"
    MAP = "gdp-map"
    CITY_BAR = "gdp-city-bar"
    CITY_TABLE = "gdp-city-table"
    NOTICE = "gdp-notice"
