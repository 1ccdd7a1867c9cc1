"""关怀模式 (care mode) and 朗读 (read aloud), in Debian's Chromium against the site served by nginx.

The switch in the header turns care mode on and off and is remembered (localStorage) across pages,
reloads and visits; it is there only with JavaScript. In care mode every page type has no axe
violation with WCAG AAA contrast (color-contrast-enhanced) on, text reaches twice its size, at
320 px with the largest text nothing overlaps, is cut off or makes the page scroll sideways, focus
rings are thicker and a mouse gets a large local pointer. 朗读 reads the article with the browser's
speech synthesis and is hidden without a Chinese voice: Chromium here has none, unless it is
started with --enable-speech-dispatcher and Debian's speech-dispatcher with espeak-ng is installed
(scripts/ensure_speech.sh), which gives it real Mandarin voices: reading, pause, resume and stop are
tested with those. Which voices make the button appear (a late Chinese voice, only English, only a
network voice) is tested with a stand-in speechSynthesis that offers exactly those.
"""
from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM, CHROMIUM_ARGS
from test_accessibility import AXE, DARK, WCAG, describe, open_search, page_types, settle  # noqa: F401 (fixture)
from test_browser import assert_only_local

TOGGLE = ".md-header button.care-toggle"
LARGEST = 4  # data-care-size of 200 %
CARE = re.compile(r"(^|\s)care(\s|$)")


def new_context(browser, width=1280, height=900, scheme="light", **options):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  color_scheme=scheme, **options)
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def turn_on(page, url, size=LARGEST):
    """Care mode on through the switch, then 放大/缩小 to the wanted step (1–4; on: 2)."""
    page.goto(url)
    page.locator(TOGGLE).click()
    expect(page.locator(TOGGLE)).to_have_attribute("aria-pressed", "true")
    now = 2
    while now < size:
        page.get_by_role("button", name="放大", exact=True).click()
        now += 1
    while now > size:
        page.get_by_role("button", name="缩小", exact=True).click()
        now -= 1
    expect(page.locator("html")).to_have_attribute("data-care-size", str(size))
    assert page.errors == []


