"""Full-text search that finds every word written on a page, Chinese or not.

Sphinx's own index for ``zh`` stores jieba's fragments, while its searchtools.js
splits a typed query only at non-letters, so a compound such as 交叉熵 must equal
one stored fragment exactly and most words are never found. Instead, after every
HTML build this extension writes ``_static/memo-search-index.js``: the text of each
page, section by section, taken from the built HTML (so only the article, never
the theme's menus), plus the glossary's names for each page. ``memo-search.js``
on the search page matches the query as a substring of that text (the recall
guarantee: any string written on a page finds it), ranks title and heading
matches above mentions, and draws the sentence around the match as the snippet.
The index is a script, not JSON to fetch, so the offline copy works from file://.

Why substring matching over shipped text: snippets need the text in the browser
anyway (fetching other pages fails from file://), and with the text there, a plain
scan is both the simplest index and the only one that finds every string written on
a page. On the query set derived from the site (tools/search_queries.py; 1680
queries, `python tools/search_compare.py`), the page is in the top 3 for: this
search 100 %; a character-bigram AND index 97 % (bigrams are not order-aware, and
short Latin tokens lose the punctuation); Pagefind 1.5.2 extended 60 %; Sphinx's
jieba index 47 %; cutting the query into the index's own vocabulary 45 %. The cost
is the index size (about 100 KB gzip for 31 pages, code blocks included) and a scan
per query (a few ms in Chromium); `make bench` reports both.

Config:

``zh_search_exclude``
    CSS selectors of article parts that are not content (cite panels, buttons).
``zh_search_navigation``
    Pages indexed by title and headings only. They rank after every content page,
    unless the query is exactly their title or one of their headings.
``zh_search_glossary``
    The glossary page: each entry's names and 又称 (synonyms) are added to the page
    its definition links to, so a reader's word for a term finds the explaining page.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString
from sphinx.util import logging

from build_cache import BuildCache, digest
from site_builder import is_site

logger = logging.getLogger(__name__)

INDEX_FILE = "_static/memo-search-index.js"
STATIC = Path(__file__).with_name("zh_search_static")  # memo-search.js and .css; docs/_templates/search.html loads them
ARTICLE = ("article.bd-article", '[role="main"]', "div.body", "body")
BLOCKS = "p, li, dt, dd, pre, div, tr, td, th, h1, h2, h3, h4, h5, h6, blockquote, figcaption, caption"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SYNONYMS = re.compile(r"又称[:：]\s*([^。\n]+)")
MATH_DELIMITERS = re.compile(r"^\s*\\[(\[]|\\[)\]]\s*$")


def clean(text: str) -> str:
    """Collapse runs of blanks inside lines and drop empty lines."""
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def heading_text(heading) -> str:
    return clean(heading.get_text()).replace("\n", " ")


def prepare(soup, exclude: list[str]):
    """The page's article with everything that is not content removed and block ends marked."""
    article = next(found for found in (soup.select_one(s) for s in ARTICLE) if found is not None)
    for selector in exclude:
        for element in article.select(selector):
            element.decompose()
    for math in article.select(".math"):
        math.string = MATH_DELIMITERS.sub("", math.get_text())
    for title in article.select(".admonition-title"):
        title.append(NavigableString("："))  # "一句话：…" reads as one sentence in a snippet
    for block in article.select(BLOCKS):
        if "admonition-title" not in block.get("class", []):
            block.append(NavigableString("\n"))
    return article


def own_text(section) -> str:
    """The text of a section without its heading and without its subsections."""
    parts = []
    for child in section.children:
        if getattr(child, "name", None) in (*HEADINGS, "section"):
            continue
        parts.append(child.get_text() if hasattr(child, "get_text") else str(child))
    return clean("".join(parts))


