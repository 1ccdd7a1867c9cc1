"""MkDocs hooks: the bridge from the validated plan to MkDocs.

Generated pages are added in memory with File.generated (MkDocs 1.6), so nothing generated is
ever written into docs/ or committed, and `mkdocs serve` regenerates them on every change.
"""
from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from plansite.errors import DataError
from plansite.derive import derive_progress
from plansite.pagemeta import derive_page_meta
from plansite.plan import Plan
from plansite.render import chapter_heading, chapter_page, task_page
from plansite.site import render_site, site_info
from plansite.timing import stage
from plansite.validate import load_plan

_plans: dict[str, Plan] = {}
_page_meta: dict[str, dict[str, dict]] = {}


def data_dir(config) -> Path:
    """The data folder: `extra.plan_data` in mkdocs.yml (PLAN_DATA), relative to mkdocs.yml."""
    root = Path(config.config_file_path).parent
    return (root / config.extra.get("plan_data", "data")).resolve()


def on_config(config):
    _quiet_jieba()
    try:
        with stage("load_validate"):
            plan = load_plan(data_dir(config))
    except DataError as err:
        raise Abort(err.report()) from None
    _plans[config.config_file_path] = plan
    # Material writes site_name and site_description into HTML (and attributes) unescaped.
    config.site_name = html.escape(plan.meta.title)
    config.site_description = html.escape(f"{plan.meta.issuer}印发的《{plan.meta.title}》全文、任务、责任单位和量化目标")
    config.copyright = f"计划原文由{html.escape(plan.meta.issuer)}发布；本站为依据公开文件整理的信息公开网站"
    config.nav = build_nav(plan)
    return config


def on_files(files: Files, config) -> Files:
    plan = _plans[config.config_file_path]
    site = site_info(config.site_url, config.extra.get("open_data"))
    for path, content in render_site(plan, site).items():
        files.append(File.generated(config, path, content=content))
    _page_meta[config.config_file_path] = derive_page_meta(plan, derive_progress(plan))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Description, citation and print settings for generated pages (see plansite/pagemeta.py)."""
    page.meta.update(_page_meta[config.config_file_path].get(page.file.src_uri, {}))
    return markdown


def on_page_context(context, page, config, nav):
    """A QR code of the page's address, shown only in print, leads a paper copy back to the site."""
    if page.meta.get("print_qr") and page.canonical_url:
        import segno

        qr = segno.make(page.canonical_url, error="m")
        page.meta["qr_svg"] = qr.svg_inline(scale=3, title=f"本页网址二维码：{page.canonical_url}")
    return context


def _quiet_jieba() -> None:
    """jieba (loaded by the search plugin) logs its dictionary loading at DEBUG on every build."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


def build_nav(plan: Plan) -> list:
    """Chapters as sections, each opening on its chapter page and listing its tasks."""
    chapters = [
        # MkDocs writes nav titles into HTML unescaped, so data in them is escaped here.
        {html.escape(chapter_heading(c)): [chapter_page(c), *(task_page(t) for t in plan.tasks_in(c))]}
        for c in plan.chapters
    ]
    return [
        {"首页": "index.md"},
        {"计划全文": "plan/index.md"},
        {"章节与任务": ["tasks/index.md", *chapters]},
        {"责任单位": "departments/index.md"},
        # Single indicator pages are reached from this overview and from their task pages.
        {"量化目标": "indicators/index.md"},
        # Single reports stay out of the nav, so adding a period never changes an old report's HTML.
        {"季度报告": "reports/index.md"},
        {"数据下载": "downloads/index.md"},
        {"关于本站": ["about.md", "method/index.md", "schema/index.md"]},
    ]
