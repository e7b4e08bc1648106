"""引用本节 in Chromium: the panel opens with the keyboard, by touch and without JavaScript,
its row of formats switches with the keyboard and without JavaScript, its copy buttons copy
exactly the entry (with today's access date), it is readable in dark mode and fits a 390 px
phone; old numbered glossary links land on the term. The open panel is saved to
_build/screenshots/cite-panel.png for review."""

import datetime as dt
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


FORMS = ("bibtex", "biblatex", "gbt7714", "apa", "ris")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def bib_entries(name: str = "memo.bib") -> dict[str, str]:
    """key -> entry text, from the site's memo.bib (or memo-biblatex.bib)."""
    text = (SITE_DIR / name).read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in re.finditer(r"^@\w+\{([^,]+),\n.*?^\}", text, re.M | re.S)}


def accessed(entry: str) -> str:
    """The entry with its access dates (urldate, 访问于) blanked: the page writes today's."""
    entry = re.sub(r"(urldate\s+= \{)\d{4}-\d{2}-\d{2}", r"\1", entry)
    return re.sub(r"访问于 \d{4}-\d{2}-\d{2}", "访问于 ", entry)


def widest_page() -> str:
    """The page holding the longest entry line in memo.bib: the hardest case for a phone."""
    longest = max(bib_entries().values(), key=lambda entry: max(map(len, entry.splitlines())))
    url = re.search(r"\\url\{([^}]+)\}", longest).group(1)
    page = re.sub(r"^v/[^/]+/", "", url.split("/memo/", 1)[-1])  # entries cite this release's frozen copy
    return page.split("#")[0] or "index.html"


def is_open(page, index=0) -> bool:
    return page.locator(PANEL).nth(index).evaluate("details => details.open")


def test_panel_opens_with_the_keyboard(reader):
    page, log = reader(MODEL_PAGE)
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


def test_panel_opens_by_touch_and_fits_a_390px_phone(reader):
    problems = []
    for path in sorted({MODEL_PAGE, widest_page()}):
        page, log = reader(path, **PHONE_390)
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
    panel = page.locator(PANEL).first
    text = panel.locator(".cite-bibtex pre").inner_text()
    assert text.startswith("@misc{memo:") and "\\url{" in text
    note = panel.locator(".cite-accessed").inner_text()
    assert "构建日期" in note and "请改为你访问本页的日期" in note, note  # says what to fill in
    for form in FORMS:  # the row of formats is radio buttons and CSS: it works without a script
        panel.locator(f"input[value='{form}']").check()
        shown = [f for f in FORMS if panel.locator(f".cite-{f} pre").first.is_visible()]
        assert shown == [form], f"{MODEL_PAGE}: choosing {form} without JavaScript shows {shown}"


def test_format_row_works_with_the_keyboard(reader):
    page, log = reader(MODEL_PAGE)
    panel = page.locator(PANEL).first
    panel.locator("summary").click()
    panel.locator("input[value='bibtex']").focus()
    for form in FORMS[1:]:
        page.keyboard.press("ArrowRight")
        assert panel.locator(f".cite-{form} pre").first.is_visible(), f"ArrowRight did not show {form}"
    assert log.problems == [], report(MODEL_PAGE, log.problems)


def test_access_date_is_today_in_every_format(reader):
    """GB/T 7714 [引用日期], urldate, RIS Y2: the day the reader copies the entry."""
    page, log = reader(MODEL_PAGE)
    today = page.evaluate("(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; })()")
    iso = dt.date(*today).isoformat()
    panel = page.locator(PANEL).first
    texts = {form: panel.locator(f".cite-{form} pre").first.evaluate("pre => pre.textContent") for form in FORMS}
    assert f"urldate      = {{{iso}}}" in texts["bibtex"] and f"访问于 {iso}" in texts["bibtex"], texts["bibtex"]
    assert f"urldate      = {{{iso}}}" in texts["biblatex"], texts["biblatex"]
    assert re.search(rf"\({ISO_DATE.pattern}\)\[{iso}\]\. http", texts["gbt7714"]), texts["gbt7714"]
    assert f"Y2  - {iso.replace('-', '/')}" in texts["ris"], texts["ris"]
    assert "[引用日期]" not in "".join(texts.values())
    assert iso in panel.locator(".cite-accessed").evaluate("p => p.textContent")
    assert log.problems == [], report(MODEL_PAGE, log.problems)


def test_copy_buttons_copy_exactly_the_entry(reader):
    page, log = reader(MODEL_PAGE, permissions=["clipboard-read", "clipboard-write"])
    entries = {"bibtex": bib_entries(), "biblatex": bib_entries("memo-biblatex.bib")}
    problems = []
    panels = page.locator(PANEL)
    for index in range(panels.count()):
        panel = panels.nth(index)
        panel.locator("summary").click()
        for form in FORMS:
            panel.locator(f"input[value='{form}']").check()
            block = panel.locator(f".cite-{form}").first
            page.evaluate("navigator.clipboard.writeText('')")
            block.locator("pre").hover()
            block.locator("button.copybtn").click()
            page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''", timeout=5_000)
            copied = page.evaluate("navigator.clipboard.readText()")
            shown = block.locator("pre").evaluate("pre => pre.textContent").rstrip("\n")
            if copied != shown:
                problems.append(f"panel {index + 1} {form}: copied {copied!r}, the panel shows {shown!r}")
            if form in ("bibtex", "biblatex"):
                key = re.match(r"@\w+\{([^,]+),", copied).group(1)
                if accessed(copied) != accessed(entries[form].get(key, "")):
                    problems.append(f"panel {index + 1}: the copied {form} entry {key} differs from the site's file")
    assert problems + log.problems == [], report(MODEL_PAGE, problems + log.problems)


def test_panel_is_legible_in_dark_mode(reader):
    page, log = reader(MODEL_PAGE)
    switch_colour_mode(page, "dark")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.locator(f"{PANEL} > summary").first.click()
    selectors = [f"{PANEL} > summary", f"{PANEL} .cite-choices label", f"{PANEL} .cite-bibtex pre", f"{PANEL} .cite-accessed"]
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


def test_screenshot_of_the_open_panel(reader):
    page, _ = reader(MODEL_PAGE)
    page.locator(f"{PANEL} > summary").first.click()
    section = page.locator("section.cite-able").first
    section.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -20)")
    page.screenshot(path=screenshot_path("cite-panel.png"))
    assert screenshot_path("cite-panel.png").stat().st_size > 10_000


def test_old_numbered_glossary_links_land_on_the_term(reader):
    """glossary.html#term-48 was a Chinese term's serial number; the page's script sends it on."""
    import tomllib

    from site_build import ROOT

    moved = tomllib.loads((ROOT / "docs" / "glossary-ids.toml").read_text(encoding="utf-8"))["moved"]
    old, new = next((o, n) for o, n in moved.items() if re.fullmatch(r"term-\d+", o))
    page, log = reader(f"glossary.html#{old}")
    page.wait_for_function(f"location.hash === '#{new}'", timeout=5_000)
    assert page.locator(f"dt#{new}").is_visible()
    assert log.problems == [], report("glossary.html", log.problems)
