import csv

import pytest

from indicators.regions import CITY_CODES, GUANGXI, NATIONAL, Region, RegionError, load_regions

REGIONS = load_regions()


def test_guangxi_has_126_units_14_cities_111_counties():
    units = REGIONS.guangxi_units()
    assert len(units) == 126
    assert units[0].adcode == GUANGXI
    assert [c.adcode for c in REGIONS.cities()] == list(CITY_CODES)
    assert len(REGIONS.counties()) == 111
    assert {c.parent for c in REGIONS.counties()} == set(CITY_CODES)
    assert sum(len(REGIONS.counties(city)) for city in CITY_CODES) == 111


def test_national_and_31_mainland_provinces():
    assert REGIONS[NATIONAL].level == "national" and REGIONS[NATIONAL].parent is None
    provinces = REGIONS.level("province")
    assert len(provinces) == 31
    assert all(p.parent == NATIONAL for p in provinces)
    assert not {"710000", "810000", "820000"} & {p.adcode for p in provinces}
    assert REGIONS["440000"] == Region("440000", "广东省", "广东", "Guangdong", "province",
                                       NATIONAL, True, REGIONS["440000"].order)


def test_current_divisions_have_right_parents():
    hengzhou, pingguo = REGIONS["450127"], REGIONS["451082"]
    assert (hengzhou.name_zh, hengzhou.short_zh, hengzhou.name_en) == ("横州市", "横州", "Hengzhou")
    assert hengzhou.parent == "450100" and hengzhou.level == "county"
    assert (pingguo.name_zh, pingguo.parent) == ("平果市", "451000")
    assert REGIONS["450381"].name_zh == "荔浦市" and REGIONS["450381"].parent == "450300"
    assert REGIONS["451381"].name_zh == "合山市" and REGIONS["451381"].parent == "451300"
    assert REGIONS["451081"].name_zh == "靖西市" and REGIONS["451081"].parent == "451000"
    assert "450127" in REGIONS and 450127 in REGIONS and "450122" not in REGIONS  # 横县 is gone


def test_english_names_use_place_name_readings():
    assert REGIONS["450103"].name_en == "Qingxiu District"
    assert REGIONS["450405"].name_en == "Changzhou District"  # 长 cháng, not zhǎng
    assert REGIONS["450804"].name_en == "Qintang District"
    assert REGIONS["451228"].name_en == "Du'an Yao Autonomous County"
    assert REGIONS["450422"].short_zh == "藤县"


@pytest.mark.parametrize("text", [
    "450100", 450100, "450100000000", "南宁市", "南宁", "Nanning", "nanning", " NANNING ",
    "广西南宁市", "广西壮族自治区南宁市", "广西南宁",
])
def test_find_city_by_any_name(text):
    assert REGIONS.find(text).adcode == "450100"


@pytest.mark.parametrize("text", [
    "青秀区", "青秀", "Qingxiu District", "南宁市青秀区", "广西南宁市青秀区", "广西壮族自治区南宁市青秀区",
])
def test_find_county_by_any_name(text):
    assert REGIONS.find(text).adcode == "450103"


def test_find_provinces_and_nation():
    assert REGIONS.find("广西").adcode == GUANGXI
    assert REGIONS.find("广西壮族自治区").adcode == GUANGXI
    assert REGIONS.find("Inner Mongolia").adcode == "150000"
    assert REGIONS.find("全国").adcode == NATIONAL


@pytest.mark.parametrize("text", ["火星市", "Atlantis", "999999", "广东南宁市"])
def test_find_unknown_is_bilingual(text):
    with pytest.raises(RegionError, match=f"未知地区“{text}” / unknown region '{text}'"):
        REGIONS.find(text)


def write_table(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["adcode", "name_zh", "short_zh", "name_en", "level", "parent", "peer", "order"])
        writer.writerows(rows)


def test_find_prefers_full_names_and_reports_ambiguity(tmp_path):
    path = tmp_path / "regions.csv"
    write_table(path, [
        ["100000", "中华人民共和国", "全国", "China", "national", "", 0, 0],
        ["630000", "青海省", "青海", "Qinghai", "province", "100000", 0, 1],
        ["630100", "西宁市", "西宁", "Xining", "city", "630000", 0, 2],
        ["630102", "城东区", "城东", "Chengdong District", "county", "630100", 0, 3],
        ["630200", "海东市", "海东", "Haidong", "city", "630000", 0, 4],
        ["630202", "城东区", "城东", "Chengdong District 2", "county", "630200", 0, 5],
        ["630300", "城东", "城东市", "Chengdong", "city", "630000", 0, 6],
    ])
    regions = load_regions(path)
    assert regions.find("城东").adcode == "630300"  # an exact full name beats two short names
    assert regions.find("海东市城东区").adcode == "630202"
    with pytest.raises(RegionError, match="未知地区“城东区”.*630102.*630202") as err:
        regions.find("城东区")
    assert "ambiguous" in str(err.value)


def test_malformed_table_is_refused(tmp_path):
    path = tmp_path / "regions.csv"
    write_table(path, [["100000", "中华人民共和国", "全国", "China", "national", "", 0, 0],
                       ["450100", "南宁市", "南宁", "Nanning", "city", "450000", 0, 1]])
    with pytest.raises(RegionError, match="450000"):
        load_regions(path)


def test_hierarchy_navigation():
    assert [r.adcode for r in REGIONS.ancestors("450103")] == ["450100", GUANGXI]
    assert REGIONS.ancestors(GUANGXI) == []
    assert [r.adcode for r in REGIONS.children(GUANGXI)] == list(CITY_CODES)
    assert [r.short_zh for r in REGIONS.counties("南宁")][-1] == "横州"
    with pytest.raises(RegionError, match="不是广西的地级市 / .* is not a city of Guangxi"):
        REGIONS.counties("广东")
    with pytest.raises(KeyError):
        REGIONS["000000"]


def test_peers():
    peers = {r.short_zh for r in REGIONS.peers()}
    assert {"广东", "云南", "贵州", "湖南", "海南", "四川", "重庆"} <= peers
    assert {"内蒙古", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"} <= peers
    assert len(peers) == 14 and "广西" not in peers
    assert all(r.level == "province" for r in REGIONS.peers())


def test_region_names_and_order():
    nanning = REGIONS["450100"]
    assert nanning.name() == "南宁市" and nanning.name("en") == "Nanning"
    with pytest.raises(RegionError):
        nanning.name("fr")
    orders = [r.order for r in REGIONS]
    assert orders == sorted(orders) and len(set(orders)) == len(REGIONS)
    assert load_regions() is REGIONS  # the default table is loaded once
