"""Frozen releases: _ext/frozen_release.py (section digests, version menu, frozen banner) on
the tiny frozen-release root, tools/snapshot.py (release check, SHA256SUMS) and
tools/make_site.py over two versions of that root; then break tests. The whole flow on the
real site, in a clone, is tests/release_e2e.py (`make test-release`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile

import pytest
from sphinx.testing.util import SphinxTestApp
from commands import make

import frozen_release
import make_site
import snapshot

SITE_URL = "https://example.org/notes/"
EDITED = "This section is edited between the versions."
PAGE = "guide/page.html"


def build(rootdir, target, version: str, *, frozen: bool, edit=None, buildername="html"):
    """The tiny root as release `version`, optionally edited, built as a snapshot or as the living site."""
    src = target / "src"
    if not src.exists():
        shutil.copytree(rootdir / "test-frozen-release", src)
    if edit:
        page = src / "guide" / "page.md"
        page.write_text(edit(page.read_text(encoding="utf-8")), encoding="utf-8")
    overrides = {"release": version, "memo_snapshot": frozen,
                 "html_baseurl": f"{SITE_URL}v/{version}/" if frozen else SITE_URL}
    builddir = target / ("build-frozen" if frozen else "build")
    app = SphinxTestApp(buildername, srcdir=src, builddir=builddir, confoverrides=overrides, freshenv=True,
                        status=None, warning=None)
    try:
        app.build()
    finally:
        app.cleanup()
    return app.outdir


def edit_b(text: str) -> str:
    """Version 1.1: one section edited, one dropped, one untouched."""
    text = text.replace(EDITED, EDITED + " Now with a second sentence.")
    return text.split("(page-dropped)=")[0]


@pytest.fixture(scope="module")
def builds(rootdir, tmp_path_factory):
    """The snapshots of 1.0 and 1.1 and the living build of 1.1, built once for the module."""
    where = tmp_path_factory.mktemp("frozen-release")
    a = build(rootdir, where / "a", "1.0", frozen=True)
    b = build(rootdir, where / "b", "1.1", frozen=True, edit=edit_b)
    living = build(rootdir, where / "b", "1.1", frozen=False)
    return {"1.0": a, "1.1": b}, living


@pytest.fixture
def archive(builds, tmp_path):
    """An archive of the two snapshots (this test's own copy), and the living build."""
    snapshots, living = builds
    folders = tmp_path / "archive"
    for version, html in snapshots.items():
        shutil.copytree(html, folders / version / "html", ignore=shutil.ignore_patterns(".doctrees"))
        (folders / version / f"memo-{version}.pdf").write_bytes(b"%PDF-1.5 demo")
        snapshot.seal(folders / version, 1700000000)
    return folders, living


def assemble(archive, tmp_path):
    folders, living = archive
    out = tmp_path / "site"
    make_site.assemble(living, folders, out, "1.1")
    return out


# -- the extension -----------------------------------------------------------------------------------


def test_every_section_has_a_text_digest(rootdir, tmp_path):
    out = build(rootdir, tmp_path, "1.0", frozen=False)
    data = json.loads((out / frozen_release.SECTIONS_FILE).read_text(encoding="utf-8"))
    assert data["version"] == "1.0"
    sections = data["pages"][PAGE]["sections"]
    assert {"page-kept", "page-edited", "page-dropped"} <= set(sections)
    assert len({sections[i] for i in ("page-kept", "page-edited", "page-dropped")}) == 3
    assert data["pages"]["index.html"]["page"] != data["pages"][PAGE]["page"]


def test_digests_follow_the_text_and_nothing_else(rootdir, tmp_path):
    before = build(rootdir, tmp_path / "a", "1.0", frozen=True)
    after = build(rootdir, tmp_path / "b", "1.1", frozen=False, edit=edit_b)
    old, new = (json.loads((d / frozen_release.SECTIONS_FILE).read_text())["pages"][PAGE] for d in (before, after))
    assert old["sections"]["page-kept"] == new["sections"]["page-kept"]  # other version, other base URL: same text
    assert old["sections"]["page-edited"] != new["sections"]["page-edited"]
    assert "page-dropped" not in new["sections"] and old["page"] != new["page"]


def test_living_pages_get_a_menu_and_no_banner(rootdir, tmp_path):
    out = build(rootdir, tmp_path, "1.0", frozen=False)
    page = (out / PAGE).read_text(encoding="utf-8")
    assert frozen_release.MENU[0] in page and "版本 1.0" in page
    assert frozen_release.BANNER[0] not in page
    assert f'<link rel="canonical" href="{SITE_URL}{PAGE}" />' in page


def test_snapshot_pages_get_the_banner_and_the_living_page_as_canonical(rootdir, tmp_path):
    out = build(rootdir, tmp_path, "1.0", frozen=True)
    page = (out / PAGE).read_text(encoding="utf-8")
    assert "这是 1.0 版的冻结副本，内容不再改变。" in page
    assert f'<link rel="canonical" href="{SITE_URL}{PAGE}" />' in page  # not .../v/1.0/...


def test_other_builders_get_nothing(rootdir, tmp_path):
    out = build(rootdir, tmp_path, "1.0", frozen=True, buildername="text")
    assert not (out / frozen_release.SECTIONS_FILE).exists()
    text = (out / "guide" / "page.txt").read_text(encoding="utf-8")
    assert "冻结副本" not in text and "memo-versions" not in text


def test_an_epub_gets_nothing_either(rootdir, tmp_path):
    out = build(rootdir, tmp_path, "1.0", frozen=True, buildername="epub")
    assert not (out / frozen_release.SECTIONS_FILE).exists()
    page = (out / "guide" / "page.xhtml").read_text(encoding="utf-8")
    assert "冻结副本" not in page and "memo-versions" not in page


# -- make site -----------------------------------------------------------------------------------------


def frozen_items(page_html: str) -> dict[str, tuple[str, str]]:
    """Section id -> (status, link to the latest version) from a frozen page's banner."""
    return {m["id"]: (m["status"], m["href"]) for m in re.finditer(
        r'<li data-section="(?P<id>[^"]+)" data-status="(?P<status>\w+)".*?class="memo-frozen-latest" href="(?P<href>[^"]+)"', page_html)}


def test_frozen_page_says_what_changed_since(archive, tmp_path):
    out = assemble(archive, tmp_path)
    old = (out / "v" / "1.0" / PAGE).read_text(encoding="utf-8")
    assert EDITED in old and "second sentence" not in old  # the old text, kept
    assert "这是 1.0 版的冻结副本，内容不再改变。" in old
    assert frozen_items(old) == {
        "page-kept": ("unchanged", "../../../guide/page.html#page-kept"),
        "page-edited": ("changed", "../../../guide/page.html#page-edited"),
        "page-dropped": ("removed", "../../../guide/page.html"),
    }
    assert 'data-status="changed">本页在最新版（1.1）中已改动' in old
    for href in ("../../../guide/page.html#page-kept",):
        assert (out / "v" / "1.0" / "guide" / href.split("#")[0]).resolve() == (out / PAGE).resolve()
    newest_frozen = (out / "v" / "1.1" / PAGE).read_text(encoding="utf-8")
    assert set(status for status, _ in frozen_items(newest_frozen).values()) == {"unchanged"}


def test_every_page_lists_every_version(archive, tmp_path):
    out = assemble(archive, tmp_path)
    living = (out / PAGE).read_text(encoding="utf-8")
    assert frozen_release.BANNER[0] not in living
    menu = re.search(r'<ul class="memo-versions-list">(.*?)</ul>', living).group(1)
    assert re.findall(r'href="([^"]+)"', menu) == ["../v/1.1/guide/page.html", "../v/1.0/guide/page.html", "../v/index.html"]
    assert "最新版（1.1）" in menu and 'aria-current="page">最新版（1.1）' in menu
    old_menu = re.search(r'<ul class="memo-versions-list">(.*?)</ul>', (out / "v/1.0" / PAGE).read_text()).group(1)
    assert re.findall(r'href="([^"]+)"', old_menu) == ["../../../guide/page.html", "../../1.1/guide/page.html", "../../index.html"]
    listing = json.loads((out / "versions.json").read_text(encoding="utf-8"))
    assert listing == {"latest": "1.1", "versions": [
        {"version": "1.1", "path": "v/1.1/", "latest": True, "downloads": ["v/1.1/memo-1.1.pdf"]},
        {"version": "1.0", "path": "v/1.0/", "latest": False, "downloads": ["v/1.0/memo-1.0.pdf"]}]}
    assert (out / "v/1.0/memo-1.0.pdf").read_bytes() == b"%PDF-1.5 demo"
    assert 'href="1.0/memo-1.0.pdf"' in (out / "v/index.html").read_text(encoding="utf-8")
    assert not list(out.rglob(".doctrees")) and (out / ".nojekyll").exists()


@pytest.mark.parametrize("tamper, message", [
    (lambda html: (html / PAGE).write_text("<p>new text</p>"), "html/guide/page.html: changed: its SHA-256 differs from SHA256SUMS"),
    (lambda html: (html / "guide" / "extra.html").write_text("x"), "html/guide/extra.html: added: not in SHA256SUMS"),
    (lambda html: (html / PAGE).unlink(), "html/guide/page.html: missing: SHA256SUMS lists it"),
])
def test_a_tampered_snapshot_stops_make_site_with_the_file_name(archive, tmp_path, capsys, tamper, message):
    folders, _ = archive
    tamper(folders / "1.0" / "html")
    with pytest.raises(SystemExit):
        assemble(archive, tmp_path)
    assert f"error: make site: {folders / '1.0'}/{message}" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_an_archive_without_the_living_version_is_refused(archive, tmp_path, capsys):
    folders, living = archive
    shutil.rmtree(folders / "1.1")
    with pytest.raises(SystemExit):
        make_site.assemble(living, folders, tmp_path / "site", "1.1")
    assert "has no snapshot of 1.1, the version of the living site" in capsys.readouterr().err


# -- tools/snapshot.py -------------------------------------------------------------------------------


def test_sums_are_sha256sum_format_and_a_zip_gets_fixed_dates(tmp_path):
    folder = tmp_path / "9.9"
    (folder / "html" / ".doctrees").mkdir(parents=True)
    (folder / "html" / "index.html").write_text("hi")
    (folder / "html" / ".buildinfo").write_text("config: /abs/path")
    (folder / "html" / ".doctrees").rmdir()
    (folder / "html" / ".doctrees").symlink_to(tmp_path)  # make snapshot links the HTML build's doctrees there
    with zipfile.ZipFile(folder / "memo-9.9.epub", "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
    assert snapshot.seal(folder, 1700000000) == 2
    assert not (folder / "html" / ".buildinfo").exists() and not (folder / "html" / ".doctrees").is_symlink()
    assert tmp_path.is_dir()
    assert subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=folder).returncode == 0
    assert zipfile.ZipFile(folder / "memo-9.9.epub").infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)
    assert snapshot.verify(folder) == []


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True, capture_output=True)


