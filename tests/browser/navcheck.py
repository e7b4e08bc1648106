"""What a phone or keyboard reader does with the site's navigation, as plain functions, so that
the break tests run the very same checks on an unfixed theme (see test_phone_navigation.py).

Each function drives the page as a reader would (taps on a touch screen, keys on a keyboard)
and returns a list of problems, empty when everything worked.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitecheck import PHONE

# The phone: 390 x 844 CSS px, touch, meta viewport honoured.
PHONE_390 = {**PHONE, "viewport": {"width": 390, "height": 844}}
OPEN_MS = 2_000  # the drawers slide in; a reader waits about this long


def _visible(page, selector: str):
    """The visible elements matching `selector` (a reader can only tap those)."""
    found = page.locator(selector)
    return [found.nth(i) for i in range(found.count()) if found.nth(i).is_visible()]


def _dialog_open(page, dialog_id: str, timeout_ms: int = OPEN_MS) -> bool:
    try:
        page.wait_for_function(f"() => document.getElementById({dialog_id!r})?.open === true", timeout=timeout_ms)
        return True
    except Exception:  # Playwright's TimeoutError
        return False


def _inside_viewport(page, box) -> bool:
    width = page.viewport_size["width"]
    return box is not None and box["width"] >= 200 and box["x"] >= -1 and box["x"] + box["width"] <= width + 1


def _tap_backdrop(page, box) -> None:
    """Tap the dimmed page beside a drawer (there is no close button: pydata-sphinx-theme)."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    x = box["x"] + box["width"] + 10 if box["x"] + box["width"] < width - 20 else max(box["x"] - 10, 5)
    page.touchscreen.tap(x, height / 2)


def open_drawer(page, button: str, dialog_id: str, what: str) -> tuple[list[str], dict | None]:
    """Tap the one visible `button`; the drawer `dialog_id` must open inside the viewport."""
    buttons = _visible(page, button)
    if len(buttons) != 1:
        return [f"expected one visible {what} button ({button}), found {len(buttons)}"], None
    buttons[0].tap()
    if not _dialog_open(page, dialog_id):
        return [f"tapping the {what} button ({button}) did not open #{dialog_id}"], None
    box = page.locator(f"#{dialog_id}").bounding_box()
    if not _inside_viewport(page, box):
        return [f"#{dialog_id} opened outside the {page.viewport_size['width']}px viewport: {box}"], None
    return [], box


def close_drawer(page, dialog_id: str, box, what: str) -> list[str]:
    _tap_backdrop(page, box)
    try:
        page.wait_for_function(f"() => !document.getElementById({dialog_id!r}).open", timeout=OPEN_MS)
    except Exception:
        return [f"tapping beside the open {what} did not close it"]
    return []


