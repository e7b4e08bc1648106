"""The page-weight overrides in docs/_templates/layout.html really apply (see `make bench`)."""

import re

import pytest


@pytest.fixture(scope="module")
def pages(built_site):
    return {p.relative_to(built_site).as_posix(): p.read_text(encoding="utf-8")
            for p in built_site.rglob("*.html") if not p.relative_to(built_site).as_posix().startswith("_")}


def test_no_page_loads_the_fontawesome_svg_script(pages):
    offenders = [name for name, html in pages.items() if "fontawesome.js" in html]
    assert offenders == []


def test_search_scripts_load_only_on_the_search_page(pages):
    with_index = sorted(name for name, html in pages.items() if re.search(r'src="[^"]*memo-search-index\.js"', html))
    assert with_index == ["search.html"]
    with_sphinx_search = sorted(name for name, html in pages.items() if re.search(r'src="[^"]*(searchindex|searchtools)\.js"', html))
    assert with_sphinx_search == []  # search.html runs memo-search.js (docs/_templates/search.html)


def test_formulas_are_mathml_without_a_script(pages):
    """Math is written as MathML at build time (_ext/mathml.py): no page loads MathJax."""
    formulas = 0
    for name, html in pages.items():
        assert not re.search(r"<script[^>]*mathjax", html, re.I), name
        spans = re.findall(r'<(?:span|div) class="math"[^>]*>(.*?)</(?:span|div)>', html, re.S)
        assert all("<math" in span for span in spans), name
        formulas += len(spans)
    assert formulas > 400


# Font Awesome's brand icons (class fab / fa-brands, e.g. the theme's GitHub buttons) make the
# browser fetch fa-brands-400.woff2, about 110 KB: the repository links are text (issue 12).
BRAND_ICON = re.compile(r'class="[^"]*\b(?:fab|fa-brands)\b[^"]*"')


def brand_icon_pages(pages):
    return sorted(name for name, html in pages.items() if BRAND_ICON.search(html))


def test_no_page_draws_a_brand_icon(pages):
    assert brand_icon_pages(pages) == []


def test_a_brand_icon_is_caught(pages):
    broken = dict(pages, **{"index.html": pages["index.html"].replace("</footer>", '<i class="fab fa-github"></i></footer>', 1)})
    assert brand_icon_pages(broken) == ["index.html"]
