"""Every address the built site links to is one plansite/urls.py makes for the plan (or a file plansite
does not generate: docs/, Material's assets, MkDocs' own files); every address urls.py makes is in the
site and linked from another page; and the addresses keep the form they were promised in.

Whether a link resolves (its file, its #anchor) is tests/test_site_integrity.py's; here, whether the
address it names is one urls.py makes, so an address written anywhere else (a template, the theme's
overrides, a Python module) shows up the day it stops agreeing with urls.py."""
from __future__ import annotations

import inspect
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import material
import pytest

from conftest import ROOT
from plansite import urls
from plansite.charts.specs import derive_chart_specs
from plansite.figures.progress import PeriodState, derive_progress
from plansite.model.load import load_plan
from plansite.model.plan import Plan
from plansite.opendata.tables import Table, build_tables
from plansite.publish.links import Links, site_address
from plansite.search.material import read_index

DOCS = ROOT / "docs"
THEME_ASSETS = Path(material.__file__).parent / "templates" / "assets"

# ---- every kind of address urls.py makes (test_every_kind_of_address_in_urls_py_is_checked_here) -----
SECTION_PAGES = ("HOME", "PLAN", "TASKS", "CHAPTERS", "DEPARTMENTS", "INDICATORS", "REPORTS", "DOWNLOADS",
                 "ABOUT", "METHOD", "SCHEMA", "SITEMAP")
FILES = ("FEED", "PLAN_JSON", "DATAPACKAGE", "PRINT_CSS")
THING_PAGES = ("chapter_page", "task_page", "department_page", "indicator_page", "period_page")
THING_FILES = ("period_document", "chart_svg", "chart_png", "chart_csv", "download_csv")
ANCHORS = ("task_anchor", "chapter_anchor", "plan_chapter", "plan_task", "report_task")
CHART_IDS = ("HOME_STATUS_CHART", "HOME_HISTORY_CHART", "chapter_chart", "department_chart", "indicator_chart", "report_chart")
DOCS_FILES = ("SORT_SCRIPT",)  # files of docs/ that only some pages load
MADE_AFTER = ("SITE_STYLESHEET",)  # the one stylesheet, made after the pages from those they linked
FROM_SOURCE = ("page_url", "absolute", "relative_path")  # addresses from sources, not addresses of their own
NOT_OURS = ("PLACEHOLDER_SITE_URL",)  # the address a build without SITE_URL uses: never one of the site's

# Files plansite does not write, by where they come from: MkDocs writes these itself. (docs/ and
# Material's assets/ are read from their folders: not_generated below.)
MKDOCS_OWN = {
    "404.html": "MkDocs, from the theme's 404.html (overrides/404.html)",
    "sitemap.xml": "MkDocs", "sitemap.xml.gz": "MkDocs",
    "search/search_index.json": "the search plugin",
}
# The ids urls.py makes (a task's row, a chapter's heading), and what a hand-made one would look like.
# Any other #fragment is a heading's id, whose presence tests/test_site_integrity.py checks.
ANCHOR_LIKE = re.compile(r"(task|chapter)-?\d+")


@dataclass
class Real:
    plan: Plan
    progress: list[PeriodState]
    specs: dict[str, dict]
    tables: tuple[Table, ...]
    base: str  # the address the site was built for (its canonical links)
    stylesheet: str  # urls.SITE_STYLESHEET, the one stylesheet of the build


@pytest.fixture(scope="module")
def real(built_site) -> Real:
    plan = load_plan(ROOT / "data")
    progress = derive_progress(plan)
    base = site_address(built_site)
    assert (built_site / urls.SITE_STYLESHEET).is_file()
    stylesheet = urls.SITE_STYLESHEET
    return Real(plan, progress, derive_chart_specs(plan, progress), build_tables(base, progress), base, stylesheet)


# ---- what urls.py makes, as a link resolves it -------------------------------------------------


def is_page(address: str) -> bool:
    """Pages are folders ("tasks/05/"; the home page is ""); anything else is a file."""
    return address == "" or address.endswith("/")


def site_file(site: Path, address: str) -> Path:
    return site / address / "index.html" if is_page(address) else site / address


