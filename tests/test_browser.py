"""The built real site in Debian's Chromium: what a citizen sees and clicks."""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect


@pytest.fixture
def page(reused_page):
    """The tests here only look at pages and follow links: the module shares one tab (conftest)."""
    return reused_page


def assert_only_local(page, site_url):
    host = urlparse(site_url).netloc
    outside = [u for u in page.requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != host]
    assert page.requests, "the page made no requests at all: the recorder is not working"
    assert outside == [], f"requests left the site: {outside}"


def test_home_lists_the_eleven_chapters(page, site_url):
    page.goto(site_url)
    links = page.locator("article a[href*='chapters/']")
    expect(links).to_have_count(11)
    expect(links.first).to_have_text("一、加强标准化工作")
    expect(links.last).to_have_text("十一、加强组织保障")
    expect(page).to_have_title(re.compile("阳江市建设质量强市2014-2015年行动计划"))
    assert_only_local(page, site_url)


def test_task_five_names_its_lead_and_links_to_it(page, site_url):
    page.goto(site_url + "tasks/05/")
    expect(page.locator("h1")).to_have_text(re.compile(r"^（五）强化产学研合作"))
    lead_row = page.get_by_role("row", name=re.compile("^牵头"))
    expect(lead_row).to_contain_text("市科技局")
    lead_row.get_by_role("link", name="市科技局").click()
    page.wait_for_url(site_url + "departments/science-technology/")
    expect(page.locator("h1")).to_have_text(re.compile("^市科技局"))
    expect(page.locator("#lead").locator("xpath=following::table[1]")).to_contain_text("（五）强化产学研合作")
    assert_only_local(page, site_url)


def test_search_for_patent_finds_task_five(page, site_url):
    page.goto(site_url)
    box = page.get_by_placeholder("搜索")
    box.click()
    box.press_sequentially("专利")
    # Playwright types CJK characters without key events; Material searches on keyup. Without a key
    # event the query only ran if the search index was still loading when typing ended.
    box.press("End")
    result = page.locator(".md-search-result__item a[href*='tasks/05/']").first
    expect(result).to_be_visible(timeout=15000)
    result.click()
    page.wait_for_url(re.compile(r"tasks/05/"))
    assert_only_local(page, site_url)


def test_quality_bureau_page_lists_the_tasks_it_leads(page, site_url):
    page.goto(site_url + "departments/quality-supervision/")
    expect(page.locator("h1")).to_have_text(re.compile("^市质监局"))
    leads = page.locator("#lead").locator("xpath=following::table[1]").locator("tbody tr")
    expect(leads).to_have_count(15)
    expect(leads.first).to_contain_text("（一）进一步强化我市标准化工作基础")
    assert_only_local(page, site_url)


def test_plan_text_anchor_links_to_task_page(page, site_url):
    page.goto(site_url + "plan/#task-05")
    paragraph = page.locator("#task-05")
    expect(paragraph).to_contain_text("专利实施率达到70%")
    paragraph.get_by_role("link", name="(五)").click()
    page.wait_for_url(site_url + "tasks/05/")
    assert_only_local(page, site_url)


def test_readable_on_a_phone_without_sideways_scrolling(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    for path in ("", "tasks/05/", "departments/quality-supervision/", "plan/"):
        page.goto(site_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path or 'home'} scrolls sideways by {overflow}px at 360px"
    context.close()
