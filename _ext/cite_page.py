"""Make every page and every labelled section citable.

* **引用本节**: next to the heading of every section with a label (every ``##`` and
  every labelled ``###``) a ``<details class="cite-section no-search">`` panel holds
  the section's BibTeX (key ``<prefix>:<label>``, title 「页面标题：小节标题」, URL with
  the section's anchor) and its GB/T 7714-2015 entry. It needs no JavaScript;
  sphinx-copybutton adds the copy buttons.
* **引用本页**: every page ends with the page's entries (the landing page, ``root_doc``,
  cites the whole site), in a container with the plain HTML id ``cite-this-page``.
* **Metadata**: Highwire Press ``citation_*`` tags, schema.org JSON-LD, and a plain-text
  ``description`` / ``og:description`` (the page's takeaway, formulas as Unicode).
* **Exports**: ``memo.bib`` and ``memo.json`` (CSL-JSON) in the output: every page and
  every citable section, with the keys and URLs the pages show.
* The ``{cite-entry}`` directive prints one entry anywhere, and ``{cite-exports}`` links
  the exports, so "如何引用" shows real entries instead of typed ones::

    ```{cite-entry} view-vs-reshape-pitfalls
    :format: gbt7714
    ```

Dates come from sphinx-last-updated-by-git (the last commit that touched the page or a
file it includes). A page with uncommitted edits gets the build date instead, and says
so, so that it never claims an old date for new text. The panels and blocks carry the
``no-search`` class, which keeps them out of Sphinx's search index.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import format_date

from citation import Citation, bibtex_escape, json_ld_script, meta_tags, plain_text  # noqa: F401 (re-exported)
from page_anchors import page_label

logger = logging.getLogger(__name__)

BLOCK_ID = "cite-this-page"
PANEL_CLASSES = ["cite-section", "no-search"]
CITABLE_CLASS = "cite-able"  # on the <section> of a heading with a panel (cite.css)
SITE = "site"
FORMATS = ("bibtex", "gbt7714")
BIB_FILE = "memo.bib"
CSL_FILE = "memo.json"
TAKEAWAY_CLASS = "takeaway"


# -- dates ----------------------------------------------------------------------------


def build_date() -> str:
    """Today, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


