"""Citing a past period: each task's row in a quarterly report has a stable anchor
(reports/2015-Q3/#task-16), each period of a task's timeline links to it, and the task page's
引用本页 offers a citation of every past period's status as well as the latest."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from plansite.figures.progress import derive_progress
from plansite.model.dates import cn_date
from plansite.wording import period_label, status_label
from plansite.model.load import load_plan


@pytest.fixture
def page(reused_page):
    """The tests here only look at pages and follow links: the module shares one tab (conftest)."""
    return reused_page


ROOT = Path(__file__).resolve().parent.parent
PLAN = load_plan(ROOT / "data")
PROGRESS = derive_progress(PLAN)
CANONICAL = "https://example.org/yangjiang-quality-plan/"  # the built site's address (no SITE_URL in the tests)


def test_every_task_has_an_anchor_in_every_report(built_site):
    for state in PROGRESS:
        html = (built_site / "reports" / state.period / "index.html").read_text(encoding="utf-8")
        for task in PLAN.tasks:
            row = re.search(rf'<tr id="task-{task.id:02d}">(.*?)</tr>', html, re.S)
            assert row, (state.period, task.id)
            assert task.title in row.group(1) and status_label(state.tasks[task.id].status) in row.group(1)


def test_the_anchor_leads_to_the_tasks_row_in_the_browser(page, site_url):
    page.goto(site_url + "reports/2015-Q3/#task-16")
    row = page.locator("tr#task-16")
    assert row.is_visible() and "（十六）" in row.inner_text()
    assert page.evaluate("() => document.querySelector(':target').id") == "task-16"
    top = row.bounding_box()["y"]
    assert 0 <= top < 900  # scrolled to it


def test_each_period_in_a_timeline_links_to_the_tasks_row_in_that_report(page, site_url):
    page.goto(site_url + "tasks/16/")
    for state in PROGRESS:
        entry = page.locator(f"#period-{state.period} + p")
        link = entry.get_by_role("link", name="季度报告中的本任务")
        assert link.get_attribute("href") == f"../../reports/{state.period}/#task-16"
    page.locator("#period-2015-Q3 + p").get_by_role("link", name="季度报告中的本任务").click()
    page.wait_for_url(f"{site_url}reports/2015-Q3/#task-16")
    assert page.locator("tr#task-16").is_visible()


def test_the_task_page_offers_a_citation_of_each_past_periods_status(browser, site_url):
    # Read as the document is parsed: the date is written then, not a frame or more later (a reader,
    # or a test reading at load on a busy machine, saw 引用日期). A tab of its own: the script stays.
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.add_init_script("""document.addEventListener("DOMContentLoaded", () => {
        window.citedAtParse = document.querySelector(".cite-page p").innerText; });""")
    opened = dt.date.today()
    page.goto(site_url + "tasks/05/")
    cite = page.locator(".cite-page")
    latest = cite.locator("p").first.inner_text()
    assert page.evaluate("window.citedAtParse") == latest
    # GB/T 7714-2015 for an electronic resource: title[EB/OL]．site，（updated）[cited]．address．
    # The citing date is today's, written by the page's script; sample data says so.
    days = {opened, dt.date.today()}  # both, should midnight fall while the page opens
    assert latest in {f"引用格式：（五）强化产学研合作（示例数据，并非官方统计）[EB/OL]．《{PLAN.meta.title}》信息公开网站，"
                      f"（2016年1月20日）[{cn_date(day)}]．{CANONICAL}tasks/05/．" for day in days}, latest
    past = cite.locator("ul.cite-past li")
    assert past.count() == len(PROGRESS)
    q3 = cite.locator("li#cite-2015-Q3").inner_text()
    state = next(s for s in PROGRESS if s.period == "2015-Q3")
    assert q3.startswith(f"{period_label('2015-Q3')}进展报告：（五）强化产学研合作（{status_label(state.tasks[5].status)}）")
    assert "[EB/OL]" in q3 and "（2015年10月15日）" in q3
    assert f"{CANONICAL}reports/2015-Q3/#task-05．" in q3
    link = cite.locator("li#cite-2015-Q3 a")
    assert link.get_attribute("href").endswith("reports/2015-Q3/#task-05") and link.inner_text() == "打开2015年第三季度进展报告中的这一行"
    # 2015-Q3 is 滞后 for (五) in the sample data: the citation says so.
    assert status_label(state.tasks[5].status) == "滞后"
    context.close()


@pytest.mark.parametrize("now", [dt.datetime(2041, 1, 5, 9, 30), dt.datetime(2099, 12, 31, 23, 59, 30)])
def test_the_citing_date_is_the_day_the_reader_opens_the_page_years_away(browser, site_url, now):
    """Written by the reader's clock (not the build's), in the house style of every date on the site."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.clock.set_fixed_time(now)
    page.goto(site_url + "tasks/05/")
    dates = page.locator(".cite-page .cite-today").all_inner_texts()
    assert len(dates) == 1 + len(PROGRESS) and set(dates) == {cn_date(now.date())}, dates
    context.close()
