"""网页元数据: every page's <head> carries the tags government sites carry, each from the data or
mkdocs.yml `extra.gov`, and only when its value is known. Built with every setting set (the made-up
values of tests/fixtures/gov/mkdocs.yml) for a real address, on the mini plan with two quarters; and
the repository's own build (no settings, no SITE_URL), which must carry none of the unknown ones."""
from __future__ import annotations

import html.parser
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from plansite.model.load import load_plan
from test_gov_footer import GOV, GOV_CONFIG
from test_progress_pages import Q1, Q2, mini_with

SITE_URL = "https://plan.example.gov.cn/quality/"
SECTION_TAGS = {"ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"}
ARTICLE_TAGS = {"ArticleTitle", "PubDate", "ContentSource", "Keywords", "Description", "Url", "Image"}
SITE_TAGS = {"SiteName", "SiteDomain", "SiteIDCode"}
# Section pages, by address: (their heading is the menu label; tests/test_navigation.py holds that)
SECTIONS = {"", "plan/", "tasks/", "departments/", "indicators/", "reports/", "downloads/", "about/", "method/",
            "schema/", "sitemap/"}


class Head(html.parser.HTMLParser):
    """The <meta name=… content=…> of a page (values unescaped once, as any reader of HTML takes
    them), its canonical link, its <h1> text and the images in its article."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.canonical = None
        self.h1, self._in_h1, self.images = "", False, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "meta" and "name" in found:
            self.meta.append((found["name"], found.get("content") or ""))
        elif tag == "link" and found.get("rel") == "canonical":
            self.canonical = found["href"]
        elif tag == "h1":
            self._in_h1 = True
        elif tag == "img" and found.get("src", "").endswith(".svg"):
            self.images.append(found["src"])

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1 and data != "¶":  # the heading's permalink
            self.h1 += data

    def tags(self) -> dict[str, str]:
        names = [name for name, _ in self.meta]
        assert len(names) == len(set(names)), f"a tag twice: {names}"
        return dict(self.meta)


def pages(site: Path) -> dict[str, Head]:
    found = {}
    for path in sorted(site.rglob("index.html")):
        address = str(path.parent.relative_to(site)) + "/"
        found["" if address == "./" else address] = Head(path.read_text(encoding="utf-8"))
    found["404.html"] = Head((site / "404.html").read_text(encoding="utf-8"))
    return found


@pytest.fixture(scope="module")
def gov_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("page-metadata")
    data = mini_with(root, Q1=Q1, Q2=Q2)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL}
    result = subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(root / "site"),
                             "--config", str(GOV_CONFIG)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return load_plan(data), pages(root / "site"), root / "site"


def kind(address: str) -> str:
    if address in SECTIONS:
        return "section"
    if address.split("/")[0] in ("chapters", "tasks", "departments", "indicators", "reports") and address.count("/") == 2:
        return "article"
    return "other"


def test_every_page_names_the_site_its_domain_and_code(gov_build):
    plan, found, _ = gov_build
    assert len(found) > 20
    for address, head in found.items():
        tags = head.tags()
        assert {k: tags.get(k) for k in SITE_TAGS} == {"SiteName": plan.meta.title, "SiteDomain": "plan.example.gov.cn",
                                                       "SiteIDCode": GOV["site_code"]}, address


def test_section_pages_carry_the_column_tags(gov_build):
    plan, found, _ = gov_build
    assert SECTIONS <= set(found)
    for address in SECTIONS:
        tags, head = found[address].tags(), found[address]
        # The menu label, which is the page's heading (the home page's heading is the plan's title).
        assert tags["ColumnName"] == ("首页" if address == "" else head.h1.strip()), address
        assert tags["ColumnDescription"] == tags["description"] and tags["description"], address
        assert tags["ColumnKeywords"].split(",") == [plan.meta.title, tags["ColumnName"]], address
        assert tags["ColumnType"] == GOV["column_type"], address
        assert not ARTICLE_TAGS & set(tags), f"{address}: a section page is no article"


def test_content_pages_carry_the_article_tags(gov_build):
    plan, found, site = gov_build
    articles = {a: h for a, h in found.items() if kind(a) == "article"}
    expected_count = len(plan.chapters) + len(plan.tasks) + len(plan.departments) + len(plan.indicators) + len(plan.periods)
    assert len(articles) == expected_count
    compiled = {p.period: p.compiled.isoformat() for p in plan.periods}
    for address, head in articles.items():
        tags = head.tags()
        assert tags["ArticleTitle"] == head.h1.strip(), address
        report = address.startswith("reports/")
        # The date of the data the page shows: a report's own compilation, else the latest one.
        assert tags["PubDate"] == (compiled[address.split("/")[1]] if report else plan.data_date.isoformat()), address
        assert tags["ContentSource"] == (GOV["organizer"] if report else plan.meta.issuer), address
        assert tags["Description"] == tags["description"], address
        assert tags["Url"] == head.canonical == SITE_URL + address, address
        assert tags["Keywords"].split(",")[0] in tags["ArticleTitle"] or tags["Keywords"].split(",")[0] in head.h1, address
        assert plan.meta.title in tags["Keywords"].split(","), address
        if head.images:  # a page with a chart: its print image, at its published address
            image = tags["Image"]
            assert image.startswith(SITE_URL) and image.endswith(".png"), address
            assert (site / image[len(SITE_URL):]).is_file(), image
            assert Path(urlsplit(image).path).stem in {Path(src).stem for src in head.images}, address
        else:
            assert "Image" not in tags, address
        assert not SECTION_TAGS & set(tags), address


def test_other_pages_carry_only_the_sites_tags(gov_build):
    _, found, _ = gov_build
    others = {a: h for a, h in found.items() if kind(a) == "other"}
    assert "404.html" in others and "chapters/" in others
    for address, head in others.items():
        assert set(head.tags()) & (SECTION_TAGS | ARTICLE_TAGS) == set(), address


def test_without_settings_and_address_no_unknown_tag_is_written(built_site):
    """The repository's build: no SITE_URL (the placeholder address is not the site's domain), no
    extra.gov: no SiteDomain, SiteIDCode, ColumnType, Url, Image, nor a report's ContentSource."""
    found = pages(built_site)
    unknown = {"SiteDomain", "SiteIDCode", "ColumnType", "Url", "Image"}
    for address, head in found.items():
        tags = head.tags()
        assert tags["SiteName"] and not unknown & set(tags), address
        if address.startswith("reports/20"):
            assert "ContentSource" not in tags and tags["ArticleTitle"].endswith("进展报告"), address
