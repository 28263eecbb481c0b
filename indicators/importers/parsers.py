"""Pure readers for the files users bring: the project template, NBS data-portal exports, Wind EDB.

Each reader turns a file into a :class:`ParsedFile` whose ``rows`` keep the raw text of every
value with the line it came from; validation (codes, regions, numbers, units, periods against the
catalog) is the import pipeline's job, not theirs. Only whole-file problems raise
:class:`ParseError`: not a recognised file, empty, unreadable encoding, missing template columns.

``rows`` columns (all text except ``row``):

``row``            1-based line number in the file (XLSX: the sheet row number)
``indicator``      template: the indicator as written; otherwise empty
``external_id``    Wind 指标ID; otherwise empty
``external_name``  Wind 指标名称 (``广东:GDP:累计值``); NBS indicator text without its unit
                   bracket; template empty
``region``         template: as written; otherwise empty
``period``         template: as written; Wind: label of the period ending on the row's date at the
                   header's 频率; NBS: label of the column header (``1Q 2026`` → ``2026Q1``)
``value``          the value as written (Wind ``#N/A`` and empty cells are dropped)
``unit``           template: as written; Wind: header 单位; NBS: the unit in brackets
``vintage``        template (optional column); otherwise empty
``source_unit``    template (optional column); Wind: header 来源; NBS: 国家统计局
``column``         the column the value came from (template header, NBS period header, Wind ``value``)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from indicators.periods import PeriodError, parse_period, period_ending

ROW_COLUMNS = [
    "row", "indicator", "external_id", "external_name", "region", "period", "value", "unit",
    "vintage", "source_unit", "column",
]
FORMATS = ("template", "nbs", "wind")

# Template columns: canonical name → accepted headers (English, Chinese).
TEMPLATE_COLUMNS = {
    "indicator": ("indicator", "指标"),
    "region": ("region", "地区"),
    "period": ("period", "时期"),
    "value": ("value", "数值"),
    "unit": ("unit", "单位"),
    "vintage": ("vintage", "版本日期"),
    "source_unit": ("source_unit", "数源单位"),
}
TEMPLATE_REQUIRED = ("indicator", "region", "period", "value", "unit")
_TEMPLATE_ZH = {k: v[1] for k, v in TEMPLATE_COLUMNS.items()}

_WIND_FREQUENCY = {"月": "M", "季": "Q", "年": "A"}
_WIND_DROP = {"", "#N/A", "N/A", "#NA"}
_DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")

_NBS_DATABASE = re.compile(r"^(Database|数据库)\s*[：:]\s*(.*)$")
_NBS_TIME = re.compile(r"^(Time|时间)\s*[：:]\s*(.*)$")
_NBS_HEADER = ("Indicators", "指标")
_NBS_NOTE = re.compile(r"^(Note|Notes|注)\s*[：:]")
_NBS_SOURCE = re.compile(r"^(Data\s*Sources?|数据来源)\s*[：:]\s*(.*)$")
_UNIT_BRACKET = re.compile(r"[（(]([^（）()]*)[）)]")
_EN_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_EN_MONTH = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{4})$")


class ParseError(ValueError):
    """A whole-file problem; the message is bilingual, “中文 / English”."""


@dataclass
class ParsedFile:
    format: str  # "template" | "nbs" | "wind"
    rows: pd.DataFrame
    meta: dict = field(default_factory=dict)


Source = str | os.PathLike | bytes | bytearray | BinaryIO


# ---------------------------------------------------------------- reading bytes and text


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise ParseError(f"无法读取文件：{exc.strerror} / cannot read the file: {exc.strerror}") from exc


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), else GBK (GB18030)."""
    if not data.strip():
        raise ParseError("文件为空 / the file is empty")
    if b"\x00" in data[:8192]:
        raise ParseError(
            "不是文本文件（可能是图片、PDF 或 .xls 等二进制文件） / "
            "not a text file (an image, a PDF, an old .xls or another binary file)"
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as exc:
        raise ParseError(
            "无法识别文件编码，请保存为 UTF-8 或 GBK / unreadable encoding: save the file as UTF-8 or GBK"
        ) from exc


def _lines(text: str) -> list[str]:
    """Physical lines, so that index + 1 is the line number an editor shows."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _csv_records(text: str):
    """(line number where the record starts, cells) for every CSV record, blank lines included."""
    reader = csv.reader(io.StringIO(text, newline=""))
    last = 0
    for cells in reader:
        yield last + 1, cells
        last = reader.line_num


# ---------------------------------------------------------------- detection


def _template_header_map(cells: list[str]) -> dict[str, int]:
    lookup = {alias.lower(): key for key, aliases in TEMPLATE_COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = lookup.get(_clean(cell).lower())
        if key is None:
            continue
        if key in found:
            raise ParseError(
                f"列“{_TEMPLATE_ZH[key]}”出现两次 / column '{key}' appears twice in the header"
            )
        found[key] = i
    return found


def _looks_like_template(cells: list[str]) -> bool:
    try:
        return len(_template_header_map(cells)) >= 2
    except ParseError:
        return True


def _first_nonblank(records) -> tuple[int, list[str]] | None:
    for line_no, cells in records:
        if any(_clean(c) for c in cells):
            return line_no, cells
    return None


def _detect_text(text: str) -> str:
    lines = [ln.strip().lstrip("\ufeff") for ln in _lines(text)]
    head = [ln for ln in lines if ln][:20]
    if not head:
        raise ParseError("文件为空 / the file is empty")
    if _NBS_DATABASE.match(head[0]) or any(
        _split_nbs(ln)[0].strip() in _NBS_HEADER for ln in head[:5] if "\t," in ln
    ):
        return "nbs"
    keys = {_clean(next(csv.reader([ln]), [""])[0]) for ln in head[:12]}
    if "指标名称" in keys and ("频率" in keys or "指标ID" in keys):
        return "wind"
    first = _first_nonblank(_csv_records(text))
    if first and _looks_like_template(first[1]):
        return "template"
    raise ParseError(
        "无法识别的文件格式：应为导入模板、国家统计局数据导出或 Wind 数据导出 / "
        "unrecognised file: expected the import template, an NBS data-portal export or a Wind EDB export"
    )


def detect_format(path: Source) -> str:
    """``"template"``, ``"nbs"`` or ``"wind"``, judged by the content (never by the file name)."""
    data = _read_bytes(path)
    return _detect(data)


def _detect(data: bytes) -> str:
    if _is_xlsx(data):
        _, rows = _xlsx_rows(data)
        first = _first_nonblank(rows)
        if first and _looks_like_template(first[1]):
            return "template"
        raise ParseError(
            "Excel 文件第一个工作表不是导入模板（缺少“指标、地区、时期、数值、单位”表头） / "
            "the first sheet of the Excel file is not the import template (no indicator/region/period/value/unit header)"
        )
    text, _ = _decode(data)
    return _detect_text(text)


def parse_file(path: Source, format: str = "auto") -> ParsedFile:
    """Read a template (CSV/XLSX), NBS or Wind file into :class:`ParsedFile`.

    ``path`` may also be the file's bytes or a binary file object (an upload).
    """
    data = _read_bytes(path)
    fmt = _detect(data) if format == "auto" else format
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {format!r}: use 'auto', 'template', 'nbs' or 'wind'")
    if fmt == "template":
        if _is_xlsx(data):
            sheet, rows = _xlsx_rows(data)
            return _parse_template(rows, {"encoding": "xlsx", "sheet": sheet})
        text, encoding = _decode(data)
        return _parse_template(_csv_records(text), {"encoding": encoding})
    text, encoding = _decode(data)
    if fmt == "nbs":
        return _parse_nbs(text, encoding)
    return _parse_wind(text, encoding)


# ---------------------------------------------------------------- helpers


def _clean(cell) -> str:
    return "" if cell is None else str(cell).strip().lstrip("\ufeff").strip()


def _frame(records: list[dict]) -> pd.DataFrame:
    if not records:
        raise ParseError("文件中没有数据 / the file holds no data rows")
    frame = pd.DataFrame.from_records(records, columns=ROW_COLUMNS)
    text_cols = [c for c in ROW_COLUMNS if c != "row"]
    frame[text_cols] = frame[text_cols].astype("str")
    frame["row"] = frame["row"].astype("int64")
    return frame


def _row(**values) -> dict:
    out = dict.fromkeys(ROW_COLUMNS, "")
    out.update(values)
    return out


# ---------------------------------------------------------------- template


def _cell_text(value) -> str:
    """An Excel cell as the text a user would see typed (numbers without a spurious ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes):
    import openpyxl  # imported here: only Excel uploads need it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to open is a whole-file problem
        raise ParseError(f"无法打开 Excel 文件 / cannot open the Excel file: {exc}") from exc
    if not wb.worksheets:
        raise ParseError("Excel 文件没有工作表 / the Excel file has no sheet")
    ws = wb.worksheets[0]
    rows = [
        (row_no, [_cell_text(v) for v in values])
        for row_no, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
    ]
    return ws.title, rows


def _parse_template(records, meta: dict) -> ParsedFile:
    records = iter(records)
    first = _first_nonblank(records)
    if first is None:
        raise ParseError("文件为空 / the file is empty")
    header_line, header = first
    columns = _template_header_map(header)
    missing = [k for k in TEMPLATE_REQUIRED if k not in columns]
    if missing:
        zh = "、".join(_TEMPLATE_ZH[k] for k in missing)
        en = ", ".join(missing)
        raise ParseError(f"模板缺少必需列：{zh} / the template lacks required columns: {en}")
    value_header = _clean(header[columns["value"]])
    known = set(columns.values())
    meta = {
        **meta,
        "header": [_clean(c) for c in header],
        "header_row": header_line,
        "extra_columns": [_clean(c) for i, c in enumerate(header) if i not in known and _clean(c)],
    }
    out = []
    for line_no, cells in records:
        if not any(_clean(c) for c in cells):
            continue
        get = lambda key: _clean(cells[columns[key]]) if key in columns and columns[key] < len(cells) else ""  # noqa: E731
        out.append(
            _row(
                row=line_no,
                indicator=get("indicator"),
                region=get("region"),
                period=get("period"),
                value=get("value"),
                unit=get("unit"),
                vintage=get("vintage"),
                source_unit=get("source_unit"),
                column=value_header,
            )
        )
    return ParsedFile("template", _frame(out), meta)


# ---------------------------------------------------------------- Wind EDB


def _parse_wind(text: str, encoding: str) -> ParsedFile:
    header: list[tuple[str, list[str]]] = []
    data_rows: list[tuple[int, list[str]]] = []
    footer: list[str] = []
    stage = "header"
    for line_no, cells in _csv_records(text):
        cells = [_clean(c) for c in cells]
        if not any(cells):
            if stage == "data":
                stage = "footer"
            continue
        if stage != "footer" and _DATE.match(cells[0]):
            stage = "data"
            data_rows.append((line_no, cells))
        elif stage == "header":
            header.append((cells[0], cells[1:]))
        elif cells[0] == "" and stage == "data":
            stage = "footer"  # the `,` line that ends the data
        else:
            stage = "footer"
            footer.append(",".join(c for c in cells if c))
    n_series = max((len(v) for _, v in header), default=0)
    if not n_series:
        raise ParseError("Wind 文件缺少表头 / the Wind file has no header block")
    series = [{key: (vals[j] if j < len(vals) else "") for key, vals in header} for j in range(n_series)]
    series = [s for s in series if any(s.values())]
    if not series:
        raise ParseError("Wind 文件缺少表头 / the Wind file has no header block")
    frequencies = []
    for s in series:
        raw = s.get("频率", "")
        freq = _WIND_FREQUENCY.get(raw.rstrip("度"))
        if freq is None:
            raise ParseError(
                f"Wind 频率“{raw}”不受支持，应为 月、季 或 年 / "
                f"unsupported Wind frequency '{raw}': expected 月 (monthly), 季 (quarterly) or 年 (annual)"
            )
        frequencies.append(freq)
    out = []
    for line_no, cells in data_rows:
        try:
            day = dt.date(*(int(x) for x in re.split(r"[-/.]", cells[0])))
        except ValueError as exc:
            raise ParseError(f"第{line_no}行日期无效 / invalid date on line {line_no}: {cells[0]}") from exc
        for j, s in enumerate(series):
            value = cells[j + 1] if j + 1 < len(cells) else ""
            if value.upper() in _WIND_DROP:
                continue
            out.append(
                _row(
                    row=line_no,
                    external_id=s.get("指标ID", ""),
                    external_name=s.get("指标名称", ""),
                    period=period_ending(day, frequencies[j]).label,
                    value=value,
                    unit=s.get("单位", ""),
                    source_unit=s.get("来源", ""),
                    column="value" if len(series) == 1 else f"value{j + 1}",
                )
            )
    meta = dict(series[0])
    meta.update({"encoding": encoding, "footer": footer, "series": series})
    return ParsedFile("wind", _frame(out), meta)


# ---------------------------------------------------------------- NBS data portal


def _split_nbs(line: str) -> list[str]:
    """Cells of an NBS export line: ``name\\t,v1\\t,v2\\t,`` (the names themselves hold commas);
    a file re-saved by Excel is plain CSV."""
    if "\t," in line:
        return [c.strip() for c in line.split("\t,")]
    return [c.strip() for c in next(csv.reader([line]), [])]


def _nbs_period(header: str) -> str:
    text = header.strip()
    if m := _EN_MONTH.match(text):
        month = _EN_MONTHS.get(m.group(1).lower())
        if month:
            return f"{int(m.group(2))}-{month:02d}"
    try:
        return parse_period(text).label
    except PeriodError as exc:
        raise ParseError(
            f"无法识别的时期列“{text}” / unreadable period column '{text}'"
        ) from exc


def split_name_unit(text: str) -> tuple[str, str]:
    """NBS indicator text → (name, unit): the unit is the last bracketed group.

    ``Gross Domestic Product, Current Quarter (100 million yuan)`` → name before the bracket;
    ``Indices of GDP (preceding year=100) , Current Quarter`` → ``Indices of GDP, Current Quarter``
    (the bracket removed, the rest kept so that the two index series stay distinct).
    """
    matches = list(_UNIT_BRACKET.finditer(text))
    if not matches:
        return text.strip(), ""
    m = matches[-1]
    unit = m.group(1).strip()
    name = (text[: m.start()].rstrip() + text[m.end():]).strip()
    name = re.sub(r"\s+,", ",", name)
    name = re.sub(r"\s{2,}", " ", name)
    return name, unit


def _parse_nbs(text: str, encoding: str) -> ParsedFile:
    lines = _lines(text)
    meta: dict = {"database": "", "time": "", "language": "", "encoding": encoding, "notes": "", "data_source": ""}
    header: list[str] | None = None
    periods: list[str] = []
    out = []
    notes: list[str] = []
    in_notes = False
    for i, raw in enumerate(lines, start=1):
        line = raw.lstrip("\ufeff").strip()
        if not line:
            continue
        if m := _NBS_SOURCE.match(line):
            meta["data_source"] = m.group(2).strip()
            in_notes = False
            continue
        if _NBS_NOTE.match(line):
            in_notes = True
        if in_notes:
            notes.append(line)
            continue
        if header is None:
            if m := _NBS_DATABASE.match(line):
                meta["database"] = m.group(2).strip()
                meta["language"] = "zh" if m.group(1) == "数据库" else "en"
                continue
            if m := _NBS_TIME.match(line):
                meta["time"] = m.group(2).strip()
                continue
            cells = _split_nbs(raw.lstrip("\ufeff"))
            if cells and cells[0] in _NBS_HEADER:
                header = cells
                meta["language"] = meta["language"] or ("zh" if cells[0] == "指标" else "en")
                periods = [""] + [_nbs_period(c) if c else "" for c in header[1:]]
                continue
            raise ParseError(
                f"国家统计局导出文件第{i}行之前缺少表头“指标/Indicators” / "
                f"NBS export: no 'Indicators' header row before line {i}"
            )
        cells = _split_nbs(raw)
        name_text = cells[0] if cells else ""
        if not name_text:
            continue
        name, unit = split_name_unit(name_text)
        for j in range(1, len(cells)):
            value = cells[j]
            if not value or j >= len(header) or not header[j]:
                continue
            out.append(
                _row(
                    row=i,
                    external_name=name,
                    period=periods[j],
                    value=value,
                    unit=unit,
                    source_unit="国家统计局",
                    column=header[j],
                )
            )
    if header is None:
        raise ParseError("国家统计局导出文件缺少表头“指标/Indicators” / NBS export without an 'Indicators' header row")
    meta["notes"] = "\n".join(notes)
    meta["periods"] = [p for p in periods if p]
    return ParsedFile("nbs", _frame(out), meta)
