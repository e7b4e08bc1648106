"""Full-text search that finds every word written on a page, Chinese or not, and forgives.

Sphinx's own index for ``zh`` stores jieba's fragments, while its searchtools.js
splits a typed query only at non-letters, so a compound such as 交叉熵 must equal
one stored fragment exactly and most words are never found. Instead, after every
HTML build this extension writes ``_static/memo-search-index.js``: the text of each
page, section by section (label, heading, text), taken from the built HTML (so only
the article, never the theme's menus), and the glossary's entries (names, 又称,
definition, the pages they link to). ``memo-search.js`` ranks pages by how much of
the query they hold (partial matches, question words counting little, Chinese
phrases by character overlap, Latin words within one typo of the index's
vocabulary, a glossary name finding the page its entry links to), links each result
to the section that matched, and draws the sentence around the match as the snippet.
The index is a script, not JSON to fetch, so the offline copy works from file://.

Why matching over shipped text: snippets need the text in the browser anyway
(fetching other pages fails from file://), and with the text there, a scan is both
the simplest index and the only one that finds every string written on a page
(``python tools/search_compare.py`` compares it with Pagefind, bigram and jieba
indexes on the queries tools/search_queries.py derives). ``make bench`` reports the
index size and the query latency.

Every page carries a small inline loader (``memo-search-loader.js``): it loads the
index and the search script when the reader opens the Ctrl+K dialog (results as they
type), and puts focus back where it was when the dialog closes. The index URL
carries a digest of its content (``?digest=``), rewritten in every page after the
index is written, so a cached old index is never used with new pages.

Config:

``zh_search_exclude``
    CSS selectors of article parts that are not content (cite panels, buttons).
``zh_search_navigation``
    Pages indexed by title and headings only. They rank after every content page,
    unless the query is exactly their title or one of their headings.
``zh_search_glossary``
    The glossary page: each entry's names and 又称 (synonyms) lead to the page (and
    section) its definition links to; the entry itself is a result of its own.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from sphinx.util import logging

from build_cache import BuildCache, digest
from site_builder import is_site

logger = logging.getLogger(__name__)

INDEX_FILE = "_static/memo-search-index.js"
STATIC = Path(__file__).with_name("zh_search_static")  # memo-search.js and .css; docs/_templates/search.html loads them
LOADER = STATIC / "memo-search-loader.js"  # inlined into every page (no request of its own)
ARTICLE = ("article.bd-article", '[role="main"]', "div.body", "body")
BLOCKS = "p, li, dt, dd, pre, div, tr, td, th, h1, h2, h3, h4, h5, h6, blockquote, figcaption, caption"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SYNONYMS = re.compile(r"又称[:：]\s*([^。\n]+)")
MATH_DELIMITERS = re.compile(r"^\s*\\[(\[]|\\[)\]]\s*$")
CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
SOFT_BREAK_CJK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
# The index URL in every page; write_index puts the digest of the index written in.
INDEX_URL = re.compile(r"memo-search-index\.js\?digest=[0-9a-f]{16}")
DIGEST_PLACEHOLDER = "0" * 16


def clean(text: str) -> str:
    """Collapse runs of blanks inside lines and drop empty lines."""
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def heading_text(heading) -> str:
    return clean(heading.get_text()).replace("\n", " ")


# -- formulas as readable text ---------------------------------------------------------

SUPERSCRIPT = dict(zip("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ"))
SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
ACCENTS = {"¯": "\u0304", "ˉ": "\u0304", "‾": "\u0304", "^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "˙": "\u0307", "→": "\u20d7"}
INVISIBLE = dict.fromkeys(map(ord, "\u2061\u2062\u2063\u2064"), None)
SPACED = set("=≠≈≤≥<>⟹⇒→∈≡∼±")


def script(text: str, table: dict, mark: str) -> str:
    """x² or x_(…) when a character has no small form."""
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return mark + (text if len(text) == 1 else f"({text})")


def wrap(text: str) -> str:
    return text if len(text) <= 1 or re.fullmatch(r"[\w.]+|\(.*\)|\[.*\]", text) else f"({text})"


def mathml_text(node) -> str:
    """A MathML element as one line of readable text: σ = √(E[(X−μ)²]), x̄ = (1/n)∑ᵢ xᵢ."""
    if isinstance(node, NavigableString):
        return str(node).strip().translate(INVISIBLE)
    if not isinstance(node, Tag):
        return ""
    kids = [child for child in node.children if isinstance(child, Tag)]
    parts = [mathml_text(child) for child in kids]
    name = node.name
    if name in ("mi", "mn", "mtext", "ms"):
        return node.get_text().strip().translate(INVISIBLE)
    if name == "mo":
        op = node.get_text().strip().translate(INVISIBLE)
        return f" {op} " if op in SPACED else op
    if name == "mspace":
        return " "
    if name in ("msup", "msub", "msubsup", "munder", "mover", "munderover") and parts:
        base, rest = parts[0], parts[1:]
        if name == "mover" and rest and rest[0].strip() in ACCENTS:
            return base + ACCENTS[rest[0].strip()]
        sub = rest[0] if name in ("msub", "msubsup", "munder", "munderover") and rest else ""
        sup = rest[-1] if name in ("msup", "msubsup", "mover", "munderover") and rest else ""
        return base + (script(sub.replace(" ", ""), SUBSCRIPT, "_") if sub else "") + (
            script(sup.replace(" ", ""), SUPERSCRIPT, "^") if sup else "")
    if name == "mfrac" and len(parts) == 2:
        return f"{wrap(parts[0].strip())}/{wrap(parts[1].strip())}"
    if name == "msqrt":
        return "√" + wrap("".join(parts).strip())
    if name == "mroot" and len(parts) == 2:
        return script(parts[1], SUPERSCRIPT, "^") + "√" + wrap(parts[0].strip())
    if name == "mtable":
        return "; ".join(parts)
    if name == "mtr":
        return " ".join(parts)
    return "".join(parts)


def formula_text(math) -> str:
    """A .math element's text: MathML linearised, else the TeX without its delimiters."""
    mathml = math.find("math")
    if mathml is None:
        return MATH_DELIMITERS.sub("", math.get_text())
    return re.sub(r" {2,}", " ", mathml_text(mathml)).strip()


