"""Make Sphinx's Chinese full-text search work in the browser.

Sphinx 9.0 builds ``language_data.js`` for ``zh`` from the English Snowball
stemmer but then writes ``window.Stemmer = ChineseStemmer;``. No
``ChineseStemmer`` exists, so searchtools.js throws and every search finds
nothing. This registers the same Chinese language with the stemmer name that
the bundled JavaScript actually defines. The index itself (jieba segmentation,
English stemming of Latin words) is unchanged.
"""

from __future__ import annotations

from sphinx.search.zh import SearchChinese


class SearchChineseFixedStemmer(SearchChinese):
    # Used only to name the JS stemmer class: english-stemmer.js defines EnglishStemmer.
    language_name = "English"


def setup(app):
    app.add_search_language(SearchChineseFixedStemmer)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
