"""_ext/plot_dependencies.py: an edited figure script or module shows in the next incremental build.

Builds run in their own processes, as `make html` does (the figure's modules are imported
by the build; a test process would keep the first import).
"""

import shutil
import time

import pytest
from commands import sphinx_build
from site_build import ROOT

SOURCE = ROOT / "tests" / "roots" / "test-plot-dependencies"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(SOURCE, tmp_path / "src")
    return tmp_path / "src"


def figure_text(project, out, extensions="myst_parser,plot_dependencies"):
    done = sphinx_build("-b", "html", "-q", "-D", f"extensions={extensions}", str(project), str(out),
                        env={"PYTHONPATH": str(ROOT / "_ext")})
    assert done.returncode == 0, done.stderr
    return "\n".join(svg.read_text(encoding="utf-8") for svg in (out / "_images").glob("*.svg"))


def save_later(path, old, new):
    """Edit a file a second later than the last build wrote its figure (file times have a resolution)."""
    time.sleep(1.1)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("edited", ["demo_labels/words.py", "figures/label.py"])
def test_an_edit_behind_the_figure_redraws_it(project, tmp_path, edited):
    out = tmp_path / "out"
    assert "FIRST-LABEL" in figure_text(project, out)
    old = 'LABEL = "FIRST-LABEL"' if edited.startswith("demo_labels") else "ax.text(0.5, 0.5, LABEL"
    new = 'LABEL = "SECOND-LABEL"' if edited.startswith("demo_labels") else 'ax.text(0.5, 0.5, "SECOND-LABEL"'
    save_later(project / edited, old, new)
    assert "SECOND-LABEL" in figure_text(project, out)


def test_break_matplotlibs_own_directive_keeps_the_old_figure(project, tmp_path):
    """When this fails, matplotlib records the dependencies itself: delete the workaround (matplotlib#12837)."""
    out = tmp_path / "out"
    plain = "myst_parser,matplotlib.sphinxext.plot_directive"
    assert "FIRST-LABEL" in figure_text(project, out, plain)
    save_later(project / "demo_labels" / "words.py", 'LABEL = "FIRST-LABEL"', 'LABEL = "SECOND-LABEL"')
    assert "FIRST-LABEL" in figure_text(project, out, plain)
