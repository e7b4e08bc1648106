"""Markdown that did not render: `**` left in a page's prose means a bold was not parsed
(CommonMark's flanking rules, e.g. `维**{term}`存储`**（`, where CJK text meets a role)."""

import re

import pytest
from bs4 import BeautifulSoup
from site_browser import site_pages

LITERAL_BOLD = re.compile(r"\*\*")


def unrendered_markup(html: str) -> list[str]:
    """Prose text (not code or formulas) of the article that still holds `**`."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        return []
    for tag in article.select("pre, code, math, .math, script, style, details.cite-section"):
        tag.decompose()
    return [" ".join(text.split())[:80] for text in article.find_all(string=LITERAL_BOLD)]


@pytest.fixture(scope="module")
def pages(built_site):
    return {rel: (built_site / rel).read_text(encoding="utf-8") for rel in site_pages(built_site)}


def test_no_literal_bold_markers_in_prose(pages):
    problems = [f"{rel}: {text!r}" for rel, html in pages.items() for text in unrendered_markup(html)]
    assert not problems, "Markdown emphasis left as text:\n" + "\n".join(problems)


def test_a_literal_bold_marker_is_caught():
    html = '<article class="bd-article"><p>一维**<a>存储</a>**（storage）</p><pre>x**2</pre></article>'
    assert unrendered_markup(html) == ["一维**", "**（storage）"]
