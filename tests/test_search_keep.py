"""What the search must keep (issue: search that finds what a citizen types): it works on the 404
page and under `make serve`, the number of results is announced to screen readers, nothing of it
downloads until the reader starts searching, and a phone's first search stays within 55 KB
compressed (issue 30). The site is served by nginx with deploy/nginx.conf, driven in Debian's Chromium."""
from __future__ import annotations

import os
import re
import signal
import subprocess
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import ROOT, free_port
from search.measure import page_path, search_once

# Everything Material's search can download: its index, its web worker and the lunr scripts the worker loads.
SEARCH_FILES = re.compile(r"/search/search_index\.json$|/assets/javascripts/workers/search\.|/assets/javascripts/lunr/")
FIRST_SEARCH_BUDGET = 55 * 1024
QUERY, ANSWER = "加油站", "tasks/11/"  # only task (十一) mentions it
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}


@pytest.fixture
def context(browser):
    context = browser.new_context(**PHONE)
    context.requests = []
    context.on("request", lambda request: context.requests.append(request.url))
    yield context
    context.close()


def search_files(urls) -> list[str]:
    return [u for u in urls if SEARCH_FILES.search(urlsplit(u).path)]


def open_search(page) -> None:
    """On a phone the search opens from the header's magnifier, as a reader taps it."""
    page.locator("label.md-header__button[for='__search']").first.click()
    expect(page.locator("input.md-search__input")).to_be_focused()


def test_search_works_on_the_404_page(context, site_url, built_site):
    page = context.new_page()
    response = page.goto(site_url + "chapters/99/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("404")  # the site's own 404 page, with its search
    open_search(page)
    _, items = search_once(page, QUERY)
    assert items and page_path(items[0][0], site_url) == ANSWER, items[:3]
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == urlsplit(site_url).path + ANSWER
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical.endswith("/" + ANSWER)


def test_nothing_of_the_search_downloads_until_the_reader_starts_searching(context, site_url):
    page = context.new_page()
    page.goto(site_url + "tasks/05/", wait_until="networkidle")
    page.mouse.wheel(0, 600)  # reading the page: scrolling starts no download either
    page.wait_for_timeout(300)
    assert search_files(context.requests) == [] and page.workers == [], \
        f"搜索的文件在读者开始搜索之前就下载了：{search_files(context.requests)} 工作线程 {[w.url for w in page.workers]}"
    open_search(page)
    _, items = search_once(page, QUERY)
    assert page_path(items[0][0], site_url) == ANSWER
    # Then both came: the index and the worker (so the check above looked for the right names).
    fetched = search_files(context.requests)
    assert any(u.endswith("/search_index.json") for u in fetched) and any("/workers/" in u for u in fetched), fetched


def test_first_search_on_a_phone_downloads_at_most_55_kb(context, site_url, built_site):
    """Everything the first search downloads, as nginx sends it (its .gz copies), from the
    moment the page has loaded to the first results shown: of the search, the index and the worker
    only, no lunr language script (the client needs none: plansite/search/material.py). Their sizes
    are those of the build's files, the same on every run."""
    page = context.new_page()
    page.goto(site_url + "tasks/05/", wait_until="networkidle")
    loaded = len(context.requests)
    sizes: dict[str, int] = {}
    context.on("response", lambda r: sizes.__setitem__(r.url, int(r.headers.get("content-length", "-1"))))
    open_search(page)
    search_once(page, QUERY)
    page.wait_for_load_state("networkidle")
    during = {u: sizes.get(u) for u in context.requests[loaded:]}
    assert all(size is not None and size >= 0 for size in during.values()), during  # every size known
    total = sum(during.values())
    searched = {urlsplit(u).path.removeprefix(urlsplit(site_url).path): during[u] for u in search_files(during)}
    worker = next((built_site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert sorted(searched) == [f"assets/javascripts/workers/{worker.name}", "search/search_index.json"], during
    for path, size in searched.items():  # what nginx sent: the build's precompressed copy
        assert size == (built_site / (path + ".gz")).stat().st_size, (path, size)
    assert total <= FIRST_SEARCH_BUDGET, (
        f"手机上第一次搜索下载了 {total / 1024:.1f} KB（压缩后），超过 {FIRST_SEARCH_BUDGET // 1024} KB：{during}")


def test_the_number_of_results_is_announced(browser, site_url):
    """Material writes the count ("N 个符合条件的结果", for one "找到 1 个符合条件的结果") into the
    result list's meta line: that line is a live region (role=status) already on the page before
    the search, updated in place, so a screen reader reads the count out; a region put in with the
    results would be silent."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url)
    region = page.locator(".md-search-result__meta").element_handle()
    live = "e => e.closest('[role=status], [role=log], [role=alert], [aria-live=polite], [aria-live=assertive]')"
    assert region.evaluate(live), "结果数量所在的一行不是 live region：屏幕阅读器不会读出"
    search_once(page, QUERY)
    assert region.evaluate("e => e.isConnected")  # the same element, updated in place
    assert re.fullmatch(r"(找到 1|\d+) 个符合条件的结果", region.inner_text().strip()), region.inner_text()
    expect(page.get_by_role("status").filter(has_text="个符合条件的结果")).to_have_count(1)
    search_once(page, "高铁站")  # finds nothing, and says so in the same region
    assert "没有找到" in region.inner_text()
    context.close()


# The mini plan (the repository's configuration, another data folder): mkdocs serve builds the whole
# site before it answers, and the mini plan's is built in about a third of the real plan's time.
SERVE_DATA = ROOT / "tests" / "fixtures" / "mini"
SERVE_QUERY, SERVE_ANSWER = "实施方案", "tasks/03/"


@pytest.fixture
def make_serve(tmp_path):
    """`make serve` (mkdocs serve with the repository's configuration) on a free port, until the
    test ends; the whole process group it starts is ended then."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["make", "--no-print-directory", "serve", f"SERVE_PORT={port}",
                                    f"DATA={SERVE_DATA}"], cwd=ROOT,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        yield port, process, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_search_works_under_make_serve(make_serve, browser):
    port, process, log = make_serve
    page = browser.new_page()
    url = f"http://127.0.0.1:{port}/"
    # A build error ends make.
    for _ in range(600):
        if process.poll() is not None:
            pytest.fail(f"make serve 退出了：\n{log.read_text(errors='replace')[-3000:]}")
        if "Serving on" in log.read_text(errors="replace"):
            break
        page.wait_for_timeout(500)
    else:
        pytest.fail(f"make serve 没有启动：\n{log.read_text(errors='replace')[-3000:]}")
    page.goto(url)
    _, items = search_once(page, SERVE_QUERY)
    assert items and page_path(items[0][0], url) == SERVE_ANSWER, items[:3]
    page.close()


def test_search_by_keyboard_alone(browser, site_url):
    """The reader who uses no mouse: "/" opens the search (the worker and index start loading then),
    the arrow key reaches the first result and Enter follows it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + "tasks/05/")
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    _, items = search_once(page, QUERY)
    assert page_path(items[0][0], site_url) == ANSWER
    page.keyboard.press("ArrowDown")
    expect(page.locator(".md-search-result__item > a").first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(urlsplit(site_url).path + ANSWER)))
    context.close()