def navigation_drawer_problems(page) -> list[str]:
    """☰ opens the chapter drawer inside the viewport, tapping beside it closes it, and a
    chapter link in it navigates. Leaves the page on the chapter that was tapped."""
    problems, box = open_drawer(page, ".primary-toggle", "pst-primary-sidebar-modal", "☰ (site navigation)")
    if problems:
        return problems
    links = _visible(page, "#pst-primary-sidebar-modal nav.bd-docs-nav a.reference.internal")
    if not links:
        return ["the open navigation drawer shows no chapter links"]
    problems += close_drawer(page, "pst-primary-sidebar-modal", box, "navigation drawer")
    try:  # the theme moves the navigation back on the dialog's close event
        page.wait_for_function("() => document.querySelectorAll('#pst-primary-sidebar nav.bd-docs-nav').length === 1",
                               timeout=OPEN_MS)
    except Exception:
        problems.append("closing the drawer did not put the navigation back into the page")
    if problems:
        return problems

    problems, _box = open_drawer(page, ".primary-toggle", "pst-primary-sidebar-modal", "☰ (site navigation)")
    if problems:
        return ["the drawer does not open a second time: " + problems[0]]
    here = urlsplit(page.url).path
    targets = [link for link in _visible(page, "#pst-primary-sidebar-modal nav.bd-docs-nav a.reference.internal")
               if urlsplit(link.evaluate("a => a.href")).path != here]
    target = targets[len(targets) // 2]  # a chapter page in the middle of the list: scrolled into view by the tap
    expected = urlsplit(target.evaluate("a => a.href")).path
    target.tap()
    try:
        page.wait_for_url(lambda url: urlsplit(url).path == expected, timeout=10_000)
        page.wait_for_load_state("load")
    except Exception:
        return [f"tapping the chapter link to {expected} in the drawer did not navigate (still at {urlsplit(page.url).path})"]
    return []


def page_contents_problems(page) -> list[str]:
    """The page-contents button opens the on-page contents inside the viewport; tapping beside it closes it."""
    problems, box = open_drawer(page, ".secondary-toggle", "pst-secondary-sidebar-modal", "page contents")
    if problems:
        return problems
    if not _visible(page, "#pst-secondary-sidebar-modal nav a.nav-link"):
        problems.append("the open page contents show no links to the page's sections")
    return problems + close_drawer(page, "pst-secondary-sidebar-modal", box, "page contents")


def desktop_collapse_problems(page) -> list[str]:
    """At desktop width ☰ hides the sidebar and shows it again (sphinx-book-theme's collapse)."""
    sidebar = page.locator("#pst-primary-sidebar")
    shown = lambda: sidebar.evaluate("e => getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().right > 0")  # noqa: E731
    buttons = _visible(page, ".primary-toggle")
    if len(buttons) != 1:
        return [f"expected one visible ☰ button at desktop width, found {len(buttons)}"]
    if not shown():
        return ["the sidebar is not shown at desktop width"]
    buttons[0].click()
    page.wait_for_timeout(600)  # the theme's slide-out transition
    if shown():
        return ["clicking ☰ at desktop width did not hide the sidebar"]
    buttons[0].click()
    page.wait_for_timeout(600)
    return [] if shown() else ["clicking ☰ again did not bring the sidebar back"]


def colour_menu_keyboard_problems(page) -> list[str]:
    """Tab to the colour-mode button, open it with Enter, pick dark with the arrow keys."""
    button = page.locator(".theme-switch-button")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    focused = page.evaluate("document.activeElement.closest('.theme-switch-container') ? 'menu' : document.activeElement.tagName")
    if focused != "menu":
        return [f"Enter on the colour-mode button moved keyboard focus to <{focused.lower()}>, out of the menu"]
    if not page.locator(".theme-switch-container .dropdown-menu").is_visible():
        return ["Enter on the colour-mode button did not open the menu"]
    for _ in range(3):  # auto, light, dark: the arrow keys walk the items
        page.keyboard.press("ArrowDown")
        if page.evaluate("document.activeElement.dataset.mode") == "dark":
            break
    if page.evaluate("document.activeElement.dataset.mode") != "dark":
        return ["the arrow keys do not reach the dark-mode item of the colour menu"]
    page.keyboard.press("Enter")
    theme = page.evaluate("document.documentElement.dataset.theme")
    return [] if theme == "dark" else [f"Enter on the dark-mode item left the page in {theme!r} mode"]


def skip_to_results_problems(page, max_tabs: int = 3) -> list[str]:
    """On search.html a keyboard reader reaches the first result in a few Tab presses via a skip link."""
    # The page focuses its search box; a reader who Tabs from the top of the page starts there.
    page.evaluate("""() => { const top = Object.assign(document.createElement("span"), {tabIndex: -1});
      document.body.prepend(top); top.focus(); top.remove(); }""")
    for presses in range(1, max_tabs + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == "#search-results":
            break
    else:
        return [f"no skip link to #search-results within the first {max_tabs} Tab presses"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.evaluate("document.querySelector('#search-results ul.search a')?.href")
    focused = page.evaluate("document.activeElement.href || document.activeElement.tagName")
    if first is None:
        return ["the search found nothing, so there is no first result to reach"]
    return [] if focused == first else [f"after the skip link ({presses} Tab), Tab focused {focused}, not the first result {first}"]


SEARCH_BOXES_JS = """() => [...document.querySelectorAll("input[type=search], button.search-button-field")]
  .filter((box) => box.checkVisibility({visibilityProperty: true}))
  .map((box) => box.closest("[id]")?.id || box.className)"""


def search_box_problems(page) -> list[str]:
    """A desktop reader sees one search box (the sidebar's, or the search page's own)."""
    boxes = page.evaluate(SEARCH_BOXES_JS)
    return [] if len(boxes) == 1 else [f"{len(boxes)} visible search boxes (inside {', '.join(boxes) or 'nothing'}), expected one"]


CITATION_SCROLL_JS = """() => [...document.querySelectorAll("div.cite-bibtex pre, div.cite-text pre")]
  .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
  .map((pre) => pre.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a)).slice(0, 60))"""


def citation_wrap_problems(page) -> list[str]:
    """On a phone the BibTeX and GB/T entries wrap: none of them scrolls sideways."""
    if not page.locator("div.cite-bibtex pre").count():
        return ["no BibTeX entry on the page"]
    return [f"citation line {line!r} needs sideways scrolling" for line in page.evaluate(CITATION_SCROLL_JS)]
