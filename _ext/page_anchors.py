"""Which explicit label names a page: shared by anchor_lock and cite_page.

A page label is the label on the page's title (``(view-vs-reshape)=``): its id is one of
the ids of the page's first section. This extension records those ids while reading,
so both extensions tell page labels from section labels the same way. They load it
with ``app.setup_extension("page_anchors")``.
"""

from __future__ import annotations

from docutils import nodes


def _tops(env) -> dict[str, list[str]]:
    if not hasattr(env, "page_anchors_tops"):
        env.page_anchors_tops = {}
    return env.page_anchors_tops


def top_ids(env, docname: str) -> list[str]:
    """The ids of the page's top section (its title), in document order."""
    return _tops(env).get(docname, [])


def is_page_anchor(env, docname: str, labelid: str) -> bool:
    return labelid in top_ids(env, docname)


def page_label(env, docname: str) -> str | None:
    """The label on the page's title, e.g. `view-vs-reshape`; None for an unlabelled page.
    With several (a renamed page keeps its old label), the first one in the source."""
    ids = top_ids(env, docname)
    found = {labelid: label for label, (doc, labelid) in env.domains.standard_domain.anonlabels.items()
             if doc == docname and labelid in ids}
    return next((found[i] for i in ids if i in found), None)


def record(app, doctree):
    top = next(iter(doctree.findall(nodes.section)), None)
    _tops(app.env)[app.env.docname] = list(top["ids"]) if top is not None else []


def purge(app, env, docname):
    _tops(env).pop(docname, None)


def merge(app, env, docnames, other):
    theirs = _tops(other)
    _tops(env).update({docname: theirs[docname] for docname in docnames if docname in theirs})


def setup(app):
    app.connect("doctree-read", record)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
