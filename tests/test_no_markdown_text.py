"""No built page shows Markdown syntax as text: a table that Markdown did not recognise (a missing
blank line before it) reaches the reader as `| 列名 | 类型 | … | --- |`."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# A table's delimiter row, as Markdown writes it: `| --- |`, `|---|`, `| :--- | ---: |`.
TABLE_SYNTAX = re.compile(r"\|\s*:?-{3,}:?\s*\|")


class _VisibleText(HTMLParser):
    """The text a reader sees: everything outside <script>, <style>, <template> and comments."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_visible_text_finds_a_table_left_as_text():
    assert TABLE_SYNTAX.search(visible_text("<p>说明。\n| 列名 | 类型 |\n| --- | --- |\n| a | b |</p>"))
    assert TABLE_SYNTAX.search(visible_text("<p>|列名|\n|---|</p>"))
    assert not TABLE_SYNTAX.search(visible_text("<table><tr><td>—</td></tr></table><script>'| --- |'</script>"))


def test_no_page_shows_markdown_table_syntax_as_text(built_site: Path):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    offending = {}
    for path in pages:
        text = visible_text(path.read_text(encoding="utf-8"))
        found = TABLE_SYNTAX.search(text)
        if found:
            offending[str(path.relative_to(built_site))] = text[max(found.start() - 60, 0): found.end() + 20]
    assert offending == {}
