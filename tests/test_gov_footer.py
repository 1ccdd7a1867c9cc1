"""The footer of a government website, from mkdocs.yml `extra.gov` only, and the 网站地图 page.

With every setting set (tests/fixtures/gov/mkdocs.yml, made-up values, on the mini plan) each one is
in the footer of every page, the ICP number as a text link to the filing service; with none set
(the repository's mkdocs.yml) the footer has none of them. Malformed settings stop the build with
every problem listed in Chinese. The 网站地图 page links every page of the sitemap, and every page's
footer links it.
"""
from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT, nginx, without_nw
from plansite.model.govinfo import ConfigError, ICP_SERVICE, validate_gov
from test_accessibility import axe, describe

GOV_CONFIG = ROOT / "tests" / "fixtures" / "gov" / "mkdocs.yml"
GOV = yaml.safe_load(GOV_CONFIG.read_text(encoding="utf-8"))["extra"]["gov"]


def build_with(config: Path, data: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "plansite", "build", "--data", str(data), "--site", str(site),
                           "--config", str(config)], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def gov_site(public_tmp) -> Path:
    site = public_tmp / "gov" / "site"
    site.parent.mkdir()
    site.parent.chmod(0o755)
    result = build_with(GOV_CONFIG, ROOT / "tests" / "fixtures" / "mini", site)
    assert result.returncode == 0, result.stderr
    return site