def extract(html: str, exclude: list[str]) -> dict:
    """Title and sections ([id, heading, text]) of one built page."""
    article = prepare(BeautifulSoup(html, "html.parser"), exclude)
    sections = article.find_all("section")
    if not sections:
        return {"t": "", "s": [["", "", clean(article.get_text())]]}
    title = heading_text(sections[0].find(HEADINGS))
    out = []
    for position, section in enumerate(sections):
        heading = section.find(HEADINGS)
        out.append(["" if position == 0 else section.get("id", ""), heading_text(heading) if heading else "", own_text(section)])
    return {"t": title, "s": out}


def glossary_entries(html: str, page_uri: str, exclude: list[str]):
    """(names, definition, linked page URIs, term id) for each entry of a glossary page."""
    article = prepare(BeautifulSoup(html, "html.parser"), exclude)
    for dl in article.select("dl.glossary"):
        names, ids = [], []
        for child in dl.find_all(["dt", "dd"], recursive=False):
            if child.name == "dt":
                names.append(heading_text(child))
                ids.append(child.get("id", ""))
                continue
            definition = clean(child.get_text()).replace("\n", " ")
            for synonyms in SYNONYMS.findall(definition):
                names += [s.strip() for s in re.split(r"[、，,/]", synonyms) if s.strip()]
            targets = []
            for link in child.select("a.reference.internal[href]"):
                href = link["href"].split("#")[0]
                if href:
                    targets.append(posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), href)))
            # A Chinese term's id is a serial number (term-48); the English term's id is stable.
            stable = [i for i in ids if not re.fullmatch(r"term-\d+", i)]
            yield names, definition, targets, (stable or ids or [""])[0]
            names, ids = [], []


def write_index(app, exception):
    if exception or not is_site(app):  # not EPUB or singlehtml: their pages are not the site's files
        return
    builder, config = app.builder, app.config
    outdir = Path(builder.outdir)
    exclude = list(config.zh_search_exclude)
    # Parsing every page costs seconds; a page whose HTML is unchanged gives the same text.
    cache = BuildCache(app, "zh_search", __file__)
    pages, uri_of = [], {}
    for docname in sorted(app.env.found_docs, key=lambda d: (d != config.root_doc, d)):
        uri = builder.get_target_uri(docname)
        path = outdir / uri
        if not path.is_file():
            continue
        uri_of[uri] = len(pages)
        html = path.read_bytes()
        inputs = digest(html, *exclude)
        extracted = cache.result(uri, inputs, lambda: extract(html.decode("utf-8"), exclude))
        page = {"u": uri, **extracted}
        if docname in config.zh_search_navigation:
            page["n"] = 1
            page["s"] = [[sid, heading, ""] for sid, heading, _text in page["s"]]
        pages.append(page)
    glossary = config.zh_search_glossary
    if glossary in app.env.found_docs:
        uri = builder.get_target_uri(glossary)
        html = (outdir / uri).read_bytes()
        inputs = digest(html, *exclude)
        entries = cache.result("glossary:" + uri, inputs, lambda: list(glossary_entries(html.decode("utf-8"), uri, exclude)))
        for names, definition, targets, term_id in entries:
            for target in dict.fromkeys(targets):
                if target in uri_of and target != uri:
                    pages[uri_of[target]].setdefault("k", []).append(["\n".join(names), definition, f"{uri}#{term_id}"])
    cache.save()
    text = json.dumps({"pages": pages}, ensure_ascii=False, separators=(",", ":"))
    (outdir / INDEX_FILE).write_text(f"window.memoSearchIndex={text};\n", encoding="utf-8")


def add_static_path(app, config):
    config.html_static_path.append(str(STATIC))


def setup(app):
    app.add_config_value("zh_search_exclude", [
        "script", "style", "button", "nav", ".headerlink", ".copybtn", ".no-search", ".cite-section",
        ".toctree-wrapper", "mjx-assistive-mml",
    ], "html")
    app.add_config_value("zh_search_navigation", ["index", "memo-map", "usage", "how-to-cite"], "html")
    app.add_config_value("zh_search_glossary", "glossary", "html")
    app.connect("build-finished", write_index)
    app.connect("config-inited", add_static_path)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
