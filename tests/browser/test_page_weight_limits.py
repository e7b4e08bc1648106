"""Every page's first visit stays within `make bench`'s limits (tools/bench.py TARGETS).

Measured as the benchmark measures it: Chromium with an empty cache, every response
counted, text compressed with gzip as a host serves it. The benchmark opens an empty
context per page (bench.measure_page); here all pages load in one tab with the cache
turned off (bench.first_visits), and one test checks that both count alike. The break
tests add weight to one page of a copy and expect that page to be named.
"""

import random
import statistics

import pytest
from bench import TARGETS, first_visits, measure_page
from site_browser import site_pages
from site_build import pages_or_placeholder

PAGES = pages_or_placeholder(site_pages)
KB = 1000
HEAVY_PAGE = "tensors/view-vs-reshape.html"


def over_limits(page: str, weight: dict) -> list[str]:
    problems = []
    if weight["gzip_bytes"] > TARGETS["max_gzip_kb"] * KB:
        problems.append(f"{page}: {weight['gzip_bytes'] / KB:.0f} KB gzip on a first visit (limit {TARGETS['max_gzip_kb']} KB)")
    if weight["requests"] > TARGETS["max_requests"]:
        problems.append(f"{page}: {weight['requests']} requests on a first visit (limit {TARGETS['max_requests']})")
    return problems


@pytest.fixture(scope="module")
def weights(chromium, site_url):
    return {url.removeprefix(site_url): weight for url, weight in first_visits(chromium, [site_url + page for page in PAGES]).items()}


def test_every_page_is_within_the_limits(weights):
    problems = [problem for page, weight in weights.items() for problem in over_limits(page, weight)]
    assert not problems, "\n".join(problems)


def test_the_median_page_is_within_its_limit(weights):
    median = statistics.median(weight["gzip_bytes"] for weight in weights.values())
    assert median <= TARGETS["median_gzip_kb"] * KB, f"median page: {median / KB:.0f} KB gzip (limit {TARGETS['median_gzip_kb']} KB)"


def test_one_tab_without_cache_counts_as_an_empty_context(weights, chromium, site_url):
    """bench.first_visits against bench.measure_page on the heaviest page and the home page."""
    for page in (HEAVY_PAGE, "index.html"):
        fresh = measure_page(chromium, site_url + page, 1)
        assert {key: fresh[key] for key in weights[page]} == weights[page], (page, fresh, weights[page])


def incompressible_script(kilobytes: int) -> str:
    text = random.Random(0).randbytes(kilobytes * KB).hex()
    return f"<script>/*{text}*/</script>"


ADDED_WEIGHT = {
    "bytes": lambda html: html.replace("</body>", incompressible_script(400) + "</body>"),
    "requests": lambda html: html.replace("</body>", "".join(f'<img src="_static/missing-{i}.png" alt="">' for i in range(30)) + "</body>"),
}


@pytest.mark.parametrize("kind", ADDED_WEIGHT)
def test_break_a_page_over_a_limit_is_named(chromium, serve_copy, kind):
    url, _ = serve_copy({HEAVY_PAGE: ADDED_WEIGHT[kind]})
    problems = over_limits(HEAVY_PAGE, first_visits(chromium, [url + HEAVY_PAGE])[url + HEAVY_PAGE])
    assert len(problems) == 1 and problems[0].startswith(f"{HEAVY_PAGE}: "), problems
    assert ("KB gzip" in problems[0]) == (kind == "bytes"), problems
