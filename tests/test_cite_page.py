"""_ext/cite_page.py: 引用本节 panels, the 引用本页 block, reference-manager metadata and the
memo.bib / memo.json exports, on the tiny cite-page root and on the built site; then break
tests that feed the same checks broken input."""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile

import pytest
from citecheck import (
    base_url, export_problems, meta_problems, panel_problems, panels, parse_bibtex, soup,
)

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


def anchors(app) -> dict:
    return json.loads((app.outdir / "anchors.json").read_text(encoding="utf-8"))["anchors"]


# -- the tiny root ----------------------------------------------------------------------


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
def test_every_labelled_section_has_one_panel_under_its_heading(app):
    app.build()
    found = anchors(app)
    assert {label for label, entry in found.items() if "#" in entry["url"]} == {
        "getitem-slices", "getitem-steps", "getitem-old-name", "getitem-negative", "how-to-cite-exports"}
    assert panel_problems(app.outdir, found, prefix="demo") == []
    page = panels(app.outdir / "guide/getitem.html")
    assert [p["fields"]["key"] for p in page] == [
        "demo:getitem-slices", "demo:getitem-steps", "demo:getitem-negative", "demo:getitem-old-name"]
    steps = next(p for p in page if p["fields"]["key"] == "demo:getitem-steps")
    assert steps["fields"]["title"] == "The \\_\\_getitem\\_\\_ protocol \\& 100\\% indexing：Steps with σ"
    text = (app.outdir / "guide/getitem.html").read_text(encoding="utf-8")
    assert "旧锚点 #getitem-old-name 的条目（同一节）" in text
    assert text.count("<details") == 3  # one a section, with both labels' entries; the unlabelled ### has none
    # The heading and its permalink are untouched; the panel follows the heading.
    assert re.search(r'<section class="cite-able" id="getitem-slices">\n<span id="slices"></span><h2>Slices<a class="headerlink" '
                     r'href="#getitem-slices" title="[^"]+">¶</a></h2>\n<details class="cite-section no-search">', text)
    assert '<summary class="cite-summary" aria-label="引用本节：Slices">引用本节</summary>' in text


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_panels_stay_out_of_the_search_index_and_the_page_toc(app):
    app.build()
    index = json.loads(re.search(r"Search\.setIndex\((.*)\)", (app.outdir / "searchindex.js").read_text(encoding="utf-8")).group(1))
    pages = [index["docnames"].index(name) for name in ("guide/getitem", "index")]
    for term in ("howpublished", "misc", "引用本页", "引用本节", "gb", "7714", "eb", "ol"):
        found = index["terms"].get(term, [])
        assert not set(pages) & set(found if isinstance(found, list) else [found]), term  # only how-to-cite's examples
    titles = {title for title, _ in index["alltitles"].items()}
    assert titles >= {"Slices", "Negative indices"} and not any("引用" in title for title in titles)
    toc = app.env.tocs["guide/getitem"].astext()
    assert "Slices" in toc and "引用" not in toc and "BibTeX" not in toc
    page = (app.outdir / "guide/getitem.html").read_text(encoding="utf-8")
    assert page.count('id="cite-this-page"') == 1
    assert 'href="#cite-this-page"' not in page


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_cite_entry_and_exports_directives(app, warning):
    app.build()
    page = html.unescape(re.sub(r"<[^>]+>", "", (app.outdir / "how-to-cite.html").read_text(encoding="utf-8")))
    assert "@misc{demo,\n" in page
    assert "@misc{demo:getitem-slices,\n" in page
    assert "title        = {The \\_\\_getitem\\_\\_ protocol \\& 100\\% indexing：Slices}" in page
    assert "url          = {https://example.org/notes/guide/getitem.html#getitem-slices}" in page
    assert "indexing：Slices[EB/OL]//Demo Notes. 1.2 版." in page
    assert re.search(r"how-to-cite\.md:\d+: WARNING: cite-entry: unknown label 'no-such-label'", warning.getvalue())
    count = len(cite_page.all_citations(app))
    assert count == 1 + 2 + 5  # the site, two pages (not the landing page), five sections
    assert f"memo.bib：BibTeX，{count} 条" in page
    links = soup(app.outdir / "how-to-cite.html").select("a[href$='memo.bib'], a[href$='memo.json']")
    assert [a["href"] for a in links] == ["memo.bib", "memo.json"]


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_exports_hold_every_page_and_section_and_parse(app):
    app.build()
    assert export_problems(app.outdir, anchors(app), prefix="demo") == []
    keys, problems = parse_bibtex((app.outdir / "memo.bib").read_text(encoding="utf-8"), "memo.bib")
    assert problems == [] and keys[0] == "demo" and "demo:getitem-steps" in keys
    assert_renders_with_citeproc(app.outdir / "memo.json", expect="The __getitem__ protocol")


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_head_has_highwire_tags_json_ld_and_a_plain_description(app):
    app.build()
    for page in ("index.html", "guide/getitem.html", "how-to-cite.html"):
        assert meta_problems(app.outdir / page, page) == [], page
    head = soup(app.outdir / "guide/getitem.html").head
    meta = {m.get("name") or m.get("property"): m["content"] for m in head.find_all("meta") if m.get("content")}
    assert meta["citation_title"] == "The __getitem__ protocol & 100% indexing"
    assert meta["citation_author"] == "Demo Team"
    assert meta["citation_publication_date"] == meta["citation_online_date"] == BUILD_DATE.replace("-", "/")
    assert meta["citation_public_url"] == "https://example.org/notes/guide/getitem.html#getitem"
    assert meta["citation_language"] == "en" and meta["citation_publisher"] == "Demo Notes"
    assert meta["description"] == meta["og:description"] == "Slices shrink by 1/√(n) and cost μ nothing."
    data = json.loads(head.find("script", type="application/ld+json").string)
    assert data["@type"] == "TechArticle" and data["isPartOf"]["url"] == "https://example.org/notes/"
    assert (data["inLanguage"], data["version"], data["dateModified"]) == ("en", "1.2", BUILD_DATE)
    assert json.loads(soup(app.outdir / "index.html").head.find("script", type="application/ld+json").string)["@type"] == "WebSite"


