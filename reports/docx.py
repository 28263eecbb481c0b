"""The monthly report as a Word document (.docx) that planners edit before it goes out.

Real Word structure rather than formatted text: the built-in Title / Heading 1 / Heading 2 /
Caption styles (so Word's navigation pane and the table of contents work), a TOC field that Word
fills when the document is opened (``updateFields``) with the section list pre-filled in case it
is not, page numbers in the footer, charts as pictures with captions, and tables in a table style.
Chinese text gets an East Asian font on every style (python-docx sets only the Latin one).
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reports.model import Report, Table

BODY_FONT, HEAD_FONT = "Noto Serif CJK SC", "Noto Sans CJK SC"
NAVY = RGBColor(0x0B, 0x2A, 0x4A)
RED = RGBColor(0xC0, 0x39, 0x2B)
LABELS = {
    "toc": ("目录", "Contents"), "headline": ("总体判断", "Overall judgement"), "appendix": ("附表", "Appendix"),
    "figure": ("图", "Figure"), "table": ("表", "Table"), "page": ("第 {p} 页", "Page {p}"),
    "toc_hint": ("（打开文档时 Word 将更新目录页码）", "(Word updates the page numbers when the document is opened)"),
}


def _label(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def _east_asian(style_or_run, font: str) -> None:
    """Set the East Asian font too: without it Word shows Chinese in its default font."""
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), font)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(11)
    _east_asian(normal, BODY_FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.35
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12.5), ("Caption", 9.5)):
        st = styles[name]
        st.font.name, st.font.size = HEAD_FONT, Pt(size)
        _east_asian(st, HEAD_FONT)
        if name != "Caption":
            st.font.color.rgb = NAVY


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC …): begin, instruction, separate, cached result, end."""
    def char(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        return el

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run = paragraph.add_run()
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(char("separate"))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(char("end"))


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings.append(el)


def _footer(doc, report: Report, lang: str) -> None:
    section = doc.sections[0]
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = _label("page", lang).split("{p}")
    p.add_run(before)
    _field(p, "PAGE", "1")
    p.add_run(after)
    if report.demo:
        header = section.header.paragraphs[0]
        run = header.add_run(report.demo_note(lang))
        run.font.size, run.font.color.rgb = Pt(8.5), RED


def _table(doc, table: Table, lang: str, number: int) -> None:
    caption = doc.add_paragraph(f"{_label('table', lang)}{number}  {table.title(lang)}", style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    labels = table.labels(lang)
    grid = doc.add_table(rows=1, cols=len(labels))
    grid.style = "Light Grid Accent 1"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, labels):
        cell.text = text
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, (field, _, _) in zip(cells, table.columns):
            cell.text = table.text(row, field, lang)
    for row in grid.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.space_after = Pt(0)
                for run in para.runs:
                    run.font.size = Pt(9)


def write_docx(report: Report, path, pngs: dict[str, bytes], lang: str = "zh") -> Path:
    """Write ``report`` to ``path``; ``pngs`` are the rendered charts by figure key."""
    doc = Document()
    _styles(doc)
    page = doc.sections[0]
    page.page_height, page.page_width = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = Cm(2.4)
    page.top_margin = page.bottom_margin = Cm(2.2)
    _footer(doc, report, lang)
    doc.core_properties.title = report.title(lang)
    doc.core_properties.author = report.generated_by
    doc.core_properties.comments = report.provenance(lang)

    doc.add_paragraph(report.title(lang), style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    if report.demo:
        run = doc.add_paragraph().add_run(report.demo_note(lang))
        run.bold, run.font.color.rgb = True, RED
    meta = doc.add_paragraph(report.provenance(lang))
    meta.runs[0].font.size = Pt(9)

    doc.add_paragraph(_label("toc", lang), style="TOC Heading" if "TOC Heading" in doc.styles else "Heading 1")
    toc = doc.add_paragraph()
    _field(toc, 'TOC \\o "1-2" \\h \\z \\u', "")
    for s in report.sections:  # the cached result, shown until Word refreshes the field
        doc.add_paragraph(s.title(lang)).paragraph_format.left_indent = Cm(0.5)
    doc.add_paragraph(_label("toc_hint", lang)).runs[0].font.size = Pt(8.5)

    doc.add_heading(_label("headline", lang), level=1)
    doc.add_paragraph(report.headline.text(lang))

    figure_no, table_no = 0, 0
    for s in report.sections:
        doc.add_heading(s.title(lang), level=1)
        if s.summary is not None:
            doc.add_paragraph().add_run(s.summary.text(lang)).bold = True
        for p in s.paragraphs:
            para = doc.add_paragraph(p.text(lang), style="List Bullet" if p.kind == "quote" else None)
            if p.kind == "quote":
                para.runs[0].font.size = Pt(10)
        for f in s.figures:
            if f.key not in pngs:
                continue
            figure_no += 1
            doc.add_picture(io.BytesIO(pngs[f.key]), width=Cm(16))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap = doc.add_paragraph(f"{_label('figure', lang)}{figure_no}  {f.title(lang)}", style="Caption")
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_page_break()
    doc.add_heading(_label("appendix", lang), level=1)
    for tb in report.appendix:
        table_no += 1
        _table(doc, tb, lang, table_no)
    path = Path(path)
    _update_fields_on_open(doc)
    doc.save(path)
    return path
