import os
import sys
from pathlib import Path

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


@pytest.fixture(scope="session")
def built_site():
    """The site `make test` builds before pytest runs (`make strict`); MEMO_SITE_DIR names another build."""
    site = Path(os.environ.get("MEMO_SITE_DIR", ROOT / "_build" / "html")).resolve()
    if not (site / "index.html").is_file():
        pytest.fail(f"the site is not built in {site}: run `make strict` first (`make test` does)", pytrace=False)
    return site
