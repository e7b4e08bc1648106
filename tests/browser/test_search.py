"""Chinese full-text search finds the page that covers a term, in Chromium, as a reader types it."""

import pytest
from sitecheck import report, screenshot_path, search

pytestmark = pytest.mark.browser

TOP = 5  # the page must be among the first TOP distinct pages of the results

# (query, pages that cover it); the id names the test and its screenshot, search-<id>.png.
QUERIES = [
    pytest.param("重参数", {"sampling/reparameterization-gumbel-softmax"}, id="reparameterization"),
    pytest.param("迭代器", {"python/iterable-vs-iterator", "python/one-shot-iterators"}, id="iterator"),
    pytest.param("广播", {"tensors/expand-vs-repeat", "tensors/matmul-family"}, id="broadcasting"),
    pytest.param("标准误", {"stats/sd-vs-se"}, id="standard-error"),
    pytest.param("交叉验证", {"stats/validation-set"}, id="cross-validation"),
    pytest.param("指示函数", {"stats/indicator-function"}, id="indicator-function"),
    pytest.param("bmm", {"tensors/matmul-family"}, id="bmm"),
    pytest.param("LayerNorm", {"layers/layernorm"}, id="LayerNorm"),
    pytest.param("reshape", {"tensors/view-vs-reshape"}, id="reshape"),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_search_finds_the_page(new_context, site_url, request, query, expected):
    page, log, ranked = search(new_context(), site_url, query)
    page.screenshot(path=screenshot_path(f"search-{request.node.callspec.id}.png"))
    assert not log.problems, report(f"search.html?q={query}", log.problems)
    assert expected & set(ranked[:TOP]), (
        f"search.html?q={query}: expected {' or '.join(sorted(expected))} among the top {TOP} pages, "
        f"got {ranked[:TOP] or 'no results'}"
    )
