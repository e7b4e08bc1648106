"""_ext/relative_locations.py (and myst_doctest_lines.py): every tool names `docs/x.md:line`."""

import os
import runpy
import shutil

from commands import sphinx_build
from site_build import ROOT

ROOTS = ROOT / "tests" / "roots"


def test_every_tool_reports_docs_relative_paths(tmp_path):
    """Sphinx's warnings, with relative_locations, use the lint's and the doctest report's form: `docs/x.md:4`."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOTS / "test-nitpicky", docs)
    env = {"PYTHONPATH": str(ROOT / "_ext")}
    plain = sphinx_build("-b", "html", "-n", "-q", "docs", "out", cwd=tmp_path, env=env)
    relative = sphinx_build("-b", "html", "-n", "-q", "-D", "extensions=myst_parser,relative_locations", "docs", "out2",
                            cwd=tmp_path, env=env)
    assert f"{docs}{os.sep}index.md:4: WARNING" in plain.stderr, plain.stderr
    assert relative.stderr.startswith(f"docs{os.sep}index.md:4: WARNING"), relative.stderr
    site = runpy.run_path(str(ROOT / "conf.py"))
    assert {"relative_locations", "myst_doctest_lines"} <= set(site["extensions"])
    shutil.rmtree(docs)
    shutil.copytree(ROOTS / "test-doctest-fail", docs)
    doctest = sphinx_build("-b", "doctest", "-q", "docs", "out3", cwd=tmp_path, env=env)
    assert f"docs{os.sep}index.md:24: failed example (group default)" in doctest.stdout + doctest.stderr, doctest.stdout
