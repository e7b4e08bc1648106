"""Report doctest failures in MyST pages at the right line.

sphinx.ext.doctest takes a block's line from ``node.line - 1``, which is right
for reStructuredText, where the node's line is the first content line. MyST
gives the line of the opening fence, so every failure would be reported one
line too early, pointing at the fence instead of the ``>>>`` line. Shift the
doctest nodes of Markdown sources by one so that ``file:line`` is exact.
"""

from __future__ import annotations

from docutils import nodes

TEST_NODE_TYPES = {"doctest", "testcode", "testsetup", "testcleanup", "testoutput"}


def shift_markdown_test_nodes(app, doctree: nodes.document) -> None:
    if not str(doctree.get("source", "")).endswith(".md"):
        return
    for node in doctree.findall(nodes.Element):
        if node.get("testnodetype") in TEST_NODE_TYPES and node.line is not None:
            node.line += 1


def setup(app):
    app.connect("doctree-read", shift_markdown_test_nodes)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
