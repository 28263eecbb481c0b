"""Benchmark: a full analytics refresh of the demo database, then an incremental one.

    .venv/bin/python bench/run_refresh.py [--database-url URL] [--jobs 2]

Without ``--database-url`` a fresh demo database is built in a temporary folder first. Writes
``bench/results/refresh.md`` (time, peak memory of the run, tasks by kind, the methods the tiers used,
forecast accuracy against the seasonal naive forecast) and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data.demo import build_demo  # noqa: E402
from services.context import open_context  # noqa: E402
from services.ingest import ingest_file  # noqa: E402
from services.refresh import refresh  # noqa: E402
from settings import Settings  # noqa: E402
from storage import results as store  # noqa: E402
from storage import tables as t  # noqa: E402

OUT = ROOT / "bench" / "results" / "refresh.md"


def markdown(frame: pd.DataFrame, index: bool = True) -> str:
    frame = frame.reset_index() if index else frame
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    tmp = None
    url = args.database_url
    if url is None:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{Path(tmp.name) / 'demo.sqlite'}"
        t0 = time.perf_counter()
        build_demo(Settings(database_url=url), progress=False)
        print(f"demo built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    ctx = open_context(Settings(database_url=url))

    full = refresh(ctx, jobs=args.jobs, force=True, progress=True)
    again = refresh(ctx, jobs=args.jobs, progress=False)
    revision = Path(tempfile.mkstemp(suffix=".csv")[1])
    revision.write_text("indicator,region,period,value,unit,vintage\n"
                        "cpi,450000,2026-10,102.3,上年同期=100,2026-11-21\n", encoding="utf-8")
    ingest_file(ctx, revision)
    one = refresh(ctx, jobs=args.jobs, progress=False)

    runs = store.read_table(ctx.engine, t.model_runs)
    series = runs[runs["kind"] == "series"]
    seasonal = pd.Series([(s or {}).get("seasonal", {}).get("method") for s in series["summary"]]).value_counts()
    fallbacks = sum(1 for s in series["summary"] if (s or {}).get("seasonal", {}).get("fallback_reason"))
    mase = pd.Series([(s or {}).get("forecast", {}).get("mase") for s in series["summary"]], dtype=float).dropna()
    slow = runs.sort_values("seconds", ascending=False).head(5)[["task", "seconds"]]
    tiers = pd.Series([(s or {}).get("tier") for s in series["summary"]]).value_counts()
    per_kind = runs.groupby("kind")["seconds"].agg(["count", "sum", "median", "max"]).round(2)

    lines = [
        "# Analytics refresh of the demo database",
        "",
        f"* command: `.venv/bin/python bench/run_refresh.py --jobs {args.jobs}`"
        + ("" if args.database_url is None else f" --database-url {args.database_url}"),
        f"* date: {dt.date.today().isoformat()}; machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {platform.platform()}",
        f"* data: the demo database (13,512 series, 1.28M observations, 2015-01…2026-10); {full.planned} tasks",
        "",
        "| run | tasks run | skipped | failed | wall time |",
        "|---|---:|---:|---:|---:|",
        f"| full (forced) | {full.ran} | {full.skipped} | {full.failed} | {full.seconds:.0f} s |",
        f"| again, nothing changed | {again.ran} | {again.skipped} | {again.failed} | {again.seconds:.1f} s |",
        f"| after one revised CPI value | {one.ran} | {one.skipped} | {one.failed} | {one.seconds:.1f} s |",
        "",
        f"Peak resident memory of the refresh processes: {peak_rss_mb():.0f} MB.",
        "",
        "Task time by kind (seconds, summed over both worker processes):",
        "",
        markdown(per_kind),
        "",
        f"Series by tier: {', '.join(f'{k} {v}' for k, v in tiers.items())}. Seasonal adjustment methods used: "
        f"{', '.join(f'{k} {v}' for k, v in seasonal.items())}; X-13 fell back to STL {fallbacks} times.",
        "",
        f"Forecast accuracy (full tier, {len(mase)} series): MASE against the seasonal naive forecast, "
        f"rolling origin — median {np.median(mase):.2f}, quartiles {np.quantile(mase, 0.25):.2f}–"
        f"{np.quantile(mase, 0.75):.2f}, share below 1: {float((mase < 1).mean()):.0%}." if len(mase) else "",
        "",
        "Slowest tasks:",
        "",
        markdown(slow, index=False),
        "",
    ]
    text = "\n".join(lines)
    OUT.write_text(text, encoding="utf-8")
    print(text)
    if full.failures:
        print("failures:", full.failures[:10], file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
