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
