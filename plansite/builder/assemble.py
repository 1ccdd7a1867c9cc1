"""Everything the build generates from one plan: pages and open-data files, keyed by site path."""
from __future__ import annotations

from .. import urls
from ..figures.progress import derive_progress
from ..model.plan import Plan
from ..opendata.feed import render_feed
from ..opendata.package import render_datapackage, render_plan_json
from ..opendata.tables import build_tables, render_chart_csvs, render_downloads
from ..pages.printing import render_print_css
from ..pages.render import PageRenderer
from ..wording import file_size
from .cache import template_cache
from .timing import stage

DEFAULT_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "知识共享署名4.0国际许可协议（CC BY 4.0）",
    "path": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
}


def site_info(base_url: str | None, extra: dict | None = None) -> dict:
    """Publishing settings from mkdocs.yml `extra.open_data`, with defaults."""
    extra = extra or {}
    return {
        "base_url": (base_url or "/").rstrip("/") + "/",
        "license": extra.get("license", DEFAULT_LICENSE),
        "dataset_name": extra.get("dataset_name", "plan-open-data"),
    }


def render_site(plan: Plan, site: dict, charts: dict[str, dict], documents: dict[str, dict] | None = None
                ) -> tuple[dict[str, str | bytes], dict[str, list[str]]]:
    """Pages and open-data files by site path, and each page's HTML blocks (put back after MkDocs
    converts the Markdown: see PageRenderer.raw). `charts` are the chart specs the pages show and
    `documents` the Word reports (their files are drawn and made separately, by plansite/builder/drawing.py)."""
    with stage("derive"):
        progress = derive_progress(plan)
    with stage("open_data"):
        tables = build_tables(site["base_url"], progress)
        files: dict[str, str | bytes] = render_downloads(plan, tables)
        files[urls.PLAN_JSON] = render_plan_json(plan, progress)
        files[urls.DATAPACKAGE] = render_datapackage(plan, progress, tables, site)
        files[urls.FEED] = render_feed(plan, progress, site["base_url"])
        files[urls.PRINT_CSS] = render_print_css(plan, progress)
        files.update(render_chart_csvs(charts))
    sizes = {path: file_size(data if isinstance(data, bytes) else data.encode()) for path, data in files.items()}
    with stage("pages"):
        renderer = PageRenderer(plan, progress, charts, documents, template_cache())
        pages = renderer.pages(tables, sizes, site)
    return {**pages, **files}, renderer.raw