def uncommitted(srcdir: str | Path) -> set[Path]:
    """Files under `srcdir` that differ from the last commit (edited, staged or untracked)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=srcdir, capture_output=True, timeout=60)

    try:
        top = git("rev-parse", "--show-toplevel")
        status = git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return set()
    if top.returncode or status.returncode:
        return set()
    root = Path(top.stdout.decode().strip())
    return {(root / entry[3:].decode()).resolve() for entry in status.stdout.split(b"\0") if entry}


def _dirty(app) -> set[Path]:
    cache = app.__dict__.setdefault("_cite_page_cache", {})
    if "dirty" not in cache:
        cache["dirty"] = uncommitted(app.srcdir)
    return cache["dirty"]


def is_uncommitted(app, docname: str) -> bool:
    """The page, or a file it includes, differs from the last commit."""
    env = app.env
    files = {Path(env.doc2path(docname)).resolve()}
    files |= {Path(env.srcdir, dep).resolve() for dep in env.dependencies.get(docname, ())}
    return bool(_dirty(app) & files)


def page_changed(app, docname: str) -> tuple[str, bool]:
    """(date, from_git): the page's last commit as sphinx-last-updated-by-git found it, or
    the build date when git has none or the page (or a file it includes) has uncommitted edits."""
    cache = app.__dict__.setdefault("_cite_page_cache", {}).setdefault("dates", {})
    if docname not in cache:
        data = getattr(app.env, "git_last_updated", {}).get(docname)
        if not data or data[0] is None or is_uncommitted(app, docname):
            cache[docname] = build_date(), False
        else:
            cache[docname] = dt.datetime.fromtimestamp(int(data[0]), dt.timezone.utc).date().isoformat(), True
    return cache[docname]


def site_changed(app) -> tuple[str, bool]:
    """The newest last change over all pages: (date, from_git)."""
    dates = [page_changed(app, docname) for docname in sorted(app.env.found_docs)]
    return max(dates, default=(build_date(), False))


# -- sections, recorded while reading ------------------------------------------------------


def _sections(env) -> dict[str, list[tuple[list[str], str]]]:
    if not hasattr(env, "cite_page_sections"):
        env.cite_page_sections = {}
    return env.cite_page_sections


def record_sections(app, doctree):
    """Every section below the page title: its ids and its title as plain text."""
    found = list(doctree.findall(nodes.section))[1:]
    _sections(app.env)[app.env.docname] = [(list(s["ids"]), plain_text(s[0]).strip()) for s in found
                                          if s.children and isinstance(s[0], nodes.title)]


def section_labels(env, docname: str) -> list[tuple[str, str, str]]:
    """(label, labelid, section title) of every labelled section of the page, in page order.
    A section with two labels (an old one kept for citations) gives two entries."""
    by_id: dict[str, list[str]] = {}
    for label, (doc, labelid) in sorted(env.domains.standard_domain.anonlabels.items()):
        if doc == docname and labelid:
            by_id.setdefault(labelid, []).append(label)
    return [(label, labelid, title) for ids, title in _sections(env).get(docname, [])
            for labelid in ids for label in by_id.get(labelid, [])]


# -- the entries ------------------------------------------------------------------------------


def _absolute(app, uri: str) -> str:
    base = app.config.html_baseurl
    return (base.rstrip("/") + "/" + uri) if base else uri


def cite_url(app, uri: str) -> str:
    """The URL every format cites: the release's fixed copy (`cite_fixed_baseurl`, whose text
    never changes), else the page under html_baseurl. `uri` is relative to the site's root."""
    base = app.config.cite_fixed_baseurl
    return (base.rstrip("/") + "/" + uri) if base else _absolute(app, uri)


def living_url(app, uri: str) -> str:
    """The page as it is now (`cite_living_baseurl`); empty when it is the cited URL."""
    base = app.config.cite_living_baseurl
    url = (base.rstrip("/") + "/" + uri) if base else ""
    return "" if url == cite_url(app, uri) else url


def page_uri(app, docname: str) -> str:
    if app.builder.format == "html":
        return app.builder.get_target_uri(docname)
    return docname + ".html"


def _common(app) -> dict:
    return {"author": app.config.author, "version": app.config.release,
            "language": (app.config.language or "en").replace("_", "-")}


def page_title(app, docname: str) -> str:
    return plain_text(app.env.titles[docname]).strip()


def site_citation(app) -> Citation:
    date, _ = site_changed(app)
    return Citation(key=app.config.cite_key_prefix, title=app.config.project, site="",
                    url=cite_url(app, ""), living_url=living_url(app, ""), date=date, **_common(app))


def page_citation(app, docname: str) -> Citation:
    if docname == app.config.root_doc:
        return site_citation(app)
    label = page_label(app.env, docname)
    uri = page_uri(app, docname) + (f"#{label}" if label else "")
    date, _ = page_changed(app, docname)
    return Citation(key=f"{app.config.cite_key_prefix}:{label or docname.replace('/', '-')}",
                    title=page_title(app, docname), site=app.config.project,
                    url=cite_url(app, uri), living_url=living_url(app, uri), date=date, **_common(app))


def section_citation(app, docname: str, label: str, labelid: str, title: str) -> Citation:
    date, _ = page_changed(app, docname)
    return Citation(key=f"{app.config.cite_key_prefix}:{label}",
                    title=f"{page_title(app, docname)}：{title}", site=app.config.project,
                    url=cite_url(app, f"{page_uri(app, docname)}#{labelid}"),
                    living_url=living_url(app, f"{page_uri(app, docname)}#{labelid}"), date=date, **_common(app))


