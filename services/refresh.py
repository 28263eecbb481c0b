"""The batch refresh: compute and store every analytics result, in parallel, incrementally.

``python app.py refresh [--jobs N]`` plans one task per subject (a series, a region, a nowcast, an
index), fingerprints each task's inputs, skips tasks whose fingerprint is unchanged since their last
successful run, and runs the rest in two stages (per-series work first, because the per-region work
reads its results): on local worker processes, or — when ``ECONBRAIN_QUEUE_URL`` names a Redis
server — as RQ jobs that any number of ``python app.py worker`` processes on other machines take.

Each task writes its own results in one transaction and records itself in ``model_runs``, so a task
run on a remote worker needs nothing from the process that planned it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from services import analytics
from services.context import Context, open_context
from settings import Settings
from storage import repository as repo
from storage import results as store

QUEUE_NAME = "econbrain-refresh"


@dataclass(frozen=True)
class Task:
    kind: str  # one of analytics.HANDLERS
    subject: tuple[str, ...]
    fingerprint: str
    stage: int

    @property
    def key(self) -> str:
        return ":".join((self.kind, *self.subject))


@dataclass
class RefreshReport:
    planned: int = 0
    skipped: int = 0
    ran: int = 0
    failed: int = 0
    seconds: float = 0.0
    jobs: int = 1
    executor: str = "local"
    by_kind: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)

    def as_json(self) -> dict:
        return {"planned": self.planned, "skipped": self.skipped, "ran": self.ran, "failed": self.failed,
                "seconds": round(self.seconds, 1), "jobs": self.jobs, "executor": self.executor,
                "by_kind": self.by_kind, "failures": self.failures[:50]}


def _hash(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


def plan(ctx: Context, kinds: tuple[str, ...] | None = None, regions: tuple[str, ...] | None = None,
         indicators: tuple[str, ...] | None = None) -> list[Task]:
    """Every task of a full refresh with the fingerprint of its inputs (optionally a subset)."""
    fps = store.series_fingerprints(ctx.engine)
    if indicators:
        fps = {k: v for k, v in fps.items() if k[0] in indicators}
    as_of = analytics.analysis_date(ctx).isoformat()
    by_region: dict[str, list[str]] = {}
    for (ind, reg), fp in sorted(fps.items()):
        by_region.setdefault(reg, []).append(f"{ind}={fp}")
    tasks: list[Task] = []
    for subject, inputs, stage in analytics.subjects(ctx, fps, by_region):
        kind = subject[0]
        if kinds and kind not in kinds:
            continue
        if regions and not set(subject[1:]) & set(regions) and kind in ("series", "region", "nowcast", "backtest"):
            continue
        tasks.append(Task(kind, subject[1:], _hash(analytics.MODEL_VERSION, as_of, inputs), stage))
    return tasks


# --- running one task (in a worker process, an RQ worker, or inline) ---------------------------

_WORKER_CTX: Context | None = None


def _worker_init(settings_json: str) -> None:
    global _WORKER_CTX
    import warnings

    warnings.filterwarnings("ignore")  # statsmodels convergence chatter would garble the progress bar
    _WORKER_CTX = open_context(Settings.model_validate_json(settings_json), prepare=False)


def run_task(settings_json: str | None, kind: str, subject: tuple[str, ...], fingerprint: str) -> dict:
    """Run one task and record it; returns ``{task, status, seconds, error}``. Never raises."""
    global _WORKER_CTX
    if _WORKER_CTX is None or (settings_json and _WORKER_CTX.settings.model_dump_json() != settings_json):
        _worker_init(settings_json or Settings().model_dump_json())
    ctx = _WORKER_CTX
    key = ":".join((kind, *subject))
    started, t0 = repo.utcnow(), time.perf_counter()
    status, summary, error = "ok", None, None
    try:
        summary = analytics.HANDLERS[kind](ctx, *subject)
    except Exception as exc:  # a failing series must not stop the refresh; the error is recorded
        status, error = "failed", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
    seconds = time.perf_counter() - t0
    with ctx.engine.begin() as conn:
        store.record_run(conn, key, kind, fingerprint, status, summary, error, started, seconds, ctx.data_version)
        if status == "ok":  # cached views of these results are now stale
            repo.touch_scopes(conn, ["*", f"res:{subject[0]}" if kind == "series" else f"res:{kind}"])
    return {"task": key, "status": status, "seconds": seconds, "error": error}


# --- the refresh ------------------------------------------------------------------------------

def refresh(ctx: Context, jobs: int | None = None, force: bool = False, progress: bool = True,
            kinds: tuple[str, ...] | None = None, regions: tuple[str, ...] | None = None,
            indicators: tuple[str, ...] | None = None, queue_url: str | None = None) -> RefreshReport:
    t0 = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    queue_url = queue_url if queue_url is not None else ctx.settings.queue_url
    report = RefreshReport(jobs=jobs, executor="rq" if queue_url else "local")
    tasks = plan(ctx, kinds, regions, indicators)
    report.planned = len(tasks)
    last = store.run_fingerprints(ctx.engine)
    todo = [t for t in tasks if force or last.get(t.key) != (t.fingerprint, "ok")]
    report.skipped = len(tasks) - len(todo)
    settings_json = ctx.settings.model_dump_json()
    bar = _progress(len(todo), progress)
    status = _StatusWriter(ctx, len(todo))
    try:
        for stage in sorted({t.stage for t in todo}):
            batch = [t for t in todo if t.stage == stage]
            runner = _run_rq if queue_url else _run_local
            for outcome in runner(batch, jobs, settings_json, queue_url):
                kind = outcome["task"].split(":", 1)[0]
                report.by_kind.setdefault(kind, Counter())[outcome["status"]] += 1
                if outcome["status"] == "ok":
                    report.ran += 1
                else:
                    report.failed += 1
                    report.failures.append({"task": outcome["task"], "error": (outcome["error"] or "").splitlines()[0]})
                bar.update(1)
                bar.set_postfix_str(outcome["task"][:40], refresh=False)
                status.update(report.ran + report.failed)
    finally:
        bar.close()
        status.finish(report.ran + report.failed)
    report.by_kind = {k: dict(v) for k, v in report.by_kind.items()}
    report.seconds = time.perf_counter() - t0
    with ctx.engine.begin() as conn:
        repo.set_meta(conn, "analytics_refreshed_at", repo.utcnow().isoformat(timespec="seconds"))
        repo.set_meta(conn, "analytics_data_version", str(ctx.data_version))
        repo.audit(conn, ctx.viewer.user, "refresh", None, report.as_json())
    return report


class _StatusWriter:
    """Keeps ``store_meta['refresh_status']`` current so pages can say "analytics 62 % refreshed"."""

    def __init__(self, ctx: Context, total: int, every_s: float = 2.0):
        self.ctx, self.total, self.every_s = ctx, total, every_s
        self.started = repo.utcnow().isoformat(timespec="seconds")
        self.last = 0.0
        self._write(0, running=total > 0)

    def _write(self, done: int, running: bool) -> None:
        value = json.dumps({"running": running, "done": done, "total": self.total, "started_at": self.started,
                            "pid": os.getpid()})
        with self.ctx.engine.begin() as conn:
            repo.set_meta(conn, "refresh_status", value)

    def update(self, done: int) -> None:
        if time.monotonic() - self.last >= self.every_s:
            self.last = time.monotonic()
            self._write(done, running=True)

    def finish(self, done: int) -> None:
        self._write(done, running=False)


def status(ctx: Context) -> dict:
    """The last refresh's progress (``running``, ``done``, ``total``), and whether the stored analytics
    are older than the data (``stale``)."""
    raw = repo.get_meta(ctx.engine, "refresh_status")
    info = json.loads(raw) if raw else {"running": False, "done": 0, "total": 0}
    if info.get("running") and not _alive(info.get("pid")):
        info["running"] = False  # the refresh process died; do not show it as running forever
    refreshed_version = repo.get_meta(ctx.engine, "analytics_data_version")
    info["refreshed_at"] = repo.get_meta(ctx.engine, "analytics_refreshed_at")
    info["stale"] = refreshed_version != str(ctx.data_version)
    return info


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
        return True
    except (OSError, TypeError, ValueError):
        return False


def start_in_background(settings: Settings, log_path) -> int | None:
    """Start ``python app.py refresh`` as its own process (the server keeps serving meanwhile);
    returns its pid, or None when a refresh is already running."""
    import subprocess
    from pathlib import Path

    ctx = open_context(settings, prepare=False)
    if status(ctx).get("running"):
        return None
    root = Path(__file__).resolve().parents[1]
    log = open(log_path, "ab")
    env = {**os.environ, "ECONBRAIN_DATABASE_URL": settings.database_url}
    proc = subprocess.Popen([sys.executable, str(root / "app.py"), "refresh", "--quiet"], cwd=root, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return proc.pid


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled or total == 0, unit="task", file=sys.stderr,
                desc="分析 refresh", dynamic_ncols=True, mininterval=0.5)


def _run_local(batch: list[Task], jobs: int, settings_json: str, _queue_url):
    if jobs == 1:
        for t in batch:
            yield run_task(settings_json, t.kind, t.subject, t.fingerprint)
        return
    import multiprocessing as mp

    # Longest tasks first so that the last minutes are not spent waiting on one slow fit.
    order = sorted(batch, key=lambda t: analytics.COST.get(t.kind, 1), reverse=True)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork"),
                             initializer=_worker_init, initargs=(settings_json,)) as pool:
        pending = {pool.submit(run_task, settings_json, t.kind, t.subject, t.fingerprint) for t in order}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()


def _run_rq(batch: list[Task], _jobs: int, settings_json: str, queue_url: str):
    from redis import Redis
    from rq import Queue

    conn = Redis.from_url(queue_url)
    queue = Queue(QUEUE_NAME, connection=conn)
    jobs = [queue.enqueue(run_task, settings_json, t.kind, t.subject, t.fingerprint,
                          job_timeout=1800, result_ttl=3600, failure_ttl=86400) for t in batch]
    waiting = {j.id: (j, t) for j, t in zip(jobs, batch)}
    while waiting:
        for jid, (job, task) in list(waiting.items()):
            status = job.get_status(refresh=True)
            if status == "finished":
                del waiting[jid]
                yield job.return_value()
            elif status in ("failed", "stopped", "canceled"):
                del waiting[jid]
                yield {"task": task.key, "status": "failed", "seconds": 0.0, "error": f"rq job {status}"}
        if waiting:
            time.sleep(0.2)


def work(queue_url: str, burst: bool = False) -> None:
    """Serve refresh tasks and scheduled reports from the queues (``python app.py worker``)."""
    from redis import Redis
    from rq import Queue, Worker

    from services.report_centre import QUEUE_NAME as REPORT_QUEUE

    conn = Redis.from_url(queue_url)
    queues = [Queue(QUEUE_NAME, connection=conn), Queue(REPORT_QUEUE, connection=conn)]
    Worker(queues, connection=conn).work(burst=burst)


def last_runs(ctx: Context) -> dict:
    runs = store.read_table(ctx.engine, __import__("storage.tables", fromlist=["model_runs"]).model_runs)
    return {"tasks": len(runs), "failed": int((runs["status"] == "failed").sum()) if len(runs) else 0,
            "refreshed_at": repo.get_meta(ctx.engine, "analytics_refreshed_at"),
            "as_of": dt.date.today().isoformat()}
