"""The site's sections, and every page of the site by section (the 网站地图 page)."""
from __future__ import annotations

from .derive import PeriodState
from .display import period_label, period_page
from .plan import Plan
from .render import chapter_heading, chapter_page, department_page, indicator_page, task_heading, task_page

# (menu label = page heading = <title>, page) for every section page, in menu order.
SECTION_PAGES = [
    ("首页", "index.md"),
    ("计划全文", "plan/index.md"),
    ("章节与任务", "tasks/index.md"),
    ("责任单位", "departments/index.md"),
    # Single indicator pages are reached from this overview and from their task pages.
    ("量化目标", "indicators/index.md"),
    # Single reports stay out of the nav, so adding a period never changes an old report's HTML.
    ("季度报告", "reports/index.md"),
    ("数据下载", "downloads/index.md"),
    ("关于本站", "about.md"),
    ("方法说明", "method/index.md"),
    ("数据说明", "schema/index.md"),
]
# The 网站地图 page: linked from every page's footer, not from the menu.
SITEMAP_PAGE = ("网站地图", "sitemap/index.md")


def _item(title: str, src: str, items: list[dict] | None = None) -> dict:
    return {"title": title, "src": src, "items": items or []}


def derive_sitemap(plan: Plan, progress: list[PeriodState]) -> list[dict]:
    """Each section page with the pages reached from it: {title, src, id, items: [{title, src, items}]}.
    The page titles are the pages' own headings (plansite/templates)."""
    children = {
        "tasks/index.md": [_item("章节", "chapters/index.md")] + [
            _item(chapter_heading(c), chapter_page(c), [_item(task_heading(t), task_page(t)) for t in plan.tasks_in(c)])
            for c in plan.chapters],
        "departments/index.md": [_item(d.name, department_page(d)) for d in plan.departments],
        "indicators/index.md": [_item(i.name, indicator_page(i)) for i in plan.indicators],
        "reports/index.md": [_item(f"{period_label(s.period)}进展报告", period_page(s.period)) for s in reversed(progress)],
    }
    return [
        {**_item(title, src, children.get(src)), "id": "home" if src == "index.md" else src.split("/")[0].removesuffix(".md")}
        for title, src in SECTION_PAGES
    ]
