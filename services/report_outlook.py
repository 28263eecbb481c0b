"""The monthly report's early-warning and outlook sections: signal lights and open alerts, the
nowcast with its news, and the annual targets — a mixin of the report builder in
``services/report.py``, which provides ``ctx``, ``rd`` (the report's data), ``reg``, ``month``,
``year`` and ``_period_words``. Everything is read from the stored results; nothing is fitted.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from indicators.units import english as unit_en
from reports import narrative as nv
from reports.model import Fact, Figure, Paragraph, Section, Table, join, sentence
from services import early_warning
from services.report_data import base_name, period_end
from storage import results as store
from storage import tables as t

COMPOSITE_MONTHS = 24
ALERT_QUOTES = 5
OPEN_STATES = ("new", "acknowledged")
NOWCAST_TARGET = "gdp_q_growth"
NOWCAST_WINDOW_DAYS = 62  # a nowcast made up to two months after the report month belongs to it


class WarningAndOutlook:
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
            name_zh, name_en = base_name(ind, "zh"), nv.capitalised(base_name(ind, "en"))  # starts a sentence
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
