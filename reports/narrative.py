"""The wording rules of the monthly report: how a number becomes a phrase, in Chinese and English.

Everything the narrative says about a figure — 增长 or 下降, 加快 or 回落, 偏热 or 正常, the headline
judgement — is decided here by small, tested rules on the numbers; the templates that place the
phrases live with the sections in ``services/report.py``. The conventions follow Chinese
statistical releases: growth is stated with its direction in words and its magnitude in figures
("下降1.2%"), a change in a growth rate is in percentage points ("加快0.3个百分点"), and a period
is named as the release names it ("1—9月", "前三季度", "9月末").
"""

from __future__ import annotations

from indicators.periods import parse_period

MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
QUARTER_ZH = "一二三四"
YTD_QUARTER_ZH = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}
YTD_QUARTER_EN = {1: "Q1", 2: "H1", 3: "Q1–Q3", 4: "the full year"}

# Judgement of the composite signal zone (1 过冷 … 5 过热), as the headline's closing sentence says it.
ZONE_JUDGEMENT = {
    5: ("经济运行明显偏热，需防范过热风险", "the economy is running hot and the risk of overheating needs watching"),
    4: ("经济运行活跃、景气偏热", "the economy is brisk, on the warm side"),
    3: ("经济运行总体平稳", "the economy is running steadily"),
    2: ("经济运行偏冷，下行压力有所加大", "the economy is on the cool side, with growing downward pressure"),
    1: ("经济运行明显偏冷，下行压力较大", "the economy is running cold, under strong downward pressure"),
}
SCORE_STEADY = 1.0  # a composite move smaller than this (points) is "broadly stable"


def period_text(label: str, ytd: bool, stock: bool = False, lang: str = "zh", year: int | None = None) -> str:
    """``2026-09`` → 1—9月 (year to date) / 9月 / 9月末 (a stock); ``2026Q3`` → 前三季度 / 三季度;
    ``2026`` → 2026年. The year is left out when it is ``year`` (the report's own)."""
    p = parse_period(label)
    same_year = year is not None and p.year == year
    if p.frequency == "A":
        return f"{p.year}年" if lang == "zh" else str(p.year)
    if p.frequency == "Q":
        if lang == "zh":
            text = YTD_QUARTER_ZH[p.number] if ytd else f"{QUARTER_ZH[p.number - 1]}季度"
            return text if same_year else f"{p.year}年{text}"
        text = YTD_QUARTER_EN[p.number] if ytd else f"Q{p.number}"
        return text if same_year else f"{text} {p.year}"
    first = 1 if (ytd or p.combined) else p.number
    if lang == "zh":
        text = f"{first}—{p.number}月" if first != p.number else f"{p.number}月"
        text += "末" if stock and first == p.number else ""
        return text if same_year else f"{p.year}年{text}"
    text = (f"{MONTH_EN[first - 1]}–{MONTH_EN[p.number - 1]}" if first != p.number else MONTH_EN[p.number - 1])
    text = f"end-{text}" if stock and first == p.number else text
    return text if same_year else f"{text} {p.year}"


def month_text(month: str, lang: str = "zh") -> str:
    p = parse_period(month)
    return f"{p.year}年{p.number}月" if lang == "zh" else f"{MONTH_EN[p.number - 1]} {p.year}"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十 (section numbers)."""
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def rounded_zero(value: float, decimals: int) -> bool:
    return round(abs(value), decimals) == 0


def growth_verb(value: float, price: bool = False) -> tuple[str, str]:
    """增长/下降 (上涨/下降 for prices) with the magnitude shown after it."""
    if value < 0:
        return "下降", "fell"
    return ("上涨", "rose") if price else ("增长", "grew")


def change_of_growth(now: float, before: float, decimals: int = 1) -> tuple[str, str] | None:
    """How a growth rate moved: (zh verb phrase before the magnitude, en) — None when unchanged at
    the shown precision (the caller says 持平)."""
    diff = now - before
    if rounded_zero(diff, decimals):
        return None
    if now >= 0 and before >= 0:
        return ("增速比{prev}加快", "growth quickened by") if diff > 0 else ("增速比{prev}回落", "growth slowed by")
    if now < 0 and before < 0:
        return ("降幅比{prev}收窄", "the decline narrowed by") if diff > 0 else ("降幅比{prev}扩大", "the decline widened by")
    return ("增速比{prev}提高", "growth rose by") if diff > 0 else ("增速比{prev}回落", "growth fell by")


def change_of_price(now: float, before: float, decimals: int = 1) -> tuple[str, str] | None:
    diff = now - before
    if rounded_zero(diff, decimals):
        return None
    if now >= 0 and before >= 0:
        return ("涨幅比{prev}扩大", "inflation rose by") if diff > 0 else ("涨幅比{prev}收窄", "inflation eased by")
    return ("比{prev}提高", "up by") if diff > 0 else ("比{prev}回落", "down by")


def change_of_rate(diff: float, decimals: int = 1) -> tuple[str, str] | None:
    """A level that is itself a rate (unemployment, a share): 上升/下降 so many points."""
    if rounded_zero(diff, decimals):
        return None
    return ("比{prev}上升", "up by") if diff > 0 else ("比{prev}下降", "down by")


def trend_title(growth: float | None, diff: float | None, polarity: str = "higher_better") -> tuple[str, str]:
    """The few words after a domain's name in its section title: 增势加快, 降幅收窄, 总体稳定…"""
    if growth is None:
        return "运行情况", "at a glance"
    if polarity == "lower_better":  # a rate where lower is better (unemployment)
        if diff is None or abs(diff) < 0.05:
            return "总体稳定", "broadly stable"
        return ("有所承压", "under some pressure") if diff > 0 else ("稳中向好", "improving")
    steady = diff is None or abs(diff) < 0.05
    if growth >= 0:
        if steady:
            return "平稳增长", "steady growth"
        return ("增势加快", "growth quickening") if diff > 0 else ("增速放缓", "growth slowing")
    if steady:
        return "有所下降", "declining"
    return ("降幅收窄", "decline narrowing") if diff > 0 else ("降幅扩大", "decline deepening")


def zone_judgement(zone: int) -> tuple[str, str]:
    return ZONE_JUDGEMENT.get(int(zone), ZONE_JUDGEMENT[3])


def score_trend(diff: float | None) -> tuple[str, str]:
    """The composite score's move over the last quarter, in words."""
    if diff is None or abs(diff) < SCORE_STEADY:
        return "景气度基本稳定", "sentiment broadly stable"
    return ("景气度有所回升", "sentiment picking up") if diff > 0 else ("景气度有所回落", "sentiment easing")


def versus_target(gap: float, decimals: int = 1) -> tuple[str, str] | None:
    """Actual minus target: 高于/低于全年目标 so many points; None when on target."""
    if rounded_zero(gap, decimals):
        return None
    return ("高于全年目标", "above the annual target by") if gap > 0 else ("低于全年目标", "below the annual target by")


def capitalised(text: str) -> str:
    """An English name at the start of a title or sentence."""
    return text[:1].upper() + text[1:]


def rank_phrase(rank: int, of: int) -> str:
    """English ordinal: 3 → 3rd."""
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix} of {of}"
