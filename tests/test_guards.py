"""Each guard of `make test` must be able to fail, with a clear file:line message."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROOTS = ROOT / "tests" / "roots"


@pytest.mark.sphinx("doctest", testroot="doctest-fail")
def test_wrong_doctest_output_fails(app):
    app.build()
    assert app.builder.total_failures == 2
    report = (app.outdir / "output.txt").read_text(encoding="utf-8")
    assert re.search(r"File \".*index\.md\", line 5, in default(.|\n)*File \".*index\.md\", line 8, in default", report), report
    assert "Expected:\n    3\nGot:\n    2" in report


@pytest.mark.sphinx("html", testroot="nitpicky")
def test_unresolved_reference_is_reported_with_location(app, warning):
    app.build()
    text = warning.getvalue()
    assert re.search(r"index\.md:4: WARNING: py:func reference target not found: no_such_function", text), text


def sphinx_build(*args, cwd, offline=False):
    command = [sys.executable, "-m", "sphinx", *args]
    if offline:
        command = ["unshare", "-rn", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_strict_flags_turn_the_warning_into_a_failure(tmp_path):
    result = sphinx_build("-b", "html", "-n", "-W", "--keep-going", str(ROOTS / "test-nitpicky"), str(tmp_path), cwd=ROOT)
    assert result.returncode != 0
    assert "index.md:4" in result.stderr


needs_unshare = pytest.mark.skipif(
    shutil.which("unshare") is None or subprocess.run(["unshare", "-rn", "true"]).returncode != 0,
    reason="this kernel does not allow a network namespace (unshare -rn)",
)


@needs_unshare
def test_offline_sandbox_really_has_no_network():
    probe = "import socket; socket.create_connection(('1.1.1.1', 80), timeout=2)"
    result = subprocess.run(["unshare", "-rn", sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode != 0
    assert "unreachable" in result.stderr.lower()


@needs_unshare
def test_site_configuration_builds_without_network(tmp_path):
    """The real conf.py (vendored inventories, offline MathJax) on one real page, no network."""
    src = tmp_path / "src"
    (src / "tensors").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "tensors" / "view-vs-reshape.md", src / "tensors")
    (src / "index.md").write_text("(home)=\n# Home\n\n```{toctree}\ntensors/view-vs-reshape\nglossary\n```\n", encoding="utf-8")
    # The page's {term} links need their glossary entries (docs/glossary.md links every page, so it cannot come along).
    page = (src / "tensors" / "view-vs-reshape.md").read_text(encoding="utf-8")
    terms = sorted({m.group(2) or m.group(1) for m in re.finditer(r"\{term\}`([^`<]+?)(?: <([^>]+)>)?`", page)})
    entries = "".join(f"{term}\n  stub\n\n" for term in terms)
    (src / "glossary.md").write_text(f"(glossary)=\n# Glossary\n\n:::{{glossary}}\n{entries}:::\n", encoding="utf-8")
    result = sphinx_build(
        "-c", str(ROOT), "-b", "html", "-n", "-W", "--keep-going",
        "-D", f"memo_map_source={ROOT / 'docs' / 'memo-items.toml'}",
        str(src), str(tmp_path / "out"), cwd=ROOT, offline=True,
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "tensors" / "view-vs-reshape.html").read_text(encoding="utf-8")
    assert "https://docs.pytorch.org/docs/2.13/generated/torch.Tensor.view.html#torch.Tensor.view" in html


def test_makefile_runs_the_checks_offline_and_strict():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "STRICT    := -n -W --keep-going" in makefile
    for target in ("doctest", "strict"):
        recipe = re.search(rf"^{target}:.*\n\t(.*)$", makefile, re.M).group(1)
        assert recipe.startswith("$(OFFLINE) $(SPHINX)") and "$(STRICT)" in recipe


def test_old_python_gets_a_clear_message(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\n# A stand-in for an old interpreter.\n"
                    "case \"$*\" in *version_info\\ \\<*) exit 1;; *) echo 3.9;; esac\n")
    fake.chmod(0o755)
    result = subprocess.run(["bash", "tools/bootstrap.sh", str(fake), str(tmp_path / "venv")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Python 3.11 or newer is required" in result.stderr and "Python 3.9" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "venv").exists()


def test_missing_python_gets_a_clear_message(tmp_path):
    result = subprocess.run(["bash", "tools/bootstrap.sh", str(tmp_path / "nope"), str(tmp_path / "venv")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "was not found" in result.stderr


@pytest.mark.parametrize("target", ["html", "test", "doctest"])
def test_targets_bootstrap_a_missing_venv(tmp_path, target):
    env = {**os.environ, "MAKEFLAGS": ""}
    result = subprocess.run(["make", "-n", "--no-print-directory", target, f"VENV={tmp_path / 'venv'}"],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert f"tools/bootstrap.sh \"python3\" \"{tmp_path / 'venv'}\"" in result.stdout.splitlines()[0]


def test_requirements_pin_everything():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = [ln for ln in lines if ln and not ln.startswith("#")]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+\-]+", p) for p in pins), pins
    assert "torch==2.13.0" in pins
    top_level = {ln.split("==")[0].lower() for ln in (ROOT / "requirements.in").read_text().splitlines()
                 if "==" in ln and not ln.startswith("#")}
    pinned = {p.split("==")[0].lower() for p in pins}
    assert top_level <= pinned
