"""Every address the site publishes, one function or name each: pages (by their Markdown source, which
MkDocs publishes as a folder URL), anchors, charts, CSV and JSON files, Word reports, the feed.

These addresses are promised as stable: they come from ids and periods, never from titles, so a
citation or a bookmark keeps working when a title is corrected. Pages, documents, open data, the
hook and the tests all build addresses here (tests/test_urls.py checks every link of a built site
against this module).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names for the annotations only: publish's checks use this module without the data model
    from .model.schema import Chapter, Department, Indicator, Task

# ---- section pages (MkDocs sources) ------------------------------------------------------------
HOME = "index.md"
PLAN = "plan/index.md"
TASKS = "tasks/index.md"
CHAPTERS = "chapters/index.md"
DEPARTMENTS = "departments/index.md"
INDICATORS = "indicators/index.md"
REPORTS = "reports/index.md"
DOWNLOADS = "downloads/index.md"
ABOUT = "about.md"  # written by hand, in docs/
METHOD = "method/index.md"
SCHEMA = "schema/index.md"
SITEMAP = "sitemap/index.md"

# The address mkdocs.yml builds for when SITE_URL is not set: never the site's own (make publish
# refuses such a build; no page names it as its domain).
PLACEHOLDER_SITE_URL = "https://example.org/"

# ---- files beside the pages --------------------------------------------------------------------
FEED = "feed.xml"
PLAN_JSON = "downloads/plan.json"
DATAPACKAGE = "downloads/datapackage.json"
PRINT_CSS = "stylesheets/print-page.css"  # the printed pages' running head, made from the data
# Scripts in docs/ that only some pages load (their page metadata's `scripts`), not every page.
SORT_SCRIPT = "javascripts/sort.js"  # sortable tables (table[data-sortable])


# The one stylesheet every page links, made after the pages (plansite/builder/stylesheet.py). One name,
# not its content's hash: it holds the running head made from the data, and a published report's page
# must not change when a later quarter changes the stylesheet. Cached like the pages (deploy/nginx.conf).
SITE_STYLESHEET = "assets/stylesheets/site.min.css"


# ---- one page per thing ------------------------------------------------------------------------


def chapter_page(chapter: Chapter) -> str:
    return f"chapters/{chapter.id:02d}/index.md"


def task_page(task: Task) -> str:
    return f"tasks/{task.id:02d}/index.md"


def department_page(department: Department) -> str:
    return f"departments/{department.id}/index.md"


def indicator_page(indicator: Indicator) -> str:
    return f"indicators/{indicator.id}/index.md"


def period_page(period: str) -> str:
    return f"reports/{period}/index.md"


def period_document(period: str) -> str:
    """A quarterly report's Word version, beside its page."""
    return f"reports/{period}/{period}.docx"


def task_anchor(task: Task) -> str:
    """A task's row in lists and in a quarterly report."""
    return f"task-{task.id:02d}"


def chapter_anchor(chapter: Chapter) -> str:
    """A chapter's heading on the pages that list by chapter (计划全文, 章节与任务, 量化目标, a report)."""
    return f"chapter-{chapter.id:02d}"


def plan_chapter(chapter: Chapter) -> str:
    return f"{PLAN}#{chapter_anchor(chapter)}"


def plan_task(task: Task) -> str:
    """A task's paragraph in the plan's full text."""
    return f"{PLAN}#{task_anchor(task)}"


def report_task(period: str, task: Task) -> str:
    """A task's row in one quarterly report: how its status as of that period is cited."""
    return f"{period_page(period)}#{task_anchor(task)}"


# ---- charts: an id each, and its files ---------------------------------------------------------
HOME_STATUS_CHART = "home-status"
HOME_HISTORY_CHART = "home-history"


def chapter_chart(chapter: Chapter) -> str:
    return f"chapter-{chapter.id:02d}"


def department_chart(department: Department) -> str:
    return f"department-{department.id}"


def indicator_chart(indicator: Indicator) -> str:
    return f"indicator-{indicator.id}"


def report_chart(period: str) -> str:
    return f"report-{period}"


def chart_svg(chart_id: str) -> str:
    return f"charts/{chart_id}.svg"


def chart_png(chart_id: str) -> str:
    """The same drawing as the SVG, for documents and print."""
    return f"charts/{chart_id}.png"


def chart_csv(chart_id: str) -> str:
    """A chart's numbers as a spreadsheet, beside its image (or alone, without one)."""
    return f"charts/{chart_id}.csv"


def download_csv(table: str) -> str:
    return f"downloads/{table}.csv"


# ---- from a source to an address ---------------------------------------------------------------


def page_url(src: str) -> str:
    """Site-relative URL of a page (with its anchor, if any), as MkDocs publishes it with directory
    URLs: x/index.md → x/, about.md → about/; any other file keeps its name."""
    path, hash_, anchor = src.partition("#")
    if path == "index.md" or path.endswith("/index.md"):
        path = path.removesuffix("index.md")
    elif path.endswith(".md"):
        path = path.removesuffix(".md") + "/"
    return path + hash_ + anchor


def absolute(base_url: str, src: str) -> str:
    """The full address of a page or file under the published address `base_url`."""
    return base_url.rstrip("/") + "/" + page_url(src)


def relative_path(path: str, start: str) -> str:
    """posixpath.relpath for site paths, without its look-up of the working directory (which
    cost a quarter of page rendering)."""
    to, here = path.split("/"), [part for part in start.split("/") if part]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."
