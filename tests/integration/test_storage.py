"""Vintaged observations on SQLite and PostgreSQL: nothing overwritten, latest and as-of queries."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import inspect, select

from storage import repository as repo
from storage import tables as t

TABLES = {"regions", "indicators", "series", "observations", "import_batches", "rejected_rows",
          "series_mappings", "audit_log", "store_meta"}


def _seed(conn):
    conn.execute(t.regions.insert(), [
        dict(adcode="450000", name_zh="广西壮族自治区", short_zh="广西", name_en="Guangxi", level="province",
             parent="100000", peer=False, sort_order=1),
        dict(adcode="450100", name_zh="南宁市", short_zh="南宁", name_en="Nanning", level="city",
             parent="450000", peer=False, sort_order=2),
    ])
    conn.execute(t.indicators.insert(), [dict(
        code="retail_sales", name_zh="社会消费品零售总额", name_en="Retail sales", domain="consumption", unit="亿元",
        frequency="M", publication="ytd_level", measure="flow", source_unit="自治区统计局", release_lag_days=18,
        decimals=2, spec={}, active=True)])


def _batch(conn, vintage):
    return repo.create_batch(conn, file_name="f.csv", sha256="x" * 64, format="template", submitted_by="test",
                             vintage=vintage, status="loaded")


def test_schema_has_every_table(engine):
    assert TABLES <= set(inspect(engine).get_table_names())


def test_revision_is_a_new_vintage_and_as_of_answers_what_was_known(engine):
    v1, v2 = dt.datetime(2024, 4, 18, 9), dt.datetime(2024, 5, 20, 9)
    with engine.begin() as conn:
        _seed(conn)
        ids = repo.series_ids(conn, [("retail_sales", "450000"), ("retail_sales", "450100")])
        b1 = _batch(conn, v1)
        repo.insert_observations(conn, pd.DataFrame({
            "series_id": [ids["retail_sales", "450000"]] * 2 + [ids["retail_sales", "450100"]],
            "period": ["2024-02", "2024-03", "2024-03"], "realtime_start": [v1] * 3,
            "value": [1200.5, 1850.25, 700.0], "batch_id": [b1] * 3, "status": ["ok"] * 3}))
        b2 = _batch(conn, v2)
        repo.insert_observations(conn, pd.DataFrame({
            "series_id": [ids["retail_sales", "450000"]], "period": ["2024-03"], "realtime_start": [v2],
            "value": [1862.0], "batch_id": [b2], "status": ["ok"]}))

    latest = repo.read_observations(engine, "retail_sales", "450000")
    assert latest["period"].tolist() == ["2024-02", "2024-03"]
    assert latest["value"].tolist() == [1200.5, 1862.0]
    assert latest["batch_id"].tolist() == [b1, b2]

    known_then = repo.read_observations(engine, "retail_sales", "450000", as_of=dt.date(2024, 5, 1))
    assert known_then["value"].tolist() == [1200.5, 1850.25]
    before_any = repo.read_observations(engine, "retail_sales", "450000", as_of=dt.date(2024, 4, 17))
    assert before_any.empty
    # the day of the revision itself counts as known (end of day inclusive)
    same_day = repo.read_observations(engine, "retail_sales", "450000", as_of=dt.date(2024, 5, 20))
    assert same_day["value"].tolist() == [1200.5, 1862.0]

    every = repo.read_observations(engine, "retail_sales", "450000", vintages=True)
    assert len(every) == 3  # the first vintage of 2024-03 is still there
    both_regions = repo.read_observations(engine, "retail_sales", start="2024-03", end="2024-03")
    assert sorted(both_regions["region"]) == ["450000", "450100"]


def test_the_same_vintage_cannot_be_written_twice(engine):
    v1 = dt.datetime(2024, 4, 18)
    row = None
    with engine.begin() as conn:
        _seed(conn)
        sid = repo.series_ids(conn, [("retail_sales", "450000")])["retail_sales", "450000"]
        b = _batch(conn, v1)
        row = pd.DataFrame({"series_id": [sid], "period": ["2024-03"], "realtime_start": [v1], "value": [1.0],
                            "batch_id": [b], "status": ["ok"]})
        repo.insert_observations(conn, row)
    with pytest.raises(Exception):
        with engine.begin() as conn:
            repo.insert_observations(conn, row.assign(value=2.0))
    assert repo.read_observations(engine, "retail_sales", "450000")["value"].tolist() == [1.0]


def test_end_filter_includes_the_combined_january_february_label(engine):
    v = dt.datetime(2024, 4, 1)
    with engine.begin() as conn:
        _seed(conn)
        sid = repo.series_ids(conn, [("retail_sales", "450000")])["retail_sales", "450000"]
        b = _batch(conn, v)
        repo.insert_observations(conn, pd.DataFrame({
            "series_id": [sid] * 3, "period": ["2023-12", "2024-01/02", "2024-03"], "realtime_start": [v] * 3,
            "value": [1.0, 2.0, 3.0], "batch_id": [b] * 3, "status": ["ok"] * 3}))
    got = repo.read_observations(engine, "retail_sales", "450000", start="2024-01", end="2024-02")
    assert got["period"].tolist() == ["2024-01/02"]


def test_data_version_and_audit(engine):
    with engine.begin() as conn:
        assert repo.bump_data_version(conn) == 1
        assert repo.bump_data_version(conn) == 2
        repo.audit(conn, "alice", "import", "f.csv", {"rows": 3})
    assert repo.get_meta(engine, "data_version") == "2"
    log = repo.audit_entries(engine)
    assert log.iloc[0]["actor"] == "alice" and log.iloc[0]["detail"] == {"rows": 3}


def test_bulk_writes_round_trip_exactly_and_leave_no_orphans(engine):
    """Binary COPY (PostgreSQL) and executemany (SQLite) store what they were given, to the microsecond."""
    stamp = dt.datetime(2024, 4, 18, 9, 30, 15, 123456)
    with engine.begin() as conn:
        _seed(conn)
        sid = repo.series_ids(conn, [("retail_sales", "450000")])["retail_sales", "450000"]
        b = _batch(conn, stamp)
        frame = pd.DataFrame({"series_id": [sid] * 4, "period": ["2023-12", "2024-01/02", "2024-03", "2024-04"],
                              "realtime_start": [stamp] * 4, "value": [1.5, -2.25, 1e12, 0.1 + 0.2],
                              "batch_id": [b] * 4, "status": ["ok", "late", "suspect", "ok"]})
        assert repo.insert_observations(conn, frame) == 4
    got = repo.read_observations(engine, "retail_sales", "450000")
    assert got["period"].tolist() == frame["period"].tolist()
    assert got["value"].tolist() == frame["value"].tolist()
    assert got["status"].tolist() == frame["status"].tolist()
    assert (got["realtime_start"] == stamp).all()
    assert repo.orphan_observations(engine) == 0
    with engine.begin() as conn:  # a row pointing nowhere is what the check exists to find
        repo.insert_observations(conn, frame.iloc[:1].assign(series_id=sid + 999, period="2025-01"))
    assert repo.orphan_observations(engine) == 1
