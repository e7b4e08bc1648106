"""The search checks fail, naming the query and what came back, when search breaks.

Each test breaks one thing in a copy of the built site (or in the index loaded into
the page) and runs the same check functions as tests/browser/test_search.py.
"""

import re

import pytest
from searchcheck import furniture_leaks, index_text, recall_report, search_all
from site_browser import serve
from site_build import edited_copy

pytestmark = pytest.mark.browser

PAGE = "python/zip"
TERM = "zip_longest"


def problems_on(page, pages, queries):
    return recall_report(pages, queries, search_all(page, queries))[1]


def test_a_term_the_index_lost_fails_the_recall_check(derived, built_site, tmp_path, reader):
    pages, queries = derived
    from_page = [q for q in queries if q.source == PAGE and TERM in q.text]
    assert from_page, f"expected derived queries with {TERM} from {PAGE}; update the test"
    lose_term = lambda script: re.sub(TERM, "zip_gone", script, flags=re.I)  # noqa: E731
    copy = edited_copy(built_site, tmp_path / "site", {"_static/memo-search-index.js": lose_term})
    with serve(copy) as url:
        page, _log = reader("search.html", url)
        problems = problems_on(page, pages, from_page)
    assert any(f"query {TERM!r} (from {PAGE}): expected {PAGE} in the top 3, got" in p for p in problems), problems


def test_a_navigation_page_indexed_as_content_fails_the_ranking_check(derived, reader):
    pages, queries = derived
    page, _log = reader("search.html")
    page.evaluate("""() => {
        const home = memoSearchIndex.pages.find((p) => p.u === "index.html");
        home.n = 0;
        home.s.push(["", "", memoSearchIndex.pages.map((p) => p.s.map((s) => s[1]).join(" ")).join(" ").repeat(20)]);
    }""")
    problems = problems_on(page, pages, [q for q in queries if q.kind == "sample"][:60])
    assert any(re.search(r"navigation page index ranks above a content page: ", p) for p in problems), problems


def test_theme_text_in_the_index_is_caught(built_site, reader):
    """The index as an extractor that read the whole page (not only the article) would write it."""
    from bs4 import BeautifulSoup

    page, _log = reader("search.html")
    index = page.evaluate("() => window.memoSearchIndex")
    whole_page = BeautifulSoup((built_site / "tensors/view-vs-reshape.html").read_text(encoding="utf-8"), "html.parser")
    index["pages"][0]["s"].append(["", "", whole_page.body.get_text("\n")])
    _furniture, leaked = furniture_leaks(built_site, index_text(index))
    assert any("跟随系统 浅色 深色" in text for text in leaked) and "回到顶部" in leaked, leaked  # the colour menu


ALL_WORDS_RULE = ("if (!matches.some((m, i) => m && wanted[i].weight > STOP_WEIGHT)) continue;",
                  "if (!matches.every(Boolean)) continue;")


def test_the_all_words_rule_put_back_fails_the_question_suite(derived, forgiving_queries, built_site, tmp_path, reader):
    """memo-search.js as it was: a page must hold every word of the query."""
    pages, _queries = derived
    questions = [q for q in forgiving_queries if q.kind == "question"]

    def all_words(script):
        assert ALL_WORDS_RULE[0] in script, "memo-search.js changed: update ALL_WORDS_RULE"
        return script.replace(*ALL_WORDS_RULE)

    copy = edited_copy(built_site, tmp_path / "site", {"_static/memo-search.js": all_words})
    with serve(copy) as url:
        page, _log = reader("search.html", url)
        problems = problems_on(page, pages, questions)
    assert len(problems) >= len(questions) // 4, f"only {len(problems)} of {len(questions)} questions failed: {problems[:5]}"
    assert any(re.search(r"question query '为什么.*' \(from .*\): expected .* in the top 3, got", p) for p in problems), problems[:5]


def test_synonyms_unlinked_from_their_page_fail_the_synonym_suite(derived, forgiving_queries, reader):
    """The glossary entries without the pages they link to: a 又称 finds only the glossary."""
    pages, _queries = derived
    synonyms = [q for q in forgiving_queries if q.kind == "synonym"]
    page, _log = reader("search.html")
    page.evaluate("() => { memoSearchIndex.g = memoSearchIndex.g.map((entry) => entry.slice(0, 3)); memoSearch.reload(); }")
    problems = problems_on(page, pages, synonyms)
    assert len(problems) >= len(synonyms) // 2, f"only {len(problems)} of {len(synonyms)} synonyms failed: {problems[:5]}"
    assert any("expected" in p and "in the top 3, got" in p or "should rank above the glossary" in p for p in problems)
