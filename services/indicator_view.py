"""View models of the indicator detail page (指标详情): what an analyst drilling into one indicator sees.

Pure reads taking ``ctx``; no Dash. One request — indicator, region, transform, as-of date,
regions to compare — is checked once by :func:`parse_request`, which keeps what is valid and
says in Chinese and English what was not. The view models:

* :func:`metadata` — definition, unit, source unit, frequency, release lag, last update;
* :func:`quality_status` — the batch of the latest value, late submissions, revisions, whether the
  latest period is overdue given the catalog release lag, rejected rows that name the indicator;
* :func:`chart` — the series in the chosen transform as known on the as-of date, compared
  regions, and the first releases of revised periods (the revision overlay);
* :func:`ranking` — the latest period's value of each of the 14 cities, ranked;
* :func:`data_table` and :func:`xlsx_bytes` — the figures behind the chart, for the grid and for
  download (cells that a spreadsheet would read as a formula are neutralised).

Seasonally adjusted and trend series are never computed here: they are read from the results of
the batch refresh (``adjusted_series``); where they are absent the view says why.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import func, or_, select

from indicators.periods import parse_period
from indicators.regions import GUANGXI, NATIONAL, RegionError
from indicators.registry import Indicator
from services.analytics import analysis_date
from services.cache import cached
from services.context import Context
from services.inputs import analysis_form
from services.series import SeriesRequestError, apply_transform
from storage import repository as repo
from storage import results as store
from storage import tables as t

TRANSFORMS = ("level", "monthly", "ytd", "yoy", "mom", "sa", "trend")
STORED_TRANSFORMS = {"sa": "seasonally_adjusted", "trend": "trend"}  # read from adjusted_series
MAX_COMPARE = 6
MIN_DATE = dt.date(2000, 1, 1)
_FREQ_PERIODS = {"M": 12, "Q": 4, "A": 1}
QUERY_DEFAULTS = {"region": GUANGXI, "transform": "level"}  # what a URL of the page leaves out


class IndicatorRequestError(ValueError):
    """A request the page cannot answer at all (unknown indicator); the message is bilingual."""


@dataclass(frozen=True)
class Note:
    """A sentence for the reader in both languages; ``kind`` is info or warning."""

    zh: str
    en: str
    kind: str = "info"

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass
class IndicatorRequest:
    code: str
    region: str
    transform: str = "level"
    as_of: dt.date | None = None
    compare: tuple[str, ...] = ()
    problems: list[Note] = field(default_factory=list)  # what in the URL was invalid and ignored

    def query(self) -> dict:
        """The view state as URL query parameters (defaults left out)."""
        return {
            "region": self.region if self.region != QUERY_DEFAULTS["region"] else None,
            "transform": self.transform if self.transform != QUERY_DEFAULTS["transform"] else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "compare": ",".join(self.compare) or None,
        }


# ---- the request -----------------------------------------------------------------------------

def indicator(ctx: Context, code: str) -> Indicator:
    if not code or code not in ctx.catalog:
        raise IndicatorRequestError(f"未知指标“{code}” / unknown indicator '{code}'")
    return ctx.catalog[code]


def region_options(ctx: Context, ind: Indicator) -> list:
    """The regions the indicator is published for and the viewer may see: nation, Guangxi, peer
    provinces, the 14 cities, the counties — in that order."""
    levels = set(ind.region_levels)
    out = []
    if "national" in levels:
        out.append(ctx.regions[NATIONAL])
    if "province" in levels:
        out.append(ctx.regions[GUANGXI])
        out += [r for r in ctx.regions.peers() if r.adcode != GUANGXI]
    if "city" in levels:
        out += ctx.regions.cities()
    if "county" in levels:
        out += ctx.regions.counties()
    return [r for r in out if ctx.viewer.can_see(r.adcode)]


def available_transforms(ind: Indicator) -> tuple[str, ...]:
    """The transforms that make sense for the indicator, found by asking ``apply_transform`` itself
    on a short synthetic series (so this page and ``app.py series`` cannot disagree). Every request
    asks, so the answer is remembered for the indicator's definition."""
    key = ind.model_dump_json()
    if key not in _AVAILABLE:
        _AVAILABLE[key] = _probe_transforms(ind)
    return _AVAILABLE[key]


