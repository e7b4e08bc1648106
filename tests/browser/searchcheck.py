"""What the search tests check, as plain functions, so the break tests run the same checks.

The queries come from tools/search_queries.py (derived from the built pages). They run
through memo-search.js itself in Chromium: in bulk through `memoSearch.search`, the
function the search page draws from, and a representative part through the page as a
reader uses it (search.html?q=…, or typing into the box).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from search_queries import Page, Query, derive, fold, holders  # noqa: E402,F401

TOP = 3

SEARCH_ALL_JS = """
(queries) => queries.map((q) => {
  const found = memoSearch.search(q);
  return {partial: found.partial, results: found.results.map((r) => ({
    page: r.page.url.replace(/\\.html$/, ""), nav: r.page.nav, url: r.url,
    marked: r.snippet.marks.length > 0, snippet: r.snippet.text}))};
})
"""


def search_all(page, queries: list[Query]) -> list[dict]:
    """Run every query through memoSearch.search on an open search.html."""
    page.wait_for_function("() => window.memoSearch && window.memoSearchIndex")
    return page.evaluate(SEARCH_ALL_JS, [q.text for q in queries])


def describe(found: dict) -> str:
    names = [r["page"] for r in found["results"][:5]]
    return (", ".join(names) or "no results") + (" (partial matches)" if found["partial"] and names else "")


def query_problems(pages: dict[str, Page], query: Query, found: dict) -> list[str]:
    """Recall, ranking and snippets for one query; one line per problem, naming the query."""
    where = f"{query.kind} query {query.text!r} (from {query.source})"
    ranked = [r["page"] for r in found["results"]]
    top = ranked[:TOP]
    problems = []
    have = holders(pages, query.text)
    if query.kind in ("heading", "glossary") or len(have) <= TOP:
        if not set(top) & query.expected:
            problems.append(f"{where}: expected {' or '.join(sorted(query.expected)) or 'a linked page'} "
                            f"in the top {TOP}, got {describe(found)}")
    elif query.source not in ranked:
        problems.append(f"{where}: {query.source} is not among the results: {describe(found)}")
    elif not set(top) <= have:
        problems.append(f"{where}: the top {TOP} should all contain it, got {describe(found)}; pages with it: {sorted(have)}")
    seen_content = False
    for r in reversed(found["results"]):
        named = r["page"] in pages and fold(query.text).strip() in map(fold, pages[r["page"]].headings)
        if not r["nav"]:
            seen_content = True
        elif seen_content and not named:
            problems.append(f"{where}: navigation page {r['page']} ranks above a content page: {describe(found)}")
            break
    for r in found["results"]:
        page = pages.get(r["page"])
        if not found["partial"] and page and not r["nav"] and fold(query.text) in page.body and not r["marked"]:
            problems.append(f"{where}: the snippet for {r['page']} does not show the match: {r['snippet']!r}")
            break
    return problems


def recall_report(pages, queries, found) -> tuple[dict, list[str]]:
    """Per-kind counts of queries whose page is in the top 3, and every problem."""
    counts: dict[str, list[int]] = {}
    problems = []
    for query, result in zip(queries, found):
        lines = query_problems(pages, query, result)
        ok = counts.setdefault(query.kind, [0, 0])
        ok[0] += not lines
        ok[1] += 1
        problems += lines
    return counts, problems


def summary(counts: dict) -> str:
    return "; ".join(f"{kind}: {ok}/{total}" for kind, (ok, total) in sorted(counts.items()))


FURNITURE = "header, footer, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .prev-next-area"


def furniture_leaks(site_dir: Path, index_text: str, sample_page: str = "tensors/view-vs-reshape.html") -> tuple[set, list]:
    """(theme texts found around the article of a page, those that are in the search index)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site_dir / sample_page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article").get_text(" ")
    texts = {" ".join(el.get_text(" ").split()) for area in soup.select(FURNITURE) for el in area.select("button, label, span, a, p, div")}
    furniture = {text for text in texts if len(text) >= 4 and text not in article}
    return furniture, sorted(text for text in furniture if text in index_text)
