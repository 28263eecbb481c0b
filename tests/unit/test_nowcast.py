"""Nowcast models on small synthetic data with a known factor structure (models/nowcast.py), and the
service's pure pieces: transforms to model form and the release-lag rule (services/nowcast.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from indicators.registry import load_catalog
from models.base import ModelError
from models.nowcast import (
    AR1Nowcast,
    BridgeNowcast,
    CombinationNowcast,
    DynamicFactorNowcast,
    LastValueNowcast,
    anchored_form,
    backtest,
    is_turbulent,
    screen_outliers,
    simulate_factor_data,
)
from services import nowcast as svc

BLOCKS = {"a": ["x1", "x2", "x3"], "b": ["x4", "x5", "x6"]}


@pytest.fixture(scope="module")
def synthetic():
    """Six indicators on one AR(1) factor; the target is the factor's quarterly mean plus noise."""
    monthly, target = simulate_factor_data(n_quarters=36, n_indicators=6, seed=3)
    full_target = target.copy()
    return monthly, full_target


def vintage_of(monthly: pd.DataFrame, target: pd.Series):
    """Data known at the end of a month: indicators up to it (x4–x6 one month late), target to the
    quarter before."""

    def vintage(as_of):
        if as_of is None:
            return monthly, target
        m = monthly.loc[:as_of].copy()
        m.loc[as_of, ["x4", "x5", "x6"]] = np.nan
        return m, target[target.index < as_of.asfreq("Q")]

    return vintage


def test_dfm_beats_ar1_on_a_known_factor_structure(synthetic):
    monthly, target = synthetic
    quarters = target.index[-9:-1]
    schedule = [(q, q.asfreq("M", "end")) for q in quarters]
    dfm, bridge = DynamicFactorNowcast(blocks=BLOCKS, maxiter=40, history_years=None), BridgeNowcast()
    models = {"dfm": dfm, "ar1": AR1Nowcast(), "last_value": LastValueNowcast(), "bridge": bridge,
              "combination": CombinationNowcast({"dfm": dfm, "bridge": bridge})}
    res = backtest(vintage_of(monthly, target), schedule, models)
    table = res.table().set_index("model")
    assert (table["n"] == len(quarters)).all()
    assert table.loc["dfm", "rmse"] < 0.6 * table.loc["ar1", "rmse"], table
    assert table.loc["bridge", "rmse"] < table.loc["ar1", "rmse"], table
    assert res.relative_rmse()["dfm"]["all"] < 0.6
    # the combination reuses the members' fits of the same vintage: exactly their mean
    q = res.quarters.pivot(index="period", columns="model", values="point")
    assert np.allclose(q["combination"], (q["dfm"] + q["bridge"]) / 2)
    assert table.loc["combination", "rmse"] < table.loc["ar1", "rmse"], table


def test_missing_target_quarters_anchor_on_the_latest_published_value(synthetic):
    """With the quarter before the target unpublished, the change form telescopes from the last
    published value (horizon 2-3), and four or more quarters back it switches to the level form."""
    monthly, target = synthetic
    q = target.index[-2]
    known_m, _ = vintage_of(monthly, target)(q.asfreq("M", "end"))
    gappy = target[target.index < q].drop(q - 1)  # q−1 missing, as 广东's 2019Q4
    res = BridgeNowcast().fit(known_m, gappy, q)
    assert res.details["horizon"] == 2 and res.method == "bridge_mean_change"
    assert res.details["anchor"] == str(q - 2)
    one_ahead = BridgeNowcast().fit(known_m, target[target.index < q], q)
    assert res.upper - res.lower > one_ahead.upper - one_ahead.lower  # two quarters of uncertainty
    assert abs(res.point - target[q]) < 1.5
    stale = target[target.index < q - 3]
    far = BridgeNowcast().fit(known_m, stale, q)
    assert far.details["horizon"] == 4 and far.method == "bridge_mean_level"
    dfm = DynamicFactorNowcast(blocks=BLOCKS, maxiter=20, history_years=None).fit(known_m, stale, q)
    assert dfm.details["form"] == "level" and np.isfinite(dfm.point)
    assert [anchored_form("change", h) for h in (1, 3, 4)] == ["change", "change", "level"]
    assert anchored_form("level", 1) == "level"


