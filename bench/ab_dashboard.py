"""A/B benchmark of the dashboard: two code trees side by side, the same interactions interleaved.

    git worktree add /tmp/econbrain-a <commit>      # the code to compare against
    .venv/bin/python bench/ab_dashboard.py /tmp/econbrain-a . [--part drill|indicator|screen] [--rounds 4]

Starts gunicorn (2 workers, a view cache of its own each) on both trees over the same database and
runs one part of ``run_dashboard`` — the drill-down, the indicator switch, or the big screen's first
complete render (three new browser contexts per round) — against A and B in turn (A, B, B, A, …), so that the
machine's noise — large here, it is shared — falls on both alike. Prints median, p90, p95 and mean
per tree. The figures quoted in bench/RESULTS.md ("A/B") come from this script.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import run_dashboard as rd  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("tree_a")
    ap.add_argument("tree_b")
    ap.add_argument("--database-url")
    ap.add_argument("--part", choices=["drill", "indicator", "screen"], default="drill")
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from settings import Settings

    url = args.database_url or Settings().database_url
    trees = {"A": Path(args.tree_a).resolve(), "B": Path(args.tree_b).resolve()}
    part, runs = {"drill": (rd.drill_down, 20), "indicator": (rd.indicator_switch, 12),
                  "screen": (rd.big_screen, 3)}[args.part]
    times: dict[str, list[float]] = {k: [] for k in trees}
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        bases = {k: stack.enter_context(rd.gunicorn(url, root=tree)) for k, tree in trees.items()}
        browser = p.chromium.launch(executable_path=rd.CHROMIUM, headless=True, args=["--no-sandbox"])
        for base in bases.values():
            rd.record_requests(browser, base)  # the same warm-up on both
        for r in range(args.rounds):
            for k in ("A", "B") if r % 2 == 0 else ("B", "A"):
                times[k] += part(browser, bases[k], runs)
        browser.close()
    for k, values in times.items():
        ms = [v * 1000 for v in values if v > 0]
        print(f"{k} {trees[k]}: n={len(ms)} median {statistics.median(ms):.0f} p90 {rd.percentile(ms, .9):.0f} "
              f"p95 {rd.percentile(ms, .95):.0f} mean {statistics.mean(ms):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
