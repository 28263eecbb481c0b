"""The indicator catalog: data files loaded and validated into typed records.

One YAML file per domain (``catalog/domains/*.yaml``) and one per special topic
(``catalog/topics/*.yaml`` or ``catalog/topics/<topic>/*.yaml``). A new topic is a new file or
folder; nothing in the code lists topics. Loading fails loudly, naming the file and the field.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CATALOG_DIR = Path(__file__).parent / "catalog"

DOMAINS = (
    "macro", "gdp", "industry", "investment", "consumption", "trade", "living", "fiscal", "employment",
)
REGION_LEVELS = ("national", "province", "city", "county")

Frequency = Literal["M", "Q", "A"]
# How the figure is published: a period's level (当月值/当季值/年值), a year-to-date level (累计值),
# growth over the same period a year earlier (同比, %), year-to-date growth (累计增长, %),
# or an index (e.g. 上年同期=100, or a diffusion index such as the PMI).
Publication = Literal["level", "ytd_level", "growth", "ytd_growth", "index"]
# Whether levels add up over time (flow), are end-of-period positions (stock), or are rates.
Measure = Literal["flow", "stock", "rate", "index"]
PriceBasis = Literal["current", "constant", "comparable", "none"]
Polarity = Literal["higher_better", "lower_better", "neutral", "band"]
Aggregation = Literal["sum", "mean", "weighted_mean", "none"]


class CatalogError(ValueError):
    """A catalog file that does not meet the schema."""


class Warning_(BaseModel):
    """Signal-light thresholds: four cut points → five zones, or how to derive them."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["fixed", "quantile", "none"] = "quantile"
    thresholds: list[float] | None = None  # ascending: 过冷|偏冷|正常|偏热|过热 boundaries
    quantiles: list[float] = Field(default_factory=lambda: [0.10, 0.25, 0.75, 0.90])
    on: Literal["value", "growth"] = "growth"

    @model_validator(mode="after")
    def _check(self):
        if self.method == "fixed":
            if not self.thresholds or len(self.thresholds) != 4:
                raise ValueError("method 'fixed' needs exactly four thresholds")
            if sorted(self.thresholds) != self.thresholds:
                raise ValueError("thresholds must be ascending")
        if len(self.quantiles) != 4 or sorted(self.quantiles) != self.quantiles:
            raise ValueError("quantiles must be four ascending numbers")
        return self


class Demo(BaseModel):
    """How the demo generator draws this indicator (ignored for real data)."""

    model_config = ConfigDict(extra="forbid")
    base: float  # Guangxi value in 2015 (level: per period at publication frequency; rate: mean)
    trend: float = 0.0  # annual growth of levels, % (or drift per year for rates)
    cycle: float = 1.0  # sensitivity to the common business cycle
    noise: float = 0.02  # relative (levels) or absolute (rates) irregular
    seasonal: Literal["none", "output", "retail", "investment", "fiscal", "tourism", "energy"] = "none"
    shares: Literal["gdp", "population", "industry", "tourism", "equal"] = "gdp"
    national: float | None = None  # China's value in the same period, when not a multiple of Guangxi's


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    domain: str  # one of DOMAINS, or the topic code for special topics
    topic: str | None = None
    unit: str
    frequency: Frequency
    publication: Publication
    measure: Measure
    price_basis: PriceBasis = "none"
    source_unit: str
    release_lag_days: int = Field(ge=0, le=400)
    polarity: Polarity = "higher_better"
    warning: Warning_ = Field(default_factory=Warning_)
    region_levels: list[Literal["national", "province", "city", "county"]]
    aggregation: Aggregation
    decimals: int = Field(ge=0, le=4)
    jan_feb_combined: bool = False  # January not published alone (1-2月合并发布)
    growth_of: str | None = None  # for published growth: the level indicator it belongs to
    # the same quantity published in another form: a current-quarter value of an accumulated one,
    # or an index (上年同期=100) of a published growth rate
    derived_from: str | None = None
    plausible_min: float | None = None
    plausible_max: float | None = None
    definition_zh: str
    definition_en: str
    order: int = 0
    demo: Demo | None = None

    @property
    def is_growth(self) -> bool:
        return self.publication in ("growth", "ytd_growth")

    @property
    def is_ytd(self) -> bool:
        return self.publication in ("ytd_level", "ytd_growth")

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @field_validator("region_levels")
    @classmethod
    def _levels(cls, v):
        if not v:
            raise ValueError("at least one region level")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        if self.is_growth and self.unit not in ("%",):
            raise ValueError(f"growth publication must have unit '%', found '{self.unit}'")
        if self.publication == "ytd_level" and self.measure != "flow":
            raise ValueError("a year-to-date level must be a flow")
        if self.jan_feb_combined and self.frequency != "M":
            raise ValueError("jan_feb_combined applies to monthly indicators only")
        if self.aggregation == "sum" and self.measure in ("rate", "index"):
            raise ValueError(f"a {self.measure} cannot be aggregated by sum")
        if (
            self.plausible_min is not None
            and self.plausible_max is not None
            and self.plausible_min >= self.plausible_max
        ):
            raise ValueError("plausible_min must be below plausible_max")
        return self


