"""plansite/builder/css_prune.py: which rules of a stylesheet can match the site's pages.

A rule goes only when a name its selector requires is nowhere in the pages and scripts; all else is
written back unchanged. (That the one stylesheet made this way renders every page as Material's
whole stylesheets do is tests/test_stylesheet.py's, in Chromium.)"""
from __future__ import annotations

from pathlib import Path

import material
import pytest

from plansite.builder.css_prune import (LONG_VALUE, WORD, Present, drop_properties, possible, prune, split_rules,
                                        strip_comments, unread_properties, words)
from plansite.builder.stylesheet import Markup

MATERIAL_CSS = sorted((Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("*.min.css"))


@pytest.mark.parametrize("path", MATERIAL_CSS, ids=lambda p: p.name)
def test_with_every_name_present_materials_stylesheets_come_back_unchanged(path):
    """The parser reads Material's files whole: nothing dropped, nothing rewritten (but comments)."""
    css = path.read_text(encoding="utf-8")
    assert prune(css, Present(words(css))) == strip_comments(css)


@pytest.mark.parametrize("path", MATERIAL_CSS, ids=lambda p: p.name)
def test_with_no_name_present_only_rules_without_names_stay(path):
    kept = prune(path.read_text(encoding="utf-8"), Present(set()))
    assert ".md-" not in kept and "[data-md" not in kept
    assert len(kept) < len(path.read_text(encoding="utf-8")) / 3


PRESENT = Present({"md-nav", "md-nav__link", "a", "li", "input", "type", "checkbox", "data-md-color-scheme", "slate",
                   "href", "md-typeset", "table", "TH", "Data-Sort"})


@pytest.mark.parametrize("selector, expected", [
    (".md-nav", True),
    (".md-nav .md-nav__link:hover", True),            # states never drop a rule
    (".md-nav__link:focus-visible::after", True),
    (".md-nav .admonition", False),                   # a class no page or script names
    ("#__drawer", False),
    ("kbd", False),                                   # an element no page has
    ("th", True), ("TH", True),                       # element names without case
    ("[data-sort]", True),                            # attribute names too
    ("input[type=checkbox]:checked", True),
    ("input[type=radio]", False),                     # an attribute's whole value is a name
    ('[data-md-color-scheme="slate"] .md-nav', True),
    ("[data-md-color-primary=red]", False),
    ("a[href^=http]", True),                          # part of a value is not checked
    ("a[href$='.pdf' i]", True),
    (".md-typeset :is(.admonition,details)", False),  # :is() needs one argument that can match
    (".md-typeset :is(.admonition,table)", True),
    (".md-typeset :where(.tabbed-set)", False),
    ("li:has(> .md-nav__link)", True),
    ("li:has(> .tabbed-set)", False),
    (".md-nav:not(.admonition)", True),               # :not() requires nothing
    ("li:nth-child(2n+1)", True),
    (".md-nav>.md-nav__link+.md-nav__link~a", True),
    (".md-nav>.md-nav__link+.md-tag", False),
    (r".md-\31 0", True),                             # escapes: not worth understanding, kept
    ("svg|a", True),                                  # namespaces too
    ("*", True),
])
def test_what_a_selector_requires(selector, expected):
    assert possible(selector, PRESENT) is expected


def test_a_pages_markup_counts_and_its_text_does_not():
    """What a page says never changes the stylesheet: only its elements, attributes and scripts."""
    markup = Markup()
    markup.add('<p class="md-nav  nw" id="top" data-x="a b" title="kbd">admonition kbd .tabbed-set</p>'
               '<input type=checkbox><a href="x" data-long="' + "y" * (LONG_VALUE + 1) + '">'
               '<script>el.classList.add("md-tag")</script>')
    present = Present(markup.scripts, markup.tags, markup.attributes)
    assert possible("p.md-nav.nw#top a", present)
    assert not possible(".admonition", present) and not possible("kbd", present) and not possible(".tabbed-set", present)
    assert possible(".md-nav .md-tag", present)  # an inline script names it
    assert possible("input[type=checkbox]", present) and not possible("input[type=radio]", present)
    assert possible('[data-x="a b"]', present) and not possible('[data-x="a"]', present)  # the whole value
    assert not possible("[title=admonition]", present) and possible("[title=KBD]", present)
    assert possible("[data-long=z]", present) is False and possible(f"[data-long={'y' * (LONG_VALUE + 1)}]", present)


def test_a_rule_keeps_the_selectors_that_can_match_and_goes_when_none_can():
    css = (".md-nav,.admonition{color:red}.admonition,.tabbed-set{color:blue}"
           "@media screen{.admonition{color:green}}@media print{.md-nav{display:none}}"
           "@keyframes spin{0%{opacity:0}to{opacity:1}}@page{margin:1cm}")
    assert prune(css, PRESENT) == (".md-nav{color:red}@media print{.md-nav{display:none}}"
                                   "@keyframes spin{0%{opacity:0}to{opacity:1}}@page{margin:1cm}")


def test_a_list_with_a_browser_specific_pseudo_class_is_kept_whole():
    """Such a list is invalid, as a whole, in the browsers that do not know it; dropping part of it
    could make the rest valid where it was not."""
    css = ".md-nav::-moz-selection,.admonition::selection{color:red}"
    assert prune(css, PRESENT) == css


def test_strings_and_comments_do_not_confuse_the_parser():
    css = '/* .md-nav{} */a::after{content:"}{;/*"}/*x*/.md-nav{background:url("data:image/svg+xml;utf8,<svg/>")}'
    assert split_rules(strip_comments(css)) == [("a::after", 'content:"}{;/*"'),
                                                (".md-nav", 'background:url("data:image/svg+xml;utf8,<svg/>")')]


def test_the_words_of_a_page_are_its_runs_of_name_characters():
    text = '<p class="md-typeset nw">质量强市（2014-2015）：第4季度 --md-x é_ü a.b#c[d=e]</p>'
    assert words(text) == set(WORD.findall(text)) == {
        "p", "class", "md-typeset", "nw", "2014-2015", "4", "--md-x", "_", "a", "b", "c", "d", "e"}


def test_custom_properties_nothing_reads_are_dropped():
    css = (":root{--a:red;--b:var(--c);--c:blue;--d:green;--e:var(--d);--f:1px;--g:2px}"
           ".md-nav{color:var(--a)}@media screen{.md-nav{--h:0}}")
    # --a: read by a rule; --b and, through it, --c: read by another stylesheet; --f: named by a script.
    # --e reads --d, but nothing reads --e; --g and --h: nothing.
    unread = unread_properties(css, ".x{margin:var(--b)}", {"--f", "md-nav"})
    assert unread == {"--d", "--e", "--g", "--h"}
    assert drop_properties(css, unread) == ":root{--a:red;--b:var(--c);--c:blue;--f:1px}.md-nav{color:var(--a)}"
