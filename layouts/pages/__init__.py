"""Dash pages: one module per page, each ``register_page(...)``, a ``layout(**params)`` and, when it
has callbacks, ``register_callbacks(app)`` (called by ``layouts.shell.build_app``)."""
