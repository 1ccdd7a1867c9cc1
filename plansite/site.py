"""Everything the build generates from one plan: pages and open-data files, keyed by site path."""
from __future__ import annotations

from .downloads import render_downloads, tables
from .derive import derive_progress
from .plan import Plan
from .render import PageRenderer, file_size


def render_site(plan: Plan, base_url: str) -> dict[str, str | bytes]:
    progress = derive_progress(plan)
    downloads = render_downloads(plan, progress, base_url)
    sizes = {path: file_size(data) for path, data in downloads.items()}
    pages = PageRenderer(plan, progress).pages(tables(base_url), sizes)
    return {**pages, **downloads}