def test_outlier_screen_keeps_a_genuine_collapse():
    """The screen runs on the published form: a diffusion index falling to 35.7 (February 2020)
    stays, a recording error of 500 goes."""
    idx = pd.period_range("2012-01", periods=100, freq="M")
    pmi = pd.Series(50 + 2.0 * np.sin(np.arange(100) / 3), index=idx)  # IQR ≈ 3, as the real PMI since 2005
    pmi.iloc[90], pmi.iloc[60] = 35.7, 500.0
    out = screen_outliers(pmi.to_frame("mfg_pmi"), 10.0)["mfg_pmi"]
    assert out.iloc[90] == 35.7 and np.isnan(out.iloc[60])


def test_like_for_like_scoring_uses_the_quarters_every_model_nowcast(synthetic):
    monthly, target = synthetic
    quarters = target.index[-4:-1]
    schedule = [(q, q.asfreq("M", "end")) for q in quarters]

    class FailsOnce(LastValueNowcast):
        def fit(self, monthly, quarterly_target, target_period):
            if str(target_period) == str(quarters[0]):
                raise ModelError("失败 / fails")
            return super().fit(monthly, quarterly_target, target_period)

    res = backtest(vintage_of(monthly, target), schedule, {"ar1": AR1Nowcast(), "flaky": FailsOnce()})
    assert list(res.table()["n"]) == [2, 2]
    assert list(res.table(common=False)["n"]) == [3, 2]
    assert list(res.table()["failures"]) == [0, 1]


def test_news_impacts_sum_to_the_revision(synthetic):
    monthly, target = synthetic
    q = target.index[-2]
    now_m, now_y = vintage_of(monthly, target)(q.asfreq("M", "end"))
    results = DynamicFactorNowcast(blocks=BLOCKS, maxiter=40, history_years=None).fit(now_m, now_y, q)
    earlier_m, earlier_y = vintage_of(monthly, target)(q.asfreq("M", "end") - 2)
    news = results.news(earlier_m, earlier_y)
    assert news.current == pytest.approx(results.point, abs=1e-8)
    assert abs(news.revision) > 0.01
    assert news.total_impact == pytest.approx(news.revision, abs=1e-6)
    # the releases of the quarter's months are the news, named by indicator and month
    assert set(news.items["kind"]) == {"news"}
    assert {"x1", "x4"} <= set(news.items["indicator"])
    assert str(q.asfreq("M", "end")) in set(news.items["period"])


def test_news_across_a_gdp_release_and_a_revision(synthetic):
    """A month earlier the previous quarter's GDP was unpublished and one value has since been
    revised: the impacts still add up to the change of the nowcast."""
    monthly, target = synthetic
    q = target.index[-2]
    now_m, now_y = vintage_of(monthly, target)(q.asfreq("M", "start"))
    results = DynamicFactorNowcast(blocks=BLOCKS, maxiter=40, history_years=None).fit(now_m, now_y, q)
    earlier_m, _ = vintage_of(monthly, target)(q.asfreq("M", "start") - 1)
    earlier_m = earlier_m.copy()
    earlier_m.iloc[-5, 0] += 1.0  # revised since
    earlier_y = target[target.index < q - 1]  # GDP of q−1 not yet out
    news = results.news(earlier_m, earlier_y)
    assert news.total_impact == pytest.approx(news.revision, abs=1e-6)
    assert "gdp" in set(news.items["indicator"]) and "revision" in set(news.items["kind"])
    assert str(q - 1) in set(news.items.loc[news.items["indicator"] == "gdp", "period"])


@pytest.mark.parametrize("model", [DynamicFactorNowcast(blocks=BLOCKS, maxiter=20, history_years=None),
                                   BridgeNowcast(), AR1Nowcast(), LastValueNowcast(),
                                   CombinationNowcast({"dfm": DynamicFactorNowcast(blocks=BLOCKS, maxiter=20,
                                                                                   history_years=None),
                                                       "bridge": BridgeNowcast()})],
                         ids=["dfm", "bridge", "ar1", "last_value", "combination"])
