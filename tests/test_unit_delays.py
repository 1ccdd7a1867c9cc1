"""Which unit is behind most often: per unit, its tasks 滞后 now and its task-quarters 滞后 over
the plan, derived in plansite/figures/summary.py and shown, sortable, on the unit list and on each unit page."""
from __future__ import annotations

from pathlib import Path

from plansite.figures.progress import derive_progress
from plansite.figures.summary import derive_unit_delays
from plansite.model.load import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = load_plan(ROOT / "data")

# Counted by hand from data/progress/*.yaml (sample data) and data/tasks.yaml: tasks 滞后 are (三),
# (十八) in 2015-Q2, (五), (九) in 2015-Q3 and (五), (十三) in 2015-Q4. 市质监局 leads (三), (九),
# (十三), (十八): 4 task-quarters, 1 now ((十三)); it is a partner of (五): 2, 1 now. 市科技局 leads
# (五): 2, 1 now; partner of (十八): 1. 市工商局 leads none; partner of (五) 2 + (九) 1 + (十三) 1
# + (十八) 1 = 5 task-quarters, 2 now ((五), (十三)).
HAND_COUNT = {
    "quality-supervision": ({"lead": 1, "partners": 1, "joint": 0}, {"lead": 4, "partners": 2, "joint": 0}),
    "science-technology": ({"lead": 1, "partners": 0, "joint": 0}, {"lead": 2, "partners": 1, "joint": 0}),
    "industry-commerce-admin": ({"lead": 0, "partners": 2, "joint": 0}, {"lead": 0, "partners": 5, "joint": 0}),
}


def test_delays_match_a_hand_count_of_the_sample_data():
    delays = derive_unit_delays(PLAN, derive_progress(PLAN))
    for dept, (now, quarters) in HAND_COUNT.items():
        assert {r: len(ids) for r, ids in delays[dept].behind_now.items()} == now, dept
        assert delays[dept].behind_quarters == quarters, dept
    assert delays["quality-supervision"].behind_now["lead"] == [13]
    # Nobody else leads a task that was ever behind.
    assert {d for d, v in delays.items() if v.quarters("lead", "joint")} == {
        "quality-supervision", "science-technology", "entry-exit-inspection"}


def test_a_plan_without_progress_has_no_delays():
    mini = load_plan(ROOT / "tests" / "fixtures" / "mini")
    delays = derive_unit_delays(mini, derive_progress(mini))
    assert all(v.now("lead", "partners", "joint") == 0 and v.quarters("lead", "partners", "joint") == 0
               for v in delays.values())


def rows(page) -> list[list[str]]:
    return page.eval_on_selector_all(
        ".md-content table[data-sortable] tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")


def test_the_unit_list_shows_the_counts_and_sorts_by_them_without_another_host(page, site_url):
    page.goto(site_url + "departments/")
    head = page.eval_on_selector_all(".md-content table[data-sortable] thead th", "ths => ths.map(t => t.textContent.trim())")
    assert head[-2:] == ["现在滞后", "累计滞后季度"]
    by_name = {r[0]: r for r in rows(page)}
    assert by_name["市质监局"][-2:] == ["1", "4"]  # 牵头或共同负责: (十三) now; 4 task-quarters
    assert by_name["市科技局"][-2:] == ["1", "2"]
    assert by_name["市工商局"][-2:] == ["0", "0"]  # a partner only (see its page)
    # In the plan's order until a reader sorts.
    assert [r[0] for r in rows(page)] == [d.name for d in PLAN.departments]
    sort = page.get_by_role("button", name="累计滞后季度")
    sort.click()
    assert page.locator("th[aria-sort]").inner_text() == "累计滞后季度"
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    ordered = rows(page)
    assert [r[0] for r in ordered[:3]] == ["市质监局", "市科技局", "阳江出入境检验检疫局"]
    assert [int(r[-1]) for r in ordered] == sorted((int(r[-1]) for r in ordered), reverse=True)
    sort.click()  # a second press reverses
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    assert rows(page)[-1][0] == "市质监局"
    page.get_by_role("button", name="单位").click()
    assert page.locator("th[aria-sort]").inner_text() == "单位"
    assert all(url.startswith(site_url) for url in page.requests)


def test_each_unit_page_shows_its_delays_by_role(page, site_url):
    page.goto(site_url + "departments/industry-commerce-admin/")
    table = page.locator("#behind ~ .md-typeset__scrollwrap table, #behind ~ table").first
    cells = table.locator("tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")
    assert [row[0] for row in cells] == ["牵头", "会同", "共同负责"]
    assert cells[1][2:] == ["2", "5"]  # (五) and (十三) behind now; 5 task-quarters as a partner
    page.goto(site_url + "departments/quality-supervision/")
    cells = page.locator("#behind ~ .md-typeset__scrollwrap table, #behind ~ table").first.locator(
        "tbody tr").evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")
    assert cells[0][2:] == ["1", "4"] and cells[1][2:] == ["1", "2"]


def test_each_progress_list_gets_its_own_answer():
    """Asked about fewer periods after all of them (a report as of 2015-Q3, say), the answer counts
    those periods only: nothing computed for another progress list is handed back."""
    progress = derive_progress(PLAN)
    everything = derive_unit_delays(PLAN, progress)
    up_to_q3 = derive_unit_delays(PLAN, progress[:-1])
    # 市质监局 leads (十三), 滞后 only in 2015-Q4, and (三), (九), (十八), 滞后 in Q2 and Q3.
    assert everything["quality-supervision"].behind_quarters["lead"] == 4
    assert up_to_q3["quality-supervision"].behind_quarters["lead"] == 3
    assert up_to_q3["quality-supervision"].behind_now["lead"] == [9]  # (九) in 2015-Q3
    assert derive_unit_delays(PLAN, [])["quality-supervision"].now("lead") == 0
    assert derive_unit_delays(PLAN, progress) == everything  # and the whole list again: the first answer


def test_deriving_figures_leaves_the_plan_as_it_was():
    """The Plan is frozen; figures derived from it are kept beside it, never written into it."""
    plan = load_plan(ROOT / "data")
    before = {name: repr(getattr(plan, name)) for name in plan.__dataclass_fields__}
    lookups = {key: repr(value) for key, value in plan._by.items()}
    progress = derive_progress(plan)
    derive_unit_delays(plan, progress)
    from plansite.builder.assemble import render_site, site_info
    from plansite.charts.specs import derive_chart_specs

    render_site(plan, site_info("https://example.org/plan/"), derive_chart_specs(plan, progress))
    assert {name: repr(getattr(plan, name)) for name in plan.__dataclass_fields__} == before
    assert {key: repr(value) for key, value in plan._by.items()} == lookups
    assert derive_progress(plan) is progress  # derived once per plan all the same
