"""The interface in Chromium: the 404 page at any depth, the keyboard in the colour menu and on
the search page, and no English in what the scripts add to a page. Screenshots of the 404 page
and of the open colour menu go to _build/screenshots/."""

import re

import pytest
from interface_text import content_vocabulary, english_interface_text
from navcheck import PHONE_390, citation_wrap_problems, colour_menu_keyboard_problems, skip_to_results_problems
from sitecheck import report, screenshot_path, search

pytestmark = pytest.mark.browser

MODEL_PAGE = "tensors/view-vs-reshape.html"
MISSING = ["missing.html", "tensors/missing.html", "a/b/c/d/missing/"]  # a wrong link at any depth


def not_found_problems(page, log, path) -> list[str]:
    """A missing URL shows the site's Chinese 404 page, styled, with a search box that works."""
    expected = [f"HTTP 404 for {path}", "HTTP 404 for the page itself"]
    problems = [p for p in log.problems if p not in expected and not p.startswith("console error: Failed to load resource")]
    if page.locator("article h1").inner_text() != "找不到这个页面":
        problems.append(f"the page's heading is {page.locator('article h1').inner_text()!r}, not the site's 404 page")
    if page.evaluate("getComputedStyle(document.querySelector('.bd-header-article')).position") != "sticky":
        problems.append("the theme's stylesheets did not load")
    if page.locator(".bd-sidebar-primary nav.bd-docs-nav a").count() < 10:
        problems.append("no site navigation on the 404 page")
    page.locator(".not-found-search input[name=q]").fill("reshape")
    page.locator(".not-found-search button[type=submit]").click()
    try:
        page.wait_for_url(re.compile(r"/memo/search\.html\?q=reshape"), timeout=10_000)
        page.wait_for_function("() => document.querySelector('#search-results .search-summary')?.innerText.trim()", timeout=20_000)
    except Exception:  # Playwright's TimeoutError
        return problems + [f"the 404 page's search box led to {page.url}, not to search results"]
    if page.locator("#search-results ul.search > li").count() == 0:
        problems.append("the 404 page's search box found nothing for 'reshape'")
    return problems


@pytest.mark.parametrize("path", MISSING)
def test_missing_pages_get_the_chinese_404_page(reader, path):
    page, log = reader(path)
    problems = not_found_problems(page, log, path)
    assert not problems, report(path, problems)


def test_404_chapter_links_work_at_depth(reader):
    page, _log = reader(MISSING[-1])
    page.screenshot(path=screenshot_path("404.png"), full_page=True)
    links = page.locator("article .not-found-chapters a.reference.internal")
    assert links.count() > 10, "the 404 page links to no chapters"
    target = links.nth(links.count() // 2)
    href = target.get_attribute("href")
    target.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(href) and page.locator("article h1").count() == 1, f"{MISSING[-1]}: the chapter link {href} led to {page.url}"


def test_a_404_page_with_relative_urls_is_caught(broken_site_404, reader):
    """What sphinx-notfound-page prevents: relative asset URLs break the page below the top level."""
    url = broken_site_404(lambda html: html.replace('="/memo/', '="'))
    page, log = reader("a/b/c/d/missing/", url)
    message = report("a/b/c/d/missing/", not_found_problems(page, log, "a/b/c/d/missing/"))
    assert "HTTP 404 for a/b/c/d/missing/_static/" in message and "stylesheets did not load" in message, message


@pytest.fixture
def broken_site_404(serve_copy):
    return lambda edit: serve_copy({"404.html": edit})[0]


# -- keyboard --------------------------------------------------------------------------------------


def test_colour_menu_keeps_keyboard_focus(reader):
    page, log = reader(MODEL_PAGE)
    problems = colour_menu_keyboard_problems(page)
    page.locator(".theme-switch-button").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.screenshot(path=screenshot_path("colour-menu.png"))
    assert not problems + log.problems, report(MODEL_PAGE, problems + log.problems)


def test_lost_colour_menu_focus_is_caught(broken_site_page, reader):
    """sphinx-book-theme's blur-on-click, without the layout.html script that gives focus back."""
    url = broken_site_page(MODEL_PAGE, lambda html: re.sub(r"<script>\ndocument\.addEventListener\(\"click\".*?</script>", "", html, flags=re.S))
    page, _log = reader(MODEL_PAGE, url)
    problems = colour_menu_keyboard_problems(page)
    assert problems == ["Enter on the colour-mode button moved keyboard focus to <body>, out of the menu"], problems


def test_search_page_skip_link_reaches_the_first_result(reader):
    page, log, ranked = search(reader, "reshape")
    problems = skip_to_results_problems(page) + log.problems
    assert ranked and not problems, report("search.html?q=reshape", problems)


def test_a_missing_skip_link_is_caught(broken_site_page, reader):
    url = broken_site_page("search.html", lambda html: re.sub(r'<div id="skip-to-search-results".*?</div>', "", html, flags=re.S))
    page, _log, _ranked = search(reader, "reshape", url)
    assert skip_to_results_problems(page) == ["no skip link to #search-results within the first 3 Tab presses"]


@pytest.fixture
def broken_site_page(serve_copy):
    def make(path, edit):
        def checked(html):
            edited = edit(html)
            assert edited != html, f"the break test's edit no longer applies to {path}; update it"
            return edited

        return serve_copy({path: checked})[0]

    return make


def test_unwrapped_citation_lines_are_caught(broken_site_page, reader):
    url = broken_site_page("_static/cite.css", lambda css: css.replace("white-space: pre-wrap;", ""))
    page, _log = reader(MODEL_PAGE, url, **PHONE_390)
    problems = citation_wrap_problems(page)
    assert any(re.match(r"citation line '.*(url|note|memo-docs\.github\.io).*' needs sideways scrolling", p) for p in problems), problems


# -- what the scripts add ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [MODEL_PAGE, "search.html?q=reshape", MISSING[-1]])
def test_no_english_in_the_page_after_its_scripts_ran(reader, built_site, path):
    """Tooltips and buttons that the scripts create (copy buttons, search results) are Chinese too."""
    page, _log = reader(path)
    if path.startswith("search.html"):
        page.wait_for_function("() => document.querySelector('#search-results .search-summary')?.innerText.trim()", timeout=20_000)
        page.evaluate("document.querySelectorAll('#search-results ul.search').forEach((results) => results.remove())")  # content
    code = page.locator("article div.highlight pre >> visible=true")  # not the closed 引用本节 panels
    if code.count():
        code.first.hover()  # shows the copy button
    found = english_interface_text(page.content(), content_vocabulary(built_site), article_is_content=path == MODEL_PAGE)
    assert not found, report(f"{path} (DOM after its scripts ran)", [f"line {line}: {what}" for line, what in found])
