"""The book builds: what the PDF (LaTeX) and the EPUB need beyond Sphinx's defaults.

LaTeX (``make pdf``), on the whole book, which the LaTeX builder resolves as one tree:

* **Parts.** Each captioned toctree of the landing page (使用本站, Python 基础, …) becomes a
  ``\\part`` before the pages it lists, so the PDF's outline (bookmarks) has the site's
  chapters, then its pages, then their sections, as the sidebar does.
* **Named destinations.** Every explicit label (``(view-vs-reshape-pitfalls)=``) becomes a
  PDF named destination of the same name (``\\hypertarget``), so that
  ``memo.pdf#nameddest=view-vs-reshape-pitfalls`` opens that section, as
  ``…/view-vs-reshape.html#view-vs-reshape-pitfalls`` does on the site. Sphinx's own
  ``\\label``\\ s are not destinations a reader can name.
* **The landing page's text**, which LaTeX would print headless before the first part, is an
  unnumbered chapter under the page's title.

EPUB (``make epub``): workarounds for Sphinx 9's EPUB 3 builder, each asked for by epubcheck.
No upstream report was found for them (Sphinx checks its own EPUB with epubcheck,
sphinx-doc/sphinx#4611, but its docs have no MathML, SVG figures or site-only CSS):

* **MathML.** A content document that holds MathML must say so in the package
  (``properties="mathml"``, EPUB 3.3), or epubcheck fails it (OPF-014); Sphinx never
  declares it, so ``content.opf`` is amended before it is zipped.
* **toc.ncx** names the book by ``epub_uid`` (an XML id) where the package's identifier
  (``epub_identifier``) belongs (NCX-001); it gets the identifier.
* **SVG figures** lose matplotlib's DOCTYPE: EPUB forbids external DTDs (OPF-073, HTM-003).
* **Stylesheets** that ``epub_exclude_files`` keeps out of the package (site-only CSS that
  epubcheck's CSS parser rejects, or that an extension copies for HTML builds only) are not
  linked from the pages either (RSC-007).
* **The search page** is not in the book: links to it go to the hosted one.
* **Language.** Each page's ``<html>`` says ``lang="zh-CN"`` too, as the package does.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.epub3 import Epub3Builder
from sphinx.util import logging, texescape

logger = logging.getLogger(__name__)


# -- LaTeX ------------------------------------------------------------------------------------


def latex_escape_label(label: str) -> str:
    """Labels are lowercase ASCII kebab-case (the lint checks): nothing to escape, but be safe."""
    return re.sub(r"[^a-z0-9\-_.:]", "", label)


def caption_parts(app, doctree: nodes.document) -> None:
    """A \\part, titled with the toctree's caption, before the pages of each captioned
    toctree of the root document (whose toctrees the LaTeX builder has inlined)."""
    root = app.env.get_doctree(app.config.root_doc)
    captions = [toctree.get("caption") for toctree in root.findall(addnodes.toctree)]
    wrappers = [node for node in doctree.findall(nodes.compound)
                if "toctree-wrapper" in node["classes"] and not _inside_a_page(node)]
    if len(wrappers) != len(captions):
        logger.warning("book: the landing page has %d toctrees but the LaTeX tree %d wrappers; "
                       "parts left out", len(captions), len(wrappers), location=app.config.root_doc,
                       type="book", subtype="parts")
        return
    for wrapper, caption in zip(wrappers, captions):
        if caption:
            title = caption.replace("\\", "").replace("{", "").replace("}", "")
            wrapper.insert(0, nodes.raw("", f"\\part{{{title}}}\n", format="latex"))


def _inside_a_page(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.start_of_file):
            return True
        parent = parent.parent
    return False


def named_destinations(app, doctree: nodes.document) -> None:
    """\\hypertarget{<label>}{} at the start of each labelled section (or target)."""
    std = app.env.domains.standard_domain
    by_id: dict[tuple[str, str], list[str]] = {}
    for label, (docname, labelid) in std.anonlabels.items():
        if labelid and docname in app.env.found_docs:
            by_id.setdefault((docname, labelid), []).append(label)
    root = app.config.root_doc
    for section in doctree.findall(nodes.section):
        docname = section.get("docname", root)
        labels = [label for labelid in section["ids"] for label in by_id.get((docname, labelid), [])]
        if labels:
            # right after the heading, raised by a line (\memodest, conf.py's preamble): a reader
            # who opens the destination sees the heading, as hyperref's own section anchors do
            anchors = "".join(f"\\memodest{{{latex_escape_label(label)}}}" for label in sorted(labels))
            section.insert(1, nodes.raw("", anchors + "%\n", format="latex"))


def landing_chapter(app, doctree: nodes.document) -> None:
    """The landing page's text, which LaTeX would print headless before the first part, as an
    unnumbered chapter under the page's title, listed in the contents and the outline."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None or top.get("docname", app.config.root_doc) != app.config.root_doc:
        return
    title = texescape.escape(app.env.titles[app.config.root_doc].astext())
    top.insert(1, nodes.raw("", f"\\chapter*{{{title}}}\\addcontentsline{{toc}}{{chapter}}{{{title}}}"
                                f"\\markboth{{{title}}}{{{title}}}%\n", format="latex"))


