"""What every browser test needs: headless Debian Chromium, a real server process on a database,
and a page that records console errors, failed requests and requests off the server."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import json
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ON_CI = os.environ.get("CI", "").lower() == "true"
VIEWPORT = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


def require_browser():
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} not installed"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            problem = f"playwright not importable: {exc}"
    if problem:
        if ON_CI:
            pytest.fail(f"browser tests cannot run on CI: {problem}")
        pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(database_url: str, log_dir: Path, extra_env: dict | None = None):
    """``python app.py serve`` on a free port over ``database_url``; yields its base URL."""
    port = _free_port()
    log = log_dir / "server.log"
    env = {**os.environ, "ECONBRAIN_DATABASE_URL": database_url, "ECONBRAIN_DEBUG": "false",
           "ECONBRAIN_AUTO_REFRESH": "false", **(extra_env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "app.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Watched:
    """A page with everything that went wrong recorded: console errors, failed requests, and
    requests to any host other than the server."""

    def __init__(self, browser, base: str, viewport: dict | None = None):
        self.base = base
        self.host = urlparse(base).netloc
        self.context = browser.new_context(viewport=viewport or VIEWPORT, locale="zh-CN")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.off_server: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url} {r.status}") if r.status >= 400 else None)
        self.page.on("request", self._request)

    def _request(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.netloc != self.host:
            self.off_server.append(request.url)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")
        self.page.wait_for_selector("#shell-demo-banner", state="visible")

    def check_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        assert self.off_server == [], self.off_server

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.wait_for_timeout(400)  # let transitions settle
        self.page.screenshot(path=str(path))
        return path

    def close(self) -> None:
        self.context.close()


# ---- maps drawn as SVG shapes (figures/shapes.py) ----------------------------------------------------

def areas_drawn(selector: str) -> str:
    """A page function counting the areas the map graph at ``selector`` actually drew: the filled SVG
    paths of the traces its figure names as areas (``layout.meta.areas``); -1 before it has drawn."""
    return """() => {
  const gd = document.querySelector('%s .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd.layout.meta || !gd.layout.meta.areas) return -1;
  const fills = [...gd.querySelectorAll('.scatterlayer .trace')].slice(0, gd.layout.meta.areas.length)
    .filter(t => { const f = t.querySelector('.js-fill'); return f && (f.getAttribute('d') || '').length > 10; });
  return fills.length;
}""" % selector


PROJECT = """([selector, lon, lat]) => {
  const gd = document.querySelector(selector + ' .js-plotly-plot');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.querySelector('.main-svg').getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(lon), box.top + ya._offset + ya.l2p(lat)];
}"""


def interior_point(adcode: str) -> tuple[float, float]:
    """A point well inside the area's largest polygon (grid point farthest from its outline)."""
    name = "guangxi_cities.geojson" if adcode.endswith("00") else "guangxi_counties.geojson"
    features = json.loads((ROOT / "data" / "geo" / name).read_text(encoding="utf-8"))["features"]
    geom = next(f["geometry"] for f in features if f["properties"]["adcode"] == adcode)
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    ring = np.asarray(max(polys, key=lambda p: len(p[0]))[0], dtype=float)
    xs, ys = np.meshgrid(np.linspace(ring[:, 0].min(), ring[:, 0].max(), 40),
                         np.linspace(ring[:, 1].min(), ring[:, 1].max(), 40))
    points = np.column_stack([xs.ravel(), ys.ravel()])
    x0, y0, x1, y1 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    px, py = points[:, :1], points[:, 1:]
    crosses = ((y0 > py) != (y1 > py)) & (px < (x1 - x0) * (py - y0) / np.where(y1 == y0, 1e-12, y1 - y0) + x0)
    inside = points[crosses.sum(axis=1) % 2 == 1]
    distance = np.min(np.hypot(inside[:, :1] - ring[:, 0], inside[:, 1:] - ring[:, 1]), axis=1)
    lon, lat = inside[int(np.argmax(distance))]
    return float(lon), float(lat)


def click_map_area(page, selector: str, adcode: str) -> None:
    """Click well inside an area of the map graph at ``selector``."""
    x, y = page.evaluate(PROJECT, [selector, *interior_point(adcode)])
    page.mouse.click(x, y)
