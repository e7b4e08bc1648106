"""Every make target creates .venv from requirements.txt first (tools/bootstrap.sh), and a
missing or too old Python gets a clear message instead of a traceback."""

import subprocess

import pytest
from commands import make
from site_build import ROOT


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
    result = make(target, f"VENV={tmp_path / 'venv'}")
    assert result.returncode == 0, result.stderr
    assert f"tools/bootstrap.sh \"python3\" \"{tmp_path / 'venv'}\"" in result.stdout.splitlines()[0]


# -- torch's CPU build by default (tools/bootstrap.sh) -----------------------------------------------
# Each case runs the bootstrap line that `make -n venv` prints, with a stand-in interpreter that
# logs its pip calls instead of installing anything, so nothing here touches the network.

FAKE_PYTHON = """#!{real}
import os, shutil, sys
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(" ".join(args) + "\\n")
if args[:2] == ["-m", "venv"]:
    os.makedirs(os.path.join(args[2], "bin"), exist_ok=True)
    shutil.copy(__file__, os.path.join(args[2], "bin", "python"))
    sys.exit(0)
if args[:2] == ["-m", "pip"]:
    sys.exit({find_links_has_cpu_wheel} if "--dry-run" in args else 0)
if args[0] == "-c" and "importlib.metadata" in args[1]:
    sys.exit(1)  # no torch in the new venv
os.execv({real!r}, [{real!r}, *args])  # version checks and the index probe run for real
"""


def bootstrap_with(tmp_path, index: str, find_links_has_cpu_wheel: bool = False):
    """(result, pip calls) of the bootstrap that `make venv` runs, with TORCH_CPU_INDEX=index."""
    import sys

    log = tmp_path / "calls.log"
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON.format(real=sys.executable, log=str(log), find_links_has_cpu_wheel=int(not find_links_has_cpu_wheel)))
    fake.chmod(0o755)
    dry = make("venv", f"PYTHON={fake}", f"VENV={tmp_path / 'venv'}", f"TORCH_CPU_INDEX={index}")
    line = next(line for line in dry.stdout.splitlines() if "tools/bootstrap.sh" in line)
    assert f'TORCH_CPU_INDEX="{index}"' in line, f"make venv does not pass TORCH_CPU_INDEX to the bootstrap: {line}"
    result = subprocess.run(["bash", "-c", line], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**__import__("os").environ, "TORCH_INDEX_TIMEOUT": "2"})
    pip_calls = [call for call in log.read_text().splitlines() if call.startswith("-m pip install")]
    return result, pip_calls


def pin() -> str:
    return next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("torch=="))


def test_unreachable_cpu_index_falls_back_to_pypi_and_says_how_big(tmp_path):
    result, calls = bootstrap_with(tmp_path, "http://127.0.0.1:9/whl/cpu")
    assert result.returncode == 0, result.stderr
    assert "trying the CPU build from http://127.0.0.1:9/whl/cpu (2 s timeout)" in result.stdout
    assert "cannot be reached" in result.stderr and "2.6 GB" in result.stderr and "make cpu-torch" in result.stderr
    assert not any("--index-url" in call for call in calls), calls
    assert calls[-1].startswith("-m pip install --quiet -r requirements.txt"), calls


def test_reachable_cpu_index_installs_torch_from_it_first(tmp_path):
    import http.server
    import threading

    class Index(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self.send_response(200 if self.path == "/whl/cpu/torch/" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Index)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    index = f"http://127.0.0.1:{server.server_address[1]}/whl/cpu"
    try:
        result, calls = bootstrap_with(tmp_path, index)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert "cannot be reached" not in result.stderr
    assert calls[1] == f"-m pip install --quiet --index-url {index} {pin()} --disable-pip-version-check", calls
    assert calls[-1].startswith("-m pip install --quiet -r requirements.txt"), calls


def test_cpu_wheel_in_find_links_needs_no_index(tmp_path):
    """The project's machines: pip's find-links holds the CPU wheel, so nothing is probed (offline)."""
    result, calls = bootstrap_with(tmp_path, "http://127.0.0.1:9/whl/cpu", find_links_has_cpu_wheel=True)
    assert result.returncode == 0, result.stderr
    assert "trying the CPU build" not in result.stdout and "cannot be reached" not in result.stderr
    assert [call.split()[4] for call in calls] == ["--dry-run", "-r"], calls
