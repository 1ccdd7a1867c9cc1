"""MkDocs hooks: the bridge from the validated plan to MkDocs.

Generated pages are added in memory with File.generated (MkDocs 1.6), so nothing generated is
ever written into docs/ or committed, and `mkdocs serve` regenerates them on every change.
While MkDocs renders the pages, worker processes (plansite/builder/workers.py) draw the charts and print
QR codes and make the Word reports (plansite/builder/drawing.py) and index the pages for search
(plansite/search); the charts and reports are written into the site folder after the last page.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.exceptions import Abort
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from plansite.builder.assemble import render_site, site_info
from plansite.builder.cache import template_cache
from plansite.builder.drawing import Drawing
from plansite.builder.stylesheet import OneStylesheet
from plansite.builder.timing import stage
from plansite.builder.workers import Workers, take_early
from plansite.charts.specs import derive_chart_specs
from plansite.documents.report import derive_report_documents
from plansite.errors import DataError
from plansite.figures.progress import derive_progress
from plansite.model.govinfo import URL_UNSAFE, ConfigError, derive_gov_footer, validate_gov
from plansite.model.load import load_plan
from plansite.model.plan import Plan
from plansite.pages.markdown import SIZE_MARK, put_back_raw, put_back_sizes
from plansite.pages.govmeta import derive_page_gov_meta, derive_site_meta
from plansite.pages.meta import derive_page_meta
from plansite.pages.nobreak import keep_whole
from plansite.pages.sections import SECTION_PAGES
from plansite.search.index import configure_jieba, derive_search_words, derive_vocabulary, finish_index
from plansite.search.material import finish_search, index_in_workers
from plansite import urls
from plansite.wording import CITED_ON, citation_7714

_plans: dict[str, Plan] = {}
_page_meta: dict[str, dict[str, dict]] = {}
_drawings: dict[str, Drawing] = {}
_workers: dict[str, Workers] = {}
_raw: dict[str, dict[str, list[str]]] = {}
_gov: dict[str, dict[str, str]] = {}
_gov_meta: dict[str, dict[str, list[tuple[str, str]]]] = {}
_stylesheets: dict[str, OneStylesheet] = {}


def data_dir(config) -> Path:
    """The data folder: `extra.plan_data` in mkdocs.yml (PLAN_DATA), relative to mkdocs.yml."""
    root = Path(config.config_file_path).parent
    return (root / config.extra.get("plan_data", "data")).resolve()


def on_config(config):
    try:
        with stage("load_validate"):
            plan = load_plan(data_dir(config))
    except DataError as err:
        raise Abort(err.report()) from None
    # Unit names and the plan's own terms stay whole words in the search index (and in queries).
    configure_jieba(derive_search_words(plan))
    _plans[config.config_file_path] = plan
    # Material writes the published address into canonical links unescaped; no real address holds these.
    unsafe = URL_UNSAFE.search(config.site_url or "")
    if unsafe:
        raise Abort(f"SITE_URL“{config.site_url}”含有网址中不能出现的字符（{unsafe.group()!r}）："
                    "请填写网站发布后的地址，如 SITE_URL=https://example.gov.cn/plan/")
    try:  # the footer's 主办单位, 备案号 …: only what mkdocs.yml sets, checked
        gov = validate_gov(config.extra.get("gov"), Path(config.config_file_path))
    except ConfigError as err:
        raise Abort(str(err)) from None
    config.extra["gov_footer"] = derive_gov_footer(gov)
    _gov[config.config_file_path] = gov
    # Material writes site_name and site_description into HTML (and attributes) unescaped, and in
    # places through `| e`: escaped as Markup, they are escaped exactly once either way.
    config.site_name = escape(plan.meta.title)
    config.site_description = escape(f"{plan.meta.issuer}印发的《{plan.meta.title}》全文、任务、责任单位和量化目标")
    config.copyright = f"计划原文由{escape(plan.meta.issuer)}发布；本站为依据公开文件整理的信息公开网站"
    config.nav = build_nav(plan)
    _workers[config.config_file_path] = take_early() or Workers(beside_main=True)
    _stylesheets[config.config_file_path] = OneStylesheet(config.site_url)
    return config


def on_files(files: Files, config) -> Files:
    key = config.config_file_path
    plan = _plans[key]
    progress = derive_progress(plan)
    _page_meta[key] = meta = derive_page_meta(plan, progress)
    with stage("charts"):
        specs = derive_chart_specs(plan, progress)
        # Started now, drawn by worker processes while MkDocs renders the pages.
        base = config.site_url or ""
        qr_urls = [urls.absolute(base, src) for src, m in meta.items() if m.get("print_qr")] if base else []
        site = site_info(config.site_url, config.extra.get("open_data"))
        documents = derive_report_documents(plan, progress, specs, site["base_url"], _gov[key].get("report_issuer"))
        _drawings[key] = Drawing(workers=_workers[key]).start(specs, qr_urls, documents)
    _gov_meta[key] = derive_page_gov_meta(plan, progress, specs, meta, _gov[key], config.site_url)
    # After the drawings are queued: pages wait for their QR codes, the search index is written last.
    index_in_workers(config, _workers[key], files, stage)
    generated, _raw[key] = render_site(plan, site, specs, documents)
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files


def on_env(env, config, files):
    """MkDocs' and Material's templates compiled once, not in every build (plansite/builder/cache.py)."""
    env.bytecode_cache = template_cache()
    # Addresses the theme's own templates (overrides/) link to, from the one place that makes them.
    env.globals["site_urls"] = {"sitemap": urls.page_url(urls.SITEMAP), "feed": urls.FEED, "print_css": urls.PRINT_CSS}
    key = config.config_file_path
    env.globals["site_meta"] = derive_site_meta(_plans[key], _gov[key], config.site_url)  # 网页元数据
    return env


# Front matter Material writes into the page's HTML as it is (<meta name="description">, <title>, the header).
HTML_META = ("description", "title")


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Description, citation and print settings for generated pages (see plansite/pages/meta.py)."""
    page.meta.update(_page_meta[config.config_file_path].get(page.file.src_uri, {}))
    page.meta["gov_meta"] = _gov_meta[config.config_file_path].get(page.file.src_uri, [])
    for key in HTML_META:  # from pagemeta or a page's own front matter: text, escaped once here
        if isinstance(page.meta.get(key), str) and not isinstance(page.meta[key], Markup):
            page.meta[key] = escape(page.meta[key])
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """The page's HTML blocks, back in place once Python-Markdown has converted the rest."""
    return put_back_raw(html, _raw[config.config_file_path].get(page.file.src_uri, []))


