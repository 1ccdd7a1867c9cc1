"""Pages explain themselves: every status and assessment badge has its meaning on the page where
it appears (a legend beside the list, or a gloss beside a badge shown alone), 完成比 R is put in
plain words, and 牵头, 会同 and 共同负责 are glossed where units are listed. Checked in Chromium,
as text a reader (and a screen reader) gets: visible, and not hidden from assistive technology."""
from __future__ import annotations

from pathlib import Path

import pytest

from plansite.wording import ASSESSMENT_DISPLAY, STATUS_DISPLAY
from plansite.wording import ASSESSMENT_MEANINGS, ROLE_GLOSSES, STATUS_MEANINGS


@pytest.fixture
def page(reused_page):
    """The tests here only look at pages: the module shares one tab (conftest)."""
    return reused_page


ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "tasks/", "chapters/08/", "tasks/16/", "departments/", "departments/quality-supervision/",
         "indicators/", "indicators/agricultural-standard-demonstration-zones/", "reports/2015-Q3/", "reports/2014-Q4/"]

# Each badge in the page's content (outside legends and glosses): its kind and code; and the
# visible text of the page's legends and glosses, read as the accessibility tree would.
BADGES_AND_MEANINGS = """() => {
  const content = document.querySelector('.md-content');
  const badges = [...content.querySelectorAll('.badge')]
    .filter(b => !b.closest('.legend') && !b.closest('figure') && b.checkVisibility())
    .map(b => [...b.classList].find(c => c.startsWith('status-') || c.startsWith('assessment-')));
  const explained = [...content.querySelectorAll('.legend, .gloss')]
    .filter(el => el.checkVisibility() && !el.closest('[aria-hidden="true"]'))
    .map(el => el.textContent).join(' ');
  return {badges: [...new Set(badges)], explained};
}"""


def test_every_code_has_a_meaning():
    assert set(STATUS_DISPLAY) <= set(STATUS_MEANINGS)
    assert set(ASSESSMENT_DISPLAY) <= set(ASSESSMENT_MEANINGS)


@pytest.mark.parametrize("url", PAGES)
def test_every_badge_on_a_page_has_its_meaning_on_that_page(page, site_url, url):
    page.goto(site_url + url)
    found = page.evaluate(BADGES_AND_MEANINGS)
    assert found["badges"], url
    for badge in found["badges"]:
        kind, code = badge.split("-", 1)
        meaning = (STATUS_MEANINGS if kind == "status" else ASSESSMENT_MEANINGS)[code]
        assert meaning in found["explained"], (url, code)


def test_a_badge_shown_alone_has_its_gloss_beside_it(page, site_url):
    page.goto(site_url + "tasks/05/")  # 滞后 in the sample data's latest period
    status = page.locator("#status ~ p").first
    assert "滞后" in status.inner_text() and f"（{STATUS_MEANINGS['behind']}）" in status.inner_text()


def test_the_completion_ratio_is_explained_in_plain_words(tmp_path):
    """The sample data's last period ends the plan, so every target there is 已达标 or 未达标 and no
    page shows R; as of 2015-Q3 (the later file left out) 新建农业标准化示范区 is judged by R."""
    import shutil

    from plansite.charts.specs import derive_chart_specs
    from plansite.figures.progress import derive_progress
    from plansite.builder.assemble import render_site, site_info
    from plansite.model.load import load_plan

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "progress" / "2015-Q4.yaml").unlink()
    plan = load_plan(data)
    files, _ = render_site(plan, site_info("https://example.org/"), derive_chart_specs(plan, derive_progress(plan)))
    text = files["indicators/agricultural-standard-demonstration-zones/index.md"]
    assert "完成比 R = 0.57" in text
    assert "完成比 R 是实际进展与按时间应有的进展之比" in text and "这里 R = 0.57，即实际进展是按时间应有进展的57%" in text
    assert "{: .ratio-gloss }" in text


def test_roles_are_glossed_where_units_are_listed(page, site_url):
    page.goto(site_url + "tasks/18/")
    units = page.locator("#units + .md-typeset__scrollwrap, #units + table").first.inner_text()
    assert f"牵头（{ROLE_GLOSSES['lead']}）" in units and f"会同（{ROLE_GLOSSES['partners']}）" in units
    page.goto(site_url + "chapters/08/")
    assert f"共同负责（{ROLE_GLOSSES['joint']}）" in page.locator(".md-content").inner_text()
    for url in ["departments/", "tasks/"]:
        page.goto(site_url + url)
        intro = page.locator(".md-content h1 + p").inner_text()
        assert f"牵头即{ROLE_GLOSSES['lead']}" in intro and f"共同负责即{ROLE_GLOSSES['joint']}" in intro, url
    page.goto(site_url + "departments/quality-supervision/")
    meta = page.locator(".department-meta").inner_text()
    assert all(f"{role}即{ROLE_GLOSSES[code]}" in meta for code, role in [("lead", "牵头"), ("partners", "会同"), ("joint", "共同负责")])
