"""Composite development indices (经济发展指数) and the city ranking (城市发展指数, 赛马比拼).

A composite index here is a weighted sum of normalised components; everything a reader needs to
trust it is returned with it: the weights, each component's normalised value, and each component's
contribution, which add up exactly to the index's movement.

Normalisation (components are first oriented: ``x̃ = direction · x``, so that higher is better)
* ``efficacy`` — the efficacy coefficient (功效系数法): ``z = 60 + 40 · (x̃ - min) / (max - min)``
  over the whole panel, in [60, 100]; defined for rates and growth figures of either sign, and
  kept away from zero so that the base-period ratio below is stable.
* ``ratio`` — ``z = 100 · (x_t / x_base)^direction``, for strictly positive levels; the index is
  then a fixed-weight (Laspeyres-type) average of relatives.

Index and contributions (``w`` weights summing to one, ``S_t = Σ_j w_j z_jt``, ``b`` the base):
``I_t = 100 · S_t / S_b`` and ``c_jt = 100 · w_j (z_jt - z_jb) / S_b``, so ``Σ_j c_jt = I_t - 100``.

Weights
* ``equal`` — ``1 / k``.
* ``entropy`` (熵值法) — on min–max normalised oriented data ``u_ij`` (i periods or units, j
  components): ``p_ij = u_ij / Σ_i u_ij``, ``e_j = -(1/ln n) Σ_i p_ij ln p_ij`` (with 0·ln 0 = 0),
  ``w_j = (1 - e_j) / Σ_j (1 - e_j)``. A component whose normalised values are unequally spread —
  a larger coefficient of variation — has lower entropy and so a larger weight; a constant one
  gets none (Shannon 1948; Zou, Yun & Sun 2006).
* ``pca`` — principal components of the correlation matrix of the oriented components; keep the
  first ``K`` components whose cumulative explained variance reaches 85 % (at least one). With
  eigenvalues ``λ_k`` and unit eigenvectors ``a_k``: ``w_j = Σ_{k≤K} (λ_k / Σ_{i≤K} λ_i) · a_jk²`` —
  each retained component's squared loadings (which sum to one) weighted by its share of the
  retained variance; the weights sum to one by construction (after Nardo et al. 2008, §6.1,
  which scales squared factor loadings the same way).
* a mapping ``{component: weight}`` — fixed (expert) weights, rescaled to sum to one.

References
----------
Nardo, M., Saisana, M., Saltelli, A., Tarantola, S., Hoffman, A. & Giovannini, E. (2008). *Handbook
    on Constructing Composite Indicators: Methodology and User Guide*. OECD / JRC.
Shannon, C. E. (1948). A mathematical theory of communication. *Bell System Technical Journal*
    27, 379–423.
Zou, Z., Yun, Y. & Sun, J. (2006). Entropy method for determination of weight of evaluating
    indicators in fuzzy synthetic evaluation for water quality assessment. *Journal of
    Environmental Sciences* 18(5), 1020–1023.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from models.base import Model, ModelError, ModelResults, json_safe, register

PCA_CUMULATIVE_VARIANCE = 0.85
NORMALISATIONS = ("efficacy", "ratio")


# ---------------------------------------------------------------------------------------------
# Weights and normalisation (pure functions on frames whose columns are components)
# ---------------------------------------------------------------------------------------------

def minmax(frame: pd.DataFrame) -> pd.DataFrame:
    """Column-wise ``(x - min) / (max - min)``; a constant column becomes 0.5 (no information)."""
    low, high = frame.min(), frame.max()
    span = (high - low).where(high > low)
    return ((frame - low) / span).fillna(0.5).where(frame.notna())


def entropy_weights(normalised: pd.DataFrame) -> pd.Series:
    """Entropy weights (熵值法) from min–max normalised data (rows are observations)."""
    u = normalised.to_numpy(dtype=float)
    n = u.shape[0]
    if n < 2:
        raise ModelError("熵值法至少需要两个观测 / entropy weights need at least two observations")
    totals = u.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(totals > 0, u / totals, 0.0)
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(n)
    constant = (normalised.max() - normalised.min()).to_numpy() == 0
    entropy[constant | (totals <= 0)] = 1.0  # a constant component carries no information
    divergence = np.clip(1.0 - entropy, 0.0, None)
    if divergence.sum() <= 0:
        return pd.Series(1.0 / len(divergence), index=normalised.columns)
    return pd.Series(divergence / divergence.sum(), index=normalised.columns)


def pca_weights(oriented: pd.DataFrame, cumulative: float = PCA_CUMULATIVE_VARIANCE) -> tuple[pd.Series, dict]:
    """Weights from the first principal components (rule in the module docstring)."""
    sd = oriented.std(ddof=1)
    varying = [c for c in oriented.columns if np.isfinite(sd[c]) and sd[c] > 0]
    if len(oriented) < 3 or len(varying) < 2:
        raise ModelError("主成分赋权至少需要三个观测和两个非常数指标 / PCA weights need at least three observations "
                         "and two non-constant components")
    corr = np.corrcoef(oriented[varying].to_numpy(dtype=float), rowvar=False)
    eigenvalues, eigenvectors = np.linalg.eigh(corr)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = np.clip(eigenvalues[order], 0.0, None), eigenvectors[:, order]
    share = eigenvalues / eigenvalues.sum()
    K = int(np.searchsorted(np.cumsum(share), cumulative - 1e-12) + 1)
    K = min(max(K, 1), len(varying))
    retained = eigenvalues[:K] / eigenvalues[:K].sum()
    w = (eigenvectors[:, :K] ** 2) @ retained
    weights = pd.Series(0.0, index=oriented.columns)
    weights[varying] = w / w.sum()
    info = {"pca_components": K, "explained_variance": share[:K].tolist(),
            "cumulative_explained": float(share[:K].sum())}
    return weights, info


def resolve_weights(weighting, oriented: pd.DataFrame) -> tuple[pd.Series, str, dict]:
    """``(weights, method name, extra info)`` for a weighting name or a fixed mapping."""
    columns = list(oriented.columns)
    if isinstance(weighting, Mapping):
        unknown = set(weighting) - set(map(str, columns)) - set(columns)
        missing = [c for c in columns if c not in weighting]
        if unknown or missing:
            raise ModelError(f"固定权重与指标不符 / fixed weights do not match the components: unknown {sorted(map(str, unknown))}, "
                             f"missing {missing}")
        w = pd.Series({c: float(weighting[c]) for c in columns})
        if (w < 0).any() or w.sum() <= 0:
            raise ModelError("固定权重应非负且和为正 / fixed weights must be non-negative with a positive sum")
        return w / w.sum(), "fixed", {}
    if weighting == "equal":
        return pd.Series(1.0 / len(columns), index=oriented.columns), "equal", {}
    if weighting == "entropy":
        return entropy_weights(minmax(oriented)), "entropy", {}
    if weighting == "pca":
        w, info = pca_weights(oriented)
        return w, "pca", info
    raise ModelError(f"未知赋权方法“{weighting}” / unknown weighting '{weighting}' (equal, entropy, pca or a mapping)")


def _directions(columns, directions: Mapping | None) -> pd.Series:
    directions = dict(directions or {})
    unknown = set(directions) - set(columns)
    if unknown:
        raise ModelError(f"方向中有未知指标 {sorted(map(str, unknown))} / directions name unknown components")
    d = pd.Series({c: directions.get(c, 1) for c in columns}, dtype=float)
    if not d.isin([1.0, -1.0]).all():
        raise ModelError("方向应为 +1 或 -1 / directions must be +1 or -1")
    return d


# ---------------------------------------------------------------------------------------------
# Development index over time
# ---------------------------------------------------------------------------------------------

@register
class DevelopmentIndex(Model):
    """A composite development index over time, base period = 100, with exact contributions.

    Formulas and weighting rules are in the :mod:`models.indices` module docstring.

    Parameters
    ----------
    normalisation : {"efficacy", "ratio"}
        ``efficacy`` (功效系数, default) works for growth rates of any sign; ``ratio`` for positive
        levels only.
    """

    name = "development_index"

    def __init__(self, normalisation: str = "efficacy"):
        if normalisation not in NORMALISATIONS:
            raise ModelError(f"未知标准化方法“{normalisation}” / unknown normalisation '{normalisation}'")
        self.normalisation = normalisation

    def fit(self, panel: pd.DataFrame, directions: Mapping | None = None, weighting="equal",
            base_period=None) -> "DevelopmentIndexResults":
        """Build the index.

        Parameters
        ----------
        panel : pd.DataFrame
            One column per component on a ``PeriodIndex`` (already transformed, e.g. to growth).
            Periods with any missing component are left out (listed in the summary).
        directions : mapping, optional
            ``{component: +1 | -1}``; -1 where lower is better (e.g. unemployment). Default +1.
        weighting : {"equal", "entropy", "pca"} or mapping
            How the weights are set (see the module docstring).
        base_period : str or pd.Period, optional
            The period set to 100; default the first complete period.

        Returns
        -------
        DevelopmentIndexResults
        """
        frame = _require_panel(panel)
        d = _directions(frame.columns, directions)
        complete = frame.dropna()
        dropped = [str(p) for p in frame.index.difference(complete.index)]
        if len(complete) < 2:
            raise ModelError("完整时期不足两个 / fewer than two periods with every component")
        base = complete.index[0] if base_period is None else _as_period(base_period, complete.index)
        if base not in complete.index:
            raise ModelError(f"基期 {base} 不在数据中或有缺失 / base period {base} is missing or incomplete")
        oriented = complete * d
        weights, method, info = resolve_weights(weighting, oriented)
        if self.normalisation == "efficacy":
            z = 60.0 + 40.0 * minmax(oriented)
        else:
            if (complete <= 0).any().any():
                raise ModelError("比值标准化要求全部为正 / ratio normalisation needs positive values")
            z = 100.0 * (complete / complete.loc[base]) ** d
        S = z @ weights
        S_base = float(S.loc[base])
        index = 100.0 * S / S_base
        contributions = 100.0 * (z - z.loc[base]) * weights / S_base
        return DevelopmentIndexResults(complete, z, weights, index, contributions, base, method,
                                       {**info, "normalisation": self.normalisation, "dropped_periods": dropped,
                                        "directions": d.astype(int).to_dict()})

    @classmethod
    def example(cls):
        periods = pd.period_range("2023Q1", "2025Q4", freq="Q")
        t = np.arange(len(periods), dtype=float)
        panel = pd.DataFrame({
            "freight_growth": 4.0 + 0.5 * np.sin(t),
            "port_growth": 6.0 + 0.3 * t + np.cos(t),
            "unemployment": 5.2 - 0.05 * t,
        }, index=periods)
        return cls(), (panel,), {"directions": {"unemployment": -1}, "weighting": "entropy", "base_period": "2023Q1"}


class DevelopmentIndexResults(ModelResults):
    """Index values (``index``), ``weights``, normalised components (``normalised``) and
    ``contributions`` (periods × components; each row sums to ``index - 100``)."""

    model = DevelopmentIndex.name

    def __init__(self, values, normalised, weights, index, contributions, base, method, info):
        self.values, self.normalised, self.weights = values, normalised, weights
        self.index, self.contributions, self.base_period = index, contributions, base
        self.method, self.info = method, info

    def to_frame(self) -> pd.DataFrame:
        """One row per period and component: ``period, component, value, normalised, weight,
        contribution, index`` (the index repeats on each of its period's rows)."""
        long = pd.DataFrame({
            "period": np.repeat([str(p) for p in self.index.index], len(self.weights)),
            "component": np.tile([str(c) for c in self.weights.index], len(self.index)),
            "value": self.values.to_numpy().ravel(),
            "normalised": self.normalised.to_numpy().ravel(),
            "weight": np.tile(self.weights.to_numpy(), len(self.index)),
            "contribution": self.contributions.to_numpy().ravel(),
            "index": np.repeat(self.index.to_numpy(), len(self.weights)),
        })
        return long

    def summary(self) -> dict[str, Any]:
        latest = self.index.index[-1]
        change = float(self.index.iloc[-1] - self.index.iloc[-2]) if len(self.index) > 1 else None
        moves = (self.contributions.iloc[-1] - self.contributions.iloc[-2]) if len(self.index) > 1 else None
        return json_safe({
            "weighting": self.method,
            "weights": {str(k): v for k, v in self.weights.items()},
            "base_period": self.base_period,
            "latest_period": latest,
            "latest_index": float(self.index.iloc[-1]),
            "change_on_previous": change,
            "largest_contributions_to_change": (
                {str(k): v for k, v in moves.reindex(moves.abs().sort_values(ascending=False).index).head(3).items()}
                if moves is not None else {}
            ),
            "n_periods": len(self.index),
            **self.info,
        })


# ---------------------------------------------------------------------------------------------
# City ranking
# ---------------------------------------------------------------------------------------------

@register
class CityRanking(Model):
    """City development index (城市发展指数) for ranking cities period by period (赛马比拼).

    Input is a wide panel on a ``PeriodIndex`` with two-level columns ``(city, component)``
    (:meth:`panel_from_long` builds it from a long frame). Components are oriented by their
    direction and min–max normalised over all cities *and* periods pooled, so that a city's score
    can be compared over time as well as across cities (the price: a new period can move the
    bounds and so earlier scores). The score is ``100 · Σ_j w_j u_cjt`` in [0, 100]; the
    contribution of component j is ``100 · w_j u_cjt`` (they add up to the score), and its
    ``gap_contribution`` ``100 · w_j (u_cjt - ū_jt)`` adds up to the score's gap to the period's
    mean over cities. Rank 1 is the highest score; ties share the better rank. Weights are found on
    the pooled data as in :class:`DevelopmentIndex` (entropy by default: among cities, a
    component's dispersion is what separates them).
    """

    name = "city_ranking"

    @staticmethod
    def panel_from_long(frame: pd.DataFrame, period: str = "period", city: str = "region",
                        component: str = "indicator", value: str = "value") -> pd.DataFrame:
        """Pivot a long frame (period, city, component, value) to the wide panel ``fit`` takes."""
        wide = frame.pivot_table(index=period, columns=[city, component], values=value, aggfunc="first")
        if not isinstance(wide.index, pd.PeriodIndex):
            labels = [str(p) for p in wide.index]
            wide.index = pd.PeriodIndex([pd.Period(p, freq="Q" if "Q" in p else ("M" if "-" in p else "Y"))
                                         for p in labels])
        return wide.sort_index()

    def fit(self, panel: pd.DataFrame, directions: Mapping | None = None, weighting="entropy") -> "CityRankingResults":
        """Score and rank the cities in every period.

        Parameters
        ----------
        panel : pd.DataFrame
            ``PeriodIndex`` rows; ``MultiIndex`` columns ``(city, component)``, every city having
            the same components. A city–period with a missing component is not scored.
        directions : mapping, optional
            ``{component: +1 | -1}``; default +1.
        weighting : {"equal", "entropy", "pca"} or mapping
            As in :class:`DevelopmentIndex`.

        Returns
        -------
        CityRankingResults
        """
        if not isinstance(panel, pd.DataFrame) or not isinstance(panel.columns, pd.MultiIndex) \
                or panel.columns.nlevels != 2:
            raise ModelError("面板列应为 (城市, 指标) 二级索引 / panel columns must be a (city, component) MultiIndex")
        if not isinstance(panel.index, pd.PeriodIndex):
            raise ModelError("面板索引应为 PeriodIndex / panel must have a PeriodIndex")
        long = panel.astype(float).stack(level=0, future_stack=True)  # rows (period, city), columns components
        long.index.names = ["period", "city"]
        long = long.sort_index()
        d = _directions(long.columns, directions)
        complete = long.dropna()
        skipped = [f"{p}/{c}" for p, c in long.index.difference(complete.index)]
        if complete.index.get_level_values("city").nunique() < 2:
            raise ModelError("至少需要两个城市 / at least two cities are needed for a ranking")
        oriented = complete * d
        weights, method, info = resolve_weights(weighting, oriented)
        u = minmax(oriented)
        contributions = 100.0 * u * weights
        score = contributions.sum(axis=1)
        period_mean_u = u.groupby(level="period").transform("mean")
        gaps = 100.0 * (u - period_mean_u) * weights
        rank = score.groupby(level="period").rank(ascending=False, method="min").astype(int)
        return CityRankingResults(complete, u, weights, score, rank, contributions, gaps, method,
                                  {**info, "skipped": skipped, "directions": d.astype(int).to_dict()})

    @classmethod
    def example(cls):
        periods = pd.period_range("2025Q1", "2025Q4", freq="Q")
        cities = ["450100", "450200", "450300", "450500"]
        rng = np.random.default_rng(3)
        data = {}
        for n, city in enumerate(cities):
            data[(city, "gdp_ytd_growth")] = 4.5 + 0.4 * n + rng.normal(0, 0.3, len(periods))
            data[(city, "retail_sales_ytd_growth")] = 5.0 - 0.2 * n + rng.normal(0, 0.5, len(periods))
            data[(city, "surveyed_unemployment")] = 5.0 + 0.1 * n + rng.normal(0, 0.1, len(periods))
        panel = pd.DataFrame(data, index=periods)
        panel.columns = pd.MultiIndex.from_tuples(panel.columns, names=["city", "component"])
        return cls(), (panel,), {"directions": {"surveyed_unemployment": -1}, "weighting": "entropy"}


class CityRankingResults(ModelResults):
    """Scores (``score``, Series on (period, city)), ranks (``rank``), ``weights``, and per
    component ``contributions`` (sum to the score) and ``gap_contributions`` (sum to the gap to
    the period's mean score)."""

    model = CityRanking.name

    def __init__(self, values, normalised, weights, score, rank, contributions, gaps, method, info):
        self.values, self.normalised, self.weights = values, normalised, weights
        self.score, self.rank, self.contributions, self.gap_contributions = score, rank, contributions, gaps
        self.method, self.info = method, info

    def scores(self) -> pd.DataFrame:
        """One row per period and city: ``period, city, score, rank``, best first in each period."""
        frame = pd.DataFrame({"score": self.score, "rank": self.rank}).reset_index()
        frame["period"] = frame["period"].astype(str)
        return frame.sort_values(["period", "rank"], kind="stable").reset_index(drop=True)

    def to_frame(self) -> pd.DataFrame:
        """One row per period, city and component: ``period, city, component, value, normalised,
        weight, contribution, gap_contribution, score, rank``."""
        k = len(self.weights)
        periods = self.score.index.get_level_values("period")
        cities = self.score.index.get_level_values("city")
        return pd.DataFrame({
            "period": np.repeat([str(p) for p in periods], k),
            "city": np.repeat([str(c) for c in cities], k),
            "component": np.tile([str(c) for c in self.weights.index], len(self.score)),
            "value": self.values.to_numpy().ravel(),
            "normalised": self.normalised.to_numpy().ravel(),
            "weight": np.tile(self.weights.to_numpy(), len(self.score)),
            "contribution": self.contributions.to_numpy().ravel(),
            "gap_contribution": self.gap_contributions.to_numpy().ravel(),
            "score": np.repeat(self.score.to_numpy(), k),
            "rank": np.repeat(self.rank.to_numpy(), k),
        })

    def summary(self) -> dict[str, Any]:
        latest = self.score.index.get_level_values("period").max()
        table = self.scores()
        top = table[table["period"] == str(latest)]
        return json_safe({
            "weighting": self.method,
            "weights": {str(k): v for k, v in self.weights.items()},
            "latest_period": latest,
            "latest_ranking": [{"city": r["city"], "score": r["score"], "rank": r["rank"]}
                               for r in top.to_dict("records")],
            "n_periods": int(self.score.index.get_level_values("period").nunique()),
            "n_cities": int(self.score.index.get_level_values("city").nunique()),
            **self.info,
        })


# ---------------------------------------------------------------------------------------------

def _require_panel(panel) -> pd.DataFrame:
    if not isinstance(panel, pd.DataFrame):
        raise ModelError("面板应为 DataFrame / panel must be a DataFrame")
    if not isinstance(panel.index, pd.PeriodIndex):
        raise ModelError("面板索引应为 PeriodIndex / panel must have a PeriodIndex")
    if panel.index.has_duplicates or not panel.index.is_monotonic_increasing:
        raise ModelError("面板时期应唯一且递增 / panel periods must be unique and increasing")
    if panel.shape[1] < 1:
        raise ModelError("面板没有指标列 / panel has no component columns")
    try:
        return panel.astype(float)
    except (TypeError, ValueError) as exc:
        raise ModelError(f"面板应全为数值 / panel must be numeric: {exc}") from None


def _as_period(value, index: pd.PeriodIndex) -> pd.Period:
    if isinstance(value, pd.Period):
        return value
    try:
        return pd.Period(str(value), freq=index.freq)
    except (ValueError, TypeError):
        raise ModelError(f"无法识别基期“{value}” / cannot read base period '{value}'") from None
