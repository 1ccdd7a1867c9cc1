"""Numbers, dates, badges and tables stay readable on a phone, at every 关怀模式 text size.

In Debian's Chromium against the site served by nginx, at 320 and 360 px, with normal text and at
each care step (125 %–200 %), over every page type: no number with its unit, date, status badge or
Chinese ordinal is split across lines (measured from the line boxes of the rendered text, found
by what it looks like, not by its markup), no badge is cut off, the page never scrolls sideways,
and no table squeezes a column to a character a line: a table that does not fit is shown as cards
(a card per row, each cell after its column's name), or, failing that, scrolls inside itself as a
region the keyboard can reach. Charts grow with the text where there is room.

Each text size and width is tried on every page type over the tests below (a third of the page
types each, all of them at 320 px with the largest text), to keep the run short.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import without_nw
from plansite import urls
from test_accessibility import page_types  # noqa: F401 (fixture)
from test_care_mode import new_context, settle, turn_on

# What must stay on one line, as a reader sees it (independent of how the site marks it up): a date
# or its parts, a number with its unit or measure word (a Chinese character right after it), a
# number alone, and a Chinese ordinal.
RUNS = "|".join([
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?", r"\d{1,2}月\d{1,2}日", r"\d{4}-\d{2}-\d{2}",
    r"[（(][〇一二三四五六七八九十百]{2,}[）)]", r"[一二三四五六七八九十]{2,}、", r"第[〇一二三四五六七八九十百]+(?:季度)?",
    r"\d+(?:[.,]\d+)*(?:×\d+)?(?: ?(?:个百分点|百分点|字节|像素|KB|MB|%|‰|[\u4e00-\u9fff]))?",
])

CHECK = r"""(RUNS) => {
  const run = new RegExp(RUNS, 'gu');
  const vw = document.documentElement.clientWidth;
  // Line boxes, by their vertical middle: a text on one line has one.
  const lines = rects => {
    const middles = [];
    for (const r of rects) {
      if (r.width < 0.5 || r.height < 0.5) continue;
      const m = (r.top + r.bottom) / 2;
      if (!middles.some(x => Math.abs(x - m) < r.height / 2)) middles.push(m);
    }
    return middles.length;
  };
  const skip = '.md-header__title, .md-search, .md-sidebar, .md-skip, .md-tooltip, .md-top, script, style';
  // The visible text of the page, block by block (a run never spans two blocks).
  const segments = [];
  let segment = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const blockOf = el => { while (el.parentElement && getComputedStyle(el).display === 'inline') el = el.parentElement; return el; };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.data.trim() || el.closest(skip)) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const block = blockOf(el);
    if (!segment || segment.block !== block) segments.push(segment = {block, nodes: [], text: ''});
    segment.nodes.push({node, at: segment.text.length});
    segment.text += node.data;
  }
  const rectsOf = (seg, start, end) => {
    const out = [];
    for (const {node, at} of seg.nodes) {
      const a = Math.max(start, at), b = Math.min(end, at + node.data.length);
      if (a >= b) continue;
      const range = document.createRange();
      range.setStart(node, a - at);
      range.setEnd(node, b - at);
      out.push(...range.getClientRects());
    }
    return out;
  };
  const split = [], runs = [];
  for (const seg of segments) {
    for (const m of seg.text.matchAll(run)) {
      if (m[0].length < 2) continue;
      runs.push(m[0]);
      if (lines(rectsOf(seg, m.index, m.index + m[0].length)) > 1) split.push(`${m[0]} (in ${seg.text.trim().slice(0, 30)})`);
    }
  }
  // Badges: on one line, not cut off, on screen (or in a region that scrolls).
  const badges = [];
  for (const badge of document.querySelectorAll('.badge')) {
    if (!badge.checkVisibility({visibilityProperty: true}) || badge.closest(skip)) continue;
    const range = document.createRange();
    range.selectNodeContents(badge);
    if (lines(range.getClientRects()) > 1) badges.push('split: ' + badge.textContent);
    const box = badge.getBoundingClientRect();
    let scrolls = false;
    for (let a = badge.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll'].includes(s.overflowX)) { scrolls = true; break; }
      const c = a.getBoundingClientRect();
      if (['hidden', 'clip'].includes(s.overflowX) && (box.right > c.right + 0.5 || box.left < c.left - 0.5)) badges.push('cut off: ' + badge.textContent);
    }
    if (!scrolls && (box.left < -0.5 || box.right > vw + 0.5)) badges.push('off screen: ' + badge.textContent);
    if (box.width < 1) badges.push('empty: ' + badge.textContent);
  }
  // Tables: none squeezes a cell's words to a character or so a line; one that scrolls sideways
  // can be scrolled from the keyboard.
  const tables = [];
  for (const table of document.querySelectorAll('.md-content table')) {
    if (!table.checkVisibility()) continue;
    const what = (table.querySelector('th, td') || table).textContent.trim().slice(0, 12);
    // (A table shown as cards keeps its heading row for screen readers only, in a 1 px box.)
    for (const cell of table.querySelectorAll(table.matches('[data-cards]') ? 'tbody th, tbody td' : 'th, td')) {
      const length = cell.textContent.replace(/\s+/g, '').length;
      const range = document.createRange();
      range.selectNodeContents(cell);
      const n = lines(range.getClientRects());
      if (length >= 3 && n > 1 && length / n < 1.5) { tables.push(`${what}: squeezed “${cell.textContent.trim().slice(0, 12)}” over ${n} lines`); break; }
    }
    const wrap = table.closest('.md-typeset__scrollwrap');
    if (wrap && wrap.scrollWidth > wrap.clientWidth + 1) {
      const reachable = wrap.matches('[tabindex="0"][role="region"][aria-label]') || wrap.querySelector('a[href], button');
      if (!reachable) tables.push(`${what}: scrolls sideways, but not by keyboard`);
    }
  }
  return {runs: runs.length, split: split.slice(0, 10), badges: badges.slice(0, 10), tables: tables.slice(0, 10),
          width: vw, pageScrolls: document.documentElement.scrollWidth > vw,
          cards: document.querySelectorAll('table[data-cards]').length};
}"""


def check(page) -> dict:
    settle(page)
    return page.evaluate(CHECK, RUNS)


def open_at(browser, site_url, width: int, step: int | None):
    """A phone of `width` px, with care mode at `step` (1–4) or off (None)."""
    context, page = new_context(browser, width=width, height=740, is_mobile=True, has_touch=True, device_scale_factor=2)
    if step is None:
        page.goto(site_url)
    else:
        turn_on(page, site_url, size=step)
    return context, page


def problems(found: dict) -> list[str]:
    return (found["split"] + found["badges"] + found["tables"]
            + (["the page scrolls sideways"] if found["pageScrolls"] else []))


# (care step or None for normal text, width): each tries a third of the page types; all at the end.
SETTINGS = [(None, 360), (None, 320), (1, 320), (1, 360), (2, 320), (2, 360), (3, 320), (3, 360), (4, 360)]


@pytest.mark.parametrize("step, width", SETTINGS + [(4, 320)],
                         ids=[f"{'normal' if s is None else f'care{s}'}-{w}px" for s, w in SETTINGS + [(4, 320)]])
def test_no_number_date_badge_or_ordinal_breaks_and_no_table_is_squeezed(browser, site_url, page_types, step, width):
    share = page_types if (step, width) == (4, 320) else page_types[SETTINGS.index((step, width)) % 3::3]
    context, page = open_at(browser, site_url, width, step)
    failures, runs = {}, 0
    for path in share:
        page.goto(site_url + path)
        if step is not None:
            expect(page.locator("html")).to_have_attribute("data-care-size", str(step))
        found = check(page)
        assert found["width"] == width
        runs += found["runs"]
        if problems(found):
            failures[path or "home"] = problems(found)
    context.close()
    assert runs > 20 * len(share), "the check found almost no numbers or dates to measure"
    assert failures == {}, "\n".join(f"{path}: {found}" for path, found in failures.items())


def test_the_check_finds_a_split_date_a_cut_badge_and_a_squeezed_table(browser, site_url):
    """The same check, on text made to break: a date and an ordinal wrapped a character a line, a
    badge pushed out of a box that clips, a table squeezed into a narrow box."""
    context, page = open_at(browser, site_url, 320, None)
    page.goto(site_url + "reports/2015-Q4/")
    page.evaluate("""() => {
      const a = document.querySelector('article');
      a.insertAdjacentHTML('beforeend', '<p id="t1">2015年12月31日（十三）</p>'
        + '<div id="t2"><span class="badge">✔ 已完成</span></div>');
      Object.assign(document.getElementById('t1').style, {width: '1.2em', overflowWrap: 'anywhere'});
      Object.assign(document.getElementById('t2').style, {width: '2em', overflow: 'hidden'});
      const table = document.querySelector('.md-content table');
      table.closest('.md-typeset__scrollwrap').style.width = '5em';
      table.removeAttribute('data-cards');
    }""")
    found = page.evaluate(CHECK, RUNS)
    context.close()
    assert any(s.startswith("2015年12月31日") for s in found["split"]), found
    assert any(s.startswith("(十三)") or s.startswith("（十三）") for s in found["split"]), found
    assert any(b.startswith("cut off") for b in found["badges"]), found
    assert any("squeezed" in t for t in found["tables"]), found


def test_tables_on_a_desktop_stay_tables(browser, site_url, page_types):
    """Cards are for screens too narrow for the columns: at 1280 px with normal text no table is one."""
    context, page = new_context(browser)
    turned = {}
    for path in page_types:
        page.goto(site_url + path)
        settle(page)
        n = page.evaluate("document.querySelectorAll('table[data-cards]').length")
        if n:
            turned[path] = n
    context.close()
    assert turned == {}


def test_no_break_marks_only_text_a_reader_sees(built_site):
    """The no-break spans (plansite/pages/nobreak.py) wrap text only: never in <head> (the page's
    <title>), a script, a style, code, an SVG or an attribute, and never in the search index."""
    pages = sorted(built_site.rglob("*.html"))
    marked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        marked += html.count('<span class="nw">')
        for element in re.findall(r"<(head|script|style|code|pre|svg)\b.*?</\1>", html, re.S):
            assert '<span class="nw">' not in element, (page, element[:80])
        # Inside a tag (an attribute's value) the mark would be text, not markup.
        assert not re.search(r'<[^>]*<span class="nw">', html), page
        # Each span holds its run's text (a download's link and size at most), never a block.
        for inner in re.findall(r'<span class="nw">(.*?)</span>', html, re.S):
            assert re.fullmatch(r'[^<>]+|<a href="[^"]+" download>[A-Z]+</a>（[^<>]+）', inner), (page, inner)
    assert marked > 20 * len(pages)
    index = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert 'class="nw"' not in index and 'class=\\"nw\\"' not in index and "&lt;span" not in index


# ---- the pages the issue named, at 360 px with normal text -----------------------------------

CARDS = """() => [...document.querySelectorAll('.md-content table[data-cards]')].map(table => {
  const heads = [...table.tHead.rows[0].cells].map(th => th.textContent.trim());
  return [...table.tBodies[0].rows].map(row => [...row.cells].filter(c => c.checkVisibility()).map(c => {
    const label = getComputedStyle(c, '::before').content;
    return {index: c.cellIndex, head: heads[c.cellIndex], label, text: c.innerText.trim(),
            role: c.getAttribute('role'), right: c.getBoundingClientRect().right};
  }));
})"""


def test_the_reports_list_on_a_phone_is_a_card_per_report_with_each_figure_named(browser, site_url):
    context, page = open_at(browser, site_url, 360, None)
    page.goto(site_url + "reports/")
    settle(page)
    cards = page.evaluate(CARDS)
    context.close()
    assert len(cards) == 1
    reports = cards[0]
    assert len(reports) >= 5
    for cells in reports:
        assert re.fullmatch(r"\d{4}年第[一二三四]季度", cells[0]["text"]) and cells[0]["label"] == "none"
        for cell in cells[1:]:
            # "汇总日期：" before the date, "已完成：" before its count: the column's name, read by sight
            # only (a screen reader has the column header).
            assert cell["label"].startswith(f'"{cell["head"]}："'), cell
            assert cell["role"] == "cell" and cell["right"] <= 360
        assert [c["head"] for c in cells][-1] == "数据性质" and cells[-1]["text"] in ("示例数据", "报送数据")


def test_the_downloads_page_on_a_phone_shows_every_charts_files_on_screen(browser, site_url):
    context, page = open_at(browser, site_url, 360, None)
    page.goto(site_url + "downloads/")
    # Every table of chart files as a reader sees it: laid out (a11y.js, once the page is idle).
    page.wait_for_function("() => !document.querySelector('.long-table:not([data-near])')")
    settle(page)
    found = page.evaluate("""() => {
      const rows = [...document.querySelectorAll('.long-table tbody tr')];
      const line = parseFloat(getComputedStyle(rows[0].cells[1]).lineHeight);
      return {rows: rows.length, tallest: Math.max(...rows.map(r => r.getBoundingClientRect().height)) / line,
              links: [...document.querySelectorAll('.long-table a[download]')].map(a => { const r = a.getBoundingClientRect();
                return {text: a.textContent, left: r.left, right: r.right}; }),
              height: document.documentElement.scrollHeight};
    }""")
    context.close()
    assert found["rows"] > 50
    # PNG, SVG and CSV of each chart, all within the screen: nothing to scroll sideways for.
    assert {link["text"] for link in found["links"]} == {"PNG", "SVG", "CSV"}
    assert [link for link in found["links"] if link["left"] < 0 or link["right"] > 360] == []
    # A chart's row is its name and its three files: a few lines, not a column of words a
    # character wide (the page was 27,000 px tall).
    assert found["tallest"] <= 6, found["tallest"]


def test_a_relative_targets_reasons_are_never_in_the_value_column(built_site):
    """On every target's page, the table of its values holds a figure or "—" under 数值; a reporter's
    reasons for a relative target go with its assessment."""
    reasons = 0
    for page in sorted((built_site / "indicators").glob("*/index.html")):
        html = without_nw(page.read_text(encoding="utf-8"))
        table = re.search(r'<figure class="chart".*?</figure>|<div class="chart chart-no-image".*?</table>', html, re.S)
        assert table, page
        head = re.findall(r'<th scope="col">(.*?)</th>', table.group())
        assert head[2] == "数值" and head[4] == "评估", page
        for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", table.group(), re.S):
            cells = re.findall(r"<td>(.*?)</td>", row, re.S)
            # A value ("63%"), none ("—"), or the target row's "不高于 0起（杜绝）" with the plan's own words.
            assert re.fullmatch(r"—|(?:每年)?(?:不低于|高于|不高于|低于|等于|达到)?[\d.]+[^\s（，]{0,3}(?:（[^）]*）)?|杜绝，即\d+\S{0,3}", cells[1]), (page, cells[1])
            reasons += "报送单位理由：" in cells[3]
    assert reasons >= 4  # the sample data's judged relative targets


def test_charts_grow_with_care_mode_where_there_is_room(browser, site_url):
    """At 1280 px a chart is drawn larger at each care step, its text with it (26rem times the step),
    until it fills the column; on a phone it fills the column either way."""
    measure = """() => ({img: document.querySelector('figure.chart img').getBoundingClientRect().width,
                         column: document.querySelector('figure.chart').clientWidth,
                         rem: parseFloat(getComputedStyle(document.documentElement).fontSize)})"""
    sizes = []
    for step, scale in ((None, 1), (1, 1.25), (2, 1.5), (3, 1.75), (4, 2)):
        context, page = new_context(browser)
        if step is not None:
            turn_on(page, site_url, size=step)
        page.goto(site_url + "indicators/patent-implementation-rate/")
        found = page.evaluate(measure)
        sizes.append(found["img"])
        assert found["img"] == pytest.approx(min(found["column"], 26 * found["rem"] * scale), abs=1), (step, found)
        context.close()
    assert sizes[1] > sizes[0], sizes



# ---- The downloads page's chart files: laid out after start-up ------------------------------------
# The tables of every chart's files (class long-table) are not laid out during start-up (extra.css,
# content-visibility: auto): at Lighthouse's phone size laying them out while Material started cost
# the page its total blocking time. a11y.js then lays them out (data-near) a table at a time once the
# page is idle, or at once a screen before one shows. What a reader can do with them must not change.

PHONE = {"width": 412, "height": 823}  # Lighthouse's phone
CHART_ROWS = ".long-table tbody tr"
NEVER_IDLE = "window.requestIdleCallback = () => 0;"  # a page that never idles: only nearing lays out
# What start-up left unlaid (at DOMContentLoaded, when Material starts), each table's lifting (one
# per task: a mutation batch each), and every layout shift.
WATCH = """
window.watched = {lifts: [], shifts: []};
document.addEventListener('DOMContentLoaded', () => {
  watched.rowsAtStart = document.querySelectorAll('.long-table tr').length;
  watched.laidOutAtStart = [...document.querySelectorAll('.long-table tr')].filter(tr => tr.checkVisibility({contentVisibilityAuto: true})).length;
  new MutationObserver(batch => watched.lifts.push(batch.filter(m => m.attributeName === 'data-near').length))
    .observe(document.querySelector('article'), {attributes: true, subtree: true, attributeFilter: ['data-near']});
});
new PerformanceObserver(l => watched.shifts.push(...l.getEntries().map(e => e.value))).observe({type: 'layout-shift', buffered: true});
"""
ALL_LAID_OUT = "() => !document.querySelector('.long-table:not([data-near])')"


def open_downloads(browser, site_url, *scripts: str, cdp: bool = False, path: str = "downloads/"):
    context, page = new_context(browser, **PHONE, is_mobile=True, has_touch=True, device_scale_factor=1.75)
    for script in scripts:
        page.add_init_script(script)
    session = context.new_cdp_session(page) if cdp else None
    if session:
        session.send("Accessibility.enable")  # a screen reader running before the page opens
    page.goto(site_url + path)
    settle(page)
    return context, page, session


def test_the_chart_files_are_laid_out_after_start_up_a_table_at_a_time(browser, site_url, built_site):
    # The rule is in the one stylesheet the build made (css_prune keeps the site's own CSS whole).
    stylesheet = (built_site / urls.SITE_STYLESHEET).read_text(encoding="utf-8")
    assert re.search(r"@media screen\{html:not\(\.care\) \.md-typeset \.long-table:not\(\[data-near\]\)\{"
                     r"content-visibility: ?auto;", stylesheet)
    context, page, _ = open_downloads(browser, site_url, WATCH)
    page.wait_for_function(ALL_LAID_OUT)
    settle(page)
    found = page.evaluate("""() => ({...watched,
      tables: [...document.querySelectorAll('.long-table table')].map(t => t.tBodies[0].rows.length),
      cards: document.querySelectorAll('.long-table table[data-cards]').length,
      style: getComputedStyle(document.querySelector('.long-table')).contentVisibility})""")
    context.close()
    assert found["rowsAtStart"] > 50 and found["laidOutAtStart"] == 0, found
    # A table each task (small steps: none of the tables is more than half of the charts).
    assert len(found["tables"]) >= 4 and max(found["tables"]) <= sum(found["tables"]) / 2, found["tables"]
    assert found["lifts"] == [1] * len(found["tables"]), found["lifts"]
    assert found["style"] == "visible" and found["cards"] == 0 and found["shifts"] == [], found


def test_on_a_page_that_never_idles_a_chart_table_is_laid_out_before_it_shows(browser, site_url):
    context, page, _ = open_downloads(browser, site_url, NEVER_IDLE)
    assert page.locator(CHART_ROWS).last.evaluate("tr => !tr.checkVisibility({contentVisibilityAuto: true})")
    # Scrolled to the end a quick flick at a time (150 px a frame): in every frame a table shows in,
    # it is laid out already, and nothing on screen moves.
    found = page.evaluate("""() => new Promise(done => {
      const shifts = [], early = [], tables = [...document.querySelectorAll('.long-table')];
      new PerformanceObserver(l => shifts.push(...l.getEntries().map(e => e.value))).observe({type: 'layout-shift'});
      const step = () => {
        for (const long of tables) {
          const box = long.getBoundingClientRect();
          if (box.bottom > 0 && box.top < innerHeight && !long.querySelector('tr').checkVisibility({contentVisibilityAuto: true}))
            early.push(Math.round(scrollY));
        }
        if (scrollY + innerHeight >= document.documentElement.scrollHeight - 1)
          return requestAnimationFrame(() => done({shifts, early, unlaid: document.querySelectorAll('.long-table:not([data-near])').length}));
        scrollBy(0, 150);
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    })""")
    context.close()
    assert found == {"shifts": [], "early": [], "unlaid": 0}, found


def test_find_in_page_and_anchors_reach_chart_files_not_yet_laid_out(browser, site_url):
    context, page, _ = open_downloads(browser, site_url, NEVER_IDLE)
    rows = page.locator(CHART_ROWS)
    last = rows.last.locator("th").text_content()
    assert rows.last.evaluate("tr => !tr.checkVisibility({contentVisibilityAuto: true})")
    # The browser's find in page (window.find runs it from a script) finds the row and shows it.
    found = page.evaluate("""name => {
      const ok = window.find(name);
      const box = getSelection().getRangeAt(0).getBoundingClientRect();
      return {ok, inTable: !!getSelection().anchorNode.parentElement.closest('.long-table'),
              shown: box.height > 0 && box.top >= 0 && box.bottom <= innerHeight};
    }""", last)
    assert found == {"ok": True, "inTable": True, "shown": True}, found
    context.close()
    # Headings after the tables are reached by their addresses, at their place below the header
    # (scroll-margin-top), whether the tables above are laid out yet or not, and stay there once they are.
    place = "h => h.getBoundingClientRect().top - parseFloat(getComputedStyle(h).scrollMarginTop)"
    for scripts in ([NEVER_IDLE], []):
        for anchor in ("charts-reports", "indicators-csv"):  # after three tables; after all of them
            context, page, _ = open_downloads(browser, site_url, *scripts, path=f"downloads/#{anchor}")
            assert page.locator(f"#{anchor}").evaluate(place) == pytest.approx(0, abs=1), (anchor, scripts)
            if not scripts:
                page.wait_for_function(ALL_LAID_OUT)
                settle(page)
                assert page.locator(f"#{anchor}").evaluate(place) == pytest.approx(0, abs=1), anchor
            context.close()


def test_a_screen_reader_gets_every_chart_row_once_the_page_is_idle(browser, site_url):
    """Chromium gives assistive technology no row of a table it never laid out: hence a11y.js lays
    every table out once the page is idle, without waiting for the reader to scroll."""
    context, page, cdp = open_downloads(browser, site_url, cdp=True)
    page.wait_for_function(ALL_LAID_OUT)
    settle(page)
    names = [name.strip() for name in page.locator(CHART_ROWS + " th").all_text_contents()]
    heard = [(n["role"]["value"], n.get("name", {}).get("value", "").strip())
             for n in cdp.send("Accessibility.getFullAXTree")["nodes"] if not n.get("ignored") and "role" in n]
    context.close()
    assert len(names) > 50
    assert [name for role, name in heard if role == "rowheader"] == names
    assert sum(role == "link" and name in ("PNG", "SVG", "CSV") for role, name in heard) >= 2 * len(names)


def test_in_care_mode_the_chart_files_are_laid_out_from_the_start(browser, site_url):
    """朗读 reads the article's text as laid out (innerText): in care mode no table waits."""
    context, page = new_context(browser, **PHONE, is_mobile=True, has_touch=True)
    page.add_init_script(NEVER_IDLE)
    turn_on(page, site_url + "downloads/", size=2)
    page.reload()
    settle(page)
    assert page.locator(".long-table").first.evaluate("el => getComputedStyle(el).contentVisibility") == "visible"
    names = page.locator(CHART_ROWS + " th").all_text_contents()
    read = page.locator("article").evaluate("a => a.innerText")
    context.close()
    assert len(names) > 50 and [name for name in names if name.strip() not in read] == []