def test_only_a_clean_tagged_checkout_is_a_release(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "VERSION").write_text("9.9\n")
    git(tmp_path, "add", "VERSION")
    git(tmp_path, "commit", "-qm", "release")
    assert snapshot.release_problems("9.9", tmp_path) == [
        "HEAD is not tagged v9.9 (VERSION says 9.9; tags at HEAD: none): tag the release first, "
        "`git tag -a v9.9 -m 'Release 9.9'` (CONTRIBUTING.md, Releases)"]
    git(tmp_path, "tag", "v9.9")
    assert snapshot.release_problems("9.9", tmp_path) == []
    (tmp_path / "VERSION").write_text("9.10\n")
    assert snapshot.release_problems("9.9", tmp_path) == ["the working tree differs from HEAD (VERSION): commit or stash it first"]


def test_make_snapshot_builds_for_the_permanent_address_and_seals():
    result = make("snapshot", "BUILDDIR=_build/x")
    assert result.returncode == 0, result.stderr
    version = (make_site.Path(__file__).parents[1] / "VERSION").read_text().strip()
    assert f"tools/snapshot.py check {version}" in result.stdout
    sphinx = next(line for line in result.stdout.splitlines() if "sphinx-build" in line)
    assert f"-b html -E -n -W --keep-going -d _build/x/snapshot/.work/doctrees docs _build/x/snapshot/{version}/html" in sphinx
    assert re.search(rf"^ln -s /\S+/_build/x/snapshot/.work/doctrees _build/x/snapshot/{version}/html/.doctrees$", result.stdout, re.M)
    assert f"tools/snapshot.py seal _build/x/snapshot/{version}" in result.stdout