@event_priority(50)  # before the search plugin reads the page
def on_page_context(context, page, config, nav):
    """A QR code of the page's address, shown only in print, leads a paper copy back to the site.
    The sizes of files drawn in the background go in last: the 数据下载 page, the last page
    MkDocs writes, waits for the charts' images and the Word reports."""
    if page.meta.get("cite"):
        _cite(page, config)
    if page.meta.get("print_qr") and page.canonical_url:
        with stage("qr_wait"):
            page.meta["qr_svg"] = _drawings[config.config_file_path].qr(page.canonical_url)
    if page.content and SIZE_MARK.search(page.content):
        with stage("charts"):
            page.content = put_back_sizes(page.content, _drawings[config.config_file_path].charts().files)
    return context


def on_post_page(output: str, page, config) -> str:
    """Every number with its unit, date and ordinal of the written page kept on one line
    (plansite/pages/nobreak.py): the article, and what the theme adds around it (the citation, the
    previous and next page). After the search plugin has read the page, so its index is unchanged.
    Then its stylesheet links become one (plansite/builder/stylesheet.py)."""
    key = config.config_file_path
    output = keep_whole(output, {indicator.unit for indicator in _plans[key].indicators})
    return _stylesheets[key].relink(output, page.file.dest_uri)


def on_post_template(output: str, template_name: str, config) -> str:
    """The theme's own pages (404.html) link the one stylesheet too."""
    if not template_name.endswith(".html"):
        return output
    return _stylesheets[config.config_file_path].relink(output, template_name)


