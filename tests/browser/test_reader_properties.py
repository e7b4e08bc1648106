"""Every page of the built site, loaded once on a phone (390 px, touch) and then widened to a
laptop (1366 px): no sideways scrolling except inside a box that shows it scrolls, touch targets
of at least 24x24 CSS px, a visible focus indicator on everything the keyboard reaches, drawers
that close after a link is followed and give the focus back, and a page-contents column that
stays inside the window. Screenshots of the changed screens go to _build/screenshots/.

The checks are readercheck.py's; the break tests below run them on a broken copy of the site.
"""

import pytest
from navcheck import PHONE_390
from readercheck import (
    drawer_problems, focus_indicator_problems, outside_window_problems, scroll_hint_problems, set_citation_panels,
    touch_target_problems,
)
from site_browser import html_files, is_redirect
from site_build import pages_or_placeholder
from sitecheck import report, screenshot_path

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 800}


def reader_pages(site) -> list[str]:
    """Every page a reader opens: content pages and the generated ones (index, search), no redirect stubs."""
    return [page for page in html_files(site) if page != "404.html" and not is_redirect(site, page)]


PAGES = pages_or_placeholder(reader_pages)


def page_problems(page) -> list[str]:
    problems = [f"390px: {p}" for p in scroll_hint_problems(page) + touch_target_problems(page) + focus_indicator_problems(page)]
    problems += [f"390px, 引用本节 open: {p}" for p in touch_target_problems(set_citation_panels(page, True))]
    set_citation_panels(page, False)
    page.set_viewport_size(DESKTOP)
    problems += [f"1366px: {p}" for p in focus_indicator_problems(page) + scroll_hint_problems(page)]
    problems += [f"1366px: {p}" for p in outside_window_problems(page, ".bd-sidebar-secondary, .bd-sidebar-secondary *")]
    return problems


@pytest.mark.parametrize("path", PAGES)
def test_every_page_on_a_phone_and_a_laptop(reader, path):
    page, log = reader(path, **PHONE_390)
    problems = page_problems(page) + log.problems
    assert not problems, report(path, problems)


def drawer_pages(site) -> list[str]:
    """The drawers are the same on every page; what differs is where the current page sits in ☰
    and what the page lists: the first and last page of every chapter, and the generated pages."""
    from itertools import groupby

    pages = [page for page in reader_pages(site) if "/" in page]
    chapters = [list(group) for _folder, group in groupby(pages, key=lambda p: p.rpartition("/")[0])]
    ends = {page for chapter in chapters for page in (chapter[0], chapter[-1])}
    return ["index.html", "genindex.html", *sorted(ends)]


@pytest.mark.parametrize("path", pages_or_placeholder(drawer_pages))
def test_drawers_close_after_navigation_and_give_focus_back(reader, path):
    page, log = reader(path, **PHONE_390)
    problems = drawer_problems(page) + log.problems
    assert not problems, report(f"{path} at 390px, touch", problems)


SCREENS = [  # (page, width, what it shows)
    ("tensors/view-vs-reshape.html", 390, "phone-heading"),
    ("memo-map.html", 390, "phone-memo-map"),
    ("stats/sd-vs-se.html", 390, "phone-formula"),
    ("index.html", 1366, "desktop-home"),
    ("genindex.html", 1366, "desktop-genindex"),
    ("sampling/reparameterization-gumbel-softmax.html", 1366, "desktop-gumbel-toc"),
]


def test_screenshots_of_the_changed_screens(reader):
    for path, width, name in SCREENS:
        options = PHONE_390 if width == 390 else {"viewport": DESKTOP}
        page, _log = reader(path, **options)
        page.screenshot(path=screenshot_path(f"{name}.png"))
    page, _log = reader("tensors/view-vs-reshape.html", **PHONE_390)
    page.locator(".primary-toggle").tap()
    page.wait_for_timeout(400)  # the slide-in
    page.screenshot(path=screenshot_path("phone-drawer-current.png"))
    page, _log = reader("tensors/view-vs-reshape.html", viewport=DESKTOP)
    page.locator(".primary-toggle").click()
    page.keyboard.press("Tab")
    page.locator(".primary-toggle").focus()
    page.screenshot(path=screenshot_path("desktop-collapsed-focus.png"))
    assert screenshot_path("desktop-collapsed-focus.png").stat().st_size > 10_000


