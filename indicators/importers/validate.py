"""From a parsed file to resolved, validated rows — or the list of what is wrong with it.

Pure: takes the parsed rows, the catalog, the regions and the external-series mapper, and returns
the accepted frame with every problem found (not just the first). Checks that need stored data
(year-to-date falling against what is already stored, city sums) run in ``services.ingest``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from indicators.importers.mapping import Mapper
from indicators.importers.problems import Problem, problem
from indicators.periods import PeriodError, parse_period
from indicators.regions import RegionError, Regions
from indicators.registry import Catalog, Indicator

UNIT_ALIASES = {"百分比": "%", "％": "%", "percent": "%", "100 million yuan": "亿元", "亿": "亿元"}

# The contract of what leaves this module: one row per accepted value, traceable to its line.
ACCEPTED = pa.DataFrameSchema(
    {
        "row": pa.Column(int),
        "indicator": pa.Column(str),
        "region": pa.Column(str, pa.Check.str_matches(r"^\d{6}$")),
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2}(/02)?|Q[1-4])?$")),
        "value": pa.Column(float, pa.Check(lambda s: s.map(math.isfinite))),
        "vintage": pa.Column("datetime64[ns]", nullable=True),
    },
    strict=False,
)


@dataclass
class Checked:
    frame: pd.DataFrame
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _unit(u: str) -> str:
    u = str(u or "").strip()
    return UNIT_ALIASES.get(u, UNIT_ALIASES.get(u.lower(), u))


def _find_indicator(catalog: Catalog, text: str) -> Indicator | None:
    text = str(text).strip()
    if text in catalog:
        return catalog[text]
    for ind in catalog:
        if text in (ind.name_zh, ind.name_en) or text.lower() == ind.name_en.lower():
            return ind
    return None


def _number(text) -> float | None:
    s = str(text).strip().replace(",", "").replace("，", "")
    if s.endswith("%"):
        s = s[:-1]
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _vintage(text) -> dt.datetime | None | str:
    s = str(text or "").strip()
    if not s or s.lower() == "nan":
        return None
    try:
        return pd.Timestamp(s.replace("/", "-")).to_pydatetime().replace(tzinfo=None)
    except ValueError:
        return "bad"


def check_rows(parsed, catalog: Catalog, regions: Regions, mapper: Mapper) -> Checked:
    rows = parsed.rows
    col = _column_names(parsed)
    errors: list[Problem] = []
    accepted: list[dict] = []
    for r in rows.itertuples(index=False):
        before = len(errors)
        ind, region, scale, unit_expected = _resolve(parsed.format, r, catalog, regions, mapper, col, errors)
        if ind is None or region is None:
            continue
        period = None
        try:
            p = parse_period(r.period, ind.frequency)
            if p.frequency != ind.frequency:
                raise PeriodError("frequency")
            period = _publication_label(p, ind)
        except PeriodError:
            freq = {"M": ("月度，如 2024-03 或 2024-01/02", "a month such as 2024-03 or 2024-01/02"),
                    "Q": ("季度，如 2024Q1", "a quarter such as 2024Q1"), "A": ("年份，如 2024", "a year such as 2024")}
            zh, en = freq[ind.frequency]
            errors.append(problem(r.row, col["period"], r.period, "时期无法识别或与指标频率不符",
                                  "unreadable period or not the indicator's frequency", zh, en))
        # exports carry real history, where January was published alone in earlier years
        if period and fmt_is_template(parsed) and ind.jan_feb_combined and period.endswith("-01") and not ind.is_ytd:
            errors.append(problem(r.row, col["period"], r.period, "该指标1月不单独发布",
                                  "January is not published alone for this indicator",
                                  f"{period[:4]}-01/02（1-2月合并）", f"{period[:4]}-01/02 (combined January–February)"))
            period = None
        if period and period.endswith("/02") and not ind.jan_feb_combined:
            errors.append(problem(r.row, col["period"], r.period, "该指标不合并发布1-2月",
                                  "this indicator does not publish January–February combined",
                                  "单月时期", "a single month"))
            period = None
        if unit_expected is not None and r.unit and _unit(r.unit) != _unit(unit_expected):
            errors.append(problem(r.row, col["unit"], r.unit, "单位不符", "wrong unit", unit_expected, unit_expected))
        value = _number(r.value)
        if value is None:
            errors.append(problem(r.row, col["value"], r.value, "数值不是数字", "value is not a number",
                                  "数字", "a number"))
        else:
            value *= scale
            lo, hi = ind.plausible_min, ind.plausible_max
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                errors.append(problem(r.row, col["value"], r.value, "数值超出合理范围", "implausible value",
                                      f"{lo} 至 {hi} {ind.unit}", f"{lo} to {hi} {ind.unit}"))
        vintage = _vintage(getattr(r, "vintage", ""))
        if vintage == "bad":
            errors.append(problem(r.row, col["vintage"], r.vintage, "版本日期无法识别", "unreadable vintage date",
                                  "日期，如 2024-04-18", "a date such as 2024-04-18"))
        if len(errors) == before:
            accepted.append(dict(row=int(r.row), indicator=ind.code, region=region, period=period, value=value,
                                 vintage=vintage, source_unit=(getattr(r, "source_unit", "") or "").strip()))
    frame = pd.DataFrame(accepted, columns=["row", "indicator", "region", "period", "value", "vintage", "source_unit"])
    frame["vintage"] = pd.to_datetime(frame["vintage"]).astype("datetime64[ns]")
    frame["value"] = frame["value"].astype(float)
    frame["row"] = frame["row"].astype(int)
    frame = frame.astype({"indicator": "str", "region": "str", "period": "str", "source_unit": "str"})
    errors += _duplicates(frame, col)
    errors += _ytd_falling(frame, catalog, col)
    ACCEPTED.validate(frame)
    errors.sort(key=lambda e: (e.row or 0))
    return Checked(frame=frame, errors=errors)


def fmt_is_template(parsed) -> bool:
    return parsed.format == "template"


def _column_names(parsed) -> dict[str, str]:
    """Column names as the file writes them, so messages point at what the user sees."""
    if parsed.format != "template":
        return {"indicator": "指标名称", "region": "指标名称", "period": "日期", "value": "value",
                "unit": "单位", "vintage": "vintage"}
    from indicators.importers.parsers import TEMPLATE_COLUMNS

    header = {h.lower() for h in parsed.meta.get("header", [])}
    names = {}
    for key, aliases in TEMPLATE_COLUMNS.items():
        names[key] = next((a for a in aliases if a.lower() in header), aliases[0])
    return names


def _publication_label(p, ind: Indicator) -> str:
    """Year-to-date January–February is the cumulative value through February: label it 2024-02."""
    if ind.is_ytd and p.combined:
        return f"{p.year}-02"
    return p.label


def _resolve(fmt, r, catalog, regions, mapper, col, errors):
    """Indicator, region, scale to the catalog unit, and the unit the row must carry."""
    if fmt == "template":
        ind = _find_indicator(catalog, r.indicator)
        if ind is None:
            errors.append(problem(r.row, col["indicator"], r.indicator, "未知指标", "unknown indicator",
                                  "指标目录中的代码或名称（python app.py catalog）",
                                  "a catalog code or name (python app.py catalog)"))
        region = None
        try:
            region = regions.find(r.region)
        except RegionError:
            errors.append(problem(r.row, col["region"], r.region, "未知地区", "unknown region",
                                  "行政区划代码或名称，如 450100 或 南宁市", "an adcode or name such as 450100 or 南宁市"))
        if ind is None or region is None:
            return None, None, 1.0, None
        if region.level not in ind.region_levels:
            errors.append(problem(r.row, col["region"], r.region, "该指标不发布此级别地区的数据",
                                  "the indicator is not published at this region level",
                                  "、".join(ind.region_levels), ", ".join(ind.region_levels)))
            return None, None, 1.0, None
        group = catalog.groups[ind.domain]
        if group.regions and not ({region.adcode, *(a.adcode for a in regions.ancestors(region.adcode))} & set(group.regions)):
            errors.append(problem(r.row, col["region"], r.region, "专题指标不适用于该地区",
                                  "the topic indicator does not apply to this region",
                                  "、".join(group.regions), ", ".join(group.regions)))
            return None, None, 1.0, None
        return ind, region.adcode, 1.0, ind.unit
    target = mapper.wind(r.external_id, r.external_name) if fmt == "wind" else mapper.nbs(r.external_name)
    if target is None or target.indicator not in catalog or not target.region:
        errors.append(problem(r.row, col["indicator"], r.external_name or r.external_id,
                              "外部序列没有对应的目录指标或地区", "no catalog indicator or region for this external series",
                              "映射表中的序列（python app.py mapping add …）",
                              "a series in the mapping table (python app.py mapping add …)"))
        return None, None, 1.0, None
    return catalog[target.indicator], target.region, target.scale, target.unit


def _duplicates(frame: pd.DataFrame, col) -> list[Problem]:
    key = ["indicator", "region", "period", "vintage"]
    dup = frame[frame.duplicated(key, keep=False)]
    out = []
    for _, group in dup.groupby(key, dropna=False):
        first = int(group["row"].iloc[0])
        for r in group.iloc[1:].itertuples(index=False):
            out.append(problem(r.row, col["period"], r.period, f"与第{first}行重复（同一指标、地区、时期）",
                               f"duplicate of row {first} (same indicator, region and period)",
                               "每个时期一行", "one row per period"))
    return out


def _ytd_falling(frame: pd.DataFrame, catalog: Catalog, col) -> list[Problem]:
    """A year-to-date total of a non-negative flow cannot fall within a year."""
    out = []
    for (code, region), g in frame.groupby(["indicator", "region"]):
        ind = catalog[code]
        if ind.publication != "ytd_level" or ind.plausible_min is None or ind.plausible_min < 0:
            continue
        g = g.sort_values("period")
        g = g.assign(year=g["period"].str[:4])
        for _, y in g.groupby("year"):
            prev = None
            for r in y.itertuples(index=False):
                if prev is not None and r.value < prev.value - 1e-9:
                    out.append(problem(r.row, col["value"], r.value, f"累计值低于上一期（{prev.period}：{prev.value}）",
                                       f"year-to-date value below the previous period's ({prev.period}: {prev.value})",
                                       f"不小于 {prev.value}", f"at least {prev.value}"))
                prev = r
    return out
