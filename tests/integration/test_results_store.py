"""The analytics result tables on SQLite and PostgreSQL: replace per subject, alerts keep their state."""

from __future__ import annotations

import pandas as pd
import pytest

from storage import repository as repo
from storage import results as store
from storage import tables as t


def test_replace_rows_swaps_one_subject_and_leaves_the_others(engine):
    frame = pd.DataFrame({"period": ["2026-01", "2026-02"], "value": [1.0, float("nan")], "zone": [3, 4],
                          "score": [3.0, 4.0]})
    with engine.begin() as conn:
        store.replace_rows(conn, t.signals, {"indicator": "cpi", "region": "450000"}, frame)
        store.replace_rows(conn, t.signals, {"indicator": "cpi", "region": "450100"}, frame)
        store.replace_rows(conn, t.signals, {"indicator": "cpi", "region": "450000"}, frame.iloc[:1])
    rows = store.read_table(engine, t.signals, order_by=("region", "period"))
    assert list(zip(rows["region"], rows["period"])) == [("450000", "2026-01"), ("450100", "2026-01"),
                                                       ("450100", "2026-02")]
    assert rows["value"].isna().sum() == 1  # NaN stored as NULL, not as a number


def test_alerts_keep_their_state_and_history(engine):
    found = pd.DataFrame({"period": ["2026-09", "2026-10"], "score": [4.2, -5.1], "severity": ["medium", "high"],
                          "direction": ["up", "down"], "message_zh": ["偏高", "偏低"], "message_en": ["high", "low"],
                          "drivers": [None, None]})
    subject = {"indicator": "electricity", "region": "450000"}
    with engine.begin() as conn:
        assert store.merge_alerts(conn, "robust", subject, found) == 2
    first = store.read_table(engine, t.alerts, order_by=("period",))
    with engine.begin() as conn:
        assert store.set_alert_state(conn, int(first["id"][0]), "acknowledged", "analyst")
        with pytest.raises(ValueError, match="unknown state"):
            store.set_alert_state(conn, int(first["id"][0]), "snoozed", "analyst")
        store.merge_alerts(conn, "robust", subject, found.iloc[:1])  # a revision removed October's anomaly
    after = store.read_table(engine, t.alerts, order_by=("period",))
    assert list(after["id"]) == list(first["id"])
    assert after["state"].tolist() == ["acknowledged", "new"]
    assert after["updated_by"][0] == "analyst"
    assert after["current"].astype(bool).tolist() == [True, False]


def test_targets_and_the_run_log(engine):
    targets = pd.DataFrame({"indicator": ["gdp_ytd_growth"], "region": ["450000"], "year": [2026], "target": [5.0],
                            "basis": ["growth"], "note": ["demo"]})
    with engine.begin() as conn:
        store.replace_targets(conn, targets, origin="demo")
        store.replace_targets(conn, targets.assign(target=5.5), origin="demo")
        store.record_run(conn, "series:cpi:450000", "series", "abc", "ok", {"n": 1}, None, repo.utcnow(), 0.5, 3)
        store.record_run(conn, "series:cpi:450000", "series", "def", "failed", None, "boom", repo.utcnow(), 0.1, 4)
    tg = store.read_table(engine, t.targets)
    assert tg[["target", "direction", "aggregation", "origin"]].iloc[0].tolist() == [5.5, "at_least", "sum", "demo"]
    assert store.run_fingerprints(engine) == {"series:cpi:450000": ("def", "failed")}
