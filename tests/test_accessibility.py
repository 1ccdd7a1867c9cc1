"""Accessibility (WCAG 2.1 A and AA) and dependencies of every page type, in Debian's Chromium.

axe-core (npm, pinned in package-lock.json, installed by `make test`) runs in each page type in the
light and the dark palette, and with the search results open: zero violations. The keyboard tests
walk the tab order: the skip link comes first, is visible and moves focus to the content, and
every stop after it shows where the focus is. Every page loads nothing from other hosts.

The site is served the way it is published (conftest.py's site_url: nginx with deploy/nginx.conf,
under the path of its address, the site's 404 page for missing pages), so the 404 page and its
absolute links are tested too.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import ROOT
from test_browser import assert_only_local

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One page of each type the site has; the indicator page is found in the build (see page_types).
PAGE_TYPES = ["", "plan/", "chapters/01/", "tasks/05/", "departments/quality-supervision/", "reports/2015-Q4/",
              "reports/", "downloads/", "about/", "method/", "schema/", "indicators/", "sitemap/", "no-such-page/"]
SEARCH = "专利"


@pytest.fixture(scope="module")
def published(site_url):
    return site_url  # nginx with deploy/nginx.conf, under the site's path, 404.html for missing pages


@pytest.fixture(scope="module")
def page_types(built_site) -> list[str]:
    """PAGE_TYPES, plus the index and first page of any section added since (indicators/<id>/)."""
    types = list(PAGE_TYPES)
    for section in sorted(d for d in built_site.iterdir() if d.is_dir()):
        index, pages = section / "index.html", sorted(section.glob("*/index.html"))
        if index.is_file() and f"{section.name}/" not in types:
            types.append(f"{section.name}/")
        if pages and not any(t.startswith(f"{section.name}/") and t.count("/") == 2 for t in types):
            types.append(pages[0].parent.relative_to(built_site).as_posix() + "/")
    assert any(t.startswith("indicators/") and t.count("/") == 2 for t in types), "no indicator page"
    return types


def new_page(browser, scheme: str = "light", width: int = 1280):
    assert AXE.is_file(), "axe-core 未安装：运行 make test（npm ci）"
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", color_scheme=scheme)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    return context, page


def open_search(page, url: str) -> None:
    page.goto(url)
    box = page.get_by_placeholder("搜索")
    box.click()
    box.press_sequentially(SEARCH)
    box.press("End")  # a key event, as typing with an input method gives: Material searches on keyup
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)


def settle(page) -> None:
    """Fades still running finish first (the search results' colours, read by axe halfway, failed the
    contrast rule once in make test, 6 Dec); then two frames: Material wraps tables after load, and
    a11y.js marks the wide ones (or makes them cards) after that."""
    page.evaluate("""async () => {
      await Promise.all(document.getAnimations().filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
                        .map(a => a.finished.catch(() => null)));
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }""")


def axe(page) -> dict:
    settle(page)
    # Evaluated by the test driver, not added as a <script>: the server's CSP would rightly block that.
    page.evaluate("(source) => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async (tags) => {
      const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
      return {passes: r.passes.length, violations: r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' '))}))};
    }""", WCAG)


def describe(violations: list[dict]) -> str:
    return "\n".join(f"  {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"      {n}" for n in v["nodes"])
                     for v in violations)


