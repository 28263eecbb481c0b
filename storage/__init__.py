"""Persistence: engine, tables, vintage-aware repositories and Alembic migrations."""
