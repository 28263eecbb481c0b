"""Benchmark: the monthly report in all four formats for one month and region (target ≤ 30 s).

    .venv/bin/python bench/run_reports.py --database-url sqlite:////path/refreshed-demo.sqlite [--runs 3]

Needs a database with stored analytics (``app.py init-demo`` then ``app.py refresh``). Each run
times the whole generation as the report centre does it (``services.report_centre.generate``:
build the report once, render its charts once, write docx, pdf, xlsx and pptx) and, inside it,
each stage. Writes ``bench/results/reports.md`` and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports import charts  # noqa: E402
from services import report_centre as centre  # noqa: E402
from services.context import open_context  # noqa: E402
from services.report import build_report, latest_month  # noqa: E402
from settings import Settings  # noqa: E402

OUT = ROOT / "bench" / "results" / "reports.md"


def stages(ctx, month: str, region: str, out: Path) -> dict[str, float]:
    """Each stage on its own, as one generation runs them."""
    times = {}
    t0 = time.perf_counter()
    report = build_report(ctx, month, region)
    times["gather (build_report)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pngs = charts.render_all(report.figures())
    times[f"charts ({len(pngs)} PNG)"] = time.perf_counter() - t0
    for fmt in centre.FORMATS:
        t0 = time.perf_counter()
        centre.write(report, fmt, out / f"r.{fmt}", pngs, "zh")
        times[fmt] = time.perf_counter() - t0
    return times


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--region", default="450000")
    ap.add_argument("--month")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=args.database_url, reports_dir=Path(tmp))
        ctx = open_context(settings)
        month = args.month or latest_month(ctx)
        totals, sizes = [], {}
        for _ in range(args.runs):
            t0 = time.perf_counter()
            rows = centre.generate(ctx, month, args.region, centre.FORMATS)
            totals.append(time.perf_counter() - t0)
            sizes = {r["format"]: r["size"] for r in rows}
        parts = stages(ctx, month, args.region, Path(tmp))
        facts = len(build_report(ctx, month, args.region).facts())
    lines = [
        "# Monthly report: all four formats", "",
        f"`.venv/bin/python bench/run_reports.py --database-url {args.database_url} --runs {args.runs}` — "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}.", "",
        f"Region {args.region}, month {month}: {facts} numbers in the text.", "",
        "| measure | seconds |", "|---|---|",
        f"| all four formats, median of {args.runs} runs (target ≤ 30 s) | {statistics.median(totals):.1f} |",
        f"| all four formats, slowest run | {max(totals):.1f} |",
    ]
    lines += [f"| stage: {k} | {v:.2f} |" for k, v in parts.items()]
    lines += ["", "Sizes: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sizes.items()), ""]
    text = "\n".join(lines)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