class _Footer(HTMLParser):
    """The footer's text and its links (href, text)."""

    def __init__(self):
        super().__init__()
        self.depth, self.text, self.links, self._href = 0, [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "footer" or self.depth:
            self.depth += tag not in ("br", "img", "input", "meta", "link")
        if self.depth and tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_endtag(self, tag):
        if self.depth and tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
            if self._href is not None:
                self._text.append(data)


def footer(html_file: Path) -> _Footer:
    parser = _Footer()
    parser.feed(html_file.read_text(encoding="utf-8"))
    parser.text = re.sub(r"\s+", " ", "".join(parser.text)).strip()
    return parser


# ---- settings --------------------------------------------------------------------------------


def test_no_settings_means_nothing_to_show():
    assert validate_gov(None) == {}
    assert validate_gov({}) == {}
    assert validate_gov({"sponsor": "", "icp": None}) == {}


@pytest.mark.parametrize("icp", ["粤ICP备12345678号", "粤ICP备12345678号-1", "京ICP备2021000123号-3"])
def test_well_formed_icp_numbers_are_accepted(icp):
    assert validate_gov({"icp": icp}) == {"icp": icp}


def test_every_malformed_setting_is_reported_at_once_in_chinese(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("extra:\n  gov:\n    icp: ICP12345678\n    site_code: 4417000001\n", encoding="utf-8")
    settings = {
        "icp": "ICP12345678",
        "police": "公安备案 123",
        "site_code": 4417000001,  # unquoted in YAML: a number
        "email": "web at example.gov.cn",
        "phone": "请拨打",
        "error_report": "javascript:alert(1)",
        "police_link": "https://example.gov.cn/a b",
        "sponsr": "示例单位",  # a typo
        "address": "示例路\u202e1号",
    }
    with pytest.raises(ConfigError) as caught:
        validate_gov(settings, config)
    message = str(caught.value)
    assert message.startswith("网站设置 extra.gov 有 9 处问题，网站未生成（原有网站保持不变）")
    for expected in [
        "mkdocs.yml 第 3 行，extra.gov.icp（ICP备案号）：“ICP12345678”格式应如“粤ICP备12345678号”",
        "mkdocs.yml 第 4 行，extra.gov.site_code（网站标识码）：应当是文字，现在是数字 4417000001；请加英文引号",
        "extra.gov.police（公安机关备案号）：“公安备案 123”格式应如“粤公网安备 12345678901234号”",
        "extra.gov.email（电子邮箱）：“web at example.gov.cn”不是电子邮箱地址",
        "extra.gov.phone（联系电话）：“请拨打”只能包含数字",
        "extra.gov.error_report（网站纠错网址）：“javascript:alert(1)”不是可用的网址：只接受 http:// 或 https:// 开头的完整网址",
        "extra.gov.police_link（公安机关备案号的查询网址）：“https://example.gov.cn/a b”含有网址中不能出现的字符（' '）",
        "extra.gov.sponsr：没有这项设置。是不是“sponsor”（主办单位）？",
        "extra.gov.address（通讯地址）：第 4 个字符是看不见的 U+202E",
    ]:
        assert expected in message, f"missing: {expected}\n{message}"


def test_a_malformed_setting_stops_the_build_and_touches_nothing(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\nhooks:\n  - {ROOT / 'plansite/hooks.py'}\n"
                      f"watch:\n  - {ROOT / 'plansite'}\ntheme:\n  custom_dir: {ROOT / 'overrides'}\n"
                      "extra:\n  gov:\n    icp: 粤ICP备123号\n    error_report: \"javascript:alert(1)\"\n", encoding="utf-8")
    site = tmp_path / "site"
    result = build_with(config, ROOT / "tests" / "fixtures" / "mini", site)
    assert result.returncode == 1
    assert "网站设置 extra.gov 有 2 处问题" in result.stderr
    assert "extra.gov.icp（ICP备案号）：“粤ICP备123号”格式应如" in result.stderr
    assert "extra.gov.error_report（网站纠错网址）" in result.stderr
    assert not site.exists()



def test_the_approval_setting_is_true_or_false_and_never_shown(gov_site):
    """extra.gov.require_approval tells make publish to ask for an approver and a 审签单: a YAML true or
    false, anything else refused in Chinese; it is set in the full fixture and shows on no page."""
    assert validate_gov({"require_approval": True}) == {"require_approval": True}
    assert validate_gov({"require_approval": False}) == {"require_approval": False}
    for wrong in ("true", "是", 1):
        with pytest.raises(ConfigError) as caught:
            validate_gov({"require_approval": wrong})
        assert "extra.gov.require_approval（发布前须经审签）：应当是 true（是）或 false（否）" in str(caught.value)
    assert GOV["require_approval"] is True
    for html_file in sorted(gov_site.rglob("*.html")):
        text = html_file.read_text(encoding="utf-8")
        assert "require_approval" not in text and "发布前须经审签" not in text, html_file

# ---- the footer ------------------------------------------------------------------------------


def test_with_every_setting_each_is_in_every_pages_footer(gov_site):
    pages = sorted(gov_site.rglob("index.html"))
    assert len(pages) > 10
    for html_file in pages + [gov_site / "404.html"]:
        f = footer(html_file)
        where = html_file.relative_to(gov_site)
        for key in ("sponsor", "organizer", "address", "site_code"):
            assert GOV[key] in f.text, (where, key)
        links = dict((text, href) for href, text in f.links)
        assert links[GOV["icp"]] == ICP_SERVICE, where  # the number itself is the link, as text
        assert links[GOV["police"]] == GOV["police_link"], where
        assert links[GOV["email"]] == f"mailto:{GOV['email']}", where
        assert links[GOV["phone"]] == "tel:" + re.sub(r"\D", "", GOV["phone"]), where
        assert links["网站纠错"] == GOV["error_report"], where
        assert "主办单位：" + GOV["sponsor"] in f.text and "承办单位：" + GOV["organizer"] in f.text
    # The ICP link is text only: no image or badge inside it.
    html = without_nw((gov_site / "index.html").read_text(encoding="utf-8"))
    # Settings are text: the address's <b> is shown as typed, escaped exactly once.
    assert "&lt;b&gt;3&lt;/b&gt;" in html and "<b>3</b>" not in html and "&amp;lt;" not in html
    assert re.search(rf'<a href="{re.escape(ICP_SERVICE)}">{re.escape(GOV["icp"])}</a>', html)


def test_with_no_settings_the_footer_has_none_of_them(built_site):
    assert "gov:" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")  # the repository sets none
    for html_file in [built_site / "index.html", built_site / "tasks" / "05" / "index.html", built_site / "404.html"]:
        f = footer(html_file)
        html = html_file.read_text(encoding="utf-8")
        assert 'class="gov-info"' not in html and "ICP" not in f.text and "主办单位" not in f.text
        assert "公网安备" not in f.text and "网站纠错" not in f.text and "tel:" not in html
        # Besides previous/next and the copyright line, the footer holds the 网站地图 link only.
        links = re.search(r'<p class="site-links">(.*?)</p>', html, re.S).group(1)
        assert re.findall(r"<a [^>]*>([^<]*)</a>", links) == ["网站地图"]
        assert f.text.endswith("本站为依据公开文件整理的信息公开网站 网站地图"), f.text[-80:]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_full_footer_passes_axe_on_screen_and_prints(browser, gov_site, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    with nginx(gov_site) as url:
        for path in ("", "tasks/01/"):
            page.goto(url + path)
            expect(page.locator(".gov-info")).to_be_visible()
            result = axe(page)
            assert result["violations"] == [], describe(result["violations"])
        page.emulate_media(media="print")
        info = page.locator(".gov-info")
        expect(info).to_be_visible()  # who runs the site and its filing numbers end a printed page
        expect(info).to_contain_text(GOV["icp"])
        assert info.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
        assert page.locator(".gov-info a").first.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
        for hidden in (".md-footer__inner", ".site-links", ".md-header", ".md-sidebar--primary"):
            expect(page.locator(hidden).first).to_be_hidden()
    context.close()


def test_the_full_footer_fits_a_small_phone(browser, gov_site):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="zh-CN")
    page = context.new_page()
    with nginx(gov_site) as url:
        page.goto(url)
        expect(page.locator(".gov-info")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()


def test_with_no_settings_nothing_is_printed_from_the_footer(page, site_url):
    page.goto(site_url + "tasks/05/")
    page.emulate_media(media="print")
    expect(page.locator(".md-footer")).to_be_hidden()


# ---- 网站地图 ----------------------------------------------------------------------------------


def sitemap_urls(site: Path) -> set[str]:
    """Site paths of the pages sitemap.xml lists."""
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    base = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text(encoding="utf-8")).group(1)
    return {loc.removeprefix(base) for loc in re.findall(r"<loc>([^<]+)</loc>", text)}


def article_links(site: Path, path: str) -> set[str]:
    """Site paths of the pages the content of page `path` links to."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    out = set()
    for href in re.findall(r'<a href="([^"#]+)"', article):
        if "://" not in href:
            target = posixpath.normpath(posixpath.join(path, href))
            out.add("" if target == "." else target.rstrip("/") + "/")
    return out


@pytest.mark.parametrize("which", ["real", "mini"])
def test_the_site_map_links_every_page_of_the_sitemap(built_site, gov_site, which):
    site = built_site if which == "real" else gov_site
    pages = sitemap_urls(site)
    assert "sitemap/" in pages and any(p.startswith("tasks/") and p != "tasks/" for p in pages)
    linked = article_links(site, "sitemap/")
    missing = sorted(pages - linked - {"sitemap/"})
    assert missing == [], f"网站地图 does not link: {missing}"
    assert linked <= pages, f"网站地图 links pages not in the sitemap: {sorted(linked - pages)}"


def test_every_page_links_the_site_map_from_its_footer(built_site):
    for html_file in sorted(built_site.rglob("index.html")):
        here = html_file.parent.relative_to(built_site).as_posix()
        hrefs = [href for href, text in footer(html_file).links if text == "网站地图"]
        assert len(hrefs) == 1, here
        assert posixpath.normpath(posixpath.join(here, hrefs[0])) == "sitemap", (here, hrefs)
    absolute = [href for href, text in footer(built_site / "404.html").links if text == "网站地图"]
    assert absolute == ["/yangjiang-quality-plan/sitemap/"]  # the 404 page is served at any depth


def test_the_site_map_is_ordered_by_section_and_follows_the_menu(built_site):
    html = (built_site / "sitemap" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    headings = [re.sub(r"<[^>]+>|¶|&para;", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", article, re.S)]
    from plansite.pages.sections import SECTION_PAGES

    assert headings == [title for title, _ in SECTION_PAGES]
    assert re.search(r"<title>网站地图 - ", html)
