"""_ext/sitemap_complete.py: an incremental build's sitemap still lists every page (sphinx-sitemap#13)."""

import re
import shutil
import time

import pytest
from commands import sphinx_build
from site_build import ROOT

SOURCE = ROOT / "tests" / "roots" / "test-sitemap-complete"
EVERY_PAGE = ["https://example.org/site/index.html", "https://example.org/site/one.html", "https://example.org/site/two.html"]


@pytest.fixture
def project(tmp_path):
    shutil.copytree(SOURCE, tmp_path / "src")
    return tmp_path / "src"


def sitemap_after_an_edit(project, out, extensions):
    """Build, edit one page (a second later: file times have a resolution), build again."""
    def build():
        done = sphinx_build("-b", "html", "-q", "-D", f"extensions={extensions}", str(project), str(out),
                            env={"PYTHONPATH": str(ROOT / "_ext")})
        assert done.returncode == 0, done.stderr
        return sorted(re.findall(r"<loc>(.*?)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8")))

    assert build() == EVERY_PAGE
    time.sleep(1.1)
    (project / "one.md").write_text("# One\n\nEdited.\n", encoding="utf-8")
    return build()


def test_an_incremental_build_lists_every_page(project, tmp_path):
    assert sitemap_after_an_edit(project, tmp_path / "out", "myst_parser,sphinx_sitemap,sitemap_complete") == EVERY_PAGE


def test_break_sphinx_sitemap_alone_lists_only_the_rewritten_pages(project, tmp_path):
    """The edited page and its toctree parent only. When this fails, sphinx-sitemap lists every
    page itself: delete the workaround (sphinx-sitemap#13)."""
    assert sitemap_after_an_edit(project, tmp_path / "out", "myst_parser,sphinx_sitemap") == EVERY_PAGE[:2]
