"""Session fixtures for the browser tests: the built site (`built_site`, see
tests/site_build.py) on 127.0.0.1 and one Chromium (tools/site_browser.py launches it).

Without /usr/bin/chromium the browser tests are skipped, except in CI (CI=true),
where a missing browser fails them.
"""

import contextlib
import json
import os
from pathlib import Path

import pytest
from site_browser import CHROMIUM, chromium_missing, launch, serve
from search_queries import derive, forgiving
from site_build import edited_copy
from sitecheck import load


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(session, config, items):
    """Run the browser tests after all others.

    Once Playwright runs, a fork in a later test (sphinx-sitemap starts a
    multiprocessing.Manager for every Sphinx app) inherits the pipe to Playwright's
    driver, which then never sees it close: the session hangs at teardown.
    """
    items.sort(key=lambda item: Path(item.path).resolve().is_relative_to(HERE))  # stable: others keep their order


@pytest.fixture(scope="session")
def site_url(built_site):
    """http://127.0.0.1:<port>/memo/, serving the built site from a thread for the whole session."""
    with serve(built_site) as url:
        yield url


@pytest.fixture
def serve_copy(built_site, tmp_path):
    """serve_copy({path: edit}) -> (URL, folder) of a served copy of the built site in which those
    files are edited (see site_build.edited_copy), for the break tests; the real site is never touched."""
    with contextlib.ExitStack() as servers:
        copies = []

        def make(edits):
            copies.append(edited_copy(built_site, tmp_path / f"site{len(copies)}", edits))
            return servers.enter_context(serve(copies[-1])), copies[-1]

        yield make


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session: Debian's, never a downloaded one."""
    if chromium_missing():
        message = f"Chromium not found at {CHROMIUM}; install Debian's package (`apt-get install chromium`) to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}. In CI (CI=true) a missing browser is a failure, not a skip.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium):
    """Factory for browser contexts (other hosts are unreachable, see site_browser.DEAD_PROXY); closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class Reader:
    """One tab per kind of reader (context options), kept for the worker's whole session.

    Loading a page in an open tab costs Chromium about 0.25 s; in a new tab about 0.55 s, and in
    a new context, whose cache is empty, about 2 s (measured on this project's 2-core machine). The
    per-page suites only read a page, or change what loading the next page resets (the DOM,
    the focus, an open drawer, the fragment), so they share these tabs. Before each page the
    tab goes to about:blank (so that a page is always loaded afresh, even after a visit to a
    fragment of it), forgets the localStorage and sessionStorage of the last page's site
    (where the theme keeps a chosen colour mode), and gets its viewport back. Permissions are
    context options, so a reader that needs the clipboard gets a tab of its own. A test that
    changes anything else (listeners of its own, JavaScript turned off, a cache that must be
    empty) opens its own context with `new_context` instead.
    """

    def __init__(self, browser, base_url: str):
        self.browser, self.base_url, self.tabs = browser, base_url, {}

    def __call__(self, path: str, base_url: str | None = None, **options):
        """(page, log) for `path` of the site (or of the copy served at `base_url`, for a break
        test), loaded in the shared tab of a reader with these context options."""
        options.setdefault("viewport", {"width": 1280, "height": 900})
        key = json.dumps(options, sort_keys=True)
        if key not in self.tabs:
            self.tabs[key] = [self.browser.new_context(**options).new_page(), None]
        page, log = self.tabs[key]
        if log is not None:
            log.unwatch(page)
            if page.url.startswith(log.origin + "/"):
                page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        page.goto("about:blank")
        page.set_viewport_size(options["viewport"])
        page, log = load(page, base_url or self.base_url, path)
        self.tabs[key][1] = log
        return page, log

    def close(self):
        for page, _log in self.tabs.values():
            page.context.close()


@pytest.fixture(scope="session")
def reader(chromium, site_url):
    """reader(path, **context options) -> (page, log): the page loaded in a tab shared by the
    tests that only read pages (see Reader)."""
    shared = Reader(chromium, site_url)
    yield shared
    shared.close()


# -- search: the queries derived from the built site (tools/search_queries.py) ---------------------


@pytest.fixture(scope="session")
def derived(built_site):
    """(pages, queries): every heading, glossary name, identifier and a sample of the prose, once per worker."""
    return derive(built_site)


@pytest.fixture(scope="session")
def forgiving_queries(derived, built_site):
    """What readers type instead: questions, typos, synonyms, headings to land on (read-only)."""
    return forgiving(derived[0], built_site)
