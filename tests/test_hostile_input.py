"""Hostile text in the data is shown as text: it never runs, never changes the page, never vanishes.

tests/fixtures/hostile/ is the mini plan with every text field (titles, verbatim text, unit and
indicator names, units, summaries, evidence titles, notes, justifications, the timetable) full of
<script>, <img onerror>, Markdown and attr_list syntax, template syntax and javascript: links, and
holding ", ', > and & with attribute-breaking payloads ("><img …>, ' onmouseover='…'). It is valid
data, so it builds. A "plain twin" is made from it by replacing every syntax character
with a letter; both are built, and every page of the hostile site must have exactly the elements,
ids, classes and links of its twin, open no dialog in Chromium, and show the hostile strings as
text; every attribute (meta description, <title>, logo tooltip, alt, aria-label) holds the data
escaped exactly once, as does the feed. javascript: evidence links are not valid data: they are
rejected (last test).
"""
from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from conftest import ROOT, serve, without_nw
from plansite.figures.progress import derive_progress
from plansite.opendata.feed import render_feed
from plansite.pages.meta import derive_page_meta
from plansite.urls import SITE_STYLESHEET, page_url
from plansite.wording import chapter_heading, task_heading
from plansite.model.load import load_plan

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
# Every syntax character the fixture uses; the twin replaces each with a letter.
SYNTAX = "<>*[]()#|{}%`\"'!=~^$:&\\/\r\n"
# Fields whose values are codes, dates, numbers or URLs: the twin keeps them as they are.
CODE_KEYS = {"id", "kind", "measure", "comparator", "status", "assessment", "period", "file", "url",
             "indicator", "task", "chapter"}

# Everything that would mean the data became markup, checked in the live DOM.
EVIL_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) out.push(`${el.tagName} ${a.name}`);
      if (/^\\s*(javascript|data|vbscript):/i.test(a.value) && ['href', 'src', 'action', 'formaction'].includes(a.name))
        out.push(`${el.tagName} ${a.name}=${a.value}`);
    }
    if (el.id === 'evil' || el.classList.contains('evil')) out.push(`${el.tagName}#evil/.evil`);
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') out.push('img src=x');
    if (el.tagName === 'SCRIPT' && el.textContent.includes('alert(')) out.push('inline script with alert(');
  }
  return out;
}"""


class Shape(html.parser.HTMLParser):
    """The structure of an HTML file: how many of each element, and every id, class and link."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.ids, self.classes, self.links = Counter(), [], set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        for name, value in attrs:
            if name == "id":
                self.ids.append(value)
            elif name == "class":
                self.classes.update((value or "").split())
            elif name in ("href", "src"):
                self.links.append(value)

    def summary(self) -> dict:
        return dict(tags=dict(self.tags), ids=self.ids, classes=sorted(self.classes), links=self.links)


# A value escaped twice shows its entities in the DOM (the attribute value the browser reads);
# once escaped, the DOM holds the text as typed. The data itself holds "&amp;", "&lt; " and "&#60;"
# as typed, so only entities that typed data cannot produce here count.
DOUBLE_ESCAPED = re.compile(r"&(?:lt;[a-z/]|gt;|quot;|#x27;|#39;|#34;|amp;(?:amp|lt|gt|quot|#)|#x3[ce];)|A&amp;B")
ATTRIBUTES_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('*'))
    for (const a of el.attributes) out.push([el.tagName, a.name, a.value]);
  return out;
}"""
PAYLOADS = ('"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)'")


def _text_fields(value, key=None, where=""):
    """(place, text) for every text field of a data file, codes and URLs left out."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _text_fields(v, k, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _text_fields(v, key, f"{where}[{i}]")
    elif isinstance(value, str) and key not in CODE_KEYS:
        yield where, value


def plain(text: str) -> str:
    return "".join("x" if c in SYNTAX else c for c in text)


