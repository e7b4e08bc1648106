"""Keep ```{eval-rst}``` content attached to its page's doctree.

myst-parser parses an eval-rst block into a temporary docutils document that shares
the page's settings, then moves the nodes into the page
(myst_parser/mdit_to_docutils/base.py, `render_restructuredtext`, myst-parser 5.2.0).
The top-level nodes keep a reference to that temporary document, and through its
settings to the whole build environment, which Sphinx strips from the page's own
settings before pickling. So each page with an eval-rst block (the figure pages: the
plot directive needs reStructuredText) pickled the environment into its doctree,
4.7 MB instead of about 50 KB, and every build that loads those doctrees (`make
doctest` loads all of them) paid for it.

This points those nodes at the page's doctree when it has been read. Delete the module
once tests/test_ext_eval_rst_document.py reports that myst-parser no longer leaves the
reference (its upstream check fails then).
"""

from __future__ import annotations

from docutils import nodes


def foreign_nodes(doctree: nodes.document) -> list[nodes.Node]:
    """Nodes whose own document reference is another document than the page's."""
    return [node for node in doctree.findall() if node.__dict__.get("_document") not in (None, doctree)]


def reattach(app, doctree: nodes.document) -> None:
    for node in foreign_nodes(doctree):
        node.document = doctree


def setup(app):
    app.connect("doctree-read", reattach)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
