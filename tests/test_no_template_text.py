"""No built page shows Jinja template text: a comment, expression or statement a template did not
consume ({# … #}, {{ … }}, {% … %}, or this site's own comment markers <#-- … --#>) reaches no reader.

The templates (plansite/pages/templates) write Markdown heading ids as {#id}, so their comments are
<#-- … --#>: a comment still written {# … #} is printed as it is. The method page once showed
"{# 谁来报送 (issue 12): … #}" so. Text inside <code>, <pre>, <script> and <style> is not scanned:
code samples, Material's JSON configuration and its scripts' braces are not template text."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, build_site

MINI = ROOT / "tests" / "fixtures" / "mini"
# Jinja's default delimiters, and the comment markers plansite/pages/render.py sets: a whole
# construct where it is whole (one hit, not two), else a delimiter alone.
TEMPLATE_TEXT = re.compile(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}|<#--.*?--#>|\{#|#\}|\{\{|\}\}|\{%|%\}|<#--|--#>")


class _TemplateText(HTMLParser):
    """Template text in what a page shows: its text and its attribute values (alt, title, aria-label
    are read out or shown too), outside <code>, <pre>, <script> and <style>."""

    SKIPPED = {"code", "pre", "script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)  # &#123;&#123; is {{ to a reader
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.skipped = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipped += 1
        if not self.skipped:
            self.attributes += [f"<{tag} {name}=“{value}”>" for name, value in attrs
                                if value and TEMPLATE_TEXT.search(value)]

    def handle_startendtag(self, tag, attrs):  # <img … />: no element to skip into
        if not self.skipped:
            self.attributes += [f"<{tag} {name}=“{value}”>" for name, value in attrs
                                if value and TEMPLATE_TEXT.search(value)]

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipped:
            self.skipped -= 1

    def handle_data(self, data):
        if not self.skipped:
            self.text.append(data)


def template_text(html: str) -> list[str]:
    """Each piece of template text on a page, with the text around it."""
    parser = _TemplateText()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.text).split())
    return [f"…{text[max(m.start() - 40, 0): m.end() + 40]}…" for m in TEMPLATE_TEXT.finditer(text)] + parser.attributes


def test_the_scanner_finds_a_comment_left_as_text_and_skips_code():
    assert template_text("<h2>谁来报送</h2><p>{# 谁来报送 (issue 12): kept whole #}</p>")
    assert template_text("<p>共 {{ plan.tasks | length }} 项</p>")
    assert template_text("<p>{% if latest %}截至</p>")
    assert template_text("<p>&lt;#-- a comment --#&gt;</p>")
    assert template_text('<img alt="{{ chart.alt }}" src="a.svg">')
    assert template_text("<p><code>x</code>{# after the code #}</p>")
    assert template_text("<p>{# x #}</p>") == ["…{# x #}…"]
    assert template_text(
        "<p>标题写作 <code>{# x #}</code>。</p><pre><code>{{ a }} {% b %}</code></pre>"
        '<script id="__config" type="application/json">{"a": {"b": {}}}</script>'
        "<script>if(a){try{b()}catch(e){}}</script><style>a{b:c}}</style><p>正文</p>") == []


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Path:
    """The tiny second plan (tests/fixtures/mini: no quarterly progress), built as the real one is."""
    site = tmp_path_factory.mktemp("mini") / "site"
    result = build_site(MINI, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.mark.parametrize("which", ["built_site", "mini_site"])
def test_no_page_shows_template_text(which, request):
    site: Path = request.getfixturevalue(which)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > (100 if which == "built_site" else 20)
    assert (site / "method" / "index.html") in pages
    found = {}
    for path in pages:
        hits = template_text(path.read_text(encoding="utf-8"))
        if hits:
            found[path.relative_to(site).as_posix()] = hits[:3]
    assert found == {}, "template text on pages:\n" + "\n".join(f"  {page}: {hits}" for page, hits in found.items())
