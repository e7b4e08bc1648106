"""Make every page and every labelled section citable.

* **引用本节**: next to the heading of every section with a label (every ``##`` and
  every labelled ``###``) a ``<details class="cite-section no-search">`` panel holds
  the section's entry (key ``<prefix>:<label>``; the section is the title, its page the
  container; URL with the section's anchor) in one row of formats: BibTeX, BibLaTeX,
  GB/T 7714-2015 and APA (rendered by citeproc-py with the official CSL styles), RIS.
  The row is radio buttons and CSS: no JavaScript needed; sphinx-copybutton adds the
  copy buttons. A small inline script writes the reader's day into every access date
  (see ``citation.SENTINEL``); without it the panel says that the date is the build's.
* **引用本页**: every page ends with the page's entries (the landing page, ``root_doc``,
  cites the whole site), in a container with the plain HTML id ``cite-this-page``.
* **Metadata**: Highwire Press ``citation_*`` tags, schema.org JSON-LD, and a plain-text
  ``description`` / ``og:description`` (the page's takeaway, formulas as Unicode).
* **Exports**: ``memo.bib`` (BibTeX @misc), ``memo-biblatex.bib`` (@online),
  ``memo.json`` (CSL-JSON) and ``memo.ris`` in the output: every page and every citable
  section, with the keys and URLs the pages show; their access date is the build date.
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
import html
import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.i18n import format_date

from build_cache import BuildCache, digest
from citation import (  # noqa: F401 (re-exported)
    CSL_STYLES, FORMAT_NAMES, FORMATS, SENTINEL, Citation, Links, bibtex_escape, json_ld_script, locate_accessed,
    meta_tags, plain_text,
)
from page_anchors import page_label
from site_builder import is_site

logger = logging.getLogger(__name__)

BLOCK_ID = "cite-this-page"
PANEL_CLASSES = ["cite-section", "no-search"]
CITABLE_CLASS = "cite-able"  # on the <section> of a heading with a panel (cite.css)
SITE = "site"
BIB_FILE = "memo.bib"
BIBLATEX_FILE = "memo-biblatex.bib"
CSL_FILE = "memo.json"
RIS_FILE = "memo.ris"
EXPORTS = (  # file, what it is, the format that writes one entry
    (BIB_FILE, "BibTeX（@misc，适用于 plain、unsrt、plainnat、IEEEtran 等样式）", "bibtex"),
    (BIBLATEX_FILE, "BibLaTeX（@online，配合 biber）", "biblatex"),
    (CSL_FILE, "CSL-JSON，Zotero、Pandoc 等可直接导入", "csl"),
    (RIS_FILE, "RIS，EndNote、NoteExpress、Zotero 可直接导入", "ris"),
)
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


def _under(base: str, uri: str) -> str:
    return base.rstrip("/") + "/" + uri


def _absolute(app, uri: str) -> str:
    base = app.config.html_baseurl
    return _under(base, uri) if base else uri


def entry_links(app, uri: str) -> Links:
    """The one place that decides which URL an entry cites (`cite`) and which is the page
    as it is now (`living`), for every format. `uri` is relative to the site's root.

    With frozen releases (conf.py: `cite_fixed_baseurl`, `cite_living_baseurl`) an entry
    cites this release's copy, <html_baseurl>v/<VERSION>/, whose text never changes, and
    names the living page second, both on the canonical host whichever host built the page."""
    fixed, living = app.config.cite_fixed_baseurl, app.config.cite_living_baseurl
    cite = _under(fixed, uri) if fixed else _absolute(app, uri)
    return Links(cite=cite, living=_under(living, uri) if living else cite)


def url_lines(citation: Citation) -> list[nodes.paragraph]:
    """Above the formats: the fixed URL first, then the living one (when they differ)."""
    links = citation.links
    if links.living == links.cite:
        return []
    lines = []
    for label, url in (("固定地址（本版本，内容不再改变）：", links.cite), ("在线版地址（随新版本更新）：", links.living)):
        line = nodes.paragraph("", "", classes=["cite-format", "cite-url"])
        line += nodes.Text(label)
        line += nodes.reference(url, url, refuri=url)
        lines.append(line)
    return lines


def page_uri(app, docname: str) -> str:
    if is_site(app):
        return app.builder.get_target_uri(docname)
    return docname + ".html"  # the book (EPUB .xhtml, PDF, singlehtml) cites the hosted page


def _common(app) -> dict:
    return {"author": app.config.author, "version": app.config.release, "site": app.config.project,
            "accessed": build_date(), "language": (app.config.language or "en").replace("_", "-")}


def page_title(app, docname: str) -> str:
    return plain_text(app.env.titles[docname]).strip()


def site_citation(app) -> Citation:
    date, _ = site_changed(app)
    return Citation(key=app.config.cite_key_prefix, title=app.config.project, container="",
                    links=entry_links(app, ""), date=date, **_common(app))


def page_citation(app, docname: str) -> Citation:
    if docname == app.config.root_doc:
        return site_citation(app)
    label = page_label(app.env, docname)
    uri = page_uri(app, docname) + (f"#{label}" if label else "")
    date, _ = page_changed(app, docname)
    return Citation(key=f"{app.config.cite_key_prefix}:{label or docname.replace('/', '-')}",
                    title=page_title(app, docname), container=app.config.project,
                    links=entry_links(app, uri), date=date, **_common(app))


def section_citation(app, docname: str, label: str, labelid: str, title: str) -> Citation:
    """The section is the entry's title; its page is the container."""
    date, _ = page_changed(app, docname)
    return Citation(key=f"{app.config.cite_key_prefix}:{label}", title=title, container=page_title(app, docname),
                    links=entry_links(app, f"{page_uri(app, docname)}#{labelid}"), date=date, **_common(app))


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


