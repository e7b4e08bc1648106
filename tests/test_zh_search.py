"""_ext/zh_search.py writes the search index from the built pages (tiny sphinx.testing root).

The browser side (memo-search.js on the real site) is tested in tests/browser/test_search*.py.
"""

import hashlib
import json
import re

import pytest


def load_index(app, whole=False):
    script = (app.outdir / "_static" / "memo-search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.memoSearchIndex=") and script.rstrip().endswith(";")
    index = json.loads(script.strip()[len("window.memoSearchIndex="):-1])
    return index if whole else {page["u"]: page for page in index["pages"]}


@pytest.mark.sphinx("html", testroot="zh-search")
def test_index_holds_each_section_text_and_label(app):
    app.build()
    pages = load_index(app)
    page = pages["sampling.html"]
    assert page["t"] == "重参数技巧"
    assert page["s"][0] == ["", "重参数技巧", "重参数技巧让采样操作可以反向传播。LayerNorm 对每个样本归一化。"]
    label, heading, text = page["s"][1]
    assert (label, heading) == ("sampling-gumbel", "Gumbel-Softmax")
    assert "torch.nn.functional.gumbel_softmax" in text


@pytest.mark.sphinx("html", testroot="zh-search")
def test_formulas_read_as_text_and_soft_line_breaks_join(app):
    """MathML is written out as one line (τ, x̄, x², 1/√n), never one character per line or TeX."""
    app.build()
    text = load_index(app)["sampling.html"]["s"][1][2]
    assert "温度 τ 越小" in text
    assert "样本均值 x\u0304 = 1/n∑ᵢxᵢ ，方差 σ² ，标准误按 1/√n 缩小。" in text, text
    assert "\\" not in text and "<" not in text, text
    assert "不含终点" in text  # 不含 / 终点 on two source lines


@pytest.mark.sphinx("html", testroot="zh-search")
def test_cite_panels_and_theme_text_are_not_indexed(app):
    app.build()
    everything = json.dumps(load_index(app), ensure_ascii=False)
    assert "引用本节" not in everything
    assert "¶" not in everything and "#" not in everything.replace('.html#', '')


@pytest.mark.sphinx("html", testroot="zh-search")
def test_navigation_pages_keep_only_headings_and_glossary_entries_link_their_page(app):
    app.build()
    index = load_index(app, whole=True)
    pages = {page["u"]: page for page in index["pages"]}
    assert pages["index.html"]["n"] == 1 and all(text == "" for _id, _heading, text in pages["index.html"]["s"])
    assert "n" not in pages["glossary.html"]  # the glossary is a page readers use on its own: indexed as content
    assert "把采样写成参数的可导函数" not in json.dumps(pages["glossary.html"], ensure_ascii=False)  # only once, as an entry
    [(names, definition, href, *targets)] = index["g"]
    assert names.split("\n") == ["重参数技巧", "reparameterization trick", "重参数化", "重参数"]
    assert definition.startswith("把采样写成参数的可导函数。") and href.startswith("glossary.html#term-")
    assert targets == ["sampling.html#sampling-gumbel"]  # the section the entry links to: results land there


def stale_index_urls(site) -> tuple[list[str], list[str]]:
    """(pages that load the index, 'page: problem' for each whose URL lacks the index's content digest)."""
    script = (site / "_static" / "memo-search-index.js").read_text(encoding="utf-8")
    digest = hashlib.sha256(script[len("window.memoSearchIndex="):-2].encode("utf-8")).hexdigest()[:16]
    loading, problems = [], []
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if "memo-search-index.js" not in html:
            continue
        loading.append(path.relative_to(site).as_posix())
        stamps = set(re.findall(r"memo-search-index\.js(?:\?digest=([0-9a-f]*))?", html))
        if stamps != {digest}:
            problems.append(f"{path.relative_to(site).as_posix()}: loads the index as {sorted(stamps)}, its digest is {digest}")
    return loading, problems


@pytest.mark.sphinx("html", testroot="zh-search")
def test_every_page_loads_the_index_by_its_content_digest(app):
    app.build()
    loading, problems = stale_index_urls(app.outdir)
    assert {"search.html", "sampling.html"} <= set(loading), loading  # the search page, and every page's Ctrl+K loader
    assert not problems, problems


def test_the_site_loads_the_index_by_its_content_digest(built_site):
    loading, problems = stale_index_urls(built_site)
    assert len(loading) >= 30 and not problems, problems[:5]


@pytest.mark.sphinx("html", testroot="zh-search", srcdir="zh-search-stale-digest")
def test_break_a_page_with_an_old_index_digest_is_named(app, tmp_path):
    app.build()
    page = app.outdir / "sampling.html"
    page.write_text(re.sub(r"digest=[0-9a-f]{16}", "digest=0123456789abcdef", page.read_text(encoding="utf-8")), encoding="utf-8")
    _loading, problems = stale_index_urls(app.outdir)
    assert problems and problems[0].startswith("sampling.html: loads the index as ['0123456789abcdef']"), problems
