"""Dates as staff type them (2016-03-31, 2016-3-31, 2016.3.31, 2016/3/31, 2016年3月31日: one reading), and as the site writes them."""
from __future__ import annotations

import datetime as dt
import re

_DATE_TEXT = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?|[./-]\s*(\d{1,2})\s*[./-]\s*(\d{1,2}))")


class BadDate(ValueError):
    """The text is not a date, or names a day that does not exist; the message says which, in Chinese."""


def parse_date(text: str) -> dt.date:
    """Year first, always written in full: 3/31/2016 has more than one reading and is refused."""
    match = _DATE_TEXT.fullmatch(text.strip())
    if not match:
        raise BadDate(f"“{text}”无法识别：请填写如 2016-03-31 的日期（年份写全，年-月-日的顺序）")
    year, month, day = int(match[1]), int(match[2] or match[4]), int(match[3] or match[5])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadDate(f"“{text}”不存在（{year}年没有{month}月{day}日）") from None


def cn_date(day: dt.date) -> str:
    """A date as the site, its documents and forms write it: 2016年1月20日."""
    return f"{day.year}年{day.month}月{day.day}日"
