"""The batch refresh on a copy of the demo database: results stored, incremental, parallel, over RQ.

A subset of indicators and regions keeps the run short; the full refresh is measured in bench/.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time

import pytest

from services.context import open_context
from services.ingest import ingest_file
from services.refresh import refresh
from settings import Settings
from storage import results as store
from storage import tables as t
from tests.conftest import ROOT

SUBSET = ("retail_sales", "industrial_va_growth", "cpi", "electricity", "surveyed_unemployment",
          "retail_sales_ytd_growth", "fai_ytd_growth", "gdp_ytd_growth", "gdp_q", "gdp_q_growth")
REGIONS = ("450000", "450102")
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="module")
def demo_copy(demo_database_url, tmp_path_factory):
    """A private copy of the session's demo database (the refresh writes to it)."""
    src = demo_database_url.split("///", 1)[1]
    dst = tmp_path_factory.mktemp("refresh") / "demo.sqlite"
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return f"sqlite:///{dst}"


@pytest.fixture(scope="module")
def refreshed(demo_copy):
    ctx = open_context(Settings(database_url=demo_copy))
    report = refresh(ctx, jobs=2, progress=False, kinds=("series", "region"), regions=REGIONS, indicators=SUBSET)
    yield ctx, report
    ctx.engine.dispose()


def test_first_refresh_runs_every_task_and_stores_results(refreshed):
    ctx, report = refreshed
    assert report.failed == 0, report.failures
    assert report.ran == report.planned > 0 and report.skipped == 0
    adjusted = store.read_table(ctx.engine, t.adjusted_series, indicator="retail_sales")
    methods = adjusted.groupby("region")["method"].first().to_dict()
    assert methods == {"450000": "x13", "450102": "stl"}  # full tier X-13, light tier STL
    # the combined Jan–Feb release is split, not left as a hole, in the adjusted series
    gx = adjusted[adjusted["region"] == "450000"].set_index("period")
    assert gx.loc["2025-01", "seasonally_adjusted"] > 0 and gx.loc["2025-02", "seasonally_adjusted"] > 0
    forecasts = store.read_table(ctx.engine, t.forecasts)
    assert set(forecasts["region"]) == {"450000"}  # counties get no forecast (light tier)
    f = forecasts[forecasts["indicator"] == "retail_sales"].set_index("period")
    assert (f["lower_95"] <= f["lower_80"]).all() and (f["lower_80"] <= f["mean"]).all()
    assert (f["mean"] <= f["upper_80"]).all() and (f["upper_80"] <= f["upper_95"]).all()
    assert "2027-01" not in f.index  # no January forecast where January is released with February
    lights = store.read_table(ctx.engine, t.signals, region="450000")
    assert {"industrial_va_growth", "retail_sales_ytd_growth", "cpi"} <= set(lights["indicator"])
    assert lights["zone"].between(1, 5).all()
    composite = store.read_table(ctx.engine, t.composite_signals, region="450000")
    assert len(composite) > 100 and composite["zone"].between(1, 5).all()
    progress = store.read_table(ctx.engine, t.target_progress, region="450000")
    gdp = progress.set_index("indicator").loc["gdp_ytd_growth"]
    assert gdp["period"] == "2026Q3" and 0 <= gdp["probability"] <= 1


def test_second_refresh_skips_what_has_not_changed(refreshed):
    ctx, first = refreshed
    again = refresh(ctx, jobs=2, progress=False, kinds=("series", "region"), regions=REGIONS, indicators=SUBSET)
    assert again.ran == 0 and again.skipped == first.planned


def test_a_new_vintage_reruns_only_its_series_and_region(refreshed, tmp_path):
    ctx, first = refreshed
    body = "indicator,region,period,value,unit,vintage\ncpi,450000,2026-10,104.9,上年同期=100,2026-11-21\n"
    path = tmp_path / "revision.csv"
    path.write_text(body, encoding="utf-8")
    result = ingest_file(ctx, path)
    assert result.ok, result.as_json()
    rerun = refresh(ctx, jobs=1, progress=False, kinds=("series", "region"), regions=REGIONS, indicators=SUBSET)
    assert rerun.ran == 2 and rerun.by_kind == {"series": {"ok": 1}, "region": {"ok": 1}}
    lights = store.read_table(ctx.engine, t.signals, indicator="cpi", region="450000").set_index("period")
    assert lights.loc["2026-10", "value"] == pytest.approx(104.9)
    assert lights.loc["2026-10", "zone"] == 5  # above the 104 ceiling of the fixed thresholds: overheated


def test_alert_state_survives_a_recomputation(refreshed):
    from services.early_warning import alerts, set_alert_state

    ctx, _ = refreshed
    found = alerts(ctx, region="450000")
    assert found, "the demo's irregular months should raise some alerts"
    assert all(a["message_zh"] and a["message_en"] and a["severity"] in ("low", "medium", "high") for a in found)
    assert not any(re.search(r"[\u4e00-\u9fff]", a["message_en"]) for a in found)  # English all through, units too
    target = found[0]
    set_alert_state(ctx, target["id"], "acknowledged")
    kinds = ("series", "region") if target["indicator"] else ("region",)
    refresh(ctx, jobs=1, progress=False, force=True, kinds=kinds, regions=("450000",),
            indicators=(target["indicator"],) if target["indicator"] else SUBSET)
    after = {a["id"]: a for a in alerts(ctx, region="450000")}
    assert after[target["id"]]["state"] == "acknowledged"
    assert after[target["id"]]["updated_by"] == ctx.viewer.user


