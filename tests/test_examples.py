"""Every file in examples/ is importable by the pages, runs as a script, and its docstring
examples (`>>>`) print what they show."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "examples").rglob("*.py") if p.name != "__init__.py")
WITH_DOCTESTS = [p for p in SCRIPTS if ">>>" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("script", SCRIPTS, ids=[str(p.relative_to(ROOT)) for p in SCRIPTS])
def test_example_runs_and_prints(script):
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1",
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), f"{script.name} printed nothing"


@pytest.mark.parametrize("script", [p for p in SCRIPTS if p.parent.name == "examples"],
                         ids=lambda p: p.stem)
def test_example_is_importable(script):
    __import__(f"examples.{script.stem}")


def doctest_report(path: Path) -> str:
    """`python -m doctest` on a file, in a fresh interpreter: empty when every `>>>` example prints what it shows."""
    result = subprocess.run([sys.executable, "-m", "doctest", str(path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return result.stdout + result.stderr


@pytest.mark.parametrize("script", WITH_DOCTESTS, ids=[str(p.relative_to(ROOT)) for p in WITH_DOCTESTS])
def test_docstring_examples_print_what_they_show(script):
    assert doctest_report(script) == ""


def test_a_wrong_docstring_example_fails_with_file_and_line(tmp_path):
    (tmp_path / "wrong_example.py").write_text('def two():\n    """\n    >>> 1 + 1\n    3\n    """\n', encoding="utf-8")
    report = doctest_report(tmp_path / "wrong_example.py")
    assert 'wrong_example.py", line 3, in wrong_example.two' in report and "Expected:\n    3\nGot:\n    2" in report, report
