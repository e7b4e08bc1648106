"""Session fixtures for the browser tests: the built site (`built_site`, see
tests/site_build.py) on 127.0.0.1 and one Chromium (tools/site_browser.py launches it).

Without /usr/bin/chromium the browser tests are skipped, except in CI (CI=true),
where a missing browser fails them.
"""

import contextlib
import os
from pathlib import Path

import pytest
from site_browser import CHROMIUM, chromium_missing, launch, serve
from site_build import edited_copy
from sitecheck import visit


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


@pytest.fixture
def open_page(new_context, site_url):
    """open_page(path, **context options) -> (page, log): the page loaded, fonts in, problems recorded."""

    def open_(path, **options):
        return visit(new_context(**options), site_url, path)

    return open_
