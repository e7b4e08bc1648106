"""The build and the doctests never need the network: `make strict` and `make doctest` run inside
a network namespace without one (`unshare -rn`), or, where the kernel refuses one, with the offline
guard (tools/offline_guard), and CI=true requires one of the two."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from commands import make, sphinx_build, sphinx_calls
from runners import docker_job
from site_build import ROOT

GUARD = ROOT / "tools" / "offline_guard"
ROOT_OF_NETWORK_DOCTEST = ROOT / "tests" / "roots" / "test-offline-doctest"
UNSHARE_WORKS = shutil.which("unshare") is not None and subprocess.run(["unshare", "-rn", "true"]).returncode == 0
needs_unshare = pytest.mark.skipif(not UNSHARE_WORKS, reason="this kernel does not allow a network namespace (unshare -rn)")


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
def test_without_a_namespace_the_checks_run_sphinx_under_the_guard(target):
    """UNSHARE=false stands in for a kernel without network namespaces (a Docker job container)."""
    result = make(target, "UNSHARE=false", env={"CI": "true"})
    assert result.returncode == 0, result.stderr
    (argv,) = sphinx_calls(result.stdout)
    assert argv[:2] == ["env", f"PYTHONPATH={GUARD}"] and argv[2].endswith("sphinx-build"), argv


@pytest.mark.parametrize("target", ["strict", "doctest"])
def test_the_checks_refuse_to_run_with_network_under_ci(target):
    """Neither a namespace nor the guard (OFFLINE_GUARD=): CI=true stops before Sphinx runs."""
    result = make(target, "UNSHARE=false", "OFFLINE_GUARD=", env={"CI": "true"})
    assert result.returncode != 0 and "CI=true requires the offline check" in result.stderr, result.stderr
    assert sphinx_calls(result.stdout) == []


def test_the_guard_is_said_in_one_line():
    result = make("offline-check", "UNSHARE=false", dry_run=False, env={"CI": "true"})
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1 and "Python refuses the network instead (tools/offline_guard)" in result.stderr, result.stderr


def test_lost_offline_mode_is_said_in_one_line():
    result = make("offline-check", "UNSHARE=false", "OFFLINE_GUARD=", dry_run=False)
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1 and "running WITH network access" in result.stderr, result.stderr


def test_lost_offline_mode_fails_under_ci():
    result = make("offline-check", "UNSHARE=false", "OFFLINE_GUARD=", dry_run=False, env={"CI": "true"})
    assert result.returncode != 0 and "CI=true requires the offline check" in result.stderr, result.stderr


# -- the guard (tools/offline_guard/sitecustomize.py) -------------------------------------------------

GUARD_PROBE = """
import socket, urllib.request
server = socket.create_server(("127.0.0.1", 0))
socket.create_connection(server.getsockname()).close()
print("loopback ok")
for attempt in (lambda: socket.create_connection(("192.0.2.1", 80), timeout=5),
                lambda: socket.socket(socket.AF_INET6).connect_ex(("2001:db8::1", 80)),
                lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53)),
                lambda: urllib.request.urlopen("https://pypi.org/simple/", timeout=5)):
    try:
        attempt()
        print("REACHED THE NETWORK")
    except OSError as error:
        print(type(error).__name__, error)
"""


def test_the_guard_refuses_every_way_out_but_keeps_loopback():
    result = subprocess.run([sys.executable, "-c", GUARD_PROBE], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(GUARD)})
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0] == "loopback ok", result.stderr
    assert lines[1:] == [
        f"OfflineError [Errno 101] offline guard: no connection to 192.0.2.1:80; the build and its doctests must not use the network ({GUARD / 'sitecustomize.py'})",
        f"OfflineError [Errno 101] offline guard: no connection to 2001:db8::1:80; the build and its doctests must not use the network ({GUARD / 'sitecustomize.py'})",
        f"OfflineError [Errno 101] offline guard: no connection to 192.0.2.1:53; the build and its doctests must not use the network ({GUARD / 'sitecustomize.py'})",
        f"URLError <urlopen error [Errno -3] offline guard: no DNS lookup of 'pypi.org'; the build and its doctests must not use the network ({GUARD / 'sitecustomize.py'})>",
    ]


MECHANISMS = {
    "network namespace": ([], lambda argv: argv, "Network is unreachable"),
    "offline guard": (["UNSHARE=false"], lambda argv: argv, "offline guard: no connection to 192.0.2.1:80"),
    "job container": ([], docker_job, "offline guard: no connection to 192.0.2.1:80"),
}


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_a_doctest_that_opens_a_socket_fails(mechanism, tmp_path):
    """The break test of both proofs: `make doctest` on a page whose doctest connects out."""
    args, wrap, message = MECHANISMS[mechanism]
    if mechanism == "network namespace" and not UNSHARE_WORKS:
        pytest.skip("this kernel does not allow a network namespace (unshare -rn)")
    command = ["make", "--no-print-directory", "doctest", f"SOURCEDIR={ROOT_OF_NETWORK_DOCTEST}", f"BUILDDIR={tmp_path}", *args]
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")} | {"CI": "true"}
    result = subprocess.run(wrap(command), cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    report = (tmp_path / "doctest" / "output.txt").read_text(encoding="utf-8")
    assert result.returncode != 0, report
    assert message in report and "1 failure in tests" in report, report
    assert "tests/roots/test-offline-doctest/index.md:9: failed example" in result.stdout, result.stdout[-2000:]
