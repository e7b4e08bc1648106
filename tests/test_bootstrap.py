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