def page_sources(real: Real) -> dict[str, str]:
    """Markdown source → the urls.py call naming it, for every page generated from the plan. (urls.ABOUT
    is written by hand, in docs/: its address is MkDocs', below.)"""
    plan = real.plan
    out = {getattr(urls, name): f"urls.{name}" for name in SECTION_PAGES if name != "ABOUT"}
    out.update({urls.chapter_page(c): f"chapter_page({c.id})" for c in plan.chapters})
    out.update({urls.task_page(t): f"task_page({t.id})" for t in plan.tasks})
    out.update({urls.department_page(d): f"department_page({d.id})" for d in plan.departments})
    out.update({urls.indicator_page(i): f"indicator_page({i.id})" for i in plan.indicators})
    out.update({urls.period_page(s.period): f"period_page({s.period})" for s in real.progress})
    return out


def produced(real: Real) -> dict[str, str]:
    """Site address → the urls.py call that makes it, for every page and file urls.py names for the plan."""
    out = {urls.page_url(src): call for src, call in page_sources(real).items()}
    out.update({getattr(urls, name): f"urls.{name}" for name in FILES})
    out.update({urls.period_document(s.period): f"period_document({s.period})" for s in real.progress})
    for chart_id in chart_ids(real):
        spec = real.specs.get(chart_id)
        if spec is None:  # home-history needs two periods
            continue
        # A chart has an image (SVG and PNG) if it has a plot, and a CSV if its table has rows.
        if spec["plot"] is not None:
            out[urls.chart_svg(chart_id)] = f"chart_svg({chart_id})"
            out[urls.chart_png(chart_id)] = f"chart_png({chart_id})"
        if spec["table"]["rows"]:
            out[urls.chart_csv(chart_id)] = f"chart_csv({chart_id})"
    out.update({urls.download_csv(t.name): f"download_csv({t.name})" for t in real.tables})
    out[real.stylesheet] = "SITE_STYLESHEET"
    return out


def chart_ids(real: Real) -> dict[str, str]:
    """Chart id → the urls.py name that makes it, for every chart the plan can have."""
    plan = real.plan
    out = {urls.HOME_STATUS_CHART: "urls.HOME_STATUS_CHART", urls.HOME_HISTORY_CHART: "urls.HOME_HISTORY_CHART"}
    out.update({urls.chapter_chart(c): f"chapter_chart({c.id})" for c in plan.chapters})
    out.update({urls.department_chart(d): f"department_chart({d.id})" for d in plan.departments})
    out.update({urls.indicator_chart(i): f"indicator_chart({i.id})" for i in plan.indicators})
    out.update({urls.report_chart(s.period): f"report_chart({s.period})" for s in real.progress})
    return out


def anchor_pages(real: Real) -> dict[str, set[str]]:
    """Page address → the ids urls.py makes that it holds: each task's row (urls.task_anchor) in each
    quarterly report (urls.report_task), the task list and the full text (urls.plan_task), a
    chapter's tasks on its page; each chapter's heading (urls.chapter_anchor) in the reports, the task
    list, the full text (urls.plan_chapter) and, for the chapters with targets, the target list."""
    plan = real.plan
    tasks = {urls.task_anchor(t) for t in plan.tasks}
    chapters = {urls.chapter_anchor(c) for c in plan.chapters}
    out = {urls.page_url(urls.period_page(s.period)): tasks | chapters for s in real.progress}
    out[urls.page_url(urls.TASKS)] = out[urls.page_url(urls.PLAN)] = tasks | chapters
    out[urls.page_url(urls.INDICATORS)] = {urls.chapter_anchor(c) for c in plan.chapters if plan.indicators_in(c)}
    for chapter in plan.chapters:
        out[urls.page_url(urls.chapter_page(chapter))] = {urls.task_anchor(t) for t in plan.tasks_in(chapter)}
    return out


