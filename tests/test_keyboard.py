"""Keyboard only: a reader who cannot use a mouse walks the site with Tab, Shift+Tab and Enter.

The walk goes home → a chapter → one of its tasks → the task's lead unit → 量化目标 → one of the
task's targets → the quarterly report its assessment comes from, and it searches: Tab to the search
box, type, Tab to the answering result, Enter; and it goes back with Shift+Tab (to the menu, and from
the top of a page to the footer's 网站地图). At every focus stop the focused element must show a
focus indicator (a computed outline or box-shadow), be on screen, and not be covered by anything
(the fixed header). The pages to reach are taken from the plan's data, not written in here.

Enter on a focused link: the issue reports that in headless Chromium under Playwright, Enter on a
focused link did not navigate even on a bare page. Here (Debian's Chromium, Playwright's
keyboard.press, which sends the key through the DevTools protocol as the browser's own input
events) it does: test_enter_on_a_focused_link_follows_it shows it on a bare page, and the walk
relies on it. What "did not navigate" most likely was: reading page.url right after press(), before
the navigation Enter starts has committed. The walk therefore checks, before each Enter, that the
focused element is the expected link, and after it waits for the new address (wait_for_url).
Nothing is clicked and no element's click() is called: a page reached here was reached by Enter.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import ROOT, serve
from plansite.urls import chapter_page, department_page, indicator_page, page_url, task_page
from plansite.urls import period_page
from plansite.model.load import load_plan

PLAN = load_plan(ROOT / "data")
# The longest way through a page to a link (the home page's chapter list is past a chart's table).
MAX_STOPS = 250

FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  // Let transitions reach the state a reader sees a moment later (Material fades the skip link in
  // and the search overlay out over 0.25 s).
  document.getAnimations().forEach(a => { try { a.finish(); } catch (err) { /* an endless one */ } });
  const sized = el => el && [...el.getClientRects()].some(r => r.width > 0 && r.height > 0);
  // A visually hidden radio (the palette switch) shows its focus on the label that follows it.
  const label = e.nextElementSibling && e.nextElementSibling.tagName === 'LABEL' ? e.nextElementSibling : null;
  const shown = sized(e) ? e : (sized(label) ? label : null);
  const what = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')} ${e.getAttribute('href') || ''}`.trim();
  // One number per element, to notice the focus going round the page.
  const ids = window.__focusIds || (window.__focusIds = new WeakMap());
  if (!ids.has(e)) ids.set(e, window.__focusCount = (window.__focusCount || 0) + 1);
  const key = ids.get(e);
  if (!shown) return {what, key, href: e.href || null, shown: false};
  const s = getComputedStyle(shown);
  const rect = [...shown.getClientRects()].find(r => r.width > 0 && r.height > 0);
  const onScreen = rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth;
  // What a reader sees at the middle of the element: the element itself, not the header over it.
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return {
    what, key, href: e.href || null, shown: true, inArticle: !!e.closest('article'),
    visible: s.visibility !== 'hidden' && parseFloat(s.opacity) > 0,
    onScreen,
    uncovered: !!top && (shown.contains(top) || top.contains(shown)),
    cover: top && !shown.contains(top) ? `${top.tagName.toLowerCase()}.${[...top.classList].join('.')}` : null,
    indicator: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none',
  };
}"""


url_of = page_url  # where MkDocs publishes a page: about.md → about/, x/index.md → x/


def check_stop(page, stop: dict | None, trail: list[str]) -> None:
    """The focused element shows where the focus is."""
    assert stop is not None, f"the end of {page.url} reached (focus on body) after {trail[-5:]}"
    assert stop["shown"], f"focus on an element of no size: {stop['what']}"
    problems = [name for name in ("visible", "onScreen", "uncovered", "indicator") if not stop[name]]
    assert not problems, f"focus on {stop['what']} ({page.url}) is not seen: {problems}, covered by {stop['cover']}"


def move_to(page, key: str, href: str, first: dict | None = None) -> list[str]:
    """Press `key` (Tab or Shift+Tab) until the link to `href` has the focus; every stop on the way
    is checked. `first`: the stop the focus is on already. Returns the stops passed."""
    trail: list[str] = []
    seen: set[int] = set()
    for _ in range(MAX_STOPS):
        if first is None:
            page.keyboard.press(key)
            stop = page.evaluate(FOCUS)
        else:
            stop, first = first, None
        check_stop(page, stop, trail)
        trail.append(stop["what"])
        if stop["href"] == href:
            return trail
        assert stop["key"] not in seen, f"focus went round the page without reaching {href}: {trail[-20:]}"
        seen.add(stop["key"])
    raise AssertionError(f"{href} not reached in {MAX_STOPS} presses of {key} on {page.url}")


