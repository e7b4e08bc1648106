"""Report doctest failures in MyST pages at the right line, as `docs/…:line`.

* sphinx.ext.doctest takes a block's line from ``node.line - 1``, which is right
  for reStructuredText, where the node's line is the first content line. MyST
  gives the line of the opening fence, so every failure would be reported one
  line too early. Shift the doctest nodes of Markdown sources by one.
* A {testcode} failure was reported at about twice its line: Sphinx
  (sphinx/ext/doctest.py, ``DocTestBuilder.test_group``, 9.0) gives the
  block's line both to the ``doctest.DocTest`` and to its single
  ``doctest.Example``, and doctest adds the two. The example's own offset is
  0, as for the first example of a {doctest}; set it so before the run.
* The report names the file the way every tool of the site does: relative to
  the working directory (``docs/tensors/x.md:33``, where `make` runs),
  instead of Python's ``File "tensors/x.md", line 33``.
"""

from __future__ import annotations

import os
import re

from docutils import nodes
from sphinx.ext.doctest import DocTestBuilder

TEST_NODE_TYPES = {"doctest", "testcode", "testsetup", "testcleanup", "testoutput"}
PYTHON_HEADER = re.compile(r'^File "(?P<file>.*)", line (?P<line>\d+|\?), in (?P<group>.*)$', re.M)


def shift_markdown_test_nodes(app, doctree: nodes.document) -> None:
    if not str(doctree.get("source", "")).endswith(".md"):
        return
    for node in doctree.findall(nodes.Element):
        if node.get("testnodetype") in TEST_NODE_TYPES and node.line is not None:
            node.line += 1


def shown_path(path: str) -> str:
    """Relative to the working directory when the file is under it (`docs/…`), else absolute."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


class MystDocTestBuilder(DocTestBuilder):
    def get_filename_for_node(self, node, docname: str) -> str:
        if node.source and os.path.isfile(node.source):
            return shown_path(node.source)
        return super().get_filename_for_node(node, docname)

    def test_group(self, group) -> bool:
        runner = self.test_runner
        run, header = runner.run, runner._failure_header

        def run_with_testcode_lines(test, *args, **kwargs):
            if self.type == "exec":  # a {testcode} block: see the module docstring
                for example in test.examples:
                    example.lineno = 0
            return run(test, *args, **kwargs)

        def file_line_header(test, example):
            return PYTHON_HEADER.sub(r"\g<file>:\g<line>: failed example (group \g<group>)", header(test, example), count=1)

        runner.run, runner._failure_header = run_with_testcode_lines, file_line_header
        try:
            return super().test_group(group)
        finally:
            del runner.run, runner._failure_header


def setup(app):
    app.setup_extension("sphinx.ext.doctest")
    app.add_builder(MystDocTestBuilder, override=True)
    app.connect("doctree-read", shift_markdown_test_nodes)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
