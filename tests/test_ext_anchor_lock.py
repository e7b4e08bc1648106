"""Citable anchors stay put: _ext/anchor_lock.py, the committed anchors.lock.json, and redirects.

A locked anchor that breaks fails `make test` in the strict build, where the extension
warns; the tests on the built site below check the HTML it wrote.
"""

import json
import posixpath
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
    assert unreachable_anchors(app.outdir, anchor_lock.load(ROOTS / "test-anchor-lock" / "lock-moved.json")) == []


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


@pytest.mark.parametrize("source", ["tensors/*", "tensors/ol?", "tensors/[o]ld", "*"])
def test_wildcard_redirects_do_not_count_for_moved_pages(source):
    """sphinx-reredirects expands wildcards over the pages that still exist, so it writes
    no redirect for a page that moved away: only an exact key declares a move."""
    assert anchor_lock.redirect_target({source: "../layers/$source.html"}, "tensors/old") is None


@pytest.mark.sphinx("html", testroot="anchor-lock",
                    confoverrides={"anchor_lock_file": str(ROOTS / "test-anchor-lock" / "lock-moved.json"),
                                   "redirects": {"old-*": "new-place.html"}})
def test_wildcard_redirect_does_not_let_the_label_move(app, warning):
    app.build()
    (message,) = anchor_lock_warnings(warning)
    assert "moved to new-place.html#moved-section without a redirect from 'old-place'" in message
    assert "No documents match to 'old-*' redirect" in warning.getvalue()  # reredirects wrote none either


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


def redirect_file_target(html: str) -> str | None:
    """The URL a sphinx-reredirects page sends the browser to (with the reader's #fragment)."""
    match = re.search(r'var target = "([^"]+)";if \(window\.location\.hash\) \{window\.location\.replace\(target \+ window\.location\.hash\)', html)
    return match and match.group(1)


def follow(built_site: Path, url: str) -> tuple[str, str]:
    """(page file, fragment) a locked URL finally shows, following one redirect as a browser would."""
    path, _, fragment = url.partition("#")
    html = (built_site / path).read_text(encoding="utf-8")
    target = redirect_file_target(html)
    if target is None:
        return path, fragment
    landed = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    assert redirect_file_target((built_site / landed).read_text(encoding="utf-8")) is None, f"{url}: a chain of redirects"
    return landed, fragment


def unreachable_anchors(site: Path, locked: dict[str, dict]) -> list[str]:
    """Locked URLs that, followed through their redirect, show no page carrying the id."""
    missing = []
    for label, entry in locked.items():
        if not (site / f"{entry['page']}.html").is_file():
            missing.append(f"{entry['url']}: no such page")
            continue
        page, _ = follow(site, entry["url"])
        if f'id="{label}"' not in (site / page).read_text(encoding="utf-8"):
            missing.append(f"{entry['url']} (shows {page}): no id=\"{label}\" on the page")
    return missing


def test_built_site_keeps_every_locked_anchor(built_site):
    missing = unreachable_anchors(built_site, anchor_lock.load(LOCK))
    assert missing == [], "\n".join(missing)


@pytest.mark.sphinx("html", testroot="anchor-lock",
                    confoverrides={"anchor_lock_file": str(ROOTS / "test-anchor-lock" / "lock-moved.json"),
                                   "redirects": {"old-place": "kept.html"}})
def test_unreachable_anchors_follows_redirects_and_catches_a_wrong_one(app):
    app.build()
    locked = anchor_lock.load(ROOTS / "test-anchor-lock" / "lock-moved.json")
    assert unreachable_anchors(app.outdir, locked) == [
        'old-place.html#moved-section (shows kept.html): no id="moved-section" on the page']


def test_old_urls_of_moved_pages_keep_every_anchor(built_site):
    """Old URL + #label of every page in `redirects` lands on the new page at that label,
    for every label locked on the old or the new page (the lock may name either)."""
    redirects = site_config()["redirects"]
    locked = anchor_lock.load(LOCK)
    assert {"tools/huggingface-offline-loading", "tools/switch-cuda-version"} <= set(redirects)  # the old chapter
    for old, target in redirects.items():
        new = anchor_lock.redirect_target(redirects, old)
        labels = [label for label, entry in locked.items() if entry["page"] in (old, new)]
        assert labels, f"no locked anchor on {old} or {new}"
        for label in labels:
            page, fragment = follow(built_site, f"{old}.html#{label}")
            assert page == f"{new}.html", (old, target, page)
            assert f'id="{fragment}"' in (built_site / page).read_text(encoding="utf-8"), f"{old}.html#{label}"


def test_built_site_redirects_every_moved_page(built_site):
    for old, target in site_config()["redirects"].items():
        html = (built_site / f"{old}.html").read_text(encoding="utf-8")
        assert redirect_file_target(html) == target and f'http-equiv="refresh" content="0; url={target}"' in html, old


def test_make_lock_anchors_rewrites_the_lock_from_a_build():
    """The site's build with the lock update on: the extension rewrites the lock (relock)."""
    result = make("lock-anchors")
    assert result.returncode == 0, result.stderr
    assert html_output_dirs(result.stdout) == ["_build/html"]
    assert any("-D anchor_lock_update=1" in line for line in result.stdout.splitlines()), result.stdout
    assert (DOCS / site_config()["anchor_lock_file"]).resolve() == LOCK


def entry(page: str, label: str | None = None, title: str = "T") -> dict:
    return {"page": page, "url": f"{page}.html" + (f"#{label}" if label else ""), "title": title}


def test_relock_keeps_the_published_url_of_a_label_moved_under_a_redirect():
    locked = {"a": entry("old", "a"), "b": entry("old", "b"), "gone": entry("old", "gone"), "c": entry("c")}
    current = {"a": entry("new", "a", "A now"), "b": entry("elsewhere", "b"), "c": entry("c"), "d": entry("c", "d")}
    assert anchor_lock.relock(locked, current, {"old": "new.html"}) == {
        "a": entry("old", "a", "A now"),  # moved with its page: the old URL stays locked
        "b": entry("elsewhere", "b"),  # moved without a redirect: rewriting accepts the break
        "c": entry("c"),
        "d": entry("c", "d"),  # new
    }
    assert anchor_lock.relock(locked, current, {})["a"] == entry("new", "a", "A now")


@pytest.mark.sphinx("html", testroot="anchor-lock", freshenv=True)
def test_lock_update_rewrites_the_lock_file(make_app, app_params, tmp_path):
    args, kwargs = app_params
    lock = tmp_path / "anchors.lock.json"
    lock.write_text((ROOTS / "test-anchor-lock" / "lock-moved.json").read_text(encoding="utf-8"), encoding="utf-8")
    overrides = {"anchor_lock_file": str(lock), "anchor_lock_update": 1, "redirects": {"old-place": "new-place.html"}}
    app = make_app(*args, **{**kwargs, "confoverrides": overrides})
    app.build()
    written = anchor_lock.load(lock)
    assert written["moved-section"] == {"page": "old-place", "url": "old-place.html#moved-section", "title": "Moved section"}
    assert set(written) == set(json.loads((app.outdir / "anchors.json").read_text(encoding="utf-8"))["anchors"])
    assert lock.read_text(encoding="utf-8") == anchor_lock.dump(written)
