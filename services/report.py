"""The monthly situation report (月度经济运行分析报告) of one region or city for one month.

``build_report`` reads the store through the same services as the screens — observations and
their transforms (``services.series``), the key indicators of each domain (``services.region_view``),
stored signal lights, alerts, nowcasts and targets — and assembles a :class:`reports.model.Report`:
a headline judgement, one section per domain, early warning, the outlook and an appendix of tables.
Every number in the text is a :class:`~reports.model.Fact` with its source; the wording rules are in
``reports/narrative.py``. Nothing is fitted here.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from indicators.periods import PeriodError, parse_period
from indicators.regions import GUANGXI
from reports import narrative as nv
from reports.model import Fact, Figure, Paragraph, Report, Section, Table, join, sentence
from services import early_warning
from services.context import Context
from services.region_view import KEY_INDICATORS, growth_companion
from services.report_data import (MIN_PEERS, MIN_RANKED, ReportData, amount_en, base_name, month_end,
                                  period_end, unit_en)
from storage import repository as repo
from storage import results as store
from storage import tables as t

# The order of the article planners write: the whole economy, production, demand, then the rest.
DOMAIN_ORDER = ("gdp", "industry", "investment", "consumption", "trade", "fiscal", "macro", "living", "employment")
DOMAIN_LABELS = {
    "gdp": ("经济总量", "The economy as a whole"), "industry": ("工业生产", "Industry"),
    "investment": ("固定资产投资", "Investment"), "consumption": ("消费市场", "Consumption"),
    "trade": ("对外贸易", "Foreign trade"), "fiscal": ("财政收支", "Public finance"),
    "macro": ("能源交通与金融", "Energy, transport and finance"), "living": ("居民收入与物价", "Incomes and prices"),
    "employment": ("就业形势", "Employment"),
}
# The figure each domain's lead sentence, chart and rank are about (a rate, so regions compare).
LEAD = {"gdp": "gdp", "industry": "industrial_va_ytd_growth", "investment": "fai_ytd_growth",
        "consumption": "retail_sales", "trade": "trade_total", "fiscal": "fiscal_revenue", "macro": "electricity",
        "living": "disposable_income", "employment": "surveyed_unemployment"}
TEXT_LIMIT = 5  # indicators named in a domain's text; the appendix lists them all
PULLS = {"trade": ("trade_total", ("exports", "imports")),
         "gdp": ("gdp", ("va_primary", "va_secondary", "va_tertiary"))}
HISTORY_POINTS = {"M": 13, "Q": 8, "A": 6}
COMPOSITE_MONTHS = 24
ALERT_QUOTES = 5
OPEN_STATES = ("new", "acknowledged")
NOWCAST_TARGET = "gdp_q_growth"
NOWCAST_WINDOW_DAYS = 62  # a nowcast made up to two months after the report month belongs to it


class ReportRequestError(ValueError):
    """A report that cannot be made (bad month, unknown or hidden region, no data); bilingual."""


def report_region(ctx: Context, region: str):
    try:
        reg = ctx.regions.find(region or GUANGXI)
    except Exception as exc:  # RegionError: already bilingual
        raise ReportRequestError(str(exc)) from exc
    if reg.adcode != GUANGXI and reg.parent != GUANGXI:
        raise ReportRequestError(f"月度报告按全区或设区市编制，“{reg.name_zh}”不在其列 / "
                                 f"monthly reports cover Guangxi or one of its 14 cities, not {reg.name_en}")
    if not ctx.viewer.can_see(reg.adcode):
        raise ReportRequestError(f"无权查看“{reg.name_zh}” / not permitted to see {reg.name_en}")
    return reg


def check_month(month: str) -> str:
    if not isinstance(month, str) or not re.fullmatch(r"\d{4}-\d{2}", month or ""):
        raise ReportRequestError(f"月份格式应为 YYYY-MM / the month must be written YYYY-MM: {month!r}")
    try:
        parse_period(month, "M")
    except PeriodError as exc:
        raise ReportRequestError(f"无效月份 / invalid month: {month}") from exc
    return month


def latest_month(ctx: Context, region: str = GUANGXI) -> str | None:
    """The newest month with a composite signal stored — the month a report is usually for."""
    comp = store.read_table(ctx.engine, t.composite_signals, region=region)
    months = sorted(p for p in comp["period"] if len(p) == 7) if len(comp) else []
    return months[-1] if months else None


def _key_codes(ctx: Context, domain: str, level: str) -> list[str]:
    return [c for c in KEY_INDICATORS.get(domain, ()) if c in ctx.catalog and level in ctx.catalog[c].region_levels]


def build_report(ctx: Context, month: str, region: str = GUANGXI, as_of: dt.date | None = None) -> Report:
    month = check_month(month)
    reg = report_region(ctx, region)
    level = "province" if reg.adcode == GUANGXI else "city"
    cities = [c.adcode for c in ctx.regions.cities()]
    peers = [GUANGXI, *[p.adcode for p in ctx.regions.peers() if p.adcode != GUANGXI]]
    codes = [c for d in DOMAIN_ORDER for c in _key_codes(ctx, d, level)]
    codes += [g for c in codes if (g := growth_companion(ctx, c))]
    codes += [c for _, parts in PULLS.values() for c in parts] + ["gdp_ytd_growth", "cpi_yoy"]
    rd = ReportData(ctx, codes, [reg.adcode, GUANGXI, *cities, *peers], month, as_of)
    if not any(rd.latest_period(c, reg.adcode) for c in codes if c in ctx.catalog):
        raise ReportRequestError(f"{reg.name_zh}{nv.month_text(month)}没有可用数据 / "
                                 f"no data stored for {reg.name_en} up to {nv.month_text(month, 'en')}")
    builder = _Builder(ctx, rd, reg, level, month, cities, peers)
    sections = [s for d in DOMAIN_ORDER if (s := builder.domain(d)) is not None]
    sections.append(builder.early_warning())
    sections.append(builder.outlook())
    for i, s in enumerate(sections):
        s.title_zh = f"{nv.chinese_ordinal(i + 1)}、{s.title_zh}"
        s.title_en = f"{i + 1}. {s.title_en}"
    name_zh = "全区" if reg.adcode == GUANGXI else reg.name_zh
    return Report(
        month=month, region=reg.adcode, region_name_zh=reg.name_zh, region_name_en=reg.name_en, level=level,
        title_zh=f"{nv.month_text(month)}{reg.name_zh if reg.adcode != GUANGXI else '广西'}经济运行分析报告",
        title_en=f"{reg.name_en}: the economy in {nv.month_text(month, 'en')}",
        headline=builder.headline(name_zh), sections=sections,
        appendix=[tb for s in sections for tb in s.tables], demo=ctx.is_demo, data_version=ctx.data_version,
        analytics_refreshed_at=repo.get_meta(ctx.engine, "analytics_refreshed_at"),
        generated_at=dt.datetime.now().replace(microsecond=0), generated_by=ctx.viewer.user,
    )


class _Builder:
    def __init__(self, ctx, rd: ReportData, reg, level, month, cities, peers):
        self.ctx, self.rd, self.reg, self.level, self.month = ctx, rd, reg, level, month
        self.year = parse_period(month, "M").year
        self.cities, self.peers = cities, peers
        self.where_zh = "全区" if reg.adcode == GUANGXI else "全市"
        self.lead_facts: dict[str, tuple[Fact | None, Fact | None]] = {}

    # ---- one indicator -------------------------------------------------------------------------

    def _ytd(self, code: str) -> bool:
        ind = self.ctx.catalog[code]
        return ind.publication in ("ytd_level", "ytd_growth")

    def _period_words(self, label: str, code: str) -> tuple[str, str]:
        ind = self.ctx.catalog[code]
        stock = ind.measure == "stock"
        return (nv.period_text(label, self._ytd(code), stock, "zh", self.year),
                nv.period_text(label, self._ytd(code), stock, "en", self.year))

    def _previous_words(self, label: str, code: str) -> tuple[str, str]:
        ind = self.ctx.catalog[code]
        if self._ytd(code):
            return self._period_words(label, code)
        freq = ind.frequency
        if freq == "Q":
            return "上季度", "the previous quarter"
        if freq == "A":
            return "上年", "the previous year"
        if ind.measure == "stock":
            return "上月末", "the end of the previous month"
        return "上月", "the previous month"

    def growth_facts(self, code: str, region: str, period: str) -> tuple[Fact | None, Fact | None, str | None]:
        """(growth, change in growth, previous period) of ``code`` in ``region`` at ``period``."""
        ind = self.ctx.catalog[code]
        g = self.rd.growth_of(ind)
        if g is None:
            return None, None, None
        found = self.rd.at(g.code, region, period, g.transform)
        if found is None:
            return None, None, None
        label = found[0]
        growth = self.rd.fact(g.code, region, label, g.transform, decimals=1, unit="%", absolute=True)
        prev = self.rd.previous(g.code, region, label, g.transform, same_year=self._ytd(g.code))
        before = self.rd.fact(g.code, region, prev, g.transform, decimals=1, unit="%") if prev else None
        return growth, self.rd.diff(growth, before), prev

    def indicator(self, code: str, region: str | None = None) -> dict | None:
        """The sentence and the table row of one indicator at its latest period up to the month."""
        region = region or self.reg.adcode
        ind = self.ctx.catalog[code]
        period = self.rd.latest_period(code, region)
        if period is None:
            return None
        p_zh, p_en = self._period_words(period, code)
        name_zh, name_en = base_name(ind, "zh"), base_name(ind, "en")
        g = self.rd.growth_of(ind)
        value = None if ind.is_growth else self.rd.fact(code, region, period)
        growth, change, prev = self.growth_facts(code, region, period) if g else (None, None, None)
        parts: list[Paragraph] = []
        is_rate = g is None
        if is_rate:  # a rate or an index that is not a growth: its level and the change in points
            prev = self.rd.previous(code, region, period)
            before = self.rd.fact(code, region, prev) if prev else None
            change = self.rd.diff(value, before, "个百分点" if ind.unit == "%" else "点")
            unit = ind.unit if ind.unit in ("%", "元/人次") else ""
            parts.append(sentence(f"{p_zh}，{name_zh}为{{v}}{unit}", f"In {p_en}, {name_en} stood at {{v}}{amount_en(unit)}",
                                  v=value))
        elif value is not None and g.kind != "price":
            parts.append(sentence(f"{p_zh}，{name_zh}{{v}}{ind.unit}", f"In {p_en}, {name_en} came to {{v}}{amount_en(ind.unit)}",
                                  v=value))
        else:
            parts.append(Paragraph(f"{p_zh}，{name_zh}", f"In {p_en}, {name_en}"))
        if growth is not None:
            zh, en = nv.growth_verb(growth.value, price=g.kind == "price")
            lead = "，同比" if value is not None and g.kind != "price" else "同比"
            en_lead = ", " if value is not None and g.kind != "price" else " "
            parts.append(sentence(f"{lead}{zh}{{g}}%", f"{en_lead}{en} {{g}}% year on year", g=growth))
        if change is not None and prev is not None:
            parts.append(self._change_phrase(code if is_rate else g.code, growth, change, prev, is_rate,
                                             g.kind == "price" if g else False))
        paragraph = join(parts)
        return dict(code=code, ind=ind, period=period, value=value, growth=growth, change=change, rate=is_rate,
                    paragraph=paragraph, growth_code=g.code if g else code, growth_transform=g.transform if g else "level")

    def _change_phrase(self, code, growth, change, prev, is_rate, price) -> Paragraph:
        w_zh, w_en = self._previous_words(prev, code)
        if is_rate:
            words = nv.change_of_rate(change.value, change.decimals)
        elif price:
            words = nv.change_of_price(growth.value, growth.value - change.value, change.decimals)
        else:
            words = nv.change_of_growth(growth.value, growth.value - change.value, change.decimals)
        if words is None:
            return Paragraph(f"，与{w_zh}持平", f", unchanged from {w_en}")
        zh, en = words
        unit = "个百分点" if change.unit == "个百分点" else "点"
        en_unit = "percentage points" if unit == "个百分点" else "points"
        return sentence(f"，{zh.replace('{prev}', w_zh)}{{d}}{unit}", f"; {en} {{d}} {en_unit} from {w_en}", d=change)

    # ---- ranks ---------------------------------------------------------------------------------------

    def rank_phrase(self, item: dict) -> Paragraph | None:
        code, transform = item["growth_code"], item["growth_transform"]
        label = (item["growth"] or item["value"]).source["period"]
        polarity = self.ctx.catalog[item["code"]].polarity
        if self.level == "city":
            ranked = self.rd.rank(code, transform, label, self.reg.adcode, self.cities, polarity, MIN_RANKED)
            where_zh, where_en = "全区{n}个设区市", "the cities of Guangxi"
        else:
            ranked = self.rd.rank(code, transform, label, GUANGXI, self.peers, polarity, MIN_PEERS)
            where_zh, where_en = "{n}个对比省区市", "the benchmark provinces"
        if ranked is None:
            return None
        rank, of = ranked
        what_zh = "" if item["rate"] else "增速"
        return sentence(f"，{what_zh}居{where_zh}第{{r}}位",
                        f", ranking {nv.rank_phrase(int(rank.value), int(of.value))} among {where_en}",
                        n=of, r=rank)

    def city_leaders(self, item: dict) -> Paragraph | None:
        """分城市看: the three cities with the highest figure (region reports)."""
        if self.level != "province":
            return None
        code, transform = item["growth_code"], item["growth_transform"]
        label = (item["growth"] or item["value"]).source["period"]
        values = []
        for c in self.cities:
            found = self.rd.at(code, c, label, transform)
            if found is not None:
                values.append((found[1], c))
        if len(values) < MIN_RANKED:
            return None
        ascending = self.ctx.catalog[item["code"]].polarity == "lower_better"
        top = sorted(values, key=lambda v: (v[0] if ascending else -v[0], v[1]))[:3]
        facts = {f"v{i}": self.rd.fact(code, c, label, transform, decimals=1 if transform == "yoy" else None,
                                       unit="%" if transform == "yoy" else None) for i, (_, c) in enumerate(top)}
        names_zh = "、".join(self.ctx.regions[c].short_zh for _, c in top)
        names_en = ", ".join(self.ctx.regions[c].name_en for _, c in top)
        what = "增速" if not item["rate"] else ""
        best = "最低" if ascending else "居前三位"
        unit = "%" if (transform == "yoy" or self.ctx.catalog[code].unit == "%") else ""
        return sentence(f"分城市看，{names_zh}{what}{best}，分别为{{v0}}{unit}、{{v1}}{unit}、{{v2}}{unit}。",
                        f"By city, {names_en} {'are lowest' if ascending else 'lead'} at {{v0}}{unit}, {{v1}}{unit} and {{v2}}{unit}.",
                        **facts)

    def pulls(self, domain: str, lead: dict) -> Paragraph | None:
        if domain not in PULLS or lead is None or lead["growth"] is None:
            return None
        total, parts = PULLS[domain]
        pieces = []
        for part in parts:
            item = self.indicator(part)
            if item is None or item["growth"] is None:
                continue
            pull = self.rd.pull(item["growth"], part, total, self.reg.adcode)
            if pull is None:
                continue
            ind = self.ctx.catalog[part]
            verb_zh, verb_en = ("拉动", "added") if pull.value >= 0 else ("下拉", "took off")
            pieces.append(sentence(f"{base_name(ind, 'zh')}{verb_zh}{{p}}个百分点",
                                   f"{base_name(ind, 'en')} {verb_en} {{p}} points", p=pull))
        if not pieces:
            return None
        what_zh = "经济增长" if domain == "gdp" else "进出口增长"
        what_en = "to growth" if domain == "gdp" else "to trade growth"
        body = join(pieces, "，", "; ")
        return Paragraph(f"从拉动看，{body.zh}（对{what_zh}的拉动）。", f"Contributions {what_en}: {body.en}.", body.facts)

    # ---- sections -------------------------------------------------------------------------------------

    def domain(self, domain: str) -> Section | None:
        codes = _key_codes(self.ctx, domain, self.level)
        if domain == "gdp":
            codes = [c for c in codes if c in ("gdp", "va_primary", "va_secondary", "va_tertiary")]
        items = [it for c in codes if (it := self.indicator(c)) is not None]
        if not items:
            return None
        lead_code = LEAD.get(domain)
        lead = next((it for it in items if it["code"] == lead_code), items[0])
        self.lead_facts[domain] = (lead["growth"], lead["change"])
        trend_zh, trend_en = nv.trend_title(lead["growth"].value if lead["growth"] else (lead["value"].value if lead["rate"] else None),
                                            lead["change"].value if lead["change"] else None, lead["ind"].polarity)
        label_zh, label_en = DOMAIN_LABELS[domain]
        rank = self.rank_phrase(lead)
        summary = join([lead["paragraph"], rank, Paragraph("。", ".")])
        rest = [it for it in items if it is not lead][: TEXT_LIMIT - 1]
        body = [p for p in [self.city_leaders(lead), self.pulls(domain, lead)] if p is not None]
        if rest:
            joined = join([it["paragraph"] for it in rest], "；", ". ")
            body.insert(0, Paragraph(joined.zh + "。", joined.en + ".", joined.facts))
        section = Section(key=domain, title_zh=f"{label_zh}{trend_zh}", title_en=f"{label_en}: {trend_en}",
                          summary=summary, paragraphs=body)
        section.tables.append(self._table(domain, items))
        section.history = self._history(domain, items)
        section.figures += self._figures(domain, lead)
        return section

    def _table(self, domain: str, items: list[dict]) -> Table:
        lights = self._lights([it["code"] for it in items] + [it["growth_code"] for it in items])
        rows = []
        for it in items:
            ind = it["ind"]
            zone = lights.get((it["code"], it["period"])) or lights.get((it["growth_code"], it["period"]))
            rows.append(dict(
                indicator=ind.code, name_zh=ind.name_zh, name_en=ind.name_en,
                period=it["period"], period_zh=self._period_words(it["period"], ind.code)[0],
                period_en=self._period_words(it["period"], ind.code)[1],
                value=it["value"].value if it["value"] else (it["growth"].value if it["growth"] and ind.is_growth else None),
                unit=ind.unit, unit_en=unit_en(ind.unit), decimals=ind.decimals,
                growth=it["growth"].value if it["growth"] and not ind.is_growth else None,
                change=it["change"].value if it["change"] else None,
                zone=zone, zone_zh=nv_zone(zone, "zh"), zone_en=nv_zone(zone, "en"),
            ))
        label_zh, label_en = DOMAIN_LABELS[domain]
        return Table(key=domain, title_zh=f"{label_zh}主要指标", title_en=f"{label_en}: key indicators",
                     columns=[("name_zh", "指标", "Indicator"), ("period_zh", "时期", "Period"),
                              ("value", "数值", "Value"), ("unit", "单位", "Unit"),
                              ("growth", "同比增长(%)", "YoY growth (%)"),
                              ("change", "增速变动(百分点)", "Change (pp)"), ("zone_zh", "信号灯", "Signal")],
                     rows=rows)

    def _lights(self, codes: list[str]) -> dict[tuple[str, str], int]:
        lights = store.read_table(self.ctx.engine, t.signals, indicator=list(dict.fromkeys(codes)),
                                  region=self.reg.adcode)
        return {(r.indicator, r.period): int(r.zone) for r in lights.itertuples()}

    def _history(self, domain: str, items: list[dict]) -> Table:
        """The growth (or level of a rate) of each key indicator over the last periods up to the month."""
        freq = items[0]["ind"].frequency
        same = [it for it in items if it["ind"].frequency == freq]
        columns = [("period", "时期", "Period")]
        rows: dict[str, dict] = {}
        for it in same:
            code, transform = it["growth_code"], it["growth_transform"]
            s = self.rd.series(code, self.reg.adcode, transform)
            s = s[[period_end(p) <= self.rd.end for p in s.index]].tail(HISTORY_POINTS.get(freq, 13))
            field = it["code"]
            ind = it["ind"]
            shown = self.ctx.catalog[code]
            if it["rate"] or ind.is_growth or code != ind.code:  # the rate itself, or its published growth
                col_zh, col_en = shown.name_zh, shown.name_en
            else:
                col_zh, col_en = f"{ind.name_zh}同比增长", f"{ind.name_en}, year-on-year growth"
            columns.append((field, col_zh, col_en))
            for label, v in s.items():
                label = label[:4] + "-02" if label.endswith("-01/02") else label  # one row for Jan–Feb
                rows.setdefault(label, {"period": label})[field] = float(v)
        label_zh, label_en = DOMAIN_LABELS[domain]
        return Table(key=f"{domain}_history", title_zh=f"{label_zh}主要指标走势", title_en=f"{label_en}: recent trend",
                     columns=columns, rows=[rows[k] for k in sorted(rows, key=period_end)])

    def _figures(self, domain: str, lead: dict) -> list[Figure]:
        out = []
        code, transform = lead["growth_code"], lead["growth_transform"]
        ind = lead["ind"]
        s = self.rd.series(code, self.reg.adcode, transform)
        s = s[[period_end(p) <= self.rd.end for p in s.index]].tail(HISTORY_POINTS.get(ind.frequency, 13))
        what_zh = base_name(ind, "zh") + ("" if lead["rate"] or ind.is_growth else "增速")
        what_en = base_name(ind, "en") + ("" if lead["rate"] or ind.is_growth else " growth")
        unit = "%" if transform == "yoy" or self.ctx.catalog[code].unit == "%" else self.ctx.catalog[code].unit
        series = [{"name_zh": self.reg.name_zh, "name_en": self.reg.name_en, "values": [float(v) for v in s.to_numpy()]}]
        if self.reg.adcode != GUANGXI:
            g = self.rd.series(code, GUANGXI, transform).reindex(s.index)
            series.append({"name_zh": "广西", "name_en": "Guangxi",
                           "values": [None if pd.isna(v) else float(v) for v in g.to_numpy()]})
        if len(s) >= 2:
            out.append(Figure(key=f"{domain}_trend", kind="line", title_zh=f"{what_zh}走势（{unit}）",
                              title_en=f"{what_en} ({unit})",
                              data={"categories": [str(p) for p in s.index], "series": series, "unit": unit}))
        label = (lead["growth"] or lead["value"]).source["period"]
        bars = []
        for c in self.cities:
            found = self.rd.at(code, c, label, transform)
            if found is not None:
                bars.append((found[1], c))
        if len(bars) >= MIN_RANKED:
            ascending = ind.polarity == "lower_better"
            bars.sort(key=lambda v: v[0] if ascending else -v[0])
            out.append(Figure(
                key=f"{domain}_cities", kind="bar", title_zh=f"各设区市{what_zh}（{nv.period_text(label, self._ytd(code), False, 'zh', None)}，{unit}）",
                title_en=f"{what_en} by city ({nv.period_text(label, self._ytd(code), False, 'en', None)}, {unit})",
                data={"categories": [self.ctx.regions[c].short_zh for _, c in bars],
                      "categories_en": [self.ctx.regions[c].name_en.replace(" City", "") for _, c in bars],
                      "series": [{"name_zh": what_zh, "name_en": what_en, "values": [float(v) for v, _ in bars]}],
                      "highlight": [i for i, (_, c) in enumerate(bars) if c == self.reg.adcode], "unit": unit}))
        return out

    # ---- early warning -------------------------------------------------------------------------------

    def _composite(self) -> pd.DataFrame:
        comp = early_warning.composite_history(self.ctx, self.reg.adcode)
        comp = comp[(comp["period"].str.len() == 7) & (comp["period"] <= self.month)]
        return comp.reset_index(drop=True)

    def _composite_fact(self, period: str, score: float) -> Fact:
        return Fact(score, 1, "", {"kind": "composite", "region": self.reg.adcode, "period": period, "field": "score"})

    def early_warning(self) -> Section:
        section = Section(key="warning", title_zh="监测预警", title_en="Early warning")
        comp = self._composite()
        paragraphs = []
        if len(comp):
            last = comp.iloc[-1]
            period = str(last["period"])
            lights = early_warning.signals(self.ctx, period, self.reg.adcode)["signals"]
            counts = {z: sum(1 for s in lights if s["zone"] == z) for z in (5, 4, 3, 2, 1)}
            count_facts = {f"z{z}": Fact(n, 0, "项", {"kind": "zone_count", "region": self.reg.adcode, "period": period,
                                                     "zone": z}) for z, n in counts.items()}
            total = Fact(len(lights), 0, "项", {"kind": "zone_count", "region": self.reg.adcode, "period": period,
                                               "zone": None})
            zone = nv_zone(int(last["zone"]), "zh")
            p_zh, p_en = nv.period_text(period, False, False, "zh", self.year), nv.period_text(period, False, False, "en", self.year)
            paragraphs.append(sentence(
                f"{p_zh}，纳入景气监测的{{n}}项指标中，过热（红灯）{{z5}}项、偏热（黄灯）{{z4}}项、正常（绿灯）{{z3}}项、"
                f"偏冷（浅蓝灯）{{z2}}项、过冷（蓝灯）{{z1}}项；综合景气得分{{s}}，处于“{zone}”区间。",
                f"In {p_en}, of the {{n}} indicators monitored, {{z5}} were overheated (red), {{z4}} warm (yellow), "
                f"{{z3}} normal (green), {{z2}} cool (light blue) and {{z1}} cold (blue); the composite score was {{s}}, "
                f"in the '{nv_zone(int(last['zone']), 'en')}' zone.",
                n=total, s=self._composite_fact(period, float(last["score"])), **count_facts))
            hot = [s for s in lights if s["zone"] >= 4]
            cold = [s for s in lights if s["zone"] <= 2]
            if hot or cold:
                zh, en = [], []
                if hot:
                    zh.append("偏热及以上的有" + "、".join(s["name_zh"] for s in hot[:6]) + ("等" if len(hot) > 6 else ""))
                    en.append("warm or hot: " + "; ".join(s["name_en"] for s in hot[:6]) + (" and others" if len(hot) > 6 else ""))
                if cold:
                    zh.append("偏冷及以下的有" + "、".join(s["name_zh"] for s in cold[:6]) + ("等" if len(cold) > 6 else ""))
                    en.append("cool or cold: " + "; ".join(s["name_en"] for s in cold[:6]) + (" and others" if len(cold) > 6 else ""))
                paragraphs.append(Paragraph("其中，" + "；".join(zh) + "。", "Lights outside the normal zone — " + "; ".join(en) + "."))
            history = comp.tail(COMPOSITE_MONTHS)
            section.figures.append(Figure(
                key="composite", kind="composite", title_zh="综合景气得分与信号区间", title_en="Composite score and zone",
                data={"categories": history["period"].tolist(), "values": history["score"].astype(float).tolist(),
                      "zones": history["zone"].astype(int).tolist(), "unit": ""}))
            section.figures.append(Figure(
                key="zones", kind="zones", title_zh=f"{p_zh}信号灯分布（项）", title_en=f"Signal lights in {p_en} (indicators)",
                data={"zones": [5, 4, 3, 2, 1], "counts": [counts[z] for z in (5, 4, 3, 2, 1)]}))
            section.tables.append(Table(
                key="signals", title_zh=f"{p_zh}景气信号灯", title_en=f"Signal lights, {p_en}",
                columns=[("name_zh", "指标", "Indicator"), ("value", "数值", "Value"), ("zone_zh", "信号灯", "Signal")],
                rows=[dict(indicator=s["indicator"], name_zh=s["name_zh"], name_en=s["name_en"], value=s["value"],
                           zone=s["zone"], zone_zh=s["zone_zh"], zone_en=s["zone_en"]) for s in lights]))
            section.history = Table(
                key="composite_history", title_zh="综合景气得分走势", title_en="Composite score",
                columns=[("period", "时期", "Period"), ("score", "综合得分", "Composite score")],
                rows=[{"period": str(p), "score": float(v)} for p, v in zip(history["period"], history["score"])])
            section.summary = Paragraph(
                f"{p_zh}综合景气处于“{zone}”区间", f"The composite signal was in the '{nv_zone(int(last['zone']), 'en')}' zone in {p_en}")
        paragraphs += self._alerts()
        section.paragraphs = paragraphs
        return section

    def _alerts(self) -> list[Paragraph]:
        rows = [a for a in early_warning.alerts(self.ctx, region=self.reg.adcode)
                if a["state"] in OPEN_STATES and period_end(a["period"]) <= self.rd.end]
        source = {"kind": "alerts", "region": self.reg.adcode, "until": self.month}
        n = Fact(len(rows), 0, "条", {**source, "state": None, "severity": None})
        new = Fact(sum(a["state"] == "new" for a in rows), 0, "条", {**source, "state": "new", "severity": None})
        ack = Fact(sum(a["state"] == "acknowledged" for a in rows), 0, "条",
                   {**source, "state": "acknowledged", "severity": None})
        high = Fact(sum(a["severity"] == "high" for a in rows), 0, "条", {**source, "state": None, "severity": "high"})
        if not rows:
            return [Paragraph("目前没有尚未处理的异常预警。", "There are no open anomaly alerts.")]
        out = [sentence("目前尚未处理完毕的异常预警共{n}条（新预警{a}条、已确认{b}条），其中高等级{h}条。",
                        "There are {n} open anomaly alerts ({a} new, {b} acknowledged), {h} of them of high severity.",
                        n=n, a=new, b=ack, h=high)]
        severity = {"high": 0, "medium": 1, "low": 2}
        for a in sorted(rows, key=lambda a: (severity.get(a["severity"], 3), a["period"]))[:ALERT_QUOTES]:
            out.append(Paragraph(a["message_zh"], a["message_en"], kind="quote"))
        return out

    # ---- outlook: nowcast and targets --------------------------------------------------------------

    def _nowcast(self) -> dict | None:
        from services.outlook import nowcast_history

        stored = nowcast_history(self.ctx, self.reg.adcode, NOWCAST_TARGET)
        if stored.empty:
            return None
        cutoff = (self.rd.end + dt.timedelta(days=NOWCAST_WINDOW_DAYS)).isoformat()
        stored = stored[stored["as_of"].astype(str) <= cutoff]
        return None if stored.empty else stored.iloc[-1].to_dict()

    def outlook(self) -> Section:
        section = Section(key="outlook", title_zh="形势预判与目标进度", title_en="Outlook and annual targets")
        now = self._nowcast()
        if now is not None:
            src = {"kind": "nowcast", "region": self.reg.adcode, "as_of": str(now["as_of"]), "period": str(now["period"])}
            point = Fact(float(now["point"]), 1, "%", {**src, "field": "point"})
            q_zh = nv.period_text(str(now["period"]), False, False, "zh", None)
            q_en = nv.period_text(str(now["period"]), False, False, "en", None)
            as_of = dt.date.fromisoformat(str(now["as_of"]))
            facts = {"p": point}
            zh = f"据即时预测模型（数据截至{as_of.month}月{as_of.day}日），{q_zh}地区生产总值同比增长{{p}}%左右"
            en = f"The nowcast (data to {as_of.isoformat()}) puts real GDP growth in {q_en} at about {{p}}%"
            if pd.notna(now.get("lower")) and pd.notna(now.get("upper")) and pd.notna(now.get("level")):
                facts.update(lv=Fact(float(now["level"]) * 100, 0, "%", {**src, "field": "level", "scale": 100}),
                             lo=Fact(float(now["lower"]), 1, "%", {**src, "field": "lower"}),
                             hi=Fact(float(now["upper"]), 1, "%", {**src, "field": "upper"}))
                zh += "，{lv}%区间为{lo}%至{hi}%"
                en += " ({lv}% interval {lo}% to {hi}%)"
            section.paragraphs.append(sentence(zh + "。", en + ".", **facts))
            section.summary = sentence(f"预计{q_zh}经济增长{{p}}%左右", f"Growth in {q_en} is nowcast at about {{p}}%", p=point)
            news = sorted(now.get("news") or [], key=lambda n: -abs(n.get("impact") or 0.0))[:3]
            news = [n for n in news if abs(n.get("impact") or 0.0) >= 0.05]
            if news:
                pieces = []
                for n in news:
                    ind = self.ctx.catalog.get(n["indicator"])
                    if ind is None:
                        continue
                    f = Fact(float(n["impact"]), 1, "个百分点", {**src, "field": "news", "indicator": n["indicator"],
                                                              "news_period": n.get("period")}, absolute=True)
                    verb_zh, verb_en = ("上调", "raised") if f.value > 0 else ("下调", "lowered")
                    name_en = ind.name_en[0].lower() + ind.name_en[1:] if ind.name_en[1:2].islower() else ind.name_en
                    pieces.append(sentence(f"{ind.name_zh}{verb_zh}{{x}}个百分点", f"{name_en} {verb_en} it by {{x}} points", x=f))
                body = join(pieces, "，", "; ")
                section.paragraphs.append(Paragraph(f"与上次预测相比，新发布的数据中{body.zh}。",
                                                    f"Since the previous update: {body.en}.", body.facts))
            section.figures.append(self._fan(now))
        targets = self._targets()
        section.paragraphs += targets["paragraphs"]
        if targets["table"].rows:
            section.tables.append(targets["table"])
        if section.summary is None:
            section.summary = Paragraph("形势预判", "Outlook")
        return section

    def _fan(self, now: dict) -> Figure:
        from services.analytics_view import quarterly_growth

        history = quarterly_growth(self.ctx, self.reg.adcode, last=12)
        history = history[history["period"] < str(now["period"])]
        return Figure(key="nowcast", kind="fan", title_zh="地区生产总值当季增速与即时预测（%）",
                      title_en="Real GDP growth of the quarter and the nowcast (%)",
                      data={"categories": history["period"].tolist(), "values": history["value"].astype(float).tolist(),
                            "period": str(now["period"]), "point": float(now["point"]),
                            "lower": None if pd.isna(now.get("lower")) else float(now["lower"]),
                            "upper": None if pd.isna(now.get("upper")) else float(now["upper"]),
                            "level": None if pd.isna(now.get("level")) else float(now["level"]), "unit": "%"})

    def _targets(self) -> dict:
        targets = store.read_table(self.ctx.engine, t.targets, order_by=("indicator",), region=self.reg.adcode,
                                   year=self.year)
        progress = store.read_table(self.ctx.engine, t.target_progress, region=self.reg.adcode, year=self.year)
        prog = {r["indicator"]: r for r in progress.to_dict("records")}
        paragraphs, rows = [], []
        order = {"gdp_ytd_growth": 0}
        for r in sorted(targets.to_dict("records"), key=lambda r: (order.get(r["indicator"], 1), r["indicator"])):
            ind = self.ctx.catalog.get(r["indicator"])
            if ind is None:
                continue
            period = self.rd.latest_period(ind.code, self.reg.adcode)
            actual = self.rd.fact(ind.code, self.reg.adcode, period, decimals=ind.decimals) if period else None
            target = Fact(float(r["target"]), ind.decimals, ind.unit,
                          {"kind": "target", "region": self.reg.adcode, "indicator": ind.code, "year": self.year,
                           "field": "target"})
            row = dict(indicator=ind.code, name_zh=ind.name_zh, name_en=ind.name_en, target=target.value,
                       unit="%" if r["basis"] == "growth" else ind.unit, period=period,
                       period_zh=self._period_words(period, ind.code)[0] if period else None,
                       period_en=self._period_words(period, ind.code)[1] if period else None,
                       actual=actual.value if actual else None, required=None, probability=None)
            if actual is None:
                rows.append(row)
                continue
            p_zh, p_en = self._period_words(period, ind.code)
            name_zh, name_en = base_name(ind, "zh"), base_name(ind, "en")
            unit = "%" if ind.unit == "%" else ind.unit
            if r["basis"] == "growth" or r["aggregation"] == "mean":
                gap = Fact(actual.value - target.value, ind.decimals, "个百分点",
                           {"kind": "diff", "a": actual.source, "b": target.source}, absolute=True)
                words = nv.versus_target(gap.value, gap.decimals)
                verb = nv.growth_verb(actual.value)[0] if r["basis"] == "growth" else "为"
                if r["basis"] == "growth":
                    actual = Fact(actual.value, actual.decimals, actual.unit, actual.source, absolute=True)
                tail_zh = f"，{words[0]}{{gap}}个百分点" if words else "，与全年目标持平"
                tail_en = f", {words[1]} {{gap}} points" if words else ", on target"
                p = sentence(f"{name_zh}全年目标{'不高于' if r['direction'] == 'at_most' else ''}{{t}}{unit}，"
                             f"{p_zh}{verb}{{a}}{unit}{tail_zh}",
                             f"{name_en}: annual target {'at most ' if r['direction'] == 'at_most' else ''}{{t}}{unit_en(unit)}, "
                             f"{p_en} {{a}}{unit_en(unit)}{tail_en}", t=target, a=actual, gap=gap)
            else:
                done = Fact(actual.value / target.value * 100, 1, "%",
                            {"kind": "ratio", "a": actual.source, "b": target.source, "scale": 100})
                p = sentence(f"{name_zh}全年目标{{t}}{unit}，{p_zh}完成{{a}}{unit}，完成全年目标的{{d}}%",
                             f"{name_en}: annual target {{t}} {unit_en(unit)}, {{a}} done by {p_en}, {{d}}% of the target",
                             t=target, a=actual, d=done)
            stored = prog.get(ind.code)
            if stored is not None and str(stored.get("period")) == period:
                src = {"kind": "target", "region": self.reg.adcode, "indicator": ind.code, "year": self.year}
                extra = {}
                zh, en = "", ""
                if pd.notna(stored.get("required")) and r["basis"] == "growth":
                    extra["req"] = Fact(float(stored["required"]), 1, "%", {**src, "field": "required"}, absolute=True)
                    row["required"] = float(stored["required"])
                    if stored["required"] >= 0:
                        zh, en = "，其余时期需增长{req}%", "; the rest of the year needs {req}%"
                    else:  # the target is met even if the rest of the year shrinks this much
                        zh, en = "，其余时期即使下降{req}%也可实现目标", "; it is met even if the rest of the year falls {req}%"
                probability = stored.get("probability")
                if pd.notna(probability):
                    row["probability"] = float(probability)
                    if 0.005 <= probability <= 0.995:
                        extra["pr"] = Fact(float(probability) * 100, 0, "%", {**src, "field": "probability", "scale": 100})
                        zh += "，实现目标的概率约{pr}%"
                        en += "; probability of meeting it about {pr}%"
                    else:
                        zh += "，按当前预测基本可以实现目标" if probability > 0.5 else "，按当前预测难以实现目标"
                        en += "; on current forecasts it will be met" if probability > 0.5 else "; on current forecasts it will be missed"
                if zh:
                    p = join([p, sentence(zh, en, **{k: v for k, v in extra.items() if "{" + k + "}" in zh})])
            paragraphs.append(Paragraph(p.zh + "。", p.en + ".", p.facts))
            rows.append(row)
        table = Table(key="targets", title_zh="年度目标进度", title_en="Annual targets",
                      columns=[("name_zh", "指标", "Indicator"), ("target", "全年目标", "Target"), ("unit", "单位", "Unit"),
                               ("period_zh", "时期", "Period"), ("actual", "完成", "Actual"),
                               ("required", "其余时期需增长(%)", "Needed in the rest (%)"),
                               ("probability", "实现概率", "Probability")],
                      rows=rows)
        return {"paragraphs": paragraphs, "table": table}

    # ---- the headline ----------------------------------------------------------------------------------

    def headline(self, name_zh: str) -> Paragraph:
        parts = []
        comp = self._composite()
        zone = None
        if len(comp):
            last = comp.iloc[-1]
            zone = int(last["zone"])
            period = str(last["period"])
            score = self._composite_fact(period, float(last["score"]))
            p_zh = nv.month_text(period)
            p_en = nv.month_text(period, "en")
            parts.append(sentence(f"{p_zh}，{name_zh}经济景气综合得分{{s}}，处于“{nv_zone(zone, 'zh')}”区间",
                                  f"In {p_en} the composite business-climate score of {self.reg.name_en} was {{s}}, "
                                  f"in the '{nv_zone(zone, 'en')}' zone", s=score))
            if len(comp) > 3:
                earlier = comp.iloc[-4]
                before = self._composite_fact(str(earlier["period"]), float(earlier["score"]))
                diff = Fact(score.value - before.value, 1, "点", {"kind": "diff", "a": score.source, "b": before.source},
                            absolute=True)
                trend_zh, trend_en = nv.score_trend(diff.value)
                e_zh = nv.month_text(str(earlier["period"]))
                word = "上升" if diff.value > 0 else "下降"
                if nv.rounded_zero(diff.value, 1):
                    parts.append(Paragraph(f"，与{e_zh}持平", f", unchanged from {nv.month_text(str(earlier['period']), 'en')}"))
                else:
                    parts.append(sentence(f"，比{e_zh}{word}{{d}}点，{trend_zh}",
                                          f", {'up' if diff.value > 0 else 'down'} {{d}} points on "
                                          f"{nv.month_text(str(earlier['period']), 'en')} ({trend_en})", d=diff))
        gdp = self.indicator("gdp_ytd_growth") if "gdp_ytd_growth" in self.ctx.catalog else None
        if gdp is not None and gdp["value"] is None and gdp["growth"] is not None:
            g = gdp["growth"]
            p_zh, p_en = self._period_words(gdp["period"], "gdp_ytd_growth")
            zh, en = nv.growth_verb(g.value)
            parts.append(sentence(f"{'；' if parts else ''}{p_zh}地区生产总值同比{zh}{{g}}%",
                                  f"{'; ' if parts else 'In '}{p_en if not parts else ''}{' ' if not parts else ''}GDP {en} {{g}}% in real terms"
                                  f"{' in ' + p_en if parts else ''}", g=g))
            target = self._target_value("gdp_ytd_growth")
            if target is not None:
                gap = Fact(g.value - target.value, 1, "个百分点", {"kind": "diff", "a": g.source, "b": target.source},
                           absolute=True)
                words = nv.versus_target(gap.value, 1)
                if words:
                    parts.append(sentence(f"，{words[0]}{{x}}个百分点", f", {words[1]} {{x}} points", x=gap))
                else:
                    parts.append(Paragraph("，与全年目标持平", ", on the annual target"))
        now = self._nowcast()
        if now is not None:
            src = {"kind": "nowcast", "region": self.reg.adcode, "as_of": str(now["as_of"]), "period": str(now["period"])}
            q_zh = nv.period_text(str(now["period"]), False, False, "zh", None)
            q_en = nv.period_text(str(now["period"]), False, False, "en", None)
            parts.append(sentence(f"{'；' if parts else ''}即时预测{q_zh}增长{{p}}%左右",
                                  f"{'; g' if parts else 'G'}rowth in {q_en} is nowcast at about {{p}}%",
                                  p=Fact(float(now["point"]), 1, "%", {**src, "field": "point"})))
        closing_zh, closing_en = nv.zone_judgement(zone or 3)
        head = join(parts)
        if not head.zh:
            return Paragraph(f"总的看，{closing_zh}。", f"Overall, {closing_en}.")
        return Paragraph(f"{head.zh}。总的看，{closing_zh}。", f"{head.en}. Overall, {closing_en}.", head.facts)

    def _target_value(self, code: str) -> Fact | None:
        tg = store.read_table(self.ctx.engine, t.targets, region=self.reg.adcode, year=self.year, indicator=code)
        if tg.empty:
            return None
        return Fact(float(tg.iloc[0]["target"]), 1, "%", {"kind": "target", "region": self.reg.adcode,
                                                          "indicator": code, "year": self.year, "field": "target"})


def nv_zone(zone: int | None, lang: str) -> str | None:
    from models.signals import ZONES

    if zone is None or int(zone) not in ZONES:
        return None
    return ZONES[int(zone)]["en" if lang == "en" else "zh"]
