"""The command line as a user runs it: python app.py <command>."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from data import calibration as cal
from indicators.registry import CATALOG_DIR
from tests.conftest import ROOT


def run(*args, url, extra_env=None, check=True):
    env = {"ECONBRAIN_DATABASE_URL": url, "PATH": "/usr/bin:/bin", **(extra_env or {})}
    proc = subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def test_catalog_lists_every_indicator_with_its_metadata(demo_database_url):
    rows = json.loads(run("catalog", "--format", "json", url=demo_database_url).stdout)
    assert len(rows) >= 9 * 12
    assert {"code", "name_zh", "name_en", "unit", "frequency", "publication", "source_unit", "release_lag_days",
            "polarity", "region_levels", "aggregation", "decimals", "definition_zh"} <= rows[0].keys()
    gdp = pd.read_csv(io.StringIO(run("catalog", "--domain", "gdp", url=demo_database_url).stdout))
    assert set(gdp["domain"]) == {"gdp"} and "gdp" in set(gdp["code"])
    bad = run("catalog", "--domain", "astrology", url=demo_database_url, check=False)
    assert bad.returncode == 1 and "未知领域" in bad.stderr and "unknown domain" in bad.stderr


def test_regions_by_level(demo_database_url):
    counties = json.loads(run("regions", "--level", "county", "--format", "json", url=demo_database_url).stdout)
    assert len(counties) == 111
    assert {"adcode": "450127", "name_zh": "横州市"}.items() <= next(c for c in counties if c["adcode"] == "450127").items()
    cities = pd.read_csv(io.StringIO(run("regions", "--level", "city", url=demo_database_url).stdout), dtype=str)
    assert len(cities) == 14 and set(cities["parent"]) == {"450000"}


def test_series_transforms_and_as_of(demo_database_url):
    out = json.loads(run("series", "gdp", "450000", "--format", "json", "--start", "2017Q1", "--end", "2017Q4",
                         url=demo_database_url).stdout)
    assert out["unit"] == "亿元" and out["demo"] is True
    assert out["observations"][-1] == {"period": "2017Q4", "value": pytest.approx(cal.GUANGXI_GDP[2017])}
    known = json.loads(run("series", "gdp", "广西", "--as-of", "2019-01-31", "--format", "json", "--end", "2017Q4",
                           url=demo_database_url).stdout)
    assert known["observations"][-1]["value"] == pytest.approx(cal.GUANGXI_GDP_2017_FIRST_RELEASE)
    single = json.loads(run("series", "gdp", "450000", "--transform", "monthly", "--format", "json",
                            "--start", "2021Q1", "--end", "2021Q4", url=demo_database_url).stdout)
    assert sum(o["value"] for o in single["observations"]) == pytest.approx(cal.GUANGXI_GDP[2021], abs=0.05)
    csv = pd.read_csv(io.StringIO(run("series", "retail_sales", "南宁市", "--transform", "yoy", "--start", "2025-01",
                                      url=demo_database_url).stdout), dtype={"period": str})
    assert list(csv.columns) == ["period", "value"] and csv["period"].iloc[0] == "2025-02"


def test_series_errors_are_clear(demo_database_url):
    unknown = run("series", "no_such", "450000", url=demo_database_url, check=False)
    assert unknown.returncode == 1 and "未知指标" in unknown.stderr and "unknown indicator" in unknown.stderr
    nowhere = run("series", "gdp", "Atlantis", url=demo_database_url, check=False)
    assert nowhere.returncode == 1 and "unknown region" in nowhere.stderr
    wrong = run("series", "gdp_ytd_growth", "450000", "--transform", "ytd", url=demo_database_url, check=False)
    assert wrong.returncode == 1 and "cannot be shown as year to date" in wrong.stderr
    assert "Traceback" not in unknown.stderr + nowhere.stderr + wrong.stderr


def test_a_third_topic_is_one_folder_and_no_code(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, catalog)
    topic = catalog / "topics" / "beibu_port"
    topic.mkdir()
    guilin = (CATALOG_DIR / "topics" / "guilin_tourism.yaml").read_text(encoding="utf-8")
    text = guilin.replace("topic: guilin_tourism", "topic: beibu_port").replace("guilin_", "beibu_")
    text = text.replace('"450300"', '"450500"')
    (topic / "port.yaml").write_text(text, encoding="utf-8")
    env = {"ECONBRAIN_CATALOG_DIR": str(catalog)}
    url = f"sqlite:///{tmp_path / 'topic.sqlite'}"
    rows = json.loads(run("catalog", "--domain", "beibu_port", "--format", "json", url=url, extra_env=env).stdout)
    assert rows and all(r["code"].startswith("beibu_") and r["topic"] == "beibu_port" for r in rows)
    data = tmp_path / "port.csv"
    data.write_text(f"indicator,region,period,value,unit\n{rows[0]['code']},北海市,2024,1,{rows[0]['unit']}\n",
                    encoding="utf-8")
    result = run("ingest", str(data), "--json", url=url, extra_env=env, check=False)
    summary = json.loads(result.stdout)
    # a topic about 北海 accepts 北海 data (any period error aside, the region is accepted)
    assert not any("topic" in e["message_en"] for e in summary["errors"])
