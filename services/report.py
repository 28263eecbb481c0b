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
from indicators.units import english as unit_en
from reports import narrative as nv
from reports.model import Fact, Figure, Paragraph, Report, Section, Table, join, sentence
from services.context import Context
from services.region_view import KEY_INDICATORS, growth_companion
from services.report_data import MIN_PEERS, MIN_RANKED, ReportData, amount_en, base_name, period_end
from services.report_outlook import WarningAndOutlook, nv_zone
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


def report_months(ctx: Context, region: str = GUANGXI) -> list[str]:
    """Months with a composite signal stored (the analysed months), oldest first."""
    comp = store.read_table(ctx.engine, t.composite_signals, region=region)
    return sorted({p for p in comp["period"] if len(p) == 7}) if len(comp) else []


def latest_month(ctx: Context, region: str = GUANGXI) -> str | None:
    """The newest analysed month — the month a report is usually for."""
    months = report_months(ctx, region)
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


class _Builder(WarningAndOutlook):
    """Builds the sections of one report; early warning and the outlook are in ``services/report_outlook.py``."""

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
        what_en = nv.capitalised(base_name(ind, "en")) + ("" if lead["rate"] or ind.is_growth else " growth")
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
