"""Tables of the observation store.

Observations follow the ALFRED model: a value is identified by (series, period, realtime_start)
and is never updated; a revision is a new row with a later ``realtime_start``. "Latest" and "as
known on date D" are queries over the same rows.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
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


# --- analytics results (written by ``python app.py refresh``, read by pages and reports) ---------
# Results are keyed by (indicator, region) rather than series_id so that a result survives a
# rebuild of the observation store; each refresh replaces the rows of the subject it recomputed.

targets = Table(
    "targets", metadata,
    Column("indicator", String(64), primary_key=True),
    Column("region", String(6), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("target", Float, nullable=False),
    Column("basis", String(8), nullable=False),  # growth (% over last year) | level (in the unit)
    Column("direction", String(8), nullable=False, default="at_least"),  # at_least | at_most (a ceiling: CPI)
    Column("aggregation", String(4), nullable=False, default="sum"),  # sum (flows) | mean (rates over the year)
    Column("note", Text),
    Column("origin", String(8), nullable=False, default="user"),  # demo | user
)

adjusted_series = Table(
    "adjusted_series", metadata,
    Column("indicator", String(64), primary_key=True),
    Column("region", String(6), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("observed", Float),
    Column("seasonally_adjusted", Float),
    Column("trend", Float),
    Column("seasonal", Float),
    Column("irregular", Float),
    Column("method", String(8), nullable=False),  # x13 | stl
    sqlite_with_rowid=False,
)

forecasts = Table(
    "forecasts", metadata,
    Column("indicator", String(64), primary_key=True),
    Column("region", String(6), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("mean", Float, nullable=False),
    Column("lower_80", Float), Column("upper_80", Float),
    Column("lower_95", Float), Column("upper_95", Float),
    Column("origin", String(10), nullable=False),  # the last observed period the forecast starts from
    sqlite_with_rowid=False,
)

signals = Table(
    "signals", metadata,
    Column("indicator", String(64), primary_key=True),
    Column("region", String(6), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("value", Float),
    Column("zone", Integer, nullable=False),  # 1 过冷 … 5 过热
    Column("score", Float),
    sqlite_with_rowid=False,
)

composite_signals = Table(
    "composite_signals", metadata,
    Column("region", String(6), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("score", Float, nullable=False),
    Column("zone", Integer, nullable=False),
    Column("n_indicators", Integer, nullable=False),
    sqlite_with_rowid=False,
)

alerts = Table(
    "alerts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # robust (one series) | multivariate (a region's month)
    Column("indicator", String(64), nullable=False, default=""),  # "" for multivariate alerts
    Column("region", String(6), nullable=False),
    Column("period", String(10), nullable=False),
    Column("score", Float, nullable=False),
    Column("severity", String(8), nullable=False),  # low | medium | high
    Column("direction", String(8)),
    Column("message_zh", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("drivers", JSON),
    Column("state", String(12), nullable=False, default="new"),  # new | acknowledged | closed
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(64)),
    Column("current", Boolean, nullable=False, default=True),  # False once a refresh no longer finds it
    UniqueConstraint("kind", "indicator", "region", "period", name="uq_alerts_subject"),
    Index("ix_alerts_state", "state"),
)

nowcasts = Table(
    "nowcasts", metadata,
    Column("region", String(6), primary_key=True),
    Column("target", String(64), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("as_of", String(10), primary_key=True),  # ISO date: one row per nowcast update
    Column("model", String(16), primary_key=True),
    Column("point", Float, nullable=False),
    Column("lower", Float), Column("upper", Float), Column("level", Float),
    Column("news", JSON),
    Column("computed_at", DateTime, nullable=False),
)

index_values = Table(
    "index_values", metadata,
    Column("index_name", String(32), primary_key=True),
    Column("region", String(6), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("value", Float, nullable=False),
    Column("rank", Integer),
    Column("contributions", JSON),  # {component: contribution in index points}
    sqlite_with_rowid=False,
)

# One row per refresh task: what went in (fingerprint), how it went, and the model's summary.
# A task whose fingerprint is unchanged is skipped by the next refresh (incremental refresh).
model_runs = Table(
    "model_runs", metadata,
    Column("task", String(160), primary_key=True),  # e.g. "series:retail_sales_m:450000"
    Column("kind", String(16), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", String(8), nullable=False),  # ok | failed
    Column("summary", JSON),
    Column("error", Text),
    Column("started_at", DateTime, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("data_version", Integer, nullable=False),
)

# Year-to-date progress against each annual target, from the actuals and the stored forecasts.
target_progress = Table(
    "target_progress", metadata,
    Column("indicator", String(64), primary_key=True),
    Column("region", String(6), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("period", String(10), nullable=False),  # the latest actual the progress is measured at
    Column("basis", String(8), nullable=False),
    Column("target", Float, nullable=False),
    Column("actual", Float),  # year-to-date growth (%) or level
    Column("progress", Float),  # growth basis: actual − target (pp); level basis: share of target reached
    Column("required", Float),  # growth needed in the remaining periods to meet the target
    Column("probability", Float),  # of meeting the target, from the forecast distribution
    Column("detail", JSON),
)

# Cache invalidation: the time each scope last changed ("*" anything; "obs:<indicator>" its
# observations; "res:<indicator>" its analytics results). A cached view is keyed by the versions of
# the scopes it reads, so an import invalidates exactly the views of the indicators it touched.
data_versions = Table(
    "data_versions", metadata,
    Column("scope", String(80), primary_key=True),
    Column("version", BigInteger().with_variant(Integer(), "sqlite"), nullable=False),  # µs since the epoch
)


# The report centre's archive: one row per generated file (a request for several formats makes a
# row for each, sharing ``request``). ``status`` and ``progress`` let any server process show the
# progress of a generation running in another one.
report_archive = Table(
    "report_archive", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request", String(36), nullable=False, index=True),
    Column("month", String(7), nullable=False),
    Column("region", String(6), nullable=False),
    Column("format", String(8), nullable=False),  # docx | pdf | xlsx | pptx
    Column("lang", String(2), nullable=False),
    Column("status", String(8), nullable=False),  # queued | running | done | failed
    Column("progress", Float, nullable=False, default=0.0),
    Column("message", Text),
    Column("filename", String(255)),
    Column("path", Text),
    Column("sha256", String(64)),
    Column("size", Integer),
    Column("data_version", Integer),
    Column("analytics_refreshed_at", String(40)),
    Column("generated_by", String(64), nullable=False),
    Column("requested_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("seconds", Float),
)