def label_citation(app, label: str) -> Citation | None:
    """The entry for a section (or page) label; None if the label is unknown."""
    if label == SITE:
        return site_citation(app)
    std = app.env.domains.standard_domain
    if label not in std.anonlabels:
        return None
    docname, _labelid = std.anonlabels[label]
    if page_label(app.env, docname) == label:
        return page_citation(app, docname)
    for name, labelid, title in section_labels(app.env, docname):
        if name == label:
            return section_citation(app, docname, label, labelid, title)
    return None


def all_citations(app) -> list[Citation]:
    """The site, then every page and its labelled sections, in the order of the sources."""
    env = app.env
    found = [site_citation(app)]
    for docname in sorted(env.found_docs):
        if docname not in env.titles:
            continue
        if docname != app.config.root_doc:
            found.append(page_citation(app, docname))
        found += [section_citation(app, docname, *section) for section in section_labels(env, docname)]
    return found


# -- what the pages show -----------------------------------------------------------------------


class cite_panel(nodes.General, nodes.Element):
    """<details> beside a heading; rendered only by HTML builders."""


def visit_cite_panel(self, node):
    self.body.append(self.starttag(node, "details", ""))
    label = self.attval(f"引用本节：{node['section']}")
    self.body.append(f'<summary class="cite-summary" aria-label="{label}">引用本节</summary>\n'
                     '<div class="cite-panel">\n')


def depart_cite_panel(self, node):
    self.body.append("</div>\n</details>\n")


def skip_node(self, node):
    raise nodes.SkipNode


def _literal(text: str, language: str, form: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text, language=language)
    block["classes"].append(f"cite-{form}")
    return block


def url_lines(citation: Citation) -> list[nodes.paragraph]:
    """The fixed URL (this release's copy, whose text never changes) first, then the living one."""
    lines = []
    for label, url in (("固定地址（本版本，内容不再改变）：" if citation.living_url else "地址：", citation.url),
                       ("在线版地址（随新版本更新）：", citation.living_url)):
        if url:
            line = nodes.paragraph("", "", classes=["cite-format", "cite-url"])
            line += nodes.Text(label)
            line += nodes.reference(url, url, refuri=url)
            lines.append(line)
    return lines


def section_panel(citations: list[Citation], section: str) -> cite_panel:
    """One panel per section: the entry of its anchor, then those of older anchors that
    still lead to it (a renamed label stays citable)."""
    panel = cite_panel(section=section, classes=list(PANEL_CLASSES))
    panel += url_lines(citations[0])
    for index, citation in enumerate(citations):
        if index:
            anchor = citation.url.rsplit("#", 1)[-1]
            panel += nodes.paragraph("", f"旧锚点 #{anchor} 的条目（同一节）：", classes=["cite-format", "cite-alias"])
        panel += nodes.paragraph("", "BibTeX：", classes=["cite-format"])
        panel += _literal(citation.bibtex(), "none", "bibtex")
        panel += nodes.paragraph("", "GB/T 7714-2015：", classes=["cite-format"])
        panel += _literal(citation.gbt7714(), "none", "gbt7714")
    return panel


def add_section_panels(app, doctree, docname):
    """A panel right after the title of every labelled section (cite.css puts its summary
    on the heading's line). Added after reading, so the table of contents never sees it."""
    if app.builder.format != "html" or docname not in app.env.titles:
        return
    wanted: dict[str, list[tuple[str, str, str]]] = {}
    for label, labelid, title in section_labels(app.env, docname):
        wanted.setdefault(labelid, []).append((label, labelid, title))
    for section in list(doctree.findall(nodes.section)):
        found = [entry for labelid in section["ids"] for entry in wanted.pop(labelid, [])]
        if found:
            citations = [section_citation(app, docname, *entry) for entry in found]
            section.insert(1, section_panel(citations, found[0][2]))
            section["classes"].append(CITABLE_CLASS)