class Group(BaseModel):
    """A domain or a special topic: the heading under which indicators are shown."""

    model_config = ConfigDict(frozen=True)
    code: str
    kind: Literal["domain", "topic"]
    name_zh: str
    name_en: str
    order: int
    regions: list[str] | None = None  # a topic may be about one city (adcodes)
    file: str


class Catalog:
    """All indicators and groups, by code, in display order."""

    def __init__(self, groups: list[Group], indicators: list[Indicator]):
        self.groups = {g.code: g for g in sorted(groups, key=lambda g: (g.kind != "domain", g.order))}
        self.indicators = {i.code: i for i in sorted(indicators, key=lambda i: (self._group_order(i), i.order))}

    def _group_order(self, ind: Indicator):
        g = self.groups[ind.domain]
        return (g.kind != "domain", g.order)

    def __getitem__(self, code: str) -> Indicator:
        return self.indicators[code]

    def __contains__(self, code: str) -> bool:
        return code in self.indicators

    def get(self, code: str, default: Indicator | None = None) -> Indicator | None:
        return self.indicators.get(code, default)

    def __iter__(self):
        return iter(self.indicators.values())

    def __len__(self):
        return len(self.indicators)

    def in_group(self, group: str) -> list[Indicator]:
        return [i for i in self if i.domain == group]

    @property
    def domains(self) -> list[Group]:
        return [g for g in self.groups.values() if g.kind == "domain"]

    @property
    def topics(self) -> list[Group]:
        return [g for g in self.groups.values() if g.kind == "topic"]


def _catalog_files(directory: Path) -> list[Path]:
    files = sorted((directory / "domains").glob("*.yaml"))
    topics = directory / "topics"
    files += sorted(topics.glob("*.yaml")) + sorted(topics.glob("*/*.yaml"))
    return files


def _fail(path: Path, where: str, msg: str) -> CatalogError:
    return CatalogError(f"指标目录错误 / catalog error in {path.name}: {where}: {msg}")


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Load and validate every catalog file under ``directory`` (default: the shipped catalog)."""
    directory = Path(directory) if directory else CATALOG_DIR
    groups: list[Group] = []
    indicators: list[Indicator] = []
    files = _catalog_files(directory)
    if not files:
        raise CatalogError(f"指标目录为空 / no catalog files under {directory}")
    for path in files:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise _fail(path, "YAML", str(exc)) from exc
        if not isinstance(doc, dict):
            raise _fail(path, "top level", "expected a mapping")
        kind = "topic" if "topic" in doc else "domain"
        code = doc.get(kind)
        if kind == "domain" and code not in DOMAINS:
            raise _fail(path, "domain", f"expected one of {', '.join(DOMAINS)}, found {code!r}")
        try:
            group = Group(
                code=code, kind=kind, name_zh=doc["name_zh"], name_en=doc["name_en"],
                order=doc.get("order", 0), regions=[str(r) for r in doc.get("regions", [])] or None,
                file=str(path.relative_to(directory)),
            )
        except (KeyError, ValidationError) as exc:
            raise _fail(path, kind, str(exc)) from exc
        groups.append(group)
        for n, entry in enumerate(doc.get("indicators") or []):
            where = f"indicators[{n}] ({entry.get('code', '?') if isinstance(entry, dict) else '?'})"
            if not isinstance(entry, dict):
                raise _fail(path, where, "expected a mapping")
            entry = {**entry, "domain": code, "topic": code if kind == "topic" else None}
            warning = entry.get("warning")
            if isinstance(warning, dict) and True in warning:  # YAML 1.1 reads a bare `on:` key as True
                entry["warning"] = {("on" if k is True else k): v for k, v in warning.items()}
            entry.setdefault("order", n)
            try:
                indicators.append(Indicator.model_validate(entry))
            except ValidationError as exc:
                details = "; ".join(
                    f"{'.'.join(str(x) for x in e['loc']) or 'indicator'}: {e['msg']}" for e in exc.errors()
                )
                raise _fail(path, where, details) from exc
    _check_cross_references(groups, indicators, files)
    return Catalog(groups, indicators)


def _check_cross_references(groups: list[Group], indicators: list[Indicator], files: list[Path]) -> None:
    seen: dict[str, str] = {}
    for g in groups:
        if g.code in seen:
            raise CatalogError(f"指标目录错误 / catalog error: group '{g.code}' defined in {seen[g.code]} and {g.file}")
        seen[g.code] = g.file
    codes: dict[str, str] = {}
    for ind in indicators:
        if ind.code in codes:
            raise CatalogError(
                f"指标目录错误 / catalog error: indicator code '{ind.code}' appears in both "
                f"{codes[ind.code]} and {ind.domain}"
            )
        codes[ind.code] = ind.domain
    for ind in indicators:
        for link in ("growth_of", "derived_from"):
            target = getattr(ind, link)
            if target and target not in codes:
                raise CatalogError(
                    f"指标目录错误 / catalog error: {ind.code}.{link} names unknown indicator '{target}'"
                )


@functools.cache
def default_catalog() -> Catalog:
    return load_catalog()
