# Every HTML-only extension of the site, and the book's, on a two-page project:
# tests/test_ext_builders.py builds it with each builder the site uses.
project = "Demo Book"
author = "Demo Team"
release = version = "1.0"
copyright = "2026, Demo Team"
language = "zh_CN"
html_baseurl = "https://example.org/book/"
extensions = [
    "myst_parser", "sphinx.ext.doctest", "myst_doctest_lines",
    "mathml", "icon_subset", "zh_search", "anchor_lock", "cite_page", "page_downloads", "book",
]
myst_enable_extensions = ["dollarmath", "colon_fence"]
html_math_renderer = "mathml"
html_theme = "sphinx_book_theme"
cite_key_prefix = "demo"
zh_search_navigation = ["index"]
redirects = {}
latex_engine = "xelatex"
latex_documents = [("index", "book.tex", project, author, "manual")]
latex_use_xindy = False
epub_basename = "book"
epub_language = "zh-CN"
epub_identifier = html_baseurl
epub_scheme = "URL"
