"""The indicator catalog as data: one conformance check over every indicator, clear validation errors,
a new special topic without code, and the shipped external-series mapping against the real exports."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from indicators.registry import CATALOG_DIR, DOMAINS, Catalog, CatalogError, Indicator, load_catalog

CATALOG = load_catalog()
MAPPINGS_FILE = CATALOG_DIR.parent / "importers" / "mappings.yaml"
REAL_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"

SUBNATIONAL = {"province", "city", "county"}
INDEX_UNITS = {"上年同期=100"}
# Decimals that make sense for each unit; a new unit must be added here on purpose.
UNIT_DECIMALS = {
    "%": {1, 2},
    "亿元": {0, 1, 2},
    "元": {0},
    "元/人次": {0},
    "万美元": {0},
    "万人": {0, 1, 2},
    "万人次": {0, 1, 2},
    "万吨": {0, 1, 2},
    "万辆": {1, 2},
    "万件": {0},
    "万平方米": {0, 1, 2},
    "万标准箱": {1, 2},
    "亿千瓦时": {1, 2},
    "个": {0},
    "台": {0},
    "上年同期=100": {1, 2},
    "农村=1": {2},
}
# Money flows must say at which prices they are valued.
MONEY_UNITS = {"亿元", "元", "元/人次", "万美元"}
# Days from the end of the period to the release, as Chinese statistics are published.
RELEASE_LAG = {"M": (0, 60), "Q": (10, 120), "A": (30, 400)}
HAN = re.compile(r"[\u4e00-\u9fff]")


def _topic_prefix(topic: str) -> str:
    return topic.split("_")[0] + "_"


def metadata_problems(ind: Indicator, catalog: Catalog) -> list[str]:
    """What is wrong with one indicator's metadata beyond the schema (empty when it makes sense)."""
    problems = []
    if not ind.name_zh.strip() or not HAN.search(ind.name_zh):
        problems.append("name_zh must be a Chinese name")
    if not ind.name_en.strip() or HAN.search(ind.name_en):
        problems.append("name_en must be an English name")
    if len(ind.definition_zh) < 10 or not HAN.search(ind.definition_zh):
        problems.append("definition_zh must define the indicator in Chinese")
    if len(ind.definition_en) < 20 or HAN.search(ind.definition_en):
        problems.append("definition_en must define the indicator in English")
    if not ind.source_unit.strip():
        problems.append("source_unit is empty")

    if ind.unit not in UNIT_DECIMALS:
        problems.append(f"unit '{ind.unit}' unknown: add it to UNIT_DECIMALS with sensible decimals")
    elif ind.decimals not in UNIT_DECIMALS[ind.unit]:
        problems.append(f"decimals {ind.decimals} do not suit unit '{ind.unit}' (expected {sorted(UNIT_DECIMALS[ind.unit])})")
    if ind.is_growth and (ind.unit != "%" or ind.measure != "rate"):
        problems.append("published growth must be a rate in %")
    if ind.publication == "index" and ind.measure != "index":
        problems.append("an index publication must have measure 'index'")
    if ind.unit in INDEX_UNITS and ind.publication != "index":
        problems.append(f"unit '{ind.unit}' is an index base: publication must be 'index'")
    if ind.unit in MONEY_UNITS and ind.measure == "flow" and ind.price_basis == "none":
        problems.append("a money flow needs a price_basis (current or constant)")

    low, high = RELEASE_LAG[ind.frequency]
    if not low <= ind.release_lag_days <= high:
        problems.append(f"release_lag_days {ind.release_lag_days} unrealistic for frequency {ind.frequency}")

    if ind.region_levels == ["national"] and ind.aggregation != "none":
        problems.append("a national-only indicator has nothing to aggregate: aggregation must be 'none'")
    if ind.is_growth and set(ind.region_levels) & SUBNATIONAL and ind.aggregation not in ("weighted_mean", "none"):
        problems.append("growth of several regions combines as a weighted mean (or not at all)")
    if len(set(ind.region_levels)) != len(ind.region_levels):
        problems.append("region_levels repeat a level")

    if ind.plausible_min is None or ind.plausible_max is None:
        problems.append("plausible_min and plausible_max are both needed for the data-quality checks")
    if ind.measure in ("flow", "stock") and ind.plausible_max is not None and ind.plausible_max <= 0:
        problems.append("a level's plausible_max must be positive")

    warning = ind.warning
    if ind.is_growth and warning.method == "none":
        problems.append("published growth drives the signal lights: warning method cannot be 'none'")
    if warning.method == "fixed":
        t = warning.thresholds
        if len(set(t)) != 4:
            problems.append("fixed thresholds must be four distinct cut points")
        if ind.plausible_min is not None and ind.plausible_max is not None and not (
            ind.plausible_min <= t[0] and t[-1] <= ind.plausible_max
        ):
            problems.append(f"thresholds {t} fall outside the plausible range")
        if ind.is_growth:
            if warning.on != "growth":
                problems.append("thresholds of a published growth apply to the growth")
            if t[-1] - t[0] > 60 or t[2] <= 0:
                problems.append(f"growth thresholds {t} are not a sensible 过冷…过热 scale (% growth)")
        elif ind.measure in ("flow", "stock") and warning.on != "growth":
            problems.append("fixed thresholds on a level's value do not compare across regions: use on: growth")
        elif ind.measure in ("rate", "index") and warning.on != "value":
            problems.append("thresholds of a rate or index apply to its value")

    if ind.growth_of:
        target = catalog.indicators.get(ind.growth_of)
        if target is None:
            problems.append(f"growth_of names unknown indicator '{ind.growth_of}'")
        else:
            if not ind.is_growth:
                problems.append("only a published growth belongs to a level (growth_of)")
            if target.frequency != ind.frequency:
                problems.append(f"growth_of '{target.code}' has frequency {target.frequency}, not {ind.frequency}")
            expected = {"ytd_growth": "ytd_level", "growth": "level"}.get(ind.publication)
            if target.publication != expected:
                problems.append(f"{ind.publication} belongs to a {expected}, '{target.code}' is {target.publication}")
            if target.jan_feb_combined != ind.jan_feb_combined:
                problems.append(f"jan_feb_combined differs from its level '{target.code}'")
            if target.domain != ind.domain:
                problems.append(f"growth_of '{target.code}' is in another group ({target.domain})")

    if ind.derived_from:
        source = catalog.indicators.get(ind.derived_from)
        if source is None:
            problems.append(f"derived_from names unknown indicator '{ind.derived_from}'")
        else:
            forms = (source.publication, ind.publication)
            another_form = (
                forms == ("ytd_level", "level")  # current period of an accumulated value
                or (source.is_growth and ind.publication == "index")  # 上年同期=100
                or (source.publication == "index" and ind.is_growth)
            )
            if not another_form:
                problems.append(f"{ind.publication} is not another published form of {source.publication} '{source.code}'")
            if (source.frequency, source.domain) != (ind.frequency, ind.domain):
                problems.append(f"derived_from '{source.code}' differs in frequency or group")
            if not set(ind.region_levels) <= set(source.region_levels):
                problems.append(f"derived_from '{source.code}' lacks some of the region levels")

    if ind.topic:
        group = catalog.groups.get(ind.topic)
        if group is None or group.kind != "topic" or not group.regions:
            problems.append(f"topic '{ind.topic}' must be a topic group with its regions")
        if not set(ind.region_levels) <= {"city", "county"}:
            problems.append("a city topic's indicators exist at city and county level only")
        if not ind.code.startswith(_topic_prefix(ind.topic)):
            problems.append(f"topic indicator codes start with '{_topic_prefix(ind.topic)}' so they never clash")
    elif ind.domain not in DOMAINS:
        problems.append(f"domain '{ind.domain}' is not one of the nine domains")

    demo = ind.demo
    if demo is None:
        if set(ind.region_levels) & SUBNATIONAL:
            problems.append("the demo generator needs a demo block for province, city and county indicators")
        return problems
    if ind.plausible_min is not None and ind.plausible_max is not None and not (
        ind.plausible_min <= demo.base <= ind.plausible_max
    ):
        problems.append(f"demo.base {demo.base} outside the plausible range [{ind.plausible_min}, {ind.plausible_max}]")
    if ind.measure in ("flow", "stock"):
        if demo.base <= 0:
            problems.append("a level's demo.base is a positive value of one period")
        if not 0 < demo.noise <= 0.3:
            problems.append(f"demo.noise {demo.noise} of a level is relative (0–0.3)")
        if not -20 <= demo.trend <= 60:
            problems.append(f"demo.trend {demo.trend} is not a plausible annual growth in %")
    else:
        if abs(demo.trend) > max(3.0, 0.05 * abs(demo.base)):
            problems.append(f"demo.trend {demo.trend} of a rate or index is a small drift per year")
        if ind.is_growth and demo.seasonal != "none":
            problems.append("published growth is already free of seasonality: demo.seasonal must be 'none'")
        if ind.is_growth and warning.method == "fixed":
            t = warning.thresholds
            if not t[0] - 10 <= demo.base <= t[-1] + 10:
                problems.append(f"demo.base {demo.base} far outside the warning scale {t}")
    return problems


