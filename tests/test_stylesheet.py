"""The one stylesheet the build makes (plansite/builder/stylesheet.py) renders every page type as the
stylesheets it was made from do: Material's two whole, the site's own and the print styles.

In Chromium, on each page type and in each state a reader can reach (phone and desktop, the dark
palette, care mode, print, the search results, the open drawer, keyboard focus), the computed style
of every element (and of its ::before, ::after, ::marker, ::placeholder) is taken with the one
stylesheet, then with the original files added after it through @import (with their media) and the
one removed: the two must be the same, property for property. Adding the originals after the one
stylesheet gives exactly the originals' cascade (every rule of the one is a copy of a rule of the
originals, and the originals come later), and the page is never without styles in between, so no
script reacts to the swap. Custom properties (--md-…) are not compared: the build drops those nothing
reads, which changes nothing drawn; what reads them (var()) is compared.
"""
from __future__ import annotations

import gzip
import re

import pytest
from playwright.sync_api import expect

from test_accessibility import SEARCH, page_types  # noqa: F401 (fixture)
from test_care_mode import LARGEST

from plansite import urls

# The computed style of every element, and of its pseudo-elements where they exist (a ::before or
# ::after whose content is none is not drawn: its content alone is kept). Chromium lays out the
# inside of a closed <details> (the search's further results) only when a size there is first
# asked for, and answers that first question with 0: every element's height is asked for first.
SNAPSHOT = r"""() => {
  const props = Array.from(getComputedStyle(document.documentElement)).filter(n => !n.startsWith("--"));
  for (const el of document.querySelectorAll("*")) getComputedStyle(el).height;
  const out = [];
  for (const el of document.querySelectorAll("*")) {
    const pseudos = [null, "::before", "::after"];
    if (el.localName === "li" || el.localName === "summary") pseudos.push("::marker");
    if (el.localName === "input" || el.localName === "textarea") pseudos.push("::placeholder");
    for (const pseudo of pseudos) {
      const style = getComputedStyle(el, pseudo);
      const name = (el.id ? "#" + el.id : el.localName + (el.className && el.className.baseVal === undefined ? "." + el.className.trim().split(/\s+/).join(".") : "")) + (pseudo || "");
      if ((pseudo === "::before" || pseudo === "::after") && ["none", "normal"].includes(style.content)) {
        out.push([name, "content:" + style.content]);
        continue;
      }
      out.push([name, props.map(n => n + ":" + style.getPropertyValue(n)).join(";")]);
    }
  }
  return out;
}"""

# The originals after the one stylesheet, then the one removed; resolves once they have loaded.
SWAP = r"""(href) => new Promise((resolve, reject) => {
  const one = document.querySelector('link[rel=stylesheet]');
  const originals = document.createElement("link");
  originals.rel = "stylesheet";
  originals.onload = () => { one.remove(); requestAnimationFrame(() => requestAnimationFrame(resolve)); };
  originals.onerror = reject;
  originals.href = href;
  one.after(originals);
})"""

# Two snapshots → whether they list the same elements, and for each element whose style differs
# its name and its first four differing properties with the originals' value.
DIFFER = r"""(one, full) => {
  if (one.length !== full.length || one.some(([name], i) => name !== full[i][0])) return [false, []];
  const differ = [];
  one.forEach(([name, a], i) => {
    const b = full[i][1];
    if (a === b) return;
    const x = a.split(";"), y = b.split(";");
    const pairs = x.map((p, j) => [p, y[j] || ""]).filter(([p, q]) => p !== q).slice(0, 4);
    differ.push(name + ": " + pairs.map(([p, q]) => p + " (originals: " + q.split(":").slice(1).join(":") + ")").join("; "));
  });
  return [true, differ];
}"""

ORIGINALS = "assets/stylesheets/originals-for-test.css"

