"""One line under each page link of the home page's chapter lists.

The line is the page's own takeaway (the 「一句话」 admonition, class `takeaway`), or, for a
page without one, the first sentence of its first paragraph: written once, on the page, so
the home page cannot drift from it. Only the root document's toctrees get the lines, and
only in HTML (other builders lay out the table of contents themselves). The lines are added to
the page's HTML after Sphinx resolved the toctrees, which happens after every doctree event.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from citation import plain_text  # formulas as Unicode text (_ext/citation.py)
from sphinx.application import Sphinx


def first_sentence(text: str) -> str:
    """Up to the first 。 or ； outside brackets, ending in 。"""
    depth = 0
    for index, char in enumerate(text):
        depth += (char in "（(「“") - (char in "）)」”")
        if depth <= 0 and char in "。；！？":
            return text[:index] + ("。" if char == "；" else char)
    return text


def summary_of(doctree: nodes.document) -> str:
    """The first sentence of the page's takeaway, or else of its first paragraph, formulas as text."""
    takeaway = next((a for a in doctree.findall(nodes.admonition) if "takeaway" in a["classes"]), None)
    if takeaway is not None:
        paragraphs = takeaway.findall(nodes.paragraph)
    else:
        section = next(iter(doctree.findall(nodes.section)), None)
        paragraphs = (p for p in section.findall(nodes.paragraph) if isinstance(p.parent, nodes.section)) if section else ()
    paragraph = next(iter(paragraphs), None)
    return first_sentence(" ".join(plain_text(paragraph).split())) if paragraph is not None else ""


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    if not hasattr(app.env, "page_summaries"):
        app.env.page_summaries = {}
    app.env.page_summaries[app.env.docname] = summary_of(doctree)


def on_purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "page_summaries", {}).pop(docname, None)


def on_merge(app: Sphinx, env, docnames, other) -> None:
    env.page_summaries = {**getattr(env, "page_summaries", {}),
                          **{d: s for d, s in getattr(other, "page_summaries", {}).items() if d in docnames}}


TOC_LINK = re.compile(r'(<li class="toctree-l1"><a class="reference internal" href="([^"#]+)">.*?</a>)')


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename != app.config.root_doc or "body" not in context or app.builder.format != "html":
        return
    summaries = getattr(app.env, "page_summaries", {})
    by_uri = {app.builder.get_relative_uri(pagename, docname): summary for docname, summary in summaries.items() if summary}

    def add_summary(match: re.Match) -> str:
        summary = by_uri.get(match[2])
        return f'{match[1]}<p class="page-summary">{html.escape(summary)}</p>' if summary else match[1]

    context["body"] = TOC_LINK.sub(add_summary, context["body"])


def on_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """The home page shows other pages' takeaways: rewrite it when any page changes."""
    return [app.config.root_doc] if added or changed or removed else []


def setup(app: Sphinx) -> dict:
    app.connect("env-get-outdated", on_outdated)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    app.connect("html-page-context", on_page_context)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
