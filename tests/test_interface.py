"""The reader-facing interface of the built site (issue 12): one language, one viewport tag,
figures described in Chinese, a link to every page's source, downloadable examples, and a 404
page that is Chinese and useful wherever it is served. Each guard has a break test below it.
"""

import re
import runpy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from site_browser import html_files

ROOT = Path(__file__).resolve().parents[1]
from interface_text import content_vocabulary, english_interface_text, has_source, site_problems

CJK = re.compile(r"[\u4e00-\u9fff]")
MODEL_PAGE = "tensors/view-vs-reshape.html"


@pytest.fixture(scope="module")
def pages(built_site):
    """Every HTML page of the built site (relative path -> text), without theme assets."""
    return {page: (built_site / page).read_text(encoding="utf-8") for page in html_files(built_site)}


@pytest.fixture(scope="module")
def source_pages(built_site, pages):
    return {rel: html for rel, html in pages.items() if has_source(built_site, rel)}


@pytest.fixture(scope="module")
def conf():
    return runpy.run_path(str(ROOT / "conf.py"))


# -- one interface language --------------------------------------------------------------------


def test_no_english_interface_text(built_site, pages):
    problems = site_problems(built_site, pages)
    assert not problems, "English interface text (translate it in locale/zh_CN/LC_MESSAGES/):\n" + "\n".join(problems)


def test_english_interface_text_is_caught(built_site, pages):
    """The theme's own English, as it was before locale/ and the template fixes."""
    html = pages[MODEL_PAGE]
    assert 'title="站点导航"' in html and 'placeholder="搜索..."' in html, "update the break test"
    broken = html.replace('title="站点导航"', 'title="Toggle primary sidebar"').replace('placeholder="搜索..."', 'placeholder="Search..."')
    found = english_interface_text(broken, content_vocabulary(built_site), article_is_content=True)
    line = broken[: broken.index("Toggle primary sidebar")].count("\n") + 1
    assert (line, "title of <button> 'Toggle primary sidebar' (English: Toggle, primary, sidebar)") in found, found
    assert any("'Search...' (English: Search)" in what for _line, what in found), found


def test_the_404_default_english_body_is_caught(built_site, pages):
    html = pages["404.html"].replace("找不到这个页面</h1>", "Page not found</h1>")
    found = english_interface_text(html, content_vocabulary(built_site), article_is_content=False)
    assert any("'Page not found' (English: Page, found, not)" in what for _line, what in found), found


def test_theme_catalogs_are_committed_as_po_and_compiled_at_build_time(built_site):
    for domain in ("sphinx", "booktheme"):
        po = ROOT / "locale" / "zh_CN" / "LC_MESSAGES" / f"{domain}.po"
        assert po.is_file(), po
        assert po.with_suffix(".mo").is_file(), f"{po.with_suffix('.mo')} was not compiled by the build"
    html = (built_site / MODEL_PAGE).read_text(encoding="utf-8")
    assert "打印或另存为 PDF" in html and "列印" not in html  # the booktheme catalog wins over the theme's zh_CN one


# -- head and figures ----------------------------------------------------------------------------


def viewport_problems(rel, html):
    count = len(re.findall(r'<meta name="viewport"', html))
    return [] if count == 1 else [f"{rel}: {count} viewport <meta> tags, expected exactly one"]


def test_one_viewport_tag_per_page(pages):
    problems = [p for rel, html in pages.items() for p in viewport_problems(rel, html)]
    assert not problems, "\n".join(problems)


def test_a_second_viewport_tag_is_caught(pages):
    html = pages[MODEL_PAGE].replace("</head>", '<meta name="viewport" content="width=device-width" /></head>')
    assert viewport_problems(MODEL_PAGE, html) == [f"{MODEL_PAGE}: 2 viewport <meta> tags, expected exactly one"]


def alt_problems(rel, html):
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for img in soup.select("article img"):
        alt = img.get("alt", "")
        if not CJK.search(alt) or re.search(r"\.(svg|png|jpe?g)$", alt):
            problems.append(f"{rel}:{img.sourceline}: figure {img.get('src')} has no Chinese alt text (alt={alt!r})")
    return problems


def test_every_figure_has_a_chinese_alt_text(pages):
    figures = [rel for rel, html in pages.items() if re.search(r"<article.*<img", html, re.S)]
    assert figures, "no figures found: update the test"
    problems = [p for rel, html in pages.items() for p in alt_problems(rel, html)]
    assert not problems, "\n".join(problems)


def test_a_file_path_as_alt_text_is_caught(pages):
    rel = "tensors/expand-vs-repeat.html"
    html = re.sub(r'(<img [^>]*alt=")[^"]*(")', r"\1../_images/expand_vs_repeat.svg\2", pages[rel], count=1)
    problems = alt_problems(rel, html)
    assert len(problems) == 1 and re.match(rf"{re.escape(rel)}:\d+: figure .* has no Chinese alt text", problems[0]), problems


# -- repository links ------------------------------------------------------------------------------