def anchored(real: Real) -> dict[str, str]:
    """Address with its #anchor → the urls.py call, for every anchored address urls.py names."""
    plan = real.plan
    out = {urls.page_url(urls.plan_chapter(c)): f"plan_chapter({c.id})" for c in plan.chapters}
    out.update({urls.page_url(urls.plan_task(t)): f"plan_task({t.id})" for t in plan.tasks})
    out.update({urls.page_url(urls.report_task(s.period, t)): f"report_task({s.period}, {t.id})"
                for s in real.progress for t in plan.tasks})
    return out


def mkdocs_address(src: str) -> str:
    """Where MkDocs (directory URLs) publishes a Markdown file of docs/: about.md → about/."""
    if src == "index.md" or src.endswith("/index.md"):
        return src.removesuffix("index.md")
    return src.removesuffix(".md") + "/"


def not_generated() -> dict[str, str]:
    """Site address → where it comes from, for the files plansite does not generate: docs/ (pages at
    MkDocs' address, other files as they are), Material's static files (assets/…), MkDocs' own."""
    out = {}
    for path in sorted(DOCS.rglob("*")):
        if path.is_file():
            src = path.relative_to(DOCS).as_posix()
            out[mkdocs_address(src) if src.endswith(".md") else src] = f"docs/{src}"
    for path in sorted(THEME_ASSETS.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            out["assets/" + path.relative_to(THEME_ASSETS).as_posix()] = "Material's assets/"
    return {**out, **MKDOCS_OWN}


# ---- every link the site publishes --------------------------------------------------------------


def page_address(rel: str) -> str:
    """The address of a built HTML file: tasks/05/index.html → tasks/05/, index.html → ""."""
    return rel.removesuffix("index.html") if rel == "index.html" or rel.endswith("/index.html") else rel


def resolve(url: str, here: str, folder: str, base: str) -> tuple[str, str] | None:
    """(site address, #fragment) of an internal link written in a file at `here` (resolved against
    `folder`, as plansite/publish/links.py does); None for external links and mailto:, tel:, data:."""
    parts = urlsplit(url)
    base_path = urlsplit(base).path
    if url.startswith(base):  # canonical links, feed, CSVs: absolute addresses of this site
        path, absolute = parts.path[len(base_path):], True
    elif parts.scheme or parts.netloc:
        return None  # another site (listed by test_site_integrity), or mailto:, tel:, javascript: …
    elif parts.path.startswith("/"):  # the 404 page: paths from the host's root
        if not parts.path.startswith(base_path):
            return parts.path, parts.fragment  # outside the site: no address urls.py makes
        path, absolute = parts.path[len(base_path):], True
    elif not parts.path:  # "#anchor" on the same page
        return here, parts.fragment
    else:
        path, absolute = unquote(parts.path), False
    folder_like = path == "" or path.endswith("/") or posixpath.basename(path) in (".", "..")
    path = posixpath.normpath(path if absolute else posixpath.join(folder, path)) if path else ""
    path = "" if path == "." else path
    return (path + "/" if folder_like and path else path), parts.fragment


BASE_URL_END = r"[^\s\"'<>,]*"  # where an absolute address ends in XML, JSON, CSV and Word's XML


def html_links(site: Path, base: str):
    """(page address, url as written, target address, fragment) for every href/src/… of every HTML page."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        here = page_address(rel)
        for _, url in Links(path.read_text(encoding="utf-8")).targets:
            target = resolve(url, here, posixpath.dirname(rel), base)
            if target:
                yield here, url, *target


def other_links(site: Path, base: str):
    """The same for the other files the site publishes: the search index's locations (relative to the
    site's root), and the site's own absolute address wherever a text file (sitemap.xml, feed.xml,
    CSVs, JSON) or a Word report writes it."""
    index = site / "search" / "search_index.json"
    for doc in read_index(site)["docs"]:  # packed for the worker: the locations as it reads them
        yield "search/search_index.json", doc["location"], *resolve(doc["location"], "", "", base)
    found = re.compile(re.escape(base) + BASE_URL_END)
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.suffix in (".xml", ".csv", ".json", ".txt") and path != index:
            texts = [path.read_text(encoding="utf-8-sig")]
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as docx:
                texts = [docx.read(n).decode("utf-8") for n in docx.namelist() if n.endswith((".xml", ".rels"))]
        else:
            continue
        for text in texts:
            for url in found.findall(text):
                yield rel, url, *resolve(url, rel, "", base)


@pytest.fixture(scope="module")
def crawled(built_site, real) -> dict[str, list[tuple[str, str, str, str]]]:
    """The site's links, read once for the tests below: those of the HTML pages, and all."""
    html = list(html_links(built_site, real.base))
    return {"html": html, "all": html + list(other_links(built_site, real.base))}


def listing(places: dict[str, list[str]]) -> str:
    return "\n".join(f"  {address or '(home)'!s}  ← {', '.join(sorted(set(where))[:3])}"
                     + (" …" if len(set(where)) > 3 else "") for address, where in sorted(places.items()))


# ---- the tests -----------------------------------------------------------------------------------


def test_every_kind_of_address_in_urls_py_is_checked_here():
    """A name added to urls.py is added here too, to the lists the tests below go through."""
    public = {name for name, value in vars(urls).items() if not name.startswith("_")
              and (isinstance(value, str) or inspect.isfunction(value) and value.__module__ == urls.__name__)}
    listed = {*SECTION_PAGES, *FILES, *THING_PAGES, *THING_FILES, *ANCHORS, *CHART_IDS, *FROM_SOURCE, *NOT_OURS,
              *DOCS_FILES, *MADE_AFTER}
    assert public == listed, f"in urls.py, not here: {sorted(public - listed)}; here, not in urls.py: {sorted(listed - public)}"
    assert all((DOCS / getattr(urls, name)).is_file() for name in DOCS_FILES)


def test_addresses_keep_the_form_they_were_promised_in(real):
    """Addresses are promised stable (urls.py): written out here once more, so that changing one is a decision."""
    plan, periods = real.plan, [s.period for s in real.progress]
    assert periods and plan.tasks, "the real plan has tasks and quarterly reports"
    pairs = [(urls.page_url(getattr(urls, name)), address) for name, address in (
        ("HOME", ""), ("PLAN", "plan/"), ("TASKS", "tasks/"), ("CHAPTERS", "chapters/"), ("DEPARTMENTS", "departments/"),
        ("INDICATORS", "indicators/"), ("REPORTS", "reports/"), ("DOWNLOADS", "downloads/"), ("METHOD", "method/"),
        ("SCHEMA", "schema/"), ("SITEMAP", "sitemap/"), ("FEED", "feed.xml"), ("PLAN_JSON", "downloads/plan.json"),
        ("DATAPACKAGE", "downloads/datapackage.json"))]
    pairs.append((urls.ABOUT, "about.md"))  # in docs/, published by MkDocs as about/
    pairs.append((urls.SORT_SCRIPT, "javascripts/sort.js"))
    pairs.append((urls.SITE_STYLESHEET, "assets/stylesheets/site.min.css"))
    pairs += [(urls.page_url(urls.chapter_page(c)), f"chapters/{c.id:02d}/") for c in plan.chapters]
    pairs += [(urls.page_url(urls.task_page(t)), f"tasks/{t.id:02d}/") for t in plan.tasks]
    pairs += [(urls.page_url(urls.department_page(d)), f"departments/{d.id}/") for d in plan.departments]
    pairs += [(urls.page_url(urls.indicator_page(i)), f"indicators/{i.id}/") for i in plan.indicators]
    pairs += [(urls.task_anchor(t), f"task-{t.id:02d}") for t in plan.tasks]
    pairs += [(urls.page_url(urls.plan_task(t)), f"plan/#task-{t.id:02d}") for t in plan.tasks]
    pairs += [(urls.chapter_anchor(c), f"chapter-{c.id:02d}") for c in plan.chapters]
    pairs += [(urls.page_url(urls.plan_chapter(c)), f"plan/#chapter-{c.id:02d}") for c in plan.chapters]
    # Chart ids name the charts' files (charts/<id>.svg …).
    pairs += [(urls.HOME_STATUS_CHART, "home-status"), (urls.HOME_HISTORY_CHART, "home-history")]
    pairs += [(urls.chapter_chart(c), f"chapter-{c.id:02d}") for c in plan.chapters]
    pairs += [(urls.department_chart(d), f"department-{d.id}") for d in plan.departments]
    pairs += [(urls.indicator_chart(i), f"indicator-{i.id}") for i in plan.indicators]
    for period in periods:
        pairs += [(urls.page_url(urls.period_page(period)), f"reports/{period}/"), (urls.report_chart(period), f"report-{period}"),
                  (urls.period_document(period), f"reports/{period}/{period}.docx")]
        pairs += [(urls.page_url(urls.report_task(period, t)), f"reports/{period}/#task-{t.id:02d}") for t in plan.tasks]
    for chart_id in real.specs:
        pairs += [(urls.chart_svg(chart_id), f"charts/{chart_id}.svg"), (urls.chart_png(chart_id), f"charts/{chart_id}.png"),
                  (urls.chart_csv(chart_id), f"charts/{chart_id}.csv")]
    pairs += [(urls.download_csv(t.name), f"downloads/{t.name}.csv") for t in real.tables]
    changed = [f"{made!r} (promised: {promised!r})" for made, promised in pairs if made != promised]
    assert changed == [], f"{len(changed)} addresses changed:\n" + "\n".join(changed[:20])


def test_every_address_urls_py_makes_for_the_plan_is_in_the_built_site(built_site, real):
    """Each page (as <address>/index.html), chart, CSV, JSON, feed and Word report, and each id urls.py makes where it is promised."""
    made = produced(real)
    assert len(made) > 300, f"only {len(made)} addresses: is the plan loaded?"
    missing = [f"{call} → {address or '(home)'}: no {site_file(built_site, address).relative_to(built_site)}"
               for address, call in made.items() if not site_file(built_site, address).is_file()]
    # The other modules ask urls.py for these, not the other way round.
    ids = chart_ids(real)
    missing += [f"chart {chart_id}: an id urls.py does not make" for chart_id in real.specs if chart_id not in ids]
    missing += [f"{call} → {chart_id}: no such chart" for chart_id, call in ids.items() if chart_id not in real.specs]
    for chart_id, spec in real.specs.items():
        written = {"file": spec["file"], "png": spec["png"], "csv": spec["csv"]}
        expected = {"file": urls.chart_svg(chart_id) if spec["plot"] is not None else None,
                    "png": urls.chart_png(chart_id) if spec["plot"] is not None else None,
                    "csv": urls.chart_csv(chart_id) if spec["table"]["rows"] else None}
        missing += [f"chart {chart_id}: spec[{key!r}] is {written[key]!r}, urls.py says {expected[key]!r}"
                    for key in written if written[key] != expected[key]]
    missing += [f"table {t.name}: path {t.path!r}, urls.download_csv says {urls.download_csv(t.name)!r}"
                for t in real.tables if t.path != urls.download_csv(t.name)]
    for address, anchors in anchor_pages(real).items():
        ids = Links(site_file(built_site, address).read_text(encoding="utf-8")).anchors
        missing += [f"{address}#{anchor}: no such id on the page" for anchor in sorted(anchors - ids)]
    assert missing == [], f"{len(missing)} addresses urls.py makes are not in the site:\n" + "\n".join(missing[:30])


def test_every_page_carries_the_absolute_address_urls_py_makes(built_site, real):
    """A page's canonical link is urls.absolute(the site's address, its source)."""
    canonical = re.compile(r'<link rel="canonical" href="([^"]+)"')
    wrong = []
    for src in page_sources(real):
        found = canonical.search(site_file(built_site, urls.page_url(src)).read_text(encoding="utf-8"))
        if not found or found.group(1) != urls.absolute(real.base, src):
            wrong.append(f"{src}: {found and found.group(1)!r}, urls.absolute gives {urls.absolute(real.base, src)!r}")
    assert wrong == [], "\n".join(wrong[:20])


def test_page_url_of_a_hand_written_page_is_where_mkdocs_publishes_it(built_site):
    """urls.page_url(urls.ABOUT) is the address of the page MkDocs makes of docs/about.md."""
    assert site_file(built_site, urls.page_url(urls.ABOUT)).is_file(), urls.page_url(urls.ABOUT)


def test_relative_path_is_posixpath_relpath(real):
    """urls.relative_path, which every generated link goes through, agrees with posixpath.relpath."""
    sources = sorted(page_sources(real))
    targets = sources + sorted(address for address in produced(real) if not is_page(address))
    folders = {posixpath.dirname(src) for src in sources}
    wrong = [(target, folder) for target in targets for folder in folders
             if urls.relative_path(target, folder) != posixpath.relpath(target, folder or ".")]
    assert wrong == [], f"relative_path differs from posixpath.relpath for (path, start): {wrong[:10]}"


def test_every_link_of_the_site_is_an_address_urls_py_makes(built_site, real, crawled):
    """Every internal link (HTML, search index, sitemap, feed, CSV, JSON, Word) names an address urls.py
    makes for this plan, a file of docs/, one of Material's assets/ or one of MkDocs' own files."""
    made, other = produced(real), not_generated()
    known = {**other, **made}
    assert {"about/", "stylesheets/extra.css", "javascripts/care.js"} <= set(other), "docs/ was not read"
    assert any(a.startswith("assets/javascripts/bundle.") for a in other), f"no Material bundle in {THEME_ASSETS}"
    unknown: dict[str, list[str]] = {}
    count = 0
    for here, url, address, _ in crawled["all"]:
        count += 1
        if address not in known:
            unknown.setdefault(address, []).append(f"{here or 'index.html'} ({url})")
    assert count > 5_000, f"only {count} links: did the crawl read the pages?"
    assert unknown == {}, (f"{len(unknown)} addresses are linked that plansite/urls.py does not make for this plan "
                           f"(nor docs/, Material's assets/, MkDocs' own files):\n" + listing(unknown))
    # The pages themselves: each built HTML file is a page urls.py makes, a page of docs/ or MkDocs' 404.html.
    strays = sorted(page_address(p.relative_to(built_site).as_posix()) for p in built_site.rglob("*.html"))
    strays = [address for address in strays if address not in known]
    assert strays == [], f"HTML files urls.py does not name: {strays[:20]}"


def test_every_link_to_a_task_row_or_chapter_uses_the_anchor_urls_py_makes(real, crawled):
    """A #task-… or #chapter-… fragment is urls.task_anchor or urls.chapter_anchor of a task or chapter
    the target page holds (anchor_pages). Whether any other #id exists is test_site_integrity's."""
    holders = anchor_pages(real)
    anchors = set().union(*holders.values())
    wrong: dict[str, list[str]] = {}
    for here, url, address, fragment in crawled["all"]:
        if fragment and (ANCHOR_LIKE.fullmatch(fragment) or fragment in anchors):
            if fragment not in holders.get(address, ()):
                wrong.setdefault(f"{address}#{fragment}", []).append(f"{here or 'index.html'} ({url})")
    assert wrong == {}, "links to task rows or chapters with an id urls.py does not make there:\n" + listing(wrong)


def test_every_address_urls_py_makes_is_linked_from_another_page(real, crawled, built_site):
    """Nothing urls.py names for the plan is an orphan: each page and file is linked from an HTML page
    other than itself (its own canonical link does not count), and so is each anchored address urls.py
    names: a task's row in each report (cited from the task's page), a task and a chapter in the full text.
    The stylesheets the pages linked are in the one stylesheet made from them (the print page's
    running head, urls.PRINT_CSS, among them): its first comment names them."""
    css = built_site / urls.SITE_STYLESHEET
    listed = re.search(r"made by the build .*? from: (.*?) \*/", css.read_text(encoding="utf-8")).group(1)
    linked, rows = {part.partition(" (")[0] for part in listed.split(", ")}, set()
    for here, _, address, fragment in crawled["html"]:
        if address != here:
            linked.add(address)
            rows.add(f"{address}#{fragment}")
    made = produced(real)
    unlinked = {address: [call] for address, call in made.items() if address not in linked}
    unlinked.update({address: [call] for address, call in anchored(real).items() if address not in rows})
    assert unlinked == {}, f"{len(unlinked)} addresses no other page links to:\n" + listing(unlinked)
