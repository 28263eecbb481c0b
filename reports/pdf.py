"""The monthly report as a PDF: the version that is circulated and printed, not edited.

Rendered by WeasyPrint from HTML built here, because CSS paged media gives us what a printed
report needs without a layout engine of our own: A4 pages with a running header and "第 x 页 / 共 y
页" footer, a table of contents whose page numbers WeasyPrint fills in (``target-counter``), long
tables that break across pages with their header repeated, and the CJK fonts embedded as subsets
so the file reads the same on any machine. Fonts are named by family (Debian's fonts-noto-cjk).

Demo data is labelled wherever it is shown: a red banner on the cover and a tag in every page
header. All text goes through :func:`html.escape`; charts are the PNGs shared with the Word writer,
embedded as ``data:`` URIs.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

from models.signals import ZONES
from reports import narrative as nv
from reports.model import Paragraph, Report, Section, Table

BODY_FONT, HEAD_FONT = "Noto Serif CJK SC", "Noto Sans CJK SC"
LABELS = {  # (zh, en)
    "toc": ("目录", "Contents"), "headline": ("总体判断", "Overall judgement"), "appendix": ("附表", "Appendix"),
    "figure": ("图", "Figure "), "table": ("表", "Table "), "alerts": ("预警信息", "Alerts"),
    "page": ('"第 " counter(page) " 页 / 共 " counter(pages) " 页"', '"Page " counter(page) " of " counter(pages)'),
}

CSS = """
@page {
  size: A4 portrait;
  margin: 24mm 20mm 20mm 20mm;
  @top-center { content: element(header); width: 100%%; vertical-align: bottom; }
  @bottom-center { content: %(page)s; font: 8.5pt "%(head)s", sans-serif; color: #444; }
}
@page :first { @top-center { content: none; } }
/* the running header: title on the left, the demo tag on the right, a rule across */
.running { position: running(header); display: flex; justify-content: space-between; align-items: baseline;
           font: 8pt "%(head)s", sans-serif; color: #666; border-bottom: 0.5pt solid #b8c2cc; padding-bottom: 1.5mm; }
.running .tag { color: #c0392b; font-weight: bold; }

html { font-family: "%(body)s", serif; font-size: 10.5pt; line-height: 1.65; color: #1a1a1a; }
h1, h2, h3, .caption, table, .meta, .banner, .toc, .box-title { font-family: "%(head)s", sans-serif; }
p { margin: 0 0 2.2mm; text-align: justify; orphans: 2; widows: 2; }

/* cover */
h1 { font-size: 21pt; color: #0b2a4a; text-align: center; margin: 14mm 0 3mm; line-height: 1.3; }
.subtitle { text-align: center; font-size: 12pt; color: #0b2a4a; margin-bottom: 6mm; font-family: "%(head)s", sans-serif; }
.banner { border: 1pt solid #c0392b; background: #fdecea; color: #c0392b; font-weight: bold;
          font-size: 10pt; padding: 2.5mm 4mm; margin: 0 0 4mm; text-align: center; }
.meta { font-size: 8.5pt; color: #666; text-align: center; margin-bottom: 8mm; }
.toc { margin: 0 0 8mm; }
.toc h3 { font-size: 13pt; color: #0b2a4a; margin: 0 0 2mm; border-bottom: 1pt solid #0b2a4a; padding-bottom: 1mm; }
.toc ol { list-style: none; margin: 0; padding: 0; font-size: 10pt; line-height: 1.9; }
.toc a { color: inherit; text-decoration: none; }
.toc a::after { content: leader(".") target-counter(attr(href), page); color: #444; }
.box { border: 1pt solid #0b2a4a; background: #f2f5f9; padding: 3mm 5mm 2mm; break-inside: avoid; }
.box-title { font-weight: bold; color: #0b2a4a; font-size: 11pt; margin-bottom: 1.5mm; }

/* sections */
h2 { font-size: 14pt; color: #0b2a4a; margin: 7mm 0 3mm; padding-bottom: 1mm;
     border-bottom: 1pt solid #0b2a4a; break-after: avoid; line-height: 1.35; }
h2.first { break-before: page; margin-top: 0; }
h2.appendix { break-before: page; margin-top: 0; }
p.lead { font-weight: bold; }
html[lang=en] p { text-align: left; }  /* justified English opens wide gaps in these long sentences */
ul.alerts { margin: 1mm 0 3mm 6mm; padding: 0; list-style: none; font-size: 9.5pt; line-height: 1.55; }
ul.alerts li { border-left: 2pt solid #c0392b; padding: 0.5mm 0 0.5mm 3mm; margin-bottom: 1.5mm; }
figure { margin: 3mm 0 4mm; break-inside: avoid; }
figure img { width: 100%%; display: block; }
.caption { text-align: center; font-size: 9pt; color: #333; margin-top: 1mm; }
.tablebox .caption { margin: 3mm 0 1.5mm; break-after: avoid; }  /* a table caption stays with its table */

/* tables */
table { width: 100%%; border-collapse: collapse; font-size: 8.5pt; line-height: 1.35; margin-bottom: 4mm; }
thead { display: table-header-group; }
th { background: #0b2a4a; color: white; font-weight: bold; padding: 1.2mm 1.5mm; text-align: center;
     border: 0.5pt solid #0b2a4a; vertical-align: middle; }
td { padding: 0.9mm 1.5mm; border: 0.5pt solid #c9d1da; vertical-align: top; }
tr { break-inside: avoid; }
tbody tr:nth-child(even) td { background: #f5f7fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.short { white-space: nowrap; text-align: center; }
table.history { font-size: 7.5pt; table-layout: fixed; }  /* even columns, however long the labels */
table.history th:first-child { width: 17mm; }
table.history th { font-weight: normal; font-size: 7pt; }
.dot { display: inline-block; width: 2.2mm; height: 2.2mm; border-radius: 50%%; margin-right: 1mm; }
"""

SHORT_FIELDS = {"period", "period_zh", "unit", "zone_zh"}  # centred, never wrapped


def _label(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


def _table(table: Table, number: int, lang: str, css_class: str = "") -> str:
    e = html.escape
    head = "".join(f"<th>{e(label)}</th>" for label in table.labels(lang))
    numeric = {field for field, _, _ in table.columns  # right-aligned, "—" included
               if any(isinstance(r.get(field), (int, float)) and not isinstance(r.get(field), bool) for r in table.rows)}
    body = []
    for row in table.rows:
        cells = []
        for field, _, _ in table.columns:
            text = e(table.text(row, field, lang))
            if field == "zone_zh" and row.get("zone") in ZONES:  # the signal light as a coloured dot
                text = f'<span class="dot" style="background:{ZONES[row["zone"]]["color"]}"></span>{text}'
            cls = "num" if field in numeric else "short" if field in SHORT_FIELDS else ""
            cells.append(f'<td class="{cls}">{text}</td>' if cls else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f'<div class="caption">{e(_label("table", lang))}{number}  {e(table.title(lang))}</div>'
    return (f'<div class="tablebox">{caption}<table class="{css_class}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _paragraphs(paragraphs: list[Paragraph], lang: str) -> str:
    """Text paragraphs as <p>; each run of quoted alert messages as one indented list."""
    out, quotes = [], []
    for p in paragraphs + [None]:
        if p is not None and p.kind == "quote":
            quotes.append(f"<li>{html.escape(p.text(lang))}</li>")
            continue
        if quotes:
            out.append(f'<ul class="alerts" aria-label="{_label("alerts", lang)}">{"".join(quotes)}</ul>')
            quotes = []
        if p is not None:
            out.append(f"<p>{html.escape(p.text(lang))}</p>")
    return "".join(out)


def _section(s: Section, i: int, pngs: dict[str, bytes], lang: str, counters: dict) -> str:
    e = html.escape
    parts = [f'<h2 id="sec-{e(s.key)}" class="{"first" if i == 0 else ""}">{e(s.title(lang))}</h2>']
    if s.summary is not None:
        parts.append(f'<p class="lead">{e(s.summary.text(lang))}</p>')
    parts.append(_paragraphs(s.paragraphs, lang))
    for f in s.figures:
        if f.key not in pngs:
            continue
        counters["figure"] += 1
        data = base64.b64encode(pngs[f.key]).decode("ascii")
        parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{e(f.title(lang))}">'
                     f'<div class="caption">{e(_label("figure", lang))}{counters["figure"]}  {e(f.title(lang))}</div>'
                     "</figure>")
    # the section's tables are in the appendix, as in the Word version
    return "".join(parts)


def report_html(report: Report, pngs: dict[str, bytes], lang: str = "zh") -> str:
    """The whole report as one HTML document (what :func:`write_pdf` lays out)."""
    e = html.escape
    demo = report.demo_note(lang)
    tag = demo.split("：" if lang == "zh" else ":")[0] if demo else ""
    css = CSS % {"page": _label("page", lang), "head": HEAD_FONT, "body": BODY_FONT}
    toc = [(f"sec-{s.key}", s.title(lang)) for s in report.sections] + [("appendix", _label("appendix", lang))]
    counters = {"figure": 0, "table": 0}
    sections = "".join(_section(s, i, pngs, lang, counters) for i, s in enumerate(report.sections))
    appendix = [_table(t, counters["table"] + n + 1, lang) for n, t in enumerate(report.appendix)]
    counters["table"] += len(appendix)
    for s in report.sections:
        if s.history is not None and s.history.rows:
            counters["table"] += 1
            appendix.append(_table(s.history, counters["table"], lang, "history"))
    region = report.region_name_en if lang == "en" else report.region_name_zh
    return f"""<!DOCTYPE html>
<html lang="{'en' if lang == 'en' else 'zh-CN'}"><head><meta charset="utf-8">
<title>{e(report.title(lang))}</title><meta name="author" content="{e(report.generated_by)}">
<meta name="description" content="{e(report.provenance(lang))}"><style>{css}</style></head><body>
<div class="running"><span>{e(report.title(lang))}</span><span class="tag">{e(tag)}</span></div>
<h1>{e(report.title(lang))}</h1>
<div class="subtitle">{e(region)} · {e(nv.month_text(report.month, lang))}</div>
{f'<div class="banner">{e(demo)}</div>' if demo else ''}
<div class="meta">{e(report.provenance(lang))}</div>
<nav class="toc"><h3>{e(_label("toc", lang))}</h3><ol>
{"".join(f'<li><a href="#{e(anchor)}">{e(title)}</a></li>' for anchor, title in toc)}
</ol></nav>
<div class="box"><div class="box-title">{e(_label("headline", lang))}</div><p>{e(report.headline.text(lang))}</p></div>
{sections}
<h2 id="appendix" class="appendix">{e(_label("appendix", lang))}</h2>
{"".join(appendix)}
</body></html>"""


def write_pdf(report: Report, path, pngs: dict[str, bytes] | None = None, lang: str = "zh") -> Path:
    """Write ``report`` to ``path`` as PDF; ``pngs`` are the rendered charts by figure key (rendered
    here when None)."""
    from weasyprint import HTML  # imported late: it loads Pango and the fonts

    if pngs is None:
        from reports.charts import render_all

        pngs = render_all(report.figures(), lang)
    path = Path(path)
    HTML(string=report_html(report, pngs, lang)).write_pdf(path)
    return path