def assert_renders_with_citeproc(path, expect: str):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # citeproc-py warns about every field it does not know
        source = CiteProcJSON(json.loads(path.read_text(encoding="utf-8")))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # shipped with citeproc-py: no network
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for key in source:
        bibliography.register(Citation([CitationItem(key)]))
    rendered = [str(item) for item in bibliography.bibliography()]
    assert len(rendered) == len(source)
    assert any(expect in item for item in rendered), rendered[:3]
    return rendered


# -- dates from git -------------------------------------------------------------------------


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
    assert all(p["fields"]["date"] == "2024-03-05" for p in panels(app.outdir / "guide/getitem.html"))
    assert "本页最后修改于 2025-01-02（据 git 记录）" in block(app, "how-to-cite.html")
    assert "本站最后修改于 2025-01-02（据 git 记录）" in block(app, "index.html")  # the newest page


def test_uncommitted_edit_uses_the_build_date(make_app, git_root):
    page = git_root / "guide" / "getitem.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    app = make_app("html", srcdir=git_root)
    app.build()
    assert f"本页最后修改于 {BUILD_DATE}（构建日期" in block(app, "guide/getitem.html")
    assert all(p["fields"]["date"] == BUILD_DATE for p in panels(app.outdir / "guide/getitem.html"))
    assert "本页最后修改于 2024-03-05（据 git 记录）" in block(app, "how-to-cite.html")


def test_committing_the_edit_brings_back_the_git_date(make_app, git_root):
    page = git_root / "guide" / "getitem.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    app = make_app("html", srcdir=git_root)
    app.build()
    assert f"本页最后修改于 {BUILD_DATE}（构建日期" in block(app, "guide/getitem.html")
    git(git_root, "commit", "-q", "-am", "more", date="2025-02-03T12:00:00+00:00")
    app = make_app("html", srcdir=git_root)  # an incremental build: the page's text did not change
    app.build()
    assert "本页最后修改于 2025-02-03（据 git 记录）" in block(app, "guide/getitem.html")


def test_bibtex_escapes_latex_specials():
    assert cite_page.bibtex_escape(r"a_b & {c} 50% #1 $x ~ ^ \ ") == (
        r"a\_b \& \{c\} 50\% \#1 \$x \textasciitilde{} \textasciicircum{} \textbackslash{} ")


# -- the built site -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def locked(repo_root, built_site):
    """Every locked label where this build puts it: a page moved under a redirect keeps its
    old URL in the lock (test_anchor_lock.py follows that), but is cited at its new one."""
    lock = json.loads((repo_root / "anchors.lock.json").read_text(encoding="utf-8"))["anchors"]
    built = json.loads((built_site / "anchors.json").read_text(encoding="utf-8"))["anchors"]
    return {label: built.get(label, entry) for label, entry in lock.items()}


def test_every_locked_section_is_citable_on_its_page(built_site, locked):
    problems = panel_problems(built_site, locked)
    sections = sum("#" in entry["url"] for entry in locked.values())
    assert sections > 100 and problems == [], "\n".join(problems[:20])


