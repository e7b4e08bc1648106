"""引用本节 in Chromium: the panel opens with the keyboard, by touch and without JavaScript,
its copy buttons copy exactly the entry, it is readable in dark mode and fits a 390 px
phone. The open panel is saved to _build/screenshots/cite-panel.png for review."""

import re

import pytest
from site_build import SITE_DIR
from sitecheck import (
    MIN_CONTRAST, contrast_ratio, element_colours, overflow_problems, report, screenshot_path, switch_colour_mode,
    visit,
)

pytestmark = pytest.mark.browser

MODEL_PAGE = "tensors/view-vs-reshape.html"
PHONE_390 = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PANEL = "details.cite-section"


def bib_entries() -> dict[str, str]:
    """key -> entry text, from the site's memo.bib."""
    text = (SITE_DIR / "memo.bib").read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in re.finditer(r"^@\w+\{([^,]+),\n.*?^\}", text, re.M | re.S)}


def widest_page() -> str:
    """The page holding the longest entry line in memo.bib: the hardest case for a phone."""
    longest = max(bib_entries().values(), key=lambda entry: max(map(len, entry.splitlines())))
    url = re.search(r"url\s+= \{([^}]+)\}", longest).group(1)
    page = re.sub(r"^v/[^/]+/", "", url.split("/memo/", 1)[-1])  # entries cite this release's frozen copy
    return page.split("#")[0] or "index.html"


def is_open(page, index=0) -> bool:
    return page.locator(PANEL).nth(index).evaluate("details => details.open")


def test_panel_opens_with_the_keyboard(open_page):
    page, log = open_page(MODEL_PAGE)
    summary = page.locator(f"{PANEL} > summary").first
    assert page.locator(PANEL).count() >= 5, f"{MODEL_PAGE}: expected a panel under every labelled heading"
    summary.focus()
    assert page.evaluate("document.activeElement.matches('details.cite-section > summary')")
    page.keyboard.press("Enter")
    assert is_open(page), f"{MODEL_PAGE}: Enter on 引用本节 did not open the panel"
    assert page.locator(f"{PANEL} .cite-bibtex pre").first.is_visible()
    page.keyboard.press("Space")
    assert not is_open(page), f"{MODEL_PAGE}: Space on 引用本节 did not close the panel"
    assert log.problems == [], report(MODEL_PAGE, log.problems)


def test_panel_opens_by_touch_and_fits_a_390px_phone(new_context, site_url):
    problems = []
    for path in sorted({MODEL_PAGE, widest_page()}):
        page, log = visit(new_context(**PHONE_390), site_url, path)
        summary = page.locator(f"{PANEL} > summary").first
        summary.scroll_into_view_if_needed()
        summary.tap()
        if not is_open(page):
            problems.append(f"{path}: tapping 引用本节 did not open the panel")
        box = summary.bounding_box()
        if box["x"] < 0 or box["x"] + box["width"] > 390:
            problems.append(f"{path}: the 引用本节 control sits outside the screen ({box})")
        page.evaluate(f"document.querySelectorAll('{PANEL}').forEach((d) => {{ d.open = true; }})")
        problems += [f"{path}: {p}" for p in overflow_problems(page) + log.problems]
        if path == MODEL_PAGE:
            page.locator(PANEL).first.scroll_into_view_if_needed()
            page.screenshot(path=screenshot_path("cite-panel-phone.png"))
    assert problems == [], report("引用本节 at 390 px", problems)


def test_panel_works_without_javascript(new_context, site_url):
    page, _ = visit(new_context(java_script_enabled=False), site_url, MODEL_PAGE)
    page.locator(f"{PANEL} > summary").first.click()
    assert is_open(page)
    text = page.locator(f"{PANEL} .cite-bibtex pre").first.inner_text()
    assert text.startswith("@misc{memo:") and "url" in text


def test_copy_buttons_copy_exactly_the_entry(open_page):
    page, log = open_page(MODEL_PAGE, permissions=["clipboard-read", "clipboard-write"])
    entries = bib_entries()
    problems = []
    panels = page.locator(PANEL)
    for index in range(panels.count()):
        panel = panels.nth(index)
        panel.locator("summary").click()
        for form in ("bibtex", "gbt7714"):
            block = panel.locator(f".cite-{form}")
            page.evaluate("navigator.clipboard.writeText('')")
            block.locator("pre").hover()
            block.locator("button.copybtn").click()
            page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''", timeout=5_000)
            copied = page.evaluate("navigator.clipboard.readText()")
            shown = block.locator("pre").evaluate("pre => pre.textContent").rstrip("\n")
            if copied != shown:
                problems.append(f"panel {index + 1} {form}: copied {copied!r}, the panel shows {shown!r}")
            if form == "bibtex":
                key = re.match(r"@\w+\{([^,]+),", copied).group(1)
                if copied != entries.get(key):
                    problems.append(f"panel {index + 1}: the copied entry {key} differs from memo.bib's")
    assert problems + log.problems == [], report(MODEL_PAGE, problems + log.problems)


def test_panel_is_legible_in_dark_mode(open_page):
    page, log = open_page(MODEL_PAGE)
    switch_colour_mode(page, "dark")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.locator(f"{PANEL} > summary").first.click()
    selectors = [f"{PANEL} > summary", f"{PANEL} .cite-format", f"{PANEL} .cite-bibtex pre", f"{PANEL} .cite-gbt7714 pre"]
    problems = []
    for colour in element_colours(page, selectors):
        ratio = contrast_ratio(colour["fg"], colour["bg"])
        if ratio < MIN_CONTRAST:
            problems.append(f"{colour['selector']} ({colour['text']!r}): contrast {ratio:.2f}:1, needs {MIN_CONTRAST}:1")
        if sum(colour["bg"][:3]) > 3 * 128:
            problems.append(f"{colour['selector']}: light background {colour['bg']} in dark mode")
    page.locator(PANEL).first.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("cite-panel-dark.png"))
    assert problems + log.problems == [], report(f"{MODEL_PAGE} in dark mode", problems + log.problems)


def test_screenshot_of_the_open_panel(open_page):
    page, _ = open_page(MODEL_PAGE)
    page.locator(f"{PANEL} > summary").first.click()
    section = page.locator("section.cite-able").first
    section.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -20)")
    page.screenshot(path=screenshot_path("cite-panel.png"))
    assert screenshot_path("cite-panel.png").stat().st_size > 10_000
