"""Our copies of Material's templates are Material's files plus the edits recorded here.

overrides/404.html, overrides/partials/search.html, overrides/partials/footer.html, overrides/partials/javascripts/base.html
and the htmltitle block of overrides/main.html are copies of Material's own, with small changes. Undoing each recorded change
must give back the installed Material file exactly: when the lock brings a Material whose file
changed (a fix we would otherwise hide), this fails, and the copy is redone from the new file.
"""
from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from conftest import ROOT

MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = ROOT / "overrides"
# Material's generated templates start with this comment; ours say there what we changed.
UPSTREAM_HEADER = "{#-\n  This file was automatically generated - do not edit\n-#}\n"
HEADER = re.compile(r"\A\{#-\n.*?\n-#\}\n", re.S)
BLOCK = r"\{%\s*block htmltitle\s*%\}.*?\{%\s*endblock\s*%\}"

# file → (our text, Material's text, how many times it occurs)
EDITS = {
    "partials/search.html": [
        # The search dialog gets an accessible name (axe: aria-dialog-name).
        ('role="dialog" aria-label="{{ lang.t(\'search\') }}">', 'role="dialog">', 1),
        # The number of results is announced to screen readers (a live region Material updates in place).
        ('<div class="md-search-result__meta" role="status">', '<div class="md-search-result__meta">', 1),
    ],
    "partials/footer.html": [
        # Previous/next aria-labels: the title's HTML un-escaped, then escaped once.
        ("title | striptags | e }}", "title | e }}", 2),
        # The 网站地图 link and the government-website settings (our own partial, below the copyright).
        ('    {% include "partials/site-info.html" %}\n', "", 1),
    ],
    "partials/javascripts/base.html": [
        # The scope read from a data attribute: one script text, one CSP hash, for every page.
        ('<script data-md-scope="{{ config.extra.scope | d(base_url) }}">', "<script>", 1),
        ("new URL(document.currentScript.dataset.mdScope,location)",
         'new URL("{{ config.extra.scope | d(base_url) }}",location)', 1),
    ],
    "404.html": [
        # The heading in Chinese, and where to go on from here (the home page, the 网站地图, search).
        ("""<h1>找不到这个页面（404）</h1>
  <p>您要打开的网页不存在，可能是网址输错了，或者页面已经移动。</p>
  <p>可以用页面上方的搜索框查找，或者从<a href="{{ '.' | url }}">首页</a>、<a href="{{ site_urls.sitemap | url }}">网站地图</a>找到所需的页面。</p>""",
         "<h1>404 - Not found</h1>", 1),
    ],
    "main.html#htmltitle": [
        # Titles escaped again after striptags, so "</title><script>" stays text.
        ("{{ page.meta.title | e }}", "{{ page.meta.title }}", 1),
        ("{{ page.title | striptags | e }}", "{{ page.title | striptags }}", 1),
    ],
}

# Our own templates, included by the copies above: no Material file of that name exists.
OWN = ["partials/site-info.html", "partials/gov-meta.html", "partials/care-head.html"]


def _htmltitle(text: str) -> str:
    """The htmltitle block, one stripped line per line (the two files indent it differently)."""
    block = re.search(BLOCK, text, re.S)
    assert block, "no htmltitle block"
    return "\n".join(line.strip() for line in block.group(0).splitlines() if line.strip())


def _ours_undone(name: str) -> str:
    path, _, block = name.partition("#")
    text = (OVERRIDES / path).read_text(encoding="utf-8")
    if block:
        text = _htmltitle(text)
    else:
        assert HEADER.match(text), f"{path}: starts with a comment naming the Material file and our change"
        text = HEADER.sub(lambda _: UPSTREAM_HEADER, text, count=1)
    for ours, upstream, times in EDITS[name]:
        assert text.count(ours) == times, f"{path}: the recorded edit {ours!r} is not there {times} time(s)"
        text = text.replace(ours, upstream)
    return text


@pytest.mark.parametrize("name", sorted(EDITS))
def test_our_copy_is_materials_file_with_only_the_recorded_edits(name):
    path, _, block = name.partition("#")
    upstream = (MATERIAL / ("base.html" if block else path)).read_text(encoding="utf-8")
    if block:
        upstream = _htmltitle(upstream)
    assert _ours_undone(name) == upstream, (
        f"overrides/{path}{' (' + block + ')' if block else ''} differs from the installed Material's: "
        "Material changed it, or we did without recording the edit here. Copy Material's new file, "
        "redo our edits and record them in EDITS.")


def test_every_copied_material_template_is_checked():
    """A new override of a Material partial is checked here too (main.html extends base.html)."""
    copies = {str(p.relative_to(OVERRIDES)) for p in OVERRIDES.rglob("*.html")} - {"main.html"} - set(OWN)
    assert copies == {name for name in EDITS if "#" not in name}
    # Our own partials are not Material's files (a name Material uses would override its file).
    assert not any((MATERIAL / name).exists() for name in OWN)
    main = (OVERRIDES / "main.html").read_text(encoding="utf-8")
    blocks = re.findall(r"\{%\s*block (\w+)\s*%\}(.*?)\{%\s*endblock\s*%\}", main, re.S)
    # The other blocks add to Material's through super(); htmltitle alone replaces Material's.
    assert {name for name, body in blocks if "super()" not in body} == {"htmltitle"}
