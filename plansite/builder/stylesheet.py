"""One stylesheet for every page, made after the last page is written.

Pages link Material's two stylesheets, the site's own (extra.css) and the print styles (print.css and
the running head made from the data, media="print"): five requests, the first four holding up the
first paint. The build puts them into one file, in the same order, each linked with a media query
wrapped in `@media` of that query (the same cascade, and print rules apply only in print as before),
comments left out and relative url()s rebased; Material's two are cut to the rules this site's
pages can use (css_prune.py: the words of every page and of every script that runs on them decide),
and their custom properties nothing reads are dropped. The file is named by the hash of its content
(nginx caches such names for a year), so each page's links are replaced by one link once it exists.

Material's files and the site's stay in the site as they are (unlinked): what the one stylesheet was
made from, listed in its first comment (tests/test_stylesheet.py loads the pages with those files
instead and compares every element's computed style).
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from .. import urls
from .css_prune import STRING as _STRING, Present, drop_properties, prune, strip_comments, unread_properties, words

LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?: media="([^"]+)")?>')
# Material's own stylesheets: cut to what the pages use. The site's are kept whole.
MATERIAL = re.compile(r"assets/stylesheets/(main|palette)\.[0-9a-f]{8}\.min\.css")
URL = re.compile(r"""url\(\s*(["']?)([^"')\s]+)\1\s*\)""")
STRING = re.compile(_STRING)
CHARSET = re.compile(r'^\s*@charset\s+"[^"]*";', re.I)
# Scripts that run in the search worker only, with no page to add a class to.
WORKER_ONLY = ("assets/javascripts/lunr/",)


def derive_stylesheet(site: Path) -> str | None:
    """Write the one stylesheet into `site` and link every page to it; its site path, or None when
    the pages link no stylesheet."""
    pages = []  # those linking stylesheets (a page of raw HTML links none: left as it is)
    found: set[str] = set()
    parts = None
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        found |= words(text)
        linked = _linked(site, page, text)
        if not linked:
            continue
        pages.append(page)
        if parts is None:
            parts = linked
        elif linked != parts:
            raise RuntimeError(f"{page.relative_to(site)} links other stylesheets than the other pages: "
                               f"{linked} instead of {parts}")
    if not parts:
        return None
    for script in sorted(site.rglob("*.js")):
        if not script.relative_to(site).as_posix().startswith(WORKER_ONLY):
            found |= words(script.read_text(encoding="utf-8"))
    css = combine(site, parts, found)
    digest = hashlib.sha256(css.encode("utf-8")).hexdigest()
    path = urls.site_stylesheet(digest)
    (site / path).write_text(css, encoding="utf-8")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        page.write_text(_relink(site, page, text, path), encoding="utf-8")
    return path


def _linked(site: Path, page: Path, text: str) -> list[tuple[str, str]]:
    """(site path, media) of each stylesheet the page links, in order."""
    return [(_site_path(site, page, href), media or "all") for href, media in LINK.findall(_head(text))]


def _head(text: str) -> str:
    end = text.find("</head>")
    return text if end < 0 else text[:end]


def _site_path(site: Path, page: Path, href: str) -> str:
    if href.startswith("/"):  # the 404 page's absolute addresses: the site's path prefix first
        prefix = _prefix(site)
        if not href.startswith(prefix):
            raise RuntimeError(f"{page.relative_to(site)}: stylesheet {href} outside the site's path {prefix}")
        return href[len(prefix):]
    return posixpath.normpath(posixpath.join(page.parent.relative_to(site).as_posix(), href))


def _prefix(site: Path) -> str:
    home = (site / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<link rel="canonical" href="[a-z]+://[^/"]+(/[^"]*)"', home)
    return match.group(1) if match else "/"


def combine(site: Path, parts: list[tuple[str, str]], found: set[str]) -> str:
    """The stylesheets `parts` ((site path, media) each) as one, for assets/stylesheets/; `found`,
    the words of the pages and their scripts (style attributes' var(--…) among them)."""
    present = Present(found)
    texts = []
    for path, _ in parts:
        text = CHARSET.sub("", strip_comments((site / path).read_text(encoding="utf-8")))
        texts.append(prune(text, present) if MATERIAL.fullmatch(path) else text)
    material = [i for i, (path, _) in enumerate(parts) if MATERIAL.fullmatch(path)]
    others = "\n".join(texts[i] for i in range(len(parts)) if i not in material)
    unread = unread_properties("".join(texts[i] for i in material), others, found)
    out = ['@charset "UTF-8";\n/* One stylesheet made by the build (plansite/builder/stylesheet.py) from: '
           + ", ".join(path + ("" if media == "all" else f" (media {media})") for path, media in parts) + " */\n"]
    for i, (path, media) in enumerate(parts):
        text = drop_properties(texts[i], unread) if i in material else _compact(texts[i])
        text = _rebase(text, posixpath.dirname(path), posixpath.dirname(urls.site_stylesheet("0" * 8)))
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


def _relink(site: Path, page: Path, text: str, path: str) -> str:
    """The page's stylesheet links replaced by one link to `path`, where the first one was."""
    first = True

    def one(match: re.Match) -> str:
        nonlocal first
        if not first:
            return ""
        first = False
        if match.group(1).startswith("/"):
            new = _prefix(site) + path
        else:
            new = posixpath.relpath(path, page.parent.relative_to(site).as_posix() or ".")
        return f'<link rel="stylesheet" href="{new}">'
    head = _head(text)
    return LINK.sub(one, head) + text[len(head):]
