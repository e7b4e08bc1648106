"""What a reader does on a page: copy an example, switch to dark mode, read code on a phone,
use a screen reader. Screenshots for review go to _build/screenshots/."""

import pytest
from sitecheck import (
    PHONE, accessibility_problems, code_scroll_problems, copy_button_problems, dark_code_problems, overflow_problems,
    report, screenshot_path, switch_colour_mode,
)

pytestmark = pytest.mark.browser

MODEL_PAGE = "tensors/view-vs-reshape.html"  # the model page: doctests with outputs, an exception, long lines


def test_copy_button_copies_runnable_code_without_prompts_or_outputs(reader):
    page, log = reader(MODEL_PAGE, permissions=["clipboard-read", "clipboard-write"])
    problems = copy_button_problems(page) + log.problems
    assert not problems, report(MODEL_PAGE, problems)


def test_dark_mode_toggles_and_code_stays_readable(reader):
    page, log = reader(MODEL_PAGE)
    theme = lambda: page.evaluate("document.documentElement.dataset.theme")  # noqa: E731
    assert theme() == "light", f"{MODEL_PAGE}: a first visit is {theme()!r}, not light"
    switch_colour_mode(page, "dark")
    assert theme() == "dark", f"{MODEL_PAGE}: the theme switch did not turn on dark mode"
    page.reload(wait_until="load")
    assert theme() == "dark", f"{MODEL_PAGE}: dark mode is forgotten on reload"
    page.screenshot(path=screenshot_path("dark-mode.png"))
    problems = dark_code_problems(page) + log.problems
    assert not problems, report(f"{MODEL_PAGE} in dark mode", problems)


def test_code_blocks_scroll_inside_themselves_on_a_phone(reader):
    page, log = reader(MODEL_PAGE, **PHONE)
    problems = code_scroll_problems(page) + overflow_problems(page) + log.problems
    page.evaluate("""() => [...document.querySelectorAll("article div.highlight pre")]
        .find((pre) => pre.scrollWidth > pre.clientWidth)?.scrollIntoView({block: "center"})""")
    page.screenshot(path=screenshot_path("phone.png"))
    assert not problems, report(f"{MODEL_PAGE} at 375px wide", problems)


AUDITED = ["index.html", MODEL_PAGE, "python/iterable-vs-iterator.html", "stats/sd-vs-se.html"]


@pytest.mark.parametrize("path", AUDITED)
def test_no_serious_accessibility_violations(reader, path):
    page, log = reader(path)
    problems = accessibility_problems(page) + log.problems
    assert not problems, report(f"{path} (axe-core audit)", problems)


def test_an_image_without_alt_text_and_grey_on_grey_text_fail_the_audit(serve_copy, reader):
    """The audit on a copy of the model page with two breaks a screen-reader or low-vision reader would meet."""

    def edit(html):
        assert "</article>" in html, f"the break test expected </article> in {MODEL_PAGE}; update the test"
        return html.replace("</article>", '<img src="../_static/favicon.svg"><p style="color:#999;background:#aaa">灰字</p></article>', 1)

    url, _copy = serve_copy({MODEL_PAGE: edit})
    page, _log = reader(MODEL_PAGE, url)
    message = report(f"{MODEL_PAGE} (axe-core audit)", accessibility_problems(page))
    assert "image-alt (critical)" in message and "color-contrast (serious)" in message, message


def test_screenshots_for_review(reader):
    for path, name in [("index.html", "landing.png"), (MODEL_PAGE, "pytorch-page.png")]:
        page, log = reader(path)
        page.screenshot(path=screenshot_path(name), full_page=True)
        assert screenshot_path(name).stat().st_size > 10_000, f"{path}: screenshot {name} looks empty"