def source_link_problems(rel, html, repository):
    soup = BeautifulSoup(html, "html.parser")
    source = f"docs/{rel.removesuffix('.html')}.md"
    expected = {"查看本页源文件": f"{repository}/blob/main/{source}?plain=1", "在 GitHub 上编辑": f"{repository}/edit/main/{source}"}
    found = {a.get_text(strip=True): a.get("href") for a in soup.select(".source-links a")}
    problems = [f"{rel}: 「{text}」 should link to {url}, found {found.get(text)}" for text, url in expected.items() if found.get(text) != url]
    if not (ROOT / source).is_file():
        problems.append(f"{rel}: its source {source} is not in the repository")
    if not soup.select(f'.repository-link a[href="{repository}"]'):
        problems.append(f"{rel}: no link to the repository {repository} in the footer")
    return problems


def test_every_page_links_to_its_source_and_the_repository(source_pages, conf):
    repository = conf["html_theme_options"]["repository_url"]
    problems = [p for rel, html in source_pages.items() for p in source_link_problems(rel, html, repository)]
    assert not problems, "\n".join(problems)


def test_a_missing_source_link_is_caught(source_pages, conf):
    repository = conf["html_theme_options"]["repository_url"]
    html = re.sub(r'<nav class="source-links".*?</nav>', "", source_pages[MODEL_PAGE], flags=re.S)
    problems = source_link_problems(MODEL_PAGE, html, repository)
    assert f"{MODEL_PAGE}: 「查看本页源文件」 should link to {repository}/blob/main/docs/tensors/view-vs-reshape.md?plain=1, found None" in problems


# -- downloadable examples ---------------------------------------------------------------------------


def used_examples(source: str) -> set[str]:
    """examples/*.py files a page's source imports or names (figure scripts it only draws with
    `.. plot::` are build inputs, not something the reader runs)."""
    source = re.sub(r"^\.\. plot:: .*$", "", source, flags=re.M)
    imported = {f"examples/{name}.py" for name in re.findall(r"^>>> (?:from|import) examples\.(\w+)", source, re.M)}
    return imported | set(re.findall(r"examples/[\w/]+\.py", source))


def download_problems(site, rel, html, source):
    """Each example the page uses is linked for download, and the link gives that very file."""
    page_dir = (site / rel).parent
    offered = {(page_dir / urlsplit(a["href"]).path).resolve().read_bytes()
               for a in BeautifulSoup(html, "html.parser").select("article a.download[href]")}
    return [f"{rel}: uses {name} but has no download link for it ({{download}}`{name} <...>`)"
            for name in sorted(used_examples(source)) if (ROOT / name).read_bytes() not in offered]


def test_examples_a_page_uses_are_downloadable_from_it(built_site, source_pages):
    problems = []
    for rel, html in source_pages.items():
        source = (ROOT / "docs" / rel.replace(".html", ".md")).read_text(encoding="utf-8")
        problems += download_problems(built_site, rel, html, source)
    assert not problems, "\n".join(problems)


def test_a_missing_download_link_is_caught(built_site, source_pages):
    rel = "stats/validation-set.html"
    html = source_pages[rel]
    kfold = next(a["href"] for a in BeautifulSoup(html, "html.parser").select("a.download[href]")
                 if (built_site / "stats" / a["href"]).read_bytes() == (ROOT / "examples/kfold.py").read_bytes())
    html = html.replace(f'href="{kfold}"', 'href="../index.html"')
    problems = download_problems(built_site, rel, html, ">>> from examples.kfold import kfold_indices")
    assert problems == [f"{rel}: uses examples/kfold.py but has no download link for it ({{download}}`examples/kfold.py <...>`)"]


# -- the 404 page ----------------------------------------------------------------------------------------


def test_404_page_is_chinese_with_search_and_every_chapter(built_site, pages, conf):
    prefix = conf["notfound_urls_prefix"]
    soup = BeautifulSoup(pages["404.html"], "html.parser")
    assert CJK.search(soup.title.get_text()) and CJK.search(soup.select_one("article h1").get_text())
    form = soup.select_one("article form[role=search]")
    assert form is not None and form["action"] == f"{prefix}search.html" and form.select_one("input[name=q]")
    linked = {a["href"] for a in soup.select("article .not-found-chapters a[href]")}
    index = BeautifulSoup(pages["index.html"], "html.parser")
    every_page = {prefix + a["href"] for a in index.select("article .toctree-wrapper a.reference.internal[href]")}
    assert every_page and every_page <= linked, sorted(every_page - linked)
    captions = [c.get_text(strip=True) for c in index.select("article .toctree-wrapper .caption-text")]
    assert captions == [c.get_text(strip=True) for c in soup.select("article .not-found-chapters .caption-text")]


@pytest.mark.parametrize("canonical", ["https://memo-docs.readthedocs.io/zh-cn/latest/", "https://memo-docs.readthedocs.io/zh-cn/2026.11/"])
def test_404_urls_follow_read_the_docs_path(monkeypatch, canonical):
    """On Read the Docs the site lives under /<language>/<version>/: the 404 page's URLs must too."""
    monkeypatch.setenv("READTHEDOCS", "True")
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", canonical)
    on_rtd = runpy.run_path(str(ROOT / "conf.py"))
    assert on_rtd["notfound_urls_prefix"] == urlsplit(canonical).path