# -- rendered entries ----------------------------------------------------------------------------


def _render_cache(app) -> BuildCache:
    """citeproc-py takes a tenth of a second per entry and style: its results are kept
    between builds, keyed by the CSL item (access date left out: see citation.SENTINEL)."""
    cache = app.__dict__.get("_cite_page_render_cache")
    if cache is None:
        cache = app._cite_page_render_cache = BuildCache(app, "cite_page", __file__, keep_unused=True)
    return cache


def panel_text(app, citation: Citation, form: str) -> tuple[str, str, list[tuple[int, int]]]:
    """(text, date form, access-date spans) of one entry in one format."""
    if form not in CSL_STYLES:
        return citation.panel_text(form)
    sentinel = replace(citation, accessed=SENTINEL.isoformat())
    item = json.dumps(sentinel.csl(), ensure_ascii=False, sort_keys=True)
    text = _render_cache(app).result(f"{form}:{citation.key}", digest(item), lambda: sentinel.render(form))
    return locate_accessed(text, dt.date.fromisoformat(citation.accessed))


def save_render_cache(app, exception):
    cache = app.__dict__.get("_cite_page_render_cache")
    if exception is None and cache is not None:
        cache.save()


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


class cite_forms(nodes.General, nodes.Element):
    """One row of format choices (radio buttons: CSS shows the chosen format, no script
    needed) and one block per format, each with the entry of the anchor and then those of
    older anchors of the same section. Filled in by fill_forms; HTML builders only."""


def _pre(text: str, date_form: str, spans: list[tuple[int, int]]) -> str:
    """A code block as Sphinx writes one (so sphinx-copybutton adds its button); the access
    date's places, in the UTF-16 offsets that JavaScript counts, for cite.js."""
    def utf16(offset: int) -> int:
        return len(text[:offset].encode("utf-16-le")) // 2

    where = ",".join(f"{utf16(at)}:{utf16(at + length) - utf16(at)}" for at, length in spans)
    data = f' data-accessed-form="{date_form}" data-accessed-at="{where}"' if spans else ""
    return ('<div class="highlight-none notranslate"><div class="highlight">'
            f'<pre{data}><span></span>{html.escape(text, quote=False)}</pre></div></div>\n')


