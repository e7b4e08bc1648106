"""On a phone (390 px, touch) ☰ opens the chapter drawer and the page-contents button opens the
on-page contents; both close again, and a chapter link navigates. At desktop width ☰ collapses
the sidebar.

Upstream bug pydata-sphinx-theme#2451 / sphinx-book-theme#988: the theme's own hidden header
holds a second ☰ and the drawer script binds to that one. conf.py sets navbar_persistent to
work around it; the break tests build a plain sphinx-book-theme site (tests/roots/test-phone-drawer)
with and without that setting and run the same checks on it.
"""

import random
from itertools import groupby

import pytest
from navcheck import (
    PHONE_390, citation_wrap_problems, desktop_collapse_problems, navigation_drawer_problems, page_contents_problems,
    search_box_problems,
)
from site_browser import serve, site_pages
from site_build import pages_or_placeholder
from sitecheck import report, screenshot_path

pytestmark = pytest.mark.browser


def sample_pages() -> list[str]:
    """The landing page, one page of every chapter (folder; seeded choice), and a missing page deep down."""
    pages = pages_or_placeholder(site_pages)
    rng = random.Random(12)
    chapters = [rng.choice(list(group)) for folder, group in groupby(pages, key=lambda p: p.rpartition("/")[0]) if folder]
    return ["index.html", *chapters, "no/such/chapter/page.html"]


PAGES = sample_pages()


@pytest.mark.parametrize("path", PAGES)
def test_phone_drawer_opens_closes_and_navigates(reader, path):
    page, _log = reader(path, **PHONE_390)
    problems = navigation_drawer_problems(page)
    assert not problems, report(f"{path} at 390px, touch", problems)


@pytest.mark.parametrize("path", [p for p in PAGES if p != "index.html" and not p.startswith("no/")])
def test_phone_page_contents_open_and_close(reader, path):
    page, _log = reader(path, **PHONE_390)
    problems = page_contents_problems(page)
    assert not problems, report(f"{path} at 390px, touch", problems)


def test_desktop_menu_button_collapses_the_sidebar(reader):
    path = PAGES[1]
    page, _log = reader(path)
    problems = desktop_collapse_problems(page)
    assert not problems, report(f"{path} at 1280px", problems)


@pytest.mark.parametrize("path", [*PAGES[:3], "search.html?q=reshape"])
def test_desktop_shows_one_search_box(reader, path):
    page, _log = reader(path)
    problems = search_box_problems(page)
    assert not problems, report(f"{path} at 1280px", problems)


@pytest.mark.parametrize("path", [p for p in PAGES if not p.startswith("no/")])
def test_phone_citation_lines_wrap(reader, path):
    page, _log = reader(path, **PHONE_390)
    problems = citation_wrap_problems(page)
    assert not problems, report(f"{path} at 390px", problems)


def test_phone_drawer_screenshot(reader):
    path = "tensors/view-vs-reshape.html"
    page, _log = reader(path, **PHONE_390)
    page.locator(".primary-toggle").tap()
    page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open")
    page.wait_for_timeout(400)  # the slide-in transition
    page.screenshot(path=screenshot_path("phone-drawer.png"))
    assert screenshot_path("phone-drawer.png").stat().st_size > 10_000


# -- break tests: the same checks on a plain sphinx-book-theme site ---------------------------------


def plain_theme_problems(app, reader) -> list[str]:
    app.build()
    with serve(app.outdir) as url:
        page, _log = reader("one.html", url, **PHONE_390)
        problems = navigation_drawer_problems(page)
        page, _log = reader("one.html", url, **PHONE_390)
        problems += page_contents_problems(page)
        page, _log = reader("one.html", url)
        problems += desktop_collapse_problems(page)
        page, _log = reader("one.html", url)
        problems += search_box_problems(page)
    return problems


@pytest.mark.sphinx("html", testroot="phone-drawer", srcdir="phone-drawer-unfixed")
def test_the_checks_fail_on_the_unfixed_theme(app, reader):
    problems = plain_theme_problems(app, reader)
    message = report("plain sphinx-book-theme, one.html", problems) if problems else (
        "the plain theme works now: upstream has fixed pydata-sphinx-theme#2451 / sphinx-book-theme#988; "
        "delete navbar_persistent from conf.py's html_theme_options and this test")
    assert any("did not open #pst-primary-sidebar-modal" in p for p in problems), message
    assert any("did not open #pst-secondary-sidebar-modal" in p for p in problems), message
    assert any("did not hide the sidebar" in p for p in problems), message
    assert any(p.startswith("2 visible search boxes") for p in problems), message


@pytest.mark.sphinx("html", testroot="phone-drawer", srcdir="phone-drawer-fixed", confoverrides={"html_theme_options": {"navbar_persistent": []}})
def test_the_checks_pass_with_the_conf_fix(app, reader):
    problems = plain_theme_problems(app, reader)
    assert not problems, report("sphinx-book-theme with navbar_persistent = [], one.html", problems)
