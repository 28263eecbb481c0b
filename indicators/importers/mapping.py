"""External series (Wind, NBS) → catalog indicator and region, through a user-extensible table.

The shipped rules live in ``mappings.yaml`` and are copied into the ``series_mappings`` table;
users add their own rows there (``python app.py mapping add …``) without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from indicators.regions import NATIONAL

MAPPINGS_FILE = Path(__file__).parent / "mappings.yaml"


@dataclass(frozen=True)
class Target:
    indicator: str
    region: str | None
    unit: str | None
    scale: float


def shipped_mappings(path: Path = MAPPINGS_FILE) -> tuple[list[dict], dict[str, str]]:
    """Rows for the ``series_mappings`` table, and Wind's region prefixes (e.g. 广东 → 440000)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = []
    for m in doc.get("wind", []):
        rows.append(dict(source="wind", external_id=str(m["id"]) if m.get("id") else None,
                         external_name=m["name"], indicator=m["indicator"], region=m.get("region"),
                         unit=m.get("unit"), scale=float(m.get("scale", 1))))
    for m in doc.get("nbs", []):
        for lang in ("en", "zh"):
            name = m.get(f"name_{lang}")
            if name:
                rows.append(dict(source="nbs", external_id=None, external_name=normalise_name(name), indicator=m["indicator"],
                                 region=m.get("region", NATIONAL), unit=m.get(f"unit_{lang}"),
                                 scale=float(m.get("scale", 1))))
    unique = {(r["source"], r["external_name"], r["external_id"]): r for r in rows}
    return list(unique.values()), {str(k): str(v) for k, v in (doc.get("wind_region_prefixes") or {}).items()}


def normalise_name(name: str) -> str:
    """Compare names without case, bracketed units or spacing differences."""
    name = re.sub(r"[(（][^()（）]*[)）]\s*$", "", str(name)).strip()
    return re.sub(r"\s+", " ", name).lower()


def _text(value) -> str | None:
    """A table cell as text, or None for empty and missing (NULL reads back as NaN)."""
    return value if isinstance(value, str) and value else None


class Mapper:
    def __init__(self, table: pd.DataFrame, prefixes: dict[str, str]):
        self.by_id = {}
        self.by_name = {}
        for r in table.itertuples(index=False):
            target = Target(r.indicator, _text(r.region), _text(r.unit), float(r.scale))
            if _text(r.external_id):
                self.by_id[(r.source, str(r.external_id))] = target
            self.by_name[(r.source, normalise_name(r.external_name))] = target
        self.prefixes = prefixes

    def wind(self, external_id: str, external_name: str) -> Target | None:
        """By 指标ID first, then by name with the region prefix (``广东:``) split off."""
        prefix, _, rest = str(external_name).partition(":")
        region = self.prefixes.get(prefix.strip()) if rest else None
        target = self.by_id.get(("wind", str(external_id))) or self.by_name.get(("wind", normalise_name(rest or external_name)))
        if target is None:
            return None
        return Target(target.indicator, target.region or region, target.unit, target.scale)

    def nbs(self, external_name: str) -> Target | None:
        return self.by_name.get(("nbs", normalise_name(external_name)))
