"""What readers see of a built tree, apart from how it is drawn: each page's title and the text of its
article, line by line; the text of the footer every page carries; and the data a reader can download
(downloads/*: plan.json, the CSV tables; charts/*.csv: each chart's numbers). Styles, scripts, asset
names, images and the page head are left out, so a rebuild of the same data reads the same even if
the theme's file names change. The fingerprint is a sha256 of exactly this: same view, same value."""
from __future__ import annotations

import hashlib
import html.parser
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

FINGERPRINT_VERSION = "plansite-reader-view-1"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Elements that start a line of their own; table cells are set apart by an ideographic space.
BLOCK = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
         "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "nav",
         "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul"}
CELL = {"td", "th"}
SKIP = {"script", "style", "svg", "template", "noscript", "button"}  # not text a reader reads on the page
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


@dataclass(frozen=True)
class PageText:
    address: str  # relative to the site: "" for the home page, "tasks/02/", "404.html"
    title: str
    lines: tuple[str, ...]


@dataclass
class ReaderView:
    site_address: str
    pages: dict[str, PageText] = field(default_factory=dict)
    footer: tuple[str, ...] = ()
    files: dict[str, str] = field(default_factory=dict)  # downloadable data file → sha256 of its bytes
    plan: dict | None = None  # downloads/plan.json

    @property
    def fingerprint(self) -> str:
        body = {"version": FINGERPRINT_VERSION,
                "pages": {a: [p.title, list(p.lines)] for a, p in sorted(self.pages.items())},
                "footer": list(self.footer), "files": dict(sorted(self.files.items()))}
        text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Reader(html.parser.HTMLParser):
    """The text of a page's <article> (its first <h1> kept apart as the title), its <title>, and the
    text of the footer's site information (Material's .md-footer-meta)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, region it opened, skipped)
        self.parts: dict[str, list[str]] = {"article": [], "footer": [], "h1": [], "title": []}
        self.seen: set[str] = set()
        self.feed(text)
        self.close()

    def _regions(self) -> set[str]:
        return {region for _, region, _ in self.stack if region}

    def _skipped(self) -> bool:
        return any(skipped for _, _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        region = None
        if tag == "article" and "article" not in self.seen:
            region = "article"
        elif tag == "div" and "md-footer-meta" in classes and "footer" not in self.seen:
            region = "footer"
        elif tag == "h1" and "article" in self._regions() and "h1" not in self.seen:
            region = "h1"
        elif tag == "title" and "title" not in self.seen:
            region = "title"
        if region:
            self.seen.add(region)
        skipped = tag in SKIP or (tag == "a" and "headerlink" in classes)
        if tag in BLOCK or tag in CELL:
            self._text("\n" if tag in BLOCK else "\u3000")
        if tag not in VOID:
            self.stack.append((tag, region, skipped))

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK:
            self._text("\n")

    def handle_endtag(self, tag):
        if tag in VOID or not any(open_tag == tag for open_tag, _, _ in self.stack):
            return
        if tag in BLOCK:
            self._text("\n")
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        self._text(re.sub(r"\s", " ", data))  # a line break in the source is a space on the page

    def _text(self, text: str) -> None:
        if self._skipped():
            return
        for region in self._regions():
            self.parts[region].append(text)

    def lines(self, region: str) -> tuple[str, ...]:
        text = "".join(self.parts[region]).replace("\u200b", "")
        return tuple(line for line in (_SPACE.sub(" ", raw).strip() for raw in text.split("\n")) if line)


def page_address(tree: Path, path: Path) -> str:
    rel = path.relative_to(tree).as_posix()
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def _visible_files(tree: Path, pattern: str) -> list[Path]:
    return sorted(p for p in tree.glob(pattern)
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(tree).parts))


def read_view(tree: Path) -> ReaderView:
    """The reader's view of a built tree (a site/ folder or a published release)."""
    from plansite.publish.links import site_address

    view = ReaderView(site_address(tree))
    for path in _visible_files(tree, "**/*.html"):
        reader = _Reader(path.read_text(encoding="utf-8"))
        title = " ".join(reader.lines("h1")) or " ".join(reader.lines("title"))
        lines = reader.lines("article") or reader.lines("title")
        address = page_address(tree, path)
        view.pages[address] = PageText(address, title, lines)
        if address == "":
            view.footer = reader.lines("footer")
    for path in _visible_files(tree, "downloads/*") + _visible_files(tree, "charts/*.csv"):
        if path.suffix not in (".gz", ".html"):
            view.files[path.relative_to(tree).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    plan_json = tree / "downloads" / "plan.json"
    if plan_json.is_file():
        try:
            view.plan = json.loads(plan_json.read_text(encoding="utf-8"))
        except ValueError:
            view.plan = None
    return view
