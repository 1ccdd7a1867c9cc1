"""Officials print task, unit and report pages: content only, with the page's address and QR code."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.fixture
def page(reused_page):
    """Every test here only looks at pages and prints them: the module shares one tab (conftest)."""
    return reused_page


@pytest.fixture(scope="module")
def sheet_wide(browser):
    """A tab as wide as an A4 sheet's text, printing."""
    context = browser.new_context(viewport={"width": A4_CONTENT_PX, "height": 1100}, locale="zh-CN")
    page = context.new_page()
    page.emulate_media(media="print")
    yield page
    context.close()


@pytest.mark.parametrize("path", ["tasks/05/", "departments/quality-supervision/", "reports/2015-Q4/"])
def test_print_shows_qr_and_address_and_hides_navigation(page, site_url, path):
    page.goto(site_url + path)
    qr = page.locator(".print-address svg")
    expect(qr).to_be_hidden()  # on screen the QR code is not shown
    page.emulate_media(media="print")
    expect(qr).to_be_visible()
    expect(page.locator(".print-address")).to_contain_text(f"https://example.org/yangjiang-quality-plan/{path}")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()


def test_printed_evidence_links_show_their_address(page, site_url):
    page.goto(site_url + "tasks/04/")
    page.emulate_media(media="print")
    link = page.locator("article a[href^='https://example.org/yangjiang-sample/']").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://example.org/yangjiang-sample/" in after


def test_plan_text_prints_as_a_document(page, site_url):
    page.goto(site_url + "plan/")
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator("#task-31")).to_be_visible()
    assert page.locator("#task-05 a").first.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"


# ---- on A4 paper ---------------------------------------------------------------------------------

import re  # noqa: E402
import subprocess  # noqa: E402

from plansite import urls  # noqa: E402
from plansite.figures.progress import derive_progress  # noqa: E402
from plansite.model.load import load_plan  # noqa: E402
from plansite.wording import cn_date, period_label, status_label, task_heading  # noqa: E402
from conftest import ROOT  # noqa: E402

PLAN = load_plan(ROOT / "data")
PROGRESS = derive_progress(PLAN)
PRINTED = ["tasks/05/", "tasks/16/", "chapters/03/", "departments/quality-supervision/", f"indicators/{PLAN.indicators[0].id}/",
           "indicators/", "tasks/", "departments/", "reports/", "plan/"] + [f"reports/{p.period}/" for p in PLAN.periods]
WITH_QR = [p for p in PRINTED if p.count("/") == 2 and not p.startswith("chapters/")] + ["plan/"]  # the pages that cite
TASKS = [urls.page_url(urls.task_page(task)) for task in PLAN.tasks]
A4_CONTENT_PX = round((210 - 2 * 15) / 25.4 * 96)  # the sheet's width inside the running head's margins
TEXT_PX = 14  # the smallest text of a printed page: 10.5 pt (五号), 14 CSS px of 1/96 inch


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def running_head(path: str) -> tuple[str, str]:
    """The plan's name and the data's date (a report: its own; the plan's text: its issue date) that
    head each printed sheet."""
    latest = PLAN.periods[-1]
    if path == "plan/":  # the plan's text, as issued
        return f"《{PLAN.meta.title}》", f"{cn_date(PLAN.meta.issued)}印发"
    own = next((p for p in PLAN.periods if path == f"reports/{p.period}/"), None)
    return f"《{PLAN.meta.title}》", (f"{period_label(own.period)}进展报告（数据汇总于{cn_date(own.compiled)}）" if own
                                     else f"数据截至{period_label(latest.period)}（汇总于{cn_date(latest.compiled)}）")


def sheet_content(sheets: list[str], path: str) -> list[str]:
    """Each sheet's text without its running head and number n / total."""
    title, when = running_head(path)
    return [text.replace(title, "", 1).replace(when, "", 1).replace(f"{n}/{len(sheets)}", "", 1)
            for n, text in enumerate(sheets, 1)]


PRINTS: dict[str, list[str]] = {}  # url → its sheets: several tests read the same print


def printed_sheets(page, url: str, tmp_path, stay: bool = True) -> list[str]:
    """The page printed to A4 by Chromium, as a reader prints it: each sheet's text, in the order it was
    laid out (-raw: a line of mixed type sizes is not split by its glyphs' heights). A page printed
    before in this module is read from its first print (the `page` fixture gives every test the same
    browser settings); `stay`: the page is left open at `url` for the test to look at."""
    if url not in PRINTS:
        page.goto(url)
        out = tmp_path / "page.pdf"
        page.pdf(path=str(out), format="A4")
        # pdftotext ends each sheet with a form feed.
        text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
        PRINTS[url] = [re.sub(r"\s+", "", sheet) for sheet in text.split("\f")[:-1]]
    elif stay:
        page.goto(url)
    return PRINTS[url]


