"""_ext/codeautolink_memo.py: links inside code are the same with the memo as without it.

Each build runs in its own process, as `make html` does: a name's answer depends on the
modules Python has imported, and a test process would keep the first import.
"""

import re
import shutil

import pytest
from commands import sphinx_build
from site_build import ROOT

SOURCE = ROOT / "tests" / "roots" / "test-codeautolink-memo"
LINK = re.compile(r'<a class="sphinx-codeautolink-a"[^>]*href="([^"]+)"')
MAKES_A_SQUARE = "def make() -> Square:\n    return Square()"
MAKES_A_CIRCLE = "def make() -> Circle:\n    return Circle()"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(SOURCE, tmp_path / "src")
    return tmp_path / "src"


def code_links(project, out, *, memo=True, extensions_dir=ROOT / "_ext"):
    extensions = "myst_parser,sphinx_codeautolink" + (",codeautolink_memo" if memo else "")
    done = sphinx_build("-b", "html", "-q", "-D", f"extensions={extensions}", str(project), str(out),
                        env={"PYTHONPATH": str(extensions_dir)})
    assert done.returncode == 0, done.stderr
    return LINK.findall((out / "index.html").read_text(encoding="utf-8"))


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_memo_gives_the_links_codeautolink_gives(project, tmp_path):
    plain = code_links(project, tmp_path / "plain", memo=False)
    assert "index.html#demo_shapes.Square.area" in plain
    first = code_links(project, tmp_path / "memo")
    assert (tmp_path / "memo" / ".doctrees" / "codeautolink_memo.cache.pickle").is_file()
    edit(project / "index.md", "# Shapes", "# Shapes, edited")
    again = code_links(project, tmp_path / "memo")  # the page is read again; every name comes from the memo
    assert plain == first == again


def links_after_the_module_changes(project, out, **build):
    """Build with the memo, change what make() returns, build again: the links then."""
    code_links(project, out, **build)
    edit(project / "demo_shapes" / "__init__.py", MAKES_A_SQUARE, MAKES_A_CIRCLE)
    edit(project / "index.md", "# Shapes", "# Shapes, edited")
    return code_links(project, out, **build)


def test_an_edit_to_the_sites_own_module_resolves_again(project, tmp_path):
    with_memo = links_after_the_module_changes(project, tmp_path / "memo")
    without = code_links(project, tmp_path / "plain", memo=False)
    assert "index.html#demo_shapes.Circle.area" in without
    assert with_memo == without


def test_break_a_memo_blind_to_the_sites_modules_keeps_the_old_link(project, tmp_path):
    blind = tmp_path / "blind_ext"
    shutil.copytree(ROOT / "_ext", blind)
    edit(blind / "codeautolink_memo.py", "digest(self.build_inputs, *local_sources(top))", "digest(self.build_inputs)")
    stale = links_after_the_module_changes(project, tmp_path / "memo", extensions_dir=blind)
    assert "index.html#demo_shapes.Square.area" in stale  # what the comparison above would catch
    assert stale != code_links(project, tmp_path / "plain", memo=False)
