"""Data into Markdown and back: escaping data so it stays text, and the marks that hold a page's HTML
blocks and the sizes of files drawn in the background until MkDocs has converted the rest."""
from __future__ import annotations

import html
import re

from ..wording import file_size

# Where a template's HTML block stands in the Markdown until MkDocs has converted the rest (see
# PageRenderer.raw); data cannot produce it, since every "<" in data is escaped.
RAW_MARK = re.compile(r"<!--plansite-raw:(\d+)-->")

# The characters Python-Markdown (with the tables extension) treats as syntax and lets a backslash
# escape; data is text, so each is escaped to stay text. Escaping any other character (: = ~ ^ $)
# would leave the backslash visible on the page.
_MD_SYNTAX = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
# Markdown reads \r as a line break too: one inside a table cell would start a new row.
_LINE_BREAK = re.compile(r"\r\n|[\r\n]")


def md(value: object) -> str:
    """Escape data for Markdown: it renders exactly as written and never becomes markup."""
    text = html.escape(str(value), quote=False)
    return _LINE_BREAK.sub(" ", _MD_SYNTAX.sub(r"\\\1", text))


def md_code(value: object) -> str:
    """Like md, but a span marked `…` (opendata.tables.code: a value as it stands in a file) is set
    as code: the one way such values reach a page."""
    parts = str(value).split("`")
    return "".join(f"<code>{html.escape(part)}</code>" if i % 2 else md(part) for i, part in enumerate(parts))


def h(value: object) -> str:
    """Escape data for an HTML block inside Markdown: text stays text, and a line break in the
    data cannot end the block (a blank line would hand the rest back to Markdown)."""
    return _LINE_BREAK.sub(" ", html.escape(str(value)))


def put_back_raw(text: str, blocks: list[str]) -> str:
    """The page (Markdown or converted HTML) with its HTML blocks back in place of their marks."""
    return RAW_MARK.sub(lambda m: blocks[int(m[1])], text) if blocks else text


# Where the 数据下载 page gives the size of a file drawn in the background (a chart's image, a Word
# report); the hook fills it in once that file is made.
SIZE_MARK = re.compile(r"<!--plansite-size:([^<>]+?)-->")


def size_mark(path: str) -> str:
    return f"<!--plansite-size:{path}-->"


def put_back_sizes(text: str, files: dict[str, bytes]) -> str:
    return SIZE_MARK.sub(lambda m: file_size(files[m[1]]), text)
