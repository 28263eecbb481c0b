"""One series, as stored or transformed: the use case behind ``python app.py series`` and the charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from indicators import transforms as tf
from indicators.regions import RegionError
from indicators.registry import Indicator
from services.context import Context
from storage import repository as repo

TRANSFORMS = ("level", "monthly", "ytd", "yoy", "mom")
TRANSFORM_NAMES = {
    "level": ("发布值", "as published"), "monthly": ("当期值", "single period"), "ytd": ("累计值", "year to date"),
    "yoy": ("同比增长", "year-on-year growth"), "mom": ("环比增长", "period-on-period growth"),
}


class SeriesRequestError(ValueError):
    """A request that cannot be answered; the message is bilingual."""


@dataclass
class SeriesResult:
    indicator: Indicator
    region: str
    region_name_zh: str
    region_name_en: str
    transform: str
    unit: str
    as_of: dt.date | None
    frame: pd.DataFrame  # period, value
    demo: bool
    note: str = ""

    def as_json(self) -> dict:
        return {
            "indicator": self.indicator.code, "name_zh": self.indicator.name_zh, "name_en": self.indicator.name_en,
            "region": self.region, "region_name_zh": self.region_name_zh, "region_name_en": self.region_name_en,
            "transform": self.transform, "unit": self.unit, "frequency": self.indicator.frequency,
            "as_of": self.as_of.isoformat() if self.as_of else None, "demo": self.demo, "note": self.note,
            "observations": [{"period": p, "value": None if pd.isna(v) else float(v)}
                             for p, v in zip(self.frame["period"], self.frame["value"])],
        }


def resolve(ctx: Context, indicator: str, region: str) -> tuple[Indicator, object]:
    if indicator not in ctx.catalog:
        raise SeriesRequestError(f"未知指标“{indicator}” / unknown indicator '{indicator}'")
    try:
        reg = ctx.regions.find(region)
    except RegionError as exc:
        raise SeriesRequestError(str(exc)) from exc
    if not ctx.viewer.can_see(reg.adcode):
        raise SeriesRequestError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    return ctx.catalog[indicator], reg


def stored_series(ctx: Context, indicator: str, region: str, as_of=None) -> pd.Series:
    frame = repo.read_observations(ctx.engine, indicator, region, as_of=as_of)
    return pd.Series(frame["value"].to_numpy(), index=frame["period"].to_numpy(), name=indicator, dtype=float)


def get_series(ctx: Context, indicator: str, region: str, transform: str = "level", as_of=None,
               start: str | None = None, end: str | None = None) -> SeriesResult:
    ind, reg = resolve(ctx, indicator, region)
    if transform not in TRANSFORMS:
        raise SeriesRequestError(f"未知变换“{transform}” / unknown transform '{transform}' ({', '.join(TRANSFORMS)})")
    if isinstance(as_of, str) and as_of:
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError as exc:
            raise SeriesRequestError(f"日期格式应为 YYYY-MM-DD / as-of date must be YYYY-MM-DD: {as_of}") from exc
    stored = stored_series(ctx, ind.code, reg.adcode, as_of=as_of)
    values, unit, note = apply_transform(ind, stored, transform)
    frame = pd.DataFrame({"period": values.index.astype(str), "value": values.to_numpy(dtype=float)})
    if start:
        frame = frame[frame["period"] >= start]
    if end:
        frame = frame[frame["period"] <= end + "~"]
    return SeriesResult(ind, reg.adcode, reg.name_zh, reg.name_en, transform, unit, as_of,
                        frame.reset_index(drop=True), ctx.is_demo, note)


def apply_transform(ind: Indicator, stored: pd.Series, transform: str) -> tuple[pd.Series, str, str]:
    """The stored series turned into ``transform``; the unit of the result and a note on how."""
    if transform == "level" or stored.empty:
        return stored, ind.unit, ""
    is_level = ind.publication in ("level", "ytd_level") and ind.measure in ("flow", "stock")
    if not is_level:
        if transform == "yoy" and ind.publication == "index" and "上年" in ind.unit:
            return tf.index_to_growth(stored), "%", "指数减100 / index minus 100"
        if transform == "yoy" and ind.is_growth:
            return stored, "%", "发布的可比口径增速 / published comparable-basis growth"
        raise _not_applicable(ind, transform)
    single = _single_period(ind, stored)
    if transform == "monthly":
        if ind.measure != "flow":
            raise _not_applicable(ind, transform)
        return single, ind.unit, "" if ind.publication == "level" else "由累计值差分 / differenced from year-to-date"
    if transform == "ytd":
        if ind.measure != "flow" or ind.frequency == "A":
            raise _not_applicable(ind, transform)
        if ind.publication == "ytd_level":
            return stored, ind.unit, ""
        out = tf.monthly_to_ytd(stored) if ind.frequency == "M" else tf.quarterly_to_accumulated(stored)
        return out, ind.unit, "由当期值累加 / accumulated from single periods"
    if transform == "yoy":
        note = "由发布的水平值计算（现价） / recomputed from published levels"
        return tf.yoy(stored), "%", note
    if transform == "mom":
        return tf.mom(single if ind.measure == "flow" else stored), "%", "由当期值计算 / from single-period values"
    raise _not_applicable(ind, transform)


def _single_period(ind: Indicator, stored: pd.Series) -> pd.Series:
    if ind.publication != "ytd_level":
        return stored
    return tf.ytd_to_monthly(stored) if ind.frequency == "M" else tf.accumulated_to_quarterly(stored)


def _not_applicable(ind: Indicator, transform: str) -> SeriesRequestError:
    zh, en = TRANSFORM_NAMES[transform]
    return SeriesRequestError(
        f"“{ind.name_zh}”按{_PUB_ZH[ind.publication]}发布，不能转换为{zh} / "
        f"'{ind.name_en}' is published as {ind.publication.replace('_', ' ')}; it cannot be shown as {en}"
    )


_PUB_ZH = {"level": "当期值", "ytd_level": "累计值", "growth": "同比增速", "ytd_growth": "累计增速", "index": "指数"}
