"""Officials print task, unit and report pages: content only, with the page's address and QR code."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


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

from plansite.model.load import load_plan  # noqa: E402
from plansite.wording import cn_date, period_label  # noqa: E402
from conftest import ROOT  # noqa: E402

PLAN = load_plan(ROOT / "data")
PRINTED = ["tasks/05/", "tasks/16/", "chapters/03/", "departments/quality-supervision/", f"indicators/{PLAN.indicators[0].id}/",
           "indicators/", "tasks/", "reports/"] + [f"reports/{p.period}/" for p in PLAN.periods]
A4_CONTENT_PX = round((210 - 2 * 15) / 25.4 * 96)  # the sheet's width inside the running head's margins


def printed_sheets(page, url: str, tmp_path) -> list[str]:
    """The page printed to A4 by Chromium, as a reader prints it: each sheet's text."""
    page.goto(url)
    out = tmp_path / "page.pdf"
    page.pdf(path=str(out), format="A4")
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout)[1])
    return [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(out), "-"],
                                                capture_output=True, text=True).stdout) for n in range(1, count + 1)]


@pytest.mark.parametrize("path", PRINTED)
def test_every_printed_sheet_names_the_plan_and_its_datas_date(page, site_url, path, tmp_path):
    """A sheet that comes loose from the others still says what it is from and as of when: the
    plan's name and the data's date head every sheet (a report: its own date), numbered n / total."""
    sheets = printed_sheets(page, site_url + path, tmp_path)
    latest = PLAN.periods[-1]
    own = next((p for p in PLAN.periods if path == f"reports/{p.period}/"), None)
    when = (f"{period_label(own.period)}进展报告（数据汇总于{cn_date(own.compiled)}）" if own
            else f"数据截至{period_label(latest.period)}（汇总于{cn_date(latest.compiled)}）")
    for n, text in enumerate(sheets, 1):
        assert f"《{PLAN.meta.title}》" in text and when in text and f"{n}/{len(sheets)}" in text, f"{path} sheet {n}"
    if path.startswith("tasks/") and path != "tasks/":
        assert len(sheets) <= 3, f"{path}: {len(sheets)} sheets"


@pytest.mark.parametrize("path", PRINTED)
def test_printed_tables_are_whole_and_charts_never_split(browser, site_url, path):
    """At the sheet's width no table is cut at the right or hidden behind a scroll bar, and each
    chart's image is kept whole on one sheet with its caption."""
    context = browser.new_context(viewport={"width": A4_CONTENT_PX, "height": 1100}, locale="zh-CN")
    page = context.new_page()
    page.emulate_media(media="print")
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
    context.close()


def test_the_running_head_keeps_data_as_text():
    """The plan's name goes into a CSS string: quotes, backslashes and line breaks cannot end it."""
    from plansite.pages.printing import css_string

    assert css_string('示例"</style>\\x\n末') == '"示例\\"\\3c /style>\\\\x 末"'
