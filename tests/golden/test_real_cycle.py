"""Golden tests: composite indices and turning points on real national series (Wind exports).

The dates quoted were measured on these files (see bench/results/cycle.md); the assertions allow a
few months either side.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.importers.parsers import parse_file
from models.cycle import CompositeIndex, TurningPoints, evaluate_leads

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
WIND = REAL / "wind_exports"

if not WIND.is_dir():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"real data folder {WIND} is missing, but CI=true requires it", pytrace=False)
    pytest.skip(f"real data folder {WIND} is absent (a fresh clone without ../shared): golden tests skipped",
                allow_module_level=True)

VOLUMES = {
    "electricity": "中国_全社会用电量_当月值.csv",
    "steel": "中国_产量_粗钢_当月值.csv",
    "cement": "中国_产量_水泥_当月值.csv",
    "coal": "中国_产量_原煤_当月值.csv",
    "thermal": "中国_发电量_火电_当月值.csv",
}


def read(file: str) -> pd.Series:
    rows = parse_file(WIND / file).rows
    freq = "Q" if "Q" in rows["period"].iloc[0] else "M"
    s = pd.Series(rows["value"].astype(float).to_numpy(),
                  index=pd.PeriodIndex([pd.Period(p, freq) for p in rows["period"]])).sort_index()
    s = s[~s.index.duplicated(keep="last")]
    return s.reindex(pd.period_range(s.index[0], s.index[-1], freq=freq))


def yoy_log(level: pd.Series) -> pd.Series:
    filled = np.exp(np.log(level.where(level > 0)).interpolate(limit_area="inside"))
    return 100 * np.log(filled / filled.shift(12))


@pytest.fixture(scope="module")
def indices():
    coincident = pd.DataFrame({k: yoy_log(read(f)) for k, f in VOLUMES.items()}).loc["2006-01":"2025-03"]
    tsf = read("中国_社会融资规模_当月值.csv").rolling(12).sum()
    leading = pd.DataFrame({
        "pmi": read("中国_制造业PMI.csv").interpolate(limit_area="inside"),
        "tsf": 100 * np.log(tsf / tsf.shift(12)),
    }).loc["2006-01":"2025-03"]
    return CompositeIndex().fit(coincident), CompositeIndex().fit(leading)


def turns_between(res, kind, start, end):
    t = res.turns
    sel = t[(t["type"] == kind) & (t["period"] >= pd.Period(start, "M")) & (t["period"] <= pd.Period(end, "M"))]
    return [str(p) for p in sel["period"]]


def test_coincident_index_dates_the_known_downturns(indices):
    coincident, _ = indices
    assert coincident.n_components.min() >= 4
    assert coincident.to_frame()["index"].mean() == pytest.approx(100.0)
    turns = TurningPoints().fit(coincident.index)
    # measured: troughs 2008-12 (global financial crisis) and 2020-03 (COVID-19)
    assert turns_between(turns, "trough", "2008-09", "2009-03")
    assert turns_between(turns, "trough", "2020-01", "2020-06")
    phases = turns.phases()
    assert (phases["length"] >= 6).all()


def test_leading_composite_leads_real_gdp(indices):
    _, leading = indices
    gdp = read("中国_GDP_不变价_当季同比.csv").loc["2006Q1":"2025Q1"]
    gdp_turns = TurningPoints().fit(gdp).turns
    assert TurningPoints().fit(gdp).rules["window"] == 2
    gdp_turns = gdp_turns.assign(period=[p.asfreq("M", "start") + 1 for p in gdp_turns["period"]])
    summary = evaluate_leads(TurningPoints().fit(leading.index), gdp_turns, window=(18, 6)).summary()
    # measured: 6 of 11 GDP turns matched, median lead +4.5 months, 4 false alarms
    assert summary["n_reference"] >= 9
    assert summary["n_matched"] >= 5
    assert summary["median_lead"] > 0
    assert summary["n_false_alarms"] <= 6
