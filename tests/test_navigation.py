"""Navigation that stays the same size as plans grow, and pages that still lead to each other.

The sidebar lists the site's sections only; chapters and tasks are reached from 章节与任务 and link
to their chapter and to their neighbours in the plan's order. Listings and quarterly reports are
left out of the search index, so a search leads to the page about the thing itself.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from conftest import without_nw
from plansite.pages.sections import SECTION_PAGES
from plansite.hooks import build_nav
from plansite.wording import chapter_heading, task_heading
from plansite.urls import chapter_page, department_page, indicator_page, page_url, relative_path, task_page
from plansite.model.load import load_plan
from plansite.search.material import read_index

ROOT = Path(__file__).resolve().parent.parent
PLAN = load_plan(ROOT / "data")
SECTIONS = ["", "plan/", "tasks/", "departments/", "indicators/", "reports/", "downloads/", "about/", "method/", "schema/"]
# One page of every kind the site has.
PAGE_TYPES = ["", "plan/", "tasks/", "chapters/", page_url(chapter_page(PLAN.chapters[1])), page_url(task_page(PLAN.tasks[4])),
              "departments/", page_url(department_page(PLAN.departments[0])), "indicators/",
              page_url(indicator_page(PLAN.indicators[0])), "reports/", "reports/2015-Q4/", "downloads/", "about/",
              "method/", "schema/", "sitemap/"]


url_of = page_url  # where MkDocs publishes a page: about.md → about/, x/index.md → x/


def read(site: Path, url: str) -> str:
    return without_nw((site / url / "index.html").read_text(encoding="utf-8"))


def resolve(here: str, href: str) -> str:
    path = posixpath.normpath(posixpath.join(here or ".", href))
    return "" if path == "." else path + "/"


def sidebar_links(html: str, here: str) -> set[str]:
    """Site-relative targets of the primary sidebar's page links (anchors of the page itself left out)."""
    start = html.index('class="md-sidebar md-sidebar--primary"')
    sidebar = html[start:html.index('class="md-sidebar md-sidebar--secondary"', start)]
    return {resolve(here, h) for h in re.findall(r'<a href="([^"#]+)"[^>]*class="md-nav__link', sidebar)}


def test_the_sidebar_is_the_same_fixed_list_of_sections_on_every_kind_of_page(built_site):
    for url in PAGE_TYPES:
        links = sidebar_links(read(built_site, url), url)
        # Every section page, on every page (方法说明 too, and on the home page); no chapter, task or
        # other page from the data is listed (the open page's own headings are anchors, not pages).
        assert links == set(SECTIONS), url


def test_each_section_page_has_one_name_in_the_menu_its_heading_and_its_title(built_site):
    nav = {url_of(src): title for title, src in SECTION_PAGES}
    assert set(nav) == set(SECTIONS)
    for url, label in nav.items():
        html = read(built_site, url)
        menu = re.findall(r'<a href="([^"#]+)"[^>]*class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]*?)\s*<', html)
        assert {text for href, text in menu if resolve(url, href) == url} == {label}, url
        if url == "":
            continue  # the home page is 首页 in the menu; its heading and title are the plan's own title
        heading = re.sub(r"<[^>]+>|¶|&para;", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)).strip()
        assert heading == label, url
        assert re.search(r"<title>(.*?)</title>", html).group(1).startswith(f"{label} - "), url