@pytest.mark.parametrize("path", PRINTED)
def test_every_printed_sheet_names_the_plan_and_its_datas_date(page, site_url, path, tmp_path):
    """A sheet that comes loose from the others still says what it is from and as of when: the
    plan's name and the data's date head every sheet (a report: its own), numbered n / total."""
    sheets = printed_sheets(page, site_url + path, tmp_path, stay=False)
    title, when = running_head(path)
    for n, text in enumerate(sheets, 1):
        assert title in text and when in text and f"{n}/{len(sheets)}" in text, f"{path} sheet {n}"


@pytest.mark.parametrize("task", PLAN.tasks, ids=TASKS)
def test_a_printed_task_fits_two_sheets_with_all_an_official_needs(page, site_url, task, tmp_path):
    """Every task prints on at most two A4 sheets, at the page's full text size (tested below), and
    the paper carries what the page says: heading, the task's text, its units and targets, every
    quarter's status, summary and reporting unit, the citation and the page's address."""
    path = urls.page_url(urls.task_page(task))
    sheets = printed_sheets(page, site_url + path, tmp_path)
    assert len(sheets) <= 2, f"{path}: {len(sheets)} sheets"
    paper = "".join(sheet_content(sheets, path))
    wanted = [task_heading(task), task.text, *task.lead, *task.partners, *task.joint,
              *(ind.name for ind in PLAN.indicators_of(task)), "引用格式",
              page.locator("link[rel=canonical]").get_attribute("href")]
    for state in PROGRESS:
        reported = state.tasks[task.id]
        wanted += [period_label(state.period), status_label(reported.status)]
        if reported.report:
            wanted += [reported.report.summary, reported.report.reporter]
    missing = [text for text in wanted if squashed(text) not in paper]
    assert missing == [], f"{path}: not on paper: {missing}"
    # Each quarter's history runs on in one paragraph, but the next quarter starts a line of its own,
    # also after a quarter with nothing reported.
    page.emulate_media(media="print")
    indents = page.evaluate("""() => [...document.querySelectorAll('article h3[id^="period-"]')].map(h =>
        h.getBoundingClientRect().left - h.closest('article').getBoundingClientRect().left)""")
    assert len(indents) == len(PROGRESS) and all(abs(x) < 1 for x in indents), f"{path}: {indents}"


@pytest.mark.parametrize("path", PRINTED)
def test_no_printed_sheet_is_left_nearly_empty(page, site_url, path, tmp_path):
    """No sheet carries only the pager (it stays off paper), only the QR code (it prints with the
    citation and the address) or only the citation: the last sheet carries some of the page's own
    content above it."""
    sheets = sheet_content(printed_sheets(page, site_url + path, tmp_path), path)
    page.emulate_media(media="print")
    pager = page.locator(".pager")
    if pager.count():
        assert not any(squashed(pager.text_content()) in sheet for sheet in sheets), f"{path}: the pager printed"
    last = sheets[-1]
    if page.locator(".print-address").count():
        cite, address = (squashed(page.locator(part).inner_text()) for part in (".cite-page", ".print-address"))
        assert cite in last and address in last, f"{path}: the citation and the address (with the QR code) part"
        last = last.replace(cite, "").replace(address, "")
    assert len(last) >= 10, f"{path}: the last sheet holds only {last!r} of the page's own content"


@pytest.mark.parametrize("path", PRINTED)
def test_printed_tables_are_whole_and_charts_never_split(sheet_wide, site_url, path):
    """At the sheet's width no table is cut at the right or hidden behind a scroll bar, and each
    chart's image is kept whole on one sheet with its caption."""
    page = sheet_wide
    page.goto(site_url + path)
    clipped = page.evaluate("""width => [...document.querySelectorAll('article table')].filter(t => {
        const box = t.getBoundingClientRect();
        let cut = box.right > width + 1;
        for (let e = t.parentElement; e && e.tagName !== 'ARTICLE'; e = e.parentElement) {
            const style = getComputedStyle(e);
            if (style.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1) cut = true;
        }
        return cut;
    }).map(t => t.innerText.slice(0, 40))""", A4_CONTENT_PX)
    assert clipped == [], f"{path}: tables cut in print: {clipped}"
    for figure in page.locator("article figure.chart").all():
        # The image is never split and never leaves its caption behind; image and caption fit a sheet.
        assert figure.locator("figcaption").evaluate("c => getComputedStyle(c).breakAfter") == "avoid", path
        assert figure.locator("img").evaluate("i => getComputedStyle(i).breakInside") == "avoid", path
        height_mm = figure.evaluate("f => f.querySelector('img').getBoundingClientRect().bottom"
                                    " - f.querySelector('figcaption').getBoundingClientRect().top") / 96 * 25.4
        assert height_mm <= 297 - 16 - 14, f"{path}: a chart and caption {height_mm:.0f} mm tall cannot stay on one sheet"


