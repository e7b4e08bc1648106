"""End every page with a "引用本页" block: the page's BibTeX and GB/T 7714-2015 entry.

The entry carries the page title, its URL with the page's stable anchor
(``html_baseurl`` + page + ``#`` + page label), the site version (``release``)
and the date the page's source last changed according to git. When git has no
history for the file (no repository, file untracked or edited since the last
commit) the build date is used instead, and the block says so. The landing page
(``root_doc``) cites the whole site.

The block is a container with the id ``cite-this-page``: a plain HTML id, not a
Sphinx label, so it is neither in the anchor lock nor in the search index.

The ``{cite-entry}`` directive prints the same entries anywhere, so the
"如何引用" page shows real examples instead of typed ones::

    ```{cite-entry} site
    ```
    ```{cite-entry} view-vs-reshape-pitfalls
    :format: gbt7714
    ```
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

BLOCK_ID = "cite-this-page"
SITE = "site"
FORMATS = ("bibtex", "gbt7714")
ACCESS_DATE = "[引用日期]"


# -- dates --------------------------------------------------------------------------


def build_date() -> str:
    """Today, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


def _git(path: Path, *args: str) -> str | None:
    cwd = path if path.is_dir() else path.parent
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args, "--", str(path)],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def git_date(path: str | Path) -> str | None:
    """Committer date (YYYY-MM-DD) of the last commit that touched `path`, or
    None when git cannot vouch for the file as it is now."""
    path = Path(path)
    date = _git(path, "log", "-1", "--format=%cs")
    if not date:
        return None  # no git, no repository, or no commit has this file
    if _git(path, "status", "--porcelain"):
        return None  # edited or untracked since: the last commit is not this text
    return date


def last_changed(app, path: str | Path) -> tuple[str, bool]:
    """(date, from_git) for a source file or folder, cached for the build."""
    cache = app.__dict__.setdefault("_cite_page_dates", {})
    key = str(path)
    if key not in cache:
        date = git_date(path)
        cache[key] = (date, True) if date else (build_date(), False)
    return cache[key]


# -- the entries ----------------------------------------------------------------------


LATEX_SPECIALS = {char: "\\" + char for char in "{}&%$#_"} | {
    "\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"}


def bibtex_escape(text: str) -> str:
    return "".join(LATEX_SPECIALS.get(char, char) for char in text)


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    site: str  # the site's title; empty when the entry cites the whole site
    author: str
    url: str
    version: str
    date: str  # YYYY-MM-DD, last change

    def bibtex(self) -> str:
        fields = [("author", "{" + bibtex_escape(self.author) + "}"), ("title", bibtex_escape(self.title))]
        if self.site:
            fields.append(("howpublished", bibtex_escape(self.site)))
        fields += [
            ("version", self.version),
            ("year", self.date[:4]),
            ("date", self.date),
            ("url", self.url),
            ("note", f"版本 {self.version}，最后修改于 {self.date}"),
        ]
        width = max(len(name) for name, _ in fields)
        body = "".join(f"  {name.ljust(width)} = {{{value}}},\n" for name, value in fields)
        return f"@misc{{{self.key},\n{body}}}"

    def gbt7714(self) -> str:
        where = f"//{self.site}" if self.site else ""
        return (f"{self.author}. {self.title}[EB/OL]{where}. {self.version} 版. "
                f"({self.date}){ACCESS_DATE}. {self.url}.")

    def render(self, form: str) -> str:
        return self.gbt7714() if form == "gbt7714" else self.bibtex()


def _absolute(app, uri: str) -> str:
    base = app.config.html_baseurl
    return (base.rstrip("/") + "/" + uri) if base else uri


def page_uri(app, docname: str) -> str:
    if app.builder.format == "html":
        return app.builder.get_target_uri(docname)
    return docname + ".html"


def page_label(app, docname: str) -> str | None:
    """The label on the page's title, e.g. `view-vs-reshape`."""
    top = app.env.__dict__.get("cite_page_tops", {}).get(docname, [])
    std = app.env.domains.standard_domain
    for label, (doc, labelid) in std.anonlabels.items():
        if doc == docname and labelid in top:
            return label
    return None


def _common(app) -> dict:
    config = app.config
    return {"author": config.cite_author or config.author, "version": config.release}


def site_changed(app) -> tuple[str, bool]:
    """The newest last change over all pages: (date, from_git)."""
    env = app.env
    dates = [last_changed(app, env.doc2path(docname)) for docname in sorted(env.found_docs)]
    return max(dates, default=(build_date(), False))


def site_citation(app) -> Citation:
    date, _ = site_changed(app)
    return Citation(key=app.config.cite_key_prefix, title=app.config.project, site="",
                    url=_absolute(app, ""), date=date, **_common(app))


def page_citation(app, docname: str) -> Citation:
    env = app.env
    if docname == app.config.root_doc:
        return site_citation(app)
    label = page_label(app, docname)
    uri = page_uri(app, docname) + (f"#{label}" if label else "")
    date, _ = last_changed(app, env.doc2path(docname))
    return Citation(key=f"{app.config.cite_key_prefix}:{label or docname.replace('/', '-')}",
                    title=env.titles[docname].astext(), site=app.config.project,
                    url=_absolute(app, uri), date=date, **_common(app))