def test_make_site_needs_an_archive():
    result = make("site", dry_run=False)
    assert result.returncode != 0 and "make site needs ARCHIVE=" in result.stderr


# -- conf.py: one canonical host ------------------------------------------------------------------------


def test_read_the_docs_is_a_mirror_citations_keep_the_canonical_host(monkeypatch, repo_root):
    import runpy

    monkeypatch.setenv("READTHEDOCS", "True")
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://memo-docs.readthedocs.io/zh-cn/latest/")
    on_rtd = runpy.run_path(str(repo_root / "conf.py"))
    monkeypatch.delenv("READTHEDOCS")
    at_home = runpy.run_path(str(repo_root / "conf.py"))
    assert on_rtd["html_baseurl"] == at_home["html_baseurl"] == at_home["memo_site_url"]
    assert on_rtd["ogp_site_url"] == at_home["memo_site_url"]


def test_a_snapshot_build_has_its_permanent_address_and_no_sitemap(monkeypatch, repo_root):
    import runpy

    monkeypatch.setenv("MEMO_SNAPSHOT", "1")
    conf = runpy.run_path(str(repo_root / "conf.py"))
    assert conf["html_baseurl"] == f"{conf['memo_site_url']}v/{conf['release']}/"
    assert conf["notfound_urls_prefix"] == f"/memo/v/{conf['release']}/"
    assert "sphinx_sitemap" not in conf["extensions"] and "frozen_release" in conf["extensions"]


