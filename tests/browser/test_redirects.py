"""Old URLs stay citable in a real browser: every page moved in conf.py `redirects`
(the chapter docs/tools/ became docs/environment/) still answers at its old URL, and
old URL + #label lands on the new page, scrolled to that label, for every label that
anchors.lock.json locks on the old or the new page."""

import json
import posixpath
import runpy

import pytest
from site_browser import serve
from site_build import ROOT, edited_copy

pytestmark = pytest.mark.browser

REDIRECTS = runpy.run_path(str(ROOT / "conf.py"))["redirects"]
LOCKED = json.loads((ROOT / "anchors.lock.json").read_text(encoding="utf-8"))["anchors"]
OLD_PAGE = "tools/switch-cuda-version"  # the page the break test damages


def new_page(old: str) -> str:
    """The docname that `redirects` sends `old` to (targets are relative to the old page)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(old), REDIRECTS[old])).removesuffix(".html")


def locked_labels(old: str) -> list[str]:
    return sorted(label for label, entry in LOCKED.items() if entry["page"] in (old, new_page(old)))


def redirect_problems(context, base_url: str, old: str) -> list[str]:
    """Open the old URL bare and with each locked #label; say where the browser did not land."""
    problems = []
    page = context.new_page()
    try:
        for label in [None, *locked_labels(old)]:
            fragment = f"#{label}" if label else ""
            expected = f"{base_url}{new_page(old)}.html{fragment}"
            page.goto(f"{base_url}{old}.html{fragment}")
            try:  # wait until the browser leaves the old page, wherever it goes; then compare
                page.wait_for_url(lambda url: not url.startswith(f"{base_url}{old}.html"), timeout=10_000)
            except Exception:
                pass
            if page.url != expected:
                problems.append(f"{old}.html{fragment} -> {page.url}, expected {expected}")
                continue
            if label and not page.evaluate(
                    "id => { const el = document.getElementById(id); return !!el && el.getBoundingClientRect().top < innerHeight; }",
                    label):
                problems.append(f"{old}.html{fragment}: {new_page(old)}.html shows no #{label} on screen")
    finally:
        page.close()
    return problems


def test_the_renamed_chapter_is_covered():
    assert {"tools/huggingface-offline-loading", "tools/switch-cuda-version"} <= set(REDIRECTS)
    for old in REDIRECTS:
        assert locked_labels(old), f"anchors.lock.json locks nothing on {old} or {new_page(old)}"


@pytest.mark.parametrize("old", sorted(REDIRECTS))
def test_old_url_and_every_locked_anchor_land_on_the_new_page(new_context, site_url, old):
    problems = redirect_problems(new_context(), site_url, old)
    assert problems == [], "\n".join(problems)


def test_redirect_check_catches_a_redirect_that_drops_the_anchor(new_context, built_site, tmp_path):
    def drop_fragment(html: str) -> str:
        assert "target + window.location.hash" in html, "the redirect page changed; update this test"
        return html.replace("target + window.location.hash", "target")

    copy = edited_copy(built_site, tmp_path / "site", {f"{OLD_PAGE}.html": drop_fragment})
    with serve(copy) as url:
        problems = redirect_problems(new_context(), url, OLD_PAGE)
    labels = locked_labels(OLD_PAGE)
    assert len(problems) == len(labels), problems
    assert problems[0].startswith(f"{OLD_PAGE}.html#{labels[0]} -> {url}{new_page(OLD_PAGE)}.html, expected ")
