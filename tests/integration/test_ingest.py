"""Importers end to end on SQLite and PostgreSQL: all-or-nothing, vintages, traceability."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from services.context import open_context
from services.ingest import ingest_file
from settings import Settings
from storage import repository as repo
from tests.conftest import ROOT, need_real_data

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEADER = "indicator,region,period,value,unit,vintage,source_unit\n"


@pytest.fixture
def ctx(database_url):
    context = open_context(Settings(database_url=database_url))
    yield context
    context.engine.dispose()


def write(tmp_path, name, body, header=HEADER):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_template_example_loads_with_its_batch_and_vintages(ctx):
    result = ingest_file(ctx, FIXTURES / "template_example.csv", submitted_by="alice")
    assert result.status == "loaded", result.errors
    assert result.rows_loaded == result.rows_read > 0
    frame = repo.read_observations(ctx.engine, "gdp", "450000")
    assert frame["period"].tolist() == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert frame["value"].iloc[-1] == pytest.approx(28649.44)
    assert set(frame["batch_id"]) == {result.batch_id}
    # the row's own vintage column is the realtime start
    assert frame["realtime_start"].iloc[0] == dt.datetime(2024, 4, 28)
    # "柳州市" written as a name resolves to its adcode
    assert len(repo.read_observations(ctx.engine, "gdp", "450200")) == 2
    batch = repo.batches(ctx.engine).iloc[0]
    assert batch["submitted_by"] == "alice" and len(batch["sha256"]) == 64 and batch["status"] == "loaded"
    assert batch["file_name"] == "template_example.csv"
    # combined January–February of a monthly flow keeps its own label
    assert "2024-01/02" in repo.read_observations(ctx.engine, "retail_sales_m", "450000")["period"].tolist()


def test_xlsx_with_chinese_headers_loads_the_same_rows(ctx):
    result = ingest_file(ctx, FIXTURES / "template_example.xlsx")
    assert result.status == "loaded", result.errors
    assert repo.read_observations(ctx.engine, "gdp", "450000")["value"].iloc[-1] == pytest.approx(28649.44)


def test_reimporting_the_same_file_is_a_no_op(ctx):
    first = ingest_file(ctx, FIXTURES / "template_example.csv")
    before = repo.read_observations(ctx.engine, "gdp", vintages=True)
    again = ingest_file(ctx, FIXTURES / "template_example.csv")
    assert first.status == "loaded" and again.status == "unchanged" and again.rows_loaded == 0
    assert repo.read_observations(ctx.engine, "gdp", vintages=True).equals(before)
    assert ctx.data_version == 1  # only the first import changed data


def test_changed_values_add_a_vintage_and_keep_the_old_one(ctx, tmp_path):
    body = "gdp,450000,2024Q1,6583.12,亿元,2024-04-28,自治区统计局\ngdp,450000,2024Q2,13623.45,亿元,2024-07-29,自治区统计局\n"
    ingest_file(ctx, write(tmp_path, "a.csv", body))
    revised = body.replace("6583.12,亿元,2024-04-28", "6600.00,亿元,2024-08-30")
    result = ingest_file(ctx, write(tmp_path, "b.csv", revised))
    assert result.status == "loaded" and result.rows_loaded == 1 and result.rows_unchanged == 1
    latest = repo.read_observations(ctx.engine, "gdp", "450000")
    assert latest["value"].tolist() == [6600.00, 13623.45]
    then = repo.read_observations(ctx.engine, "gdp", "450000", as_of=dt.date(2024, 8, 1))
    assert then["value"].tolist() == [6583.12, 13623.45]
    assert len(repo.read_observations(ctx.engine, "gdp", "450000", vintages=True)) == 3


def test_a_bad_file_stores_nothing_but_its_batch_and_errors(ctx, tmp_path):
    body = (
        "gdp,450000,2024Q1,6583.12,亿元,,\n"          # line 2: fine
        "no_such_indicator,450000,2024Q1,1,亿元,,\n"  # line 3: unknown indicator
        "gdp,火星,2024Q1,1,亿元,,\n"                   # line 4: unknown region
        "gdp,450000,2024-13,1,亿元,,\n"               # line 5: unparseable period
        "gdp,450000,2024Q2,abc,亿元,,\n"              # line 6: not a number
        "gdp,450000,2024Q3,1,万元,,\n"                # line 7: wrong unit
        "gdp,450000,2024Q1,6583.12,亿元,,\n"          # line 8: duplicate of line 2
        "gdp_ytd_growth,450000,2024Q1,450,%,,\n"      # line 9: implausible growth
        "gdp,450000,2024Q4,100,亿元,,\n"              # line 10: YTD falls below Q1 (line 2)
    )
    result = ingest_file(ctx, write(tmp_path, "bad.csv", body))
    assert result.status == "rejected" and result.rows_loaded == 0
    by_row = {e["row"]: e for e in result.errors}
    assert set(by_row) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert by_row[3]["column"] == "indicator" and "no_such_indicator" in by_row[3]["message_en"]
    assert "未知指标" in by_row[3]["message_zh"] and "unknown indicator" in by_row[3]["message_en"]
    assert "未知地区" in by_row[4]["message_zh"] and "火星" in by_row[4]["message_en"]
    assert by_row[5]["column"] == "period" and "2024-13" in by_row[5]["message_en"]
    assert by_row[6]["column"] == "value" and "expected a number" in by_row[6]["message_en"]
    assert by_row[7]["column"] == "unit" and "亿元" in by_row[7]["message_en"] and "万元" in by_row[7]["message_en"]
    assert "row 2" in by_row[8]["message_en"]
    assert "implausible" in by_row[9]["message_en"]
    assert "year-to-date" in by_row[10]["message_en"]
    for e in result.errors:  # row, column, expected, found — in both languages
        assert f"row {e['row']}" in e["message_en"] and f"第{e['row']}行" in e["message_zh"]
        assert "expected" in e["message_en"] and "found" in e["message_en"] and "应为" in e["message_zh"]
    assert repo.read_observations(ctx.engine).empty
    stored = repo.rejected(ctx.engine, result.batch_id)
    assert sorted(stored["row_number"]) == sorted(e["row"] for e in result.errors)
    assert repo.batches(ctx.engine).iloc[0]["status"] == "rejected"


def test_ytd_falling_against_already_stored_values_is_rejected(ctx, tmp_path):
    ingest_file(ctx, write(tmp_path, "a.csv", "gdp,450000,2024Q2,13623.45,亿元,2024-07-29,\n"))
    result = ingest_file(ctx, write(tmp_path, "b.csv", "gdp,450000,2024Q3,9000,亿元,2024-10-28,\n"))
    assert result.status == "rejected" and "2024Q2" in result.errors[0]["message_en"]
    assert len(repo.read_observations(ctx.engine, "gdp")) == 1


def test_city_sum_far_from_the_regional_total_is_a_warning_not_a_rejection(ctx, tmp_path):
    cities = [r.adcode for r in ctx.regions.cities()]
    body = "gdp,450000,2024Q1,6000,亿元,,\n" + "".join(f"gdp,{c},2024Q1,500,亿元,,\n" for c in cities)
    result = ingest_file(ctx, write(tmp_path, "cities.csv", body))
    assert result.status == "loaded" and result.rows_loaded == 15
    assert len(result.warnings) == 1 and "+16.7%" in result.warnings[0]["message_en"]


def test_not_a_data_file_is_rejected_with_a_bilingual_message(ctx, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("这不是数据文件\njust some notes\n", encoding="utf-8")
    result = ingest_file(ctx, path)
    assert result.status == "rejected" and result.errors[0]["row"] is None
    assert result.errors[0]["message_zh"] and result.errors[0]["message_en"]
    assert result.errors[0]["message_zh"] != result.errors[0]["message_en"]


def test_every_real_wind_and_nbs_export_imports(ctx):
    real = need_real_data()
    files = sorted((real / "wind_exports").glob("*.csv")) + sorted((real / "nbs_exports").glob("*.csv"))
    assert len(files) == 20  # 18 Wind series and 2 NBS tables
    for path in files:
        result = ingest_file(ctx, path)
        assert result.status == "loaded", (path.name, result.errors[:3])
        assert result.rows_loaded > 0
    # Guangdong's accumulated GDP lands on Guangdong, from its Wind name prefix
    gd = repo.read_observations(ctx.engine, "gdp", "440000")
    assert gd.set_index("period").loc["2024Q4", "value"] == pytest.approx(141633.81)
    # NBS national GDP: the 2024 accumulated value of the data portal export
    cn = repo.read_observations(ctx.engine, "gdp", "100000", start="2024Q4", end="2024Q4", vintages=True)
    assert 1348066.2 in cn["value"].round(1).tolist()
    # Wind electricity in 万千瓦时 is scaled into the catalog unit
    unit = ctx.catalog["electricity"].unit
    assert unit == "亿千瓦时"
    elec = repo.read_observations(ctx.engine, "electricity", "100000").set_index("period")["value"]
    assert 4000 < elec.loc["2024-03"] < 10000
    assert repo.orphan_observations(ctx.engine) == 0


def test_cli_ingest_json_and_exit_codes(tmp_path):
    env = {"ECONBRAIN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}", "PATH": "/usr/bin:/bin"}
    good = subprocess.run([sys.executable, "app.py", "ingest", str(FIXTURES / "template_example.csv"), "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stderr
    summary = json.loads(good.stdout)
    assert {"batch_id", "rows_loaded", "rows_rejected", "series", "warnings", "errors"} <= summary.keys()
    assert summary["rows_loaded"] > 0 and summary["errors"] == []
    assert {"indicator": "gdp", "region": "450000", "rows": 4} in summary["series"]
    bad = write(tmp_path, "bad.csv", "gdp,450000,2024Q1,abc,亿元,,\n")
    rejected = subprocess.run([sys.executable, "app.py", "ingest", str(bad), "--json"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert rejected.returncode != 0
    out = json.loads(rejected.stdout)
    assert out["rows_rejected"] == 1 and out["errors"][0]["row"] == 2 and out["errors"][0]["column"] == "value"


WIND_UNMAPPED = """国家,中国
指标名称,广西:全社会用电量:当月值:试点口径
频率,月
单位,万千瓦时
指标ID,X9990001
时间区间,2024-03:2024-05
来源,广西电网公司
更新时间,20240620
2024/3/31,1712345
2024/4/30,1698765
2024/5/31,1801234
,
数据来源：Wind,
"""


def test_users_extend_the_mapping_table_without_code(ctx, tmp_path):
    path = tmp_path / "wind_pilot.csv"
    path.write_text(WIND_UNMAPPED, encoding="utf-8")
    before = ingest_file(ctx, path)
    assert before.status == "rejected" and "mapping" in before.errors[0]["message_en"]
    from services.catalog import add_mapping

    add_mapping(ctx, source="wind", external_name="全社会用电量:当月值:试点口径", external_id="X9990001",
                indicator="electricity", unit="万千瓦时", scale=0.0001)
    after = ingest_file(ctx, path)
    assert after.status == "loaded", after.errors
    stored = repo.read_observations(ctx.engine, "electricity", "450000").set_index("period")["value"]
    assert stored["2024-03"] == pytest.approx(171.2345)  # region from the 广西: prefix, 万千瓦时 → 亿千瓦时
    assert repo.audit_entries(ctx.engine)["action"].str.contains("mapping.add").any()
