"""The analysis-meeting pack (经济形势分析会) as a PowerPoint deck (.pptx) that planners can edit.

The slides are ``reports.slides.slides(report, lang)`` — the same list the live presentation mode
shows. Charts are native PowerPoint charts built from each Figure spec's data (not pictures), so a
planner can restyle them or correct a number in PowerPoint's data sheet. 16:9, a dark-blue title
band with the slide's message, a white body, speaker notes with the supporting numbers, and a
demo tag on every slide when the data are generated. Chinese text gets an East Asian font on every
run (python-pptx sets only the Latin one).
"""

from __future__ import annotations

import math
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from figures import theme
from models.signals import ZONES
from reports.model import Figure, Report
from reports.slides import Slide, demo_tag, slides

FONT, FONT_FALLBACK = "Noto Sans CJK SC", "Microsoft YaHei"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BAND = Inches(1.55)  # the dark-blue title band
BODY_TOP, BODY_BOTTOM = Inches(1.8), Inches(6.95)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


NAVY, BLUE, ORANGE, GREY = _rgb(theme.NAVY), _rgb(theme.BLUE), _rgb(theme.ORANGE), _rgb(theme.GREY)
WHITE, INK, PALE, AMBER = RGBColor(0xFF, 0xFF, 0xFF), RGBColor(0x1F, 0x2A, 0x37), RGBColor(0xB8, 0xC7, 0xDA), \
    RGBColor(0xF2, 0xC1, 0x2E)
SERIES = [_rgb(c) for c in theme.COLORWAY]


# ---- text ------------------------------------------------------------------------------------------

def _east_asian(rpr) -> None:
    """Name the Chinese font too (``a:ea``, after ``a:latin``); charset 134 (GB2312) lets PowerPoint
    substitute another Chinese font, e.g. Microsoft YaHei, where Noto Sans CJK is not installed."""
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = etree.SubElement(rpr, qn("a:ea"))
    ea.set("typeface", FONT)
    ea.set("charset", "-122")
    latin = rpr.find(qn("a:latin"))
    if latin is not None:
        latin.addnext(ea)


