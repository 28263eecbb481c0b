"""The one interface every analytical model follows.

A model is configured in its constructor, ``fit(data, ...)`` returns a results object, and the
results know how to become a tidy frame (for storage) and a JSON-safe summary (for the CLI and
reports). Models never touch the database or Dash: services feed them frames and store results.

Conventions for inputs
----------------------
* A time series is a ``pd.Series`` of floats on a ``pd.PeriodIndex`` (freq ``M`` or ``Q``),
  sorted, without duplicates; gaps are NaN. Services convert the stored period labels
  (``2024-03``, ``2024-01/02``, ``2024Q1``) before calling a model.
* A panel is a ``pd.DataFrame`` on a ``PeriodIndex`` with one column per series.

Every registered model supplies ``example()``: a small, known input that the conformance suite
(``tests/unit/test_models_conformance.py``) fits, checking the contract for all models at once.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np
import pandas as pd


class ModelError(ValueError):
    """Input a model cannot work with; the message is bilingual (zh / en)."""


class ModelResults(ABC):
    """What ``fit`` returns."""

    #: registry name of the model that produced these results
    model: str
    #: the method actually used (e.g. ``x13`` or ``stl`` after a fallback)
    method: str

    @abstractmethod
    def to_frame(self) -> pd.DataFrame:
        """The main output as a tidy frame (one row per period or item) ready to store."""

    @abstractmethod
    def summary(self) -> dict[str, Any]:
        """Scalars and diagnostics, JSON-serialisable (no NaN: use None)."""


class Model(ABC):
    """Base class: subclasses set ``name`` and implement ``fit`` and ``example``."""

    #: the key in ``REGISTRY``
    name: ClassVar[str]

    @abstractmethod
    def fit(self, data, **kwargs) -> ModelResults:
        """Fit to ``data`` and return results; must not modify ``data``."""

    @classmethod
    @abstractmethod
    def example(cls) -> tuple["Model", tuple, dict]:
        """A configured instance and the ``(args, kwargs)`` of a small known ``fit`` call."""


REGISTRY: dict[str, type[Model]] = {}


def register(cls: type[Model]) -> type[Model]:
    """Class decorator: add a model to the registry under its ``name``."""
    if not getattr(cls, "name", None):
        raise TypeError(f"{cls.__name__} needs a name")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise TypeError(f"model name {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls


def get_model(name: str) -> type[Model]:
    load_all()
    try:
        return REGISTRY[name]
    except KeyError:
        raise ModelError(f"未知模型“{name}” / unknown model '{name}' ({', '.join(sorted(REGISTRY))})") from None


def load_all() -> dict[str, type[Model]]:
    """Import every model module so that the registry is complete."""
    import importlib
    import pkgutil

    import models

    for info in pkgutil.iter_modules(models.__path__):
        if not info.name.startswith("_") and info.name != "base":
            importlib.import_module(f"models.{info.name}")
    return REGISTRY


def json_safe(value: Any) -> Any:
    """Turn numpy scalars, NaN and periods into what ``json.dumps`` accepts."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, (pd.Period, pd.Timestamp)):
        return str(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def require_series(data, name: str = "series", freqs: tuple[str, ...] = ("M", "Q"), min_length: int = 1) -> pd.Series:
    """Check the series convention above and return a float copy."""
    if not isinstance(data, pd.Series):
        raise ModelError(f"{name} 应为 pandas Series / {name} must be a pandas Series")
    if not isinstance(data.index, pd.PeriodIndex):
        raise ModelError(f"{name} 的索引应为 PeriodIndex / {name} must have a PeriodIndex")
    freq = data.index.freqstr[0] if data.index.freqstr else ""
    if freq not in freqs:
        raise ModelError(f"{name} 的频率应为 {'/'.join(freqs)}，实为 {data.index.freqstr} / "
                         f"{name} frequency must be {'/'.join(freqs)}, found {data.index.freqstr}")
    if data.index.has_duplicates or not data.index.is_monotonic_increasing:
        raise ModelError(f"{name} 的时期应唯一且递增 / {name} periods must be unique and increasing")
    if data.notna().sum() < min_length:
        raise ModelError(f"{name} 至少需要 {min_length} 个观测值，实有 {int(data.notna().sum())} / "
                         f"{name} needs at least {min_length} observations, found {int(data.notna().sum())}")
    return data.astype(float).copy()
