#!/usr/bin/env python
"""Load and query benchmarks of the observation store, on SQLite and PostgreSQL, at two scales.

    python bench/run_storage.py [--scale province|stress|both] [--backend sqlite|postgresql|both]
                                [--indicators N] [--months M] [--reps R] [--keep] [--no-compare]

* province — the demo database (``data.demo.build_demo``), or, when the demo build fails, a synthetic
  set of that order (150 indicators × 126 regions × 142 months ≈ 2.7M observations + 5 % revisions);
* stress   — synthetic: 1,000 indicators × 126 regions × 180 months ≈ 22.7M observations, plus a
  second vintage for ~5 % of them, loaded through ``storage.repository.insert_observations`` in
  chunks (that is the code path measured).

Measured: load throughput (rows/s), then p50/p95 latency of ``repository.read_observations`` over
``--reps`` random repetitions for (A) one indicator, all regions and (B) one region, 50 indicators,
each "latest" and "as of" a random date. With comparisons on (the default) the same data is also
measured with the code from before commit a3d6402 (``bench/storage_legacy.py``: text COPY, foreign
keys, NOT EXISTS read), the prototype reader in ``bench/storage_alt.py``, ``jit = off``, a covering
index and a primary key with INCLUDE columns, and a 2M-row load profile (where COPY time goes).

PostgreSQL runs in a dedicated schema (dropped at the end unless ``--keep``); SQLite in a file under
/tmp/econbrain_bench. Results are printed and appended as a dated section to ``bench/RESULTS.md``.
Set ECONBRAIN_BENCH_PG_URL to use another server (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import shlex
import statistics
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sqlalchemy import create_engine, event, insert, text  # noqa: E402

import storage_alt as alt  # noqa: E402
import storage_legacy as legacy_store  # noqa: E402
from storage import repository as repo  # noqa: E402
from storage import tables as t  # noqa: E402
from storage.engine import make_engine, upgrade  # noqa: E402

PG_BASE = os.environ.get("ECONBRAIN_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SQLITE_DIR = Path("/tmp/econbrain_bench")
RESULTS = BENCH / "RESULTS.md"
N_REGIONS = 126
PROVINCE = dict(indicators=150, months=142)
STRESS = dict(indicators=1000, months=180)
END_MONTH = "2026-10"
TARGET_LOAD = 200_000      # PostgreSQL rows/s
TARGET_P95_MS = 50.0       # series query p95 at stress scale on PostgreSQL


# --- output helpers --------------------------------------------------------------------------

def log(msg: str) -> None:
    sys.stderr.write(f"[{dt.datetime.now():%H:%M:%S}] {msg}\n")
    sys.stderr.flush()


class Progress:
    """One status line on stderr: rewritten in place on a terminal, a new line every 10 s in a log."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.t0, self.last = label, total, time.perf_counter(), 0.0
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, extra: str = "") -> None:
        now = time.perf_counter()
        if not self.tty and now - self.last < 10 and done < self.total:
            return
        self.last = now
        el = now - self.t0
        rate = done / el if el else 0
        eta = (self.total - done) / rate if rate else 0
        line = (f"{self.label}: {done / 1e6:6.2f}M/{self.total / 1e6:.2f}M rows {100 * done / self.total:5.1f}% "
                f"{rate / 1e3:6.0f}k rows/s elapsed {el:5.0f}s eta {eta:5.0f}s {extra}")
        sys.stderr.write(("\r" + line) if self.tty else (f"[{dt.datetime.now():%H:%M:%S}] " + line + "\n"))
        sys.stderr.flush()

    def close(self) -> None:
        if self.tty:
            sys.stderr.write("\n")


def pct(values, q) -> float:
    return float(np.percentile(np.asarray(values), q))


# --- backends --------------------------------------------------------------------------------

@dataclass
class Backend:
    kind: str          # sqlite | postgresql
    url: str
    engine: object
    schema: str | None = None
    path: Path | None = None

    def drop(self) -> None:
        self.engine.dispose()
        if self.schema:
            with create_engine(PG_BASE, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        if self.path:
            for suffix in ("", "-wal", "-shm"):
                p = self.path.with_name(self.path.name + suffix)
                if p.exists():
                    p.unlink()


def new_backend(kind: str, tag: str, migrate: bool = True) -> Backend:
    if kind == "sqlite":
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        path = SQLITE_DIR / f"{tag}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            p = path.with_name(path.name + suffix)
            if p.exists():
                p.unlink()
        url = f"sqlite:///{path}"
        b = Backend(kind, url, make_engine(url), path=path)
    else:
        schema = f"bench_{tag}_{uuid.uuid4().hex[:8]}"
        with create_engine(PG_BASE, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in PG_BASE else "?"
        url = f"{PG_BASE}{sep}options=-csearch_path%3D{schema}"
        b = Backend(kind, url, make_engine(url), schema=schema)
    if migrate:
        upgrade(b.engine)
        if kind == "postgresql":  # no autovacuum mid-measurement: ANALYZE / VACUUM are run explicitly
            with b.engine.begin() as conn:
                conn.execute(text("ALTER TABLE observations SET (autovacuum_enabled = off)"))
    return b


def analyze(b: Backend, vacuum: bool = False) -> float:
    t0 = time.perf_counter()
    if b.kind == "postgresql":
        with b.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(("VACUUM ANALYZE" if vacuum else "ANALYZE") + " observations"))
            conn.execute(text("ANALYZE series"))
    return time.perf_counter() - t0


def pg_sizes(b: Backend) -> dict:
    with b.engine.connect() as conn:
        heap, idx = conn.execute(text(
            "SELECT pg_table_size('observations'), pg_indexes_size('observations')")).one()
    return dict(heap_mb=heap / 2**20, index_mb=idx / 2**20)


def machine() -> dict:
    info = dict(cores=os.cpu_count(), kernel=platform.release(), python=platform.python_version(),
                load_start=" ".join(f"{x:.2f}" for x in os.getloadavg()))
    try:
        with open("/proc/meminfo") as f:
            info["mem_gib"] = round(int(f.readline().split()[1]) / 2**20)
    except OSError:
        info["mem_gib"] = None
    try:
        with create_engine(PG_BASE).connect() as conn:
            info["postgresql"] = conn.execute(text("SHOW server_version")).scalar()
            info["pg_settings"] = ", ".join(
                f"{k}={conn.execute(text(f'SHOW {k}')).scalar()}"
                for k in ("shared_buffers", "work_mem", "maintenance_work_mem", "max_wal_size", "synchronous_commit"))
    except Exception as exc:  # noqa: BLE001
        info["postgresql"] = f"unreachable ({str(exc).splitlines()[0]})"
    import sqlite3
    import subprocess
    info["sqlite"] = sqlite3.sqlite_version
    git = lambda *a: subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True).stdout.strip()  # noqa: E731
    info["commit"] = git("log", "-1", "--format=%h", "--", "storage") or "?"
    info["dirty"] = bool(git("status", "--porcelain", "--", "storage"))
    return info


