"""Development-index definitions (经济发展指数): ``indices.yaml`` loaded into validated records.

An index is data, like the catalog: which indicators enter, in which direction and form, how they
are weighted, its base period, region levels and frequency. ``models.indices`` computes; services
assemble the panel from this definition. Loading fails loudly, naming the file, the index and the
field, and (by default) checks every component against the indicator catalog.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from indicators.registry import Catalog, default_catalog

INDICES_FILE = Path(__file__).with_name("indices.yaml")

# a component can feed an index of its own frequency or a coarser one (monthly → quarterly)
FREQUENCY_RANK = {"M": 0, "Q": 1, "A": 2}
PERIOD_PATTERNS = {"M": r"^\d{4}-(0[1-9]|1[0-2])$", "Q": r"^\d{4}Q[1-4]$", "A": r"^\d{4}$"}
# year-on-year growth is computed from levels, so only indicators published as levels qualify
YOY_PUBLICATIONS = ("level", "ytd_level")


class IndexSpecError(ValueError):
    """An index definition that does not meet the schema or does not match the catalog."""


class Component(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indicator: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    direction: Literal[1, -1] = 1
    transform: Literal["level", "yoy"] = "level"
    weight: float | None = Field(default=None, ge=0)


class IndexSpec(BaseModel):
    """One index: ``weighting`` is equal | entropy | pca (computed) or fixed (``weight`` on every
    component, summing to one); ``model`` is the ``models`` registry name that computes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    model: Literal["development_index", "city_ranking"] = "development_index"
    frequency: Literal["M", "Q", "A"]
    region_levels: list[Literal["national", "province", "city", "county"]] = Field(min_length=1)
    base_period: str | None = None
    weighting: Literal["equal", "entropy", "pca", "fixed"]
    normalisation: Literal["efficacy", "ratio"] = "efficacy"
    components: list[Component] = Field(min_length=2)

    @model_validator(mode="before")
    @classmethod
    def _period_as_text(cls, data):
        # YAML reads `base_period: 2020` as an integer
        if isinstance(data, dict) and isinstance(data.get("base_period"), int):
            data = {**data, "base_period": str(data["base_period"])}
        return data

    @model_validator(mode="after")
    def _consistent(self):
        codes = [c.indicator for c in self.components]
        if len(set(codes)) != len(codes):
            raise ValueError(f"an indicator appears twice among the components: {codes}")
        if self.model == "development_index" and not self.base_period:
            raise ValueError("a development index needs a base_period")
        if self.base_period and not re.match(PERIOD_PATTERNS[self.frequency], self.base_period):
            raise ValueError(f"base_period '{self.base_period}' does not match frequency {self.frequency}")
        weights = [c.weight for c in self.components]
        if self.weighting == "fixed":
            if any(w is None for w in weights):
                raise ValueError("fixed weighting needs a weight on every component")
            if abs(sum(weights) - 1.0) > 1e-6:
                raise ValueError(f"fixed weights must sum to 1, found {sum(weights):g}")
        elif any(w is not None for w in weights):
            raise ValueError(f"weights are given but weighting is '{self.weighting}'")
        if self.model == "city_ranking" and self.region_levels != ["city"]:
            raise ValueError("a city ranking is computed for region level 'city' only")
        return self

    @property
    def directions(self) -> dict[str, int]:
        return {c.indicator: c.direction for c in self.components}

    @property
    def weighting_argument(self):
        """What ``models.indices`` takes as ``weighting``: a name, or the fixed weights mapping."""
        if self.weighting == "fixed":
            return {c.indicator: c.weight for c in self.components}
        return self.weighting

    def name_in(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


def catalog_problems(spec: IndexSpec, catalog: Catalog) -> list[str]:
    """Everything about ``spec`` the catalog contradicts (an empty list when it is sound)."""
    problems = []
    for c in spec.components:
        if c.indicator not in catalog:
            problems.append(f"{c.indicator}: not in the indicator catalog")
            continue
        ind = catalog[c.indicator]
        if FREQUENCY_RANK[ind.frequency] > FREQUENCY_RANK[spec.frequency]:
            problems.append(f"{c.indicator}: published {ind.frequency}, too coarse for a {spec.frequency} index")
        lacking = [lvl for lvl in spec.region_levels if lvl not in ind.region_levels]
        if lacking:
            problems.append(f"{c.indicator}: not published for region level(s) {', '.join(lacking)}")
        if c.transform == "yoy" and ind.publication not in YOY_PUBLICATIONS:
            problems.append(f"{c.indicator}: transform 'yoy' needs a level, but it is published as {ind.publication}")
    return problems


def load_index_specs(path: Path | str | None = None, catalog: Catalog | None = None,
                     check_catalog: bool = True) -> dict[str, IndexSpec]:
    """Load and validate the index definitions, keyed by name, in file order.

    Parameters
    ----------
    path : path, optional
        The YAML file; default ``indicators/indices.yaml``.
    catalog : Catalog, optional
        The catalog to check components against; default the shipped catalog.
    check_catalog : bool
        Check that every component exists with a fine enough frequency, the index's region levels
        and a publication its transform can use.
    """
    path = Path(path) if path else INDICES_FILE
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise IndexSpecError(f"指数定义错误 / index definition error in {path.name}: YAML: {exc}") from exc
    entries = doc.get("indices") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise IndexSpecError(f"指数定义错误 / index definition error in {path.name}: expected a list under 'indices'")
    specs: dict[str, IndexSpec] = {}
    for n, entry in enumerate(entries):
        where = f"indices[{n}] ({entry.get('name', '?') if isinstance(entry, dict) else '?'})"
        try:
            spec = IndexSpec.model_validate(entry)
        except ValidationError as exc:
            details = "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'index'}: {e['msg']}" for e in exc.errors())
            raise IndexSpecError(f"指数定义错误 / index definition error in {path.name}: {where}: {details}") from exc
        if spec.name in specs:
            raise IndexSpecError(f"指数定义错误 / index definition error in {path.name}: {where}: duplicate name")
        specs[spec.name] = spec
    if check_catalog:
        catalog = catalog or default_catalog()
        for spec in specs.values():
            problems = catalog_problems(spec, catalog)
            if problems:
                raise IndexSpecError(f"指数定义与指标目录不符 / index definition error in {path.name}: "
                                     f"{spec.name}: {'; '.join(problems)}")
    return specs

