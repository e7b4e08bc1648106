"""The build and the doctests never need the network: `make strict` and `make doctest`
run inside a network namespace without one (`unshare -rn`), and say so when they cannot."""

import re
import shutil
import subprocess
import sys

import pytest
from commands import make, sphinx_build, sphinx_calls
from site_build import ROOT

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
        str(src), str(tmp_path / "out"), offline=True,
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "tensors" / "view-vs-reshape.html").read_text(encoding="utf-8")
    assert "https://docs.pytorch.org/docs/2.13/generated/torch.Tensor.view.html#torch.Tensor.view" in html


@pytest.mark.parametrize("target", ["strict", "doctest"])
def test_the_checks_run_sphinx_inside_the_sandbox(target):
    """UNSHARE=true stands in for a kernel where `unshare -rn` works."""
    result = make(target, "UNSHARE=true")
    assert result.returncode == 0, result.stderr
    (argv,) = sphinx_calls(result.stdout)
    assert argv[:2] == ["true", "-rn"] and argv[2].endswith("sphinx-build"), argv


@pytest.mark.parametrize("target", ["strict", "doctest"])
def test_the_checks_refuse_to_run_with_network_under_ci(target):
    """UNSHARE=false stands in for a kernel without network namespaces: CI=true stops before Sphinx runs."""
    result = make(target, "UNSHARE=false", env={"CI": "true"})
    assert result.returncode != 0 and "CI=true requires the offline check" in result.stderr, result.stderr
    assert sphinx_calls(result.stdout) == []


def test_lost_offline_mode_is_said_in_one_line():
    result = make("offline-check", "UNSHARE=false", dry_run=False)
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1 and "running WITH network access" in result.stderr, result.stderr


def test_lost_offline_mode_fails_under_ci():
    result = make("offline-check", "UNSHARE=false", dry_run=False, env={"CI": "true"})
    assert result.returncode != 0 and "CI=true requires the offline check" in result.stderr, result.stderr
