"""One stylesheet for every page.

Pages link Material's two stylesheets, the site's own (extra.css) and the print styles (print.css and
the running head made from the data, media="print"): five requests, the first three holding up the
first paint. The build puts them into one file, in the same order, each linked with a media query
wrapped in `@media` of that query (the same cascade, and print rules apply only in print as before),
comments left out and relative url()s rebased; Material's two are cut to the rules this site's
pages can use (css_prune.py: the pages' markup and the words of every script that runs on them decide),
and their custom properties nothing reads are dropped. The file has one name (urls.SITE_STYLESHEET),
not its content's hash: it carries the running head made from the data, and a published report's
page must not change because a later quarter changed the stylesheet.

Material's files and the site's stay in the site as they are (unlinked): what the one stylesheet was
made from, listed in its first comment (tests/test_stylesheet.py loads the pages with those files
instead and compares every element's computed style).
"""
from __future__ import annotations

import html as html_entities
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from .. import urls
from .css_prune import (LONG_VALUE, STRING as _STRING, Present, drop_properties, prune, strip_comments,
                        unread_properties, words)

LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?: media="([^"]+)")?>')
# Material's own stylesheets: cut to what the pages use. The site's are kept whole.
MATERIAL = re.compile(r"assets/stylesheets/(main|palette)\.[0-9a-f]{8}\.min\.css")
URL = re.compile(r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)""")
STRING = re.compile(_STRING)
CHARSET = re.compile(r'^\s*@charset\s+"[^"]*";', re.I)
# Scripts that run in the search worker only, with no page to add a class to.
WORKER_ONLY = ("assets/javascripts/lunr/",)
TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)([^>]*)>")
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


class Markup:
    """What a site's pages hold that a selector can ask for (css_prune.Present): element names,
    attributes with their values (not the long ones: LONG_VALUE) and the words of their inline
    scripts. Not their text: it adds no element."""

    def __init__(self):
        self.tags: set[str] = set()
        self.attributes: dict[str, set[str]] = {}
        self.scripts: set[str] = set()
        self.styles: set[str] = set()  # style attributes, whole (their var(--…) read custom properties)

    def add(self, html: str) -> None:
        for match in TAG.finditer(html):
            self.tags.add(match.group(1).lower())
            for name, *quoted in ATTRIBUTE.findall(match.group(2)):
                value = next((v for v in quoted if v), "")
                value = html_entities.unescape(value) if "&" in value else value
                name = name.lower()
                if name == "style":
                    self.styles.add(value)
                values = self.attributes.setdefault(name, set())
                if len(value) <= LONG_VALUE:
                    values.add(value)
        for match in SCRIPT.finditer(html):
            self.scripts |= words(match.group(1))


PLACEHOLDER = urls.SITE_STYLESHEET  # what every page links; the file is written after the last page


class OneStylesheet:
    """One build's stylesheet. Each page goes through relink() as MkDocs is about to write it: its
    words are collected and its stylesheet links replaced by one link to PLACEHOLDER. finish(), once
    every page is written, writes the stylesheet there."""

    def __init__(self, site_url: str):
        self.prefix = urlsplit(site_url or "").path or "/"  # the 404 page's absolute addresses start so
        self.markup = Markup()
        self.parts: list[tuple[str, str]] | None = None

    def relink(self, html: str, dest: str) -> str:
        """`html`, the page MkDocs writes at `dest` (a path in the site), with one stylesheet link."""
        self.markup.add(html)
        head = _head(html)
        linked = [(self._site_path(dest, href), media or "all") for href, media in LINK.findall(head)]
        if not linked:
            return html  # a page of raw HTML links none: left as it is
        if self.parts is None:
            self.parts = linked
        elif linked != self.parts:
            raise RuntimeError(f"{dest} links other stylesheets than the other pages: {linked} instead of {self.parts}")
        first = True

        def one(match: re.Match) -> str:
            nonlocal first
            if not first:
                return ""
            first = False
            if match.group(1).startswith("/"):
                return f'<link rel="stylesheet" href="{self.prefix}{PLACEHOLDER}">'
            return f'<link rel="stylesheet" href="{posixpath.relpath(PLACEHOLDER, posixpath.dirname(dest) or ".")}">'
        return LINK.sub(one, head) + html[len(head):]

    def _site_path(self, dest: str, href: str) -> str:
        if href.startswith("/"):
            if not href.startswith(self.prefix):
                raise RuntimeError(f"{dest}: stylesheet {href} outside the site's path {self.prefix}")
            return href[len(self.prefix):]
        return posixpath.normpath(posixpath.join(posixpath.dirname(dest), href))

    def finish(self, site: Path) -> str | None:
        """Write the one stylesheet into `site`; its path in the site, or None when no page linked a
        stylesheet."""
        if not self.parts:
            return None
        scripts = set(self.markup.scripts)
        for script in sorted(site.rglob("*.js")):
            if not script.relative_to(site).as_posix().startswith(WORKER_ONLY):
                scripts |= words(script.read_text(encoding="utf-8"))
        present = Present(scripts, self.markup.tags, self.markup.attributes)
        css = combine(site, self.parts, present, "\n".join(sorted(self.markup.styles)))
        (site / PLACEHOLDER).write_text(css, encoding="utf-8")
        return PLACEHOLDER


def _head(text: str) -> str:
    end = text.find("</head>")
    return text if end < 0 else text[:end]


def combine(site: Path, parts: list[tuple[str, str]], present: Present, styles: str = "") -> str:
    """The stylesheets `parts` ((site path, media) each) as one, for assets/stylesheets/: Material's
    cut to what can be `present`; `styles`, the pages' style attributes (their var(--…) read)."""
    texts = []
    for path, _ in parts:
        text = CHARSET.sub("", strip_comments((site / path).read_text(encoding="utf-8")))
        texts.append(prune(text, present) if MATERIAL.fullmatch(path) else text)
    material = [i for i, (path, _) in enumerate(parts) if MATERIAL.fullmatch(path)]
    others = "\n".join(texts[i] for i in range(len(parts)) if i not in material) + "\n" + styles
    unread = unread_properties("".join(texts[i] for i in material), others, present.words)
    out = ['@charset "UTF-8";\n/* One stylesheet made by the build (plansite/builder/stylesheet.py) from: '
           + ", ".join(path + ("" if media == "all" else f" (media {media})") for path, media in parts) + " */\n"]
    for i, (path, media) in enumerate(parts):
        text = drop_properties(texts[i], unread) if i in material else _compact(texts[i])
        text = _rebase(text, posixpath.dirname(path), posixpath.dirname(urls.SITE_STYLESHEET))
        out.append(text if media == "all" else f"@media {media}{{{text}}}")
        out.append("\n")
    return "".join(out)


def _compact(css: str) -> str:
    """Runs of white space as one space, none around braces and semicolons; strings untouched."""
    out, last = [], 0
    for match in STRING.finditer(css):
        out += [_squeeze(css[last:match.start()]), match.group()]
        last = match.end()
    out.append(_squeeze(css[last:]))
    return "".join(out).strip()


def _squeeze(text: str) -> str:
    return re.sub(r"\s*([{};])\s*", r"\1", re.sub(r"\s+", " ", text))


def _rebase(css: str, source_dir: str, target_dir: str) -> str:
    """Relative url()s of a stylesheet in `source_dir` rewritten for one in `target_dir`."""
    def one(match: re.Match) -> str:
        quote, ref = match.group(1), match.group(2)
        if re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", ref, re.I) or source_dir == target_dir:
            return match.group(0)
        moved = posixpath.relpath(posixpath.normpath(posixpath.join(source_dir, ref)), target_dir or ".")
        return f"url({quote}{moved}{quote})"
    return URL.sub(one, css)