def axe_aaa(page) -> dict:
    """axe-core's WCAG 2.1 A/AA rules with the AAA contrast rule (7:1, 4.5:1 for large text) in
    place of the AA one (4.5:1, 3:1): it checks the same text, and text that fails AA fails AAA too.
    (Both, each page's contrast was worked out twice: the most costly of axe's rules.)"""
    settle(page)
    page.evaluate("(source) => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async (tags) => {
      const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                         rules: {'color-contrast-enhanced': {enabled: true},
                                                 'color-contrast': {enabled: false}}});
      const ran = r.passes.concat(r.violations, r.incomplete).map(x => x.id);
      return {enhanced: ran.includes('color-contrast-enhanced'), passes: r.passes.length,
              violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' '))}))};
    }""", WCAG)


# ---- the switch ---------------------------------------------------------------------------------

# Records, when <body> first appears, whether care mode is already on <html>: the page is drawn
# with the reader's choice from the start, not restyled after a flash at normal size.
CLASS_AT_BODY = """
new MutationObserver((records, observer) => {
  if (!document.body) return;
  const html = document.documentElement;
  window.__careAtBody = (html.classList.contains('care') ? 'care' : 'normal') + ' size=' + html.dataset.careSize;
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""


def test_the_switch_persists_across_pages_reloads_and_visits_and_turns_off(browser, site_url):
    context, page = new_context(browser)
    page.add_init_script(CLASS_AT_BODY)
    page.goto(site_url + "tasks/05/")
    toggle = page.get_by_role("button", name="关怀模式")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("document.querySelector('%s').closest('header') !== null" % TOGGLE)
    expect(page.locator(".care-bar")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_class(CARE)
    expect(page.locator(".care-bar")).to_be_visible()
    expect(page.locator("[data-care-size-now]")).to_have_text("150%")
    page.get_by_role("button", name="放大", exact=True).click()
    expect(page.locator("[data-care-size-now]")).to_have_text("175%")
    # Another page, reached by a link: still on, at the chosen size, from before the first paint.
    page.locator("article a[href*='chapters/0']").first.click()
    page.wait_for_url(re.compile(r"/chapters/\d+/$"))
    expect(page.get_by_role("button", name="关怀模式")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-care-size-now]")).to_have_text("175%")
    assert page.evaluate("window.__careAtBody") == "care size=3"
    page.reload()
    assert page.evaluate("window.__careAtBody") == "care size=3"
    expect(page.get_by_role("button", name="关怀模式")).to_have_attribute("aria-pressed", "true")
    # Nothing is sent: the choice is in this browser's storage, under the site's path.
    stored = page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.endsWith('.__care'))")
    assert [json.loads(v) for _, v in stored] == [{"on": True, "size": 3}]
    assert_only_local(page, site_url)
    # A later visit (a new tab of the same browser profile) finds it on.
    again = context.new_page()
    again.goto(site_url)
    expect(again.get_by_role("button", name="关怀模式")).to_have_attribute("aria-pressed", "true")
    again.close()
    # Off again: everything back to normal, and it stays off.
    page.get_by_role("button", name="关怀模式").click()
    expect(page.get_by_role("button", name="关怀模式")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("html")).not_to_have_class(CARE)
    expect(page.locator(".care-bar")).to_be_hidden()
    page.reload()
    assert page.evaluate("window.__careAtBody") == "normal size=3"
    expect(page.get_by_role("button", name="关怀模式")).to_have_attribute("aria-pressed", "false")
    context.close()


@pytest.mark.parametrize("stored, at_body, shown", [
    ({"on": True, "size": 1}, "care size=1", "125%"),
    ({"on": True, "size": 4}, "care size=4", "200%"),
    ({"on": True, "size": 9}, "care size=2", "150%"),    # out of range: the first step
    ({"on": True, "size": "大"}, "care size=2", "150%"),
    ({"on": "yes", "size": 3}, "normal size=3", "175%"),  # only true turns it on
    ([1, 2], "normal size=2", "150%"),                    # not what care.js stores
], ids=["smallest", "largest", "too-large", "not-a-number", "on-not-true", "a-list"])
def test_the_head_applies_a_stored_choice_before_the_first_paint_as_care_js_reads_it(browser, site_url, stored,
                                                                                    at_body, shown):
    """The few lines in <head> (overrides/partials/care-head.html) and care.js, loaded after the
    page, read a stored choice alike, whatever is stored."""
    context, page = new_context(browser)
    page.goto(site_url)
    page.evaluate("(value) => __md_set('__care', value)", stored)
    page.add_init_script(CLASS_AT_BODY)
    page.goto(site_url + "tasks/05/")
    assert page.evaluate("window.__careAtBody") == at_body
    on = at_body.startswith("care")
    expect(page.get_by_role("button", name="关怀模式")).to_have_attribute("aria-pressed", "true" if on else "false")
    expect(page.locator("[data-care-size-now]")).to_have_text(shown)
    assert page.evaluate("(document.documentElement.classList.contains('care') ? 'care' : 'normal')"
                         " + ' size=' + document.documentElement.dataset.careSize") == at_body
    assert page.errors == []
    context.close()


def test_without_javascript_there_is_no_switch_and_the_page_reads_normally(browser, site_url):
    # Normal sizes, read with JavaScript and care mode off.
    context, page = new_context(browser)
    page.goto(site_url + "tasks/05/")
    normal = page.evaluate("getComputedStyle(document.querySelector('article p')).fontSize")
    origin = page.evaluate("location.origin")
    key = page.evaluate("__md_scope.pathname") + ".__care"
    context.close()
    # Without JavaScript, even with care mode stored as on: no switch, no bar, normal text.
    state = {"cookies": [], "origins": [{"origin": origin, "localStorage": [
        {"name": key, "value": json.dumps({"on": True, "size": LARGEST})}]}]}
    context, page = new_context(browser, java_script_enabled=False, storage_state=state)
    page.goto(site_url + "tasks/05/")
    expect(page.locator("article h1")).to_be_visible()
    expect(page.get_by_role("button", name="关怀模式")).to_have_count(0)
    expect(page.get_by_role("button", name="放大")).to_have_count(0)
    expect(page.locator(".care-bar")).to_be_hidden()
    expect(page.locator("html")).not_to_have_class(CARE)
    assert page.evaluate("getComputedStyle(document.querySelector('article p')).fontSize") == normal
    context.close()


def test_normal_mode_looks_as_before(browser, site_url):
    """With JavaScript and care mode off, text has the sizes, spacing and colours it has without."""
    probe = """() => [...document.querySelectorAll('article p, article td, article h1, .md-nav__link, .md-header__title')]
      .slice(0, 60).map(e => { const s = getComputedStyle(e);
        return [s.fontSize, s.lineHeight, s.color, s.marginTop, s.backgroundColor].join(' '); })"""
    seen = {}
    for js in (False, True):
        context, page = new_context(browser, java_script_enabled=js)
        page.goto(site_url + "reports/2015-Q4/")
        seen[js] = page.evaluate(probe)
        context.close()
    assert seen[True] and seen[True] == seen[False]


# ---- what care mode does ----------------------------------------------------------------------

SIZES = """() => {
  const one = sel => { const e = document.querySelector(sel); return e ? parseFloat(getComputedStyle(e).fontSize) : null; };
  return {p: one('article p'), td: one('article table td'), caption: one('article figure.chart figcaption'),
          chartTable: one('article figure.chart td'), legend: one('article .legend'), nav: one('.md-nav--primary .md-nav__link')};
}"""


def test_text_grows_in_steps_to_twice_its_size(browser, site_url):
    url = site_url + "reports/2015-Q4/"
    context, page = new_context(browser)
    page.goto(url)
    normal = page.evaluate(SIZES)
    assert all(normal.values()), normal
    page.locator(TOGGLE).click()
    steps = []
    for size in (2, 3, 4):
        expect(page.locator("html")).to_have_attribute("data-care-size", str(size))
        steps.append(page.evaluate(SIZES))
        if size < 4:
            page.get_by_role("button", name="放大", exact=True).click()
    # The last step is disabled, not hidden: 放大 says so and does nothing.
    larger = page.get_by_role("button", name="放大", exact=True)
    expect(larger).to_have_attribute("aria-disabled", "true")
    larger.click(force=True)  # Playwright would wait for an aria-disabled button to become enabled
    expect(page.locator("html")).to_have_attribute("data-care-size", "4")
    for what, size in normal.items():
        grown = [step[what] for step in steps]
        assert grown == sorted(grown) and grown[0] > size, (what, size, grown)
        assert grown[-1] >= 2 * size - 0.1, f"{what}: {size}px normally, {grown[-1]}px at the largest step"
    context.close()


PARAGRAPHS = """() => {
  const out = [];
  for (const p of document.querySelectorAll('article p')) {
    if (!p.offsetParent) continue;
    const s = getComputedStyle(p), next = p.nextElementSibling;
    const lh = parseFloat(s.lineHeight), fs = parseFloat(s.fontSize);
    const gap = next && next.tagName === 'P' && next.offsetParent
      ? next.getBoundingClientRect().top - p.getBoundingClientRect().bottom : null;
    out.push({text: p.textContent.trim().slice(0, 20), ratio: lh / fs, lineHeight: lh, gap});
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["", "plan/", "tasks/05/", "about/", "method/"])
def test_paragraphs_have_line_height_and_spacing(browser, site_url, path):
    context, page = new_context(browser)
    turn_on(page, site_url + path, size=1)
    page.goto(site_url + path)
    paragraphs = page.evaluate(PARAGRAPHS)
    assert paragraphs
    tight = [p for p in paragraphs if p["ratio"] < 1.5]
    assert tight == [], f"{path}: line height below 1.5"
    gaps = [p for p in paragraphs if p["gap"] is not None]
    assert gaps or path != "plan/", "the plan's text has no two paragraphs in a row to measure"
    close = [p for p in gaps if p["gap"] < 1.3 * p["lineHeight"] - 0.5]
    assert close == [], f"{path}: paragraphs closer than 1.3 times the line height"
    context.close()


def test_axe_finds_nothing_on_any_page_type_in_care_mode_with_aaa_contrast(browser, site_url, page_types):
    """The smallest care step (the hardest for contrast: less text counts as large) in both palettes,
    and with the search results open."""
    failures = {}
    for scheme in ("light", "dark"):
        context, page = new_context(browser, scheme=scheme)
        turn_on(page, site_url, size=1)
        paths = page_types if scheme == "light" else DARK + [t for t in page_types if t.startswith("indicators/")][-1:]
        for path in paths:
            page.requests.clear()
            response = page.goto(site_url + path)
            assert response.status == (404 if path == "no-such-page/" else 200), path
            expect(page.locator(TOGGLE)).to_have_attribute("aria-pressed", "true")
            expect(page.locator(".care-bar")).to_be_visible()
            result = axe_aaa(page)
            assert result["enhanced"] and result["passes"] > 10, f"{path}: the AAA contrast rule did not run"
            if result["violations"]:
                failures[f"{scheme} {path or 'home'}"] = describe(result["violations"])
            assert_only_local(page, site_url)
        open_search(page, site_url)
        result = axe_aaa(page)
        if result["violations"]:
            failures[f"{scheme} search results"] = describe(result["violations"])
        context.close()
    assert failures == {}, "\n".join(f"{path}:\n{text}" for path, text in failures.items())


def test_axe_on_a_phone_at_the_largest_text_with_the_drawer_open(browser, site_url):
    context, page = new_context(browser, width=320, height=640, is_mobile=True, has_touch=True)
    turn_on(page, site_url + "tasks/05/")
    result = axe_aaa(page)
    assert result["violations"] == [], describe(result["violations"])
    page.locator("label.md-header__button[for='__drawer']").click()
    expect(page.locator("nav.md-nav--primary").first).to_be_in_viewport()
    result = axe_aaa(page)
    assert result["violations"] == [], describe(result["violations"])
    context.close()


def test_the_aaa_check_can_fail(browser, site_url):
    """Text at 5.7:1 passes AA but not AAA: the care-mode check finds it."""
    context, page = new_context(browser)
    turn_on(page, site_url + "tasks/05/", size=1)
    page.evaluate("""() => {
      const a = document.querySelector('article');
      a.insertAdjacentHTML('beforeend', '<p>对比度不足的文字</p>');
      Object.assign(a.lastElementChild.style, {color: '#6b6b6b', background: '#fff', fontSize: '16px'});
    }""")
    assert "color-contrast-enhanced" in {v["id"] for v in axe_aaa(page)["violations"]}
    context.close()


# Every visible piece of text on the page: its line boxes must lie inside the viewport (unless a
# scrolling box holds them: tables scroll in their own region), inside every box that clips
# without scrolling, not end in an ellipsis, and not overlap another text's line boxes.
LAYOUT = """() => {
  const vw = document.documentElement.clientWidth, problems = [], boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    // Material's header shows the site name in one line that ends in "…" on any phone (the full
    // name is the logo's title and the home page's heading); its drawer is off-screen until opened.
    if (el.closest('.md-header__title, .md-sidebar, .md-search, .md-skip, .md-tooltip, .md-top')) continue;
    // Text kept for screen readers only, in a 1 px box that clips it (a table shown as cards keeps
    // its heading row so): no one sees it.
    let unseen = false;
    for (let a = el; a && !unseen; a = a.parentElement) {
      unseen = getComputedStyle(a).overflow === 'hidden' && a.getBoundingClientRect().width <= 1;
    }
    if (unseen) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    const what = node.textContent.trim().slice(0, 24);
    let scroller = null;
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.textOverflow === 'ellipsis' && a.scrollWidth > a.clientWidth + 1) problems.push('ends in …: ' + what);
      const clips = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY);
      const scrolls = ['auto', 'scroll'].includes(s.overflowX);
      if (scrolls && !scroller) scroller = a;
      if (clips) {
        const box = a.getBoundingClientRect();
        for (const r of rects) {
          if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
            problems.push('cut off by ' + a.tagName.toLowerCase() + '.' + a.className + ': ' + what);
            break;
          }
        }
      }
    }
    if (!scroller) {
      for (const r of rects) if (r.left < -1 || r.right > vw + 1) { problems.push('outside the screen: ' + what); break; }
    }
    for (const r of rects) boxes.push({top: r.top, bottom: r.bottom, left: r.left, right: r.right, el, scroller, what});
  }
  // Overlaps between line boxes of different elements (a few pixels of line spacing allowed).
  boxes.sort((a, b) => a.top - b.top);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].top < a.bottom - 3; j++) {
      const b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      if (a.scroller !== b.scroller) continue;  // one scrolled out of view in its own region
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 3 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 3) {
        problems.push('overlaps: ' + a.what + ' / ' + b.what);
      }
    }
  }
  return {problems: [...new Set(problems)].slice(0, 15), texts: boxes.length,
          pageScrolls: document.documentElement.scrollWidth > vw, width: vw};
}"""


@pytest.fixture(scope="module")
def phone_320(browser, site_url):
    context, page = new_context(browser, width=320, height=640, is_mobile=True, has_touch=True, device_scale_factor=2)
    turn_on(page, site_url)
    yield page
    context.close()


def test_the_layout_check_finds_cut_off_and_overlapping_text(phone_320, site_url):
    phone_320.goto(site_url + "tasks/05/")
    phone_320.evaluate("""() => {
      const a = document.querySelector('article');
      a.insertAdjacentHTML('beforeend', '<p>这一段文字很长很长很长很长很长很长很长很长很长很长很长很长很长</p><p>第二段</p>');
      Object.assign(a.lastElementChild.previousElementSibling.style, {whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis'});
      Object.assign(a.lastElementChild.style, {marginTop: '-3em'});
    }""")
    problems = " ".join(phone_320.evaluate(LAYOUT)["problems"])
    assert "ends in …" in problems and "cut off" in problems and "overlaps" in problems


@pytest.mark.parametrize("path", ["", "plan/", "chapters/01/", "tasks/05/", "departments/quality-supervision/",
                                  "departments/", "reports/2015-Q4/", "reports/", "downloads/", "about/", "method/",
                                  "schema/", "indicators/", "indicators/patent-implementation-rate/", "tasks/",
                                  "no-such-page/"])
def test_at_320_px_with_the_largest_text_nothing_is_cut_off_overlaps_or_scrolls_sideways(phone_320, site_url, path):
    phone_320.goto(site_url + path)
    expect(phone_320.locator("html")).to_have_attribute("data-care-size", str(LARGEST))
    settle(phone_320)
    found = phone_320.evaluate(LAYOUT)
    assert found["width"] == 320 and found["texts"] > 5
    assert not found["pageScrolls"], f"{path or 'home'}: the page scrolls sideways"
    assert found["problems"] == [], f"{path or 'home'}: {found['problems']}"


def test_at_320_px_the_open_drawer_fits(phone_320, site_url):
    phone_320.goto(site_url + "tasks/05/")
    phone_320.locator("label.md-header__button[for='__drawer']").click()
    drawer = phone_320.locator("nav.md-nav--primary").first
    expect(drawer).to_be_in_viewport()
    settle(phone_320)
    links = phone_320.evaluate("""() => [...document.querySelectorAll('.md-nav--primary .md-nav__link')]
      .filter(e => e.offsetParent).map(e => { const r = e.getBoundingClientRect();
        return {text: e.textContent.trim(), right: r.right, clipped: e.scrollWidth > e.clientWidth + 1,
                size: parseFloat(getComputedStyle(e).fontSize)}; })""")
    assert links
    assert [link for link in links if link["right"] > 321 or link["clipped"]] == []
    assert min(link["size"] for link in links) >= 2 * 16 - 0.1  # the drawer's .8rem of a 20 px root, doubled


def test_focus_rings_are_thicker(browser, site_url):
    def ring(page):
        page.keyboard.press("Tab")
        for _ in range(30):
            if page.evaluate("document.activeElement.matches('article a')"):
                break
            page.keyboard.press("Tab")
        return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    context, page = new_context(browser)
    page.goto(site_url + "tasks/05/")
    normal = ring(page)
    turn_on(page, site_url + "tasks/05/", size=1)
    page.goto(site_url + "tasks/05/")
    style, width = ring(page)
    assert style == "solid" and width >= 4 and width > normal[1], (normal, style, width)
    context.close()


def test_a_mouse_gets_a_large_local_pointer_and_a_touch_screen_none(browser, site_url):
    context, page = new_context(browser)
    page.goto(site_url + "tasks/05/")
    assert page.evaluate("getComputedStyle(document.body).cursor") == "auto"
    turn_on(page, site_url + "tasks/05/", size=1)
    cursors = page.evaluate("""() => [getComputedStyle(document.body).cursor,
                                       getComputedStyle(document.querySelector('article a[href]')).cursor]""")
    assert "images/care-pointer.svg" in cursors[0] and "images/care-hand.svg" in cursors[1], cursors
    for name in ("care-pointer.svg", "care-hand.svg"):
        response = page.request.get(site_url + "images/" + name)
        assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
        assert 'width="48"' in response.text()
    context.close()
    context, page = new_context(browser, width=390, is_mobile=True, has_touch=True)
    turn_on(page, site_url + "tasks/05/", size=1)
    assert page.evaluate("getComputedStyle(document.body).cursor") == "auto"
    context.close()


def test_status_badges_and_legends_carry_text_not_only_colour(browser, site_url):
    """In care mode every badge and legend entry has a symbol and words; every chart has its table
    right after its image."""
    context, page = new_context(browser)
    turn_on(page, site_url + "reports/2015-Q4/", size=1)
    badges = page.evaluate("() => [...document.querySelectorAll('article .badge')].map(b => b.innerText.trim())")
    assert badges and all(len(b) >= 3 and not b[0].isalnum() and b.split()[-1] for b in badges), badges[:10]
    charts = page.evaluate("""() => [...document.querySelectorAll('article figure.chart')].map(f => {
        const img = f.querySelector('img'), table = f.querySelector('table');
        return {alt: img && img.alt, tableAfterImage: !!(img && table && (img.compareDocumentPosition(table) & 4))}; })""")
    assert charts and all(c["alt"] and c["tableAfterImage"] for c in charts), charts
    context.close()


# ---- 朗读 --------------------------------------------------------------------------------------

def test_read_aloud_is_hidden_when_the_browser_has_no_chinese_voice(browser, site_url):
    """Chromium as the tests start it has no speech engine at all: no voices, no button."""
    context, page = new_context(browser)
    turn_on(page, site_url + "tasks/05/", size=1)
    voices = page.evaluate("""() => new Promise(r => {
      speechSynthesis.addEventListener('voiceschanged', () => r(speechSynthesis.getVoices().length));
      setTimeout(() => r(speechSynthesis.getVoices().length), 2000); })""")
    assert voices == 0
    expect(page.locator("[data-care-read]")).to_be_hidden()
    expect(page.locator("[data-care-stop]")).to_be_hidden()
    context.close()


# A STAND-IN speechSynthesis, only to choose which voices the browser offers and when: they
# arrive after the page has loaded (window.__voicesArrive), as Chrome's may. (The reading itself is tested with the real
# engine below.)
STAND_IN = """
(() => {
  const voices = %s;
  let ready = false;
  const synth = new EventTarget();
  synth.getVoices = () => ready ? voices.map(v => Object.assign({default: false, voiceURI: v.name}, v)) : [];
  synth.speak = synth.cancel = synth.pause = synth.resume = () => {};
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.__voicesArrive = () => { ready = true; synth.dispatchEvent(new Event('voiceschanged')); };
})();
"""


@pytest.mark.parametrize("voices, shown", [
    ([{"name": "English", "lang": "en-US", "localService": True}], False),
    ([{"name": "Network Mandarin", "lang": "zh-CN", "localService": False}], False),
    ([{"name": "English", "lang": "en-US", "localService": True},
      {"name": "Mandarin", "lang": "zh-CN", "localService": True}], True),
    ([{"name": "Cantonese", "lang": "zh_HK", "localService": True}], True),
], ids=["english-only", "network-voice-only", "mandarin-arrives-late", "underscore-tag"])
def test_read_aloud_appears_only_with_a_local_chinese_voice_stand_in(browser, site_url, voices, shown):
    context, page = new_context(browser)
    page.add_init_script(STAND_IN % json.dumps(voices))
    turn_on(page, site_url + "tasks/05/", size=1)
    page.goto(site_url + "tasks/05/")
    expect(page.locator("[data-care-read]")).to_be_hidden()  # no voices yet
    page.evaluate("window.__voicesArrive()")
    settle(page)
    if shown:
        expect(page.locator("[data-care-read]")).to_be_visible()
    else:
        expect(page.locator("[data-care-read]")).to_be_hidden()
    context.close()


@pytest.fixture(scope="module")
def speaking_browser(browser, tmp_path_factory):
    """Chromium with its speech-dispatcher backend: Debian's espeak-ng, whose Mandarin voices Chrome
    lists with lang "cmn". There is no sound card here: the daemon (started by Chromium, in a
    folder of this test, ending itself 5 s after its last client) plays into ALSA's null device."""
    home = tmp_path_factory.mktemp("speech")
    (home / "config" / "speech-dispatcher").mkdir(parents=True)
    (home / "run").mkdir(mode=0o700)
    (home / "config" / "speech-dispatcher" / "speechd.conf").write_text(
        'Include "/etc/speech-dispatcher/speechd.conf"\nAudioOutputMethod "alsa"\nAudioALSADevice "null"\n')
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), XDG_RUNTIME_DIR=str(home / "run"))
    speaking = browser.browser_type.launch(executable_path=CHROMIUM, env=env,
                                           args=CHROMIUM_ARGS + ["--enable-speech-dispatcher"])
    yield speaking
    speaking.close()


