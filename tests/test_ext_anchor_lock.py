"""Citable anchors stay put: _ext/anchor_lock.py, the committed anchors.lock.json, and redirects.

A locked anchor that breaks fails `make test` in the strict build, where the extension
warns; the tests on the built site below check the HTML it wrote.
"""

import json
import re
import runpy
from pathlib import Path

import anchor_lock
import pytest
from commands import html_output_dirs, make, sphinx_build

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ROOTS = ROOT / "tests" / "roots"
LOCK = ROOT / "anchors.lock.json"


def anchor_lock_warnings(warning) -> list[str]:
    return [line for line in warning.getvalue().splitlines() if "[anchor_lock" in line]


# -- the extension on tiny projects ------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="anchor-lock")
def test_build_writes_the_anchors_in_the_lock_format(app, warning):
    app.build()
    assert anchor_lock_warnings(warning) == []
    written = json.loads((app.outdir / "anchors.json").read_text(encoding="utf-8"))
    expected = anchor_lock.load(ROOTS / "test-anchor-lock" / "lock-ok.json")
    assert written["anchors"] == expected  # page labels get the bare page URL, sections a fragment
    assert list(written["anchors"]) == sorted(written["anchors"])


@pytest.mark.sphinx("html", testroot="anchor-lock-renamed")
def test_renamed_label_is_reported_with_the_pages_that_used_it(app, warning):
    app.build()
    (message,) = anchor_lock_warnings(warning)
    assert "page.md: WARNING: locked anchor 'page-old-name' on page.html#page-old-name (A section) no longer exists" in message
    assert re.search(r"pages that link to it: \S*other\.md:7\. ", message), message
    assert "make lock-anchors" in message


def test_renamed_label_fails_the_strict_build(tmp_path):
    """What `make strict` (and so `make test`) does with the same project."""
    result = sphinx_build("-b", "html", "-n", "-W", "--keep-going", str(ROOTS / "test-anchor-lock-renamed"), str(tmp_path),
                          env={"PYTHONPATH": str(ROOT / "_ext")})
    assert result.returncode != 0
    assert "locked anchor 'page-old-name'" in result.stderr and "other.md:7" in result.stderr


@pytest.mark.sphinx("html", testroot="anchor-lock",
                    confoverrides={"anchor_lock_file": str(ROOTS / "test-anchor-lock" / "lock-moved.json")})
def test_label_moved_to_another_page_without_a_redirect_fails(app, warning):
    app.build()
    (message,) = anchor_lock_warnings(warning)
    assert "new-place.md: WARNING: locked anchor 'moved-section' on old-place.html#moved-section (Moved section)" in message
    assert "moved to new-place.html#moved-section without a redirect from 'old-place'" in message
    assert re.search(r"pages that link to it: \S*index\.md:7\. ", message), message
    assert "declare it in conf.py `redirects`" in message


@pytest.mark.sphinx("html", testroot="anchor-lock",
                    confoverrides={"anchor_lock_file": str(ROOTS / "test-anchor-lock" / "lock-moved.json"),
                                   "redirects": {"old-place": "new-place.html"}})
def test_declared_redirect_lets_the_label_move_and_the_old_url_redirects(app, warning):
    app.build()
    assert anchor_lock_warnings(warning) == []
    old = (app.outdir / "old-place.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=new-place.html"' in old
    assert "window.location.hash" in old  # #moved-section survives the redirect


@pytest.mark.sphinx("html", testroot="anchor-lock",
                    confoverrides={"anchor_lock_file": str(ROOTS / "test-anchor-lock" / "lock-moved.json"),
                                   "redirects": {"old-place": "kept.html"}})
def test_redirect_to_a_page_without_the_label_fails(app, warning):
    app.build()
    (message,) = anchor_lock_warnings(warning)
    assert "but conf.py `redirects` sends 'old-place' to 'kept'" in message


@pytest.mark.sphinx("html", testroot="anchor-lock",
                    confoverrides={"anchor_lock_file": str(ROOTS / "test-anchor-lock" / "missing.json")})
def test_source_tree_without_a_lock_is_not_checked(app, warning):
    """A test project or a one-page build with the site's conf.py; deleting the real lock
    is caught by test_lock_is_well_formed."""
    app.build()
    assert anchor_lock_warnings(warning) == []
    assert "missing.json does not exist, nothing to check" in app.status.getvalue()


@pytest.mark.parametrize(("old", "target", "expected"), [
    ("tensors/old", "view-vs-reshape.html", "tensors/view-vs-reshape"),
    ("tensors/old", "../layers/layernorm.html#layernorm", "layers/layernorm"),
    ("tensors/old", "/layers/layernorm.html", "layers/layernorm"),
    ("old", "layers/", "layers/index"),
    ("old", "https://example.org/x.html", "https://example.org/x.html"),
])
def test_redirect_targets_resolve_to_docnames(old, target, expected):
    assert anchor_lock.redirect_target({old: target}, old) == expected
    assert anchor_lock.redirect_target({old: target}, "unrelated") is None


# -- the real site ------------------------------------------------------------------------------------


def site_config() -> dict:
    return runpy.run_path(str(ROOT / "conf.py"))


def test_lock_is_well_formed():
    data = json.loads(LOCK.read_text(encoding="utf-8"))
    anchors = data["anchors"]
    assert anchors and list(anchors) == sorted(anchors), "anchors.lock.json is written by `make lock-anchors`"
    for label, entry in anchors.items():
        assert set(entry) == {"page", "url", "title"}, label
        assert entry["url"] in (f"{entry['page']}.html", f"{entry['page']}.html#{label}"), label
        assert entry["title"], label
    assert LOCK.read_text(encoding="utf-8") == anchor_lock.dump(anchors), "rewrite it with `make lock-anchors`"


def test_redirects_leave_real_pages_alone_and_point_at_real_pages():
    for old, target in site_config()["redirects"].items():
        assert not (DOCS / f"{old}.md").exists(), f"{old}.md still exists; a redirect would overwrite it"
        resolved = anchor_lock.redirect_target({old: target}, old)
        assert resolved.startswith("https://") or (DOCS / f"{resolved}.md").is_file(), (old, target)


def test_built_site_keeps_every_locked_anchor(built_site):
    """Every locked URL resolves in the HTML: the page exists and carries the id."""
    redirects = site_config()["redirects"]
    missing = []
    for label, entry in anchor_lock.load(LOCK).items():
        page = built_site / f"{entry['page']}.html"
        if not page.is_file():
            missing.append(f"{entry['url']}: no such page")
            continue
        html = page.read_text(encoding="utf-8")
        if entry["page"] in redirects:
            assert 'http-equiv="refresh"' in html, f"{page} should be the redirect to {redirects[entry['page']]}"
            continue
        if f'id="{label}"' not in html:
            missing.append(f"{entry['url']}: no id=\"{label}\" on the page")
    assert missing == [], "\n".join(missing)


def test_built_site_redirects_every_moved_page(built_site):
    for old, target in site_config()["redirects"].items():
        html = (built_site / f"{old}.html").read_text(encoding="utf-8")
        assert f'url={target}"' in html and "window.location.hash" in html, old


def test_make_lock_anchors_copies_what_the_build_wrote():
    result = make("lock-anchors")
    assert result.returncode == 0, result.stderr
    assert html_output_dirs(result.stdout) == ["_build/html"]
    assert "cp _build/html/anchors.json anchors.lock.json" in result.stdout.splitlines(), result.stdout
    assert (DOCS / site_config()["anchor_lock_file"]).resolve() == LOCK
