"""_ext/zh_search.py writes the search index from the built pages (tiny sphinx.testing root).

The browser side (memo-search.js on the real site) is tested in tests/browser/test_search*.py.
"""

import json

import pytest


def load_index(app):
    script = (app.outdir / "_static" / "memo-search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.memoSearchIndex=") and script.rstrip().endswith(";")
    pages = json.loads(script.strip()[len("window.memoSearchIndex="):-1])["pages"]
    return {page["u"]: page for page in pages}


@pytest.mark.sphinx("html", testroot="zh-search")
def test_index_holds_each_section_text_and_label(app):
    app.build()
    pages = load_index(app)
    page = pages["sampling.html"]
    assert page["t"] == "重参数技巧"
    assert page["s"][0] == ["", "重参数技巧", "重参数技巧让采样操作可以反向传播。LayerNorm 对每个样本归一化。"]
    label, heading, text = page["s"][1]
    assert (label, heading) == ("sampling-gumbel", "Gumbel-Softmax")
    assert "torch.nn.functional.gumbel_softmax" in text and "温度 \\tau 越小" in text  # math without \( \)


@pytest.mark.sphinx("html", testroot="zh-search")
def test_cite_panels_and_theme_text_are_not_indexed(app):
    app.build()
    everything = json.dumps(load_index(app), ensure_ascii=False)
    assert "引用本节" not in everything
    assert "¶" not in everything and "#" not in everything.replace('.html#', '')


@pytest.mark.sphinx("html", testroot="zh-search")
def test_navigation_pages_keep_only_headings_and_glossary_names_reach_the_explaining_page(app):
    app.build()
    pages = load_index(app)
    assert pages["index.html"]["n"] == 1 and all(text == "" for _id, _heading, text in pages["index.html"]["s"])
    assert "n" not in pages["glossary.html"]  # the glossary is a page readers use on its own: indexed as content
    [(names, definition, href)] = pages["sampling.html"]["k"]
    assert names.split("\n") == ["重参数技巧", "reparameterization trick", "重参数化", "重参数"]
    assert definition.startswith("把采样写成参数的可导函数。") and href.startswith("glossary.html#term-")