def run_cli(url, *args):
    env = {"ECONBRAIN_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    return proc


def test_cli_reads_the_stored_results_as_json(refreshed, demo_copy):
    sig = run_cli(demo_copy, "signals", "--period", "2026-10", "--region", "450000", "--json")
    assert sig.returncode == 0, sig.stderr
    data = json.loads(sig.stdout)
    assert data["composite"]["zone"] in range(1, 6) and data["signals"]
    assert {"indicator", "zone", "zone_zh", "zone_en", "color", "value"} <= data["signals"][0].keys()
    listed = json.loads(run_cli(demo_copy, "alerts", "--state", "new", "--json").stdout)
    assert listed and all(a["state"] == "new" for a in listed)
    changed = run_cli(demo_copy, "alerts", str(listed[0]["id"]), "--set-state", "closed")
    assert changed.returncode == 0 and json.loads(changed.stdout)["state"] == "closed"
    bad = run_cli(demo_copy, "alerts", "--state", "sleeping")
    assert bad.returncode != 0
    targets = json.loads(run_cli(demo_copy, "targets", "--year", "2026", "--json").stdout)
    gdp = next(r for r in targets["targets"] if r["indicator"] == "gdp_ytd_growth")
    assert gdp["target"] == 5.0 and gdp["actual"] is not None and gdp["required"] is not None
    assert "演示" in gdp["note"]


def _redis_ok() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_refresh_hands_tasks_to_rq_workers(demo_copy):
    if not _redis_ok():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis not reachable at {REDIS_URL} on CI")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "ECONBRAIN_DATABASE_URL": demo_copy}
    worker = subprocess.Popen([sys.executable, "app.py", "worker", "--queue", REDIS_URL], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        ctx = open_context(Settings(database_url=demo_copy))
        report = refresh(ctx, progress=False, force=True, kinds=("series",), regions=("450103",),
                         indicators=SUBSET, queue_url=REDIS_URL)
        assert report.executor == "rq" and report.failed == 0, report.failures
        assert report.ran == report.planned > 0
        runs = store.read_table(ctx.engine, t.model_runs)
        mine = runs[runs["task"].str.endswith(":450103")]
        assert len(mine) == report.planned and (mine["status"] == "ok").all()
        assert len(store.read_table(ctx.engine, t.adjusted_series, region="450103")) > 0
        ctx.engine.dispose()
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_nowcast_index_and_backtest_commands(refreshed, demo_copy):
    ctx, _ = refreshed
    report = refresh(ctx, jobs=2, progress=False, kinds=("nowcast", "index", "cycle"), regions=("450000",))
    assert report.failed == 0, report.failures
    stored = run_cli(demo_copy, "nowcast", "--json")
    assert stored.returncode == 0, stored.stderr
    now = json.loads(stored.stdout)
    assert {"region", "target", "period", "as_of", "point", "interval", "model", "news"} <= now.keys()
    assert now["region"] == "450000" and now["target"] == "gdp_q_growth" and now["period"] == "2026Q4"
    assert now["interval"]["lower"] < now["point"] < now["interval"]["upper"] and now["stored"]
    assert now["news"] and {"indicator", "region", "period", "impact"} <= now["news"][0].keys()
    live = json.loads(run_cli(demo_copy, "nowcast", "--as-of", "2026-08-15", "--json").stdout)
    assert live["period"] == "2026Q3" and not live["stored"]  # Q3 not yet published in mid-August
    bt = run_cli(demo_copy, "backtest", "nowcast", "--region", "450000", "--target", "gdp_q_growth",
                 "--start", "2025Q1", "--end", "2025Q4", "--json")
    assert bt.returncode == 0, bt.stderr
    models = {m["model"]: m for m in json.loads(bt.stdout)["models"]}
    assert {"dfm", "bridge", "ar1", "last_value"} <= set(models)
    assert all(m["n"] == 4 and m["rmse"] >= m["mae"] >= 0 for m in models.values())
    idx = json.loads(run_cli(demo_copy, "index", "transport", "--json").stdout)
    last = idx["values"][-1]
    assert idx["base_period"] == "2019-12" and abs(sum(last["contributions"].values()) - (last["value"] - 100)) < 1e-2
    ranking = json.loads(run_cli(demo_copy, "index", "city_development", "--json").stdout)["ranking"]
    assert sorted(r["rank"] for r in ranking) == list(range(1, 15))
    lead = json.loads(run_cli(demo_copy, "index", "leading", "--json").stdout)
    assert len(lead["values"]) > 100
    unknown = run_cli(demo_copy, "index", "happiness")
    assert unknown.returncode == 1 and "未知指数" in unknown.stderr and "unknown index" in unknown.stderr


def test_background_refresh_reports_progress_and_clears_stale(sqlite_url, tmp_path):
    from services.refresh import start_in_background, status
    from tests.conftest import ROOT as root

    ctx = open_context(Settings(database_url=sqlite_url))
    assert ingest_file(ctx, root / "tests" / "fixtures" / "template_example.csv").ok
    assert status(ctx)["stale"] and not status(ctx)["running"]
    pid = start_in_background(Settings(database_url=sqlite_url), tmp_path / "refresh.log")
    assert pid
    deadline = time.monotonic() + 240
    while not (status(ctx).get("total") and not status(ctx)["running"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    info = status(ctx)
    assert not info["running"] and not info["stale"], (info, (tmp_path / "refresh.log").read_text())
    assert info["done"] == info["total"] > 0
    runs = store.read_table(ctx.engine, t.model_runs)
    assert len(runs) == info["total"] and (runs["status"] == "ok").all()
