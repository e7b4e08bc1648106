"""Every page of the built site loads in Chromium without errors, offline, with its formulas
typeset, and reads on a phone without scrolling sideways."""

import pytest
from site_browser import html_files, is_redirect
from site_build import pages_or_placeholder
from sitecheck import PHONE, formula_count, math_problems, overflow_problems, report, screenshot_path

pytestmark = pytest.mark.browser

# Collected from the build; when nothing is built yet, one test runs to say so. Redirect
# stubs for moved pages replace themselves while loading (tests/browser/test_redirects.py).
PAGES = pages_or_placeholder(lambda site: [rel for rel in html_files(site) if not is_redirect(site, rel)])


def most_formulas(site, count=3):
    """The `count` pages with the most formulas (MathML written by _ext/mathml.py)."""
    formulas = {rel: (site / rel).read_text(encoding="utf-8").count('class="math"') for rel in html_files(site)}
    return sorted((rel for rel in formulas if formulas[rel]), key=lambda rel: -formulas[rel])[:count]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(reader, path):
    """No console error or warning, no failed request, no request off 127.0.0.1, every formula typeset."""
    page, log = reader(path)
    problems = log.problems + math_problems(page)
    assert not problems, report(path, problems)


@pytest.mark.parametrize("path", PAGES)
def test_phone_layout_keeps_prose_in_the_viewport(reader, path):
    """At 375 px nothing in the article sticks out sideways, except inside a block that scrolls."""
    page, _log = reader(path, **PHONE)
    problems = overflow_problems(page)
    assert not problems, report(f"{path} at 375px wide", problems)


@pytest.mark.parametrize("path", pages_or_placeholder(most_formulas))
def test_formulas_render_as_math(reader, path):
    """The formula-heaviest pages: every formula has a box, no TeX is left; screenshots for review."""
    page, _log = reader(path)
    assert formula_count(page) > 0, f"{path}: no typeset formula on the page (expected MathML, found none)"
    problems = math_problems(page)
    assert not problems, report(path, problems)
    page.screenshot(path=screenshot_path("formulas-" + path.removesuffix(".html").replace("/", "-") + ".png"), full_page=True)
