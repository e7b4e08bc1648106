"""_ext/cite_page.py: the "引用本页" block and the {cite-entry} directive, with and without git history."""

import html
import json
import os
import re
import shutil
import subprocess

import pytest

import cite_page

EPOCH = "1700000000"  # 2023-11-14: the "build date" of these tests
BUILD_DATE = "2023-11-14"


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def block(app, page: str) -> str:
    text = (app.outdir / page).read_text(encoding="utf-8")
    match = re.search(r'<div class="cite-this-page no-search docutils container" id="cite-this-page">(.*?)\n</div>\n</section>', text, re.S)
    assert match, f"no 引用本页 block at the end of {page}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_every_page_ends_with_its_bibtex(app, warning):
    app.build()
    text = block(app, "guide/getitem.html")
    assert "引用本页" in text
    assert f"本页最后修改于 {BUILD_DATE}（构建日期，git 中没有这一版的记录），站点版本 1.2。格式说明见How to cite。" in text
    assert (
        "@misc{demo:getitem,\n"
        "  author       = {{Demo Team}},\n"
        "  title        = {The \\_\\_getitem\\_\\_ protocol \\& 100\\% indexing},\n"
        "  howpublished = {Demo Notes},\n"
        "  version      = {1.2},\n"
        "  year         = {2023},\n"
        f"  date         = {{{BUILD_DATE}}},\n"
        "  url          = {https://example.org/notes/guide/getitem.html#getitem},\n"
        f"  note         = {{版本 1.2，最后修改于 {BUILD_DATE}}},\n"
        "}"
    ) in text
    assert (f"Demo Team. The __getitem__ protocol & 100% indexing[EB/OL]//Demo Notes. 1.2 版. "
            f"({BUILD_DATE})[引用日期]. https://example.org/notes/guide/getitem.html#getitem.") in text


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_landing_page_cites_the_site_and_the_index_pages_have_no_block(app):
    app.build()
    text = block(app, "index.html")
    assert "@misc{demo,\n" in text and "url     = {https://example.org/notes/}" in text and "howpublished" not in text
    assert "本站最后修改于" in text
    for page in ("genindex.html", "search.html"):
        assert "cite-this-page" not in (app.outdir / page).read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_block_stays_out_of_the_search_index_and_the_page_toc(app):
    app.build()
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)", (app.outdir / "searchindex.js").read_text(encoding="utf-8")).group(1))
    pages = [index["docnames"].index(name) for name in ("guide/getitem", "index")]
    for term in ("howpublished", "misc", "引用本页"):
        found = index["terms"].get(term, [])
        assert not set(pages) & set(found if isinstance(found, list) else [found]), term  # only how-to-cite's examples
    page = (app.outdir / "guide/getitem.html").read_text(encoding="utf-8")
    assert page.count('id="cite-this-page"') == 1
    assert 'href="#cite-this-page"' not in page


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_cite_entry_directive_prints_site_and_section_entries(app, warning):
    app.build()
    page = html.unescape(re.sub(r"<[^>]+>", "", (app.outdir / "how-to-cite.html").read_text(encoding="utf-8")))
    assert "@misc{demo,\n" in page
    assert "@misc{demo:getitem-slices,\n" in page
    assert "title        = {The \\_\\_getitem\\_\\_ protocol \\& 100\\% indexing：Slices}" in page
    assert "url          = {https://example.org/notes/guide/getitem.html#getitem-slices}" in page
    assert "indexing：Slices[EB/OL]//Demo Notes. 1.2 版." in page
    assert re.search(r"how-to-cite\.md:\d+: WARNING: cite-entry: unknown label 'no-such-label'", warning.getvalue())


def git(cwd, *args, date="2024-03-05T12:00:00+00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def git_root(tmp_path, rootdir):
    """The cite-page project in a fresh git repository, committed on 2024-03-05."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    src = tmp_path / "cite-page"
    shutil.copytree(rootdir / "test-cite-page", src)
    git(src, "init", "-q")
    git(src, "add", ".")
    git(src, "commit", "-q", "-m", "pages")
    return src


def test_date_comes_from_the_last_commit_of_the_page(make_app, git_root):
    (git_root / "how-to-cite.md").write_text("(how-to-cite)=\n# How to cite\n\nEdited.\n", encoding="utf-8")
    git(git_root, "commit", "-q", "-am", "later edit", date="2025-01-02T12:00:00+00:00")
    app = make_app("html", srcdir=git_root)
    app.build()
    assert "本页最后修改于 2024-03-05（据 git 记录）" in block(app, "guide/getitem.html")
    assert "date         = {2024-03-05}" in block(app, "guide/getitem.html")
    assert "本页最后修改于 2025-01-02（据 git 记录）" in block(app, "how-to-cite.html")
    assert "本站最后修改于 2025-01-02（据 git 记录）" in block(app, "index.html")  # the newest page


def test_uncommitted_edit_uses_the_build_date(make_app, git_root):
    page = git_root / "guide" / "getitem.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    app = make_app("html", srcdir=git_root)
    app.build()
    assert f"本页最后修改于 {BUILD_DATE}（构建日期" in block(app, "guide/getitem.html")
    assert "本页最后修改于 2024-03-05（据 git 记录）" in block(app, "how-to-cite.html")


def test_bibtex_escapes_latex_specials():
    assert cite_page.bibtex_escape(r"a_b & {c} 50% #1 $x ~ ^ \ ") == (
        r"a\_b \& \{c\} 50\% \#1 \$x \textasciitilde{} \textasciicircum{} \textbackslash{} ")