def cite_block(app, docname: str) -> nodes.container:
    citation = page_citation(app, docname)
    if docname == app.config.root_doc:
        date, from_git = site_changed(app)
    else:
        date, from_git = page_changed(app, docname)
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
    block += url_lines(citation)
    block += _literal(citation.bibtex(), "bibtex", "bibtex")
    block += nodes.paragraph("", "GB/T 7714-2015：")
    block += _literal(citation.gbt7714(), "text", "gbt7714")
    return block


def append_block(app, doctree, docname):
    if app.builder.format != "html" or docname not in app.env.titles:
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    (top if top is not None else doctree).append(cite_block(app, docname))


# -- <head>: reference-manager metadata and a plain-text description ----------------------------


def _searchable(node: nodes.Node) -> bool:
    return not any("no-search" in parent.get("classes", ()) or isinstance(parent, cite_panel)
                   for parent in _ancestors(node))


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent


def description(app, doctree: nodes.document) -> str:
    """The page's takeaway (or its first paragraph) as plain text: no TeX, no markup."""
    takeaway = next((node for node in doctree.findall(nodes.Admonition) if TAKEAWAY_CLASS in node["classes"]), None)
    source = takeaway if takeaway is not None else doctree
    paragraph = next((p for p in source.findall(nodes.paragraph) if _searchable(p)), None)
    text = " ".join(plain_text(paragraph).split()) if paragraph is not None else ""
    limit = app.config.cite_description_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def add_metadata(app, pagename, templatename, context, doctree):
    """Runs before sphinxext-opengraph, which then keeps this description: it leaves a
    `description` meta tag alone and takes `og:*` fields of the page's metadata as given."""
    env = app.env
    if app.builder.format != "html" or doctree is None or pagename not in env.titles:
        return
    citation = page_citation(app, pagename)
    text = description(app, doctree)
    tags = citation.highwire(publisher=app.config.project)
    if text:
        tags.append(("description", text))
        context["meta"] = {**(context.get("meta") or {}), "og:description": text}
    context["metatags"] = context.get("metatags", "") + meta_tags(tags) + json_ld_script(
        citation.json_ld(site_url=_absolute(app, ""), description=text))


def align_footer_date(app, pagename, templatename, context, doctree):
    """The theme's "last updated" footer (filled by sphinx-last-updated-by-git) shows the
    same date as the citations, uncommitted edits included."""
    if app.builder.format != "html" or pagename not in app.env.found_docs or context.get("last_updated") is None:
        return
    date, _from_git = page_changed(app, pagename)
    context["last_updated"] = format_date(app.config.html_last_updated_fmt or _("%b %d, %Y"),
                                          date=dt.date.fromisoformat(date), language=app.config.language)


# -- whole-site exports --------------------------------------------------------------------------