# Records what the page hands to the real engine, and passes it on.
SPY = """
window.__spoken = [];
const speak = speechSynthesis.speak.bind(speechSynthesis), cancel = speechSynthesis.cancel.bind(speechSynthesis);
speechSynthesis.speak = u => { window.__spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.lang}); speak(u); };
speechSynthesis.cancel = () => { window.__spoken.push({cancel: true}); cancel(); };
"""


def speaking_page(speaking_browser, site_url, path):
    context, page = new_context(speaking_browser)
    page.add_init_script(SPY)
    turn_on(page, site_url + path, size=1)
    page.goto(site_url + path)
    page.wait_for_function("() => speechSynthesis.getVoices().some(v => /^(zh|cmn)/i.test(v.lang))", timeout=20000)
    expect(page.locator("[data-care-read]")).to_be_visible()
    return context, page


def test_read_aloud_reads_the_whole_article_in_order_with_a_real_mandarin_voice(speaking_browser, site_url):
    # A unit page: headings, paragraphs, a chart's table and a list of tasks, a third of a task
    # page's length (the voice speaks in real time).
    context, page = speaking_page(speaking_browser, site_url, "departments/water/")
    read = page.locator("[data-care-read]")
    expect(read).to_have_text("朗读")
    expect(page.locator("[data-care-stop]")).to_be_hidden()
    read.click()
    expect(read).to_have_text("暂停朗读")
    expect(read).to_have_text("朗读", timeout=120000)  # read to the end, then ready to start again
    spoken = [s for s in page.evaluate("window.__spoken") if "text" in s]
    assert {s["voice"] for s in spoken} == {"cmn"} and {s["lang"] for s in spoken} == {"cmn"}, spoken[:3]
    heading = page.locator("article h1").inner_text().replace("¶", "").strip()
    assert spoken[0]["text"] == heading
    # The whole article, in order: tables' cells joined by a comma, nothing else added or lost.
    article = page.evaluate("() => document.querySelector('.md-content article').innerText")
    assert ("".join(s["text"] for s in spoken).replace("，", "").replace(" ", "")
            == re.sub(r"\s+", "", article.replace("¶", "").replace("，", "")))
    assert max(len(s["text"]) for s in spoken) <= 120
    assert_only_local(page, site_url)
    context.close()