@pytest.mark.parametrize("ind", list(CATALOG), ids=lambda i: i.code)
def test_indicator_metadata_makes_sense(ind):
    assert metadata_problems(ind, CATALOG) == []


# ---------------------------------------------------------------- groups


def test_every_domain_has_its_file():
    assert {g.code for g in CATALOG.domains} == set(DOMAINS)
    assert all(g.file == f"domains/{g.code}.yaml" for g in CATALOG.domains)


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_has_enough_indicators_with_growth_and_levels(domain):
    inds = CATALOG.in_group(domain)
    assert len(inds) >= 12, f"{domain}: {len(inds)} indicators"
    assert any(i.is_growth for i in inds), f"{domain} publishes no growth"
    assert any(i.publication in ("level", "ytd_level") for i in inds), f"{domain} publishes no levels"


def test_topics_are_self_contained():
    topics = {t.code: t for t in CATALOG.topics}
    assert topics["guilin_tourism"].regions == ["450300"]
    assert topics["liuzhou_industry"].regions == ["450200"]
    for code, topic in topics.items():
        assert len(CATALOG.in_group(code)) >= 6, f"{code}: {len(CATALOG.in_group(code))} indicators"
        assert topic.file.startswith("topics/")


@pytest.mark.parametrize("prefix", ["gdp", "va_primary", "va_secondary", "va_tertiary"])
def test_gdp_and_three_industries_in_all_published_forms(prefix):
    forms = {
        prefix: "ytd_level",
        f"{prefix}_q": "level",
        f"{prefix}_ytd_growth": "ytd_growth",
        f"{prefix}_q_index": "index",
        f"{prefix}_ytd_index": "index",
    }
    for code, publication in forms.items():
        assert code in CATALOG, code
        ind = CATALOG[code]
        assert (ind.domain, ind.frequency, ind.publication) == ("gdp", "Q", publication)
        assert "national" in ind.region_levels and "province" in ind.region_levels
    assert CATALOG[f"{prefix}_ytd_growth"].price_basis == "comparable"
    assert CATALOG[f"{prefix}_q_index"].unit == "上年同期=100"


