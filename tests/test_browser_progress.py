"""Quarterly progress as a reader sees it in Chromium: timelines, reports, the sample notice."""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from conftest import ROOT, build_site, serve
from test_browser import assert_only_local


@pytest.fixture
def page(reused_page):
    """The tests here only look at pages and follow links: the module shares one tab (conftest)."""
    return reused_page


ALL = "示例数据：本站2014年第四季度至2015年第四季度的进展数据为演示用途，并非官方统计"
WITH_BASELINES = "示例数据：本站{}的进展数据及基线为演示用途，并非官方统计"
# Every page type that shows progress in the real site (the sample data is all sample: true), with
# its notice: the quarters whose data the page shows, and the baselines where a pace is judged.
PROGRESS_PAGES = {
    "": ALL, "chapters/02/": ALL, "departments/quality-supervision/": ALL, "reports/": ALL,
    "tasks/": "示例数据：本站2015年第四季度的进展数据为演示用途，并非官方统计",  # the latest statuses only
    "tasks/05/": WITH_BASELINES.format("2014年第四季度至2015年第四季度"),
    "reports/2015-Q1/": WITH_BASELINES.format("2014年第四季度至2015年第一季度"),  # and the quarter before
    # No pace at the plan's end, but a target 逾期未报数 (nothing reported by its deadline) rests on every quarter.
    "reports/2015-Q4/": ALL,
}


def test_sample_notice_is_visible_on_every_page_with_progress(page, site_url):
    for path, notice in PROGRESS_PAGES.items():
        page.goto(site_url + path)
        expect(page.get_by_role("note").filter(has_text="示例数据")).to_have_text(notice)
        expect(page.get_by_role("note").filter(has_text=notice)).to_be_visible()
        # Part of the page itself: no close button, and it is inside the article.
        expect(page.locator("article .sample-notice")).to_have_count(1)
    assert_only_local(page, site_url)


def test_task_page_shows_status_and_a_timeline_of_every_period(page, site_url):
    page.goto(site_url + "tasks/05/")
    status = page.locator("#status").locator("xpath=following-sibling::p[1]")
    expect(status).to_contain_text("截至2015年第四季度")
    # The plan is over and the task was not reported complete: 未按期完成, its reported status beside it.
    expect(status.locator(".badge")).to_have_text([re.compile("未按期完成"), re.compile("滞后")])
    periods = page.locator("h3[id^='period-']")
    expect(periods).to_contain_text(["2015年第四季度", "2015年第三季度", "2015年第二季度", "2015年第一季度", "2014年第四季度"])
    # Each period names its status and lists the indicator values reported in it, with assessment.
    q4 = page.locator("#period-2015-Q4").locator("xpath=following::table[1]")
    expect(q4).to_contain_text("专利实施率")
    expect(q4.locator(".badge").first).to_be_visible()
    # Each period links to the task's own row in that period's report.
    page.locator("#period-2015-Q1").locator("xpath=following-sibling::p[1]").get_by_role("link", name="季度报告中的本任务").click()
    page.wait_for_url(site_url + "reports/2015-Q1/#task-05")
    assert_only_local(page, site_url)


def test_report_page_shows_what_changed(page, site_url):
    page.goto(site_url + "reports/2015-Q4/")
    expect(page.locator("h1")).to_have_text(re.compile("^2015年第四季度进展报告"))
    expect(page.locator("#changes ~ p").filter(has_text="本季度新完成").first).to_contain_text("（四）积极推进服务业标准化")
    changes = page.locator("#changes").locator("xpath=following::table[1]")
    change_row = changes.get_by_role("row", name=re.compile(r"（十三）提升产品质量"))
    expect(change_row.first).to_contain_text("推进中")
    expect(change_row.first).to_contain_text("滞后")
    assert_only_local(page, site_url)


def test_a_site_with_no_progress_files_works(browser, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("progress", "baselines.yaml"))
    result = build_site(data, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    with serve(tmp_path / "site") as url:
        page.goto(url + "tasks/05/")
        expect(page.locator("#status ~ p").first).to_contain_text("未报告")
        expect(page.get_by_text("示例数据：")).to_have_count(0)
        page.goto(url)
        expect(page.locator("#latest ~ p").first).to_contain_text("尚未发布任何季度进展")
        page.goto(url + "reports/")
        expect(page.locator("article")).to_contain_text("尚未发布任何季度进展")
    page.close()