def prepare(soup, exclude: list[str]):
    """The page's article with everything that is not content removed and block ends marked."""
    article = next(found for found in (soup.select_one(s) for s in ARTICLE) if found is not None)
    for selector in exclude:
        for element in article.select(selector):
            element.decompose()
    for math in article.select(".math"):
        for number in math.select(".eqno"):
            number.decompose()
        math.string = " " + formula_text(math) + " " if math.name == "span" else formula_text(math)
    # A line break inside a paragraph is a soft break: between two Chinese characters it is
    # nothing (不含\n终点 reads 不含终点), elsewhere a blank. Code keeps its lines.
    for text in article.find_all(string=True):
        if "\n" in text and not text.find_parent("pre"):
            text.replace_with(SOFT_BREAK_CJK.sub("", str(text)).replace("\n", " "))
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
    """(names, definition, linked page URIs with their #label, term id) for each entry of a glossary page."""
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
                href, _hash, fragment = link["href"].partition("#")
                if href:
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), href))
                    targets.append(target + ("#" + fragment if fragment else ""))
            # A Chinese term's id is a serial number (term-48); the English term's id is stable.
            stable = [i for i in ids if not re.fullmatch(r"term-\d+", i)]
            yield names, definition, targets, (stable or ids or [""])[0]
            names, ids = [], []


def index_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def without_index_url(html: bytes) -> bytes:
    """The page as the cache sees it: the index digest in it changes with every other page."""
    return re.sub(INDEX_URL.pattern.encode(), b"memo-search-index.js", html)


