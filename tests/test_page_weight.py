"""A task page is light on a phone: the search index waits until search is used, and the whole
first load stays within 150 KB compressed."""
from __future__ import annotations

import gzip

from playwright.sync_api import expect

BUDGET = 150 * 1024


def test_search_index_is_fetched_only_when_search_is_used(page, site_url):
    page.goto(site_url + "tasks/05/", wait_until="networkidle")
    assert not any(u.endswith("search_index.json") for u in page.requests)
    with page.expect_request(lambda r: r.url.endswith("search/search_index.json")):
        page.get_by_placeholder("搜索").click()
    page.get_by_placeholder("搜索").press_sequentially("专利")
    page.get_by_placeholder("搜索").press("End")  # no key events for Chinese text; Material searches on keyup
    expect(page.locator(".md-search-result__item a[href*='tasks/05/']").first).to_be_visible(timeout=15000)


def test_task_page_first_load_within_budget(page, site_url, built_site):
    page.goto(site_url + "tasks/05/", wait_until="networkidle")
    total = 0
    for url in page.requests:
        if not url.startswith(site_url):
            continue
        path = url[len(site_url):].split("#")[0]
        file = built_site / (path + "index.html" if path.endswith("/") or not path else path)
        total += len(gzip.compress(file.read_bytes(), 6))
    assert total <= BUDGET, f"task page first load is {total / 1024:.0f} KB compressed"