# -- the built site ------------------------------------------------------------------------------------


def digest_problems(sections: dict, anchors: dict) -> list[str]:
    """Each citable anchor (anchors.json) that sections.json has no digest for."""
    problems = []
    for label, entry in sorted(anchors.items()):
        page, _, fragment = entry["url"].partition("#")
        found = sections["pages"].get(page)
        if found is None or (fragment and fragment not in found["sections"]):
            problems.append(f"sections.json: no digest for {label} ({entry['url']}): make site could not compare it")
    return problems


def test_every_citable_anchor_of_the_site_has_a_digest(built_site):
    sections = json.loads((built_site / frozen_release.SECTIONS_FILE).read_text(encoding="utf-8"))
    anchors = json.loads((built_site / "anchors.json").read_text(encoding="utf-8"))["anchors"]
    assert len(anchors) > 100
    assert digest_problems(sections, anchors) == []


def test_a_missing_digest_is_caught(built_site):
    sections = json.loads((built_site / frozen_release.SECTIONS_FILE).read_text(encoding="utf-8"))
    sections["pages"]["tensors/view-vs-reshape.html"]["sections"].pop("view-vs-reshape-pitfalls")
    anchors = json.loads((built_site / "anchors.json").read_text(encoding="utf-8"))["anchors"]
    assert digest_problems(sections, anchors) == [
        "sections.json: no digest for view-vs-reshape-pitfalls (tensors/view-vs-reshape.html#view-vs-reshape-pitfalls): "
        "make site could not compare it"]


def test_every_page_of_the_site_has_the_version_menu(built_site):
    from site_browser import site_pages

    pages = [page for page in site_pages(built_site) if page not in frozen_release.NO_MENU_FILES]
    assert len(pages) > 20
    missing = [page for page in pages if frozen_release.MENU[0] not in (built_site / page).read_text(encoding="utf-8")]
    assert missing == []