def _style(run, size: float, colour: RGBColor = INK, bold: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    _east_asian(run._r.get_or_add_rPr())


def _text(frame, lines: list[str], size: float, colour: RGBColor = INK, bold: bool = False,
          bullet: bool = False, space: float = 6, align=PP_ALIGN.LEFT) -> None:
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = align
        p.space_after = Pt(space)
        run = p.add_run()
        run.text = ("▪  " if bullet else "") + line
        _style(run, size, colour, bold)


def _box(slide, left, top, width, height, lines, size, colour=INK, **kw):
    box = slide.shapes.add_textbox(left, top, width, height)
    box.text_frame.margin_left = box.text_frame.margin_right = Inches(0.05)
    _text(box.text_frame, lines, size, colour, **kw)
    return box


def _fit(text: str, width, sizes=(26, 24, 22, 20, 18, 16), lines: int = 2) -> int:
    """The largest font size at which ``text`` takes at most ``lines`` lines of ``width`` (a CJK
    character is about 1 em wide, a Latin one about 0.55 em)."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)
    for size in sizes:
        if math.ceil(ems * size / Emu(width).pt) <= lines:
            return size
    return sizes[-1]


def _rect(slide, left, top, width, height, colour: RGBColor, shape=MSO_SHAPE.RECTANGLE):
    rect = slide.shapes.add_shape(shape, left, top, width, height)
    rect.fill.solid()
    rect.fill.fore_color.rgb = colour
    rect.line.fill.background()
    rect.shadow.inherit = False
    return rect


def _to_back(slide, shape) -> None:
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after nvGrpSpPr and grpSpPr: drawn first


# ---- charts --------------------------------------------------------------------------------------------

def _categories(spec: Figure, lang: str) -> list[str]:
    return spec.data["categories_en"] if lang == "en" and spec.data.get("categories_en") else spec.data["categories"]


def _chart_data(categories, series: list[tuple[str, list]], fmt: str = "0.0") -> CategoryChartData:
    data = CategoryChartData(number_format=fmt)
    data.categories = [str(c) for c in categories]
    for name, values in series:
        data.add_series(name, [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
                               for v in values])
    return data


def _data(spec: Figure, lang: str):
    """(chart type, chart data, per-point colours of the first series or None, number format)."""
    d = spec.data
    zh = lang != "en"
    if spec.kind == "line":
        series = [((s.get("name_zh") if zh else s.get("name_en")) or "", s["values"]) for s in d["series"]]
        return XL_CHART_TYPE.LINE_MARKERS, _chart_data(_categories(spec, lang), series), None, "0.0"
    if spec.kind == "bar":
        s = d["series"][0]
        highlight = set(d.get("highlight") or [])
        colours = [ORANGE if i in highlight else BLUE for i in range(len(s["values"]))]
        name = (s.get("name_zh") if zh else s.get("name_en")) or ""
        return XL_CHART_TYPE.COLUMN_CLUSTERED, _chart_data(_categories(spec, lang), [(name, s["values"])]), colours, "0.0"
    if spec.kind == "zones":
        names = [ZONES[z]["zh" if zh else "en"] for z in d["zones"]]
        colours = [_rgb(ZONES[z]["color"]) for z in d["zones"]]
        return (XL_CHART_TYPE.COLUMN_CLUSTERED, _chart_data(names, [("项" if zh else "Indicators", d["counts"])], "0"),
                colours, "0")
    if spec.kind == "composite":
        colours = [_rgb(ZONES[z]["color"]) for z in d["zones"]]
        name = "综合得分" if zh else "Composite score"
        return XL_CHART_TYPE.LINE_MARKERS, _chart_data(d["categories"], [(name, d["values"])]), colours, "0.0"
    if spec.kind == "fan":
        # the published history, then the nowcast and its interval drawn from the last published quarter
        cats, values = list(d["categories"]), list(d["values"])
        n = len(values)
        tail = lambda v: [None] * (n - 1) + [values[-1], v]  # noqa: E731
        series = [("已公布" if zh else "Published", values + [None]), ("预测值" if zh else "Nowcast", tail(d["point"]))]
        if d.get("lower") is not None and d.get("upper") is not None:
            level = f"{round((d.get('level') or 0.9) * 100)}%"
            series += [((f"{level}区间下限" if zh else f"{level} lower"), tail(d["lower"])),
                       ((f"{level}区间上限" if zh else f"{level} upper"), tail(d["upper"]))]
        return XL_CHART_TYPE.LINE_MARKERS, _chart_data(cats + [d["period"]], series), None, "0.0"
    raise ValueError(f"unknown figure kind: {spec.kind}")


def _chart_fonts(chart, size: float) -> None:
    chart.font.name = FONT
    chart.font.size = Pt(size)
    chart.font.color.rgb = INK
    for rpr in chart._chartSpace.xpath(".//a:defRPr"):
        _east_asian(rpr)


def add_chart(slide, spec: Figure, lang: str, left, top, width, height):
    """A native chart of ``spec``; returns the graphic frame."""
    kind, data, colours, fmt = _data(spec, lang)
    frame = slide.shapes.add_chart(kind, left, top, width, height, data)
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = spec.title(lang)
    for run in chart.chart_title.text_frame.paragraphs[0].runs:
        _style(run, 14, INK, True)
    plots = chart.plots[0]
    many = len(plots.series) > 1
    chart.has_legend = many
    if many:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    value_axis, category_axis = chart.value_axis, chart.category_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xE0, 0xE8)
    value_axis.format.line.fill.background()
    value_axis.tick_labels.number_format, value_axis.tick_labels.number_format_is_linked = "0.0" if fmt != "0" else "0", False
    category_axis.format.line.color.rgb = RGBColor(0xA0, 0xAC, 0xBA)
    if spec.kind == "composite":  # gridlines at the zone cuts 20/40/60/80
        value_axis.minimum_scale, value_axis.maximum_scale, value_axis.major_unit = 0, 100, 20
        value_axis.tick_labels.number_format = "0"
    for i, series in enumerate(plots.series):
        colour = SERIES[i % len(SERIES)]
        if kind == XL_CHART_TYPE.LINE_MARKERS:
            series.smooth = False
            series.format.line.width = Pt(2.25)
            series.format.line.color.rgb = GREY if spec.kind == "composite" else colour
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 7
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.marker.format.line.color.rgb = colour
            if spec.kind == "fan" and i >= 2:  # the interval: dashed
                series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
                series.format.line.color.rgb = PALE
                series.marker.style = XL_MARKER_STYLE.NONE
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
        if colours and i == 0:  # per point: the highlighted city, the zone of each light or month
            for j, c in enumerate(colours):
                point = series.points[j]
                if kind == XL_CHART_TYPE.LINE_MARKERS:
                    point.marker.format.fill.solid()
                    point.marker.format.fill.fore_color.rgb = c
                    point.marker.format.line.color.rgb = c
                else:
                    point.format.fill.solid()
                    point.format.fill.fore_color.rgb = c
    labelled = plots.series[0] if spec.kind in ("line", "bar", "zones") else (
        plots.series[1] if spec.kind == "fan" else None)
    if labelled is not None:  # the numbers on the chart, as in the report's pictures
        labels = labelled.data_labels
        labels.show_value, labels.number_format, labels.number_format_is_linked = True, fmt, False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END if kind != XL_CHART_TYPE.LINE_MARKERS else XL_LABEL_POSITION.ABOVE
        labels.font.size = Pt(11)
    if kind == XL_CHART_TYPE.COLUMN_CLUSTERED:
        plots.gap_width = 60
    _chart_fonts(chart, 12)
    return frame


# ---- slides --------------------------------------------------------------------------------------------

def _frame(prs, report: Report, slide: Slide, number: int, total: int, lang: str):
    """A slide with the title band (kicker and message), the footer and the demo tag."""
    s = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": the title is a real placeholder
    band = _rect(s, 0, 0, WIDTH, BAND, NAVY)
    _to_back(s, band)
    title = s.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.5), WIDTH - 2 * MARGIN, BAND - Inches(0.55)
    _text(title.text_frame, [slide.title], _fit(slide.title, title.width), WHITE, bold=True, space=0)
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _box(s, MARGIN, Inches(0.12), WIDTH - 2 * MARGIN - Inches(2.4), Inches(0.4), [slide.kicker], 13, PALE)
    foot = f"{report.title(lang)}  ·  {number} / {total}"
    _box(s, MARGIN, Inches(7.05), Inches(9), Inches(0.35), [foot], 10, GREY)
    _demo(s, report, lang, Inches(0.12))
    return s


def _demo(s, report: Report, lang: str, top) -> None:
    tag = demo_tag(report, lang)
    if not tag:
        return
    box = _rect(s, WIDTH - MARGIN - Inches(2.3), top, Inches(2.3), Inches(0.34), AMBER, MSO_SHAPE.ROUNDED_RECTANGLE)
    box.name = "demo-tag"
    frame = box.text_frame
    frame.margin_top = frame.margin_bottom = 0
    _text(frame, [tag], 11, NAVY, bold=True, space=0, align=PP_ALIGN.CENTER)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _title_slide(prs, report: Report, slide: Slide, lang: str) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[5])
    _to_back(s, _rect(s, 0, 0, WIDTH, HEIGHT, NAVY))
    _rect(s, MARGIN, Inches(3.55), Inches(1.2), Inches(0.06), ORANGE)
    _box(s, MARGIN, Inches(1.6), WIDTH - 2 * MARGIN, Inches(0.5), [slide.kicker], 20, PALE)
    title = s.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(2.1), WIDTH - 2 * MARGIN, Inches(1.35)
    _text(title.text_frame, [slide.title], _fit(slide.title, title.width, (40, 36, 32, 28), 2), WHITE, bold=True)
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _box(s, MARGIN, Inches(3.8), WIDTH - 2 * MARGIN, Inches(0.6), slide.bullets[:1], 22, WHITE)
    if len(slide.bullets) > 1:
        _box(s, MARGIN, Inches(4.5), WIDTH - 2 * MARGIN, Inches(0.9), slide.bullets[1:], 16, AMBER)
    _box(s, MARGIN, Inches(6.7), WIDTH - 2 * MARGIN, Inches(0.5), [slide.footnote], 11, PALE)
    _demo(s, report, lang, Inches(0.3))


def _body(s, slide: Slide, lang: str) -> None:
    width = WIDTH - 2 * MARGIN
    height = BODY_BOTTOM - BODY_TOP
    figures, bullets = slide.figures, slide.bullets
    if not figures:  # a text slide: the lines, large
        size = 20 if len(bullets) <= 5 else 16
        _box(s, MARGIN, BODY_TOP, width, height, bullets, size, INK, bullet=True, space=12 if size == 20 else 8)
        return
    if len(figures) == 2:
        chart_h = height - (Inches(0.9) if bullets else 0)
        gap = Inches(0.3)
        half = int((width - gap) / 2)
        for i, spec in enumerate(figures):
            add_chart(s, spec, lang, MARGIN + i * (half + gap), BODY_TOP, half, chart_h)
        if bullets:
            _box(s, MARGIN, BODY_TOP + chart_h + Inches(0.1), width, Inches(0.8), bullets[:2], 14, INK, bullet=True,
                 space=4)
        return
    if bullets:  # the chart on the left, the key figures on the right
        chart_w = Inches(8.1)
        add_chart(s, figures[0], lang, MARGIN, BODY_TOP, chart_w, height)
        left = MARGIN + chart_w + Inches(0.3)
        _rect(s, left, BODY_TOP, Inches(0.05), height, ORANGE)
        _box(s, left + Inches(0.2), BODY_TOP, WIDTH - MARGIN - left - Inches(0.2), height, bullets,
             16 if lang == "zh" else 14, INK, bullet=False, space=14)
        return
    add_chart(s, figures[0], lang, MARGIN, BODY_TOP, width, height)


def _theme_fonts(prs) -> None:
    """The theme's Chinese font (``Hans`` script and ``a:ea``) becomes the fallback, Microsoft
    YaHei, for any text without a run font of its own (speaker notes, text typed in later)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    xml = part.blob.decode("utf-8")
    xml = xml.replace('<a:ea typeface=""/>', f'<a:ea typeface="{FONT_FALLBACK}"/>')
    xml = xml.replace('<a:font script="Hans" typeface="宋体"/>', f'<a:font script="Hans" typeface="{FONT_FALLBACK}"/>')
    part._blob = xml.encode("utf-8")  # a plain Part keeps its bytes here; python-pptx has no theme API


def write_pptx(report: Report, path, lang: str = "zh") -> Path:
    """Write the meeting pack of ``report`` to ``path`` (.pptx) and return the path."""
    path = Path(path)
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _theme_fonts(prs)
    deck = slides(report, lang)
    for n, slide in enumerate(deck, 1):
        if slide.kind == "title":
            _title_slide(prs, report, slide, lang)
            s = prs.slides[-1]
        else:
            s = _frame(prs, report, slide, n, len(deck), lang)
            _body(s, slide, lang)
        s.notes_slide.notes_text_frame.text = slide.notes
    props = prs.core_properties
    props.title, props.author, props.subject = report.title(lang), report.generated_by, \
        ("经济形势分析会" if lang != "en" else "Economic situation analysis meeting")
    props.keywords = f"{report.region} {report.month} v{report.data_version}" + (" demo" if report.demo else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path