@pytest.mark.parametrize("width", [1280, 360])
def test_the_menu_reaches_every_section_page_from_every_kind_of_page(browser, site_url, width):
    """In a real browser, on a desktop and in a phone's drawer: every section page is a visible menu link."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        for url in PAGE_TYPES:
            page.goto(site_url + url)
            if width < 1220:
                page.locator('.md-header label[for="__drawer"]').click()
                page.wait_for_timeout(300)
            # (text, address) of every menu entry a reader can see; on a phone the open page's own
            # entry is the label that unfolds its contents, standing for this page.
            shown = page.evaluate("""() => [...document.querySelectorAll(
                    '.md-sidebar--primary a.md-nav__link, .md-sidebar--primary label.md-nav__link--active')]
                .filter(el => el.checkVisibility({visibilityProperty: true}) && el.getBoundingClientRect().width > 0)
                .map(el => [el.textContent.trim(), el.href ? el.href.split('#')[0] : location.href.split('#')[0]])""")
            for title, src in SECTION_PAGES:
                assert [title, site_url + url_of(src)] in shown, (url, title, width)
    finally:
        context.close()


def test_nav_does_not_depend_on_the_plan():
    mini = load_plan(ROOT / "tests" / "fixtures" / "mini")
    assert build_nav(mini) == build_nav(PLAN)


def pager(html: str) -> list[tuple[str, str]]:
    """(href, text) of the previous/next links of a page."""
    block = re.search(r'<p class="pager">(.*?)</p>', html, re.S)
    if not block:
        return []
    return [(href, re.sub(r"<[^>]+>", "", text).strip())
            for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', block.group(1), re.S)]


@pytest.mark.parametrize("index", range(len(PLAN.tasks)))
def test_every_task_links_to_its_chapter_and_its_neighbours_in_plan_order(built_site, index):
    task = PLAN.tasks[index]
    html = read(built_site, page_url(task_page(task)))
    chapter = PLAN.chapter(task.chapter)
    assert f'<a href="../../chapters/{chapter.id:02d}/">{chapter_heading(chapter)}</a>' in html
    assert '<a href="../">章节与任务</a>' in html
    expected = []
    if index > 0:
        before = PLAN.tasks[index - 1]
        expected.append((f"../{before.id:02d}/", f"← 上一项任务：{task_heading(before)}"))
    if index + 1 < len(PLAN.tasks):
        after = PLAN.tasks[index + 1]
        expected.append((f"../{after.id:02d}/", f"下一项任务：{task_heading(after)} →"))
    assert pager(html) == expected


def test_every_chapter_links_to_its_neighbours(built_site):
    chapters = PLAN.chapters
    for i, chapter in enumerate(chapters):
        links = pager(read(built_site, page_url(chapter_page(chapter))))
        expected = [f"../{c.id:02d}/" for c in (chapters[i - 1] if i else None, chapters[i + 1] if i + 1 < len(chapters) else None) if c]
        assert [href for href, _ in links] == expected, chapter.id


def test_every_task_and_chapter_is_listed_on_the_tasks_page(built_site):
    html = read(built_site, "tasks/")
    for page in [*map(task_page, PLAN.tasks), *map(chapter_page, PLAN.chapters)]:
        assert f'href="{posixpath.relpath(page_url(page), "tasks")}/"' in html, page


def test_search_indexes_the_pages_about_things_and_leaves_out_listings_and_reports(built_site):
    index = read_index(built_site)
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    for task in PLAN.tasks:
        assert page_url(task_page(task)) in pages
    assert {"plan/", "departments/quality-supervision/", "indicators/patent-implementation-rate/", "chapters/02/"} <= pages
    listed = {"tasks/", "departments/", "indicators/", "reports/", "chapters/"}
    assert pages & listed == set()
    assert [p for p in pages if p.startswith("reports/")] == []


def test_relative_links_are_those_posixpath_would_make():
    pages = ["index.md", "tasks/index.md", "plan/index.md", "downloads/tasks.csv", "charts/home-status.svg",
             *map(task_page, PLAN.tasks[:3]), *map(chapter_page, PLAN.chapters[:2]),
             department_page(PLAN.departments[0]), indicator_page(PLAN.indicators[0]), "reports/2015-Q4/index.md"]
    for target in pages:
        for here in {posixpath.dirname(p) for p in pages}:
            assert relative_path(target, here) == posixpath.relpath(target, here or "."), (target, here)
