"""Run every query of queries.yaml through the built site's own search box in Chromium and report
where the answering page ranks (used by tests/test_search_quality.py and by hand)."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

QUERIES = Path(__file__).with_name("queries.yaml")
NO_RESULTS = "没有找到"
FINDS_WITHIN = 10  # a query's `finds` pages must be among its first ten results


@dataclass
class Outcome:
    q: str
    kind: str
    expected: list[str]
    pages: list[str]  # distinct pages in result order
    meta: str
    marks: dict[str, list[str]]  # page → the highlighted words of its result, in page order
    finds: list[str] = field(default_factory=list)  # pages that must be listed too (queries.yaml `finds`)

    @property
    def rank(self) -> int | None:
        for i, page in enumerate(self.pages, 1):
            if page in self.expected:
                return i
        return None

    @property
    def ok_first(self) -> bool:
        return (not self.pages and NO_RESULTS in self.meta) if not self.expected else self.rank == 1

    @property
    def ok_top3(self) -> bool:
        return self.ok_first if not self.expected else (self.rank or 99) <= 3

    @property
    def not_found(self) -> list[str]:
        """The `finds` pages missing from the first FINDS_WITHIN results."""
        return [p for p in self.finds if p not in self.pages[:FINDS_WITHIN]]


def load_queries(path: Path = QUERIES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


def page_path(href: str, base: str) -> str:
    path = urlsplit(href).path
    return path[len(urlsplit(base).path):] if path.startswith(urlsplit(base).path) else path


def run_queries(page, base_url: str, queries: list[dict]) -> list[Outcome]:
    """Enter each query into the search box of the home page, as a reader does."""
    page.goto(base_url)
    out = []
    for query in queries:
        meta, items = search_once(page, str(query["q"]))
        pages = [page_path(href, base_url) for href, _ in items]
        marks = {page_path(href, base_url): words for href, words in items}
        out.append(Outcome(str(query["q"]), query["kind"], query["pages"], pages, meta, marks, query.get("finds", [])))
    return out


INVITING = "() => document.querySelector('.md-search-result__meta').innerText.includes('键入')"


def search_once(page, q: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """One query in the open page's search box: emptied first, so no earlier result is read."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = "input.md-search__input"
    page.focus(box)  # the first focus fetches the index; the box is ready once it invites typing
    page.fill(box, "")
    page.press(box, "End")  # Material searches on key-up
    page.wait_for_function(INVITING)
    # The whole query at once: typed key by key, each keystroke's search would show its results
    # on the way, and the measurement could read those.
    page.fill(box, q)
    page.press(box, "End")
    try:  # done when the count is shown and, unless nothing was found, the first result too
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta').innerText;"
            " return !m.includes('键入') && !m.includes('正在') && (m.includes('%s')"
            " || document.querySelector('.md-search-result__item > a')); }" % NO_RESULTS, timeout=15000)
    except PlaywrightTimeout:
        meta = page.inner_text(".md-search-result__meta")
        raise AssertionError(f"搜索“{q}”既没有结果也没有说明找不到：{meta}") from None
    return _read_results(page)


def _read_results(page) -> tuple[str, list[tuple[str, list[str]]]]:
    """The result count and, per result (one a page), its link and highlighted words, once two
    reads agree (the list is redrawn while results arrive)."""
    last = None
    for _ in range(50):
        meta = page.inner_text(".md-search-result__meta")
        items = page.eval_on_selector_all(
            ".md-search-result__item",
            "els => els.map(e => [e.querySelector('a').href, [...e.querySelectorAll('mark')].map(m => m.innerText)])")
        now = (meta, [(href, words) for href, words in items])
        if now == last and (items or NO_RESULTS in meta):
            return now
        last = now
        page.wait_for_timeout(150)
    raise AssertionError(f"搜索结果没有稳定下来：{last}")


def summarise(outcomes: list[Outcome]) -> dict:
    n = len(outcomes)
    return {"queries": n, "first": sum(o.ok_first for o in outcomes) / n,
            "top3": sum(o.ok_top3 for o in outcomes) / n,
            "misses": [(o.q, o.rank, o.pages[:3]) for o in outcomes if not o.ok_top3],
            "not_found": [(o.q, o.not_found) for o in outcomes if o.not_found]}


if __name__ == "__main__":  # python tests/search/measure.py SITE_DIR
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve

    with serve(Path(sys.argv[1])) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        outcomes = run_queries(browser.new_page(), url, load_queries())
        for o in outcomes:
            print(("✓" if o.ok_first else "·" if o.ok_top3 else "✗"), o.q, o.rank, o.pages[:3], o.marks.get(o.pages[0], [])[:3] if o.pages else [])
        print(json.dumps(summarise(outcomes), ensure_ascii=False, indent=1))
