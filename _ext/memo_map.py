"""The ``memo-map`` directive: a table from the memo's 27 items to this site's pages.

The items live in a TOML file (``memo_map_source``): the memo's own number and
title, and the docname of the page that covers it. The table is filled in once
every page has been read; an item without a ``page`` shows as 待写.

A ``page`` that names no document (a page renamed or deleted without updating the
file) is a warning at the entry's line, ``docs/memo-items.toml:12``: otherwise the
map would quietly show 待写 for a written page.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

PENDING = "待写"
logger = logging.getLogger(__name__)


class memo_map_node(nodes.General, nodes.Element):
    pass


def load_items(path: str | Path) -> list[dict]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return data["item"]


class MemoMapDirective(SphinxDirective):
    has_content = False

    def run(self):
        source = self.config.memo_map_source
        self.env.note_dependency(source)
        _memo_map_docs(self.env).add(self.env.docname)
        return [memo_map_node()]


def _memo_map_docs(env) -> set[str]:
    if not hasattr(env, "memo_map_docs"):
        env.memo_map_docs = set()
    return env.memo_map_docs


def _row(*cells: nodes.Node) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell if isinstance(cell, nodes.paragraph) else nodes.paragraph("", "", cell)
        row += entry
    return row


def page_is_written(env, docname: str) -> bool:
    return docname in env.all_docs


def page_lines(path: str | Path) -> list[int | None]:
    """For each [[item]], the 1-based line of its `page =` key (None if it has none)."""
    lines: list[int | None] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() == "[[item]]":
            lines.append(None)
        elif lines and lines[-1] is None and re.match(r"\s*page\s*=", line):
            lines[-1] = number
    return lines


def shown_path(path: str | Path) -> str:
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def check_pages_exist(app, env) -> None:
    if not _memo_map_docs(env):
        return
    source = app.config.memo_map_source
    for item, line in zip(load_items(source), page_lines(source)):
        page = item.get("page")
        if page and page not in env.all_docs:
            logger.warning('memo item %s 「%s」 names page "%s", which does not exist (no %s): '
                           "point `page` at the renamed page, or drop it until the page is written",
                           item["number"], item["title"], page, shown_path(Path(env.srcdir) / f"{page}.md"),
                           location=f"{shown_path(source)}:{line}", type="memo_map", subtype="missing_page")


def build_table(app, fromdocname: str, items: list[dict]) -> nodes.table:
    env = app.env
    headers = ("备忘录编号", "备忘录标题", "本站页面")
    table = nodes.table(classes=["memo-map"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in (1, 4, 4):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += _row(*(nodes.Text(h) for h in headers))
    group += head
    body = nodes.tbody()
    for item in items:
        page = item.get("page", "")
        if page_is_written(env, page):
            uri = app.builder.get_relative_uri(fromdocname, page)
            title = env.titles[page].astext()
            target = nodes.reference("", title, internal=True, refuri=uri)
        else:
            target = nodes.inline("", PENDING, classes=["memo-pending"])
        body += _row(nodes.Text(item["number"]), nodes.Text(item["title"]), target)
    group += body
    return table


def fill_memo_maps(app, doctree, fromdocname):
    for node in doctree.findall(memo_map_node):
        node.replace_self(build_table(app, fromdocname, load_items(app.config.memo_map_source)))


def purge_doc(app, env, docname):
    _memo_map_docs(env).discard(docname)


def merge_info(app, env, docnames, other):
    _memo_map_docs(env).update(_memo_map_docs(other))


def rewrite_when_the_map_changes(app, env):
    """Rewrite pages holding the map only when a mapped page appears, goes, or changes its title."""
    items = load_items(app.config.memo_map_source)
    pages = [item.get("page", "") for item in items]
    state = {page: (page_is_written(env, page), env.titles[page].astext() if page in env.titles else "") for page in pages}
    if state == getattr(env, "memo_map_state", None):
        return []
    env.memo_map_state = state
    return sorted(_memo_map_docs(env))


def setup(app):
    app.add_config_value("memo_map_source", "", "env", types=[str])
    app.add_node(memo_map_node)
    app.add_directive("memo-map", MemoMapDirective)
    app.connect("doctree-resolved", fill_memo_maps)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-updated", rewrite_when_the_map_changes)
    app.connect("env-check-consistency", check_pages_exist)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