def skip_to_content(page) -> dict:
    """The first Tab reaches the skip link, visibly; after Enter the next Tab lands in the page's
    content. Returns that stop."""
    page.keyboard.press("Tab")
    stop = page.evaluate(FOCUS)
    check_stop(page, stop, [])
    assert "md-skip" in stop["what"], f"the first Tab stop is {stop['what']}, not the skip link"
    target = stop["href"]
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    page.keyboard.press("Tab")
    stop = page.evaluate(FOCUS)
    check_stop(page, stop, ["skip link"])
    assert stop["inArticle"], f"after the skip link, Tab went to {stop['what']}, not into the content"
    return stop


def follow(page, key: str, site: str, path: str, skip: bool = True) -> None:
    """From the top of the current page, by keyboard, to the link to `path`, and Enter."""
    move_to(page, key, site + path, first=skip_to_content(page) if skip else None)
    page.keyboard.press("Enter")
    page.wait_for_url(site + path)
    expect(page.locator("h1")).to_be_visible()


def walk_targets() -> list[tuple[str, str]]:
    """(how, path) of each page of the walk, taken from the data: the first task with a target."""
    task = next(t for t in PLAN.tasks if t.lead and any(i.task == t.id for i in PLAN.indicators))
    indicator = next(i for i in PLAN.indicators if i.task == task.id)
    return [
        ("Tab", url_of(chapter_page(PLAN.chapter(task.chapter)))),
        ("Tab", url_of(task_page(task))),
        ("Tab", url_of(department_page(PLAN.department_named(task.lead[0])))),
        ("menu", "indicators/"),  # from the unit page's menu
        ("Tab", url_of(indicator_page(indicator))),
        ("Tab", url_of(period_page(PLAN.periods[-1].period))),
    ]


@pytest.fixture
def keyboard_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def test_enter_on_a_focused_link_follows_it(keyboard_page, tmp_path):
    """A bare page: Tab focuses the link, Enter follows it (Playwright's keyboard, headless Chromium)."""
    (tmp_path / "a.html").write_text('<!doctype html><title>a</title><a href="b.html">b</a>', encoding="utf-8")
    (tmp_path / "b.html").write_text("<!doctype html><title>b</title><p>b", encoding="utf-8")
    with serve(tmp_path) as site:
        keyboard_page.goto(site + "a.html")
        keyboard_page.keyboard.press("Tab")
        expect(keyboard_page.locator("a")).to_be_focused()
        keyboard_page.keyboard.press("Enter")
        keyboard_page.wait_for_url(site + "b.html")


def test_the_walk_home_chapter_task_unit_indicator_report_by_keyboard(keyboard_page, site_url):
    page = keyboard_page
    page.goto(site_url)
    for how, path in walk_targets():
        if how == "menu":  # the menu comes before the content: no skip link
            follow(page, "Tab", site_url, path, skip=False)
        else:
            follow(page, "Tab", site_url, path)
    assert re.search(r"/reports/\d{4}-Q[1-4]/$", page.url)


def test_shift_tab_walks_back_to_the_menu_with_the_focus_seen(keyboard_page, site_url):
    """Backwards from the page's content to the menu: every stop on the way shows its focus, and
    nothing is covered by the fixed header as the page scrolls up."""
    page = keyboard_page
    page.goto(site_url + url_of(task_page(PLAN.tasks[4])))
    first = skip_to_content(page)
    # Deep into the content first (the task's last link), then back up to the menu's 季度报告.
    last = page.evaluate("() => [...document.querySelectorAll('article a[href]')].pop().href")
    move_to(page, "Tab", last, first)
    move_to(page, "Shift+Tab", site_url + "reports/")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "reports/")


def test_search_by_keyboard(keyboard_page, site_url):
    """Tab to the search box, type, Tab to the result that answers, Enter."""
    page = keyboard_page
    page.goto(site_url)
    trail = []
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('input.md-search__input')"):
            break
        stop = page.evaluate(FOCUS)
        check_stop(page, stop, trail)
        trail.append(stop["what"])
    else:
        raise AssertionError(f"the search box is not reached by Tab: {trail}")
    page.keyboard.type("加油站")
    # Playwright types Han characters without key events (an input method gives them); Material
    # searches on keyup. Without one the query ran only if the index was still loading when typing
    # ended, so the test failed whenever the index was in first (always, 0.4 s after the focus).
    page.keyboard.press("End")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=15000)
    box = page.evaluate(FOCUS)
    check_stop(page, box, trail)  # the search box itself shows that it has the focus
    move_to(page, "Tab", site_url + "tasks/11/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(site_url + "tasks/11/") + r"(\?.*)?(#.*)?$"))
    expect(page.locator("h1")).to_contain_text("（十一）")


def test_the_site_map_in_the_footer_by_shift_tab(keyboard_page, site_url):
    """From the top of a page, Shift+Tab goes backwards from the end: the footer's 网站地图 link,
    then on the 网站地图 page forwards to a task."""
    page = keyboard_page
    page.goto(site_url + url_of(chapter_page(PLAN.chapters[0])))
    move_to(page, "Shift+Tab", site_url + "sitemap/")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "sitemap/")
    follow(page, "Tab", site_url, url_of(task_page(PLAN.tasks[-1])))

