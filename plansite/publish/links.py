"""The built tree's links: every internal link, #anchor, search-index and sitemap URL resolves to a
file of the tree; external links are listed, never fetched. Used by the tests and by make publish."""
from __future__ import annotations

import html.parser
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from plansite.errors import PublishError
from plansite.search.material import read_index


class Links(html.parser.HTMLParser):
    """Every link target and every anchor of one HTML file."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.targets: list[tuple[str, str]] = []  # (tag.attribute, url)
        self.anchors: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.anchors.add(value)
            elif name in ("href", "src", "action", "poster", "data") and value is not None:
                self.targets.append((f"{tag}.{name}", value))
            elif name == "srcset" and value:
                self.targets += [(f"{tag}.srcset", part.split()[0]) for part in value.split(",") if part.strip()]


def site_address(site: Path) -> str:
    """The published address the site was built for: the home page's canonical link."""
    home = site / "index.html"
    match = re.search(r'<link rel="canonical" href="([^"]+)"', home.read_text(encoding="utf-8")) if home.is_file() else None
    if not match:
        raise PublishError(f"{home}：首页缺少规范网址（canonical 链接），无法检查链接")
    return match.group(1)


def crawl(site: Path) -> tuple[list[str], list[str]]:
    """(broken internal links, external links) over every HTML file, the search index and sitemap."""
    base = site_address(site)
    base_parts = urlsplit(base)
    parsed: dict[Path, Links] = {}

    def page(path: Path) -> Links:
        if path not in parsed:
            parsed[path] = Links(path.read_text(encoding="utf-8"))
        return parsed[path]

    broken, external = [], []

    def resolve(source: str, source_dir: str, url: str, label: str | None = None) -> None:
        """Check `url` as written on page `source` (a file in the site), reported as `label`."""
        label = label or source
        parts = urlsplit(url)
        if parts.scheme in ("mailto", "tel", "data"):
            return
        if parts.scheme in ("http", "https") and not url.startswith(base):
            external.append(url)
            return
        if parts.scheme and not url.startswith(base):
            broken.append(f"{label}: {url} (scheme {parts.scheme})")
            return
        if url.startswith(base):  # canonical links, the 404 page: absolute addresses of this site
            path = parts.path[len(base_parts.path):]
        elif parts.path.startswith("/"):
            if not parts.path.startswith(base_parts.path):
                broken.append(f"{label}: {url} (outside the site's path {base_parts.path})")
                return
            path = parts.path[len(base_parts.path):]
        else:
            path = posixpath.normpath(posixpath.join(source_dir, unquote(parts.path))) if parts.path else None
            if path == ".":
                path = ""
            if path and path.startswith(".."):
                broken.append(f"{label}: {url} (above the site root)")
                return
        if path is None:  # "#anchor" on the same page
            target = site / source
        else:
            target = site / path
            if url.split("#")[0].split("?")[0].endswith("/") or target.is_dir():
                target = target / "index.html"
        if not target.is_file():
            broken.append(f"{label}: {url} (no file {target.relative_to(site)})")
            return
        if parts.fragment:
            if target.suffix != ".html":
                broken.append(f"{label}: {url} (an anchor in a {target.suffix} file)")
            elif unquote(parts.fragment) not in page(target).anchors:
                broken.append(f"{label}: {url} (no id “{parts.fragment}” in {target.relative_to(site)})")

    html_files = sorted(site.rglob("*.html"))
    for path in html_files:
        rel = path.relative_to(site).as_posix()
        # Pages are published as directories (tasks/05/), so links are relative to the page's folder.
        folder = posixpath.dirname(rel)
        for _, url in page(path).targets:
            resolve(rel, folder, url)
    for doc in read_index(site)["docs"]:  # packed for the worker: the locations as it reads them
        # Locations are relative to the site root: "#latest" is an anchor of the home page.
        resolve("index.html", "", doc["location"], "search/search_index.json")
    for url in re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")):
        resolve("index.html", "", url, "sitemap.xml")
    return broken, external
