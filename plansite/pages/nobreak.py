"""Numbers, dates and ordinals that never break across lines.

Chinese text may break between any two characters, so a browser would end a line inside
"2015年12月31日" (after 31), inside "31项" or "（十三）" (after 十), and, in a narrow table cell,
inside "79.5%". `keep_whole` wraps each such run of a written page in
<span class="nw"> (extra.css: white-space: nowrap). Only text between tags is touched: never a
tag or an attribute, nor the text of <head> (the page's <title>), <script>, <style>, <pre>, <code>,
<textarea> or an inline <svg>, so what a reader or a screen reader reads stays the same; the search
index is made before (and would drop the span).

What stays whole, each on one line:
- a date and its parts: 2015年12月31日, 2015年12月, 12月31日, 2015-12-31, 2015-Q4;
- a number with its unit or measure word: 79.5%, 31项, 31 项, 1.5倍, 3个百分点, 267.6 KB, 1620×1080 像素,
  第3批; a year is a number with its unit (2015年), and a quarter a Chinese ordinal (第四季度), so a
  period 2015年第四季度 may break only between the two (a heading at twice the size needs that);
- a Chinese ordinal: （十三）, (十三), 十三、, 第十三.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# Units of more than one character, tried before a single character is taken as the unit.
UNITS = ("个百分点", "百分点", "个月", "季度", "万元", "亿元", "万人", "平方米", "公里", "千米", "小时", "字节", "像素")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_CN_NUM = "〇零一二三四五六七八九十百千两"

# The tags, comments and elements whose text is left alone (an inline SVG's too, and a run a
# template keeps whole itself), in document order.
_SKIPPED = r"head|script|style|pre|code|textarea|svg"
# One group around the whole token and one for a skipped element's name: re.split gives text,
# token, name, text, token, name, …, text.
_TOKENS = re.compile(
    rf"(<!--.*?-->|<({_SKIPPED})\b[^>]*>.*?</\2\s*>|<span class=\"nw\">[^<]*(?:<(?!/?span\b)[^<]*)*</span>"
    r"|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)",
    re.S | re.I)
# Joins the texts between tokens, to be searched in one pass: never part of a run, nor of a
# page's text (the data may hold no control characters; a page holding one is searched piece by piece).
_JOIN = "\x00"


@functools.lru_cache(maxsize=8)
def _runs(units: tuple[str, ...]) -> re.Pattern:
    longer = sorted(set(UNITS) | {u for u in units if len(u) > 1}, key=lambda u: (-len(u), u))
    unit = "|".join([*map(re.escape, longer), "%", "‰", "％", "KB", "MB", "GB", rf"[{_HAN}]"])
    number = r"\d+(?:[.,]\d+)*(?:×\d+(?:[.,]\d+)*)?"
    date = r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|\d{4}-Q[1-4]"
    ordinal = (rf"[（(][{_CN_NUM}]{{2,}}[）)]"               # （十三）: (一) cannot break anyway
               rf"|(?<![{_CN_NUM}])[{_CN_NUM}]{{2,}}、"       # 十三、
               rf"|第[{_CN_NUM}]+(?:季度|[{_HAN}])?"         # 第四季度, 第十三项
               rf"|第 ?{number}(?: ?(?:{unit}))?")           # 第3批
    # A number keeps its unit: 31项, 31 项, 79.5%. A digit run alone cannot break and is not wrapped.
    measured = rf"{number}(?: ?(?:{unit}))"
    # Not the tail of a longer number or of a Latin word (v2, H5), nor of a character reference (&#39;).
    # The lookahead names every character a run may begin with: the search then skips the rest at
    # C speed (a seventh of the time over a build's pages).
    return re.compile(rf"(?=[\d（({_CN_NUM}第])(?<![0-9A-Za-z.,&#])(?:{date}|{ordinal}|{measured})")



def keep_whole(html: str, units: Iterable[str] = ()) -> str:
    """`html` with every number and its unit, date and ordinal in its text in <span class="nw">;
    `units` are units of measure the data uses (an indicator's 万元) besides the common ones."""
    pattern = _runs(tuple(sorted(set(units))))
    parts = _TOKENS.split(html)
    texts = parts[0::3]
    if _JOIN in html:
        texts = [pattern.sub(_wrap, text) for text in texts]
    else:  # one pass over all the text: a run never reaches across the joint (tests/test_nobreak.py)
        texts = pattern.sub(_wrap, _JOIN.join(texts)).split(_JOIN)
    parts[0::3] = texts
    del parts[2::3]  # the skipped elements' names, already inside their tokens
    return "".join(parts)


def _wrap(match: re.Match) -> str:
    return f'<span class="nw">{match.group()}</span>'