def test_every_page_bibtex_parses_with_unique_keys(built_site):
    keys, problems = [], []
    for path in sorted(built_site.rglob("*.html")):
        where = path.relative_to(built_site).as_posix()
        entries = [pre.get_text() for pre in soup(path).select(".cite-bibtex pre")]
        if not entries or where == "how-to-cite.html":  # how-to-cite also shows other pages' entries
            continue
        page_keys, page_problems = parse_bibtex("\n\n".join(entries), where)
        keys += page_keys
        problems += page_problems
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert problems == [] and repeated == [], "\n".join(problems[:20] + repeated[:20])


def test_exports_match_the_pages_and_render_with_citeproc(built_site, locked):
    problems = export_problems(built_site, locked)
    assert problems == [], "\n".join(problems[:20])
    rendered = assert_renders_with_citeproc(built_site / "memo.json", expect="备忘录")
    assert len(rendered) == 1 + len(locked) - 1  # the site (for the landing page) and every other anchor


def test_every_content_page_has_metadata_that_agrees_with_its_bibtex(built_site, locked):
    pages = sorted({entry["url"].split("#")[0] for entry in locked.values()})
    problems = [problem for page in pages for problem in meta_problems(built_site / page, page)]
    assert len(pages) > 20 and problems == [], "\n".join(problems[:20])


def test_offline_copy_includes_the_exports(built_site, repo_root, tmp_path):
    archive = tmp_path / "memo-docs-test.zip"
    subprocess.run([sys.executable, str(repo_root / "tools" / "make_dist.py"), str(built_site), str(archive)],
                   check=True, capture_output=True)
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert {"memo-docs-test/memo.bib", "memo-docs-test/memo.json"} <= names
        assert zf.read("memo-docs-test/memo.bib") == (built_site / "memo.bib").read_bytes()


# -- break tests: the same checks on broken input --------------------------------------------


def broken_copy(site, tmp_path, page, edit):
    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".doctrees", "_static", "_images", "plot_directive"))
    path = copy / page
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_break_a_section_without_a_cite_block_fails(app, tmp_path):
    app.build()
    broken = broken_copy(app.outdir, tmp_path, "guide/getitem.html",
                         lambda text: re.sub(r'<details class="cite-section.*?</details>\n', "", text, count=1, flags=re.S))
    problems = panel_problems(broken, anchors(app), prefix="demo")
    assert len(problems) == 1
    assert re.match(r"guide/getitem\.html:\d+: section 'getitem-slices' \(Slices\) has no 引用本节 panel", problems[0])


def test_break_a_bibtex_syntax_error_fails():
    good = cite_page.Citation("memo:x", "标题", "站", "组", "https://e.org/x.html#x", "1.0", "2024-03-05").bibtex()
    assert parse_bibtex(good, "memo.bib")[1] == []
    _, problems = parse_bibtex(good.replace("  url", "  url {", 1), "memo.bib")
    assert len(problems) == 1 and re.match(r"memo\.bib:8: BibTeX syntax error", problems[0]), problems
    _, problems = parse_bibtex(good + "\n\n" + good, "memo.bib")
    assert problems and problems[0].startswith("memo.bib:12: BibTeX key memo:x appears 2 times"), problems


@pytest.mark.parametrize(("old", "new", "reported"), [
    ('name="citation_title" content="The __getitem__', 'name="citation_title" content="The __setitem__',
     r"guide/getitem\.html:\d+: citation_title 'The __setitem__ protocol & 100% indexing' "
     r"disagrees with the page title 'The __getitem__ protocol & 100% indexing'"),
    ('name="description" content="Slices shrink by 1/√(n)', 'name="description" content="Slices shrink by $1/\\sqrt{n}$',
     r"guide/getitem\.html:\d+: .*description is not plain text"),
], ids=["citation_title disagrees with the page title", "TeX in the description"])
@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_break_wrong_head_metadata_fails(app, tmp_path, old, new, reported):
    app.build()
    broken = broken_copy(app.outdir, tmp_path, "guide/getitem.html", lambda text: text.replace(old, new))
    problems = meta_problems(broken / "guide/getitem.html", "guide/getitem.html")
    assert problems and re.match(reported, problems[0]), problems


def test_base_url_is_the_frozen_copy_of_this_release(built_site):
    """Entries cite <html_baseurl>v/<VERSION>/ (frozen releases, _ext/frozen_release.py)."""
    from site_build import ROOT

    version = (ROOT / "VERSION").read_text(encoding="utf-8").strip()
    assert base_url(built_site) == f"https://memo-docs.github.io/memo/v/{version}/"
