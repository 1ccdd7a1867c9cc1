"""The built real site tells the truth after the deadline, on every page of each kind.

The real plan ended on 2015-12-31, the deadline of all its targets: in 2015-Q4 every target is
已达标, 未达标, 逾期未报数 or 逾期未判定, every unfinished task reads 未按期完成 beside its reported
status, and earlier (frozen) reports keep 暂无数据 and the statuses as they were. Expected values
come from the derived figures, never from the pages; tests/test_verdicts_after_deadline.py tests the
figures themselves."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from playwright.sync_api import expect

from plansite.figures.assess import OVERDUE
from plansite.figures.progress import derive_progress
from plansite.figures.summary import derive_verdict
from plansite.model.load import load_plan
from plansite.model.periods import quarter_end
from plansite.model.schema import ROLE_LABELS, ROLES
from plansite.urls import task_anchor
from plansite.wording import ASSESSMENT_DISPLAY, STATUS_BADGES, verdict_sentence
from conftest import ROOT
from test_progress_pages import article, page, rows, section, text

VERDICTS = {"achieved", "missed", *OVERDUE}


@pytest.fixture(scope="module")
def real():
    plan = load_plan(ROOT / "data")
    return plan, derive_progress(plan)


def closed(plan, state, indicator) -> bool:
    """The deadline (or the plan's end) has come for `indicator` as of `state`'s last day."""
    return quarter_end(state.period) >= min(indicator.deadline, plan.last_day)


def words(fragment: str) -> str:
    return text(fragment).replace(" ", "")


def badges(fragment: str, kind: str) -> list[str]:
    """The codes of the `kind` (status / assessment) badges in an HTML fragment, in order, legends left out."""
    return re.findall(rf'class="badge {kind}-([a-z_]+)"', re.sub(r'<p class="legend">.*?</p>', "", fragment, flags=re.S))


def test_the_real_data_reaches_the_plans_end_with_both_new_verdicts(real):
    plan, progress = real
    latest = progress[-1]
    assert latest.plan_over and any(latest.unfinished(t.id) for t in plan.tasks)
    codes = {s.assessed.code for s in latest.indicators.values()}
    assert set(OVERDUE) <= codes and codes <= VERDICTS
    assert any(s.assessed.code == "no_data" for state in progress[:-1] for s in state.indicators.values())


def test_every_indicator_page_has_a_verdict_once_its_time_is_up(built_site, real):
    plan, progress = real
    latest = progress[-1]
    for ind in plan.indicators:
        html_text = page(built_site, f"indicators/{ind.id}")
        judged = section(html_text, "assessment", "units")
        code = latest.indicators[ind.id].assessed.code
        assert badges(judged, "assessment")[0] == code, ind.id
        if closed(plan, latest, ind):
            assert code in VERDICTS and "暂无数据" not in words(judged) and "尚无数值，无法评估" not in words(judged), ind.id
        if code in OVERDUE:
            assert latest.indicators[ind.id].assessed.reason in words(judged), ind.id
            entry = latest.indicators[ind.id].entry
            if entry is not None and entry.justification:  # the reporter's own words stay beside it
                assert entry.justification.replace(" ", "") in words(judged), ind.id


def test_every_indicator_page_names_the_responsible_units_with_their_roles(built_site, real):
    plan, _ = real
    for ind in plan.indicators:
        task = plan.task(ind.task)
        units = section(page(built_site, f"indicators/{ind.id}"), "units", "values")
        table = {r[0].split("（")[0]: r[1].replace(" ", "") for r in rows(units)[1:]}
        assert table == {ROLE_LABELS[role]: "、".join(getattr(task, role)) for role in ROLES if getattr(task, role)}, ind.id
        for name in (n for _, n in task.units):
            assert f'href="../../departments/{plan.department_named(name).id}/"' in units, (ind.id, name)


def current(fragment: str, state, task_id: int, where: str) -> None:
    """`fragment` shows the task's current status: 未按期完成 with the reported status beside it
    once the plan is over and the task was not reported complete, else the status alone."""
    reported = state.tasks[task_id].status
    found = badges(fragment, "status")
    if state.unfinished(task_id):
        assert found == ["unfinished", reported], (where, task_id, found)
        assert f"未按期完成报送状态：{STATUS_BADGES[reported][0]}" in words(fragment), (where, task_id)
    else:
        assert found == [reported] and "未按期完成" not in words(fragment), (where, task_id, found)


def test_every_task_row_after_the_plans_end_reads_not_completed_on_time(built_site, real):
    plan, progress = real
    latest = progress[-1]
    tasks_page = article(page(built_site, "tasks"))
    for task in plan.tasks:
        row = re.search(rf'<tr id="{task_anchor(task)}">(.*?)</tr>', tasks_page, re.S).group(1)
        current(row.split("<td>")[-1], latest, task.id, "tasks/")
        chapter = page(built_site, f"chapters/{task.chapter:02d}")
        after = re.split(r"<h2\b", section(chapter, task_anchor(task)).split("</h2>", 1)[1])[0]
        now = re.search(r"当前状态：(.*?)</p>", after, re.S).group(1)
        current(now, latest, task.id, f"chapters/{task.chapter:02d}/")
        own = section(page(built_site, f"tasks/{task.id:02d}"), "status", "text")
        assert ("未按期完成" in words(own)) == latest.unfinished(task.id), task.id
    for dept in plan.departments:
        html_text = page(built_site, f"departments/{dept.id}")
        for n, role in enumerate(ROLES):
            listed = section(html_text, role, ROLES[n + 1] if n + 1 < len(ROLES) else "targets")
            for task in plan.roles_of(dept)[role]:
                row = next(r for r in re.findall(r"<tr>(.*?)</tr>", listed, re.S) if f'href="../../tasks/{task.id:02d}/"' in r)
                current(row.split("<td>")[-1], latest, task.id, f"departments/{dept.id}/")
    # Each such list explains 未按期完成 in its legend, and only where it shows it.
    for uri in ["tasks", *(f"chapters/{c.id:02d}" for c in plan.chapters), *(f"departments/{d.id}" for d in plan.departments)]:
        html_text = article(page(built_site, uri))
        legends = words(" ".join(re.findall(r'<p class="legend">(.*?)</p>', html_text, re.S)))
        shown = "status-unfinished" in re.sub(r'<p class="legend">.*?</p>', "", html_text, flags=re.S)
        assert ("未按期完成：计划期已经结束，这项任务没有报告完成" in legends) == shown, uri


def test_every_unit_page_lists_the_targets_of_its_tasks_with_their_verdicts(built_site, real):
    plan, progress = real
    latest = progress[-1]
    for dept in plan.departments:
        roles = plan.roles_of(dept)
        expected = [(role, ind) for role in ROLES for task in roles[role] for ind in plan.indicators_of(task)]
        html_text = page(built_site, f"departments/{dept.id}")
        listed = section(html_text, "targets")
        found = re.findall(r"<tr>(.*?)</tr>", listed, re.S)[1:]
        assert len(found) == len(expected), dept.id
        for (role, ind), row in zip(expected, found):
            assert f'href="../../indicators/{ind.id}/"' in row and ROLE_LABELS[role] in words(row), (dept.id, ind.id)
            assert badges(row, "assessment") == [latest.indicators[ind.id].assessed.code], (dept.id, ind.id)
        if not expected:
            assert "本单位负责的任务没有可量化的目标" in words(listed), dept.id
        # The page's opening sentence counts them by verdict, failures apart from 已达标.
        codes = [latest.indicators[i.id].assessed.code for _, i in expected]
        if codes:
            counts = "、".join(f"{label}{codes.count(c)}项" for c, (label, _) in ASSESSMENT_DISPLAY.items() if c in codes)
            assert f"共有{len(codes)}项量化目标：{counts}" in words(html_text), dept.id


def test_the_home_page_says_what_is_meant_and_lists_the_overdue_targets(built_site, real):
    plan, progress = real
    latest = progress[-1]
    home = page(built_site, "")
    said = words(re.search(r'<div class="plan-verdict".*?</div>', home, re.S).group(0))
    assert verdict_sentence(derive_verdict(plan, latest), len(plan.tasks), len(plan.indicators)).replace(" ", "") in said
    unfinished = sum(latest.unfinished(t.id) for t in plan.tasks)
    assert f"未按期完成{unfinished}项" in said and "未报告完成" not in said
    for code in OVERDUE:
        n = sum(s.assessed.code == code for s in latest.indicators.values())
        assert f"{ASSESSMENT_DISPLAY[code][0]}{n}项" in said
    assert "暂无数据" not in said
    listed = section(home, "overdue", "history")
    expected = [i for i in plan.indicators if latest.indicators[i.id].assessed.code in OVERDUE]
    assert badges(listed, "assessment") == [latest.indicators[i.id].assessed.code for i in expected]
    assert all(f'href="indicators/{i.id}/"' in listed for i in expected)


def test_every_report_judges_as_of_its_own_quarter(built_site, real):
    plan, progress = real
    for state in progress:
        html_text = page(built_site, f"reports/{state.period}")
        table = section(html_text, "all-targets", "tasks")
        assert badges(table, "assessment") == [state.indicators[i.id].assessed.code for i in plan.indicators], state.period
        for ind in plan.indicators:
            code = state.indicators[ind.id].assessed.code
            assert (code in VERDICTS) if closed(plan, state, ind) else (code not in OVERDUE), (state.period, ind.id)
        overdue = [i for i in plan.indicators if state.indicators[i.id].assessed.code in OVERDUE]
        listed = section(html_text, "overdue", "all-targets")
        assert badges(listed, "assessment") == [state.indicators[i.id].assessed.code for i in overdue], state.period
        if not overdue:
            assert "没有逾期未报数或未判定的目标" in words(listed)
        # 未达标 lists only 未达标: a target with no value is never counted there, nor as 已达标.
        for anchor, codes in (("achieved", {"achieved"}), ("missed", {"missed"})):
            names = re.findall(r'<li>.*?<a href="[^"]*indicators/([^/]+)/"', section(html_text, anchor, "overdue" if anchor == "missed" else "missed"))
            assert names == [i.id for i in plan.indicators if state.indicators[i.id].assessed.code in codes], (state.period, anchor)
    q3 = section(page(built_site, "reports/2015-Q3"), "all-targets", "tasks")
    assert "暂无数据" in words(q3) and not set(badges(q3, "assessment")) & set(OVERDUE)


def test_the_downloads_carry_the_new_codes(built_site, real):
    plan, progress = real
    package = json.loads((built_site / "downloads" / "datapackage.json").read_text(encoding="utf-8"))
    enums = [f["constraints"]["enum"] for r in package["resources"] for f in r["schema"]["fields"] if f["name"] == "assessment"]
    assert len(enums) == 2 and all(set(OVERDUE) <= set(e) for e in enums)

    def table(name):
        return list(csv.DictReader(io.StringIO((built_site / "downloads" / f"{name}.csv").read_text(encoding="utf-8-sig"))))

    latest = progress[-1]
    assert {r["indicator_id"]: r["assessment"] for r in table("indicators")} == {
        i.id: latest.indicators[i.id].assessed.code for i in plan.indicators}
    states = {s.period: s for s in progress}
    for r in table("indicator_values"):
        assert r["assessment"] == states[r["period"]].indicators[r["indicator_id"]].assessed.code
    # tasks.csv: the status the pages show (未按期完成 after the plan's end) beside the one reported.
    tasks = table("tasks")
    assert {r["task_id"]: r["current_status"] for r in tasks} == {
        str(t.id): "unfinished" if latest.unfinished(t.id) else latest.tasks[t.id].status for t in plan.tasks}
    assert {r["task_id"]: r["latest_status"] for r in tasks} == {str(t.id): latest.tasks[t.id].status for t in plan.tasks}
    assert "unfinished" in {r["current_status"] for r in tasks}
    enum = next(f for r in package["resources"] for f in r["schema"]["fields"] if f["name"] == "current_status")
    assert "unfinished" in enum["constraints"]["enum"]


def test_the_method_page_explains_the_new_verdicts_and_not_completed_on_time(built_site):
    method = page(built_site, "method")
    meanings = section(method, "assessment", "report-documents")
    for code in OVERDUE:
        row = next(r for r in rows(meanings) if r and r[0] == ASSESSMENT_DISPLAY[code][0])
        assert "期限已到" in row[1] and "不能算作达标" in row[1]
    assert "与“已达标”“未达标”分开统计" in words(meanings)
    over = section(method, "plan-over", "assessment")
    assert "未按期完成" in words(over) and "报送状态" in words(over)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_verdicts_and_not_completed_on_time_wear_the_failure_colour(browser, site_url, scheme):
    """In Chromium, in both palettes: 逾期未报数, 逾期未判定 and 未按期完成 are drawn in 未达标's colour,
    not the grey of 暂无数据 and 未报告 (a unit page shows all four; axe checks their contrast)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    colour = "(selector) => getComputedStyle(document.querySelector(selector)).color"
    page.goto(site_url + "departments/quality-supervision/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
    missed = page.evaluate(colour, "article .badge.assessment-missed")
    for selector in (".assessment-overdue_no_value", ".assessment-overdue_unjudged", ".status-unfinished"):
        assert page.evaluate(colour, f"article .badge{selector}") == missed, (scheme, selector)
    page.goto(site_url + "reports/2015-Q3/")  # before the deadline: 暂无数据 still, in grey
    assert page.evaluate(colour, "article .badge.assessment-no_data") != missed
    context.close()