def test_read_aloud_pauses_resumes_and_stops_with_a_real_mandarin_voice(speaking_browser, site_url):
    context, page = speaking_page(speaking_browser, site_url, "plan/")  # the longest page
    read = page.locator("[data-care-read]")
    read.click()
    page.wait_for_function("() => speechSynthesis.speaking && window.__spoken.filter(s => s.text).length >= 3",
                           timeout=20000)
    read.click()
    expect(read).to_have_text("继续朗读")
    expect(page.locator("[data-care-stop]")).to_be_visible()
    page.wait_for_function("() => !speechSynthesis.speaking", timeout=10000)
    log = page.evaluate("window.__spoken")
    assert log[-1] == {"cancel": True}
    last = [s["text"] for s in log if "text" in s][-1]
    page.wait_for_timeout(500)
    assert page.evaluate("window.__spoken.length") == len(log), "speech went on after 暂停"
    read.click()  # 继续: from the start of the sentence that was being read
    expect(read).to_have_text("暂停朗读")
    page.wait_for_function("() => speechSynthesis.speaking", timeout=20000)
    resumed = [s["text"] for s in page.evaluate("window.__spoken")[len(log):] if "text" in s]
    assert resumed[0] == last
    page.get_by_role("button", name="停止朗读").click()
    expect(read).to_have_text("朗读")
    expect(read).to_be_focused()
    expect(page.locator("[data-care-stop]")).to_be_hidden()
    page.wait_for_function("() => !speechSynthesis.speaking", timeout=10000)
    # Turning care mode off also stops reading.
    read.click()
    page.wait_for_function("() => speechSynthesis.speaking", timeout=20000)
    page.get_by_role("button", name="关怀模式").click()
    page.wait_for_function("() => !speechSynthesis.speaking", timeout=10000)
    context.close()
