"""Charts in Debian's Chromium: visible, loaded and inside the page on a phone and a desktop."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from test_browser import assert_only_local

PAGES = ["", "indicators/consumer-goods-repair-rate/", "departments/quality-supervision/"]


@pytest.mark.parametrize("width", [360, 1280])
def test_charts_are_visible_without_sideways_scrolling(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN",
                                  is_mobile=width < 400, device_scale_factor=2 if width < 400 else 1)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    for path in PAGES:
        page.goto(site_url + path)
        images = page.locator("article figure.chart img")
        assert images.count() >= 1, f"{path or 'home'}: no chart"
        for i in range(images.count()):
            image = images.nth(i)
            image.scroll_into_view_if_needed()
            expect(image).to_be_visible()
            # Loaded and decoded: an SVG that failed to load has no natural size.
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            box = image.bounding_box()
            assert box["width"] >= min(300, width - 40), f"{path}: chart only {box['width']}px wide at {width}px"
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{path}: chart outside the page at {width}px"
            caption = image.locator("xpath=ancestor::figure[1]/figcaption")
            expect(caption).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path or 'home'} scrolls sideways by {overflow}px at {width}px"
    assert_only_local(page, site_url)
    context.close()


def test_charts_turn_light_on_dark_in_the_dark_palette(page, site_url):
    page.goto(site_url)
    image = page.locator("article figure.chart img").first
    assert page.evaluate("img => getComputedStyle(img).filter", image.element_handle()) == "none"
    page.locator("label[title='切换到深色模式']").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert page.evaluate("img => getComputedStyle(img).filter", image.element_handle()) == \
        "invert(1) hue-rotate(180deg)"
