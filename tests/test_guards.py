"""Each guard of `make test` must be able to fail, with a clear file:line message."""

import doctest
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROOTS = ROOT / "tests" / "roots"


@pytest.mark.sphinx("doctest", testroot="doctest-fail")
def test_wrong_doctest_output_fails(app):
    """The root uses the site's own doctest settings: wrong outputs, a wrong exception
    message (passes under Sphinx's default IGNORE_EXCEPTION_DETAIL) and a wrong
    {testcode} output all fail, each at the Markdown line of its code."""
    app.build()
    report = (app.outdir / "output.txt").read_text(encoding="utf-8")
    failed_lines = [int(n) for n in re.findall(r"index\.md:(\d+): failed example \(group default\)", report)]
    assert failed_lines == [5, 8, 15, 24], report
    assert app.builder.total_failures == 4
    assert "Expected:\n    3\nGot:\n    2" in report
    assert "ValueError: invalid literal for int() with base 10: 'x'" in report
    assert not re.search(r'^File ".*index\.md"', report, re.M)


@pytest.mark.sphinx("doctest", testroot="doctest-fail", confoverrides={"doctest_default_flags": doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL})
def test_the_exception_break_needs_the_site_flags(app):
    """Proof that the test above can fail: under IGNORE_EXCEPTION_DETAIL the wrong message passes."""
    app.build()
    assert app.builder.total_failures == 3


def test_the_site_checks_exception_messages():
    site = runpy.run_path(str(ROOT / "conf.py"))
    assert not site["doctest_default_flags"] & doctest.IGNORE_EXCEPTION_DETAIL


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


def test_every_tool_reports_docs_relative_paths(tmp_path):
    """Sphinx's warnings, with relative_locations, use the lint's and the doctest report's form: `docs/x.md:4`."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOTS / "test-nitpicky", docs)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "_ext")}
    plain = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-n", "-q", "docs", "out"],
                           cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    relative = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-n", "-q", "-D",
                               "extensions=myst_parser,relative_locations", "docs", "out2"],
                              cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert f"{docs}{os.sep}index.md:4: WARNING" in plain.stderr, plain.stderr
    assert relative.stderr.startswith(f"docs{os.sep}index.md:4: WARNING"), relative.stderr
    site = runpy.run_path(str(ROOT / "conf.py"))
    assert {"relative_locations", "myst_doctest_lines"} <= set(site["extensions"])
    shutil.rmtree(docs)
    shutil.copytree(ROOTS / "test-doctest-fail", docs)
    doctest = subprocess.run([sys.executable, "-m", "sphinx", "-b", "doctest", "-q", "docs", "out3"],
                             cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert f"docs{os.sep}index.md:24: failed example (group default)" in doctest.stdout + doctest.stderr, doctest.stdout


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
    """The real conf.py (vendored inventories, MathML formulas) on one real page, no network."""
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


@pytest.mark.parametrize("target", ["doctest", "strict"])
def test_the_checks_go_through_the_offline_check(target):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(rf"^{target}: .*\boffline-check\b", makefile, re.M)


def make_offline_check(ci: str | None):
    """`make offline-check` where `unshare -rn` fails (UNSHARE=false stands in for a kernel without it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "MAKEFLAGS")}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(["make", "--no-print-directory", "offline-check", "UNSHARE=false"],
                          cwd=ROOT, capture_output=True, text=True, env=env)


def test_lost_offline_mode_is_said_in_one_line():
    result = make_offline_check(ci=None)
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1 and "running WITH network access" in result.stderr, result.stderr


def test_lost_offline_mode_fails_under_ci():
    result = make_offline_check(ci="true")
    assert result.returncode != 0 and "CI=true requires the offline check" in result.stderr, result.stderr


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