def _plain_values(value, key=None):
    if isinstance(value, dict):
        return {k: _plain_values(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_values(v, key) for v in value]
    if isinstance(value, str) and key not in CODE_KEYS:
        return plain(value)
    return value


def make_twin(source: Path, target: Path) -> Path:
    """The hostile plan with every syntax character replaced: same structure, harmless text."""
    target.mkdir(parents=True)
    for path in sorted(source.rglob("*")):
        out = target / path.relative_to(source)
        if path.is_dir():
            out.mkdir(parents=True, exist_ok=True)
        elif path.suffix == ".yaml":
            data = _plain_values(yaml.safe_load(path.read_text(encoding="utf-8")))
            out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            lines = path.read_text(encoding="utf-8").split("\n")
            out.write_text("\n".join(plain(line) for line in lines), encoding="utf-8")
    return target


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    twin = make_twin(HOSTILE, root / "twin-data")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    runs = {name: subprocess.Popen([sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(root / name)],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, data in (("hostile", HOSTILE), ("twin", twin))}  # both at once: two cores
    for name, run in runs.items():
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, f"{name}: {stderr}"
    return {name: root / name for name in runs}


def page_paths(site: Path) -> list[str]:
    paths = sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html"))
    return [("" if p == "./" else p) for p in paths] + ["404.html"]


@pytest.fixture(scope="module")
def hostile_plan():
    return load_plan(HOSTILE)


def expected_texts(plan) -> dict[str, list[str]]:
    """Page → hostile strings that must appear on it as text, taken from the data itself."""
    by_id = {t.id: t for t in plan.tasks}
    period = plan.periods[0]
    reports = {r.task: r for r in period.tasks}
    values = {v.indicator: v for v in period.indicators}
    out: dict[str, list[str]] = {
        "": [plan.meta.title, plan.meta.issuer, plan.meta.source.publisher]
            + [chapter_heading(c) for c in plan.chapters],
        "plan/": [plan.meta.title, plan.meta.preamble, plan.meta.notice.addressees, plan.meta.notice.body,
                  plan.meta.notice.signature, plan.meta.notice.date_text]
                 + [chapter_heading(c) for c in plan.chapters] + [t.number + t.text for t in plan.tasks],
        "method/": [plan.method.timetable],
        "reports/2020-Q1/": [r.summary for r in period.tasks] + [i.name for i in plan.indicators]
                            + [task_heading(t) for t in plan.tasks],
        "tasks/": [task_heading(t) for t in plan.tasks] + [chapter_heading(c) for c in plan.chapters],
        "departments/": [d.name for d in plan.departments],
    }
    for d in plan.departments:
        out[f"departments/{d.id}/"] = [d.name] + ([d.full_name] if d.full_name else [])
    for c in plan.chapters:
        out[f"chapters/{c.id:02d}/"] = [chapter_heading(c)] + [task_heading(t) for t in plan.tasks_in(c)]
    for task_id, task in by_id.items():
        texts = [task_heading(task), task.number + task.text, *task.lead, *task.partners, *task.joint]
        for ind in plan.indicators_of(task):
            texts += [ind.name, ind.source_text, ind.unit]
            if ind.judged_by:
                texts.append(ind.judged_by)
            if values.get(ind.id) and values[ind.id].justification:
                texts.append(values[ind.id].justification)
        if task_id in reports:
            report = reports[task_id]
            texts += [report.summary, report.reporter, *(e.title for e in report.evidence)]
        out[f"tasks/{task_id:02d}/"] = texts
    return out


def expected_descriptions(plan) -> dict[str, str]:
    """Page → its <meta name="description"> as the reader's browser must read it: the data as typed."""
    meta = derive_page_meta(plan, derive_progress(plan))
    return {page_url(src): m["description"] for src, m in meta.items()}


def open_page(browser, url: str):
    """A page that records every dialog (alert, confirm, prompt) instead of letting it block."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    page.goto(url)
    return context, page

def test_the_hostile_fixture_is_valid_data_full_of_syntax(hostile_plan):
    texts = " ".join(s for strings in expected_texts(hostile_plan).values() for s in strings)
    for needle in ("<script>alert(1)</script>", "</title><script>", "<img src=x onerror=alert(1)>", "**",
                   "[x](javascript:alert(1))", "# ", "|", "{#evil}", "{: .evil}", "{{ 7*7 }}", "{% raw %}", "\r"):
        assert needle in texts, needle


def test_every_text_field_of_the_fixture_holds_quotes_angle_brackets_and_ampersands():
    fields = [(f"{path.relative_to(HOSTILE)}{where}", text) for path in sorted(HOSTILE.rglob("*.yaml"))
              for where, text in _text_fields(yaml.safe_load(path.read_text(encoding="utf-8")))]
    assert len(fields) >= 40
    lacking = [place for place, text in fields if not all(c in text for c in "\"'>&")]
    assert lacking == []
    texts = " ".join(text for _, text in fields)
    assert all(payload in texts for payload in PAYLOADS)


def test_every_page_has_the_structure_of_its_plain_twin(hostile_sites):
    """Same elements, ids, classes and links as the twin: hostile text changed nothing but text."""
    hostile, twin = hostile_sites["hostile"], hostile_sites["twin"]
    pages = sorted(p.relative_to(hostile) for p in hostile.rglob("*.html"))
    assert sorted(p.relative_to(twin) for p in twin.rglob("*.html")) == pages
    assert len(pages) >= 20
    # The one stylesheet (plansite/builder/stylesheet.py) ends with the printed pages' running head,
    # made from the data (urls.PRINT_CSS): that part differs with the text; all before it, Material's
    # rules the pages can use among them, is the same.
    ours, theirs = (site / SITE_STYLESHEET for site in (hostile, twin))
    assert (ours.read_text(encoding="utf-8").rsplit("\n@media print{", 1)[0]
            == theirs.read_text(encoding="utf-8").rsplit("\n@media print{", 1)[0])
    for rel in pages:
        # (Which digits keep their unit on one line depends on the characters around them.)
        got = Shape(without_nw((hostile / rel).read_text(encoding="utf-8").replace(ours.name, theirs.name))).summary()
        want = Shape(without_nw((twin / rel).read_text(encoding="utf-8"))).summary()
        for key in ("tags", "ids", "classes", "links"):
            assert got[key] == want[key], f"{rel}: {key} differ from the plain twin"


def test_hostile_text_never_runs_and_is_shown_literally(browser, hostile_sites, hostile_plan):
    """Every page in Chromium: no dialog, nothing injected, and the data visible exactly as typed."""
    expected = expected_texts(hostile_plan)
    paths = page_paths(hostile_sites["hostile"])
    assert set(expected) <= set(paths)
    task = hostile_plan.tasks[0]
    descriptions = expected_descriptions(hostile_plan)
    meta = hostile_plan.meta
    site_description = f"{meta.issuer}印发的《{meta.title}》全文、任务、责任单位和量化目标"
    with serve(hostile_sites["hostile"]) as url:
        context, page = open_page(browser, url)
        for path in paths:
            page.goto(url + path)
            page.wait_for_timeout(30)  # let an injected onerror fire, if there were one
            assert page.evaluate(EVIL_JS) == [], f"{path}: data became markup"
            twice = [(tag, name, value) for tag, name, value in page.evaluate(ATTRIBUTES_JS) if DOUBLE_ESCAPED.search(value)]
            assert twice == [], f"{path}: escaped twice: {twice}"
            description = page.locator('meta[name="description"]').get_attribute("content")
            assert description == descriptions.get(path, site_description), path
            # 网页元数据: the plan's title as typed, escaped once (the check above finds any escaped twice).
            assert page.locator('meta[name="SiteName"]').get_attribute("content") == hostile_plan.meta.title, path
            article = norm(page.locator("article").inner_text())
            missing = [t for t in expected.get(path, []) if norm(t) not in article]
            assert missing == [], f"{path}: not shown as text: {missing}"
            if path == "404.html":
                continue
            # The footer names the issuer; the header and every <title> name the plan.
            assert norm(hostile_plan.meta.issuer) in norm(page.locator(".md-copyright").inner_text()), path
            assert hostile_plan.meta.title in page.locator(".md-header__topic").first.inner_text(), path
            assert page.title().endswith(hostile_plan.meta.title), path
            for logo in page.locator("a.md-logo").all():  # its tooltip and its accessible name
                assert logo.get_attribute("title") == logo.get_attribute("aria-label") == hostile_plan.meta.title, path
            # Previous/next links: their accessible names are the titles as text, not HTML source.
            for link in page.locator("a.md-footer__link").all():
                label = link.get_attribute("aria-label")
                assert "&lt;" not in label and "&amp;" not in label and "\\" not in label, f"{path}: {label}"
        page.goto(url + "tasks/01/")
        assert page.title() == f"{task_heading(task)} - {hostile_plan.meta.title}"
        assert page.locator('meta[name="ArticleTitle"]').get_attribute("content") == task_heading(task)
        assert page.locator('meta[name="Keywords"]').get_attribute("content").startswith(task.title + ",")
        # Each task page names its chapter and the next task in its links, as text.
        for each, after in zip(hostile_plan.tasks, hostile_plan.tasks[1:]):
            page.goto(url + f"tasks/{each.id:02d}/")
            links = norm(" ".join(page.locator("article a").all_text_contents()))
            expected = [chapter_heading(hostile_plan.chapter(each.chapter)), task_heading(after)]
            assert [h for h in expected if norm(h) not in links] == [], "not in the links as text"
        assert page.dialogs == [], f"a dialog opened: {page.dialogs}"
        context.close()


def test_search_shows_hostile_text_as_text(browser, hostile_sites):
    with serve(hostile_sites["hostile"]) as url:
        context, page = open_page(browser, url)
        box = page.get_by_placeholder("搜索")
        box.click()
        box.press_sequentially("管道")
        box.press("End")  # a key event, as typing with an input method gives: Material searches on keyup
        results = page.locator(".md-search-result__item")
        results.first.wait_for(state="visible", timeout=15000)
        assert results.count() >= 3
        text = page.locator(".md-search-result").inner_text().replace("\u200b", "")
        assert "<img src=x onerror=alert(1)>" in text and "{: .evil}" in text, text[:500]
        assert page.evaluate(EVIL_JS) == []
        assert [a for a in page.evaluate(ATTRIBUTES_JS) if DOUBLE_ESCAPED.search(a[2])] == []
        # The same strings typed into the search box's URL parameters and the highlight parameter.
        for query in ("<img src=x onerror=alert(1)>", '"><script>alert(1)</script>'):
            page.goto(url + "?q=" + urllib.parse.quote(query))
            page.locator(".md-search-result__meta").wait_for(state="visible", timeout=15000)
            page.goto(url + "tasks/01/?h=" + urllib.parse.quote(query))
            page.wait_for_timeout(300)
            assert page.evaluate(EVIL_JS) == [], query
        assert page.dialogs == []
        context.close()


def test_feed_json_and_charts_keep_hostile_text_as_text(hostile_sites, hostile_plan):
    """The files that are not pages: the Atom feed and JSON parse, and carry the text as typed; the
    chart SVGs (which run scripts when opened on their own) hold no script, handler or link."""
    site = hostile_sites["hostile"]
    feed = ElementTree.parse(site / "feed.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert titles and titles[0] == f"{hostile_plan.meta.title} · 季度进展"
    assert feed.findtext("{http://www.w3.org/2005/Atom}author/{http://www.w3.org/2005/Atom}name") \
        == f"{hostile_plan.meta.issuer}（计划原文）"
    plan_json = json.loads((site / "downloads" / "plan.json").read_text(encoding="utf-8"))
    assert plan_json["plan"]["title"] == hostile_plan.meta.title
    charts = sorted((site / "charts").glob("*.svg"))
    assert charts
    for chart in charts:
        for el in ElementTree.parse(chart).getroot().iter():
            tag = el.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "foreignObject", "a", "iframe"), f"{chart.name}: <{tag}>"
            bad = [k for k, v in el.attrib.items() if k.rsplit("}", 1)[-1].startswith("on") or "javascript:" in v]
            assert bad == [], f"{chart.name}: {bad}"


def test_feed_links_hold_a_hostile_base_url_exactly(hostile_plan):
    """The feed's href attributes are quoted as attributes: a " in the address cannot end them."""
    base = "https://example.org/a\"b'c<d>&e=1\" onload=\"alert(1)/"
    plan = hostile_plan
    feed = ElementTree.fromstring(render_feed(plan, derive_progress(plan), base))
    atom = "{http://www.w3.org/2005/Atom}"
    links = [link.attrib for link in feed.iter(f"{atom}link")]
    assert [link["href"] for link in links] == [base + "feed.xml", base + "reports/", base + "reports/2020-Q1/"]
    assert all(set(link) == {"rel", "type", "href"} for link in links)
    assert feed.findtext(f"{atom}id") == base + "feed.xml"


FORMULA_START = ("=", "+", "-", "@")


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_csv_cells_never_start_a_formula(hostile_sites, hostile_plan):
    """A cell starting with = + - @ is run by spreadsheets; the downloads prefix such text with '."""
    downloads = hostile_sites["hostile"] / "downloads"
    cells = [cell for path in sorted(downloads.glob("*.csv")) for row in _csv_rows(path)[1:] for cell in row]
    assert cells
    formulas = [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert formulas == []
    # The text is kept, not dropped: the quote is the only change.
    period = hostile_plan.periods[0]
    summary = next(r.summary for r in period.tasks if r.summary.startswith("="))
    sources = [v.source for v in period.indicators if v.source]
    assert "'" + summary in cells
    for source in sources:
        assert "'" + source in cells if source.startswith(FORMULA_START) else source in cells
    # Hostile markup in the CSV stays exactly as typed (a CSV is data, not HTML).
    assert hostile_plan.tasks[0].title in cells


BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    'https://example.org/" onmouseover="alert(1)',
    "https://example.org/<script>",
    "vbscript:msgbox(1)",
    "//example.org/no-scheme",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_evidence_urls_other_than_http_are_rejected(url, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(HOSTILE, data)
    period = data / "progress" / "2020-Q1.yaml"
    text = period.read_text(encoding="utf-8")
    good = "https://example.org/mini/2020-q1/platform?a=1&b=(2)"
    assert good in text
    period.write_text(text.replace(f'"{good}"', json.dumps(url)), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "plansite", "check", "--data", str(data)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert "数据有 1 处问题" in result.stderr, result.stderr
    assert "字段 tasks[1].evidence[1].url（证明材料网址）" in result.stderr
    assert re.search(r"http:// 或 https://", result.stderr), result.stderr


@pytest.mark.parametrize("site_url", ['https://example.org/a"><img src=x onerror=alert(1)>/',
                                      "https://example.org/a' onmouseover='alert(1)/", "https://example.org/a b/"])
def test_a_site_url_that_would_break_out_of_an_attribute_is_refused(site_url, tmp_path):
    """SITE_URL goes into canonical links as it is (Material writes it unescaped): refused, in Chinese."""
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url}
    result = subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(ROOT / "tests" / "fixtures" / "mini"),
                             "--site", str(site)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert f"SITE_URL“{site_url}”含有网址中不能出现的字符" in result.stderr, result.stderr
    assert not site.exists()
