"""Session fixtures for the browser tests: the built site on 127.0.0.1 and one Chromium.

The site is `_build/html` (what `make test` builds first); set MEMO_SITE_DIR to test another
build. Without /usr/bin/chromium the browser tests are skipped, except in CI (CI=true),
where a missing browser fails them.
"""

import os
from pathlib import Path

import pytest
from sitecheck import CHROMIUM, CHROMIUM_ARGS, DEAD_PROXY, NOT_BUILT, SITE_DIR, chromium_missing, serve, visit


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(session, config, items):
    """Run the browser tests after all others.

    Once Playwright runs, a fork in a later test (sphinx-sitemap starts a
    multiprocessing.Manager for every Sphinx app) inherits the pipe to Playwright's
    driver, which then never sees it close: the session hangs at teardown.
    """
    items.sort(key=lambda item: Path(item.path).resolve().is_relative_to(HERE))  # stable: others keep their order


@pytest.fixture(scope="session")
def site_dir():
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(NOT_BUILT, pytrace=False)
    return SITE_DIR


@pytest.fixture(scope="session")
def site_url(site_dir):
    """http://127.0.0.1:<port>/memo/, serving the built site from a thread for the whole session."""
    with serve(site_dir) as url:
        yield url


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
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, proxy=DEAD_PROXY)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium):
    """Factory for browser contexts (other hosts are unreachable, see DEAD_PROXY); closed after the test."""
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