def _cite(page, config) -> None:
    """引用本页 in GB/T 7714-2015's form (wording.citation_7714): the page's, and for a task the row of
    each quarterly report; split where the citing date goes, which the page's script fills in."""
    key = config.config_file_path
    gov, site_name = _gov[key], _plans[key].meta.title
    author = gov.get("organizer") or gov.get("sponsor") or ""
    title = Markup(page.title or "").striptags()
    text = citation_7714(title, site_name, dt.date.fromisoformat(page.meta["cite_updated"]), page.canonical_url or "",
                         author, page.meta.get("cite_sample", False))
    page.meta["cite_parts"] = _cite_parts(text)
    for past in page.meta.get("past_citations") or []:
        url = (config.site_url or "") + past["path"]
        text = citation_7714(f"{past['period']}进展报告：{title}（{past['status']}）", site_name,
                             dt.date.fromisoformat(past["updated"]), url, author, past["sample"])
        past["cite_parts"] = _cite_parts(text)


def _cite_parts(text: str) -> tuple[str, str, str]:
    """A citation as (before, citing date's place, after): the template wraps the middle for the script."""
    before, _, after = text.partition(f"[{CITED_ON}]")
    return before, CITED_ON, after


@event_priority(50)  # before the search plugin's on_post_build
def _collect_charts(config):
    """The charts and Word reports, once made (most were, while pages were rendered); this process
    draws those no worker has started, while the workers go on to the pages still to be indexed."""
    with stage("charts"):
        drawing = _drawings.pop(config.config_file_path)
        drawn = drawing.charts()
        drawing.prune()
    for path, svg in drawn.files.items():
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(svg)


@event_priority(-40)  # after the search plugin has written the index, before the workers stop
def _finish_index(config):
    """The index's inner words, made where jieba's dictionary is loaded, and the file in UTF-8."""
    key = config.config_file_path
    with stage("search_words"):
        finish_index(Path(config.site_dir), derive_vocabulary(_plans[key]), _workers[key])


@event_priority(-50)  # after the search plugin has written the index the workers made
def _stop_workers(config):
    _workers.pop(config.config_file_path).close()


@event_priority(-45)  # after the index is finished (its words, in UTF-8)
def _patch_search(config):
    """Material's search worker fixed, and the index packed for it (plansite/search/material.py)."""
    finish_search(Path(config.site_dir))


@event_priority(-100)  # last: every page and script is written (the search worker patched)
def _one_stylesheet(config):
    """The pages' stylesheets as one file, Material's cut to what the pages use (plansite/builder/stylesheet.py)."""
    with stage("stylesheet"):
        _stylesheets.pop(config.config_file_path).finish(Path(config.site_dir))


on_post_build = CombinedEvent(_collect_charts, _finish_index, _stop_workers, _patch_search, _one_stylesheet)


def on_build_error(error):
    for drawing in _drawings.values():
        drawing.close()
    _drawings.clear()
    for workers in _workers.values():
        workers.close()
    _workers.clear()
    _stylesheets.clear()


def build_nav(plan: Plan) -> list:
    """The sidebar: a fixed, flat list of the site's section pages, the same for every plan and page.

    Flat, so every section page is one tap away from every page (a 关于本站 section would make
    method/index.md its index page, hidden behind the section's name). Each label is the page's own
    heading and title (tests/test_navigation.py). Chapters and tasks are reached from 章节与任务 and
    link to each other (breadcrumb, previous and next) instead of filling the sidebar: Material
    writes the open section's items into every page, so a nav listing them would make each page,
    and the build, grow with the plan's size.
    """
    return [{title: src} for title, src in SECTION_PAGES]
