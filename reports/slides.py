"""The slides of the analysis-meeting pack (经济形势分析会), shared by the PowerPoint deck
(``reports/pptx.py``) and the live presentation mode (``/present``), so both show the same thing.

One message per slide: the slide title is the section's one-line message (its summary), the
kicker above it names the section, the body is one chart (two where they make one point) with a
few key figures, and the speaker notes carry the supporting numbers — the section's paragraphs and
its key-figure table. Built only from :class:`reports.model.Report`: no database, no Dash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indicators.units import english as unit_english
from reports import narrative as nv
from reports.model import Figure, Paragraph, Report, Section, Table

MEETING = ("经济形势分析会", "Economic situation analysis meeting")
HEADLINE = ("总体判断", "Overall judgement")
DEMO_TAG = ("演示数据", "Demo data")
KEY_BULLETS = 4  # key figures beside a chart: more do not read at the back of the room
TARGET_BULLETS = 8
ALERT_BULLETS = 5


@dataclass
class Slide:
    key: str  # "title", "headline", a section key, or "<section>_cities" / "warning_alerts" / "outlook_targets"
    kind: str  # "title" | "text" | "chart"
    title: str  # the message
    kicker: str = ""  # the section the slide belongs to
    figures: list[Figure] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    notes: str = ""  # speaker notes: the supporting numbers
    footnote: str = ""  # small print at the bottom (provenance on the title slide)


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _headline_text(text: str) -> str:
    """A slide title: no closing full stop."""
    return text.strip().rstrip("。.")


def _num(value: float, decimals: int, lang: str) -> str:
    text = f"{value:{',' if lang == 'en' else ''}.{decimals}f}"
    return text[1:] if re.fullmatch(r"-0[.,0]*", text) else text


def key_figure(row: dict, lang: str) -> str:
    """One row of a section's key-figure table as a line: 社会消费品零售总额（1—10月）：9062.93亿元，增长5.1%."""
    name = Table.value(row, "name_zh", lang)
    period = Table.value(row, "period_zh", lang)
    unit = row.get("unit") or ""
    parts = []
    if row.get("value") is not None:
        dec = int(row.get("decimals") if row.get("decimals") is not None else 2)
        shown = _num(row["value"], dec, lang)
        if "=" in unit:  # an index: 101.9（上年同期=100）
            parts.append(f"{shown}（{unit}）" if lang == "zh" else f"{shown} ({unit_english(unit)})")
        else:
            parts.append(shown + unit if (lang == "zh" or unit == "%") else f"{shown} {unit_english(unit)}")
    growth = row.get("growth")
    if growth is not None:
        g = _num(abs(growth), 1, lang)
        if lang == "en":
            parts.append(f"{'+' if growth >= 0 or g == _num(0, 1, lang) else '−'}{g}% y/y")
        else:
            parts.append(("增长" if growth >= 0 or g == "0.0" else "下降") + g + "%")
    sep = "，" if lang == "zh" else ", "
    head = f"{name}（{period}）：" if lang == "zh" else f"{name} ({period}): "
    return head + sep.join(parts) if period else (name + ("：" if lang == "zh" else ": ") + sep.join(parts))


def _table_lines(table: Table, lang: str) -> list[str]:
    out = [table.title(lang) + ("：" if lang == "zh" else ":")]
    for row in table.rows:
        line = key_figure(row, lang)
        zone = Table.value(row, "zone_zh", lang)
        out.append("· " + line + (f"（{zone}）" if lang == "zh" and zone else f" ({zone})" if zone else ""))
    return out


def _notes(section: Section, lang: str, extra: list[str] | None = None) -> str:
    lines = [p.text(lang) for p in [section.summary, *section.paragraphs] if p is not None]
    for tb in section.tables[:1]:  # the key figures; the full signal list stays in the report
        if tb.key in ("signals",):
            continue
        lines += _table_lines(tb, lang)
    return "\n".join(lines + (extra or []))


def _summary_indicators(section: Section) -> set[str]:
    facts = section.summary.facts if section.summary else []
    return {f.source.get("indicator") for f in facts if isinstance(f.source, dict)}


def _is_city_paragraph(p: Paragraph) -> bool:
    return p.zh.startswith("分城市看")


def _bar_line(fig: Figure, lang: str) -> str:
    """Every bar of a city chart in a line of the notes: 防城港 7.0%、钦州 6.9%、…"""
    cats = fig.data.get("categories_en") if lang == "en" and fig.data.get("categories_en") else fig.data["categories"]
    unit = "%" if fig.data.get("unit") == "%" else ""
    values = "、".join if lang == "zh" else ", ".join
    shown = values(f"{c} {_num(v, 1, lang)}{unit}" for c, v in zip(cats, fig.data["series"][0]["values"]) if v is not None)
    return fig.title(lang) + ("：" if lang == "zh" else ": ") + shown


# ---- slides of one section -------------------------------------------------------------------------