_AVAILABLE: dict[str, tuple[str, ...]] = {}


def _probe_transforms(ind: Indicator) -> tuple[str, ...]:
    labels = _synthetic_labels(ind.frequency)
    probe = pd.Series(np.arange(1, len(labels) + 1, dtype=float) * 10.0, index=labels)
    out = []
    for name in TRANSFORMS[:5]:
        try:
            apply_transform(ind, probe, name)
        except SeriesRequestError:
            continue
        out.append(name)
    if seasonally_adjustable(ind):
        out += ["sa", "trend"]
    return tuple(out)


def seasonally_adjustable(ind: Indicator) -> bool:
    """The batch refresh adjusts levels (single-period flows and stocks) of monthly and quarterly
    series; growth rates and indices are free of seasonality and are left as they are."""
    return ind.frequency in ("M", "Q") and analysis_form(ind) in ("single", "level")


def _synthetic_labels(frequency: str) -> list[str]:
    if frequency == "M":
        return [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
    if frequency == "Q":
        return [f"{y}Q{q}" for y in (2023, 2024) for q in range(1, 5)]
    return ["2022", "2023", "2024"]


def parse_request(ctx: Context, code: str, region=None, transform=None, as_of=None, compare=None) -> IndicatorRequest:
    """The request read from URL values; invalid parts are replaced by defaults and reported."""
    ind = indicator(ctx, code)
    problems: list[Note] = []
    allowed = {r.adcode for r in region_options(ctx, ind)}
    default_region = GUANGXI if GUANGXI in allowed else next(iter(sorted(allowed)), GUANGXI)

    region_code = default_region
    if _single(region):
        found = _find_region(ctx, _single(region), problems)
        if found is not None:
            if found.adcode not in allowed:
                problems.append(_not_published(ind, found))
            else:
                region_code = found.adcode

    name = _single(transform) or "level"
    if name not in TRANSFORMS:
        problems.append(Note(f"未知变换“{name}”，已显示发布值", f"unknown transform '{name}'; showing the values as published",
                             "warning"))
        name = "level"
    elif name not in available_transforms(ind):
        zh, en = TRANSFORM_LABELS[name]
        problems.append(Note(f"“{ind.name_zh}”不能显示为{zh}，已显示发布值",
                             f"'{ind.name_en}' cannot be shown as {en.lower()}; showing the values as published",
                             "warning"))
        name = "level"

    as_of_date = None
    if _single(as_of):
        try:
            as_of_date = dt.date.fromisoformat(_single(as_of))
        except ValueError:
            problems.append(Note(f"日期“{_single(as_of)}”格式应为 YYYY-MM-DD，已显示最新数据",
                                 f"date '{_single(as_of)}' must be YYYY-MM-DD; showing the latest data", "warning"))
        else:
            if as_of_date < MIN_DATE:
                problems.append(Note(f"日期“{as_of_date}”早于 {MIN_DATE}，已显示最新数据",
                                     f"date {as_of_date} is before {MIN_DATE}; showing the latest data", "warning"))
                as_of_date = None

    compared: list[str] = []
    raw = _single(compare) or ""
    for part in [p.strip() for p in raw.replace("，", ",").split(",") if p.strip()]:
        found = _find_region(ctx, part, problems)
        if found is None or found.adcode == region_code or found.adcode in compared:
            continue
        if found.adcode not in allowed:
            problems.append(_not_published(ind, found))
            continue
        if len(compared) == MAX_COMPARE:
            problems.append(Note(f"最多比较 {MAX_COMPARE} 个地区，其余已忽略",
                                 f"at most {MAX_COMPARE} regions can be compared; the others are ignored", "warning"))
            break
        compared.append(found.adcode)
    return IndicatorRequest(ind.code, region_code, name, as_of_date, tuple(compared), problems)


def _single(value) -> str | None:
    if isinstance(value, list):
        value = value[-1] if value else None
    text = str(value).strip() if value is not None else ""
    return text or None


def _find_region(ctx: Context, text: str, problems: list[Note]):
    try:
        found = ctx.regions.find(text)
    except RegionError as exc:
        problems.append(_split_note(str(exc), "warning"))
        return None
    if not ctx.viewer.can_see(found.adcode):
        problems.append(Note(f"无权查看“{found.name_zh}”", f"not permitted to see {found.name_en}", "warning"))
        return None
    return found


def _not_published(ind: Indicator, region) -> Note:
    return Note(f"“{ind.name_zh}”不发布{region.name_zh}的数据", f"'{ind.name_en}' is not published for {region.name_en}",
                "warning")


TRANSFORM_LABELS = {
    "level": ("发布值", "As published"),
    "monthly": ("当期值", "Single period"),
    "ytd": ("累计值", "Year to date"),
    "yoy": ("同比增长", "Year on year"),
    "mom": ("环比增长", "Period on period"),
    "sa": ("季节调整", "Seasonally adjusted"),
    "trend": ("趋势", "Trend"),
}


# ---- metadata and quality --------------------------------------------------------------------

def metadata(ctx: Context, req: IndicatorRequest) -> dict:
    """The catalog record of the indicator and when its series in the region was last updated."""
    ind = ctx.catalog[req.code]
    reg = ctx.regions[req.region]
    o, s = t.observations, t.series
    q = (select(func.max(o.c.realtime_start), func.max(o.c.period), func.count())
         .select_from(o.join(s, s.c.id == o.c.series_id))
         .where(s.c.indicator == ind.code, s.c.region == reg.adcode))
    with ctx.engine.connect() as conn:
        last_update, _max_label, n_rows = conn.execute(q).one()
    return {
        "code": ind.code, "name_zh": ind.name_zh, "name_en": ind.name_en,
        "definition_zh": ind.definition_zh, "definition_en": ind.definition_en,
        "unit": ind.unit, "source_unit": ind.source_unit, "frequency": ind.frequency,
        "publication": ind.publication, "price_basis": ind.price_basis, "release_lag_days": ind.release_lag_days,
        "jan_feb_combined": ind.jan_feb_combined, "decimals": ind.decimals, "domain": ind.domain,
        "region": reg.adcode, "region_name_zh": reg.name_zh, "region_name_en": reg.name_en,
        "last_update": _as_datetime(last_update), "n_rows": int(n_rows or 0), "demo": ctx.is_demo,
    }


def expected_latest_period(ind: Indicator, today: dt.date) -> str:
    """The latest period whose release date (period end + catalog release lag) is on or before today.
    January alone is not expected where January and February are released together."""
    freq = ind.frequency
    year, number = today.year, {"M": today.month, "Q": (today.month - 1) // 3 + 1, "A": 1}[freq]
    for _ in range(40):
        label = f"{year}" if freq == "A" else f"{year}Q{number}" if freq == "Q" else f"{year}-{number:02d}"
        p = parse_period(label, freq)
        skip = freq == "M" and number == 1 and ind.jan_feb_combined
        if not skip and p.end_date + dt.timedelta(days=ind.release_lag_days) <= today:
            return label
        number -= 1
        if number == 0:
            year, number = year - 1, _FREQ_PERIODS[freq]
    return label


def _period_key(label: str, freq: str) -> tuple[int, int]:
    p = parse_period(label, freq)
    return p.year, p.end_month


@cached(depends=lambda ctx, req, *a, **k: [req.code])
def quality_status(ctx: Context, req: IndicatorRequest, today: dt.date | None = None) -> dict:
    """Facts about the stored series of the indicator in the region (current vintages)."""
    ind = ctx.catalog[req.code]
    today = today or analysis_date(ctx)
    all_vintages = repo.read_observations(ctx.engine, ind.code, req.region, vintages=True)
    out: dict = {"today": today, "latest_period": None, "latest_value": None, "batch": None,
                 "late": [], "revised_periods": 0, "revisions": 0, "expected_period": None, "overdue": False,
                 "rejected_rows": 0, "rejected_batches": [], "faults": []}
    out["expected_period"] = expected_latest_period(ind, today)
    if not all_vintages.empty:
        current = all_vintages.sort_values("realtime_start").groupby("period", sort=False).tail(1)
        keys = current["period"].map(lambda p: _period_key(p, ind.frequency))
        latest = current.loc[keys.idxmax()]
        out["latest_period"] = str(latest["period"])
        out["latest_value"] = float(latest["value"])
        out["latest_vintage"] = latest["realtime_start"].to_pydatetime()
        out["batch"] = _batch(ctx, int(latest["batch_id"]))
        late = current[current["status"] != "ok"]
        out["late"] = [{"period": str(r.period), "status": str(r.status)} for r in late.itertuples()]
        counts = all_vintages.groupby("period").size()
        out["revised_periods"] = int((counts > 1).sum())
        out["revisions"] = int((counts - 1).clip(lower=0).sum())
        out["overdue"] = _period_key(out["latest_period"], ind.frequency) < _period_key(out["expected_period"],
                                                                                         ind.frequency)
    else:
        out["overdue"] = True
    out["rejected_rows"], out["rejected_batches"] = _rejected(ctx, ind)
    out["faults"] = _demo_faults(ctx, ind.code, req.region)
    return out


def _batch(ctx: Context, batch_id: int) -> dict | None:
    b = t.import_batches
    with ctx.engine.connect() as conn:
        row = conn.execute(select(b.c.id, b.c.file_name, b.c.format, b.c.source_unit, b.c.submitted_by,
                                  b.c.submitted_at, b.c.status).where(b.c.id == batch_id)).mappings().first()
    return dict(row) if row else None


def _rejected(ctx: Context, ind: Indicator) -> tuple[int, list[int]]:
    """Rejected rows that name the indicator (the rejected-row record keeps the value found and
    the message, not a parsed indicator, so this is a text match on code and names)."""
    r = t.rejected_rows
    cond = or_(r.c.found == ind.code, r.c.found == ind.name_zh, r.c.found == ind.name_en,
               r.c.message_zh.contains(f"“{ind.code}”"), r.c.message_zh.contains(ind.name_zh),
               r.c.message_en.contains(f"'{ind.code}'"))
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(r.c.batch_id).where(cond)).scalars().all()
    return len(rows), sorted(set(rows))


def _demo_faults(ctx: Context, code: str, region: str) -> list[dict]:
    """Faults the demo generator planted in this series (store metadata ``demo_faults``)."""
    import json

    raw = repo.get_meta(ctx.engine, "demo_faults")
    if not raw:
        return []
    try:
        faults = json.loads(raw)
    except ValueError:
        return []
    return [f for f in faults if f.get("indicator") == code
            and (f.get("region") == region or region in (f.get("regions") or []))]


def _as_datetime(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    return pd.Timestamp(value).to_pydatetime()


# ---- the chart ----------------------------------------------------------------------------------

@dataclass
class ChartView:
    lines: pd.DataFrame  # region, name_zh, name_en, period, value (main region first)
    first_release: pd.DataFrame  # period, value: first releases of periods revised since (main region)
    revisions: pd.DataFrame  # period, vintage, value, previous, change (stored values, main region)
    unit: str
    transform: str
    notes: list[Note]
    empty_reason: Note | None = None  # why there is nothing to draw
    published: pd.DataFrame | None = None  # period, realtime_start, status of the main region's figures


LINE_COLUMNS = ["region", "name_zh", "name_en", "period", "value"]
REVISION_COLUMNS = ["period", "vintage", "value", "previous", "change"]


def transformed(ctx: Context, ind: Indicator, region: str, transform: str,
                as_of=None, stored: pd.Series | None = None) -> tuple[pd.Series, str, Note | None]:
    """One region's series in ``transform`` (label-indexed), its unit, and a note on how it was made;
    ``stored`` is the region's series as published when the caller has already read it."""
    if transform in STORED_TRANSFORMS:
        return _adjusted(ctx, ind, region, transform)
    if stored is None:
        stored = _stored(ctx, ind.code, region, as_of)
    values, unit, how = apply_transform(ind, stored, transform)
    return values.dropna(), unit, _split_note(how) if how else None


def _stored(ctx: Context, code: str, region: str, as_of=None) -> pd.Series:
    return _as_series(repo.read_observations(ctx.engine, code, region, as_of=as_of))


def _as_series(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(frame["value"].to_numpy(dtype=float), index=frame["period"].astype(str).to_numpy(), dtype=float)


def _stored_by_region(ctx: Context, code: str, regions: list[str], as_of=None) -> dict[str, pd.Series]:
    frame = repo.read_observations(ctx.engine, code, regions, as_of=as_of)
    by_region = dict(tuple(frame.groupby("region", sort=False)))
    return {region: _as_series(by_region.get(region, frame.iloc[:0])) for region in regions}


def _pick(stored: dict[str, pd.Series] | None, region: str) -> pd.Series | None:
    """A region's series from a batch read, or None (read it alone)."""
    return None if stored is None else stored[region]


def _split_note(text: str, kind: str = "info") -> Note:
    """A bilingual message of the form "中文 / English" as a Note."""
    zh, _, en = text.partition(" / ")
    return Note(zh, en or zh, kind)


def _adjusted(ctx: Context, ind: Indicator, region: str, transform: str) -> tuple[pd.Series, str, Note | None]:
    frame = store.read_table(ctx.engine, t.adjusted_series, order_by=("period",), indicator=ind.code, region=region)
    column = STORED_TRANSFORMS[transform]
    values = pd.Series(frame[column].to_numpy(dtype=float), index=frame["period"].astype(str).to_numpy(), dtype=float)
    if values.notna().any():
        method = str(frame["method"].iloc[0])
        return values.dropna(), ind.unit, Note(
            f"批量计算结果（{_METHOD_ZH.get(method, method)}），为{_FORM_ZH[analysis_form(ind)]}",
            f"stored result of the batch refresh ({_METHOD_EN.get(method, method)}), of the "
            f"{_FORM_EN[analysis_form(ind)]}")
    return values.iloc[:0], ind.unit, None


_METHOD_ZH = {"x13": "X-13ARIMA-SEATS，含春节效应", "stl": "STL 分解"}
_METHOD_EN = {"x13": "X-13ARIMA-SEATS with the Chinese New Year effect", "stl": "STL decomposition"}
_FORM_ZH = {"single": "当期值", "level": "发布值", "growth": "增速", "index": "指数"}
_FORM_EN = {"single": "single-period values", "level": "values as published", "growth": "growth rate",
            "index": "index"}


def adjusted_absence(ctx: Context, ind: Indicator, region: str) -> Note:
    """Why there is no stored seasonally adjusted series, in plain words."""
    if ind.frequency == "A":
        return Note("年度数据没有季节性，不做季节调整", "annual figures have no seasonality and are not seasonally adjusted")
    if not seasonally_adjustable(ind):
        return Note("增速和指数本身已剔除季节因素，不做季节调整",
                    "growth rates and indices are free of seasonality and are not seasonally adjusted")
    runs = store.read_table(ctx.engine, t.model_runs, task=f"series:{ind.code}:{region}")
    if runs.empty:
        return Note("尚未计算：请运行 python app.py refresh", "not computed yet — run python app.py refresh", "warning")
    run = runs.iloc[0]
    if run["status"] != "ok":
        return Note("上次批量计算失败，请查看 refresh 日志", "the last batch refresh of this series failed; see the refresh log",
                    "warning")
    summary = run["summary"] or {}
    if summary.get("skipped") or summary.get("seasonal") is None:
        return Note("数据太短，不足以做季节调整（至少需要 3 年）",
                    "the series is too short to be seasonally adjusted (at least 3 years are needed)", "warning")
    return Note("尚未计算：请运行 python app.py refresh", "not computed yet — run python app.py refresh", "warning")


@cached(depends=lambda ctx, req, *a, **k: [req.code])
def chart(ctx: Context, req: IndicatorRequest) -> ChartView:
    """The lines to draw: the main region (as known on the as-of date), compared regions, and the
    first releases of the periods revised since."""
    ind = ctx.catalog[req.code]
    notes: list[Note] = []
    lines, unit = [], ind.unit
    empty_reason = None
    # every vintage of the main region in one read: the newest of each period is the series, the
    # older ones are the revisions
    history = repo.read_observations(ctx.engine, ind.code, req.region, as_of=req.as_of, vintages=True)
    latest = history.groupby("period", sort=False).tail(1)
    for code in (req.region, *req.compare):
        reg = ctx.regions[code]
        try:
            values, unit_, how = transformed(ctx, ind, code, req.transform, req.as_of,
                                             stored=_as_series(latest) if code == req.region else None)
        except SeriesRequestError as exc:
            return _empty_chart(req, ind.unit, _split_note(str(exc), "warning"))
        if code == req.region:
            unit = unit_
            if how is not None:
                notes.append(how)
        if values.empty:
            if code == req.region:
                empty_reason = (adjusted_absence(ctx, ind, code) if req.transform in STORED_TRANSFORMS
                                else Note(f"{reg.name_zh}没有数据" + (f"（截至 {req.as_of}）" if req.as_of else ""),
                                          f"no data for {reg.name_en}" + (f" as of {req.as_of}" if req.as_of else ""),
                                          "warning"))
            else:
                reason = adjusted_absence(ctx, ind, code) if req.transform in STORED_TRANSFORMS else None
                notes.append(Note(f"{reg.name_zh}：" + (reason.zh if reason else "没有数据"),
                                  f"{reg.name_en}: " + (reason.en if reason else "no data"), "warning"))
            continue
        lines.append(pd.DataFrame({"region": code, "name_zh": reg.short_zh if reg.level != "province" else reg.name_zh,
                                   "name_en": reg.name_en, "period": values.index.astype(str),
                                   "value": values.to_numpy(dtype=float)}))
    if req.transform in STORED_TRANSFORMS and req.as_of:
        notes.append(Note("季节调整结果由批量计算按最新数据得出，不随“截至日期”回溯",
                          "seasonally adjusted results are computed by the batch refresh on the latest data; "
                          "they do not go back to the as-of date", "warning"))
    revisions, first = _revisions(ind, req, history)
    frame = pd.concat(lines, ignore_index=True) if lines else pd.DataFrame(columns=LINE_COLUMNS)
    published = latest[["period", "realtime_start", "status"]].reset_index(drop=True)
    return ChartView(frame, first, revisions, unit, req.transform, notes, empty_reason, published)


def _empty_chart(req: IndicatorRequest, unit: str, reason: Note) -> ChartView:
    return ChartView(pd.DataFrame(columns=LINE_COLUMNS), pd.DataFrame(columns=["period", "value"]),
                     pd.DataFrame(columns=REVISION_COLUMNS), unit, req.transform, [], reason)


def _revisions(ind: Indicator, req: IndicatorRequest, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every revision known on the as-of date (stored values, every vintage in ``frame``), and the
    first releases of the revised periods in the chosen transform — the overlay that shows how far a
    figure moved."""
    if frame.empty:
        return pd.DataFrame(columns=REVISION_COLUMNS), pd.DataFrame(columns=["period", "value"])
    frame = frame.sort_values(["period", "realtime_start"])
    frame["previous"] = frame.groupby("period")["value"].shift(1)
    revised = frame[frame["previous"].notna()]
    revisions = pd.DataFrame({
        "period": revised["period"].astype(str).to_numpy(), "vintage": revised["realtime_start"].to_numpy(),
        "value": revised["value"].to_numpy(dtype=float), "previous": revised["previous"].to_numpy(dtype=float),
    })
    revisions["change"] = revisions["value"] - revisions["previous"]
    revisions = revisions.sort_values(["vintage", "period"], ascending=[False, False]).reset_index(drop=True)
    if revisions.empty or req.transform in STORED_TRANSFORMS:
        return revisions, pd.DataFrame(columns=["period", "value"])
    first = frame.groupby("period", sort=False).head(1)
    current = frame.groupby("period", sort=False).tail(1)
    as_first = pd.Series(first["value"].to_numpy(dtype=float), index=first["period"].astype(str).to_numpy())
    as_now = pd.Series(current["value"].to_numpy(dtype=float), index=current["period"].astype(str).to_numpy())
    try:
        then, _, _ = apply_transform(ind, as_first, req.transform)
        now, _, _ = apply_transform(ind, as_now, req.transform)
    except SeriesRequestError:
        return revisions, pd.DataFrame(columns=["period", "value"])
    then, now = then.dropna(), now.reindex(then.dropna().index)
    moved = (then - now).abs() > 1e-9 * np.maximum(1.0, now.abs())
    moved = moved & now.notna()
    first_release = pd.DataFrame({"period": then.index[moved.to_numpy()].astype(str),
                                  "value": then[moved].to_numpy(dtype=float)})
    return revisions, first_release


# ---- the 14 cities ------------------------------------------------------------------------------

RANKING_COLUMNS = ["adcode", "name_zh", "name_en", "value", "rank", "selected"]


@dataclass
class RankingView:
    table: pd.DataFrame  # RANKING_COLUMNS, best first; cities without a value last (rank NaN)
    period: str | None
    unit: str
    selected: str | None  # the city highlighted (the region, or the city a county belongs to)
    selected_rank: int | None
    reference: float | None  # Guangxi's value in the same period, for a reference line
    descending: bool  # rank 1 is the highest value
    note: Note | None = None
    baseline: float = 0.0  # where bars start: 100 for indices on the same period last year (上年同期=100)


def ranking(ctx: Context, req: IndicatorRequest) -> RankingView:
    """The latest period's value of each of the 14 cities in the chosen transform, ranked, with the
    request's city (the region, or the city a county belongs to) picked out."""
    ind = ctx.catalog[req.code]
    descending = ind.polarity != "lower_better"
    selected = _city_of(ctx, req.region)
    if "city" not in ind.region_levels:
        return RankingView(pd.DataFrame(columns=RANKING_COLUMNS), None, ind.unit, selected, None, None, descending,
                           Note("该指标不发布分市数据", "this indicator is not published for the cities"))
    board = city_board(ctx, req.code, req.transform, req.as_of)
    table = board.table.assign(selected=board.table["adcode"] == selected)[RANKING_COLUMNS]
    selected_rank = None
    if selected is not None:
        hit = table.loc[table["adcode"] == selected, "rank"]
        selected_rank = int(hit.iloc[0]) if len(hit) and pd.notna(hit.iloc[0]) else None
    return RankingView(table, board.period, board.unit, selected, selected_rank, board.reference, descending,
                       board.note, board.baseline)


# The board ranks one (the latest) period, so each city's transform needs only its recent history:
# the last three years cover a year-on-year change of the year to date with room for a city that is a
# few months ahead or behind. Transforming all 130 months of each city made the ranking callback
# of a new transform almost twice as slow (51 against 29 ms).
RANKING_HISTORY = {"M": 36, "Q": 12, "A": 3}


@dataclass
class CityBoard:
    """The 14 cities ranked in one transform: the same for every region of the request, so it is
    computed and cached once per indicator, transform and as-of date."""

    table: pd.DataFrame  # adcode, name_zh, name_en, value, rank; best first
    period: str | None
    unit: str
    reference: float | None
    note: Note | None
    baseline: float


@cached(depends=lambda ctx, code, *a, **k: [code])
def city_board(ctx: Context, code: str, transform: str, as_of: dt.date | None) -> CityBoard:
    ind = ctx.catalog[code]
    descending = ind.polarity != "lower_better"
    cities = [c for c in ctx.regions.cities() if ctx.viewer.can_see(c.adcode)]
    stored = None
    if transform not in STORED_TRANSFORMS:
        # one read for every city and Guangxi, not fifteen; only the recent history is transformed
        keep = RANKING_HISTORY.get(ind.frequency, 36)
        read = _stored_by_region(ctx, code, [c.adcode for c in cities] + [GUANGXI], as_of)
        stored = {region: series.iloc[-keep:] for region, series in read.items()}
    values: dict[str, pd.Series] = {}
    unit = ind.unit
    for city in cities:
        try:
            s, unit, _ = transformed(ctx, ind, city.adcode, transform, as_of, stored=_pick(stored, city.adcode))
        except SeriesRequestError:
            continue
        if not s.empty:
            values[city.adcode] = s
    period = _ranking_period(values, ind.frequency)
    rows = []
    for city in cities:
        v = values.get(city.adcode)
        value = float(v[period]) if v is not None and period in v.index else np.nan
        rows.append({"adcode": city.adcode, "name_zh": city.short_zh, "name_en": city.name_en, "value": value})
    table = pd.DataFrame(rows, columns=["adcode", "name_zh", "name_en", "value"])
    table["rank"] = table["value"].rank(ascending=not descending, method="min")
    table = table.sort_values(["rank", "adcode"], na_position="last").reset_index(drop=True)
    reference = None
    # Guangxi's value is a fair yardstick for rates and averages, not for a sum of the cities.
    if period is not None and (unit == "%" or ind.aggregation != "sum"):
        try:
            g, _, _ = transformed(ctx, ind, GUANGXI, transform, as_of, stored=_pick(stored, GUANGXI))
            reference = float(g[period]) if period in g.index else None
        except SeriesRequestError:
            reference = None
    note = None
    n = int(table["value"].notna().sum())
    if period is None:
        note = (adjusted_absence(ctx, ind, cities[0].adcode) if transform in STORED_TRANSFORMS and cities
                else Note("各市没有数据", "no data for the cities", "warning"))
    elif n < len(cities):
        note = Note(f"{len(cities)} 个市中 {n} 个有 {period} 的数据", f"{n} of {len(cities)} cities have data for {period}",
                    "warning")
    baseline = 100.0 if unit.startswith("上年") else 0.0
    return CityBoard(table, period, unit, reference, note, baseline)


def _city_of(ctx: Context, region: str) -> str | None:
    reg = ctx.regions[region]
    if reg.level == "city":
        return reg.adcode
    if reg.level == "county":
        return reg.parent
    return None


def _ranking_period(values: dict[str, pd.Series], freq: str) -> str | None:
    """The latest period that at least half of the cities with data have (one early city does not
    make a period current)."""
    if not values:
        return None
    counts: dict[str, int] = {}
    for s in values.values():
        for label in s.index:
            counts[label] = counts.get(label, 0) + 1
    need = max(1, (len(values) + 1) // 2)
    good = [p for p, n in counts.items() if n >= need]
    return max(good, key=lambda p: _period_key(p, freq)) if good else None


# ---- the data table and its downloads -----------------------------------------------------------

def data_table(ctx: Context, req: IndicatorRequest, view: ChartView | None = None) -> pd.DataFrame:
    """One row per period, newest first: the value of each region (columns named by adcode), and the
    vintage and status of the main region's stored figure for that period."""
    view = view or chart(ctx, req)
    if view.lines.empty:
        empty = pd.DataFrame(columns=["period", req.region, "vintage", "status"])
        empty.attrs["unit"] = view.unit
        return empty
    ind = ctx.catalog[req.code]
    wide = pd.DataFrame({region: part.drop_duplicates("period", keep="last").set_index("period")["value"]
                         for region, part in view.lines.groupby("region", sort=False)})
    regions = [r for r in (req.region, *req.compare) if r in wide.columns]
    wide = wide.reindex(columns=regions)
    stored = view.published if view.published is not None else repo.read_observations(
        ctx.engine, ind.code, req.region, as_of=req.as_of)  # a view model cached before it kept them
    info = stored.set_index(stored["period"].astype(str))[["realtime_start", "status"]]
    out = wide.join(info, how="left")
    out["vintage"] = out["realtime_start"].dt.strftime("%Y-%m-%d")
    out = out.drop(columns=["realtime_start"]).reset_index(names="period")
    out["_key"] = out["period"].map(lambda p: _period_key(p, ind.frequency) + (len(p),))
    out = out.sort_values("_key", ascending=False).drop(columns="_key").reset_index(drop=True)
    out[regions] = out[regions].round(display_decimals(ind, view.unit))
    out["status"] = out["status"].fillna("")
    out["vintage"] = out["vintage"].fillna("")
    out.columns = [str(c) for c in out.columns]
    out.attrs["unit"] = view.unit
    return out


def display_decimals(ind: Indicator, unit: str) -> int:
    """Growth rates to one decimal as published; levels to the catalog's decimals."""
    return 1 if unit == "%" else ind.decimals


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that no spreadsheet will run: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_bytes(table: pd.DataFrame, headers: dict[str, str], title_rows: list[tuple[str, str]]) -> bytes:
    """The table as an Excel workbook: a few title rows (label, value), then a header and the data."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    for label, value in title_rows:
        ws.append([neutralise(label), neutralise(value)])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    columns = list(table.columns)
    ws.append([neutralise(headers.get(c, c)) for c in columns])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    ws.column_dimensions["A"].width = 16
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return neutralise(str(value))