def on_latex_tree(app, doctree, docname):
    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    caption_parts(app, doctree)
    named_destinations(app, doctree)
    landing_chapter(app, doctree)  # after the destinations: the page label lands on its heading


# -- EPUB -------------------------------------------------------------------------------------


class MemoEpub3Builder(Epub3Builder):
    """Sphinx's EPUB 3 builder with the fixes above."""

    def prepare_writing(self, docnames) -> None:
        super().prepare_writing(docnames)
        language = html.escape(self.config.epub_language)  # each page says it is Chinese, as the package does
        self.globalcontext["html_tag"] = self.html_tag.replace("<html ", f'<html lang="{language}" xml:lang="{language}" ', 1)
        left_out = set(self.config.epub_exclude_files)
        self._css_files[:] = [css for css in self._css_files if css.filename not in left_out]
        self._orig_css_files = [css for css in self._orig_css_files if css.filename not in left_out]

    def copy_image_files(self) -> None:
        super().copy_image_files()
        for svg in sorted(Path(self.outdir, self.imagedir).glob("*.svg")):
            text = svg.read_text(encoding="utf-8")
            if "<!DOCTYPE" in text:
                svg.write_text(DOCTYPE.sub("", text, count=1), encoding="utf-8")

    def toc_metadata(self, level, navpoints):
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata

    def build_content(self) -> None:
        super().build_content()
        declare_mathml(Path(self.outdir))


DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>\s*")


def search_links_to_the_site(app, doctree, docname):
    """EPUB: a link to the search page (not in the book) opens the hosted one."""
    if app.builder.name != "epub":
        return
    search = "search" + app.builder.out_suffix
    hosted = app.config.html_baseurl.rstrip("/") + "/search.html"
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if uri.split("#")[0].rsplit("/", 1)[-1] == search:
            reference["refuri"] = hosted
            reference["internal"] = False


def declare_mathml(outdir: Path) -> list[str]:
    """Add properties="mathml" to every manifest item whose file holds <math>; returns them."""
    opf = outdir / "content.opf"
    text = opf.read_text(encoding="utf-8")
    declared = []

    def amend(match: re.Match) -> str:
        item, href = match.group(0), match.group(1)
        path = outdir / href
        if "properties=" in item or not href.endswith(".xhtml") or not path.is_file():
            return item
        if "<math" not in path.read_text(encoding="utf-8"):
            return item
        declared.append(href)
        return item.replace(" />", ' properties="mathml" />', 1) if item.endswith(" />") else item.replace("/>", ' properties="mathml"/>', 1)

    text = re.sub(r'<item [^>]*href="([^"]+)"[^>]*/>', amend, text)
    opf.write_text(text, encoding="utf-8")
    return declared


def setup(app):
    app.add_builder(MemoEpub3Builder, override=True)
    app.connect("doctree-resolved", on_latex_tree)
    app.connect("doctree-resolved", search_links_to_the_site)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
