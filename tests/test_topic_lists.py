"""Topic browsing: the chapter and task lists give each task its responsible units by name (lead
units, or the units sharing a 共同负责 task) and a line of its text, so a reader looking for 食品
finds the tasks about it."""
from __future__ import annotations

from pathlib import Path

from plansite.wording import answerable_units as unit_names, task_excerpt
from plansite.model.load import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = load_plan(ROOT / "data")


def test_excerpt_is_the_first_sentence_after_the_title_without_the_units_note():
    first = PLAN.task(3)  # "要大力实施农业标准化,提升现代农业水平。…（市农业局…负责）"
    assert task_excerpt(first) == "要大力实施农业标准化,提升现代农业水平。"
    long = PLAN.task(13)
    assert task_excerpt(long).startswith("围绕食品、药品、农产品") and len(task_excerpt(long)) <= 48
    for task in PLAN.tasks:
        excerpt = task_excerpt(task).removesuffix("…")
        assert excerpt and excerpt in task.text and "负责)" not in excerpt and "负责）" not in excerpt


def test_joint_tasks_are_listed_with_the_names_of_the_units_sharing_them():
    task = PLAN.task(17)
    assert not task.lead and unit_names(task) == ("joint", list(task.joint))


def task_rows(page) -> dict[str, str]:
    return dict(page.eval_on_selector_all(
        ".md-content tbody tr[id^='task-']", "rows => rows.map(r => [r.id, r.cells[0].innerText])"))


def test_the_task_list_shows_units_and_an_excerpt_for_every_task(page, site_url):
    page.goto(site_url + "tasks/")
    rows = task_rows(page)
    assert len(rows) == len(PLAN.tasks)
    for task in PLAN.tasks:
        text = rows[f"task-{task.id:02d}"]
        role, names = unit_names(task)
        assert task_excerpt(task) in text, task.id
        assert ("牵头：" if role == "lead" else "共同负责：") + "、".join(names) in text, task.id
    assert "（共同负责）" not in page.locator(".md-content").inner_text()
    # Chapter 八's shared tasks name their units; the unit names link to the unit pages.
    eight = [t for t in PLAN.tasks if t.chapter == 8 and not t.lead]
    assert eight
    for task in eight:
        links = page.locator(f"tr#task-{task.id:02d} .task-units a")
        assert links.count() == len(task.joint)
    page.locator("tr#task-22 .task-units a").first.click()
    assert "/departments/" in page.url
    # 食品 (food) is in no title, but the lists now show it.
    page.goto(site_url + "tasks/")
    assert any("食品" in text for text in task_rows(page).values())


def test_the_chapter_page_shows_each_tasks_excerpt(page, site_url):
    page.goto(site_url + "chapters/08/")
    excerpts = page.locator(".md-content p.task-excerpt").all_inner_texts()
    assert excerpts == [task_excerpt(t) for t in PLAN.tasks if t.chapter == 8]
