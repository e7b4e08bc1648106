from pathlib import Path

import sys

import pytest

pytest_plugins = ["sphinx.testing.fixtures"]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))  # the test roots load the local extensions by name


@pytest.fixture(scope="session")
def rootdir():
    """Where sphinx.testing finds the tiny test projects (`testroot="x"` -> roots/test-x)."""
    return ROOT / "tests" / "roots"


@pytest.fixture(scope="session")
def repo_root():
    return ROOT
