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


def test_mathjax_loads_only_where_there_is_math(pages):
    for name, html in pages.items():
        has_math = 'class="math' in html
        loads_mathjax = "mathjax/tex-chtml.js" in html
        assert loads_mathjax == has_math, name


def test_mathjax_is_served_by_the_site_itself(built_site):
    assert (built_site / "_static" / "mathjax" / "tex-chtml.js").is_file()
