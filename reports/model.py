"""The monthly situation report as data: what every writer (Word, PDF, Excel, PowerPoint, the
presentation mode) renders, and what the tests check number by number.

No database and no Dash here. ``services/report.py`` fills these from the store; the writers in
``reports/`` only lay them out. Every number printed in the narrative is a :class:`Fact` that
carries where it came from (``source``), so a test can check it against ``python app.py series``
and the other CLI commands for the same data version.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Fact:
    """One number in the text.

    ``value`` is signed as computed; when ``absolute`` the text shows its magnitude and says the
    direction in words (增长/下降, 加快/回落). ``source`` says how to recompute it, e.g.
    ``{"kind": "series", "indicator": "retail_sales", "region": "450000", "period": "2026-09",
    "transform": "level"}``; see ``tests/integration/test_report_numbers.py`` for every kind.
    """

    value: float
    decimals: int
    unit: str
    source: dict
    absolute: bool = False

    def shown(self) -> str:
        v = abs(self.value) if self.absolute else self.value
        text = f"{v:.{self.decimals}f}"
        return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


@dataclass
class Paragraph:
    """A paragraph in both languages; ``facts`` in the order their numbers appear in the Chinese text."""

    zh: str
    en: str
    facts: list[Fact] = field(default_factory=list)
    kind: str = "text"  # "text", or "quote" for a stored alert message reproduced verbatim

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def sentence(zh: str, en: str, **facts: Fact | str) -> Paragraph:
    """Fill a template pair: ``{name}`` takes a fact (formatted by :meth:`Fact.shown`) or a word.

    The facts are listed in the order they appear in the Chinese template, which is what the
    number-checking test reads.
    """
    shown = {k: (v.shown() if isinstance(v, Fact) else v) for k, v in facts.items()}
    order = [name for _, name, _, _ in string.Formatter().parse(zh) if name]
    return Paragraph(zh.format(**shown), en.format(**shown),
                     [facts[n] for n in order if isinstance(facts.get(n), Fact)])


def join(parts: list[Paragraph], zh_sep: str = "", en_sep: str = "") -> Paragraph:
    parts = [p for p in parts if p is not None and p.zh]
    return Paragraph(zh_sep.join(p.zh for p in parts), en_sep.join(p.en for p in parts),
                     [f for p in parts for f in p.facts])


@dataclass
class Figure:
    """A chart: ``kind`` names the builder in ``reports/charts.py``; ``data`` is what it plots."""

    key: str
    kind: str
    title_zh: str
    title_en: str
    data: dict

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh


@dataclass
class Table:
    """A table for the appendix, the Excel sheets and the slides: column labels in both languages."""

    key: str
    title_zh: str
    title_en: str
    columns: list[tuple[str, str, str]]  # (field, zh label, en label)
    rows: list[dict]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def labels(self, lang: str) -> list[str]:
        return [en if lang == "en" else zh for _, zh, en in self.columns]

    @staticmethod
    def value(row: dict, field: str, lang: str = "zh"):
        """A cell in ``lang``: a ``*_zh`` field shows its ``*_en`` twin in English when there is one."""
        if lang == "en" and field.endswith("_zh") and row.get(field[:-3] + "_en") is not None:
            return row[field[:-3] + "_en"]
        return row.get(field)

    def text(self, row: dict, field: str, lang: str = "zh") -> str:
        """A cell as printed: ``value`` at the row's decimals, other numbers to one decimal, the
        probability (stored as a share) as a percentage, blanks as a dash."""
        value = self.value(row, field, lang)
        if value is None or (isinstance(value, float) and value != value):
            return "—"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        if field == "probability":  # the narrative says "约97%"
            return f"{value * 100:.0f}%"
        if isinstance(value, int):
            return str(value)
        decimals = row.get("decimals") if field == "value" else None
        return f"{value:.{1 if decimals is None else decimals}f}"

    def frame(self, lang: str = "zh") -> pd.DataFrame:
        return pd.DataFrame([[self.value(r, c, lang) for c, _, _ in self.columns] for r in self.rows],
                            columns=self.labels(lang))


@dataclass
class Section:
    key: str
    title_zh: str
    title_en: str
    summary: Paragraph | None = None  # the one-line message (the slide title, the section's lead)
    paragraphs: list[Paragraph] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # the section's key figures
    history: Table | None = None  # monthly history of the key indicators (the Excel sheet's chart data)

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh


@dataclass
class Report:
    month: str  # YYYY-MM
    region: str
    region_name_zh: str
    region_name_en: str
    level: str  # province | city
    title_zh: str
    title_en: str
    headline: Paragraph
    sections: list[Section]
    appendix: list[Table]
    demo: bool
    data_version: int
    analytics_refreshed_at: str | None
    generated_at: dt.datetime
    generated_by: str

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh

    def paragraphs(self) -> list[Paragraph]:
        """Every paragraph of the narrative, in reading order."""
        out = [self.headline]
        for s in self.sections:
            out += [p for p in [s.summary, *s.paragraphs] if p is not None]
        return out

    def facts(self) -> list[Fact]:
        return [f for p in self.paragraphs() for f in p.facts]

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]

    def demo_note(self, lang: str) -> str:
        if not self.demo:
            return ""
        return ("演示数据：本报告由生成的演示数据编制，不代表真实经济运行情况。" if lang == "zh" else
                "Demo data: this report is compiled from generated demo data and does not describe the real economy.")

    def provenance(self, lang: str) -> str:
        at = self.generated_at.strftime("%Y-%m-%d %H:%M")
        if lang == "en":
            return (f"Data version {self.data_version}; analytics refreshed {self.analytics_refreshed_at or '—'}; "
                    f"generated {at} by {self.generated_by}.")
        return (f"数据版本 {self.data_version}；分析结果更新于 {self.analytics_refreshed_at or '—'}；"
                f"{at} 由 {self.generated_by} 生成。")
