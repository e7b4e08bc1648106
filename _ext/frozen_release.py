"""Frozen releases: what every HTML build leaves for `make site` (tools/make_site.py).

* ``sections.json`` in the output: a digest of the text of every page and of every
  section (by the page's URL and the section's ids), taken when the page is read, before
  the citation panels are added. `make site` compares them between an archived version
  and the latest one, so a frozen page can say whether the section a reader opened has
  changed since.
* A version menu at the top of every page, a ``<details>`` that needs no script and no
  network: the build lists its own version; `make site` writes in every archived one
  (and the list of all versions, v/index.html, which only the assembled site has).
* In a snapshot build (``memo_snapshot``, which `make snapshot` sets), a banner on every
  page, 「这是 <version> 版的冻结副本，内容不再改变」, that `make site` completes (link to
  the latest version, changed or not), and a canonical link to the living page.

`make site` finds what to replace between the ``<!--memo-versions-->`` and
``<!--memo-frozen-->`` markers. Other builders get none of it.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from docutils import nodes

from site_builder import is_site

SECTIONS_FILE = "sections.json"
MENU = ("<!--memo-versions-->", "<!--/memo-versions-->")
BANNER = ("<!--memo-frozen-->", "<!--/memo-frozen-->")
NO_MENU = {"404"}  # its links must be absolute (notfound); the menu's are relative
NO_MENU_FILES = {f"{name}.html" for name in NO_MENU}
STYLE_FILE = Path(__file__).with_suffix(".css")
SVG_METADATA = re.compile(rb"<metadata>.*?</metadata>", re.S)  # the date matplotlib writes


def frozen_notice(version: str) -> str:
    return f"这是 {version} 版的冻结副本，内容不再改变。"


def _style() -> str:
    """_ext/frozen_release.css, inlined: a stylesheet of its own was one request too many
    for make bench's limit (tests/browser/test_page_weight_limits.py)."""
    css = STYLE_FILE.read_text(encoding="utf-8") if STYLE_FILE.is_file() else ""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return " ".join(css.split())


def menu_html(version: str, items: str) -> str:
    """The version menu (and the banner's style); `items` is its list (<li>…</li>)."""
    return (f'{MENU[0]}<style>{_style()}</style><details class="memo-versions no-search"><summary>版本 {html.escape(version)}</summary>'
            f'<ul class="memo-versions-list">{items}</ul></details>{MENU[1]}')


def banner_html(inner: str, latest: str = "") -> str:
    data = f' data-latest="{html.escape(latest)}"' if latest else ""
    return f'{BANNER[0]}<div class="memo-frozen no-search" role="note"{data}>{inner}</div>{BANNER[1]}'


# -- digests -------------------------------------------------------------------------------------


def _digest(parts: list[bytes]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little") + part)
    return hasher.hexdigest()


def _image_bytes(env, docname: str, uri: str) -> bytes:
    """An image's content; an SVG without its <metadata> (matplotlib's date of drawing)."""
    if "://" in uri:
        return uri.encode()
    try:
        data = Path(env.relfn2path(uri, docname)[1]).read_bytes()
    except OSError:
        return uri.encode()
    return SVG_METADATA.sub(b"", data) if uri.endswith(".svg") else data


def text_digest(env, docname: str, node: nodes.Element) -> str:
    """The node's text (headings, prose, code and outputs) and the content of its images."""
    parts = [node.astext().encode()]
    parts += [_image_bytes(env, docname, image["uri"]) for image in node.findall(nodes.image)]
    return _digest(parts)


def _digests(env) -> dict:
    if not hasattr(env, "frozen_release_digests"):
        env.frozen_release_digests = {}
    return env.frozen_release_digests


def record_digests(app, doctree):
    env = app.env
    sections = {}
    for section in doctree.findall(nodes.section):
        digest = text_digest(env, env.docname, section)
        for section_id in section["ids"]:
            sections[section_id] = digest
    for term in doctree.findall(nodes.term):  # a glossary term is cited like a section: with its definition
        digest = text_digest(env, env.docname, term.parent)
        for term_id in term["ids"]:
            sections.setdefault(term_id, digest)
    _digests(env)[env.docname] = {"page": text_digest(env, env.docname, doctree), "sections": sections}


def purge(app, env, docname):
    _digests(env).pop(docname, None)


def merge(app, env, docnames, other):
    theirs = _digests(other)
    _digests(env).update({docname: theirs[docname] for docname in docnames if docname in theirs})


def write_digests(app, exception):
    if exception is not None or not is_site(app):
        return
    found = _digests(app.env)
    pages = {app.builder.get_target_uri(docname): found[docname]
             for docname in sorted(app.env.found_docs) if docname in found}
    data = {"version": app.config.release, "pages": dict(sorted(pages.items()))}
    # Pages sorted; each page's sections in page order (make site lists them in that order).
    Path(app.outdir, SECTIONS_FILE).write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")


# -- what the pages show ----------------------------------------------------------------------------


def site_url(config) -> str:
    return config.memo_site_url or config.html_baseurl


def add_menu_and_banner(app, pagename, templatename, context, doctree):
    if not is_site(app) or "body" not in context or pagename in NO_MENU:
        return
    version = app.config.release
    top = menu_html(version, f'<li><span aria-current="page">{html.escape(version)}</span>（本版）</li>')
    if app.config.memo_snapshot:
        top += banner_html(html.escape(frozen_notice(version)))
        if site_url(app.config):  # the living page is the canonical one
            context["pageurl"] = site_url(app.config) + app.builder.get_target_uri(pagename)
    context["body"] = top + context["body"]


def setup(app):
    app.add_config_value("memo_site_url", "", "html", types=[str])
    app.add_config_value("memo_snapshot", False, "html", types=[bool])
    app.connect("doctree-read", record_digests)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("html-page-context", add_menu_and_banner)
    app.connect("build-finished", write_digests)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
