"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright.

Shared by the browser tests and the benchmark, so both see the site the same way.
Nothing here downloads a browser.
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
]


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


def launch(playwright, **kwargs):
    """Launch headless Chromium from Debian's package."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, **kwargs)


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root."""
    skip = {"genindex.html", "search.html", "404.html"}
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative in skip or relative.startswith(("_static/", "_images/", "_sources/", "plot_directive/")):
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8", errors="replace")[:2000]:
            continue  # redirect stubs for moved pages
        pages.append(relative)
    return pages
