"""List a built site's pages, serve it on 127.0.0.1, and launch Debian's Chromium with Playwright.

The one owner of these jobs for the tests and the benchmark, so both see the site the same
way. Nothing here downloads a browser or reaches another host.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium stalls on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",  # a GitHub job container's /dev/shm holds 64 MB: shared memory goes to /tmp
]
# Every request to another host goes to this proxy, where nothing listens, so it fails
# at once without leaving the machine (no DNS either); only 127.0.0.1 bypasses it.
# The tests still see each such request and report it. (Playwright's context.route could
# abort them too, but it turns off the HTTP cache and makes every page load slower.)
DEAD_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}


# The site is published under https://memo-docs.github.io/memo/ (conf.py: html_baseurl,
# notfound_urls_prefix). Serving it under the same path lets the 404 page's absolute
# /memo/_static/... URLs resolve, as they do in production.
URL_PREFIX = "/memo/"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        if not path.startswith(URL_PREFIX):
            return os.path.join(self.directory, "_outside_the_site_")  # 404: everything lives under /memo/
        return super().translate_path("/" + path[len(URL_PREFIX):])

    def send_error(self, code, message=None, explain=None):
        """A missing page gets the site's own 404.html, as on GitHub Pages and Read the Docs."""
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # pages share the theme's assets within a context
        super().end_headers()

    def log_message(self, *args):  # keep test and benchmark output clean
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` at http://127.0.0.1:<free port>/memo/ from a thread; yields that URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {directory}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{URL_PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_missing() -> bool:
    return not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK))


def launch(playwright, **kwargs):
    """Launch headless Chromium from Debian's package; other hosts are unreachable (DEAD_PROXY)."""
    kwargs.setdefault("proxy", DEAD_PROXY)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, **kwargs)


# Folders of a built site that hold files, not pages (the theme's Jinja macros are .html too).
NOT_PAGES = ("_static/", "_images/", "_sources/", "_downloads/", "plot_directive/")
# Pages Sphinx writes around the content.
GENERATED_PAGES = {"genindex.html", "search.html", "404.html"}


def html_files(site: Path) -> list[str]:
    """Every HTML page a browser can open on a built site, generated pages and redirect stubs
    included, as paths relative to its root ('tensors/view-vs-reshape.html')."""
    return sorted(
        relative for relative in (path.relative_to(site).as_posix() for path in site.rglob("*.html"))
        if not relative.startswith(NOT_PAGES)
    )


def is_redirect(site: Path, relative: str) -> bool:
    """A stub that sphinx-reredirects leaves where a page used to be."""
    return 'http-equiv="refresh"' in (site / relative).read_text(encoding="utf-8", errors="replace")[:2000]


def site_pages(site: Path) -> list[str]:
    """The content pages of a built site (no generated pages, no redirect stubs), relative to its root."""
    return [relative for relative in html_files(site) if relative not in GENERATED_PAGES and not is_redirect(site, relative)]