def write_index(app, exception):
    if exception or not is_site(app):  # not EPUB or singlehtml: their pages are not the site's files
        return
    builder, config = app.builder, app.config
    outdir = Path(builder.outdir)
    exclude = list(config.zh_search_exclude)
    glossary = config.zh_search_glossary
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
        # The glossary's entries are indexed once, as entries (below), not again as page text.
        page_exclude = exclude + (["dl.glossary"] if docname == glossary else [])
        inputs = digest(without_index_url(html), *page_exclude)
        extracted = cache.result(uri, inputs, lambda: extract(html.decode("utf-8"), page_exclude))
        page = {"u": uri, **extracted}
        if docname in config.zh_search_navigation:
            page["n"] = 1
            page["s"] = [[sid, heading, ""] for sid, heading, _text in page["s"]]
        pages.append(page)
    entries = []
    if glossary in app.env.found_docs:
        uri = builder.get_target_uri(glossary)
        html = (outdir / uri).read_bytes()
        inputs = digest(without_index_url(html), *exclude)
        for names, definition, targets, term_id in cache.result(
                "glossary:" + uri, inputs, lambda: list(glossary_entries(html.decode("utf-8"), uri, exclude))):
            linked = [t for t in dict.fromkeys(targets) if t.partition("#")[0] in uri_of and t.partition("#")[0] != uri]
            entries.append(["\n".join(names), definition, f"{uri}#{term_id}", *linked])
    cache.save()
    text = json.dumps({"pages": pages, "g": entries}, ensure_ascii=False, separators=(",", ":"))
    (outdir / INDEX_FILE).write_text(f"window.memoSearchIndex={text};\n", encoding="utf-8")
    stamp_index_url(outdir, index_digest(text))


def stamp_index_url(outdir: Path, index_hash: str) -> None:
    """Put the index's digest into the index URL of every page that loads it (or may, from the Ctrl+K dialog)."""
    new = f"memo-search-index.js?digest={index_hash}".encode()
    for path in outdir.rglob("*.html"):
        html = path.read_bytes()
        if b"memo-search-index.js?digest=" in html:
            stamped = re.sub(INDEX_URL.pattern.encode(), new, html)
            if stamped != html:
                path.write_bytes(stamped)


def static_digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:16]


def page_context(app, pagename, templatename, context, doctree):
    """What docs/_templates/search.html needs to load the search with cache-safe URLs."""
    context["memo_search_digest"] = {name: static_digest(name) for name in ("memo-search.js", "memo-search.css")}
    context["memo_search_index_digest"] = DIGEST_PLACEHOLDER


def add_static_path(app, config):
    config.html_static_path.append(str(STATIC))
    # The loader is the same on every page, so it is inlined (no request): digests of the
    # script and style, the index's placeholder that write_index replaces.
    loader = LOADER.read_text(encoding="utf-8")
    for name in ("memo-search.js", "memo-search.css"):
        loader = loader.replace(f"{name}?digest=", f"{name}?digest={static_digest(name)}")
    loader = loader.replace("memo-search-index.js?digest=", f"memo-search-index.js?digest={DIGEST_PLACEHOLDER}")
    app.add_js_file(None, body=loader, priority=900)


def setup(app):
    app.add_config_value("zh_search_exclude", [
        "script", "style", "button", "nav", ".headerlink", ".copybtn", ".no-search", ".cite-section",
        ".toctree-wrapper", "mjx-assistive-mml",
    ], "html")
    app.add_config_value("zh_search_navigation", ["index", "memo-map", "usage", "how-to-cite"], "html")
    app.add_config_value("zh_search_glossary", "glossary", "html")
    app.connect("build-finished", write_index)
    app.connect("config-inited", add_static_path)
    app.connect("html-page-context", page_context)
    return {"version": "3.0", "parallel_read_safe": True, "parallel_write_safe": True}