# The page's images and fonts are in (a lazy image, a chart below the fold, loads whenever Chromium
# gets to it, and once in takes its file's own proportions: a snapshot on either side of that
# differed by 0.08 px, make test, 6 Dec); transitions still running (opening the search fades its
# placeholder, whatever the reduced motion setting) finish before a snapshot; then two frames.
SETTLE = r"""async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
  await document.fonts.ready;
  // The downloads page's long tables are laid out a table at a time once the page is idle (a11y.js,
  // data-near): a snapshot on either side of one differed in its height.
  for (let waited = 0; document.querySelector(".long-table:not([data-near])") && waited < 5000; waited += 50)
    await new Promise(r => setTimeout(r, 50));
  await Promise.all(document.getAnimations().filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
                    .map(a => a.finished.catch(() => null)));
  // A ::placeholder's transition (the search box's, to the dark palette's colour) is neither among
  // the animations nor sends events: its style is read until it holds still (a snapshot in its last
  // frames read rgba(225, 227, 233, 0.56) against (226, 228, 233, 0.56), make test, 6 Dec).
  const placeholders = () => [...document.querySelectorAll("input[placeholder], textarea[placeholder]")]
    .map(e => { const s = getComputedStyle(e, "::placeholder"); return [...s].map(n => s.getPropertyValue(n)).join(";"); }).join("|");
  for (let last = null, now = placeholders(), waited = 0; now !== last && waited < 2000; waited += 50) {
    await new Promise(r => setTimeout(r, 50));
    [last, now] = [now, placeholders()];
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def settle(page) -> None:
    """SETTLE, the page laid out afresh first (its window 1 px wider and back). On a busy machine,
    Chromium's incremental layout after a swap or a search opening could leave a stale value to
    read: the header's auto margin as 0 px, where the box stood 30 px from the edge (make test,
    6 Dec; fresh after a resize, every time)."""
    size = page.viewport_size
    page.set_viewport_size({**size, "width": size["width"] + 1})
    page.set_viewport_size(size)
    page.evaluate(SETTLE)


def originals(built_site, site_url) -> str:
    """@import of the files the one stylesheet lists as its sources, each with its media."""
    css = built_site / urls.SITE_STYLESHEET
    listed = re.search(r"made by the build .*? from: (.*?) \*/", css.read_text(encoding="utf-8")).group(1)
    imports = []
    for part in listed.split(", "):
        path, _, media = part.partition(" (media ")
        imports.append(f'@import url("{site_url}{path}"){" " + media.rstrip(")") if media else ""};')
    return "\n".join(imports)


@pytest.fixture(scope="module")
def compare(browser, built_site, site_url):
    """compare(page) → the elements whose computed style differs between the one stylesheet and the originals."""
    imports = originals(built_site, site_url)

    def run(page, moving: bool = False) -> list[str]:
        """`moving`: the page was just interacted with (focus, search): with each stylesheet,
        snapshots are taken until two in a row agree (a placeholder's fading, say, is not among the
        animations to wait for).
        The snapshots stay in the page and are compared there: only the differences come back."""
        page.route("**/" + ORIGINALS, lambda route: route.fulfill(status=200, content_type="text/css", body=imports))
        settle(page)
        assert page.evaluate(f"() => {{ window.__one = ({SNAPSHOT})(); window.__full = null; return window.__one.length }}") > 300, \
            "almost nothing compared"
        for _ in range(10 if moving else 0):
            settle(page)
            if page.evaluate(f"() => {{ const again = ({SNAPSHOT})(), same = JSON.stringify(again) === JSON.stringify(window.__one);"
                             " window.__one = again; return same }"):
                break
        else:
            assert not moving, "the page did not come to rest"
        page.evaluate(SWAP, site_url + ORIGINALS)
        settle(page)
        assert page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)") == [site_url + ORIGINALS]
        for _ in range(10 if moving else 0):
            if page.evaluate(f"() => {{ const again = ({SNAPSHOT})(), same = JSON.stringify(again) === JSON.stringify(window.__full);"
                             " window.__full = again; return same }"):
                break
            settle(page)
        else:
            assert not moving, "the page did not come to rest with the original stylesheets"
        same_elements, differ = page.evaluate(f"() => [...({DIFFER})(window.__one, window.__full || ({SNAPSHOT})())]")
        assert same_elements, "the page changed while the stylesheets were swapped"
        return differ
    return run


def new_page(browser, width=360, height=800, **options):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  reduced_motion="reduce", **options)
    return context, context.new_page()


STATES = {
    "phone": dict(width=360),
    "desktop": dict(width=1280, height=900),
    "dark": dict(width=360, color_scheme="dark"),
    "care": dict(width=360),
    "print": dict(width=1280, height=900),
}


@pytest.mark.parametrize("state", STATES)
def test_every_page_type_renders_the_same_as_with_the_original_stylesheets(browser, site_url, page_types, compare, state):
    context, page = new_page(browser, **STATES[state])
    if state == "care":  # the reader's stored choice, as the switch stores it (under the site's path)
        page.goto(site_url)
        page.evaluate("(size) => __md_set('__care', {on: true, size})", LARGEST)
    if state == "print":
        page.emulate_media(media="print")
    failures = {}
    for path in page_types:
        page.goto(site_url + path, wait_until="load")
        if state == "care":
            expect(page.locator("html")).to_have_attribute("data-care-size", str(LARGEST))
        if state == "dark":
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        differ = compare(page)
        if differ:
            failures[path or "home"] = differ[:8]
    context.close()
    assert failures == {}, "\n".join(f"{path}:\n  " + "\n  ".join(d) for path, d in failures.items())


@pytest.mark.parametrize("width", [360, 1280])
def test_the_search_results_render_the_same(browser, site_url, compare, width):
    context, page = new_page(browser, width=width)
    page.goto(site_url, wait_until="load")
    if width < 960:  # on a phone the search box opens from the header's button
        page.locator("label.md-header__button[for='__search']").click()
    box = page.get_by_placeholder("搜索")
    box.click()
    box.press_sequentially(SEARCH)
    box.press("End")  # Material searches on keyup
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    assert compare(page, moving=True) == []
    context.close()


def test_the_open_drawer_and_keyboard_focus_render_the_same(browser, site_url, compare):
    context, page = new_page(browser, width=360)
    page.goto(site_url + "tasks/05/", wait_until="load")
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(page.locator("nav.md-nav--primary").first).to_be_in_viewport()
    assert compare(page, moving=True) == []
    context.close()
    context, page = new_page(browser, width=1280, height=900)
    for stops in range(1, 7):  # the skip link, the header's links and buttons, the first links
        page.goto(site_url + "tasks/05/", wait_until="load")
        for _ in range(stops):
            page.keyboard.press("Tab")
        assert compare(page, moving=True) == [], f"with the focus on tab stop {stops}"
    context.close()


def test_the_comparison_finds_a_rule_left_out(browser, site_url, compare):
    """The harness can fail: a rule of Material's that the pages use, missing from the one
    stylesheet, shows as a difference."""
    context, page = new_page(browser)
    page.goto(site_url + "tasks/05/", wait_until="load")
    # The one stylesheet without its rule for the header's background (through the CSSOM).
    page.evaluate("""() => {
      const sheet = document.querySelector('link[rel=stylesheet]').sheet;
      const i = [...sheet.cssRules].findIndex(r => r.selectorText === '.md-header');
      sheet.deleteRule(i);
    }""")
    d = compare(page)
    assert any(x.startswith("header.md-header") and "background-color:rgba(0, 0, 0, 0) (originals: rgb(" in x for x in d), d
    context.close()


# ---- the file and the links ----------------------------------------------------------------------

def test_every_page_links_one_stylesheet(built_site):
    """One name, not the content's hash: a published report's page stays as it was when a later
    quarter changes the running head the stylesheet carries (tests/test_progress_pages.py)."""
    css = built_site / urls.SITE_STYLESHEET
    assert css.is_file() and sorted(p.name for p in css.parent.glob("site*.css")) == [css.name]
    content = css.read_bytes()
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        links = re.findall(r'<link rel="stylesheet"[^>]*>', page.read_text(encoding="utf-8"))
        assert len(links) == 1 and css.name in links[0], f"{page.relative_to(built_site)}: {links}"
    # Made from Material's two and the site's three, the print styles only for print.
    listed = re.search(rb"from: (.*?) \*/", content).group(1).decode()
    assert re.fullmatch(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css, assets/stylesheets/palette\.[0-9a-f]{8}\.min\.css, "
                        r"stylesheets/extra\.css, stylesheets/print\.css \(media print\), "
                        + re.escape(urls.PRINT_CSS) + r" \(media print\)", listed), listed
    # Smaller than the five together, compressed as nginx serves them.
    parts = [built_site / p.partition(" (")[0] for p in listed.split(", ")]
    assert len(gzip.compress(content, 9)) < 0.75 * sum(len(gzip.compress(p.read_bytes(), 9)) for p in parts)
