"""Every file in examples/ is importable by the pages, runs as a script, and its docstring
examples (`>>>`) print what they show."""

import doctest
import importlib
import io
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


def doctest_report(module) -> str:
    """doctest's report on the examples in a module's docstrings: empty when every one prints what it shows."""
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=0)  # exact outputs, as on the pages
    for test in doctest.DocTestFinder().find(module):
        runner.run(test, out=out.write)
    return out.getvalue()


@pytest.mark.parametrize("script", WITH_DOCTESTS, ids=[str(p.relative_to(ROOT)) for p in WITH_DOCTESTS])
def test_docstring_examples_print_what_they_show(script):
    module = importlib.import_module(".".join(script.relative_to(ROOT).with_suffix("").parts))
    assert doctest_report(module) == ""


def test_a_wrong_docstring_example_fails_with_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "wrong_example.py").write_text('def two():\n    """\n    >>> 1 + 1\n    3\n    """\n', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    report = doctest_report(importlib.import_module("wrong_example"))
    assert 'wrong_example.py", line 3, in wrong_example.two' in report and "Expected:\n    3\nGot:\n    2" in report, report
