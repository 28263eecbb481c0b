"""Golden tests: X-13 with the 春节 regressor on real Wind exports (electricity, industrial output).

The numbers quoted in comments were measured on these files (2026-11-23, x13as build 62);
thresholds sit a little outside them. Wind leaves January and February blank in many years
(and some Decembers for coal): these are passed to X-13 as missing values.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.importers.parsers import parse_file
from models.seasonal import SeasonalAdjustment

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"

if not REAL.is_dir():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"real data folder {REAL} is missing, but CI=true requires it", pytrace=False)
    pytest.skip(
        f"real data folder {REAL} is absent (a fresh clone without ../shared): golden tests skipped",
        allow_module_level=True,
    )

SERIES = [
    "中国_全社会用电量_当月值.csv",
    "广东_用电量_当月值.csv",
    "湖北_用电量_当月值.csv",
    "中国_产量_水泥_当月值.csv",
    "中国_产量_原煤_当月值.csv",
]


def wind_monthly(name: str) -> pd.Series:
    """A Wind 当月值 export as a monthly series on a complete PeriodIndex (blank months NaN)."""
    rows = parse_file(REAL / "wind_exports" / name).rows
    s = pd.Series(rows["value"].astype(float).to_numpy(), index=pd.PeriodIndex(rows["period"], freq="M"))
    s = s.sort_index()
    return s.reindex(pd.period_range(s.index[0], s.index[-1], freq="M"))


@pytest.fixture(scope="module")
def adjusted() -> dict[str, tuple[pd.Series, object]]:
    model = SeasonalAdjustment(method="x13")  # no fallback: X-13 must run on real data
    return {name: (s, model.fit(s)) for name in SERIES for s in [wind_monthly(name)]}


@pytest.mark.parametrize("name", SERIES)
def test_x13_runs_and_reports_diagnostics(adjusted, name):
    series, res = adjusted[name]
    assert res.method == "x13" and res.fallback_reason is None
    summary = res.summary()
    json.dumps(summary, allow_nan=False)
    d = summary["diagnostics"]
    assert d["arima_model"] and d["aicc"] is not None
    for key in ("m7", "q", "q2"):
        assert d[key] is not None and d[key] >= 0
    for part in ("original", "seasonally_adjusted", "irregular", "residuals"):
        assert d["qs"][part]["p_value"] is not None
    assert d["f_stable_seasonality_d8"]["p_value"] < 0.001  # all clearly seasonal
    assert d["f_residual_seasonality_sa"] is not None
    assert "cny" in d["holiday"] and d["holiday"]["cny"]["t_statistic"] is not None
    frame = res.to_frame()
    assert len(frame) == len(series)
    # every published month gets an adjusted value; blank months stay blank
    observed = series.notna().to_numpy()
    assert frame["seasonally_adjusted"].notna().to_numpy()[observed].all()
    assert frame["seasonally_adjusted"].isna().to_numpy()[~observed].all()


def test_electricity_cny_effect_is_strong_and_removed(adjusted):
    # measured: t = −24.3 (national), −25.7 (广东), −8.9 (湖北); coefficients −0.20, −0.44, −0.19
    for name in SERIES[:3]:
        d = adjusted[name][1].summary()["diagnostics"]
        assert d["holiday"]["cny"]["t_statistic"] < -5
        # M7 below 1 (identifiable seasonality): measured 0.19, 0.11, 0.29
        assert d["m7"] < 1
        # festival regressor vs. series less trend and seasonal: measured −0.59 / −0.71 / −0.21
        # before; 0.11 / 0.15 / 0.15 after (the X-11 irregular keeps some)
        corr = d["holiday_correlation"]["cny"]
        assert abs(corr["after_adjustment"]) < max(0.25, abs(corr["before_adjustment"]))


def test_output_series_no_residual_seasonality(adjusted):
    # measured D11 F-test p-values: cement 0.88, coal 0.39
    for name in SERIES[3:]:
        d = adjusted[name][1].summary()["diagnostics"]
        assert d["f_residual_seasonality_sa"]["p_value"] > 0.01
        assert d["q"] < 1


def test_national_electricity_adjusted_level_is_plausible(adjusted):
    series, res = adjusted["中国_全社会用电量_当月值.csv"]
    sa = res.components["seasonally_adjusted"].dropna()
    # adjusted annual totals stay within 3 % of the published annual totals in complete years
    for year in (2018, 2019, 2021, 2022):
        months = pd.period_range(f"{year}-01", f"{year}-12", freq="M")
        assert series[months].notna().all()
        assert sa[months].sum() == pytest.approx(series[months].sum(), rel=0.03)
    assert np.isfinite(sa.to_numpy()).all()
