"""The built site as files: every internal link and anchor resolves, two builds of the same data are
byte-identical, and a build that fails late leaves the published site exactly as it was."""
from __future__ import annotations

import calendar
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


from conftest import ROOT
from plansite.publish.links import crawl
from plansite.model.load import load_plan

MINI = ROOT / "tests" / "fixtures" / "mini"


def test_no_broken_internal_links_or_anchors(built_site, tmp_path_factory):
    broken, external = crawl(built_site)
    assert broken == [], f"{len(broken)} broken links:\n" + "\n".join(broken[:50])
    # External links are listed, never fetched: evidence from the progress reports, and a few
    # references the site makes on purpose (the licence). Anything else would be a surprise.
    plan = load_plan(ROOT / "data")
    evidence = {e.url for p in plan.periods for r in p.tasks for e in r.evidence}
    report = tmp_path_factory.mktemp("links") / "external-links.txt"
    report.write_text("\n".join(sorted(set(external))) + "\n", encoding="utf-8")
    print(f"\n{len(set(external))} external links (not fetched), listed in {report}")
    unexpected = sorted({u for u in external if u not in evidence and "creativecommons.org/licenses/" not in u})
    assert unexpected == [], f"external links that are neither evidence nor the licence: {unexpected}"
    assert evidence <= set(external), "an evidence link is missing from the pages"


def test_the_crawler_finds_broken_links_and_anchors(tmp_path):
    """The crawler itself can fail: a site with one good page and each kind of broken link."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text('{"docs": [{"location": "a/#nope"}]}', encoding="utf-8")
    (site / "sitemap.xml").write_text("<loc>https://example.org/p/missing/</loc>", encoding="utf-8")
    (site / "index.html").write_text(
        '<link rel="canonical" href="https://example.org/p/"><a href="a/">ok</a><a href="a/#here">ok</a>'
        '<a href="#top" id="top">ok</a><a href="b/">b</a><a href="a/#gone">gone</a><img src="../../up.png">'
        '<a href="/elsewhere/x.html">root</a><a href="javascript:alert(1)">js</a><a href="https://other.org/">ext</a>',
        encoding="utf-8")
    (site / "a" / "index.html").write_text('<h2 id="here">here</h2>', encoding="utf-8")
    broken, external = crawl(site)
    assert external == ["https://other.org/"]
    assert [b.split(": ", 1)[1].split(" ")[0] for b in broken] == [
        "b/", "a/#gone", "../../up.png", "/elsewhere/x.html", "javascript:alert(1)", "a/#nope",
        "https://example.org/p/missing/"]


# ---- reproducible ---------------------------------------------------------------------------


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_data_are_byte_identical(built_site, tmp_path):
    """The session's build and a second one in another folder, another process with another hash
    seed: set order, absolute paths and the clock all get a chance to show. (Charts drawn from an
    empty cache twice are compared in test_charts.py; here the second build may reuse the cache.)"""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    env.pop("SOURCE_DATE_EPOCH", None)
    site = tmp_path / "again" / "site"
    result = subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(ROOT / "data"), "--site", str(site)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    first, second = tree(built_site), tree(site)
    assert sorted(first) == sorted(second)
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "downloads/tasks.csv"} <= set(first)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"{len(differ)} files differ between two builds: {differ[:20]}"

    # Dates come from the data, not the clock: the sitemap is dated by the latest compiled report.
    data_date = load_plan(ROOT / "data").data_date
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", first["sitemap.xml"].decode()))
    assert lastmods == {data_date.isoformat()}
    assert gzip.decompress(first["sitemap.xml.gz"]) == first["sitemap.xml"]
    gz_mtime = int.from_bytes(first["sitemap.xml.gz"][4:8], "little")
    assert gz_mtime in (0, calendar.timegm(data_date.timetuple()))
    today = dt.date.today()
    if today != data_date:
        stamps = (today.isoformat(), f"{today.year}年{today.month}月{today.day}日")
        dated = [name for name, data in first.items() if any(s.encode() in data for s in stamps)]
        assert dated == [], f"files carry today's date: {dated[:10]}"


TWO_BUILDS = """
import json, os, sys
from plansite.__main__ import main
for data, site in zip(sys.argv[1::2], sys.argv[2::2]):
    assert main(["build", "--data", data, "--site", site]) == 0
