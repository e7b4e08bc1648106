"""Each browser check fails when the thing it guards breaks, and names the page.

Every test serves a copy of the built site (symlinks) in which one file is broken on
purpose, runs the same check function as the real test, and looks for its message.
The real site is never touched.
"""

import re

import pytest
from sitecheck import (
    PHONE, code_scroll_problems, copy_button_problems, dark_code_problems, math_problems, overflow_problems, report,
    switch_colour_mode,
)

pytestmark = pytest.mark.browser

PAGE = "tensors/view-vs-reshape.html"  # the model page: doctests, API links, long code lines
MATH_PAGE = "stats/sd-vs-se.html"  # a page with formulas
FIRST_FORMULA = re.compile(r'<span class="math">(<math .+?</math>)</span>', re.S)


def replace(old, new, count=1):
    """An edit that must apply: replace `old` by `new` (`count` times, 0 = all)."""

    def edit(text):
        assert old in text, f"the guard test expected {old!r} in the page; update the test"
        return text.replace(old, new, count or -1)

    return edit


def first_formula(html):
    match = FIRST_FORMULA.search(html)
    assert match, f"the guard test expected an inline formula in {MATH_PAGE}; update the test"
    return match


def add_to_head(html):
    return replace("</head>", html + "\n</head>")


@pytest.fixture
def broken_site(serve_copy):
    """broken_site({path: edit}) -> (URL, folder) of a served copy of the site with those edits."""
    return serve_copy


def load_problems(reader, base_url, path=PAGE, **options):
    page, log = reader(path, base_url, **options)
    return page, report(path, log.problems + math_problems(page))


def expect(message, *patterns):
    for pattern in patterns:
        assert re.search(pattern, message), f"the check missed the break; expected {pattern!r} in:\n{message}"


def test_an_external_script_is_caught(broken_site, reader):
    url, _copy = broken_site({PAGE: add_to_head('<script src="https://cdn.example.com/analytics.js"></script>')})
    _page, message = load_problems(reader, url)
    expect(message, rf"^{re.escape(PAGE)}:", r"request to another host: https://cdn\.example\.com/analytics\.js")


def test_a_formula_left_as_tex_is_caught(broken_site, reader):
    """A formula the build could not convert is shown as its TeX source."""

    def as_tex(html):
        match = first_formula(html)
        return html[: match.start(1)] + r"\frac{a}{b" + html[match.end(1):]

    url, _copy = broken_site({MATH_PAGE: as_tex})
    _page, message = load_problems(reader, url, MATH_PAGE)
    expect(message, rf"^{re.escape(MATH_PAGE)}:", r"formula not rendered, shown raw: \\frac\{a\}\{b")


@pytest.mark.parametrize(("break_it", "reported"), [
    (lambda math: math.replace("<math ", '<math style="display:none" ', 1), r"formula drawn without a box \(0x0px\)"),
    (lambda math: math.replace("</math>", "<merror><mtext>oops</mtext></merror></math>"), r"MathML error in"),
    (lambda math: math.replace("</math>", r"<mi>\sigma</mi></math>"), r"TeX command left in a formula: .*\\sigma"),
], ids=["no-box", "merror", "tex-left"])
def test_a_broken_formula_is_caught(broken_site, reader, break_it, reported):
    def edit(html):
        match = first_formula(html)
        return html[: match.start(1)] + break_it(match.group(1)) + html[match.end(1):]

    url, _copy = broken_site({MATH_PAGE: edit})
    _page, message = load_problems(reader, url, MATH_PAGE)
    expect(message, rf"^{re.escape(MATH_PAGE)}:", reported)


def test_raw_dollar_math_is_caught(broken_site, reader):
    """A formula MyST did not parse (say, dollarmath switched off) stays as $...$ text."""

    def as_dollars(html):
        match = first_formula(html)
        return html[: match.start()] + "$x^2$" + html[match.end():]

    url, _copy = broken_site({MATH_PAGE: as_dollars})
    _page, message = load_problems(reader, url, MATH_PAGE)
    expect(message, rf"^{re.escape(MATH_PAGE)}:", r"raw dollar math in the text: \$")


def test_a_missing_favicon_is_caught(broken_site, reader):
    url, _copy = broken_site({"_static/favicon.svg": None})
    _page, message = load_problems(reader, url)
    expect(message, r"HTTP 404 for _static/favicon\.svg")


def test_the_theme_console_error_is_caught(broken_site, reader):
    """What the site showed before conf.py set html_context default_mode."""
    url, _copy = broken_site({PAGE: replace('localStorage.getItem("mode") || "auto"', 'localStorage.getItem("mode") || ""')})
    _page, message = load_problems(reader, url)
    expect(message, r"console error: Got invalid theme mode: \. Resetting to auto\.")


def test_a_copy_button_that_copies_outputs_is_caught(broken_site, reader):
    """Excluding the prompts and outputs (.gp, .go; the default, and conf.py, exclude only .linenos)
    copies tracebacks and blank lines."""
    url, _copy = broken_site({"_static/copybutton.js": replace("let exclude = '.linenos, .console-comment';", "let exclude = '.linenos, .console-comment, .gp, .go';")})
    page, _log = reader(PAGE, url, permissions=["clipboard-read", "clipboard-write"])
    message = report(PAGE, copy_button_problems(page))
    expect(message, r"doctest block 2 .*not just the code", r"Traceback \(most recent call last\)")


def test_unreadable_dark_code_is_caught(broken_site, reader):
    url, _copy = broken_site({PAGE: add_to_head("<style>html[data-theme=dark] .highlight pre, html[data-theme=dark] .highlight pre * { color: #333 !important; }</style>")})
    page, _log = reader(PAGE, url)
    switch_colour_mode(page, "dark")
    expect(report(PAGE, dark_code_problems(page)), r"has contrast 1\.\d+:1 against its background \(needs 4\.5:1\)")


def test_code_that_widens_the_phone_page_is_caught(broken_site, reader):
    url, _copy = broken_site({PAGE: add_to_head("<style>.bd-article pre { overflow: visible !important; }</style>")})
    page, _log = reader(PAGE, url, **PHONE)
    message = report(PAGE, overflow_problems(page) + code_scroll_problems(page))
    expect(message, r"the page scrolls sideways", r"overflow-x is visible, its long lines do not scroll")