def _domain_slides(s: Section, lang: str) -> list[Slide]:
    """A domain: the trend with the key figures, then the cities with their own message (分城市看).

    A city's report has no such message (its rank among the cities is in the summary), so there
    the trend and the city bars share the one slide.
    """
    kicker = s.title(lang)
    title = _headline_text(s.summary.text(lang)) if s.summary else kicker
    skip = _summary_indicators(s)
    rows = [r for tb in s.tables[:1] for r in tb.rows if r.get("indicator") not in skip]
    bullets = [key_figure(r, lang) for r in rows[:KEY_BULLETS]]
    bars = [f for f in s.figures[1:] if f.kind == "bar"]
    city = next((p for p in s.paragraphs if _is_city_paragraph(p)), None)
    by_city = [_bar_line(bars[0], lang)] if bars else []
    if bars and city is None:
        return [Slide(s.key, "chart", title, kicker, [s.figures[0], bars[0]], bullets, _notes(s, lang, by_city))]
    out = [Slide(s.key, "chart", title, kicker, s.figures[:1], bullets, _notes(s, lang))]
    if bars:
        out.append(Slide(f"{s.key}_cities", "chart", _headline_text(city.text(lang)), kicker, bars[:1], [],
                         "\n".join([city.text(lang), *by_city])))
    return out


def _warning_slides(s: Section, lang: str) -> list[Slide]:
    """The composite signal with the light counts; then the open alerts, quoted as stored."""
    kicker = s.title(lang)
    title = _headline_text(s.summary.text(lang)) if s.summary else kicker
    quotes = [p for p in s.paragraphs if p.kind == "quote"]
    texts = [p for p in s.paragraphs if p.kind != "quote"]
    out = []
    if s.figures:
        lights = [texts[0].text(lang)] if texts and s.summary else []
        out.append(Slide(s.key, "chart", title, kicker, s.figures[:2], lights, _notes(s, lang)))
    if quotes or not s.figures:
        first = s.paragraphs.index(quotes[0]) if quotes else len(s.paragraphs)
        lead = s.paragraphs[first - 1] if first > 0 else None
        alert_title = _headline_text(lead.text(lang)) if lead is not None else title
        out.append(Slide(f"{s.key}_alerts", "text", alert_title, kicker,
                         bullets=[q.text(lang) for q in quotes[:ALERT_BULLETS]],
                         notes="\n".join(p.text(lang) for p in s.paragraphs)))
    return out


def _is_target(p: Paragraph) -> bool:
    return any(isinstance(f.source, dict) and f.source.get("kind") == "target" for f in p.facts)


def _outlook_slides(s: Section, lang: str) -> list[Slide]:
    """The nowcast fan with what moved it; then the annual targets, one line each."""
    kicker = s.title(lang)
    title = _headline_text(s.summary.text(lang)) if s.summary else kicker
    targets = [p for p in s.paragraphs if _is_target(p)]
    others = [p for p in s.paragraphs if not _is_target(p)]
    out = [Slide(s.key, "chart" if s.figures else "text", title, kicker, s.figures[:1],
                 [p.text(lang) for p in others], "\n".join(p.text(lang) for p in others))]
    if targets:
        table = next((tb for tb in s.tables if tb.key == "targets"), None)
        out.append(Slide(f"{s.key}_targets", "text", table.title(lang) if table else kicker, kicker,
                         bullets=[p.text(lang) for p in targets[:TARGET_BULLETS]],
                         notes="\n".join(p.text(lang) for p in targets)))
    return out


def _section_slides(s: Section, lang: str) -> list[Slide]:
    if s.key == "warning":
        return _warning_slides(s, lang)
    if s.key == "outlook":
        return _outlook_slides(s, lang)
    if s.figures:
        return _domain_slides(s, lang)
    kicker = s.title(lang)  # a section without charts: its paragraphs as lines
    title = _headline_text(s.summary.text(lang)) if s.summary else kicker
    return [Slide(s.key, "text", title, kicker, bullets=[p.text(lang) for p in s.paragraphs],
                  notes=_notes(s, lang))]


# ---- the deck ------------------------------------------------------------------------------------------

def _headline_slide(report: Report, lang: str) -> Slide:
    """The overall judgement: its closing sentence ("总的看，…") is the message, the rest the lines."""
    text = report.headline.text(lang)
    parts = ([p for p in text.split("。") if p.strip()] if lang == "zh"
             else [p for p in re.split(r"(?<=\.)\s+(?=[A-Z])", text) if p.strip()])
    kicker = _pick(HEADLINE, lang)
    if len(parts) < 2:
        return Slide("headline", "text", kicker, kicker, bullets=[text], notes=text)
    split = r"；" if lang == "zh" else r";\s*"
    bullets = [nv.capitalised(b.strip().rstrip("。.")) for p in parts[:-1] for b in re.split(split, p) if b.strip()]
    return Slide("headline", "text", _headline_text(parts[-1]), kicker, bullets=bullets, notes=text)


def _title_slide(report: Report, lang: str) -> Slide:
    region = report.region_name_en if lang == "en" else report.region_name_zh
    lines = [f"{region} · {nv.month_text(report.month, lang)}"]
    if report.demo:
        lines.append(report.demo_note(lang))
    notes = "\n".join([report.title(lang), *lines, report.provenance(lang)])
    return Slide("title", "title", report.title(lang), _pick(MEETING, lang), bullets=lines, notes=notes,
                 footnote=report.provenance(lang))


def slides(report: Report, lang: str = "zh") -> list[Slide]:
    """Every slide of the meeting pack, in order."""
    out = [_title_slide(report, lang), _headline_slide(report, lang)]
    for s in report.sections:
        out += _section_slides(s, lang)
    return out


def demo_tag(report: Report, lang: str) -> str:
    """The short label shown on every slide when the data are generated."""
    return _pick(DEMO_TAG, lang) + (" · Demo data" if lang == "zh" else "") if report.demo else ""