def test_jan_feb_combined_where_statistics_combine_them():
    assert CATALOG["industrial_va_ytd_growth"].jan_feb_combined
    assert CATALOG["fai_ytd_growth"].jan_feb_combined
    assert CATALOG["retail_sales"].jan_feb_combined
    assert not CATALOG["fiscal_revenue"].jan_feb_combined  # finance departments report every month
    assert not CATALOG["cpi_yoy"].jan_feb_combined


# ---------------------------------------------------------------- validation errors

VALID = {
    "code": "test_level",
    "name_zh": "测试指标",
    "name_en": "Test indicator",
    "unit": "亿元",
    "frequency": "M",
    "publication": "ytd_level",
    "measure": "flow",
    "price_basis": "current",
    "source_unit": "自治区统计局",
    "release_lag_days": 15,
    "region_levels": ["province", "city"],
    "aggregation": "sum",
    "decimals": 2,
    "definition_zh": "用于测试的指标。",
    "definition_en": "An indicator for tests.",
}


def _write(directory: Path, relative: str, doc: dict) -> None:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _domain(code: str, *indicators: dict) -> dict:
    return {"domain": code, "name_zh": "测试", "name_en": "Test", "order": 1, "indicators": list(indicators)}


def test_minimal_catalog_loads(tmp_path):
    _write(tmp_path, "domains/macro.yaml", _domain("macro", VALID))
    assert [i.code for i in load_catalog(tmp_path)] == ["test_level"]


