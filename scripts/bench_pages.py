"""`make bench`'s page rows: what a phone receives on first load of each page type and on its first
search, and Lighthouse's mobile performance per page type.

Page weights: the real site built as `make site` builds it, served by Debian's nginx with
deploy/nginx.conf's server block as written (the tests' runner, tests/conftest.py: gzip_static, the
.gz copies the build writes), loaded in Debian's Chromium through Playwright as a phone (Pixel 5's
viewport, pixel ratio and user agent), each page in a fresh context: an empty cache. Counted: every
response's compressed body as received (its headers reported beside), until the network has been idle for
half a second. First search: on the task page, once loaded, the search box focused and a query typed,
until its first result shows: what that downloads (the index, the search worker, the scripts it loads).

Lighthouse: `make lighthouse` keeps its JSON reports in .cache/lighthouse/; read from there (their
date is shown), or measured now with `make bench BENCH_ARGS=--lighthouse`.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_REPORTS = ROOT / ".cache" / "lighthouse"
# Page types and one page of each (the indicator and report pages: the first and the latest built).
PAGES = {"home": "", "task": "tasks/05/", "chapter": "chapters/01/", "unit": "departments/quality-supervision/",
         "indicator": None, "report": None}
SEARCH_QUERY = "专利"
SEARCH_BOX = "input.md-search__input"
DEVICE = "Pixel 5"


def page_paths(site: Path) -> dict[str, str]:
    """PAGES with the indicator page (the first) and the report page (the latest) found in `site`."""
    pages = dict(PAGES)
    pages["indicator"] = next(p.parent.relative_to(site).as_posix() + "/"
                              for p in sorted((site / "indicators").glob("*/index.html")))
    pages["report"] = sorted(p.parent.relative_to(site).as_posix() + "/"
                             for p in (site / "reports").glob("*/index.html"))[-1]
    return pages


def served_file(site: Path, url: str, base: str) -> Path | None:
    """The file nginx sends for `url` (its .gz copy, which gzip_static prefers, when there is one)."""
    path = site / url[len(base):].split("?")[0].split("#")[0]
    if url.endswith("/") or path.is_dir():
        path = path / "index.html"
    packed = path.with_name(path.name + ".gz")
    return packed if packed.is_file() else path if path.is_file() else None


class Received:
    """Every response a browser context receives: its address and bytes (headers and body as sent)."""

    def __init__(self, context, site: Path, base: str):
        self.site, self.base, self.responses = site, base, []
        context.on("requestfinished", lambda request: self.responses.append(request))

    def since(self, start: int = 0) -> tuple[int, int, int, list[str]]:
        """(compressed bodies, headers, requests, addresses) of the responses from the start-th on."""
        total, headers, names = 0, 0, []
        for request in self.responses[start:]:
            sizes = request.sizes()
            body = sizes["responseBodySize"]
            if not body:  # Chromium reports no body size for a worker's own script: the file nginx sent
                served = served_file(self.site, request.url, self.base)
                body = served.stat().st_size if served is not None else 0
            total += body
            headers += sizes["responseHeadersSize"]
            names.append(request.url[len(self.base):] if request.url.startswith(self.base) else request.url)
        return total, headers, len(names), names


def _settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)


def _measure(browser, device: dict, site: Path, base: str, path: str, search: bool = False) -> dict:
    context = browser.new_context(**device, locale="zh-CN")
    try:
        received = Received(context, site, base)
        page = context.new_page()
        page.goto(base + path, wait_until="networkidle")
        _settle(page)
        result = {"load": received.since()}
        if search:
            loaded = len(received.responses)
            page.focus(SEARCH_BOX)  # the first focus fetches the index and starts the worker
            page.fill(SEARCH_BOX, SEARCH_QUERY)
            page.press(SEARCH_BOX, "End")  # Material searches on key-up
            page.locator(".md-search-result__item").first.wait_for(state="attached", timeout=60000)
            _settle(page)
            result["search"] = received.since(loaded)
        return result
    finally:
        context.close()


def page_weights(build) -> tuple[list[str], dict[str, tuple[int, int]]]:
    """Build the real site with `build(site, cache)`, serve it with nginx and measure each page type
    and the first search in Chromium. Returns the report's lines and {row: (bytes, requests)}."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM, CHROMIUM_ARGS, nginx, public_folder  # the tests' own nginx runner
    from playwright.sync_api import sync_playwright

    folder = public_folder("plansite-bench-pages-")  # nginx's workers must be able to read it
    try:
        site = folder / "site"
        build(site, folder / "cache")
        rows: dict[str, tuple[int, int]] = {}
        lines = ["## What a phone downloads", "",
                 f"First load of each page type with an empty cache ({DEVICE} in Chromium; nginx with "
                 "deploy/nginx.conf), and the first search on the task page (「" + SEARCH_QUERY + "」: from focusing the "
                 "box to the first result). KB over the wire: the compressed bodies, as the issue's table counts them; "
                 "the headers beside them.", "",
                 "| page | address | KB over the wire | headers, KB | requests |", "| --- | --- | ---: | ---: | ---: |"]
        with nginx(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            device = pw.devices[DEVICE]
            try:
                for name, path in page_paths(site).items():
                    result = _measure(browser, device, site, base, path, search=name == "task")
                    size, headers, count, _ = result["load"]
                    rows[name] = (size, count)
                    lines.append(f"| {name} | /{path} | {size / 1024:.1f} | {headers / 1024:.1f} | {count} |")
                    if "search" in result:
                        size, headers, count, names = result["search"]
                        rows["first search"] = (size, count)
                        search_line = (f"| first search | {', '.join(n.rsplit('/', 1)[-1] for n in names)} | "
                                       f"{size / 1024:.1f} | {headers / 1024:.1f} | {count} |")
            finally:
                browser.close()
        lines += [search_line, ""]
        return lines, rows
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_lighthouse(folder: Path = LIGHTHOUSE_REPORTS) -> None:
    """`make lighthouse`'s measurement: three runs of every page type, reports kept in `folder`."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "lighthouse.py"), "--runs", "3", "--reports", str(folder)],
                   cwd=ROOT, check=False)


def lighthouse_scores(folder: Path = LIGHTHOUSE_REPORTS) -> tuple[list[str], list[str] | None]:
    """Median performance per page type from the reports in `folder` (page-N.json, as
    scripts/lighthouse.py --reports writes them); the report's lines and the table's cells."""
    runs: dict[str, list[int]] = {}
    reports = sorted(folder.glob("*-[0-9]*.json")) if folder.is_dir() else []
    for report in reports:
        name = report.stem.rsplit("-", 1)[0]
        score = json.loads(report.read_text(encoding="utf-8"))["categories"]["performance"]["score"]
        runs.setdefault(name, []).append(round(100 * (score or 0)))
    if not runs:
        return (["## Lighthouse", "", f"Not run: no reports in {folder.relative_to(ROOT)} (`make lighthouse`, or "
                 "`make bench BENCH_ARGS=--lighthouse`).", ""], None)
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(max(r.stat().st_mtime for r in reports)))
    lines = ["## Lighthouse", "",
             f"Mobile performance by page type, median of the runs (`make lighthouse`'s reports of {when}).", "",
             "| page | median | runs |", "| --- | ---: | --- |"]
    medians = {}
    for name, scores in runs.items():
        medians[name] = median = sorted(scores)[(len(scores) - 1) // 2]  # the lower middle one, as make lighthouse judges
        lines.append(f"| {name} | {median} | {', '.join(map(str, scores))} |")
    below = [f"{name} {median}" for name, median in medians.items() if median < 100]
    # The table's cell: how many page types reach the goal, and which do not.
    cells = [f"100 on {len(medians) - len(below)} of {len(medians)} page types" + (f"; {', '.join(below)}" if below else "")]
    return lines + ["", f"Lowest median: {min(medians.values())}; mean of medians {statistics.mean(medians.values()):.1f}.",
                    ""], cells
