"""The page-weight overrides in docs/_templates/layout.html really apply (see `make bench`)."""

import re

import pytest
from site_browser import html_files


@pytest.fixture(scope="module")
def pages(built_site):
    return {page: (built_site / page).read_text(encoding="utf-8") for page in html_files(built_site)}


def test_no_page_loads_the_fontawesome_svg_script(pages):
    offenders = [name for name, html in pages.items() if "fontawesome.js" in html]
    assert offenders == []


def test_search_scripts_load_only_on_the_search_page(pages):
    with_index = sorted(name for name, html in pages.items() if re.search(r'src="[^"]*memo-search-index\.js(\?digest=[0-9a-f]+)?"', html))
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


@pytest.mark.parametrize(("check", "added_to_a_page"), [
    (test_no_page_loads_the_fontawesome_svg_script, '<script src="_static/vendor/fontawesome/6.5.2/js/all.min.js"></script>'
                                                    '<script src="_static/fontawesome.js"></script>'),
    (test_search_scripts_load_only_on_the_search_page, '<script src="_static/searchindex.js"></script>'
                                                       '<script src="_static/memo-search-index.js"></script>'),
    (test_formulas_are_mathml_without_a_script, '<script async src="_static/mathjax/tex-chtml.js"></script>'),
], ids=["fontawesome", "search-scripts", "mathjax"])
def test_each_weight_check_names_the_page_that_breaks_it(pages, check, added_to_a_page):
    """The checks above, on the built pages with one page that loads what they forbid."""
    broken = dict(pages, **{"index.html": pages["index.html"].replace("</head>", added_to_a_page + "</head>", 1)})
    with pytest.raises(AssertionError, match="index.html"):
        check(broken)
