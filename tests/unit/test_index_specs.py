"""Index definitions (indicators/indices.yaml): schema, and every component checked against the catalog."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from indicators.indices import FREQUENCY_RANK, INDICES_FILE, IndexSpecError, catalog_problems, load_index_specs
from indicators.registry import default_catalog
import models.indices  # noqa: F401 - registers the index models (not load_all: other modules may be mid-edit)
from models.base import REGISTRY

SPECS = load_index_specs()
CATALOG = default_catalog()
REQUIRED = {"agriculture", "transport", "finance", "energy", "commodity_prices", "city_development"}


def test_required_indices_defined():
    assert REQUIRED <= set(SPECS)
    assert SPECS["city_development"].model == "city_ranking"


@pytest.mark.parametrize("name", sorted(SPECS))
def test_components_exist_in_catalog_with_needed_frequency(name):
    spec = SPECS[name]
    for component in spec.components:
        assert component.indicator in CATALOG, f"{name}: {component.indicator} not in catalog"
        indicator = CATALOG[component.indicator]
        assert FREQUENCY_RANK[indicator.frequency] <= FREQUENCY_RANK[spec.frequency], component.indicator
        assert set(spec.region_levels) <= set(indicator.region_levels), component.indicator
        if component.transform == "yoy":
            assert indicator.publication in ("level", "ytd_level"), component.indicator
    assert catalog_problems(spec, CATALOG) == []


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_fits_with_its_model(name):
    """Each definition's directions and weighting are accepted by the model that computes it."""
    spec = SPECS[name]
    codes = [c.indicator for c in spec.components]
    freq = {"M": "M", "Q": "Q", "A": "Y"}[spec.frequency]
    start = spec.base_period or ("2019Q4" if freq == "Q" else "2019-12")
    periods = pd.period_range(start, periods=12, freq=freq)
    rng = np.random.default_rng(0)
    model = REGISTRY[spec.model]()
    if spec.model == "development_index":
        panel = pd.DataFrame(rng.normal(100, 5, (12, len(codes))), index=periods, columns=codes)
        r = model.fit(panel, directions=spec.directions, weighting=spec.weighting_argument,
                      base_period=spec.base_period)
        assert r.index.iloc[0] == pytest.approx(100.0)
    else:
        columns = pd.MultiIndex.from_product([["450100", "450200", "450300"], codes], names=["city", "component"])
        panel = pd.DataFrame(rng.normal(5, 2, (12, len(columns))), index=periods, columns=columns)
        r = model.fit(panel, directions=spec.directions, weighting=spec.weighting_argument)
    assert r.weights.sum() == pytest.approx(1.0)


def test_catalog_problems_are_found():
    spec = SPECS["finance"].model_copy(update={
        "frequency": "M",
        "region_levels": ["county"],
        "components": [
            SPECS["finance"].components[0].model_copy(update={"indicator": "no_such_indicator"}),
            SPECS["finance"].components[1].model_copy(update={"transform": "yoy"}),
        ],
    })
    problems = catalog_problems(spec, CATALOG)
    assert any("no_such_indicator" in p for p in problems)
    assert any("region level" in p for p in problems)
    assert any("transform 'yoy'" in p for p in problems)
    coarse = SPECS["agriculture"].model_copy(update={"frequency": "M"})
    assert any("too coarse" in p for p in catalog_problems(coarse, CATALOG))


def _write(tmp_path, mutate):
    doc = yaml.safe_load(INDICES_FILE.read_text(encoding="utf-8"))
    mutate(doc["indices"])
    path = tmp_path / "indices.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate, message", [
    (lambda ix: ix[2]["components"][0].update(weight=0.9), "sum to 1"),
    (lambda ix: ix[0].update(base_period="2019-12"), "does not match frequency"),
    (lambda ix: ix[0]["components"][1].update(indicator="va_primary_ytd_growth"), "appears twice"),
    (lambda ix: ix[0]["components"][0].update(direction=2), "direction"),
    (lambda ix: ix[0].update(weighting="magic"), "weighting"),
    (lambda ix: ix[1]["components"][0].update(indicator="no_such_code"), "no_such_code"),
    (lambda ix: ix.append(dict(ix[0])), "duplicate"),
])
def test_invalid_definitions_fail_loudly(tmp_path, mutate, message):
    with pytest.raises(IndexSpecError, match=message) as info:
        load_index_specs(_write(tmp_path, mutate), catalog=CATALOG)
    assert "indices.yaml" in str(info.value)