def visit_cite_forms(self, node):
    name = self.attval(node["group"])
    self.body.append(self.starttag(node, "div", "", CLASS="cite-forms"))
    self.body.append('<div class="cite-choices" role="radiogroup" aria-label="引用格式">')
    for index, form in enumerate(node["forms"]):
        checked = ' checked="checked"' if index == 0 else ""  # XHTML (EPUB) needs the value
        self.body.append(f'<label><input type="radio" name="{name}" value="{form}"{checked} />'
                         f'{FORMAT_NAMES[form]}</label>')
    self.body.append("</div>\n")
    for form, entries in node["rendered"]:
        self.body.append(f'<div class="cite-entry cite-{form}">\n')
        for index, (anchor, (text, date_form, spans)) in enumerate(entries):
            if index:
                self.body.append(f'<p class="cite-format cite-alias">旧锚点 #{self.encode(anchor)} 的条目（同一节）：</p>\n')
            self.body.append(_pre(text, date_form, spans))
        self.body.append("</div>\n")
    date = self.encode(node["accessed"])
    self.body.append(f'<p class="cite-accessed">引用日期（访问日期）填的是本站的构建日期 {date}，'
                     "请改为你访问本页的日期。</p>\n")
    self.body.append("</div>\n")  # closes .cite-forms: SkipNode skips depart_cite_forms (XHTML needs it)
    raise nodes.SkipNode


def depart_cite_forms(self, node):
    pass


def forms_node(app, citations: list[Citation], group: str) -> cite_forms:
    rendered = [(form, [(c.url.rsplit("#", 1)[-1], panel_text(app, c, form)) for c in citations]) for form in FORMATS]
    return cite_forms(group=group, forms=list(FORMATS), rendered=rendered, accessed=citations[0].accessed)


def section_panel(app, citations: list[Citation], section: str, labelid: str) -> cite_panel:
    """One panel per section: the entry of its anchor, then those of older anchors that
    still lead to it (a renamed label stays citable)."""
    panel = cite_panel(section=section, classes=list(PANEL_CLASSES))
    panel += url_lines(citations[0])
    panel += forms_node(app, citations, f"cite-{labelid}")
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
            section.insert(1, section_panel(app, citations, found[0][2], found[0][1]))
            section["classes"].append(CITABLE_CLASS)


# Writes the reader's day into every access date of the page (the spans that _pre marks),
# in the form each format prints dates in, and says so under each row of formats.
ACCESS_DATE_SCRIPT = """<script>
(() => {
  const now = new Date(), y = now.getFullYear(), m = now.getMonth() + 1, d = now.getDate();
  const pad = (n) => String(n).padStart(2, "0");
  const months = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"];
  const forms = {iso: `${y}-${pad(m)}-${pad(d)}`, ris: `${y}/${pad(m)}/${pad(d)}`,
                 en: `${months[m - 1]} ${d}, ${y}`, zh: `${y}年${m}月${d}日`};
  for (const pre of document.querySelectorAll("pre[data-accessed-at]")) {
    const date = forms[pre.dataset.accessedForm];
    if (!date) continue;
    let text = pre.textContent, shift = 0;
    for (const span of pre.dataset.accessedAt.split(",")) {
      const [at, length] = span.split(":").map(Number);
      text = text.slice(0, at + shift) + date + text.slice(at + shift + length);
      shift += date.length - length;
    }
    pre.textContent = text;
  }
  for (const note of document.querySelectorAll(".cite-accessed")) {
    note.textContent = `引用日期已填为今天（${forms.iso}），即你复制条目的这一天。`;
  }
})();
</script>
"""


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
    block += forms_node(app, [citation], "cite-page")
    if is_site(app):  # a book is not scripted (EPUB's OPF-014): its note names the build date instead
        block += nodes.raw("", ACCESS_DATE_SCRIPT, format="html")
    return block


def append_block(app, doctree, docname):
    if app.builder.format != "html" or docname not in app.env.titles:
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    (top if top is not None else doctree).append(cite_block(app, docname))


# -- the PDF: one small printed line instead of the interactive panel -----------------------------

PRINT_CLASS = "cite-print"  # conf.py's LaTeX preamble sets it small (environment sphinxclasscite-print)


def print_line(citation: Citation, what: str) -> nodes.container:
    """「引用本节：memo:<label>  <URL>」 on one line: what a printed page can offer instead of the panel."""
    line = nodes.paragraph()
    line += nodes.Text(f"{what}：")
    line += nodes.literal(citation.key, citation.key)
    line += nodes.Text(" ")
    line += nodes.reference(citation.url, citation.url, refuri=citation.url)
    return nodes.container("", line, classes=[PRINT_CLASS])


