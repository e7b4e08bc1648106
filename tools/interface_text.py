"""Find English interface text in the pages of the built site.

Interface text is what the site's chrome says, not what the pages teach: the text of the
header, sidebars, footers and buttons, and the names that tooltips and screen readers use
(title, aria-label, placeholder, alt, data-tooltip) anywhere on the page. The article of a page
that has a source file is content and is left alone; pages without one (404, search, index)
are all interface.

A Latin word in interface text is fine when the site's content uses it as a name: every word
of a page or section title (the sidebar and the 上一页/下一页 links repeat those), of a link
title that names another page, of the project name, and the few product names in NAMES.
Everything else is reported as `page:line`. Shared by tests/test_interface.py (every built
page) and the browser tests (the same check on the DOM after the scripts ran).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype

# Product names an interface may show as they are; keyboard key names (the search box shows Ctrl+K).
NAMES = {"GitHub", "JavaScript", "PDF", "Ctrl"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-tooltip")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Not words: file suffixes shown as labels (.md, .pdf) and URLs or paths shown as text.
NOT_WORDS = re.compile(r"(?<![\w.])\.[a-z]+\b|\S*(?:://|\w/\w|\w\.\w+/)\S*")
NOT_INTERFACE = ["script", "style", "pre", "code", "kbd", "samp", "math", "svg", "mjx-container"]


def words(text: str) -> set[str]:
    return set(WORD.findall(NOT_WORDS.sub(" ", text)))


def content_vocabulary(site: Path) -> set[str]:
    """Every Latin word of the site's page and section titles, its glossary terms (which
    the general index lists too) and its name."""
    pages = sorted(path for path in site.rglob("*.html") if not path.relative_to(site).as_posix().startswith("_"))
    return set(_vocabulary(site, tuple((path, path.stat().st_mtime_ns) for path in pages)))


@functools.cache  # parsing every page takes seconds, and the tests ask for the same build's words often
def _vocabulary(site: Path, pages: tuple[tuple[Path, int], ...]) -> frozenset[str]:
    vocabulary = set(NAMES)
    for path, _mtime in pages:
        if not has_source(site, path.relative_to(site).as_posix()):
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for heading in soup.select("article.bd-article :is(h1, h2, h3, h4, h5, h6, dl.glossary dt), title"):
            vocabulary |= words(heading.get_text(" "))
    return frozenset(vocabulary)


def has_source(site: Path, rel: str) -> bool:
    """A page built from a source file (its article is content), as opposed to 404 or search."""
    stem = rel.removesuffix(".html")
    return any((site / "_sources").glob(f"{stem}.*"))


def english_interface_text(html: str, vocabulary: set[str], *, article_is_content: bool) -> list[tuple[int, str]]:
    """(line, description) for each interface string with a word outside `vocabulary`."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(NOT_INTERFACE):
        tag.decompose()
    found = []

    def check(text: str, line: int | None, where: str):
        unknown = sorted(w for w in words(text) if w not in vocabulary and not w[0].isdigit())
        if unknown:
            found.append((line or 0, f"{where} {' '.join(text.split())[:80]!r} (English: {', '.join(unknown)})"))

    for element in soup.find_all(True):
        for attribute in ATTRIBUTES:
            value = element.get(attribute)
            if isinstance(value, str) and value.strip():
                check(value, element.sourceline, f"{attribute} of <{element.name}>")
    if article_is_content:
        for article in soup.select("article.bd-article"):
            article.decompose()
    for text in soup.find_all(string=True):
        if isinstance(text, (Comment, Doctype)) or not text.strip() or text.parent.name in ("head", "html"):
            continue
        check(str(text), text.parent.sourceline, f"text of <{text.parent.name}>")
    return found


def site_problems(site: Path, pages: Iterable[str]) -> list[str]:
    """`page:line: …` for every English interface string in `pages` of the built `site`."""
    vocabulary = content_vocabulary(site)
    problems = []
    for rel in pages:
        html = (site / rel).read_text(encoding="utf-8")
        for line, what in english_interface_text(html, vocabulary, article_is_content=has_source(site, rel)):
            problems.append(f"{rel}:{line}: {what}")
    return problems
