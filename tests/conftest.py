import os
import zipfile

import make_dist
import pytest
from per_run import made_once
from site_build import NOT_BUILT, ROOT, SITE_DIR, is_built

pytest_plugins = ["sphinx.testing.fixtures"]
if os.environ.get("PYTEST_COUNTS_DIR"):  # `make bench-test` counts what a run starts (tools/pytest_counts.py)
    pytest_plugins.append("pytest_counts")


@pytest.fixture(scope="session")
def rootdir():
    """Where sphinx.testing finds the tiny test projects (`testroot="x"` -> roots/test-x)."""
    return ROOT / "tests" / "roots"


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session")
def built_site():
    """The site `make test` builds before pytest runs (`make strict`); MEMO_SITE_DIR names another build."""
    if not is_built():
        pytest.fail(NOT_BUILT, pytrace=False)
    return SITE_DIR


@pytest.fixture(scope="session")
def offline_copy(built_site, tmp_path_factory):
    """`make dist`'s archive of the built site, and the folder it unpacks to (made once per run)."""
    version = (ROOT / "VERSION").read_text(encoding="utf-8").strip()

    def make(out):
        archive = make_dist.make_archive(built_site, out / f"memo-docs-{version}.zip")
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(out / "unpacked")

    out = made_once(tmp_path_factory, "dist", make)
    return out / f"memo-docs-{version}.zip", out / "unpacked" / f"memo-docs-{version}"


# -- parallel runs (pytest-xdist) -------------------------------------------------------------
# `make pytest` runs `pytest -n auto --dist loadgroup`; `-p no:xdist` (or PYTEST_WORKERS=0) runs
# the same tests in one process, and both must pass alike. Each worker runs its share in the
# collection order below, so no test may rely on another having run first.

# Fixtures too expensive to make on every worker and too big to share through a file: every
# test that uses one joins its xdist group, so one worker makes it once and runs those tests
# (the fixture may still use every core itself, as site_runs' pool does). Cheaper shared
# things are made once per worker (session scope) or once per run (per_run.made_once).
ONE_WORKER_FIXTURES = {
    "site_runs": "page-downloads",  # test_page_downloads.py: every download of the site, run in a pool
}


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): tests that run on one pytest-xdist worker")
    if getattr(config.option, "dist", "no") == "load":  # `pytest -n 2` typed by hand keeps the groups too
        config.option.dist = "loadgroup"
    # Hand out work in collection order (groups first, browser tests last; see below),
    # not xdist's default of the biggest group first.
    config.option.loadscopereorder = False


@pytest.hookimpl(tryfirst=True)  # before xdist names the groups
def pytest_collection_modifyitems(session, config, items):
    """Group the tests of ONE_WORKER_FIXTURES and run the groups first: they take longest.

    tests/browser/conftest.py then moves the browser tests after all others (stable sort).
    """
    for item in items:
        for name in getattr(item, "fixturenames", ()):
            if name in ONE_WORKER_FIXTURES:
                item.add_marker(pytest.mark.xdist_group(ONE_WORKER_FIXTURES[name]))
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)