# The dark palette changes only colours: it is checked on the page types with the most of them.
DARK = ["", "tasks/05/", "reports/2015-Q4/", "method/", "no-such-page/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations_on_any_page_type(browser, published, page_types, scheme):
    context, page = new_page(browser, scheme)
    failures = {}
    for path in page_types if scheme == "light" else DARK + [t for t in page_types if t.startswith("indicators/")][-1:]:
        page.requests.clear()
        response = page.goto(published + path)
        assert response.status == (404 if path == "no-such-page/" else 200), path
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
        result = axe(page)
        assert result["passes"] > 10, f"{path}: axe checked almost nothing"
        if result["violations"]:
            failures[path or "home"] = describe(result["violations"])
        assert_only_local(page, published)
    page.requests.clear()
    open_search(page, published)
    result = axe(page)
    if result["violations"]:
        failures[f"search results for {SEARCH}"] = describe(result["violations"])
    assert_only_local(page, published)
    context.close()
    assert failures == {}, "\n".join(f"{path}:\n{text}" for path, text in failures.items())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_a_phone(browser, published, scheme):
    """360 px wide: the header collapses and the navigation becomes a drawer; open it too."""
    context, page = new_page(browser, scheme, width=360)
    page.goto(published + "tasks/05/")
    result = axe(page)
    assert result["violations"] == [], describe(result["violations"])
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(page.locator("nav.md-nav--primary").first).to_be_in_viewport()
    result = axe(page)
    assert result["violations"] == [], describe(result["violations"])
    context.close()


def test_axe_reports_a_violation_when_there_is_one(browser, published):
    """The harness can fail: an image without alt text and a low-contrast line are found."""
    context, page = new_page(browser)
    page.goto(published + "tasks/05/")
    page.evaluate("""() => {
      const a = document.querySelector('article');
      a.insertAdjacentHTML('beforeend', '<img src="x.png"><p>浅色文字</p>');
      // Through the CSSOM: a style attribute in new markup is blocked by the server's CSP.
      Object.assign(a.lastElementChild.style, {color: '#bbb', background: '#fff'});
    }""")
    ids = {v["id"] for v in axe(page)["violations"]}
    assert {"image-alt", "color-contrast"} <= ids
    context.close()


def test_the_search_dialog_has_a_name(browser, published):
    context, page = new_page(browser)
    page.goto(published)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_have_count(1)
    expect(dialog).to_have_attribute("aria-label", re.compile(r"\S"))
    context.close()


# ---- keyboard -------------------------------------------------------------------------------

FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  // Let focus transitions (Material fades the skip link and permalinks in) reach their end state.
  for (const el of [e, e.nextElementSibling]) if (el) el.getAnimations().forEach(a => a.finish());
  const size = el => el && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
  // A visually hidden radio (the palette switch) shows its focus on the label that follows it.
  const shown = size(e) ? e : (e.nextElementSibling && e.nextElementSibling.tagName === 'LABEL' ? e.nextElementSibling : null);
  const s = shown ? getComputedStyle(shown) : null;
  return {
    what: `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.getAttribute('href') || ''}`.trim(),
    key: [...document.querySelectorAll('*')].indexOf(e),
    visible: !!shown && size(shown) && s.visibility !== 'hidden' && parseFloat(s.opacity) > 0,
    indicator: !!s && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
                       || (e.tagName === 'INPUT' && e.type === 'text')),
    inArticle: !!e.closest('article'),
    href: e.getAttribute('href'),
  };
}"""


@pytest.mark.parametrize("path", ["", "tasks/05/"])
def test_the_skip_link_comes_first_shows_and_moves_focus_to_the_content(browser, published, path):
    context, page = new_page(browser)
    page.goto(published + path)
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_text(re.compile(r"\S"))
    expect(skip).to_have_css("opacity", "1")  # it fades in on focus
    expect(skip).to_be_in_viewport()
    target = skip.get_attribute("href")
    assert target.startswith("#") and page.locator(target).count() == 1
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))  # waits: the jump is not synchronous with the key
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUS_JS)
    assert focused and focused["inArticle"], f"after the skip link, Tab went to {focused}"
    context.close()


@pytest.mark.parametrize("path", ["", "tasks/05/", "indicators/"])
def test_every_tab_stop_is_visible_and_every_content_link_is_reachable(browser, published, path):
    context, page = new_page(browser)
    page.goto(published + path)
    stops, seen = [], set()
    for _ in range(600):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        if focused is None or focused["key"] in seen:
            break  # back at the start of the page
        seen.add(focused["key"])
        stops.append(focused)
    assert len(stops) > 10, stops
    hidden = [s["what"] for s in stops if not s["visible"]]
    unmarked = [s["what"] for s in stops if s["visible"] and not s["indicator"]]
    assert hidden == [], f"tab stops that cannot be seen: {hidden}"
    assert unmarked == [], f"tab stops without a focus outline: {unmarked}"
    # Every link a reader can see in the page's content is reached by Tab.
    links = page.evaluate("""() => [...document.querySelectorAll('article a[href]')]
        .filter(a => a.getBoundingClientRect().width > 0).map(a => a.getAttribute('href'))""")
    reached = {s["href"] for s in stops if s["inArticle"]}
    assert links and set(links) <= reached, f"not reachable by Tab: {sorted(set(links) - reached)[:10]}"
    context.close()


def test_a_focused_link_has_a_visible_outline(browser, published):
    context, page = new_page(browser)
    page.goto(published + "tasks/05/")
    link = page.locator("article a[href*='departments/']").first
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    expect(link).to_be_focused()
    style = link.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }")
    assert style[0] != "none" and float(style[1].removesuffix("px")) >= 1, style
    before = link.screenshot()
    page.keyboard.press("Shift+Tab")
    assert link.screenshot() != before, "the link looks the same focused and not focused"
    context.close()
