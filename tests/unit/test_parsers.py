"""File readers: the import template (CSV/XLSX), NBS data-portal exports, Wind EDB exports."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from indicators.importers.parsers import ROW_COLUMNS, ParsedFile, ParseError, detect_format, parse_file, split_name_unit

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"

needs_real = pytest.mark.skipif(
    not REAL.is_dir() and os.environ.get("CI", "").lower() != "true",
    reason=f"real data folder {REAL} is absent (a fresh clone without ../shared)",
)


def line_of(path: Path, needle: str, encoding: str = "utf-8-sig") -> int:
    """1-based line number of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding=encoding).splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def check_shape(parsed: ParsedFile) -> None:
    assert list(parsed.rows.columns) == ROW_COLUMNS
    assert parsed.rows["row"].dtype == "int64"
    for col in ROW_COLUMNS[1:]:
        assert pd.api.types.is_string_dtype(parsed.rows[col]), col
        assert not parsed.rows[col].isna().any(), col


# ------------------------------------------------------------------ template


class TestTemplate:
    def test_csv_fixture(self):
        path = FIXTURES / "template_example.csv"
        parsed = parse_file(path)
        assert parsed.format == "template"
        check_shape(parsed)
        rows = parsed.rows
        assert len(rows) == 18
        first = rows.iloc[0]
        assert (first["row"], first["indicator"], first["region"], first["period"], first["value"], first["unit"]) == (
            2, "gdp", "450000", "2024Q1", "6583.12", "亿元",
        )
        assert first["vintage"] == "2024-04-28" and first["source_unit"] == "自治区统计局"
        assert first["column"] == "value"
        assert (rows["external_id"] == "").all() and (rows["external_name"] == "").all()
        combined = rows[rows["period"] == "2024-01/02"].iloc[0]
        assert combined["row"] == line_of(path, "2024-01/02") == 18
        # regions kept as written: adcodes and names
        assert {"450100", "柳州市", "南宁市", "450200"} <= set(rows["region"])
        # raw text kept (trailing zero not normalised away)
        assert "20588.30" in set(rows["value"])

    def test_xlsx_fixture_chinese_headers(self):
        parsed = parse_file(FIXTURES / "template_example.xlsx")
        assert parsed.format == "template"
        check_shape(parsed)
        rows = parsed.rows
        assert len(rows) == 18
        assert parsed.meta["header"][:4] == ["指标", "地区", "时期", "数值"]
        assert (rows["column"] == "数值").all()
        first = rows.iloc[0]
        # sheet row 2 (row 1 is the header); numbers shown as typed, dates as ISO dates
        assert (first["row"], first["region"], first["value"], first["vintage"]) == (2, "450000", "6583.12", "2024-04-28")
        assert rows[rows["period"] == "2024-01/02"]["row"].tolist() == [18]

    def test_xlsx_and_csv_agree(self):
        a = parse_file(FIXTURES / "template_example.csv").rows
        b = parse_file(FIXTURES / "template_example.xlsx").rows
        cols = ["row", "indicator", "region", "period", "unit", "vintage", "source_unit"]
        pd.testing.assert_frame_equal(a[cols], b[cols])
        assert [float(x) for x in a["value"]] == [float(x) for x in b["value"]]

    def test_chinese_headers_gbk_without_optional_columns(self, tmp_path):
        path = tmp_path / "upload.csv"
        path.write_bytes("指标,地区,时期,数值,单位\r\ngdp,南宁市,2024年第一季度,1342.5,亿元\r\n".encode("gbk"))
        parsed = parse_file(path)
        assert parsed.meta["encoding"] == "gbk"
        row = parsed.rows.iloc[0]
        assert (row["row"], row["region"], row["period"], row["vintage"], row["column"]) == (2, "南宁市", "2024年第一季度", "", "数值")

    def test_blank_lines_and_quoted_newlines_keep_line_numbers(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text(
            "indicator,region,period,value,unit,note\n"
            "gdp,450000,2024Q1,1,亿元,\"two\nlines\"\n"
            "\n"
            "gdp,450000,2024Q2,2,亿元,\n",
            encoding="utf-8",
        )
        parsed = parse_file(path)
        assert parsed.rows["row"].tolist() == [2, 5]
        assert parsed.meta["extra_columns"] == ["note"]

    def test_empty_cells_kept_as_empty_text(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("indicator,region,period,value,unit\ngdp,,2024Q1,,亿元\n", encoding="utf-8")
        row = parse_file(path).rows.iloc[0]
        assert row["region"] == "" and row["value"] == ""

    def test_missing_columns_bilingual(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("indicator,region,value\ngdp,450000,1\n", encoding="utf-8")
        assert detect_format(path) == "template"
        with pytest.raises(ParseError) as err:
            parse_file(path)
        message = str(err.value)
        assert " / " in message
        assert "时期" in message and "单位" in message  # Chinese names
        assert "period" in message and "unit" in message  # English names

    def test_missing_columns_xlsx_chinese(self, tmp_path):
        import openpyxl

        wb = openpyxl.Workbook()
        wb.active.append(["指标", "地区", "时期", "单位"])
        wb.active.append(["gdp", "450000", "2024Q1", "亿元"])
        path = tmp_path / "t.xlsx"
        wb.save(path)
        with pytest.raises(ParseError, match="数值.*/.*value"):
            parse_file(path)

    def test_duplicate_column(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("indicator,region,period,value,数值,unit\n", encoding="utf-8")
        with pytest.raises(ParseError, match="twice"):
            parse_file(path)

    def test_header_only(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("indicator,region,period,value,unit\n", encoding="utf-8")
        with pytest.raises(ParseError, match="no data rows"):
            parse_file(path)

    def test_bytes_and_file_objects(self):
        data = (FIXTURES / "template_example.csv").read_bytes()
        assert detect_format(data) == "template"
        assert len(parse_file(data).rows) == 18
        with open(FIXTURES / "template_example.xlsx", "rb") as fh:
            assert len(parse_file(fh).rows) == 18


# ------------------------------------------------------------------ NBS


class TestNbsChinese:
    path = FIXTURES / "nbs_quarterly_gdp_zh.csv"

    def test_parse(self):
        parsed = parse_file(self.path)
        assert parsed.format == "nbs"
        check_shape(parsed)
        assert parsed.meta["database"] == "季度数据"
        assert parsed.meta["language"] == "zh"
        assert parsed.meta["time"] == "2021年第四季度-2026年第一季度"
        assert parsed.meta["data_source"] == "国家统计局"
        assert parsed.meta["notes"].startswith("注：")
        rows = parsed.rows
        assert len(rows) == 8 * 18
        assert set(rows["unit"]) == {"亿元"}
        assert set(rows["source_unit"]) == {"国家统计局"}
        hit = rows[(rows["external_name"] == "国内生产总值_累计值") & (rows["period"] == "2024Q4")].iloc[0]
        assert hit["value"] == "26961.3"  # synthetic: the real export's figures × 0.02
        assert hit["column"] == "2024年第四季度"
        assert hit["row"] == line_of(self.path, "国内生产总值_累计值") == 5
        assert rows["period"].iloc[0] == "2026Q1"  # newest first, as in the file

    def test_monthly_and_annual_headers_and_empty_cells(self, tmp_path):
        path = tmp_path / "m.csv"
        path.write_text(
            "\ufeff数据库：月度数据\n时间：2024年1-3月\n"
            "指标\t,2024年3月\t,2024年2月\t,2024年1月\t,\n"
            "社会消费品零售总额_当期值(亿元)\t,39020\t,\t,\t,\n"
            "社会消费品零售总额_累计值(亿元)\t,120327\t,81307\t,\t,\n"
            "注：1-2月合并发布。\n数据来源：国家统计局\n",
            encoding="utf-8",
        )
        parsed = parse_file(path)
        rows = parsed.rows
        assert rows["period"].tolist() == ["2024-03", "2024-03", "2024-02"]  # empty cells dropped
        assert rows["row"].tolist() == [4, 5, 5]
        assert rows["external_name"].tolist()[0] == "社会消费品零售总额_当期值"
        annual = tmp_path / "a.csv"
        annual.write_text(
            "数据库：年度数据\n时间：2023-2024\n指标\t,2024年\t,2023年\t,\n国内生产总值(亿元)\t,1349084\t,1294272\t,\n",
            encoding="utf-8",
        )
        assert parse_file(annual).rows["period"].tolist() == ["2024", "2023"]

    def test_english_month_headers(self, tmp_path):
        path = tmp_path / "m.csv"
        path.write_text(
            "Database：Monthly \nTime：Mar 2024 \nIndicators\t,Mar 2024\t,Feb 2024\t,\n"
            "Total Retail Sales of Consumer Goods, Current Period (100 million yuan) \t,39020\t,\t,\n"
            "Data Sources：National Bureau of Statistics",
            encoding="utf-8",
        )
        parsed = parse_file(path)
        assert parsed.rows["period"].tolist() == ["2024-03"]
        assert parsed.rows["external_name"].tolist() == ["Total Retail Sales of Consumer Goods, Current Period"]
        assert parsed.meta["language"] == "en"

    def test_resaved_by_excel_as_plain_csv(self, tmp_path):
        path = tmp_path / "x.csv"
        path.write_text(
            "Database：Quarterly\nTime：1Q 2024\nIndicators,1Q 2024,4Q 2023\n"
            "\"Gross Domestic Product, Current Quarter (100 million yuan)\",296299.5,334794.0\n",
            encoding="utf-8",
        )
        rows = parse_file(path).rows
        assert rows["period"].tolist() == ["2024Q1", "2023Q4"]
        assert rows["external_name"].iloc[0] == "Gross Domestic Product, Current Quarter"

    def test_unit_bracket(self):
        assert split_name_unit("Gross Domestic Product, Current Quarter (100 million yuan) ") == (
            "Gross Domestic Product, Current Quarter", "100 million yuan",
        )
        assert split_name_unit("Value-added of Finance, Accumulated(100 million yuan)") == (
            "Value-added of Finance, Accumulated", "100 million yuan",
        )
        # indices: the bracket sits in the middle; the rest of the name is kept so the series stay distinct
        assert split_name_unit("Indices of Gross Domestic Product (preceding year=100) , Current Quarter") == (
            "Indices of Gross Domestic Product, Current Quarter", "preceding year=100",
        )
        assert split_name_unit("国内生产总值指数(上年同期=100)_当季值") == ("国内生产总值指数_当季值", "上年同期=100")
        assert split_name_unit("国内生产总值_当季值（亿元）") == ("国内生产总值_当季值", "亿元")
        assert split_name_unit("人口") == ("人口", "")


@needs_real
class TestNbsEnglishReal:
    def test_current_prices(self):
        path = REAL / "nbs_exports" / "nbs_quarterly_gdp_current_prices.csv"
        parsed = parse_file(path)
        assert parsed.format == "nbs"
        check_shape(parsed)
        assert parsed.meta["database"] == "Quarterly" and parsed.meta["time"] == "4Q 2021-1Q 2026"
        assert parsed.meta["language"] == "en"
        assert parsed.meta["data_source"] == "National Bureau of Statistics"
        rows = parsed.rows
        assert len(rows) == 32 * 18
        assert set(rows["unit"]) == {"100 million yuan"}
        hit = rows[(rows["external_name"] == "Gross Domestic Product, Accumulated") & (rows["column"] == "4Q 2024")].iloc[0]
        assert (hit["period"], hit["value"]) == ("2024Q4", "1348066.2")
        assert hit["row"] == line_of(path, "Gross Domestic Product, Accumulated") == 5
        assert "Value-added of Finance, Accumulated" in set(rows["external_name"])  # no space before "("

    def test_indices(self):
        parsed = parse_file(REAL / "nbs_exports" / "nbs_quarterly_gdp_indices.csv")
        rows = parsed.rows
        assert set(rows["unit"]) == {"preceding year=100"}
        assert rows["external_name"].nunique() == 32
        hit = rows[(rows["external_name"] == "Indices of Gross Domestic Product, Current Quarter") & (rows["period"] == "2024Q1")]
        assert hit["value"].tolist() == ["105.3"] and hit["row"].tolist() == [4]


# ------------------------------------------------------------------ Wind


WIND_SAMPLE = (
    "国家,中国\r\n指标名称,广东:GDP:累计值\r\n频率,季\r\n单位,亿元\r\n指标ID,M0048796\r\n"
    "时间区间,1998-12:1999-06\r\n来源,广东省统计局\r\n更新时间,20250423\r\n"
    "1998/12/31,8530.88\r\n1999/3/31,#N/A\r\n1999/6/30,3659.42\r\n1999/9/30,\r\n,\r\n数据来源：Wind,\r\n"
)


class TestWind:
    def test_sample(self, tmp_path):
        path = tmp_path / "w.csv"
        path.write_bytes(WIND_SAMPLE.encode("utf-8"))
        parsed = parse_file(path)
        assert parsed.format == "wind"
        check_shape(parsed)
        rows = parsed.rows
        assert rows["period"].tolist() == ["1998Q4", "1999Q2"]  # #N/A and blank dropped
        assert rows["row"].tolist() == [9, 11]
        assert set(rows["external_id"]) == {"M0048796"}
        assert set(rows["external_name"]) == {"广东:GDP:累计值"}
        assert set(rows["unit"]) == {"亿元"} and set(rows["source_unit"]) == {"广东省统计局"}
        assert set(rows["column"]) == {"value"}
        assert parsed.meta["指标ID"] == "M0048796" and parsed.meta["更新时间"] == "20250423"
        assert parsed.meta["footer"] == ["数据来源：Wind"]

    def test_gbk_monthly_and_annual(self, tmp_path):
        monthly = WIND_SAMPLE.replace("频率,季", "频率,月").replace("1999/6/30", "2000/2/29")
        path = tmp_path / "m.csv"
        path.write_bytes(monthly.encode("gbk"))
        assert parse_file(path).rows["period"].tolist() == ["1998-12", "2000-02"]
        annual = WIND_SAMPLE.replace("频率,季", "频率,年")
        path.write_bytes(annual.encode("utf-8"))
        assert parse_file(path).rows["period"].tolist() == ["1998", "1999"]

    def test_unsupported_frequency(self, tmp_path):
        path = tmp_path / "d.csv"
        path.write_bytes(WIND_SAMPLE.replace("频率,季", "频率,日").encode("utf-8"))
        with pytest.raises(ParseError, match="频率.*/.*frequency"):
            parse_file(path)


@needs_real
class TestWindReal:
    def test_guangdong_gdp(self):
        path = REAL / "wind_exports" / "广东_GDP_累计值.csv"
        parsed = parse_file(path)
        check_shape(parsed)
        rows = parsed.rows
        assert parsed.meta["指标名称"] == "广东:GDP:累计值" and parsed.meta["频率"] == "季"
        hit = rows[rows["period"] == "2024Q4"].iloc[0]
        assert hit["value"] == "141633.81"
        assert hit["row"] == line_of(path, "2024/12/31,141633.81")
        assert (rows["value"] != "#N/A").all()
        assert "1994Q1" not in set(rows["period"])  # a #N/A row in the file

    def test_every_wind_file(self):
        for path in sorted((REAL / "wind_exports").glob("*.csv")):
            parsed = parse_file(path)
            check_shape(parsed)
            assert parsed.rows["period"].is_unique, path.name
            text_lines = path.read_text(encoding="utf-8-sig").splitlines()
            first = parsed.rows.iloc[0]
            assert text_lines[first["row"] - 1].split(",")[1] == first["value"], path.name
            assert set(parsed.rows["external_name"]) == {parsed.meta["指标名称"]}


# ------------------------------------------------------------------ detection and whole-file errors


@needs_real
def test_detect_every_real_file():
    for path in sorted(REAL.rglob("*")):
        if not path.is_file() or path.suffix in (".md",):
            continue
        if path.parent.name == "wind_exports":
            assert detect_format(path) == "wind", path.name
        elif path.parent.name == "nbs_exports":
            assert detect_format(path) == "nbs", path.name
        else:
            # the retail CSV and the JSON compilations are none of the three import formats
            with pytest.raises(ParseError):
                detect_format(path)


def test_detect_fixtures():
    assert detect_format(FIXTURES / "template_example.csv") == "template"
    assert detect_format(FIXTURES / "template_example.xlsx") == "template"
    assert detect_format(FIXTURES / "nbs_quarterly_gdp_zh.csv") == "nbs"
    assert detect_format(WIND_SAMPLE.encode("utf-8")) == "wind"


def test_detection_is_by_content_not_name(tmp_path):
    misleading = tmp_path / "wind_export.xlsx"
    misleading.write_bytes((FIXTURES / "nbs_quarterly_gdp_zh.csv").read_bytes())
    assert detect_format(misleading) == "nbs"


def test_explicit_format(tmp_path):
    assert parse_file(FIXTURES / "nbs_quarterly_gdp_zh.csv", format="nbs").format == "nbs"
    with pytest.raises(ValueError):
        parse_file(FIXTURES / "nbs_quarterly_gdp_zh.csv", format="pdf")


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 20


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(PNG, id="png"),
        pytest.param("今天天气很好，我们去公园散步。\nThe weather is nice.\n".encode("utf-8"), id="random-text"),
        pytest.param(b"", id="empty"),
        pytest.param(b"   \n\n", id="blank"),
        pytest.param(b"\xff\xfe\x81\x30\xff" * 10, id="bad-encoding"),
        pytest.param(b"PK\x03\x04not really a zip", id="fake-zip"),
    ],
)
def test_not_a_data_file(tmp_path, content):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    for call in (detect_format, parse_file):
        with pytest.raises(ParseError) as err:
            call(path)
        message = str(err.value)
        zh, _, en = message.partition(" / ")
        assert en, message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), message
        assert en.isascii(), message


def test_xlsx_that_is_not_a_template(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["月份", "销售额"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    with pytest.raises(ParseError, match=" / "):
        parse_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(ParseError, match=" / "):
        parse_file(tmp_path / "absent.csv")
