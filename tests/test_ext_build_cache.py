"""_ext/build_cache.py: steps after the HTML build reuse a result only while its inputs are unchanged.

The property that matters: after an edit, an incremental build writes the same search
index and page downloads as a clean build of the edited sources (tiny sphinx.testing
roots). The break test shows the comparison catches a cache that ignores its inputs.
"""

import os
import pickle
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import build_cache
import pytest
from build_cache import BuildCache, digest

CODE = build_cache.__file__


def cache_in(tmp_path, code=CODE):
    return BuildCache(SimpleNamespace(doctreedir=tmp_path), "demo", code)


def made(value):
    """A make() for BuildCache.result that records that it ran."""
    calls = []

    def make():
        calls.append(value)
        return value

    make.calls = calls
    return make


def reused(cache, key, inputs):
    """True when the cache answered key from a stored result (it did not make one)."""
    make = made(f"made for {key}")
    cache.result(key, inputs, make)
    return not make.calls


def test_a_result_is_reused_only_for_the_same_inputs(tmp_path):
    cache = cache_in(tmp_path)
    assert cache.result("page", digest("v1"), made({"text": "one"})) == {"text": "one"}
    assert not reused(cache, "gone", digest("v1"))  # stored now, dropped unless asked for again
    cache.save()
    again = cache_in(tmp_path)
    assert again.result("page", digest("v1"), made("made again")) == {"text": "one"}
    assert not reused(again, "page", digest("v2"))
    again.save()
    assert not reused(cache_in(tmp_path), "gone", digest("v1"))  # not used by the last build: dropped


def test_keep_unused_keeps_what_the_build_did_not_ask_for(tmp_path):
    cache = BuildCache(SimpleNamespace(doctreedir=tmp_path), "demo", CODE, keep_unused=True)
    cache.result("a", digest("v1"), made("A"))
    cache.save()
    later = BuildCache(SimpleNamespace(doctreedir=tmp_path), "demo", CODE, keep_unused=True)
    later.result("b", digest("v1"), made("B"))
    later.save()
    assert reused(cache_in(tmp_path), "a", digest("v1")) and reused(cache_in(tmp_path), "b", digest("v1"))


def test_another_version_of_the_step_or_a_broken_file_starts_empty(tmp_path):
    cache = cache_in(tmp_path)
    cache.result("page", digest("v1"), made("old"))
    cache.save()
    other_code = tmp_path / "step.py"
    other_code.write_text("# another version of the step\n", encoding="utf-8")
    assert not reused(cache_in(tmp_path, code=other_code), "page", digest("v1"))
    cache.path.write_bytes(pickle.dumps("truncated")[:3])
    assert not reused(cache_in(tmp_path), "page", digest("v1"))


def test_digest_parts_cannot_shift_into_each_other():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("x") == digest(b"x")


# -- incremental builds against clean builds -----------------------------------------------------------------


def touch_later(path: Path) -> None:
    later = time.time() + 5
    os.utime(path, (later, later))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update the test's edit"
    path.write_text(text.replace(old, new), encoding="utf-8")
    touch_later(path)


def assert_same_outputs(incremental: Path, clean: Path, files: list[str]) -> None:
    for name in files:
        ours, theirs = (incremental / name).read_text(encoding="utf-8"), (clean / name).read_text(encoding="utf-8")
        assert ours == theirs, f"{incremental / name}: the incremental build differs from a clean build (stale cache)"


def rebuild_matches_clean(make_app, app, tmp_path, edits, files):
    """Build, apply the edits, build again; compare with a clean build of the edited sources."""
    app.build()
    for path, old, new in edits:
        edit(app.srcdir / path, old, new)
    app.build()
    clean_src = tmp_path / "clean"
    shutil.copytree(app.srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = make_app("html", srcdir=clean_src)
    clean.build()
    assert_same_outputs(Path(app.outdir), Path(clean.outdir), files)


SEARCH_EDITS = [("sampling.md", "越小越接近 one-hot。", "越小越接近 one-hot，新加的一句。")]
DOWNLOAD_EDITS = [("guide/counting.md", "[10, 11, 12]\n>>> numbers, HIDDEN", "[10, 11, 12]\n>>> numbers[0], HIDDEN"),
                  ("guide/counting.md", "([10, 11, 12], 5)", "(10, 5)")]


@pytest.mark.sphinx("html", testroot="zh-search", srcdir="zh-search-incremental")
def test_search_index_after_an_edit_equals_a_clean_build(make_app, app, tmp_path):
    rebuild_matches_clean(make_app, app, tmp_path, SEARCH_EDITS, ["_static/memo-search-index.js"])
    assert "新加的一句" in (Path(app.outdir) / "_static" / "memo-search-index.js").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="page-downloads", srcdir="page-downloads-incremental")
def test_page_downloads_after_an_edit_equal_a_clean_build(make_app, app, tmp_path):
    rebuild_matches_clean(make_app, app, tmp_path, DOWNLOAD_EDITS, ["guide/counting.py", "guide/counting.ipynb"])
    assert "numbers[0], HIDDEN" in (Path(app.outdir) / "guide" / "counting.py").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="zh-search", srcdir="zh-search-stale")
def test_break_a_cache_that_ignores_its_inputs_is_caught(make_app, app, tmp_path, monkeypatch):
    import zh_search

    monkeypatch.setattr(zh_search, "digest", lambda *parts: "always the same")
    with pytest.raises(AssertionError, match=r"memo-search-index\.js: the incremental build differs"):
        rebuild_matches_clean(make_app, app, tmp_path, SEARCH_EDITS, ["_static/memo-search-index.js"])
