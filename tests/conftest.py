import os
import zipfile

import make_dist
import pytest
from per_run import group_of, made_once, misplaced
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
# `make pytest` runs `pytest -n auto`; `-p no:xdist` (or PYTEST_WORKERS=0) runs the same tests
# in one process, and both must pass alike. Each worker runs its share in the collection order
# below, so no test may rely on another having run first.

# Tests that share a fixture too expensive to make twice form a group that one worker runs
# (tests/per_run.py: ONE_WORKER_FIXTURES and ONE_WORKER_TESTS); cheaper shared things are
# made once per worker (session scope) or once per run (per_run.made_once).


@pytest.hookimpl(optionalhook=True)  # absent under -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """xdist's load scheduling, with each group of ONE_WORKER_TESTS handed out as one unit, and
    the tests in collection order (groups first, browser tests last)."""
    if config.getoption("dist") not in ("load", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return group_of(nodeid) or nodeid

    config.option.loadscopereorder = False
    return GroupScheduling(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Run the groups first (they take longest); tests/browser/conftest.py then moves the browser
    tests after all others (a stable sort)."""
    problems = misplaced(items)
    if problems:
        raise pytest.UsageError("\n".join(problems))
    items.sort(key=lambda item: group_of(item.nodeid) is None)
