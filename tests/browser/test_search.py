"""Search finds what readers type, for queries derived from the built site (tools/search_queries.py).

Every heading, glossary name, inline-code identifier and a seeded sample of Chinese
substrings of the prose must find its page in the top 3, in Chromium, through the
site's own search code. All of them run through `memoSearch.search` on search.html;
a representative part also runs through the page as a reader uses it.
"""

import pytest
from searchcheck import derive, fold, furniture_leaks, index_text, query_problems, recall_report, search_all, summary
from sitecheck import PHONE, overflow_problems, report, screenshot_path, search, visit

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def derived(built_site):
    pages, queries = derive(built_site)
    return pages, queries


@pytest.fixture(scope="module")
def search_page(chromium, site_url):
    context = chromium.new_context()
    page, log = visit(context, site_url, "search.html")
    yield page, log
    context.close()


def test_the_derived_query_set_is_the_whole_site(derived):
    pages, queries = derived
    kinds = {kind: sum(q.kind == kind for q in queries) for kind in ("heading", "glossary", "code", "sample")}
    assert kinds["sample"] >= 300 and kinds["glossary"] >= 80 * 3, kinds
    assert {q.source for q in queries if q.kind == "heading"} == set(pages), "a page gave no heading query"


def test_every_derived_query_finds_its_page(derived, search_page):
    pages, queries = derived
    page, log = search_page
    found = search_all(page, queries)
    counts, problems = recall_report(pages, queries, found)
    assert not log.problems, report("search.html", log.problems)
    assert not problems, (
        f"{len(problems)} problems over {len(queries)} derived queries ({summary(counts)} passed):\n  - "
        + "\n  - ".join(problems[:40]))


def test_heading_matches_rank_above_mere_mentions(derived, search_page):
    pages, queries = derived
    page, _log = search_page
    headings = [q for q in queries if q.kind == "heading"]
    problems = []
    for query, found in zip(headings, search_all(page, headings)):
        for r in found["results"]:
            if r["page"] in query.expected:
                break
            other = pages[r["page"]]
            if not any(fold(query.text) in fold(h) for h in other.headings) and fold(query.text) not in other.glossary_names:
                problems.append(f"heading {query.text!r} (from {query.source}): {r['page']}, which only mentions it, "
                                f"ranks above the page with the heading")
                break
    assert not problems, "\n".join(problems[:30])


def every(queries, step):
    """A representative part: every `step`-th query of each kind, so all kinds are covered."""
    picked = []
    for kind in ("heading", "glossary", "code", "sample"):
        picked += [q for q in queries if q.kind == kind][::step]
    return picked


def test_the_search_page_shows_the_same_results_to_a_reader(derived, new_context, site_url):
    """search.html?q=… as a link or bookmark opens it, for a sample of the derived queries."""
    pages, queries = derived
    problems = []
    context = new_context()
    for query in every(queries, 40):
        page, log, ranked = search(context, site_url, query.text)
        found = {"partial": False, "results": [{"page": name, "nav": False, "marked": True, "snippet": ""} for name in ranked]}
        problems += log.problems + [p for p in query_problems(pages, query, found) if "top" in p]
        page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("query", ["交叉熵", "反向传播", "无偏估计", "样本标准差", "字节串", "广播机制", "批量归一化", "zip_longest"])
def test_typing_into_the_search_box(new_context, site_url, query):
    """The words of the issue, typed and submitted; the summary and highlighted snippets are drawn."""
    page, log = visit(new_context(), site_url, "search.html")
    box = page.locator(".bd-search-container form.bd-search input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function("(q) => new URLSearchParams(location.search).get('q') === q", arg=query)
    first = page.locator("#search-results ul.search > li").first
    snippet = first.locator("p.context").inner_text()
    page.screenshot(path=screenshot_path(f"search-{query}.png"))
    assert not log.problems, report(f"search.html?q={query}", log.problems)
    assert first.locator("mark").count() >= 1, f"{query}: no highlighted match in the first snippet {snippet!r}"


def test_snippets_never_show_theme_text(built_site, search_page):
    """Menus, buttons and page contents of the theme are not in the index, so never in a snippet."""
    page, _log = search_page
    furniture, leaked = furniture_leaks(built_site, index_text(page.evaluate("() => window.memoSearchIndex")))
    assert len(furniture) >= 5, f"expected theme text around the article, found {furniture}"
    assert not leaked, f"theme text in the search index: {leaked}"


def test_search_on_a_phone(new_context, site_url):
    context = new_context(**PHONE | {"viewport": {"width": 390, "height": 800}})
    page, log, ranked = search(context, site_url, "torch.nn.functional.gumbel_softmax")
    page.screenshot(path=screenshot_path("search-phone.png"), full_page=True)
    problems = log.problems + overflow_problems(page)
    assert not problems, report("search.html at 390 px", problems)
    assert ranked[:1] == ["sampling/reparameterization-gumbel-softmax"], ranked


def test_search_in_the_offline_copy(built_site, new_context):
    """Opened from disk (file://) as the `make dist` copy is: results and snippets, no fetch()."""
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto((built_site / "search.html").as_uri() + "?q=" + "标准误")
    page.wait_for_selector("#search-results ul.search > li")
    first = page.locator("#search-results ul.search > li").first
    assert "sd-vs-se.html" in first.locator("a").get_attribute("href")
    assert first.locator("mark").count() >= 1
    box = page.locator(".bd-search-container form.bd-search input[name=q]")
    box.fill("交叉熵")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('#search-results .search-summary').innerText.includes('交叉熵')")
    assert "indicator-function.html" in page.locator("#search-results ul.search > li a").first.get_attribute("href")
    assert not errors, errors