@pytest.mark.parametrize(
    "doc, expected",
    [
        (_domain("weather", VALID), ["domain", "weather"]),
        (_domain("macro", {k: v for k, v in VALID.items() if k != "unit"}), ["test_level", "unit", "Field required"]),
        (_domain("macro", {**VALID, "frequency": "W"}), ["test_level", "frequency"]),
        (_domain("macro", {**VALID, "publication": "ytd_growth", "measure": "rate", "aggregation": "weighted_mean"}),
         ["test_level", "unit '%'", "亿元"]),
        (_domain("macro", {**VALID, "warning": {"method": "fixed", "thresholds": [1, 2, 3]}}),
         ["test_level", "warning", "four thresholds"]),
        (_domain("macro", {**VALID, "warning": {"method": "fixed", "thresholds": [4, 3, 2, 1]}}),
         ["test_level", "warning", "ascending"]),
        (_domain("macro", {**VALID, "units": "亿元"}), ["test_level", "units", "not permitted"]),
        (_domain("macro", {**VALID, "growth_of": "nowhere"}), ["test_level", "growth_of", "nowhere"]),
    ],
    ids=["unknown-domain", "missing-field", "bad-frequency", "growth-in-yi-yuan", "three-thresholds",
         "descending-thresholds", "misspelt-field", "unknown-growth-of"],
)
def test_validation_error_names_file_and_field(tmp_path, doc, expected):
    _write(tmp_path, "domains/broken.yaml", doc)
    with pytest.raises(CatalogError) as err:
        load_catalog(tmp_path)
    message = str(err.value)
    if "growth_of" not in expected:  # cross-references are checked after all files are read
        assert "broken.yaml" in message
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_duplicate_code_names_both_groups(tmp_path):
    _write(tmp_path, "domains/macro.yaml", _domain("macro", VALID))
    _write(tmp_path, "domains/gdp.yaml", _domain("gdp", VALID))
    with pytest.raises(CatalogError, match=r"'test_level' appears in both gdp and macro"):
        load_catalog(tmp_path)


def test_unreadable_yaml_names_the_file(tmp_path):
    (tmp_path / "domains").mkdir()
    (tmp_path / "domains" / "macro.yaml").write_text("domain: macro\nindicators: [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"macro\.yaml: YAML"):
        load_catalog(tmp_path)


# ---------------------------------------------------------------- a third topic is one folder


def test_new_topic_folder_needs_no_code(tmp_path):
    catalog_dir = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, catalog_dir)
    port = {
        **VALID,
        "code": "beibu_port_throughput",
        "name_zh": "北部湾港货物吞吐量",
        "name_en": "Beibu Gulf Port cargo throughput",
        "unit": "万吨",
        "price_basis": "none",
        "source_unit": "自治区交通运输厅",
        "region_levels": ["city"],
        "decimals": 0,
        "plausible_min": 0,
        "plausible_max": 100000,
        "definition_zh": "北部湾港（防城港、钦州、北海港域）货物吞吐量，年初至本月末累计值。",
        "definition_en": "Cargo handled at Beibu Gulf Port (Fangchenggang, Qinzhou, Beihai), year to date.",
        "demo": {"base": 1700, "trend": 9.0, "seasonal": "output", "shares": "equal"},
    }
    growth = {
        **port,
        "code": "beibu_port_throughput_ytd_growth",
        "name_zh": "北部湾港货物吞吐量累计增长",
        "name_en": "Beibu Gulf Port cargo throughput, growth year to date",
        "unit": "%",
        "publication": "ytd_growth",
        "measure": "rate",
        "aggregation": "weighted_mean",
        "decimals": 1,
        "growth_of": "beibu_port_throughput",
        "warning": {"method": "fixed", "thresholds": [-5.0, 0.0, 10.0, 15.0]},
        "plausible_min": -60,
        "plausible_max": 100,
        "definition_zh": "北部湾港货物吞吐量年初至本月末累计值比上年同期增长的百分比。",
        "definition_en": "Year-to-date growth of Beibu Gulf Port cargo throughput over the same period a year earlier.",
        "demo": {"base": 9.0, "trend": -0.2, "noise": 1.5, "shares": "equal"},
    }
    _write(catalog_dir, "topics/beibu_port/port.yaml", {
        "topic": "beibu_port", "name_zh": "北部湾港口经济", "name_en": "Beibu Gulf port economy", "order": 3,
        "regions": ["450500", "450600", "450700"], "indicators": [port, growth],
    })

    catalog = load_catalog(catalog_dir)

    topic = catalog.groups["beibu_port"]
    assert (topic.kind, topic.regions, topic.file) == ("topic", ["450500", "450600", "450700"], "topics/beibu_port/port.yaml")
    assert [t.code for t in catalog.topics] == [t.code for t in CATALOG.topics] + ["beibu_port"]
    assert [i.code for i in catalog.in_group("beibu_port")] == ["beibu_port_throughput", "beibu_port_throughput_ytd_growth"]
    assert len(catalog) == len(CATALOG) + 2
    for ind in catalog.in_group("beibu_port"):
        assert ind.topic == "beibu_port"
        assert metadata_problems(ind, catalog) == []


