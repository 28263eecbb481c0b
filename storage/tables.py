"""Tables of the observation store.

Observations follow the ALFRED model: a value is identified by (series, period, realtime_start)
and is never updated; a revision is a new row with a later ``realtime_start``. "Latest" and "as
known on date D" are queries over the same rows.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

regions = Table(
    "regions", metadata,
    Column("adcode", String(6), primary_key=True),
    Column("name_zh", String(64), nullable=False),
    Column("short_zh", String(32), nullable=False),
    Column("name_en", String(96), nullable=False),
    Column("level", String(10), nullable=False),
    Column("parent", String(6)),
    Column("peer", Boolean, nullable=False, default=False),
    Column("sort_order", Integer, nullable=False, default=0),
)

indicators = Table(
    "indicators", metadata,
    Column("code", String(64), primary_key=True),
    Column("name_zh", String(128), nullable=False),
    Column("name_en", String(200), nullable=False),
    Column("domain", String(32), nullable=False, index=True),
    Column("topic", String(32)),
    Column("unit", String(32), nullable=False),
    Column("frequency", String(1), nullable=False),
    Column("publication", String(12), nullable=False),
    Column("measure", String(8), nullable=False),
    Column("source_unit", String(64), nullable=False),
    Column("release_lag_days", Integer, nullable=False),
    Column("decimals", Integer, nullable=False),
    Column("spec", JSON, nullable=False),  # the full catalog record, for traceability
    Column("active", Boolean, nullable=False, default=True),  # False once removed from the catalog
)

series = Table(
    "series", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", String(64), ForeignKey("indicators.code"), nullable=False),
    Column("region", String(6), ForeignKey("regions.adcode"), nullable=False),
    UniqueConstraint("indicator", "region", name="uq_series_indicator_region"),
    Index("ix_series_region", "region"),
)

import_batches = Table(
    "import_batches", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("format", String(16), nullable=False),
    Column("source_unit", String(64)),
    Column("submitted_by", String(64), nullable=False),
    Column("submitted_at", DateTime, nullable=False),
    Column("vintage", DateTime, nullable=False),
    Column("status", String(12), nullable=False),  # loaded | unchanged | rejected
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_loaded", Integer, nullable=False, default=0),
    Column("rows_unchanged", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("warnings", JSON, nullable=False, default=list),
)

# No foreign keys on observations: the repository writes a batch's series, batch record and rows in
# one transaction, and per-row key checks cost PostgreSQL five times its bulk-load throughput
# (bench/RESULTS.md). ``repository.orphan_observations`` checks the references instead.
observations = Table(
    "observations", metadata,
    Column("series_id", Integer, primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("realtime_start", DateTime, primary_key=True),
    Column("value", Float, nullable=False),
    Column("batch_id", Integer, nullable=False),
    Column("status", String(10), nullable=False, default="ok"),  # ok | late | suspect
    sqlite_with_rowid=False,
)

rejected_rows = Table(
    "rejected_rows", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("import_batches.id"), nullable=False, index=True),
    Column("row_number", Integer),
    Column("column_name", String(64)),
    Column("found", Text),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
)

series_mappings = Table(
    "series_mappings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(8), nullable=False),  # wind | nbs
    Column("external_id", String(32)),
    Column("external_name", String(255), nullable=False),
    Column("indicator", String(64), ForeignKey("indicators.code"), nullable=False),
    Column("region", String(6)),
    Column("unit", String(32)),
    Column("scale", Float, nullable=False, default=1.0),
    Column("origin", String(8), nullable=False, default="shipped"),  # shipped | user
    UniqueConstraint("source", "external_name", "external_id", name="uq_series_mappings_key"),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(255)),
    Column("detail", JSON),
)

store_meta = Table(
    "store_meta", metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Text, nullable=False),
)
