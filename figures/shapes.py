"""Boundary polygons as plotly paths: the maps of the project drawn as filled SVG shapes on plain
axes (no WebGL map). Vector shapes stay sharp when a canvas is scaled, draw in tens of
milliseconds where a WebGL map takes hundreds on a machine without a GPU, and hold no WebGL
context on a page that stays open for days.
"""

from __future__ import annotations

import math

import numpy as np

# label offsets (degrees lon, lat) where the three small coastal cities' names would collide
LABEL_NUDGE = {"450500": (0.15, -0.22), "450600": (-0.25, -0.05), "450700": (0.0, 0.12)}


def outer_rings(geometry: dict) -> list[np.ndarray]:
    """The outer ring of each polygon of a (Multi)Polygon, as lon/lat arrays."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [np.asarray(poly[0], dtype=float) for poly in polys]


def path(rings: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """x and y of the rings joined by gaps (NaN), for one filled scatter trace: float32 arrays, because
    plotly checks a list element by element (a map has tens of thousands) and sends an array as
    binary; four bytes keep a coordinate to about a metre."""
    gap = np.array([np.nan])
    xs = np.concatenate([part for ring in rings for part in (ring[:, 0], gap)]).astype(np.float32)
    ys = np.concatenate([part for ring in rings for part in (ring[:, 1], gap)]).astype(np.float32)
    return xs, ys


def centroid(ring: np.ndarray) -> tuple[float, float]:
    """Area-weighted centroid of a closed ring (the shoelace formula), for an area's label."""
    x, y = ring[:, 0], ring[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    return float(((x[:-1] + x[1:]) * cross).sum() / (6 * area)), float(((y[:-1] + y[1:]) * cross).sum() / (6 * area))


def ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs((x[:-1] * y[1:] - x[1:] * y[:-1]).sum()) / 2


def extent(rings: list[np.ndarray]) -> tuple[float, float, float, float]:
    """West, east, south, north of the rings."""
    lon = np.concatenate([r[:, 0] for r in rings])
    lat = np.concatenate([r[:, 1] for r in rings])
    return float(lon.min()), float(lon.max()), float(lat.min()), float(lat.max())


def map_axes(fig, bounds: tuple[float, float, float, float]) -> None:
    """Hidden, fixed axes over ``bounds`` (west, east, south, north) with a degree of longitude as
    wide as cos(latitude) degrees of latitude: the shape keeps its form and is centred in the figure."""
    west, east, south, north = bounds
    mid_lat = (south + north) / 2
    fig.update_xaxes(visible=False, fixedrange=True, range=[west, east], constrain="domain")
    fig.update_yaxes(visible=False, fixedrange=True, range=[south, north], constrain="domain",
                     scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid_lat)))
