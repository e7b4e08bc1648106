import zipfile

import make_dist
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


@pytest.fixture(scope="session")
def offline_copy(built_site, tmp_path_factory):
    """`make dist`'s archive of the built site, and the folder it unpacks to."""
    version = (ROOT / "VERSION").read_text(encoding="utf-8").strip()
    out = tmp_path_factory.mktemp("dist")
    archive = make_dist.make_archive(built_site, out / f"memo-docs-{version}.zip")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "unpacked")
    return archive, out / "unpacked" / f"memo-docs-{version}"
