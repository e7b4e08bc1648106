"""Sharing expensive fixtures between pytest-xdist workers (tests/conftest.py uses these).

A session fixture is made once per worker. When making it is expensive (an archive, a
build), `made_once` makes it once for the whole run instead: the first worker to ask
makes it under a file lock, the others wait and reuse it. The result must not depend on
which worker made it, and no test may write into it (copy it first).

A fixture that cannot be shared through files (a pool of running downloads) is listed in
ONE_WORKER_FIXTURES; the tests that use it are listed in ONE_WORKER_TESTS, and the
scheduler in tests/conftest.py hands each group to one worker. (xdist's own
`--dist loadgroup` drops its groups under pytest 9.2: pytest-xdist#1386; and the
controller that hands out the tests sees only their ids, not their fixtures.)
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


ONE_WORKER_FIXTURES = {
    "site_runs": "page-downloads",  # test_page_downloads.py: every download of the site, run in a pool
    "weights": "page-weight",  # browser/test_page_weight_limits.py: every page loaded in Chromium (minutes)
    "compiled": "cite-tex",  # test_cite_tex.py: a LaTeX document per citation style, compiled in a pool
    "forgiving_found": "search-forgiving",  # browser/test_search.py: 2,000 queries through memoSearch.search
}
ONE_WORKER_TESTS = {
    "tests/test_page_downloads.py::test_notebook_runs_and_reproduces_the_page": "page-downloads",
    "tests/test_page_downloads.py::test_script_runs_and_reproduces_the_page": "page-downloads",
    "tests/browser/test_page_weight_limits.py::test_every_page_is_within_the_limits": "page-weight",
    "tests/browser/test_page_weight_limits.py::test_the_median_page_is_within_its_limit": "page-weight",
    "tests/browser/test_page_weight_limits.py::test_one_tab_without_cache_counts_as_an_empty_context": "page-weight",
    "tests/test_cite_tex.py::test_every_entry_renders_with_its_capitals_and_url": "cite-tex",
    "tests/test_cite_tex.py::test_break_an_unbraced_acronym_and_a_missing_howpublished_fail": "cite-tex",
    "tests/browser/test_search.py::test_forgiving_queries": "search-forgiving",
    "tests/browser/test_search.py::test_search_budgets_on_a_phone": "search-forgiving",
}


def group_of(nodeid: str) -> str | None:
    """The one-worker group of a test id (parameters ignored), or None."""
    return ONE_WORKER_TESTS.get(nodeid.split("[", 1)[0])


def misplaced(items) -> list[str]:
    """One message per test that uses a ONE_WORKER_FIXTURES fixture outside that fixture's group."""
    return [f"{item.nodeid} uses the fixture {name}: add the test to ONE_WORKER_TESTS in tests/per_run.py "
            f"(group {group!r}), or a second worker makes the fixture again"
            for item in items for name in getattr(item, "fixturenames", ())
            if (group := ONE_WORKER_FIXTURES.get(name)) and group_of(item.nodeid) != group]


def run_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run: shared by its xdist workers (each has a subfolder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder run_temp/<name>, filled by make(folder) once per run; later callers wait for it."""
    root = run_temp(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a run that failed half-way
            folder.mkdir()
            make(folder)
            done.touch()
    return folder
