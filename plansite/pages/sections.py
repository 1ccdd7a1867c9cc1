"""The site's sections, and every page of the site by section (the 网站地图 page)."""
from __future__ import annotations

from .. import urls
from ..figures.progress import PeriodState
from ..model.plan import Plan
from ..urls import chapter_page, department_page, indicator_page, period_page, task_page
from ..wording import chapter_heading, period_label, task_heading

# (menu label = page heading = <title>, page) for every section page, in menu order.
SECTION_PAGES = [
    ("首页", urls.HOME),
    ("计划全文", urls.PLAN),
    ("章节与任务", urls.TASKS),
    ("责任单位", urls.DEPARTMENTS),
    # Single indicator pages are reached from this overview and from their task pages.
    ("量化目标", urls.INDICATORS),
    # Single reports stay out of the nav, so adding a period never changes an old report's HTML.
    ("季度报告", urls.REPORTS),
    ("数据下载", urls.DOWNLOADS),
    ("关于本站", urls.ABOUT),
    ("方法说明", urls.METHOD),
    ("数据说明", urls.SCHEMA),
]
# The 网站地图 page (urls.SITEMAP): linked from every page's footer, not from the menu.
SITEMAP_TITLE = "网站地图"


def _item(title: str, src: str, items: list[dict] | None = None) -> dict:
    return {"title": title, "src": src, "items": items or []}


def derive_sitemap(plan: Plan, progress: list[PeriodState]) -> list[dict]:
    """Each section page with the pages reached from it: {title, src, id, items: [{title, src, items}]}.
    The page titles are the pages' own headings (plansite/pages/templates)."""
    children = {
        urls.TASKS: [_item("章节", urls.CHAPTERS)] + [
            _item(chapter_heading(c), chapter_page(c), [_item(task_heading(t), task_page(t)) for t in plan.tasks_in(c)])
            for c in plan.chapters],
        urls.DEPARTMENTS: [_item(d.name, department_page(d)) for d in plan.departments],
        urls.INDICATORS: [_item(i.name, indicator_page(i)) for i in plan.indicators],
        urls.REPORTS: [_item(f"{period_label(s.period)}进展报告", period_page(s.period)) for s in reversed(progress)],
    }
    return [
        {**_item(title, src, children.get(src)), "id": "home" if src == urls.HOME else src.split("/")[0].removesuffix(".md")}
        for title, src in SECTION_PAGES
    ]
