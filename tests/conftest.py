import pytest
from site_build import NOT_BUILT, ROOT, SITE_DIR, is_built

pytest_plugins = ["sphinx.testing.fixtures"]


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
