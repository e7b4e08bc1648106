"""Lock the citable anchors: every page label and every section label.

Readers cite sections by URL (``tensors/view-vs-reshape.html#view-vs-reshape-pitfalls``),
so a published anchor must never disappear. After every HTML build this extension

* writes ``anchors.json`` into the output: each explicit label defined in the
  sources, with its page, URL and title, in the lock's own format;
* compares the committed lock (``anchor_lock_file``, relative to the source
  folder; a source tree without it is not checked) with the labels of this
  build. A locked label that is gone, or that now sits on another page while
  its old page has no redirect to the new one in ``redirects``
  (sphinx-reredirects), is a warning -- so the strict build of ``make test``
  fails -- naming the anchor, the page it was locked on and the pages that
  link to it. New labels are free.

``make lock-anchors`` builds with ``anchor_lock_update = 1``, which rewrites the lock
from this build (``relock``): new labels are added, and a label whose page moved under
a declared redirect keeps the URL it was published at, so the redirect stays required.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sphinx import addnodes
from sphinx.util import logging

from page_anchors import is_page_anchor
from site_builder import is_site

logger = logging.getLogger(__name__)

OUTPUT_NAME = "anchors.json"
ABOUT = (
    "Every citable anchor of the site: page and section labels with their page URL and title. "
    "Checked on every HTML build by _ext/anchor_lock.py; rewrite it with `make lock-anchors`, never by hand."
)


# -- what this build defines ----------------------------------------------------


def _state(env) -> dict:
    """Per-document facts recorded while reading: the labels that the page links to
    (with line numbers). Which ids belong to a page's title is page_anchors' job."""
    if not hasattr(env, "anchor_lock"):
        env.anchor_lock = {"refs": {}}
    return env.anchor_lock


def record_doc(app, doctree):
    docname = app.env.docname
    state = _state(app.env)
    refs = []
    for xref in doctree.findall(addnodes.pending_xref):
        target = xref.get("reftarget")
        if target:
            refs.append((target.lower(), xref.line or 0))
    state["refs"][docname] = refs


def purge_doc(app, env, docname):
    _state(env)["refs"].pop(docname, None)


def merge_info(app, env, docnames, other):
    state, theirs = _state(env), _state(other)
    for docname in docnames:
        if docname in theirs["refs"]:
            state["refs"][docname] = theirs["refs"][docname]


def current_anchors(app) -> dict[str, dict]:
    """label -> {"page", "url", "title"} for every explicit label in the sources.

    Sphinx's own labels (genindex, modindex, search) are not documents and are left out.
    A page label (the one on the page's title) gets the bare page URL.
    """
    env = app.env
    std = env.domains.standard_domain
    anchors = {}
    for label, (docname, labelid) in std.anonlabels.items():
        if docname not in env.found_docs or not labelid:
            continue
        page_url = app.builder.get_target_uri(docname)
        is_page = is_page_anchor(env, docname, labelid)
        title = std.labels.get(label, ("", "", ""))[2]
        if is_page and docname in env.titles:
            title = env.titles[docname].astext()
        anchors[label] = {
            "page": docname,
            "url": page_url if is_page else f"{page_url}#{labelid}",
            "title": title,
        }
    return dict(sorted(anchors.items()))


def dump(anchors: dict[str, dict]) -> str:
    return json.dumps({"about": ABOUT, "anchors": anchors}, ensure_ascii=False, indent=2) + "\n"


def load(path: str | Path) -> dict[str, dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["anchors"]


# -- the comparison ---------------------------------------------------------------


def redirect_target(redirects: dict[str, str], old: str) -> str | None:
    """Where `redirects` sends the old docname: a docname, a full URL, or None.

    Only an exact key counts. sphinx-reredirects expands a wildcard key (and its
    ``$source`` placeholder) over the documents that still exist, so it never
    writes a redirect for a page that has moved away.
    """
    target = redirects.get(old)
    if target is None:
        return None
    if urlsplit(target).scheme:
        return target
    path = urlsplit(target).path
    if path.endswith("/"):
        path += "index.html"
    if path.startswith("/"):
        path = path.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(old), path))
    return path.removesuffix(".html")


@dataclass(frozen=True)
class Break:
    label: str
    locked: dict  # the lock's entry
    now: dict | None  # this build's entry, None if the label is gone
    message: str


def compare(locked: dict[str, dict], current: dict[str, dict], redirects: dict[str, str]) -> list[Break]:
    """Locked anchors that a reader's link would no longer reach."""
    breaks = []
    for label, entry in locked.items():
        now = current.get(label)
        where = f"{entry['url']} ({entry['title']})" if entry.get("title") else entry["url"]
        if now is None:
            breaks.append(Break(label, entry, None, f"locked anchor '{label}' on {where} no longer exists"))
            continue
        if now["page"] == entry["page"]:
            continue
        target = redirect_target(redirects, entry["page"])
        if target is None:
            why = f"without a redirect from '{entry['page']}' in conf.py `redirects`"
        elif target == now["page"] or urlsplit(target).scheme:
            continue
        else:
            why = f"but conf.py `redirects` sends '{entry['page']}' to '{target}'"
        breaks.append(Break(label, entry, now, f"locked anchor '{label}' on {where} moved to {now['url']} {why}"))
    return breaks


def relock(locked: dict[str, dict], current: dict[str, dict], redirects: dict[str, str]) -> dict[str, dict]:
    """The next lock: this build's anchors, except that a label whose page moved under a
    declared redirect keeps its locked page and URL (readers cite that one). A label gone,
    or moved without a redirect, takes this build's state: rewriting the lock is how a
    break is accepted."""
    broken = {b.label for b in compare(locked, current, redirects)}
    return {label: {**locked[label], "title": entry["title"]}
            if label in locked and locked[label]["page"] != entry["page"] and label not in broken else entry
            for label, entry in current.items()}


def referrers(env, label: str) -> list[str]:
    """`path:line` of every link to `label` in the sources."""
    found = []
    for docname, refs in sorted(_state(env)["refs"].items()):
        for target, line in refs:
            if target == label:
                path = Path(env.doc2path(docname)).relative_to(Path(env.srcdir).parent)
                found.append(f"{path.as_posix()}:{line}" if line else path.as_posix())
    return found


GONE_FIX = (
    "Readers cite this URL: keep the old label next to the new one (a second `({label})=` line above "
    "the heading); only if breaking the citation is really intended, run `make lock-anchors`."
)
MOVED_FIX = (
    "Readers cite the old URL: if the page moved, declare it in conf.py `redirects` "
    "(old docname -> new URL); otherwise move the label back. Only if breaking the citation is really "
    "intended, run `make lock-anchors`."
)


# -- build hook -----------------------------------------------------------------------


def check_and_write(app, exception):
    if exception is not None or not is_site(app):
        return
    current = current_anchors(app)
    Path(app.outdir, OUTPUT_NAME).write_text(dump(current), encoding="utf-8")
    if not app.config.anchor_lock_file:
        return
    lock_file = Path(app.srcdir, app.config.anchor_lock_file).resolve()
    if not lock_file.is_file():
        if app.config.anchor_lock_update:
            lock_file.write_text(dump(current), encoding="utf-8")
            logger.info("anchor lock: created %s with %d anchors", lock_file, len(current))
            return
        # Another source tree (a test project, a single page) has no lock of its own.
        logger.info("anchor lock: %s does not exist, nothing to check (`make lock-anchors` creates it)", lock_file)
        return
    locked = load(lock_file)
    redirects = getattr(app.config, "redirects", None) or {}
    env = app.env
    for broken in compare(locked, current, redirects):
        used = referrers(env, broken.label)
        pages = ", ".join(used) if used else "none in the sources (but readers' citations still do)"
        fix = (GONE_FIX if broken.now is None else MOVED_FIX).format(label=broken.label)
        message = f"{broken.message}; pages that link to it: {pages}. {fix}"
        if broken.now is not None:
            location = broken.now["page"]
        elif broken.locked["page"] in env.found_docs:
            location = broken.locked["page"]
        else:  # the page itself is gone
            location, message = None, f"{lock_file}: {message}"
        logger.warning(message, location=location, type="anchor_lock", subtype="broken")
    if app.config.anchor_lock_update:
        lock_file.write_text(dump(relock(locked, current, redirects)), encoding="utf-8")
        logger.info("anchor lock: rewrote %s with %d anchors", lock_file, len(current))
        return
    new = sorted(set(current) - set(locked))
    if new:
        logger.info("anchor lock: %d new anchor(s) not locked yet (run `make lock-anchors`): %s",
                    len(new), ", ".join(new[:10]) + (" ..." if len(new) > 10 else ""))


def setup(app):
    app.setup_extension("page_anchors")
    app.add_config_value("anchor_lock_file", "", "env", types=[str])
    app.connect("doctree-read", record_doc)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    app.connect("build-finished", check_and_write)
    app.add_config_value("anchor_lock_update", 0, "", types=[int])  # `make lock-anchors` sets it
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
