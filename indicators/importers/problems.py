"""Bilingual import problems: every message names the row, the column, what was expected and what was found."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Problem:
    row: int | None
    column: str | None
    found: str | None
    message_zh: str
    message_en: str

    def as_dict(self) -> dict:
        return asdict(self)


def problem(row, column, found, what_zh, what_en, expected_zh, expected_en) -> Problem:
    found_text = "" if found is None else str(found)
    where_zh = f"第{row}行" if row else "文件"
    where_en = f"row {row}" if row else "file"
    col_zh = f"“{column}”列" if column else ""
    col_en = f", column '{column}'" if column else ""
    return Problem(
        row=row, column=column, found=found_text,
        message_zh=f"{where_zh}{col_zh}：{what_zh}；应为{expected_zh}，实际为“{found_text}”",
        message_en=f"{where_en}{col_en}: {what_en}; expected {expected_en}, found '{found_text}'",
    )
