"""The link check: every href and src of a built page resolves. Internal files and #anchors
exist; API links point into the pinned Python, NumPy and PyTorch docs, at an anchor that
the vendored inventory lists; nothing is loaded from another host.

Plain HTML parsing, no browser and no network: external links are never fetched.
"""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from make_inventories import read_inventory
from site_build import ROOT, SITE_DIR

SITE_URL = "https://memo-docs.github.io/memo/"  # conf.py html_baseurl: canonical links point here
RELEASE = (Path(__file__).resolve().parents[1] / "VERSION").read_text(encoding="utf-8").strip()
PINNED = {  # conf.py intersphinx_mapping; API links must use exactly these versions
    "docs.python.org": ("https://docs.python.org/3.11/", "python.inv"),
    "numpy.org": ("https://numpy.org/doc/2.4/", "numpy.inv"),
    "docs.pytorch.org": ("https://docs.pytorch.org/docs/2.13/", "torch.inv"),
}
# Any link into these docs, API or prose, must name the pinned version.
UNVERSIONED = {"https://docs.python.org/": "python", "https://numpy.org/doc/": "numpy", "https://docs.pytorch.org/docs/": "torch"}
# Other external links (prose: Hugging Face, man pages, ...) are never fetched; they must be https.


@functools.cache
def inventory_urls() -> frozenset[str]:
    return frozenset(
        prefix + uri
        for prefix, filename in PINNED.values()
        for _name, _role, uri in read_inventory(ROOT / "inventories" / filename)
    )


class Page(HTMLParser):
    """The ids of one page and every reference it makes, with the line it is on."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[dict] = []
        self._open_links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        classes = (attrs.get("class") or "").split()
        if tag == "a" and attrs.get("href") is not None:
            title = attrs.get("title") or ""
            ref = {
                "attr": "href", "url": attrs["href"], "line": self.getpos()[0], "text": "",
                # intersphinx titles are "(in PyTorch v2.13.0)", localized as "(位于 …)"
                "api": "sphinx-codeautolink-a" in classes or (title.startswith("(") and title.endswith(")")),
            }
            self.refs.append(ref)
            self._open_links.append(ref)
        elif tag == "link" and attrs.get("href"):
            self.refs.append({"attr": "link href", "url": attrs["href"], "line": self.getpos()[0], "text": attrs.get("rel", ""), "api": False})
        elif tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            self.refs.append({"attr": f"{tag} src", "url": attrs["src"], "line": self.getpos()[0], "text": "", "api": False})
        if tag == "code" and "xref" in classes and self._open_links:
            self._open_links[-1]["api"] = True

    def handle_endtag(self, tag):
        if tag == "a" and self._open_links:
            self._open_links.pop()

    def handle_data(self, data):
        for ref in self._open_links:
            ref["text"] = (ref["text"] + data)[:60]


@functools.cache
def parse(path: str, site_dir: Path = SITE_DIR) -> Page:
    page = Page()
    page.feed((site_dir / path).read_text(encoding="utf-8"))
    return page


def check_external(url: str, api: bool) -> str | None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    for area in UNVERSIONED:
        if url.startswith(area) and not url.startswith(PINNED[host][0]):
            return f"not the pinned version: expected a URL under {PINNED[host][0]}"
    if api:
        if host not in PINNED:
            return f"API link outside the pinned Python/NumPy/PyTorch docs ({host})"
        if not parts.fragment:
            return "API link without an #anchor"
        if url not in inventory_urls():
            return "API link to an anchor that the vendored inventory does not list"
        return None
    if parts.scheme != "https":
        return "not https"
    return None


def in_this_build(rel: str) -> str:
    """A path under the site's root, with this release's frozen copy (v/<VERSION>/, what citations
    name) mapped onto this very build, which `make site` puts there (tests/test_frozen_release.py,
    tests/release_e2e.py). Another version's copy stays as it is: this build does not have it."""
    return rel.removeprefix(f"v/{RELEASE}/")


def check_internal(page: str, url: str, site_dir: Path) -> str | None:
    """`url` relative to `page` (or absolute under the site's /memo/ path) must name a file, and its #anchor an id."""
    here = SITE_URL + page
    target = urljoin(here, url)
    if not target.startswith(SITE_URL):
        return "points outside the site"
    parts = urlsplit(target)
    rel = unquote(parts.path[len(urlsplit(SITE_URL).path):])
    rel = in_this_build(rel)
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    file = site_dir / rel
    if not file.is_file():
        return f"no such file in the built site: {rel}"
    if parts.fragment and rel.endswith(".html") and unquote(parts.fragment) not in parse(rel, site_dir).ids:
        return f"no id {unquote(parts.fragment)!r} in {rel}"
    return None


def link_problems(page: str, site_dir: Path = SITE_DIR) -> list[str]:
    """One line per broken reference of `page`: 'page:line: href=...: reason'."""
    problems = []
    for ref in parse(page, site_dir).refs:
        url = ref["url"].strip()
        scheme = urlsplit(url).scheme
        if scheme in ("mailto", "data", "javascript"):
            continue
        if url.startswith(SITE_URL) or not (scheme in ("http", "https") or url.startswith("//")):
            reason = check_internal(page, url, site_dir)
        elif ref["attr"] == "href":
            reason = check_external(url, ref["api"])
        else:
            reason = f"loads a resource from another host ({urlsplit(url).hostname}); the site must work offline"
        if reason:
            text = f" ({ref['text'].strip()!r})" if ref["text"].strip() else ""
            problems.append(f"{page}:{ref['line']}: {ref['attr']}={url!r}{text}: {reason}")
    return problems
