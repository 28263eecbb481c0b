"""The catalog's units in English, for labels and for the English text of generated sentences."""

from __future__ import annotations

UNITS_EN = {
    "亿元": "100 mn yuan", "万元": "10k yuan", "元": "yuan", "万人": "10k persons", "万吨": "10k tonnes",
    "万人次": "10k visits", "亿千瓦时": "100 mn kWh", "万辆": "10k vehicles", "个": "units",
    "万平方米": "10k m²", "万标准箱": "10k TEU", "万件": "10k items", "万美元": "10k USD", "台": "units",
    "上年同期=100": "same period last year = 100", "农村=1": "rural = 1", "元/人次": "yuan per visit",
}


def english(unit: str) -> str:
    """The English name of a catalog unit (the unit itself when it has none, e.g. ``%``)."""
    return UNITS_EN.get(unit, unit)