# ---------------------------------------------------------------- external-series mapping

MAPPINGS = yaml.safe_load(MAPPINGS_FILE.read_text(encoding="utf-8"))
# (source unit, catalog unit) → scale
UNIT_SCALES = {("万千瓦时", "亿千瓦时"): 0.0001, ("吨", "万吨"): 0.0001}
NBS_UNITS = {"100 million yuan": "亿元", "preceding year=100": "上年同期=100"}
WIND_FREQUENCY = {"月": "M", "季": "Q", "年": "A"}


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def test_mapping_targets_are_catalog_indicators():
    prefixes = MAPPINGS["wind_region_prefixes"]
    assert prefixes["中国"] == "100000" and prefixes["广西"] == "450000"
    assert len([p for p, code in prefixes.items() if code.endswith("0000")]) == 32  # China and 31 provinces
    assert all(re.fullmatch(r"\d{6}", code) for code in prefixes.values())
    ids = [m["id"] for m in MAPPINGS["wind"] if m.get("id")]
    assert len(ids) == len(set(ids)), "a Wind 指标ID is mapped twice"
    by_name: dict[str, str] = {}
    for m in MAPPINGS["wind"]:
        assert m["indicator"] in CATALOG, m
        assert m["name"].split(":")[0] not in prefixes, f"{m['name']}: write the name without its region prefix"
        assert by_name.setdefault(m["name"], m["indicator"]) == m["indicator"], f"name {m['name']} maps to two indicators"
        catalog_unit = CATALOG[m["indicator"]].unit
        expected = 1 if m["unit"] == catalog_unit else UNIT_SCALES.get((m["unit"], catalog_unit))
        assert expected is not None and m["scale"] == pytest.approx(expected), f"{m}: {m['unit']} → {catalog_unit}"
    names = [_norm(m["name_en"]) for m in MAPPINGS["nbs"]] + [_norm(m["name_zh"]) for m in MAPPINGS["nbs"] if m.get("name_zh")]
    assert len(names) == len(set(names)), "an NBS name is mapped twice"
    for m in MAPPINGS["nbs"]:
        ind = CATALOG[m["indicator"]]
        assert ind.frequency == "Q" and "national" in ind.region_levels, m
        assert NBS_UNITS[m["unit_en"]] == ind.unit and m.get("unit_zh", ind.unit) == ind.unit, m
        assert m["scale"] == 1


@pytest.fixture(scope="module")
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        reason = f"real data folder {REAL_DATA} is absent (a fresh clone without ../shared)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + "; CI=true requires it")
        pytest.skip(reason)
    return REAL_DATA


def _read_wind(path: Path) -> tuple[dict[str, str], list[float]]:
    """The header block (key → value) and the numbers of a Wind export."""
    header, values = {}, []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        key, _, value = line.partition(",")
        if re.match(r"\d{4}/\d{1,2}/\d{1,2}$", key):
            if value.strip() not in ("", "#N/A"):
                values.append(float(value))
        elif not values:
            header[key.strip()] = value.strip()
    return header, values


def _outside(ind: Indicator, values: list[float]) -> list[float]:
    """Published values the importer would reject as implausible."""
    return [v for v in values if not ind.plausible_min <= v <= ind.plausible_max]