print(json.dumps({name: os.environ.get(name) for name in ("SOURCE_DATE_EPOCH", "PLAN_DATA")}))
"""


def test_builds_in_one_process_each_date_the_sitemap_by_their_own_data(tmp_path):
    """Builds run one after another in one process (as the tests run theirs, in whatever order) each
    date their sitemap by their own data, and leave no date or data folder in os.environ: a date left
    behind would date the next build's sitemap, or that of a site the process builds later. (In a
    fresh interpreter: these builds would add the mini plan's words to this process's jieba.)"""
    later = tmp_path / "later"
    shutil.copytree(MINI, later)
    plan = later / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("issued: 2020-03-01", "issued: 2020-03-02"), encoding="utf-8")
    assert load_plan(later).data_date != load_plan(MINI).data_date
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for name in ("SOURCE_DATE_EPOCH", "PLAN_DATA"):
        env.pop(name, None)
    sites = {data: tmp_path / f"{data.name}-site" for data in (MINI, later)}
    result = subprocess.run([sys.executable, "-c", TWO_BUILDS, *(str(p) for pair in sites.items() for p in pair)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for data, site in sites.items():
        lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8")))
        assert lastmods == {load_plan(data).data_date.isoformat()}, data
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"SOURCE_DATE_EPOCH": None, "PLAN_DATA": None}


# ---- atomic ---------------------------------------------------------------------------------


def hashes(root: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in tree(root).items()}


def config_with_docs(tmp_path: Path) -> tuple[Path, Path]:
    """A mkdocs.yml that inherits the real one but reads a copy of docs/ (paths made absolute)."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    config = tmp_path / "mkdocs.yml"
    config.write_text(json.dumps({
        "INHERIT": str(ROOT / "mkdocs.yml"),
        "docs_dir": str(docs),
        "watch": [],
        "hooks": [str(ROOT / "plansite" / "hooks.py")],
        "theme": {"custom_dir": str(ROOT / "overrides")},
    }, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return config, docs


def build_with(config: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(MINI), "--site", str(site),
                           "--config", str(config)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_a_build_failing_in_mkdocs_leaves_the_site_untouched(tmp_path):
    """The data is fine; a hand-written page links to a page and an anchor that do not exist, so
    MkDocs (strict) fails after every page was generated. The published site stays as it was."""
    config, docs = config_with_docs(tmp_path / "conf")
    site = tmp_path / "out" / "site"
    result = build_with(config, site)
    assert result.returncode == 0, result.stderr
    before = hashes(site)
    assert "index.html" in before and "about/index.html" in before

    about = docs / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n\n[旧页面](no-such-page.md) [某节](method/index.md#no-such-anchor)\n",
                     encoding="utf-8")
    result = build_with(config, site)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert "no-such-page.md" in result.stderr and "no-such-anchor" in result.stderr, result.stderr
    assert hashes(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"], "a staging folder was left behind"


def test_every_html_block_set_aside_for_markdown_is_back_in_its_page(built_site):
    """Templates' long HTML blocks skip Markdown (plansite/pages/markdown.py RAW_MARK); none may be lost."""
    pages = list(built_site.rglob("*.html"))
    assert [p for p in pages if "plansite-raw" in p.read_text(encoding="utf-8")] == []
    report = (built_site / "reports" / "2015-Q4" / "index.html").read_text(encoding="utf-8")
    plan = load_plan(ROOT / "data")
    # Every task's row of the report's per-chapter tables, and the chart's figure and table.
    assert all(f'<a href="../../tasks/{t.id:02d}/">' in report for t in plan.tasks)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<figure class="chart" id="chart-home-status">' in home and "<th scope=\"row\">全部任务</th>" in home