def test_the_running_head_keeps_data_as_text():
    """The plan's name goes into a CSS string: quotes, backslashes and line breaks cannot end it."""
    from plansite.pages.printing import css_string

    assert css_string('示例"</style>\\x\n末') == '"示例\\"\\3c /style>\\\\x 末"'


@pytest.mark.parametrize("path", PRINTED)
def test_printed_text_is_never_below_10_5_pt(page, site_url, path):
    """Paper is not shrunk to fit: every text of the printed content, tables, legends, badges and
    notes included, is at least 10.5 pt (五号); only the running head and links' written-out
    addresses are smaller."""
    page.emulate_media(media="print")
    page.goto(site_url + path)
    small = page.evaluate("""min => {
        const out = [], walk = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
        for (let node; (node = walk.nextNode());) {
            const e = node.parentElement;
            if (node.textContent.trim() && e.checkVisibility() && parseFloat(getComputedStyle(e).fontSize) < min)
                out.push(getComputedStyle(e).fontSize + ' ' + node.textContent.trim().slice(0, 20));
        }
        return out;
    }""", TEXT_PX)
    assert small == [], f"{path}: text below {TEXT_PX} px in print: {small[:5]}"


@pytest.mark.parametrize("path", WITH_QR)
def test_the_qr_code_stands_beside_the_citation(sheet_wide, site_url, path):
    """At the sheet's width the QR code sits at the right of the citation and the address, beside the
    citation rather than below it (no sheet of its own), within their block and the sheet, over none
    of their text, at least 2 cm wide to scan from paper."""
    page = sheet_wide
    page.goto(site_url + path)
    place = page.evaluate("""() => {
        const qr = document.querySelector('.print-address svg').getBoundingClientRect();
        const top = document.querySelector('.cite-page').getBoundingClientRect().top;
        const bottom = document.querySelector('.print-address').getBoundingClientRect().bottom;
        const texts = [];
        for (const block of document.querySelectorAll('.cite-page, .print-address')) {
            const walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
            for (let node; (node = walk.nextNode());) {
                const range = document.createRange();
                range.selectNodeContents(node);
                texts.push(...range.getClientRects());
            }
        }
        const over = texts.filter(r => r.width && r.left < qr.right && r.right > qr.left && r.top < qr.bottom && r.bottom > qr.top);
        const cited = [...document.querySelectorAll('.cite-page p')].filter(p => p.checkVisibility()).pop();
        return {inside: qr.top >= top && qr.bottom <= bottom && qr.left >= 0 && qr.right <= innerWidth,
                beside: qr.top < cited.getBoundingClientRect().bottom, over: over.length, width: qr.width};
    }""")
    assert place["inside"] and place["beside"] and place["over"] == 0, f"{path}: {place}"
    assert place["width"] >= 2 / 2.54 * 96, f"{path}: {place}"


@pytest.mark.parametrize("path", PRINTED)
def test_paper_gives_no_instruction_only_a_screen_can_follow(page, site_url, path, tmp_path):
    """A sheet of paper has no column heading to click."""
    for n, text in enumerate(printed_sheets(page, site_url + path, tmp_path, stay=False), 1):
        assert "点击" not in text, f"{path} sheet {n}"


def test_the_downloads_page_prints_every_chart_with_its_files(browser, site_url, tmp_path):
    """The tables of chart files are laid out on screen only after start-up, when the page is idle
    (extra.css, long-table): printed before that, every chart is on paper with its files and sizes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script("window.requestIdleCallback = () => 0;")  # a page that never idles
    url = site_url + "downloads/"
    page.goto(url)
    rows = page.locator(".long-table tbody tr")
    assert rows.last.evaluate("tr => !tr.checkVisibility({contentVisibilityAuto: true})"), "laid out on screen already"
    charts = rows.evaluate_all("""rows => rows.map(tr => [tr.cells[0].textContent,
        ...[...tr.cells[1].querySelectorAll('.nw')].map(file => file.textContent)])""")
    paper = "".join(sheet_content(printed_sheets(page, url, tmp_path), "downloads/"))
    context.close()
    assert len(charts) > 50 and all(len(chart) == 4 for chart in charts[:2]), charts[:2]
    missing = [text for chart in charts for text in chart if squashed(text) not in paper]
    assert missing == [], f"not on paper: {missing[:5]}"