def write_exports(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    citations = all_citations(app)
    header = (f"% {app.config.project} {app.config.release}: every page and every citable section.\n"
              f"% Written by the build (_ext/cite_page.py); the same entries as on the pages.\n\n")
    Path(app.outdir, BIB_FILE).write_text(header + "\n\n".join(c.bibtex() for c in citations) + "\n", encoding="utf-8")
    Path(app.outdir, CSL_FILE).write_text(
        json.dumps([c.csl() for c in citations], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# -- directives: {cite-entry} and {cite-exports} -------------------------------------------------


class cite_entry_node(nodes.General, nodes.Element):
    pass


class cite_exports_node(nodes.General, nodes.Element):
    pass


def _track(env):
    env.__dict__.setdefault("cite_entry_docs", set()).add(env.docname)


class CiteEntryDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {"format": lambda arg: directives.choice(arg, FORMATS)}

    def run(self):
        node = cite_entry_node(label=self.arguments[0].lower(), format=self.options.get("format", "bibtex"))
        self.set_source_info(node)
        _track(self.env)
        return [node]


class CiteExportsDirective(SphinxDirective):
    """Links to memo.bib and memo.json, with the number of entries they hold."""

    def run(self):
        node = cite_exports_node()
        self.set_source_info(node)
        _track(self.env)
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
        node.replace_self(_literal(citation.render(node["format"]), language, node["format"]))
    for node in list(doctree.findall(cite_exports_node)):
        count = len(all_citations(app))
        up = "../" * docname.count("/")
        items = nodes.bullet_list()
        for name, what in ((BIB_FILE, "BibTeX"), (CSL_FILE, "CSL-JSON，Zotero、Pandoc 等可直接导入")):
            paragraph = nodes.paragraph()
            paragraph += nodes.reference("", name, refuri=up + name)
            paragraph += nodes.Text(f"：{what}，{count} 条")
            items += nodes.list_item("", paragraph)
        node.replace_self(items)


# -- bookkeeping ------------------------------------------------------------------------------------


def purge_doc(app, env, docname):
    _sections(env).pop(docname, None)
    env.__dict__.setdefault("cite_entry_docs", set()).discard(docname)


def merge_info(app, env, docnames, other):
    theirs = _sections(other)
    _sections(env).update({d: theirs[d] for d in docnames if d in theirs})
    env.__dict__.setdefault("cite_entry_docs", set()).update(other.__dict__.get("cite_entry_docs", set()))


def reread_uncommitted(app, env, added, changed, removed):
    """Read again the pages that had uncommitted edits in the last build or have them now:
    once committed, a page's date comes from git again, although its text did not change."""
    now = {docname for docname in env.found_docs if is_uncommitted(app, docname)}
    before = env.__dict__.get("cite_page_uncommitted", set())
    env.cite_page_uncommitted = now
    return sorted((now | before) & env.found_docs)


def rewrite_entries_when_they_change(app, env):
    """Entries show other pages' titles and dates, filled in when a page is written.
    Rewrite the pages holding them only when one of those inputs changed."""
    docs = sorted(env.found_docs)
    state = (
        tuple(page_changed(app, d) for d in docs),
        tuple(env.titles[d].astext() if d in env.titles else "" for d in docs),
        tuple(sorted(env.domains.standard_domain.anonlabels.items())),
        tuple(sorted((d, str(s)) for d, s in _sections(env).items())),
    )
    if state == env.__dict__.get("cite_entry_state"):
        return []
    env.__dict__["cite_entry_state"] = state
    return sorted(env.__dict__.get("cite_entry_docs", set()))


def setup(app):
    app.setup_extension("page_anchors")
    app.setup_extension("sphinx_last_updated_by_git")
    app.add_config_value("cite_key_prefix", "memo", "env", types=[str])
    app.add_config_value("cite_howto_page", "how-to-cite", "env", types=[str])
    app.add_config_value("cite_description_length", 200, "html", types=[int])
    # Frozen releases (_ext/frozen_release.py): cite <fixed>/page.html#label, mention <living>/page.html#label.
    app.add_config_value("cite_fixed_baseurl", "", "env", types=[str])
    app.add_config_value("cite_living_baseurl", "", "env", types=[str])
    app.add_node(cite_entry_node)
    app.add_node(cite_exports_node)
    app.add_node(cite_panel, html=(visit_cite_panel, depart_cite_panel),
                 latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None), texinfo=(skip_node, None))
    app.add_directive("cite-entry", CiteEntryDirective)
    app.add_directive("cite-exports", CiteExportsDirective)
    app.add_css_file("cite.css")
    app.connect("doctree-read", record_sections)
    app.connect("doctree-resolved", fill_entries)
    app.connect("doctree-resolved", add_section_panels)
    app.connect("doctree-resolved", append_block)
    app.connect("html-page-context", add_metadata, priority=400)  # before sphinxext-opengraph (500)
    app.connect("html-page-context", align_footer_date, priority=600)  # after sphinx-last-updated-by-git
    app.connect("build-finished", write_exports)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", reread_uncommitted)
    app.connect("env-get-updated", rewrite_entries_when_they_change)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