# -- break tests: each check on a copy of the site with one thing broken ----------------------------

MODEL = "tensors/view-vs-reshape.html"


def append_css(css):
    return lambda text: text + "\n" + css


def cut(old, new=""):
    def edit(text):
        assert old in text, f"the break test expected {old[:60]!r}; update the test"
        return text.replace(old, new)

    return edit


@pytest.mark.parametrize("path, edits, check, expected", [
    ("memo-map.html", {"_static/interface.css": append_css(".scroll-more-right, .scroll-more-left { mask-image: none !important; }")},
     "scroll", "scrolls sideways (.*) without showing it"),
    (MODEL, {"_static/interface.css": append_css(".bd-article { width: 600px; }")}, "scroll", "the page scrolls sideways"),
    (MODEL, {"_static/interface.css": append_css(".article-header-buttons .btn { width: 12px !important; height: 12px !important; "
                                                 "min-width: 0 !important; min-height: 0 !important; padding: 0 !important; margin: 0 !important; }")},
     "touch", r"button\.btn.* is 12x12px, under 24x24"),
    # Only in the 引用本节 panels, which are closed on arrival: the check opens them.
    (MODEL, {"_static/interface.css": append_css(
        "details.cite-section .cite-forms > .cite-choices input { width: 12px !important; height: 12px !important; } "
        "details.cite-section .cite-forms > .cite-choices, details.cite-section .cite-forms > .cite-choices > label "
        "{ font-size: 0 !important; gap: 0 !important; }")},
     "touch", r"<input> .* is 12x12px, under 24x24, and <input>"),
    (MODEL, {"_static/interface.css": append_css(".primary-toggle:focus-visible { outline: none !important; box-shadow: none !important; }")},
     "focus", r"primary-toggle.* shows no focus indicator"),
    (MODEL, {MODEL: cut('if (event.target.closest("a[href]")) dialog.close();')}, "drawer", "stays open after tapping the entry"),
    (MODEL, {MODEL: cut("if (back) setTimeout(() => back.focus());")}, "drawer", "not back on .secondary-toggle"),
    (MODEL, {MODEL: cut("sidebar.prepend(close);")}, "drawer", "no visible close button"),
    ("environment/switch-cuda-version.html", {"environment/switch-cuda-version.html": cut('if (here) here.scrollIntoView({block: "center"});')},
     "drawer", "current page's entry is out of view"),
    ("sampling/reparameterization-gumbel-softmax.html",
     {"_static/interface.css": append_css(".bd-sidebar-secondary .toc-entry > a { overflow-wrap: normal !important; }")},
     "toc", "runs past the 1366px window edge"),
])
def test_each_check_catches_its_break(serve_copy, reader, path, edits, check, expected):
    import re

    url, _copy = serve_copy(edits)
    page, _log = reader(path, url, **PHONE_390)
    if check == "scroll":
        problems = scroll_hint_problems(page)
    elif check == "touch":
        problems = touch_target_problems(page) + touch_target_problems(set_citation_panels(page, True))
    elif check == "focus":
        problems = focus_indicator_problems(page)
    elif check == "drawer":
        problems = drawer_problems(page)
    else:
        page.set_viewport_size(DESKTOP)
        problems = outside_window_problems(page, ".bd-sidebar-secondary, .bd-sidebar-secondary *")
    message = report(path, problems)
    assert re.search(expected, message), f"the {check} check missed the break; expected {expected!r} in:\n{message}"
