"""What the search tests check, as plain functions, so the break tests run the same checks.

The queries come from tools/search_queries.py (derived from the built pages). They run
through memo-search.js itself in Chromium: in bulk through `memoSearch.search`, the
function the search page draws from, and a representative part through the page as a
reader uses it (search.html?q=…, or typing into the box).
"""

from __future__ import annotations

from pathlib import Path

from search_queries import TOP, Page, Query, derive, fold, forgiving, holders, query_problems, recall_report, summary  # noqa: F401

SEARCH_ALL_JS = """
(queries) => queries.map((q) => {
  const found = memoSearch.search(q);
  return {partial: found.partial, suggestion: found.suggestion, results: found.results.map((r, i) => ({
    page: r.page.url.replace(/\\.html$/, ""), nav: r.page.nav, url: r.url.replace(/\\?highlight=[^#]*/, ""), heading: r.heading,
    marked: r.snippet.marks.length > 0, snippet: r.snippet.marks.length ? "" : r.snippet.text.slice(0, 100)}))};
})
"""


def search_all(page, queries: list[Query]) -> list[dict]:
    """Run every query through memoSearch.search on an open search.html."""
    page.wait_for_function("() => window.memoSearch && window.memoSearchIndex")
    return page.evaluate(SEARCH_ALL_JS, [q.text for q in queries])


FURNITURE = {  # the theme's widgets around the article (menus, buttons, page contents)
    "buttons": "button, .search-button__default-text",
    "colour menu": ".theme-switch-button ~ .dropdown-menu .dropdown-item, .dropdown-item",
    "page contents": ".bd-sidebar-secondary",
    "previous/next": ".prev-next-subtitle",
}


def normalise(text: str) -> str:
    return " ".join(text.split())


def index_text(index) -> str:
    """Every string in the loaded index (window.memoSearchIndex), joined by spaces."""
    strings = []

    def walk(value):
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            [walk(v) for v in value.values()]
        elif isinstance(value, list):
            [walk(v) for v in value]

    walk(index)
    return normalise(" ".join(strings))


def furniture_leaks(site_dir: Path, text: str, sample_page: str = "tensors/view-vs-reshape.html") -> tuple[set, list]:
    """(theme texts around the article of a page, those found in the index text).

    Each widget's whole text counts ("System Settings 亮色 暗色"), and each item of at
    least 4 characters ("回到顶部"); shorter items such as 目录 are ordinary words too.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site_dir / sample_page).read_text(encoding="utf-8"), "html.parser")
    article = normalise(soup.select_one("article.bd-article").get_text(" "))
    furniture = set()
    for selector in FURNITURE.values():
        items = [normalise(el.get_text(" ")) for el in soup.select(selector)]
        furniture.add(normalise(" ".join(items)))
        furniture.update(item for item in items if len(item) >= 4)
    furniture = {f for f in furniture if f and f not in article}
    return furniture, sorted(f for f in furniture if f in text)
