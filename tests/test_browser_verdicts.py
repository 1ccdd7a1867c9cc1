"""Honest verdicts as a reader sees them in Chromium: 未达标 once the deadline has come, the home
page's one-sentence answer on a phone's first screen, reasons where a target cannot be judged,
whole numbers for counts, and the plan period's end."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from plansite.figures.progress import derive_progress
from plansite.figures.summary import derive_verdict
from plansite.wording import verdict_sentence
from plansite.model.load import load_plan
from conftest import ROOT
from test_browser import assert_only_local


@pytest.fixture
def page(reused_page):
    """The tests here only look at pages: the module shares one tab (conftest)."""
    return reused_page


SAMPLE = "示例数据：本站2014年第四季度至2015年第四季度的进展数据为演示用途，并非官方统计"
# The two cases the review found: short of the target at the deadline, shown as on track.
MISSED = {"agricultural-standard-demonstration-zones": ("新建农业标准化示范区", "3个"),
          "pillar-industry-standard-adoption": ("支柱产业产品企业采标覆盖率", "79.5%")}


def assessment_paragraph(page):
    return page.locator("#assessment").locator("xpath=following-sibling::p[1]")


@pytest.mark.parametrize("indicator", sorted(MISSED))
def test_a_target_short_of_it_at_the_deadline_reads_missed(page, site_url, indicator):
    page.goto(site_url + f"indicators/{indicator}/")
    badge = assessment_paragraph(page).locator(".badge")
    expect(badge).to_have_text("✘ 未达标")
    expect(badge).to_have_class(re.compile("assessment-missed"))
    detail = page.locator("#assessment").locator("xpath=following-sibling::p[2]")
    expect(detail).to_contain_text("期限2015年12月31日已到")
    expect(detail).to_contain_text(MISSED[indicator][1])
    # The last row of the numbers under the chart says the same.
    row = page.locator("figure table tr", has_text="2015年第四季度")
    expect(row).to_contain_text("未达标")
    for kind in ("需加快", "符合序时进度"):
        expect(assessment_paragraph(page)).not_to_contain_text(kind)
    assert_only_local(page, site_url)


def test_the_indicator_list_and_the_quarterly_report_show_missed_targets(page, site_url):
    page.goto(site_url + "indicators/")
    for name, _ in MISSED.values():
        expect(page.locator("tr", has_text=name).locator(".badge")).to_have_text("✘ 未达标")
    page.goto(site_url + "reports/2015-Q4/")
    missed = page.locator("#missed").locator("xpath=following-sibling::ul[1]")
    for name, _ in MISSED.values():
        expect(missed.get_by_role("link", name=name)).to_be_visible()
    expect(page.locator("#achieved")).to_have_text(re.compile("已达标的目标"))
    expect(page.locator("#missed").locator("xpath=following-sibling::ul[1]")).to_contain_text("3个")
    # An earlier report, before any deadline, lists none.
    page.goto(site_url + "reports/2015-Q3/")
    expect(page.locator("#missed").locator("xpath=following-sibling::p[1]")).to_have_text("没有到期而未达标的目标。")


def test_the_home_page_lists_missed_targets_beside_achieved_ones(page, site_url):
    page.goto(site_url)
    expect(page.locator("#missed")).to_have_text(re.compile("未达标的目标"))
    missed = page.locator("#missed").locator("xpath=following-sibling::ul[1]")
    for indicator, (name, value) in MISSED.items():
        item = missed.locator("li", has_text=name)
        expect(item).to_contain_text(value)
        expect(item.locator(".badge")).to_have_text("✘ 未达标")
        expect(item.get_by_role("link", name=name)).to_have_attribute("href", re.compile(f"indicators/{indicator}/"))


def test_the_home_verdict_answers_the_question_on_a_phones_first_screen(browser, site_url):
    plan = load_plan(ROOT / "data")
    latest = derive_progress(plan)[-1]
    expected = verdict_sentence(derive_verdict(plan, latest), len(plan.tasks), len(plan.indicators))
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                  is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url)
    verdict = page.locator("article .plan-verdict")
    expect(verdict).to_contain_text(expected)
    expect(verdict).to_contain_text("计划期已于2015年12月31日结束")
    expect(verdict).to_contain_text("未达标10项")
    notice = verdict.get_by_role("note")
    expect(notice).to_have_text(SAMPLE)
    # Both wholly inside the first screen, before any scrolling.
    for box in (verdict.bounding_box(), notice.bounding_box()):
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("window.scrollY") == 0
    context.close()


def test_a_task_unfinished_when_the_plan_period_ended_says_so(page, site_url):
    page.goto(site_url + "tasks/05/")  # 滞后 in 2015-Q4, the plan's last quarter
    expect(page.locator("article .plan-over")).to_have_text("计划期已于2015年12月31日结束，这项任务没有报告完成。")
    page.goto(site_url + "tasks/04/")  # 已完成 in 2015-Q4
    expect(page.locator("article .plan-over")).to_have_count(0)
    page.goto(site_url + "reports/2015-Q4/")
    over = page.locator("#plan-over")
    expect(over).to_contain_text("没有报告完成")
    expect(over.get_by_role("link", name=re.compile(r"^（五）"))).to_be_visible()
    page.goto(site_url + "reports/2015-Q3/")
    expect(page.locator("#plan-over")).to_have_count(0)


def test_a_relative_target_says_why_it_cannot_be_judged_and_shows_the_reporters_reasons(page, site_url):
    # 82% reported, the reporter wrote it cannot compare yet, and the deadline has passed: 逾期未判定,
    # in the failure colour, with the reporter's words beside it (never a soft 暂无数据).
    page.goto(site_url + "indicators/service-user-satisfaction/")
    expect(assessment_paragraph(page).locator(".badge")).to_have_text("！ 逾期未判定")
    expect(assessment_paragraph(page).locator(".badge")).to_have_class(re.compile("assessment-overdue_unjudged"))
    why = page.locator("#assessment").locator("xpath=following-sibling::p[2]")
    expect(why).to_contain_text("82%")
    expect(why).to_contain_text("报送了数值，但报送单位没有对照目标作出判定")
    expect(why).to_contain_text("全省平均水平尚未公布")
    # Judged by the reporter with no figure: no figure in the value column, the reasons with the assessment.
    page.goto(site_url + "indicators/international-patent-applications/")
    rows = page.locator("#values").locator("xpath=following::table[1]").locator("tbody tr")
    expect(rows).to_have_count(4)
    for i in range(4):
        value_cell = rows.nth(i).locator("td").nth(1)  # after the period, a row header
        expect(value_cell).to_have_text("—")
        expect(rows.nth(i).locator("td").nth(3)).to_contain_text("报送单位理由：示例：")
    expect(rows.nth(1).locator("td").nth(3)).to_contain_text("上半年国际专利申请量折合全年约为2010年的1.5倍")
    expect(assessment_paragraph(page).locator(".badge")).to_have_text("✘ 未达标")
    expect(page.locator("#assessment").locator("xpath=following-sibling::p[2]")).to_contain_text("报送单位判定为“进展缓慢”")


def test_expected_counts_are_whole_numbers(page, site_url):
    page.goto(site_url + "indicators/free-training-smes-per-year/")
    expected = page.locator("figure table tbody tr td:nth-child(4)")
    expect(expected).to_contain_text(["—", "—", "73家", "148家", "224家", "—", "—"])
    assert "73.35" not in page.content()
    page.goto(site_url + "indicators/honest-measurement-demonstration-units/")
    expect(page.locator("figure table")).to_contain_text("45家")
    assert "44.73" not in page.content()


def test_every_expected_count_on_the_site_is_whole(built_site):
    counted = re.compile(r"\d+\.\d+(家|个|项|件|起)")
    for path in (built_site / "indicators").rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        assert not counted.search(text), (path, counted.search(text)[0])


def test_the_method_page_puts_meanings_first_and_explains_missed(page, site_url):
    page.goto(site_url + "method/")
    headings = page.locator("article h2").all_inner_texts()
    names = [h.rstrip("¶").strip() for h in headings]
    assert names.index("任务状态的含义") < names.index("目标评估的含义") < names.index("技术说明"), names
    meaning = page.locator("#assessment").locator("xpath=following::table[1]")
    expect(meaning.locator("tr", has_text="未达标")).to_contain_text("期限已到")
    expect(page.locator("#plan-over").locator("xpath=following-sibling::p[1]")).to_contain_text("没有报告完成")
    # The formula and the fonts come after the plain meanings, under 技术说明.
    formula = page.get_by_text("完成比 R =（实际值").bounding_box()
    technical = page.locator("#technical").bounding_box()
    assert formula["y"] > technical["y"]
    assert page.get_by_text("Noto Sans CJK SC 排版", exact=False).bounding_box()["y"] > technical["y"]


def test_the_chart_headline_and_the_open_data_say_missed(built_site):
    svg = (built_site / "charts" / "indicator-agricultural-standard-demonstration-zones.svg").read_text(encoding="utf-8")
    assert "2015年第四季度评估：未达标（期限已到）" in svg
    package = json.loads((built_site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    enums = [f["constraints"]["enum"] for r in package["resources"] for f in r["schema"]["fields"]
             if f["name"] == "assessment"]
    assert enums and all("missed" in e for e in enums)
    rows = (built_site / "downloads" / "indicators.csv").read_text(encoding="utf-8-sig").splitlines()
    zones = next(r for r in rows if r.startswith("agricultural-standard-demonstration-zones,"))
    assert ",missed" in zones
