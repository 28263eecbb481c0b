"""Import a file: parse, validate, and store all or nothing, with its batch record.

A rejected file leaves only the batch record and its errors. Re-importing the same file (same
sha256) is a no-op; a file whose values changed adds new vintages and never overwrites.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from indicators.importers.mapping import Mapper, shipped_mappings
from indicators.importers.parsers import ParseError, parse_file
from indicators.importers.problems import Problem, problem
from indicators.importers.validate import check_rows
from services.context import Context
from storage import repository as repo

CITY_SUM_TOLERANCE = 0.05  # cities' sum vs the regional total: a warning beyond 5 %


@dataclass
class IngestResult:
    batch_id: int | None
    status: str  # loaded | unchanged | rejected
    file_name: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    series: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def as_json(self) -> dict:
        return {
            "batch_id": self.batch_id, "status": self.status, "file": self.file_name,
            "rows_read": self.rows_read, "rows_loaded": self.rows_loaded, "rows_unchanged": self.rows_unchanged,
            "rows_rejected": self.rows_rejected, "series": self.series, "warnings": self.warnings,
            "errors": [{k: e[k] for k in ("row", "column", "message_zh", "message_en")} for e in self.errors],
        }


def ingest_file(ctx: Context, path: str | Path, format: str = "auto", source_unit: str | None = None,
                submitted_by: str | None = None, now: dt.datetime | None = None) -> IngestResult:
    path = Path(path)
    now = now or repo.utcnow()
    user = submitted_by or ctx.viewer.user
    content = path.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    base = dict(file_name=path.name, sha256=sha, submitted_by=user, submitted_at=now, vintage=now)

    with ctx.engine.begin() as conn:
        previous = repo.batch_with_sha(conn, sha)
    if previous is not None:
        return _record_unchanged(ctx, base, format, source_unit, previous)

    try:
        parsed = parse_file(path, format)
    except ParseError as exc:
        zh, _, en = str(exc).partition(" / ")
        return _reject(ctx, base, format, source_unit, 0,
                       [Problem(None, None, None, zh or str(exc), en or str(exc))])

    with ctx.engine.connect() as conn:
        mapper = Mapper(repo.mappings(conn), shipped_mappings()[1])
    checked = check_rows(parsed, ctx.catalog, ctx.regions, mapper)
    rows_read = len(parsed.rows)
    fmt = parsed.format
    unit = source_unit or parsed.meta.get("source_unit") or _single(checked.frame, "source_unit")
    if checked.errors:
        return _reject(ctx, base, fmt, unit, rows_read, checked.errors)

    frame = checked.frame
    frame["vintage"] = frame["vintage"].fillna(pd.Timestamp(now))
    with ctx.engine.begin() as conn:
        ids = repo.series_ids(conn, set(zip(frame["indicator"], frame["region"])))
        frame["series_id"] = [ids[k] for k in zip(frame["indicator"], frame["region"])]
        stored = repo.latest_values(conn, sorted(set(frame["series_id"])))
        merged = frame.merge(stored.rename(columns={"value": "stored"}), on=["series_id", "period"], how="left")
        changed = merged["stored"].isna() | ((merged["value"] - merged["stored"]).abs() > 1e-9 * merged["stored"].abs().clip(lower=1))
        new = merged[changed]
        stored_problems = _ytd_against_stored(ctx, conn, new)
        if stored_problems:
            conn.rollback()
            return _reject(ctx, base, fmt, unit, rows_read, stored_problems)
        warnings = [w.as_dict() for w in _city_sum_warnings(ctx, conn, frame)]
        status = "loaded" if len(new) else "unchanged"
        batch_id = repo.create_batch(conn, **base, format=fmt, source_unit=unit, status=status,
                                     rows_read=rows_read, rows_loaded=len(new), rows_unchanged=int((~changed).sum()),
                                     warnings=warnings)
        if len(new):
            repo.insert_observations(conn, pd.DataFrame({
                "series_id": new["series_id"], "period": new["period"], "realtime_start": new["vintage"],
                "value": new["value"], "batch_id": batch_id, "status": "ok"}))
            repo.bump_data_version(conn, sorted(set(new["indicator"])))
        repo.audit(conn, user, "import", path.name, {"batch_id": batch_id, "status": status, "rows": len(new)})
    series = (new.groupby(["indicator", "region"]).size().reset_index(name="rows")
              .to_dict(orient="records")) if len(new) else []
    return IngestResult(batch_id, status, path.name, rows_read, len(new), int((~changed).sum()), 0,
                        [dict(indicator=s["indicator"], region=s["region"], rows=int(s["rows"])) for s in series],
                        warnings)


def _single(frame: pd.DataFrame, column: str) -> str | None:
    values = {v for v in frame[column].dropna() if v}
    return values.pop() if len(values) == 1 else None


def _record_unchanged(ctx, base, fmt, unit, previous) -> IngestResult:
    with ctx.engine.begin() as conn:
        batch_id = repo.create_batch(conn, **base, format=previous["format"] if fmt == "auto" else fmt,
                                     source_unit=unit or previous["source_unit"], status="unchanged",
                                     rows_read=previous["rows_read"], rows_unchanged=previous["rows_read"])
        repo.audit(conn, base["submitted_by"], "import", base["file_name"],
                   {"batch_id": batch_id, "status": "unchanged", "same_as_batch": previous["id"]})
    return IngestResult(batch_id, "unchanged", base["file_name"], previous["rows_read"], 0, previous["rows_read"])


def _reject(ctx, base, fmt, unit, rows_read, problems: list[Problem]) -> IngestResult:
    errors = [p.as_dict() for p in problems]
    bad_rows = {p.row for p in problems if p.row}
    rejected = len(bad_rows) if bad_rows else rows_read
    with ctx.engine.begin() as conn:
        batch_id = repo.create_batch(conn, **base, format=fmt, source_unit=unit, status="rejected",
                                     rows_read=rows_read, rows_rejected=rejected)
        repo.add_rejected_rows(conn, batch_id, errors)
        repo.audit(conn, base["submitted_by"], "import", base["file_name"],
                   {"batch_id": batch_id, "status": "rejected", "errors": len(errors)})
    return IngestResult(batch_id, "rejected", base["file_name"], rows_read, 0, 0, rejected, errors=errors)


def _ytd_against_stored(ctx: Context, conn, new: pd.DataFrame) -> list[Problem]:
    """A new year-to-date value below the stored value of an earlier month of the same year."""
    out = []
    for (code, region), g in new.groupby(["indicator", "region"]):
        ind = ctx.catalog[code]
        if ind.publication != "ytd_level" or ind.plausible_min is None or ind.plausible_min < 0:
            continue
        years = sorted({p[:4] for p in g["period"]})
        stored = repo.read_observations(conn, code, region, start=years[0], end=years[-1])
        merged = pd.concat([stored[["period", "value"]].assign(row=None), g[["period", "value", "row"]]])
        merged = merged.drop_duplicates("period", keep="last").sort_values("period")
        for year, y in merged.groupby(merged["period"].str[:4]):
            best = None
            for r in y.itertuples(index=False):
                if best is not None and pd.notna(r.row) and r.value < best.value - 1e-9:
                    out.append(problem(int(r.row), "value", r.value,
                                       f"累计值低于已入库的{best.period}（{best.value}）",
                                       f"year-to-date value below the stored {best.period} ({best.value})",
                                       f"不小于 {best.value}", f"at least {best.value}"))
                if best is None or r.value >= best.value:
                    best = r
    return out


def _city_sum_warnings(ctx: Context, conn, frame: pd.DataFrame) -> list[Problem]:
    """The 14 cities should add up to the regional total (a warning: definitions differ slightly)."""
    out = []
    city_codes = {r.adcode for r in ctx.regions.cities()}
    for code, g in frame.groupby("indicator"):
        ind = ctx.catalog[code]
        if ind.aggregation != "sum" or not ({"450000"} | city_codes) & set(g["region"]):
            continue
        periods = sorted(set(g["period"]))
        stored = repo.read_observations(conn, code, ["450000", *city_codes], start=periods[0], end=periods[-1])
        both = pd.concat([stored[["region", "period", "value"]], g[["region", "period", "value"]]])
        both = both.drop_duplicates(["region", "period"], keep="last")
        both = both[both["period"].isin(periods)]
        for period, p in both.groupby("period"):
            cities = p[p["region"].isin(city_codes)]
            total = p.loc[p["region"] == "450000", "value"]
            if len(cities) == len(city_codes) and len(total) and total.iloc[0]:
                gap = cities["value"].sum() / total.iloc[0] - 1
                if abs(gap) > CITY_SUM_TOLERANCE:
                    out.append(problem(None, "value", f"{cities['value'].sum():.2f}",
                                       f"{ind.name_zh} {period} 各市合计与全区总量相差 {gap:+.1%}",
                                       f"{ind.name_en} {period}: the cities add up to {gap:+.1%} off the regional total",
                                       f"约 {total.iloc[0]:.2f}（±{CITY_SUM_TOLERANCE:.0%}）",
                                       f"about {total.iloc[0]:.2f} (±{CITY_SUM_TOLERANCE:.0%})"))
    return out
