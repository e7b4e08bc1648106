"""Explicit ids for the glossary's terms, from a committed table.

Sphinx gives a glossary term an id made from its text; a Chinese term has no ASCII
letters, so it gets a serial number (``glossary.html#term-48``) that moves whenever a term
is added above it. Its glossary directive takes no explicit id, so this extension reads
them from ``glossary_ids_file`` (TOML, ``[ids]``: a term's first line -> its id) and, before
Sphinx's domains collect the page:

* gives each entry of the ``glossary_ids_page`` the id of its first term (every other line
  of the entry loses its own; ``{term}`` links to any line of the entry land on that id);
* registers the id as a label, so ``{ref}`` reaches it and ``anchors.lock.json`` locks it;
* warns, at the term's line, for a term the table lacks, and at the table's line for an id
  given to two terms. A source tree without the table (a test's few pages) keeps Sphinx's ids.

The table's ``[moved]`` section maps the ids Sphinx gave before (``term-48``) to the new
ones; a small script on the glossary page (HTML only) sends such old links on.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

ID = re.compile(r"term-[a-z0-9]+(?:-[a-z0-9]+)*")
LINE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*=\s*"([^"]*)"')


@dataclass
class Table:
    ids: dict[str, str] = field(default_factory=dict)  # term -> id
    lines: dict[str, int] = field(default_factory=dict)  # term -> line in the file
    moved: dict[str, str] = field(default_factory=dict)  # old id -> id
    problems: list[str] = field(default_factory=list)  # "file:line: message"


def load(path: Path, where: str) -> Table:
    """The table and its problems (an id given twice, an id that is not term-<ascii>)."""
    table = Table()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        table.problems.append(f"{where}:{line.group(1) if line else 1}: {error}")
        return table
    table.ids, table.moved = dict(data.get("ids", {})), dict(data.get("moved", {}))
    section, owner = "", {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("["):
            section = line.strip()
            continue
        match = LINE.match(line)
        if not match or section != "[ids]":
            continue
        term = json.loads(f'"{match.group(1)}"')
        termid = match.group(2)
        table.lines[term] = number
        if not ID.fullmatch(termid):
            table.problems.append(f"{where}:{number}: glossary id '{termid}' of '{term}' is not term-<lowercase ASCII, kebab-case>")
        if termid in owner:
            first, first_line = owner[termid]
            table.problems.append(f"{where}:{number}: glossary id '{termid}' is given to both '{first}' "
                                  f"(line {first_line}) and '{term}'; every term needs its own id")
        else:
            owner[termid] = (term, number)
    return table


def _table(env) -> Table:
    config = env.config
    path = Path(env.srcdir, config.glossary_ids_file)
    cache = env.__dict__.setdefault("_glossary_ids", {})
    stamp = path.stat().st_mtime_ns if path.is_file() else None
    if "table" not in cache or cache.get("stamp") != stamp:
        where = path.relative_to(Path(env.srcdir).parent).as_posix() if path.is_file() else config.glossary_ids_file
        cache["stamp"], cache["table"] = stamp, load(path, where) if path.is_file() else Table()
    return cache["table"]


def _terms(item: nodes.definition_list_item) -> list[nodes.term]:
    return [child for child in item.children if isinstance(child, nodes.term)]


def _text(term: nodes.term) -> str:
    return "".join(node.astext() for node in term.children if not isinstance(node, addnodes.index)).strip()


def _source_line(env, docname: str, name: str) -> int | None:
    """The term's line in the source (MyST passes the glossary's lines relative to the fence)."""
    lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").splitlines()
    return next((number for number, line in enumerate(lines, 1) if line.strip() == name), None)


class GlossaryIds(SphinxTransform):
    """Runs before SphinxDomains (850), which collects labels and index entries."""

    default_priority = 840

    def apply(self, **kwargs):
        docname = self.env.current_document.docname
        if docname != self.config.glossary_ids_page or not self.config.glossary_ids_file:
            return
        if not Path(self.env.srcdir, self.config.glossary_ids_file).is_file():
            return  # another source tree (a test's copy of a few pages) has no table: Sphinx's ids stay
        table = _table(self.env)
        for problem in table.problems:
            logger.warning(problem, type="glossary_ids", subtype="table")
        std = self.env.domains.standard_domain
        found = self.env.__dict__.setdefault("glossary_ids_found", {})
        found[docname] = []
        for glossary in self.document.findall(addnodes.glossary):
            for item in glossary.findall(nodes.definition_list_item):
                terms = _terms(item)
                if not terms:
                    continue
                name = _text(terms[0])
                termid = table.ids.get(name)
                if termid is None:
                    location = (docname, _source_line(self.env, docname, name) or terms[0].line)
                    logger.warning("glossary term '%s' has no id in %s: add a line `\"%s\" = \"term-<English name>\"` "
                                   "(an id is published: never change it)", name, self.config.glossary_ids_file, name,
                                   location=location, type="glossary_ids", subtype="missing")
                    continue
                for term in terms:
                    for old in term["ids"]:
                        self.document.ids.pop(old, None)
                    term["ids"] = []
                    text = term.astext()
                    if ("term", text) in std.objects:
                        std.objects["term", text] = (docname, termid)
                    std._terms[text.lower()] = (docname, termid)
                    for index in term.findall(addnodes.index):
                        index["entries"] = [(kind, value, termid, *rest) for kind, value, _old, *rest in index["entries"]]
                terms[0]["ids"] = [termid]
                self.document.ids[termid] = terms[0]
                self.document.nameids[termid] = termid
                self.document.nametypes[termid] = True
                found[docname].append((termid, name))


def add_labels(app, doctree):
    """The ids as labels with the term as their title (anchors.lock.json shows it)."""
    std = app.env.domains.standard_domain
    docname = app.env.docname
    for termid, name in app.env.__dict__.get("glossary_ids_found", {}).get(docname, []):
        std.labels[termid] = (docname, termid, name)


def add_redirect_script(app, doctree, docname):
    """Old numbered links (glossary.html#term-48) go on to the term's own id."""
    if app.builder.format != "html" or docname != app.config.glossary_ids_page:
        return
    if not _table(app.env).moved:
        return
    moved = json.dumps(_table(app.env).moved, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    script = ("<script>\n(() => {\n"
              f"  const moved = {moved};\n"
              "  const id = decodeURIComponent(location.hash.slice(1));\n"
              "  if (id && !document.getElementById(id) && moved[id]) location.replace(`#${moved[id]}`);\n"
              "})();\n</script>\n")
    doctree.append(nodes.raw("", script, format="html"))


def purge_doc(app, env, docname):
    env.__dict__.setdefault("glossary_ids_found", {}).pop(docname, None)


def merge_info(app, env, docnames, other):
    theirs = other.__dict__.get("glossary_ids_found", {})
    env.__dict__.setdefault("glossary_ids_found", {}).update({d: theirs[d] for d in docnames if d in theirs})


def outdated(app, env, added, changed, removed):
    """A table edit re-reads the glossary page."""
    page = app.config.glossary_ids_page
    state = env.__dict__.setdefault("_glossary_ids_state", {})
    path = Path(env.srcdir, app.config.glossary_ids_file)
    stamp = path.stat().st_mtime_ns if app.config.glossary_ids_file and path.is_file() else None
    if state.get("stamp") != stamp and page in env.found_docs:
        state["stamp"] = stamp
        return [page]
    state["stamp"] = stamp
    return []


def setup(app):
    app.add_config_value("glossary_ids_page", "glossary", "env", types=[str])
    app.add_config_value("glossary_ids_file", "", "env", types=[str])  # relative to the source folder
    app.add_transform(GlossaryIds)
    app.connect("doctree-read", add_labels)
    app.connect("doctree-resolved", add_redirect_script)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
