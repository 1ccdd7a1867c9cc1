"""Reporting periods: how a period is written (2016-Q1), the days a quarter covers, the years it may fall in."""
from __future__ import annotations

import datetime as dt
import re

PERIOD_PATTERN = r"\d{4}-Q[1-4]"
PERIOD_FORMAT_PROBLEM = "格式不对，应为 年份-Q季度，如 2016-Q1"


def is_period(text: str | None) -> bool:
    return bool(re.fullmatch(PERIOD_PATTERN, text or ""))


def period_format_problem(text: str | None) -> str | None:
    """The message for a period typed on the command line that is not one, else None."""
    return None if is_period(text) else f"报告期“{text}”{PERIOD_FORMAT_PROBLEM}"


def quarter_start(period: str) -> dt.date:
    """The first day a period's report covers: 2016-Q2 → 2016-04-01."""
    year, quarter = period.split("-Q")
    return dt.date(int(year), 3 * int(quarter) - 2, 1)


def quarter_end(period: str) -> dt.date:
    """The last day a period's report covers: 2015-Q4 → 2015-12-31."""
    year, quarter = (int(part) for part in period.split("-Q"))
    return dt.date(year, 12, 31) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def quarter_number(period: str) -> int:
    """Consecutive quarters have consecutive numbers (2015-Q4 → 2016-Q1 is one step)."""
    year, quarter = period.split("-Q")
    return int(year) * 4 + int(quarter)


def report_years(start: int, end: int) -> tuple[int, int]:
    """The years reports may cover: the plan period and the year after it."""
    return start, end + 1


def years_problem(period: str, start: int, end: int) -> str | None:
    """The message for a period outside the years reports may cover (report_years), else None."""
    first, last = report_years(start, end)
    if first <= int(period[:4]) <= last:
        return None
    return f"报告期 {period} 不在计划期及其后一年（{first}—{last}年）之内"