def label_citation(app, label: str) -> Citation | None:
    """The entry for a section (or page) label; None if the label is unknown."""
    if label == SITE:
        return site_citation(app)
    std = app.env.domains.standard_domain
    if label not in std.anonlabels:
        return None
    docname, labelid = std.anonlabels[label]
    if page_label(app, docname) == label:
        return page_citation(app, docname)
    section = std.labels.get(label, ("", "", label))[2]
    date, _ = last_changed(app, app.env.doc2path(docname))
    return Citation(key=f"{app.config.cite_key_prefix}:{label}",
                    title=f"{app.env.titles[docname].astext()}：{section}", site=app.config.project,
                    url=_absolute(app, f"{page_uri(app, docname)}#{labelid}"), date=date, **_common(app))


# -- the block at the end of every page --------------------------------------------------


def _literal(text: str, language: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text, language=language)
    block["classes"].append(f"cite-{language}")
    return block


def cite_block(app, docname: str) -> nodes.container:
    citation = page_citation(app, docname)
    if docname == app.config.root_doc:
        date, from_git = site_changed(app)
    else:
        date, from_git = last_changed(app, app.env.doc2path(docname))
    what = "本站" if docname == app.config.root_doc else "本页"
    provenance = "据 git 记录" if from_git else "构建日期，git 中没有这一版的记录"
    block = nodes.container(ids=[BLOCK_ID], classes=[BLOCK_ID, "no-search"])
    block += nodes.rubric("", "引用本页")
    intro = nodes.paragraph()
    intro += nodes.Text(f"{what}最后修改于 {date}（{provenance}），站点版本 {citation.version}。")
    howto = app.config.cite_howto_page
    if howto and howto != docname and howto in app.env.found_docs and app.builder.format == "html":
        intro += nodes.Text("格式说明见")
        uri = app.builder.get_relative_uri(docname, howto)
        intro += nodes.reference("", app.env.titles[howto].astext(), internal=True, refuri=uri)
        intro += nodes.Text("。")
    block += intro
    block += _literal(citation.bibtex(), "bibtex")
    block += nodes.paragraph("", "GB/T 7714-2015：")
    block += _literal(citation.gbt7714(), "text")
    return block


def append_block(app, doctree, docname):
    if app.builder.format != "html" or docname in app.config.cite_exclude:
        return
    if docname not in app.env.titles:
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    (top if top is not None else doctree).append(cite_block(app, docname))


# -- the {cite-entry} directive --------------------------------------------------------------


class cite_entry_node(nodes.General, nodes.Element):
    pass


class CiteEntryDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {"format": lambda arg: directives.choice(arg, FORMATS)}

    def run(self):
        node = cite_entry_node(label=self.arguments[0].lower(), format=self.options.get("format", "bibtex"))
        self.set_source_info(node)
        self.env.__dict__.setdefault("cite_entry_docs", set()).add(self.env.docname)
        return [node]


def fill_entries(app, doctree, docname):
    for node in list(doctree.findall(cite_entry_node)):
        citation = label_citation(app, node["label"])
        if citation is None:
            logger.warning("cite-entry: unknown label '%s'", node["label"], location=node,
                           type="cite_page", subtype="label")
            node.replace_self([])
            continue
        language = "text" if node["format"] == "gbt7714" else "bibtex"
        node.replace_self(_literal(citation.render(node["format"]), language))


# -- bookkeeping ------------------------------------------------------------------------------


def record_top(app, doctree):
    top = next(iter(doctree.findall(nodes.section)), None)
    app.env.__dict__.setdefault("cite_page_tops", {})[app.env.docname] = list(top["ids"]) if top is not None else []


def purge_doc(app, env, docname):
    env.__dict__.setdefault("cite_page_tops", {}).pop(docname, None)
    env.__dict__.setdefault("cite_entry_docs", set()).discard(docname)


def merge_info(app, env, docnames, other):
    tops = other.__dict__.get("cite_page_tops", {})
    env.__dict__.setdefault("cite_page_tops", {}).update({d: tops[d] for d in docnames if d in tops})
    env.__dict__.setdefault("cite_entry_docs", set()).update(other.__dict__.get("cite_entry_docs", set()))


def rewrite_entries_when_they_change(app, env):
    """Entries show other pages' titles and dates, filled in when a page is written.
    Rewrite the pages holding them only when one of those inputs changed."""
    docs = sorted(env.found_docs)
    state = (
        tuple(last_changed(app, env.doc2path(d)) for d in docs),
        tuple(env.titles[d].astext() if d in env.titles else "" for d in docs),
        tuple(sorted(env.domains.standard_domain.labels.items())),
    )
    if state == env.__dict__.get("cite_entry_state"):
        return []
    env.__dict__["cite_entry_state"] = state
    return sorted(env.__dict__.get("cite_entry_docs", set()))


def setup(app):
    app.add_config_value("cite_key_prefix", "memo", "env", types=[str])
    app.add_config_value("cite_author", "", "env", types=[str])
    app.add_config_value("cite_howto_page", "how-to-cite", "env", types=[str])
    app.add_config_value("cite_exclude", [], "env", types=[list])
    app.add_node(cite_entry_node)
    app.add_directive("cite-entry", CiteEntryDirective)
    app.connect("doctree-read", record_top)
    app.connect("doctree-resolved", fill_entries)
    app.connect("doctree-resolved", append_block)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-updated", rewrite_entries_when_they_change)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