def test_the_target_quarter_and_later_data_are_never_used(synthetic, model):
    monthly, target = synthetic
    q = target.index[-3]
    known_m, known_y = vintage_of(monthly, target)(q.asfreq("M", "end"))
    base = model.fit(known_m, known_y, q)
    leaky_y = target.copy()  # includes q and later quarters
    leaky_m = monthly.copy()
    leaky_m.loc[leaky_m.index > q.asfreq("M", "end")] = 99.0
    leaky_m.loc[q.asfreq("M", "end"), ["x4", "x5", "x6"]] = np.nan
    again = model.fit(leaky_m, leaky_y, q)
    assert again.point == pytest.approx(base.point, rel=1e-6)
    assert base.lower < base.point < base.upper and base.level == 0.9
    frame = base.to_frame()
    assert list(frame.columns[:5]) == ["period", "point", "lower", "upper", "level"]
    assert base.summary()["interval"]["lower"] == pytest.approx(base.lower)


def test_bad_inputs_raise_bilingual_model_errors(synthetic):
    monthly, target = synthetic
    with pytest.raises(ModelError, match="/"):
        AR1Nowcast().fit(None, target.iloc[:5], target.index[5])
    with pytest.raises(ModelError, match="PeriodIndex"):
        BridgeNowcast().fit(monthly.reset_index(drop=True), target, target.index[-1])
    with pytest.raises(ModelError):
        DynamicFactorNowcast(form="logs")


def test_turbulence_rule():
    assert is_turbulent(pd.Period("2020Q3", "Q"), 4.9, 3.2)
    assert is_turbulent(pd.Period("2022Q2", "Q"), 0.4, 4.8)
    assert not is_turbulent(pd.Period("2015Q2", "Q"), 7.0, 7.0)
    assert not is_turbulent(pd.Period("2015Q2", "Q"), 7.0, None)


# ------------------------------------------------------------------ service pieces without a database


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_release_lag_rule_gives_the_ragged_edge(catalog):
    ind = catalog["industrial_va_growth"]  # released 17 days after the month
    assert svc.release_date(ind, "2024-03") == dt.date(2024, 4, 17)
    assert svc.release_date(ind, "2024-01/02") == dt.date(2024, 3, 17)
    assert list(svc.released(ind, ["2024-02", "2024-03", "2024-04"], dt.date(2024, 4, 17))) == [True, True, False]

    class Ctx:  # target_quarter needs only the catalog
        pass

    ctx = Ctx()
    ctx.catalog = catalog
    lag = catalog["gdp_q_growth"].release_lag_days
    q3_release = dt.date(2026, 9, 30) + dt.timedelta(days=lag)
    assert str(svc.target_quarter(ctx, "gdp_q_growth", q3_release - dt.timedelta(days=1))) == "2026Q3"
    assert str(svc.target_quarter(ctx, "gdp_q_growth", q3_release)) == "2026Q4"


def test_model_input_forms(catalog):
    # a monthly flow published with January and February together: growth of the combined months
    flow = pd.Series([10.0, 20.0, 12.0, 11.0, 22.0, 13.2],
                     index=["2023-01", "2023-02", "2023-03", "2024-01", "2024-02", "2024-03"])
    out = svc.model_input(catalog["electricity"], flow)
    assert out.index.freqstr.startswith("M")
    assert out[pd.Period("2024-02", "M")] == pytest.approx((33 / 30 - 1) * 100)
    assert pd.Period("2024-01", "M") not in out.dropna().index
    assert out[pd.Period("2024-03", "M")] == pytest.approx(10.0)
    # published growth as is; an index on the year before minus 100; the PMI as is
    growth = pd.Series([5.5, 6.1], index=["2024-01/02", "2024-03"])
    assert svc.model_input(catalog["industrial_va_growth"], growth).to_dict() == {
        pd.Period("2024-02", "M"): 5.5, pd.Period("2024-03", "M"): 6.1}
    assert svc.model_input(catalog["cpi"], pd.Series([101.2], index=["2024-03"])).iloc[0] == pytest.approx(1.2)
    assert svc.model_input(catalog["mfg_pmi"], pd.Series([50.8], index=["2024-03"])).iloc[0] == 50.8
    # a year-to-date level: single months by differencing, then growth
    ytd = pd.Series([30.0, 45.0, 33.0, 50.0], index=["2023-02", "2023-03", "2024-02", "2024-03"])
    out = svc.model_input(catalog["retail_sales"], ytd)
    assert out[pd.Period("2024-03", "M")] == pytest.approx((17 / 15 - 1) * 100)
