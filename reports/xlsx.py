"""The report's data appendix as an Excel workbook: one sheet per domain, with native charts.

A cover sheet (title, demo label, provenance, the headline judgement), then for each section its
key figures and the recent history of its indicators with a native Excel line chart of that
history (editable in Excel, not a picture), and the targets. Text cells pass through
``neutralise`` — a value starting with = + - @ gets a leading apostrophe — and the workbook is
written with ``strings_to_formulas`` off, so no cell can become a formula.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from reports.model import Report, Table
from services.indicator_view import neutralise

SHEET_NAMES = {"gdp": ("经济总量", "Economy"), "industry": ("工业", "Industry"), "investment": ("投资", "Investment"),
               "consumption": ("消费", "Consumption"), "trade": ("外贸", "Trade"), "fiscal": ("财政", "Fiscal"),
               "macro": ("能源交通金融", "Energy finance"), "living": ("收入物价", "Incomes prices"),
               "employment": ("就业", "Employment"), "warning": ("监测预警", "Early warning"),
               "outlook": ("预判与目标", "Outlook targets")}
COVER = ("说明", "About")


def _text(value):
    return neutralise(value) if isinstance(value, str) else value


class _Writer:
    def __init__(self, book, lang: str):
        self.book, self.lang = book, lang
        self.title = book.add_format({"bold": True, "font_size": 14, "font_color": "#0B2A4A"})
        self.head = book.add_format({"bold": True, "bg_color": "#DCE6F2", "border": 1, "text_wrap": True,
                                     "valign": "vcenter"})
        self.cell = book.add_format({"border": 1})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.red = book.add_format({"bold": True, "font_color": "#C0392B"})
        self.percent = book.add_format({"border": 1, "num_format": "0%"})
        self.numbers = {d: book.add_format({"border": 1, "num_format": "0" if d == 0 else "0." + "0" * d})
                        for d in range(0, 4)}

    def table(self, ws, row: int, table: Table) -> int:
        """Write a titled table at ``row``; returns the next free row."""
        ws.write_string(row, 0, _text(table.title(self.lang)), self.title)
        row += 1
        for col, label in enumerate(table.labels(self.lang)):
            ws.write_string(row, col, _text(label), self.head)
        for r in table.rows:
            row += 1
            for col, (field, _, _) in enumerate(table.columns):
                value = Table.value(r, field, self.lang)
                if value is None or (isinstance(value, float) and value != value):
                    ws.write_blank(row, col, None, self.cell)
                elif field == "probability" and isinstance(value, (int, float)):
                    ws.write_number(row, col, float(value), self.percent)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    decimals = r.get("decimals") if field == "value" and r.get("decimals") is not None else 1
                    ws.write_number(row, col, float(value), self.numbers[min(int(decimals), 3)])
                else:
                    ws.write_string(row, col, str(_text(value)), self.cell)
        return row + 2

    def history_chart(self, ws, sheet: str, first_row: int, table: Table, anchor: str) -> None:
        """A native line chart over the history table written at ``first_row`` (its title row)."""
        n = len(table.rows)
        if n < 2 or len(table.columns) < 2:
            return
        chart = self.book.add_chart({"type": "line"})
        header, last = first_row + 1, first_row + 1 + n
        for col in range(1, len(table.columns)):
            chart.add_series({"name": [sheet, header, col], "categories": [sheet, header + 1, 0, last, 0],
                              "values": [sheet, header + 1, col, last, col], "marker": {"type": "circle", "size": 4}})
        chart.set_title({"name": table.title(self.lang), "name_font": {"size": 12}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 340})
        ws.insert_chart(anchor, chart)


def write_xlsx(report: Report, path, lang: str = "zh") -> Path:
    path = Path(path)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": report.title(lang), "author": report.generated_by,
                         "comments": report.provenance(lang)})
    w = _Writer(book, lang)
    cover = book.add_worksheet(COVER[1] if lang == "en" else COVER[0])
    cover.set_column(0, 0, 110)
    cover.write_string(0, 0, _text(report.title(lang)), w.title)
    row = 1
    if report.demo:
        cover.write_string(row, 0, _text(report.demo_note(lang)), w.red)
        row += 1
    cover.write_string(row, 0, _text(report.provenance(lang)))
    cover.write_string(row + 2, 0, _text(report.headline.text(lang)), w.wrap)
    cover.set_row(row + 2, 90)
    row += 4
    for s in report.sections:
        lead = s.summary.text(lang) if s.summary else ""
        cover.write_string(row, 0, _text(f"{s.title(lang)}：{lead}" if lang == "zh" else f"{s.title(lang)}: {lead}"),
                           w.wrap)
        row += 1

    for s in report.sections:
        names = SHEET_NAMES.get(s.key, (s.key, s.key))
        sheet = names[1] if lang == "en" else names[0]
        ws = book.add_worksheet(sheet)
        ws.set_column(0, 0, 34)
        ws.set_column(1, 12, 14)
        row = 0
        if report.demo:
            ws.write_string(row, 0, _text(report.demo_note(lang)), w.red)
            row += 2
        for table in s.tables:
            row = w.table(ws, row, table)
        if s.history is not None and s.history.rows:
            start = row
            row = w.table(ws, row, s.history)
            w.history_chart(ws, sheet, start, s.history, f"I{start + 1}")
        if not s.tables and s.history is None:
            for p in [s.summary, *s.paragraphs]:
                if p is not None:
                    ws.write_string(row, 0, _text(p.text(lang)), w.wrap)
                    row += 1
    book.close()
    return path