# --- synthetic data --------------------------------------------------------------------------

@dataclass
class Synthetic:
    prefix: str
    n_ind: int
    n_reg: int
    n_months: int
    revise_frac: float = 0.05
    seed: int = 20261123
    codes: list = field(init=False)
    adcodes: list = field(init=False)

    def __post_init__(self):
        self.codes = [f"{self.prefix}_{i + 1:04d}" for i in range(self.n_ind)]
        self.adcodes = [f"{900000 + i:06d}" for i in range(self.n_reg)]
        end = pd.Period(END_MONTH, freq="M")
        self.months = pd.period_range(end=end, periods=self.n_months, freq="M")
        self.labels = np.array([str(p) for p in self.months], dtype=object)
        self.month_end = self.months.to_timestamp(how="end").normalize().to_numpy().astype("datetime64[us]")
        rng = np.random.default_rng(self.seed)
        self.lag_days = rng.integers(12, 50, self.n_ind)   # release lag per indicator
        self.sids = None

    @property
    def rows_v1(self) -> int:
        return self.n_ind * self.n_reg * self.n_months

    def reference_rows(self, conn) -> None:
        conn.execute(insert(t.regions), [
            dict(adcode=a, name_zh=f"基准区{i}", short_zh=f"区{i}", name_en=f"Bench region {i}", level="county",
                 parent=None, peer=False, sort_order=i) for i, a in enumerate(self.adcodes)])
        conn.execute(insert(t.indicators), [
            dict(code=c, name_zh=f"压力指标{i}", name_en=f"Stress indicator {i}", domain="bench", topic=None,
                 unit="亿元", frequency="M", publication="level", measure="level", source_unit="bench",
                 release_lag_days=int(self.lag_days[i]), decimals=2, spec={"bench": True}, active=True)
            for i, c in enumerate(self.codes)])
        ids = repo.series_ids(conn, [(c, a) for c in self.codes for a in self.adcodes])
        self.sids = np.array([[ids[(c, a)] for a in self.adcodes] for c in self.codes], dtype=np.int64)

    def chunk(self, i0: int, i1: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """First vintage and revisions of indicators [i0, i1): rows in (series, period) order."""
        rng = np.random.default_rng([self.seed, i0])
        k, r, m = i1 - i0, self.n_reg, self.n_months
        sid = np.repeat(self.sids[i0:i1].reshape(-1), m)
        mi = np.tile(np.arange(m), k * r)
        ii = np.repeat(np.arange(i0, i1), r * m)
        rt = (self.month_end[mi] + (self.lag_days[ii] * 86400 + 34200).astype("timedelta64[s]"))  # 09:30 release
        base = np.repeat(rng.lognormal(4, 1.5, k * r), m)
        value = np.round(base * (1 + 0.004 * mi) * (1 + 0.03 * rng.standard_normal(k * r * m)), 4)
        first = pd.DataFrame({"series_id": sid, "period": self.labels[mi], "realtime_start": rt, "value": value,
                              "status": "ok"})
        rev = rng.random(len(sid)) < self.revise_frac
        later = rng.integers(25, 400, int(rev.sum())).astype("timedelta64[D]")
        revised = pd.DataFrame({"series_id": sid[rev], "period": self.labels[mi[rev]],
                                "realtime_start": rt[rev] + later,
                                "value": np.round(value[rev] * (1 + 0.01 * rng.standard_normal(int(rev.sum()))), 4),
                                "status": "ok"})
        return first, revised

    def load(self, b: Backend, inserter, chunk_rows: int, label: str) -> dict:
        """Reference rows, then the observations chunk by chunk (one transaction = one import of 2 batches)."""
        with b.engine.begin() as conn:
            self.reference_rows(conn)
        per_ind = self.n_reg * self.n_months
        step = max(1, chunk_rows // per_ind)
        total = int(self.rows_v1 * (1 + self.revise_frac))
        prog = Progress(label, total)
        rows = 0
        t_gen = t_ins = t_other = 0.0
        t_start = time.perf_counter()
        for i0 in range(0, self.n_ind, step):
            i1 = min(self.n_ind, i0 + step)
            a = time.perf_counter()
            first, revised = self.chunk(i0, i1)
            b0 = time.perf_counter()
            t_gen += b0 - a
            with b.engine.begin() as conn:
                for part, frame in (("v1", first), ("rev", revised)):
                    c0 = time.perf_counter()
                    digest = hashlib.sha256(f"{self.prefix}|{i0}|{part}".encode()).hexdigest()
                    batch = repo.create_batch(
                        conn, file_name=f"bench {self.prefix} {i0}-{i1} {part}", sha256=digest, format="bench",
                        source_unit="bench", submitted_by="bench", vintage=pd.Timestamp(frame.realtime_start.min())
                        .to_pydatetime(), status="loaded", rows_read=len(frame), rows_loaded=len(frame))
                    frame["batch_id"] = batch
                    c1 = time.perf_counter()
                    inserter(conn, frame)
                    c2 = time.perf_counter()
                    t_other += c1 - c0
                    t_ins += c2 - c1
                    rows += len(frame)
                c3 = time.perf_counter()
            t_other += time.perf_counter() - c3  # commit
            prog(rows, f"(chunk {i0 // step + 1}/{-(-self.n_ind // step)})")
        prog.close()
        wall = time.perf_counter() - t_start
        return dict(rows=rows, gen_s=t_gen, insert_s=t_ins, other_s=t_other, wall_s=wall,
                    rows_per_s=rows / (t_ins + t_other), insert_rows_per_s=rows / t_ins)


# --- the province scale: demo database --------------------------------------------------------

# --- the province scale: demo database --------------------------------------------------------

def try_demo(kind: str, inserter, legacy: bool = False) -> tuple[Backend | None, dict | None, str | None]:
    """Build the demo database in a fresh SQLite file / schema with ``inserter`` standing in for
    ``repo.insert_observations`` (timed); (backend, info, None) or (None, None, error)."""
    from data.demo import build_demo
    from settings import Settings

    b = new_backend(kind, "province_demo_legacy" if legacy else "province_demo", migrate=legacy and kind == "postgresql")
    if legacy and kind == "postgresql":
        with b.engine.begin() as conn:
            legacy_store.restore_foreign_keys(conn)
    shipped = repo.insert_observations
    spent = [0.0, 0]

    def timed(conn, frame):  # the demo calls repo.insert_observations: time that code path inside the build
        t0 = time.perf_counter()
        n = inserter(conn, frame)
        spent[0] += time.perf_counter() - t0
        spent[1] += n
        return n

    repo.insert_observations = timed
    try:
        t0 = time.perf_counter()
        info = build_demo(Settings(database_url=b.url), progress=False)
        info["build_s"] = time.perf_counter() - t0
        info["insert_s"], info["inserted"] = spent
        if kind == "postgresql":
            with b.engine.begin() as conn:
                conn.execute(text("ALTER TABLE observations SET (autovacuum_enabled = off)"))
        return b, info, None
    except Exception as exc:  # noqa: BLE001 - the catalog may be mid-edit; fall back to synthetic data
        b.drop()
        return None, None, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    finally:
        repo.insert_observations = shipped


def demo_targets(b: Backend) -> tuple[list, list, pd.DataFrame]:
    """Codes and adcodes that hold data in the demo store, and rows per (indicator, region)."""
    with b.engine.connect() as conn:
        counts = pd.DataFrame(conn.execute(text(
            "SELECT s.indicator, s.region, count(*) AS n FROM observations o JOIN series s ON s.id = o.series_id "
            "GROUP BY s.indicator, s.region")).all(), columns=["indicator", "region", "n"])
    return sorted(counts.indicator.unique()), sorted(counts.region.unique()), counts


# --- queries ---------------------------------------------------------------------------------

def query_plan(codes, adcodes, reps: int, seed: int, as_of_range, counts: pd.DataFrame | None):
    """The random arguments of every repetition, fixed up front so every reader sees the same ones."""
    rng = np.random.default_rng(seed)
    lo, hi = as_of_range
    days = (hi - lo).days
    if counts is not None:  # demo data: B picks a region holding >= 50 indicators, or the richest ones
        per_region = counts.groupby("region").indicator.unique()
        richest = per_region[per_region.map(len) >= min(50, per_region.map(len).max())]
    out = []
    for _ in range(reps):
        code = codes[rng.integers(len(codes))]
        if counts is not None:
            region = richest.index[rng.integers(len(richest))]
            pool = list(per_region[region])
        else:
            region = adcodes[rng.integers(len(adcodes))]
            pool = codes
        inds = [pool[j] for j in sorted(rng.choice(len(pool), min(50, len(pool)), replace=False))]
        as_of = lo + dt.timedelta(days=int(rng.integers(days)))
        out.append(dict(code=code, region=region, inds=inds, as_of=as_of))
    return out


_NOJIT: dict = {}


def _nojit(engine):
    """The same database through connections with ``jit = off``."""
    key = str(engine.url)
    if key not in _NOJIT:
        url = engine.url.render_as_string(hide_password=False)
        url += ("%20-cjit%3Doff" if "options=" in url else ("&" if "?" in url else "?") + "options=-cjit%3Doff")
        _NOJIT[key] = make_engine(url)
    return _NOJIT[key]


READERS = [
    ("legacy", legacy_store.read_observations),
    ("shipped", repo.read_observations),
    ("shipped_nojit", lambda engine, **kw: repo.read_observations(_nojit(engine), **kw)),
    ("cursor", alt.read_observations_cursor),
    ("fast", alt.read_observations_fast),
]
READER_TITLES = {
    "legacy": "before: `read_observations` at d5c3379 (NOT EXISTS, frame from Rows)",
    "shipped": "current `repo.read_observations`",
    "shipped_nojit": "current `repo.read_observations`, connection with `jit = off`",
    "cursor": "`storage_alt.read_observations_cursor` (current SQLAlchemy statement run on the DBAPI cursor)",
    "fast": "`storage_alt.read_observations_fast` (hand-written SQL, binary DBAPI cursor)",
}
STATE_TITLES = {"ANALYZE": "after ANALYZE", "VACUUM": "after VACUUM ANALYZE",
                "covering": "+ covering index (PK kept)", "pk_include": "PK rebuilt with INCLUDE, no extra index"}
PK_INCLUDE = "PRIMARY KEY (series_id, period, realtime_start) INCLUDE (value, batch_id, status)"
COVERING = "(series_id, period, realtime_start DESC) INCLUDE (value, batch_id, status)"

QUERIES = [
    ("A latest", lambda p: dict(indicators=p["code"])),
    ("A as-of", lambda p: dict(indicators=p["code"], as_of=p["as_of"])),
    ("B latest", lambda p: dict(regions=p["region"], indicators=p["inds"])),
    ("B as-of", lambda p: dict(regions=p["region"], indicators=p["inds"], as_of=p["as_of"])),
]


def pk_include(conn) -> None:
    conn.execute(text("ALTER TABLE observations DROP CONSTRAINT pk_observations"))
    conn.execute(text(f"ALTER TABLE observations ADD CONSTRAINT pk_observations {PK_INCLUDE}"))


def drop_observation_fks(conn) -> None:
    for name in ("fk_observations_series_id_series", "fk_observations_batch_id_import_batches"):
        conn.execute(text(f"ALTER TABLE observations DROP CONSTRAINT IF EXISTS {name}"))


LOAD_VARIANTS = {  # label, inserter, schema change made before the load
    "postgresql": [("before: text COPY via DataFrame.to_csv, FKs on observations (d5c3379)",
                    legacy_store.insert_observations, legacy_store.restore_foreign_keys),
                   ("proposal: current code, PK with INCLUDE (value, batch_id, status)", repo.insert_observations,
                    pk_include)],
    "sqlite": [("before: per-row executemany, FKs on observations (d5c3379)", legacy_store.insert_observations,
                legacy_store.restore_foreign_keys)],
}


def time_queries(b: Backend, reader, plan, warmup: int = 3) -> dict:
    out = {}
    for name, args in QUERIES:
        for p in plan[:warmup]:
            reader(b.engine, **args(p))
        ms, rows = [], []
        for p in plan:
            t0 = time.perf_counter()
            frame = reader(b.engine, **args(p))
            ms.append(1000 * (time.perf_counter() - t0))
            rows.append(len(frame))
        out[name] = dict(p50=pct(ms, 50), p95=pct(ms, 95), mean=statistics.fmean(ms), rows=statistics.fmean(rows),
                         rows_max=max(rows))
    return out


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    return frame.assign(realtime_start=pd.to_datetime(frame.realtime_start).astype("datetime64[us]"),
                        batch_id=frame.batch_id.astype("int64"), value=frame.value.astype(float),
                        **{c: frame[c].astype(str) for c in ("indicator", "region", "period", "status")})


def check_same(b: Backend, plan, readers) -> str:
    """Every reader must return exactly what the legacy read_observations returns."""
    for name, args in QUERIES:
        for p in plan[:3]:
            ref = _norm(legacy_store.read_observations(b.engine, **args(p)))
            for lbl, fn in readers[1:]:
                got = _norm(fn(b.engine, **args(p)))
                if not ref.equals(got):
                    return f"{lbl} DIFFERENT on {name} ({len(ref)} vs {len(got)} rows)"
    return f"identical (3 argument sets × 4 queries × {len(readers) - 1} readers)"


def capture_sql(b: Backend, reader, **kwargs) -> tuple[str, object]:
    seen = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(b.engine, "before_cursor_execute", grab)
    try:
        reader(b.engine, **kwargs)
    finally:
        event.remove(b.engine, "before_cursor_execute", grab)
    return [s for s in seen if "observations" in s[0]][-1]


def profile_read(b: Backend, p: dict, reps: int = 15) -> dict:
    """Where one call's time goes: the driver (server + wire + decoding), SQLAlchemy, the DataFrame."""
    res = {}
    med = lambda v: 1000 * statistics.median(v)  # noqa: E731
    for name, args in QUERIES:
        kw = args(p)
        res[name] = {}
        for lbl, reader in READERS[:2]:
            sql, params = capture_sql(b, reader, **kw)
            t_total, t_drv, t_sa, t_rows_df, t_tup_df = [], [], [], [], []
            for _ in range(reps):
                t0 = time.perf_counter()
                reader(b.engine, **kw)
                t_total.append(time.perf_counter() - t0)
                with b.engine.connect() as conn:
                    raw = conn.connection.driver_connection
                    cur = raw.cursor()
                    t1 = time.perf_counter()
                    cur.execute(sql, params)
                    tuples = cur.fetchall()
                    t_drv.append(time.perf_counter() - t1)
                    cur.close()
                    t2 = time.perf_counter()
                    rows = conn.exec_driver_sql(sql, params).all()
                    t_sa.append(time.perf_counter() - t2)
                t3 = time.perf_counter()
                pd.DataFrame(rows, columns=alt.COLUMNS)
                t_rows_df.append(time.perf_counter() - t3)
                t4 = time.perf_counter()
                pd.DataFrame(tuples, columns=alt.COLUMNS)
                t_tup_df.append(time.perf_counter() - t4)
            v = dict(total=med(t_total), driver=med(t_drv), sa_rows=med(t_sa), df_rows=med(t_rows_df),
                     df_tuples=med(t_tup_df))
            if b.kind == "postgresql":
                with b.engine.connect() as conn:
                    with conn.connection.driver_connection.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                        v["plan"] = "\n".join(r[0] for r in cur.fetchall())
            res[name][lbl] = v
    return res


# --- load profile (PostgreSQL): what one chunk of COPY costs --------------------------------

def profile_pg_load(synth: Synthetic, n_ind: int, chunk_rows: int) -> list[dict]:
    """Load the first ``n_ind`` indicators of ``synth`` into fresh schemas, several ways, same rows."""
    frames = []
    per_ind = synth.n_reg * synth.n_months
    step = max(1, chunk_rows // per_ind)
    out = []
    variants = [
        ("before: text COPY via DataFrame.to_csv, PK + 2 FKs", legacy_store.insert_observations, dict(fk=True)),
        ("text COPY, no FKs (PK only)", legacy_store.insert_observations, {}),
        ("binary COPY (storage/copy.py), PK + 2 FKs", repo.insert_observations, dict(fk=True)),
        ("binary COPY, only the FK to series", repo.insert_observations, dict(fk=True, drop_batch_fk=True)),
        ("current: binary COPY, no FKs (PK only)", repo.insert_observations, {}),
        ("current + PK with INCLUDE (value, batch_id, status)", repo.insert_observations, dict(pk_include=True)),
        ("binary COPY, no PK, no FK; PK built after (bulk backfill only)", repo.insert_observations,
         dict(pk_after=True)),
    ]
    for label, fn, opt in variants:
        b = new_backend("postgresql", "loadprof")
        try:
            s = Synthetic(synth.prefix, n_ind, synth.n_reg, synth.n_months, synth.revise_frac, synth.seed)
            with b.engine.begin() as conn:
                s.reference_rows(conn)
                if opt.get("fk"):
                    legacy_store.restore_foreign_keys(conn)
                if opt.get("drop_batch_fk"):
                    conn.execute(text("ALTER TABLE observations DROP CONSTRAINT fk_observations_batch_id_import_batches"))
                if opt.get("pk_include"):
                    pk_include(conn)
                if opt.get("pk_after"):
                    conn.execute(text("ALTER TABLE observations DROP CONSTRAINT pk_observations"))
            if not frames:
                for i0 in range(0, n_ind, step):
                    frames.extend(s.chunk(i0, min(n_ind, i0 + step)))
            rows = 0
            t0 = time.perf_counter()
            for k, frame in enumerate(frames):
                with b.engine.begin() as conn:
                    batch = repo.create_batch(conn, file_name=f"p{k}", sha256="0" * 64, format="bench",
                                              submitted_by="bench", vintage=dt.datetime(2020, 1, 1), status="loaded")
                    fn(conn, frame.assign(batch_id=batch))
                rows += len(frame)
            t_pk = 0.0
            if opt.get("pk_after"):
                a = time.perf_counter()
                with b.engine.begin() as conn:
                    conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '1GB'")
                    conn.execute(text("ALTER TABLE observations ADD CONSTRAINT pk_observations "
                                      "PRIMARY KEY (series_id, period, realtime_start)"))
                t_pk = time.perf_counter() - a
            wall = time.perf_counter() - t0
            out.append(dict(variant=label, rows=rows, pk_s=t_pk, wall_s=wall, rows_per_s=rows / wall))
            log(f"load profile: {label}: {rows / wall / 1e3:.0f}k rows/s")
        finally:
            b.drop()
    from storage.copy import observations_payload
    n = sum(len(f) for f in frames)
    for label, build in (("Python only: DataFrame.to_csv (before)", alt.csv_payload),
                         ("Python only: numpy binary COPY buffer (current)", observations_payload)):
        a = time.perf_counter()
        for f in frames:
            build(f.assign(batch_id=1))
        s_ = time.perf_counter() - a
        out.append(dict(variant=label, rows=n, wall_s=s_, rows_per_s=n / s_))
    return out


# --- one scale × backend ----------------------------------------------------------------------

def load_store(kind, scale, n_ind, n_mon, args, inserter, change, label) -> tuple[Backend, dict, Synthetic]:
    synth = Synthetic("stress" if scale == "stress" else "prov", n_ind, N_REGIONS, n_mon, args.revise)
    b = new_backend(kind, scale + ("_main" if change is None else "_variant"))
    if change is not None:
        with b.engine.begin() as conn:
            change(conn)
    log(f"{label}: {synth.rows_v1:,} observations + ~{args.revise:.0%} revisions into {b.url}")
    return b, synth.load(b, inserter, args.chunk_rows, label), synth


def run_one(scale: str, kind: str, args) -> dict:
    res = dict(scale=scale, backend=kind, notes=[])
    n_ind = args.indicators or (PROVINCE if scale == "province" else STRESS)["indicators"]
    n_mon = args.months or (PROVINCE if scale == "province" else STRESS)["months"]
    backend = counts = None
    if scale == "province" and not args.synthetic:
        log(f"{kind} province: building the demo database")
        backend, info, err = try_demo(kind, repo.insert_observations)
        if backend is not None:
            codes, adcodes, counts = demo_targets(backend)
            res.update(source="demo database", rows=info["observations"], indicators=info["indicators"],
                       regions=len(adcodes), series=info["series"], months="2015-01…2026-10",
                       load=dict(rows=info["inserted"], insert_s=info["insert_s"], build_s=info["build_s"],
                                 rows_per_s=info["inserted"] / info["insert_s"], demo=True))
            res["notes"].append(
                f"demo build {info['build_s']:.1f} s end to end ({info['observations']:,} observations, "
                f"{info['series']:,} series, mixed frequencies); `insert_observations` inside it "
                f"{info['insert_s']:.1f} s = **{info['inserted'] / info['insert_s'] / 1e3:.0f}k rows/s**")
            as_of_range = (dt.date(2021, 1, 1), dt.date(2026, 11, 20))
            if not args.no_compare:
                lb, linfo, lerr = try_demo(kind, legacy_store.insert_observations, legacy=True)
                if lb is not None:
                    res["load_variants"] = {
                        "before: d5c3379 insert_observations" + (", FKs on observations" if kind == "postgresql"
                                                                 else " (SQLite table without FKs)"):
                        dict(rows=linfo["inserted"], insert_s=linfo["insert_s"],
                             rows_per_s=linfo["inserted"] / linfo["insert_s"], build_s=linfo["build_s"])}
                    lb.drop()
        else:
            res["notes"].append(f"demo build failed ({err}); synthetic province-scale data used instead")
            log(f"demo build failed: {err} — synthesising province-scale data")
    if backend is None:
        backend, load, synth = load_store(kind, scale, n_ind, n_mon, args, repo.insert_observations, None,
                                          f"{kind} {scale} load (current code)")
        codes, adcodes = synth.codes, synth.adcodes
        res.update(source="synthetic", rows=load["rows"], indicators=n_ind, regions=N_REGIONS, months=n_mon,
                   series=n_ind * N_REGIONS, load=load)
        first = synth.months[0].to_timestamp().date()
        last = synth.months[-1].to_timestamp(how="end").date()
        as_of_range = (first + (last - first) / 2, last + dt.timedelta(days=60))
    try:
        res["analyze_s"] = analyze(backend)
        if kind == "postgresql":
            res["sizes"] = pg_sizes(backend)
        plan = query_plan(codes, adcodes, args.reps, 7, as_of_range, counts)
        readers = READERS if kind == "postgresql" else [r for r in READERS if r[0] != "shipped_nojit"]
        if args.no_compare:
            readers = [r for r in readers if r[0] == "shipped"]
        else:
            res["same_result"] = check_same(backend, plan, readers)
        log(f"{kind} {scale}: timing queries ({args.reps} reps × {len(QUERIES)} × {len(readers)} readers)")
        reads = res["reads"] = {}
        for lbl, fn in readers:
            reads[(lbl, "ANALYZE")] = time_queries(backend, fn, plan)
        res["queries"] = reads[("shipped", "ANALYZE")]
        if not args.no_compare:
            res["read_profile"] = profile_read(backend, plan[0])
            if kind == "postgresql":
                log(f"{kind} {scale}: VACUUM, covering index, PK with INCLUDE")
                res["vacuum_s"] = analyze(backend, vacuum=True)
                for lbl, fn in readers:
                    reads[(lbl, "VACUUM")] = time_queries(backend, fn, plan)
                a = time.perf_counter()
                with backend.engine.begin() as conn:
                    conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '1GB'")
                    conn.exec_driver_sql(f"CREATE INDEX ix_bench_obs_covering ON observations {COVERING}")
                res["covering_build_s"] = time.perf_counter() - a
                analyze(backend, vacuum=True)
                res["sizes_covering"] = pg_sizes(backend)
                for lbl, fn in readers:
                    reads[(lbl, "covering")] = time_queries(backend, fn, plan)
                a = time.perf_counter()
                with backend.engine.begin() as conn:
                    conn.exec_driver_sql("DROP INDEX ix_bench_obs_covering")
                    conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '1GB'")
                    pk_include(conn)
                res["pk_include_build_s"] = time.perf_counter() - a
                analyze(backend, vacuum=True)
                res["sizes_pk_include"] = pg_sizes(backend)
                for lbl, fn in readers:
                    reads[(lbl, "pk_include")] = time_queries(backend, fn, plan)
                res["read_profile_pk_include"] = profile_read(backend, plan[0], reps=7)
        if res["source"] == "synthetic":
            res["incremental"] = incremental(backend)
    finally:
        if args.keep:
            res["notes"].append(f"kept: {backend.schema or backend.path}")
        else:
            backend.drop()
    if res["source"] == "synthetic" and not args.no_compare:
        res["load_variants"] = {}
        for lbl, fn, change in LOAD_VARIANTS[kind]:
            b2, load2, _ = load_store(kind, scale, n_ind, n_mon, args, fn, change, f"{kind} {scale} load ({lbl[:40]})")
            b2.drop()
            res["load_variants"][lbl] = load2
        if kind == "postgresql":
            log("load profile on a 2M-row sample")
            s3 = Synthetic("stress" if scale == "stress" else "prov", n_ind, N_REGIONS, n_mon, args.revise)
            res["load_profile"] = profile_pg_load(s3, max(1, 2_000_000 // (N_REGIONS * n_mon)), args.chunk_rows)
    return res


def incremental(b: Backend) -> dict:
    """Append one month to every series (the shape of a monthly import) on the loaded table."""
    with b.engine.connect() as conn:
        sids = np.array(conn.execute(text("SELECT id FROM series WHERE indicator LIKE 'stress%' OR "
                                          "indicator LIKE 'prov%' ORDER BY id")).scalars().all())
    nxt = pd.Period(END_MONTH, freq="M") + 1
    frame = pd.DataFrame({"series_id": sids, "period": str(nxt),
                          "realtime_start": pd.Timestamp(nxt.end_time.date()) + pd.Timedelta(days=20),
                          "value": np.random.default_rng(1).normal(100, 10, len(sids)), "status": "ok"})
    out = {}
    for k, (label, fn) in enumerate((("current", repo.insert_observations),
                                     ("before (d5c3379 inserter)", legacy_store.insert_observations))):
        f = frame.assign(realtime_start=frame.realtime_start + pd.Timedelta(days=k))
        t0 = time.perf_counter()
        with b.engine.begin() as conn:
            batch = repo.create_batch(conn, file_name=f"incremental {label}", sha256="1" * 64, format="bench",
                                      submitted_by="bench", vintage=dt.datetime(2026, 12, 1), status="loaded")
            fn(conn, f.assign(batch_id=batch))
        s = time.perf_counter() - t0
        out[label] = dict(rows=len(f), s=s, rows_per_s=len(f) / s)
    return out


# --- report ----------------------------------------------------------------------------------

def fmt_rate(v) -> str:
    return f"{v / 1e3:,.0f}k" if v else "–"


def _cells(q) -> str:
    return " | ".join(f"{q[n]['p50']:.1f} / {q[n]['p95']:.1f}" for n, _ in QUERIES)


def render(results: list[dict], argv: list[str], info: dict, started: dt.datetime, wall: float) -> str:
    L = []
    L.append(f"## {started:%Y-%m-%d %H:%M} — `{' '.join(['python bench/run_storage.py', *map(shlex.quote, argv)])}`")
    L.append("")
    L.append(f"Code: storage/ at commit {info['commit']}{' (with local changes)' if info['dirty'] else ''}; "
             f"\"before\" = the d5c3379 code kept in `bench/storage_legacy.py`.")
    L.append(f"Machine: {info['cores']} cores, {info['mem_gib']} GiB, Linux {info['kernel']}, Python {info['python']}, "
             f"PostgreSQL {info['postgresql']} ({info.get('pg_settings', '')}), SQLite {info['sqlite']}. "
             f"Run took {wall / 60:.1f} min; load average {info['load_start']} at the start, "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end (shared machine: other sessions' tests "
             "run alongside, so p95 carries their noise).")
    L.append("")
    L.append("| scale | backend | code | data | rows | load rows/s | A latest p50/p95 ms | A as-of p50/p95 ms | "
             "B latest p50/p95 ms | B as-of p50/p95 ms |")
    L.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        if "error" in r:
            L.append(f"| {r['scale']} | {r['backend']} | | failed: {r['error']} | | | | | | |")
            continue
        data = f"{r['source']}: {r['indicators']} ind × {r['regions']} reg × {r['months']} mo"
        before = next((v for k, v in r.get("load_variants", {}).items() if k.startswith("before")), None)
        if ("legacy", "ANALYZE") in r["reads"]:
            L.append(f"| {r['scale']} | {r['backend']} | before (d5c3379) | {data} | {r['rows']:,} | "
                     f"{fmt_rate(before['rows_per_s']) if before else '–'} | {_cells(r['reads'][('legacy', 'ANALYZE')])} |")
        L.append(f"| {r['scale']} | {r['backend']} | current ({info['commit']}) | {data} | {r['rows']:,} | "
                 f"{fmt_rate(r['load']['rows_per_s'])} | {_cells(r['queries'])} |")
        if ("cursor", "pk_include") in r["reads"]:
            L.append(f"| {r['scale']} | {r['backend']} | proposal: + PK INCLUDE, rows from the DBAPI cursor | {data} | "
                     f"{r['rows']:,} | {fmt_rate(r['load_variants'][LOAD_VARIANTS['postgresql'][1][0]]['rows_per_s']) if LOAD_VARIANTS['postgresql'][1][0] in r.get('load_variants', {}) else '–'} | "
                     f"{_cells(r['reads'][('cursor', 'pk_include')])} |")
    L.append("")
    L.append("Rows returned (mean, max): " + "; ".join(
        f"{r['scale']}/{r['backend']}: " + ", ".join(
            f"{n} {r['queries'][n]['rows']:,.0f} ({r['queries'][n]['rows_max']:,})" for n, _ in QUERIES)
        for r in results if "queries" in r) + ".")
    L.append("")
    for r in results:
        if "error" in r:
            continue
        L.append(f"### {r['scale']} / {r['backend']}")
        L.append("")
        for n in r["notes"]:
            L.append(f"- {n}")
        ld = r["load"]
        if "gen_s" in ld:
            L.append(f"- load (current code): {ld['rows']:,} rows; `insert_observations` {ld['insert_s']:.1f} s "
                     f"({fmt_rate(ld['insert_rows_per_s'])} rows/s), batches + commits {ld['other_s']:.1f} s, data "
                     f"generation {ld['gen_s']:.1f} s (not counted): **{fmt_rate(ld['rows_per_s'])} rows/s**")
        for lbl, la in r.get("load_variants", {}).items():
            L.append(f"- same load, {lbl}: **{fmt_rate(la['rows_per_s'])} rows/s** "
                     f"(current is × {ld['rows_per_s'] / la['rows_per_s']:.2f} of it)")
        if "sizes" in r:
            L.append(f"- table {r['sizes']['heap_mb']:,.0f} MB + indexes {r['sizes']['index_mb']:,.0f} MB; "
                     f"ANALYZE {r['analyze_s']:.1f} s")
        if "incremental" in r:
            L.append("- incremental import (one new month for every series, into the loaded table): " + ", ".join(
                f"{k} {v['rows']:,} rows in {v['s']:.2f} s = {fmt_rate(v['rows_per_s'])} rows/s"
                for k, v in r["incremental"].items()))
        if "same_result" in r:
            L.append(f"- readers vs the d5c3379 read_observations: {r['same_result']}")
        L.append("")
        if len(r["reads"]) > 1:
            L.append("| reader | index state | " + " | ".join(f"{n} p50/p95 ms" for n, _ in QUERIES) + " |")
            L.append("|---|---|" + "---:|" * len(QUERIES))
            for (lbl, state), q in r["reads"].items():
                L.append(f"| {READER_TITLES[lbl]} | {STATE_TITLES[state]} | {_cells(q)} |")
            L.append("")
        if "covering_build_s" in r:
            L.append(f"Covering index `{COVERING}`: built in {r['covering_build_s']:.1f} s, indexes "
                     f"{r['sizes']['index_mb']:,.0f} → {r['sizes_covering']['index_mb']:,.0f} MB. Then dropped and the PK "
                     f"rebuilt as `{PK_INCLUDE}`: {r['pk_include_build_s']:.1f} s, indexes "
                     f"{r['sizes_pk_include']['index_mb']:,.0f} MB.")
            L.append("")
        for key, title in (("read_profile", "after ANALYZE"), ("read_profile_pk_include", "PK with INCLUDE")):
            if key not in r:
                continue
            L.append(f"Where one call's time goes ({title}; median ms, first argument set): driver = execute + "
                     "fetchall on the DBAPI cursor (server + wire + decoding); SQLAlchemy = `exec_driver_sql(...).all()`; "
                     "then a DataFrame from those Row objects vs from plain tuples.")
            L.append("")
            L.append("| query | reader | total | driver | SQLAlchemy | DataFrame(Rows) | DataFrame(tuples) |")
            L.append("|---|---|---:|---:|---:|---:|---:|")
            for n, per in r[key].items():
                for lbl, v in per.items():
                    L.append(f"| {n} | {lbl} | {v['total']:.1f} | {v['driver']:.1f} | {v['sa_rows']:.1f} | "
                             f"{v['df_rows']:.1f} | {v['df_tuples']:.1f} |")
            L.append("")
            if r["backend"] == "postgresql":
                for n, per in r[key].items():
                    if n not in ("A latest", "B as-of"):
                        continue
                    for lbl, v in per.items():
                        L.append(f"<details><summary>EXPLAIN (ANALYZE, BUFFERS) — {n}, {lbl} SQL ({title})</summary>"
                                 f"\n\n```\n{v['plan']}\n```\n</details>\n")
        if "load_profile" in r:
            L.append("Load profile on a ~2M-row sample (same rows each time, fresh schema, ~250k-row transactions):")
            L.append("")
            L.append("| variant | rows | seconds | rows/s |")
            L.append("|---|---:|---:|---:|")
            for v in r["load_profile"]:
                extra = f" (PK build {v['pk_s']:.1f} s)" if v.get("pk_s") else ""
                L.append(f"| {v['variant']} | {v['rows']:,} | {v['wall_s']:.2f}{extra} | {fmt_rate(v['rows_per_s'])} |")
            L.append("")
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["province", "stress", "both"], default="both")
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--indicators", type=int, help="synthetic indicators (province 150, stress 1000)")
    ap.add_argument("--months", type=int, help="synthetic months (province 142, stress 180)")
    ap.add_argument("--reps", type=int, default=50, help="random repetitions per query (default 50)")
    ap.add_argument("--revise", type=float, default=0.05, help="share of rows given a second vintage")
    ap.add_argument("--chunk-rows", type=int, default=250_000, help="observations per insert transaction")
    ap.add_argument("--synthetic", action="store_true", help="province scale: skip the demo build")
    ap.add_argument("--no-compare", action="store_true",
                    help="only the current code: no before/after, prototypes, index variants or load profile")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema / SQLite file")
    ap.add_argument("--results", type=Path, default=RESULTS, help="markdown file to append to")
    args = ap.parse_args(argv)
    started = dt.datetime.now()
    t0 = time.perf_counter()
    info = machine()
    log(f"machine: {info}")
    scales = ["province", "stress"] if args.scale == "both" else [args.scale]
    kinds = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results = []
    for scale in scales:
        for kind in kinds:
            try:
                results.append(run_one(scale, kind, args))
            except Exception as exc:  # noqa: BLE001 - report and go on with the other runs
                traceback.print_exc()
                results.append(dict(scale=scale, backend=kind, error=f"{type(exc).__name__}: {exc}"[:200]))
    md = render(results, argv, info, started, time.perf_counter() - t0)
    print(md)
    with open(args.results, "a", encoding="utf-8") as f:
        f.write("\n" + md)
    log(f"appended to {args.results}")
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
