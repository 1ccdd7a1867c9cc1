"""网页元数据: the <meta> tags a government site's pages carry for the national monitoring and the
provincial platforms' crawlers (SiteName, ColumnName, ArticleTitle, PubDate …), from the data and
mkdocs.yml `extra.gov`. A tag is written only when its value is known: nothing is invented (no
site code, no domain from the placeholder address, no column type that is not set)."""
from __future__ import annotations

from urllib.parse import urlsplit

from .. import urls
from ..figures.progress import PeriodState
from ..model.plan import Plan
from ..wording import answerable_units, chapter_heading, period_label, task_heading
from .sections import SECTION_PAGES, SITEMAP_TITLE

KEYWORDS_JOIN = ","  # crawlers split keywords on the ASCII comma


def known_site_url(site_url: str | None) -> str | None:
    """The published address, unless it is the placeholder."""
    return None if not site_url or site_url.startswith(urls.PLACEHOLDER_SITE_URL) else site_url


def derive_site_meta(plan: Plan, gov: dict[str, str], site_url: str | None) -> list[tuple[str, str]]:
    """The tags of every page (the 404 page too): the site's name, its domain and its 网站标识码."""
    tags = [("SiteName", plan.meta.title)]
    if site := known_site_url(site_url):
        tags.append(("SiteDomain", urlsplit(site).hostname or ""))
    if gov.get("site_code"):
        tags.append(("SiteIDCode", gov["site_code"]))
    return tags


def _keywords(*words: str) -> str:
    return KEYWORDS_JOIN.join(dict.fromkeys(w for w in words if w))


def derive_page_gov_meta(plan: Plan, progress: list[PeriodState], specs: dict[str, dict], page_meta: dict[str, dict],
                         gov: dict[str, str], site_url: str | None) -> dict[str, list[tuple[str, str]]]:
    """src → the page's own tags, after the site's: a section page's column tags, a content page's
    article tags (its heading, the date of the data it shows, who issued its content)."""
    site = known_site_url(site_url)
    title = plan.meta.title
    out: dict[str, list[tuple[str, str]]] = {}

    def description(src: str) -> str:
        return page_meta.get(src, {}).get("description", "")

    for name, src in [*SECTION_PAGES, (SITEMAP_TITLE, urls.SITEMAP)]:
        tags = [("ColumnName", name), ("ColumnDescription", description(src)), ("ColumnKeywords", _keywords(title, name)),
                ("ColumnType", gov.get("column_type", ""))]
        out[src] = [(tag, value) for tag, value in tags if value]

    latest_date = plan.data_date.isoformat()

    def article(src: str, heading: str, pub_date: str, source: str, keywords: str, chart: str | None) -> None:
        tags = [("ArticleTitle", heading), ("PubDate", pub_date), ("ContentSource", source), ("Keywords", keywords),
                ("Description", description(src))]
        if site:
            tags.append(("Url", urls.absolute(site, src)))
            spec = specs.get(chart) if chart else None
            if spec and spec.get("png"):
                tags.append(("Image", urls.absolute(site, spec["png"])))
        out[src] = [(tag, value) for tag, value in tags if value]

    issuer = plan.meta.issuer  # the plan's text and its tasks, units and targets are the issuer's
    for chapter in plan.chapters:
        article(urls.chapter_page(chapter), chapter_heading(chapter), latest_date, issuer,
                _keywords(chapter.title, title), urls.chapter_chart(chapter))
    for task in plan.tasks:
        article(urls.task_page(task), task_heading(task), latest_date, issuer,
                _keywords(task.title, *answerable_units(task)[1], title), None)
    for department in plan.departments:
        article(urls.department_page(department), department.name, latest_date, issuer,
                _keywords(department.name, title), urls.department_chart(department))
    for indicator in plan.indicators:
        article(urls.indicator_page(indicator), indicator.name, latest_date, issuer,
                _keywords(indicator.name, title), urls.indicator_chart(indicator))
    # A quarterly report compiles the units' progress: it is the site's own office's (承办单位), when set.
    for state in progress:
        label = period_label(state.period)
        article(urls.period_page(state.period), f"{label}进展报告", state.compiled.isoformat(), gov.get("organizer", ""),
                _keywords(f"{label}进展报告", title), urls.report_chart(state.period))
    return out
