"""Pure transforms of period-labelled series: Chinese statistical semantics, no database, no Dash.

A series is a ``pandas.Series`` of floats indexed by period labels (``2024-03``, ``2024-01/02``,
``2024Q1``, ``2024``; see :mod:`indicators.periods`), sorted. Every function returns a new
series with canonical labels and never modifies its input.
"""

from .contribution import contribution_pp, contribution_pp_yoy, contribution_rate, contribution_rate_yoy, share
from .frequency import aggregate, to_annual, to_quarterly
from .growth import compare_growth, growth_to_index, index_to_growth, mom, yoy
from .quarterly import accumulated_to_quarterly, quarterly_to_accumulated
from .vintages import latest, select_vintage
from .ytd import monthly_to_ytd, split_combined, ytd_to_monthly

__all__ = [
    "accumulated_to_quarterly",
    "aggregate",
    "compare_growth",
    "contribution_pp",
    "contribution_pp_yoy",
    "contribution_rate",
    "contribution_rate_yoy",
    "growth_to_index",
    "index_to_growth",
    "latest",
    "mom",
    "monthly_to_ytd",
    "quarterly_to_accumulated",
    "select_vintage",
    "share",
    "split_combined",
    "to_annual",
    "to_quarterly",
    "yoy",
    "ytd_to_monthly",
]
