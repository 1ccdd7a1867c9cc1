"""plansite/pages/nobreak.py keep_whole: the texts between tags searched in one pass, with a lookahead
naming the characters a run begins with, wrap exactly what searching each text alone wraps."""
from __future__ import annotations

import re

from conftest import without_nw
from plansite.pages import nobreak


def piece_by_piece(html: str, units=()) -> str:
    """The plain way: every text between two tokens searched on its own, with no lookahead."""
    pattern = nobreak._runs(tuple(sorted(set(units))))
    plain = re.compile(pattern.pattern.split(")", 1)[1], pattern.flags)  # without the leading (?=[…])
    assert pattern.pattern.startswith("(?=[") and plain.pattern.startswith("(?<!")
    out, at = [], 0
    for token in nobreak._TOKENS.finditer(html):
        out.append(plain.sub(nobreak._wrap, html[at:token.start()]))
        out.append(token.group())
        at = token.end()
    out.append(plain.sub(nobreak._wrap, html[at:]))
    return "".join(out)


def test_every_built_page_is_marked_as_searching_each_text_alone_marks_it(built_site):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        html = without_nw(page.read_text(encoding="utf-8"))
        assert nobreak.keep_whole(html, {"万元"}) == piece_by_piece(html, {"万元"}), page


def test_a_run_never_reaches_across_a_tag_or_the_joint():
    html = "<p>2015年</p><p>12月31日</p><td>79.5</td><td>%</td>第<b>十三</b>、（十<i>三）</i>"
    assert nobreak.keep_whole(html) == piece_by_piece(html)
    assert nobreak.keep_whole(html).count('<span class="nw">') == 2  # 2015年 and 12月31日 only


def test_runs_beginning_with_any_kind_of_digit_or_ordinal_are_kept_whole():
    html = "<p>３１项、2015-Q4、（十三）、十三、第四季度、第3批、1.5倍、x2015年</p>"
    marked = nobreak.keep_whole(html)
    assert marked == piece_by_piece(html)
    assert re.findall(r'<span class="nw">(.*?)</span>', marked) == ["３１项", "2015-Q4", "（十三）", "十三、", "第四季度", "第3批",
                                                                   "1.5倍"]


def test_a_page_holding_the_joint_character_is_searched_text_by_text():
    html = "<p>a\x0031项</p><p>2015年\x00</p>"
    assert nobreak.keep_whole(html) == piece_by_piece(html)
    assert nobreak.keep_whole(html).count('<span class="nw">') == 2
