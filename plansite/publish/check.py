"""Checks a release must pass before it goes live: every page of the sitemap present, no broken
internal link or anchor, and no inline script or style that the server's CSP would block."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from plansite.errors import PublishError
from plansite.publish.csp import NGINX_CONF, csp_problems
from plansite.publish.links import crawl, site_address

from plansite.urls import PLACEHOLDER_SITE_URL as PLACEHOLDER  # mkdocs.yml's site_url when SITE_URL is not set


def sitemap_problems(tree: Path) -> list[str]:
    """Every <loc> of sitemap.xml must be a page (an index.html) of the tree."""
    sitemap = tree / "sitemap.xml"
    if not sitemap.is_file():
        return ["缺少 sitemap.xml"]
    base = urlsplit(site_address(tree)).path
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8"))
    if not locs:
        return ["sitemap.xml 中没有任何页面"]
    problems = []
    for url in locs:
        path = urlsplit(url).path
        rel = path[len(base):] if path.startswith(base) else None
        if rel is None or not (tree / rel / "index.html").is_file():
            problems.append(f"sitemap.xml 列出的页面 {url} 不存在")
    return problems


def check_release(tree: Path, conf: Path = NGINX_CONF, allow_placeholder: bool = False) -> list[str]:
    """Everything wrong with a built tree as a release, in Chinese; empty when it may go live."""
    if not (tree / "index.html").is_file():
        return [f"{tree} 不是生成好的网站（没有 index.html）：请先运行 make site"]
    try:
        address = site_address(tree)
    except PublishError as err:
        return [str(err)]
    problems = []
    if address.startswith(PLACEHOLDER) and not allow_placeholder:
        problems.append(f"网站按占位网址 {address} 生成：请用正式网址重新生成，如 SITE_URL=https://…/ make site")
    problems += sitemap_problems(tree)
    broken, _external = crawl(tree)
    problems += [f"失效链接 {b}" for b in broken]
    problems += csp_problems(tree, conf)
    return problems