def test_every_wind_series_maps_to_one_indicator(real_data):
    files = sorted((real_data / "wind_exports").glob("*.csv"))
    assert files, f"no Wind exports in {real_data / 'wind_exports'}"
    prefixes = MAPPINGS["wind_region_prefixes"]
    problems = []
    for path in files:
        head, values = _read_wind(path)
        series_id, full_name = head["指标ID"], head["指标名称"]
        prefix, _, name = full_name.partition(":")
        entries = [m for m in MAPPINGS["wind"] if str(m.get("id")) == series_id] or [
            m for m in MAPPINGS["wind"] if not m.get("id") and m["name"] == name
        ]
        if len(entries) != 1:
            problems.append(f"{path.name}: {series_id} {full_name} matches {len(entries)} mapping entries")
            continue
        entry = entries[0]
        ind = CATALOG.indicators.get(entry["indicator"])
        level = "national" if prefixes.get(prefix) == "100000" else "province"
        if entry["name"] != name:
            problems.append(f"{path.name}: mapped name {entry['name']!r} differs from {name!r}")
        if prefix not in prefixes:
            problems.append(f"{path.name}: region prefix {prefix!r} unknown")
        if ind is None:
            problems.append(f"{path.name}: unknown indicator {entry['indicator']}")
            continue
        if WIND_FREQUENCY[head["频率"]] != ind.frequency:
            problems.append(f"{path.name}: 频率 {head['频率']} but {ind.code} is {ind.frequency}")
        if level not in ind.region_levels:
            problems.append(f"{path.name}: {ind.code} has no {level} level")
        if entry["unit"] != head["单位"]:
            problems.append(f"{path.name}: 单位 {head['单位']} but the mapping says {entry['unit']}")
        if outside := _outside(ind, [v * entry["scale"] for v in values]):
            problems.append(f"{path.name}: {outside[:3]} outside {ind.code}'s plausible range")
    assert problems == []


def _nbs_rows(path: Path) -> list[tuple[str, str, list[float]]]:
    """(name, unit, values) of every indicator row: the unit bracket removed from the label, as the
    importer reads it."""
    rows, in_table = [], False
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        label, *cells = [c.strip() for c in line.split("\t,")]
        if label == "Indicators":
            in_table = True
            continue
        if not in_table or not label:
            continue
        if re.match(r"(Note|Data Sources?)\s*[：:]", label):
            break
        unit_bracket = list(re.finditer(r"\(([^()]*)\)", label))[-1]
        name = (label[: unit_bracket.start()].rstrip() + label[unit_bracket.end():]).strip()
        values = [float(c) for c in cells if c]
        rows.append((re.sub(r"\s+,", ",", name), unit_bracket.group(1).strip(), values))
    return rows


def test_every_nbs_row_maps_to_one_indicator(real_data):
    files = sorted((real_data / "nbs_exports").glob("*.csv"))
    assert len(files) >= 2, f"NBS exports missing in {real_data / 'nbs_exports'}"
    problems, seen = [], 0
    for path in files:
        for name, unit, values in _nbs_rows(path):
            seen += 1
            entries = [m for m in MAPPINGS["nbs"] if _norm(m["name_en"]) == _norm(name)]
            if len(entries) != 1:
                problems.append(f"{path.name}: {name!r} matches {len(entries)} mapping entries")
                continue
            entry, ind = entries[0], CATALOG.indicators.get(entries[0]["indicator"])
            if ind is None:
                problems.append(f"{path.name}: unknown indicator {entry['indicator']}")
                continue
            publication = "index" if unit == "preceding year=100" else ("level" if "Current Quarter" in name else "ytd_level")
            if (ind.frequency, ind.publication) != ("Q", publication) or "national" not in ind.region_levels:
                problems.append(f"{path.name}: {name!r} is a national quarterly {publication}, {ind.code} is not")
            if entry["unit_en"] != unit:
                problems.append(f"{path.name}: {name!r} in {unit!r}, the mapping says {entry['unit_en']!r}")
            if outside := _outside(ind, [v * entry["scale"] for v in values]):
                problems.append(f"{path.name}: {name!r} values {outside[:3]} outside {ind.code}'s plausible range")
    assert seen >= 64, f"only {seen} NBS rows read"
    assert problems == []
