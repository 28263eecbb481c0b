"""One conformance suite over every registered model (the sktime pattern).

Each model's ``example()`` supplies a small known input; the contract checked here holds for all:
fit returns results naming the model and the method used, a non-empty tidy frame, a JSON-safe
summary, no mutation of the input, determinism, and no database or Dash imports in the module.
"""

from __future__ import annotations

import ast
import copy
import inspect
import json
import sys

import pandas as pd
import pytest

from models.base import REGISTRY, Model, ModelResults, load_all

load_all()
NAMES = sorted(REGISTRY)
FORBIDDEN_IMPORTS = ("sqlalchemy", "dash", "flask", "storage", "services", "layouts", "psycopg")


def test_registry_is_populated():
    assert NAMES, "no model registered"


@pytest.fixture(scope="module", params=NAMES)
def fitted(request):
    cls = REGISTRY[request.param]
    model, args, kwargs = cls.example()
    originals = copy.deepcopy((args, kwargs))
    results = model.fit(*args, **kwargs)
    return cls, model, args, kwargs, originals, results


def test_results_contract(fitted):
    cls, _model, _args, _kwargs, _orig, results = fitted
    assert isinstance(results, ModelResults)
    assert results.model == cls.name
    assert isinstance(results.method, str) and results.method
    frame = results.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    json.dumps(results.summary(), allow_nan=False)


def test_fit_does_not_modify_input(fitted):
    _cls, _model, args, kwargs, originals, _results = fitted
    for now, before in zip((*args, *kwargs.values()), (*originals[0], *originals[1].values())):
        if isinstance(now, (pd.Series, pd.DataFrame)):
            assert now.equals(before)


def test_fit_is_deterministic(fitted):
    cls, _model, _args, _kwargs, _orig, results = fitted
    model, args, kwargs = cls.example()
    again = model.fit(*args, **kwargs)
    pd.testing.assert_frame_equal(results.to_frame(), again.to_frame(), check_exact=False, rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_model_module_stays_pure(name):
    module = sys.modules[REGISTRY[name].__module__]
    tree = ast.parse(inspect.getsource(module))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & set(FORBIDDEN_IMPORTS), f"{module.__name__} imports {imported & set(FORBIDDEN_IMPORTS)}"


@pytest.mark.parametrize("name", NAMES)
def test_model_is_documented(name):
    cls = REGISTRY[name]
    assert issubclass(cls, Model)
    assert (cls.__doc__ or "").strip(), f"{cls.__name__} has no docstring"
    assert (cls.fit.__doc__ or "").strip(), f"{cls.__name__}.fit has no docstring"