def add_print_citations(app, doctree, docname):
    """LaTeX: each page's and each labelled section's key and fixed URL under its heading.
    The LaTeX builder resolves the whole book as one tree; each section names its page."""
    if app.builder.format != "latex":
        return
    tops = set()
    for section in list(doctree.findall(nodes.section)):
        doc = section.get("docname", docname)
        if doc not in app.env.titles:
            continue
        if doc not in tops:  # the first section of a page is its title
            tops.add(doc)
            section.insert(1, print_line(page_citation(app, doc), "引用本页" if doc != app.config.root_doc else "引用本站"))
            continue
        for label, labelid, title in section_labels(app.env, doc):
            if labelid in section["ids"]:
                section.insert(1, print_line(section_citation(app, doc, label, labelid, title), "引用本节"))
                break


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


def export_text(citations: list[Citation], form: str, project: str, release: str) -> str:
    if form == "csl":
        return json.dumps([c.csl() for c in citations], ensure_ascii=False, indent=1) + "\n"
    entries = "\n\n".join(getattr(c, form)() for c in citations) + "\n"
    if form == "ris":
        return entries
    return (f"% {project} {release}: every page and every citable section.\n"
            f"% Written by the build (_ext/cite_page.py); the same entries as on the pages.\n\n") + entries


def write_exports(app, exception):
    if exception is not None or not is_site(app):
        return
    citations = all_citations(app)
    for name, _what, form in EXPORTS:
        Path(app.outdir, name).write_text(export_text(citations, form, app.config.project, app.config.release),
                                          encoding="utf-8")


# -- directives: {cite-entry} and {cite-exports} -------------------------------------------------


class cite_entry_node(nodes.General, nodes.Element):
    pass


class cite_exports_node(nodes.General, nodes.Element):
    pass


def _track(env):
    env.__dict__.setdefault("cite_entry_docs", set()).add(env.docname)


class CiteEntryDirective(SphinxDirective):
    required_arguments = 1
    option_spec = {"format": lambda arg: directives.choice(arg, FORMATS + ("gbt7714-author-date",))}

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
        form = node["format"]
        if app.builder.format == "html":
            text, date_form, spans = panel_text(app, citation, form)
            html_text = f'<div class="cite-entry cite-{form}">\n{_pre(text, date_form, spans)}</div>\n'
            node.replace_self(nodes.raw("", html_text, format="html"))
        else:
            block = nodes.literal_block(citation.render(form), citation.render(form), language="none")
            block["classes"].append(f"cite-{form}")
            node.replace_self(block)
    for node in list(doctree.findall(cite_exports_node)):
        count = len(all_citations(app))
        up = "../" * docname.count("/") if is_site(app) else _absolute(app, "")  # the book links the hosted files
        items = nodes.bullet_list()
        for name, what, _form in EXPORTS:
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
        build_date(),  # the access date the entries show
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
    # Frozen releases (_ext/frozen_release.py): cite <fixed>page.html#label, name <living>page.html#label second.
    app.add_config_value("cite_fixed_baseurl", "", "env", types=[str])
    app.add_config_value("cite_living_baseurl", "", "env", types=[str])
    app.add_node(cite_entry_node)
    app.add_node(cite_exports_node)
    app.add_node(cite_panel, html=(visit_cite_panel, depart_cite_panel),
                 latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None), texinfo=(skip_node, None))
    app.add_node(cite_forms, html=(visit_cite_forms, depart_cite_forms),
                 latex=(skip_node, None), text=(skip_node, None), man=(skip_node, None), texinfo=(skip_node, None))
    app.add_directive("cite-entry", CiteEntryDirective)
    app.add_directive("cite-exports", CiteExportsDirective)
    app.add_css_file("cite.css")
    app.connect("doctree-read", record_sections)
    app.connect("doctree-resolved", fill_entries)
    app.connect("doctree-resolved", add_section_panels)
    app.connect("doctree-resolved", append_block)
    app.connect("doctree-resolved", add_print_citations)
    app.connect("html-page-context", add_metadata, priority=400)  # before sphinxext-opengraph (500)
    app.connect("html-page-context", align_footer_date, priority=600)  # after sphinx-last-updated-by-git
    app.connect("build-finished", write_exports)
    app.connect("build-finished", save_render_cache)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("env-get-outdated", reread_uncommitted)
    app.connect("env-get-updated", rewrite_entries_when_they_change)
    return {"version": "3.0", "parallel_read_safe": True, "parallel_write_safe": True}
