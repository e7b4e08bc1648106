"""The constraints of the machines that run the hosting pipelines, reproduced here.

- `docker_job(argv)`: a GitHub job container (Docker's default seccomp profile, no namespaces),
  through tools/docker_seccomp.py on Debian's python3 with python3-seccomp.
- `rtd_builder(argv)`: Read the Docs' builder: not root, no sudo and no apt; it may read any file
  (this machine's Python lives under /root) but write only its own.

Each is skipped with its reason where this machine cannot reproduce it, and fails under CI=true,
where .ci/run has installed what it needs.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from site_build import ROOT

DEBIAN_PYTHON = "/usr/bin/python3"
NOBODY = 65534


def _require(ok: bool, reason: str):
    if ok:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI=true requires this check (.ci/run installs what it needs)", pytrace=False)
    pytest.skip(reason)


def require_docker_emulation():
    probe = subprocess.run([DEBIAN_PYTHON, "-c", "import seccomp"], capture_output=True) if os.path.exists(DEBIAN_PYTHON) else None
    _require(probe is not None and probe.returncode == 0, "no libseccomp binding for /usr/bin/python3 (Debian package python3-seccomp)")


def docker_job(argv: list[str]) -> list[str]:
    require_docker_emulation()
    return [DEBIAN_PYTHON, str(ROOT / "tools" / "docker_seccomp.py"), *argv]


def require_rtd_emulation():
    _require(os.geteuid() == 0 and shutil.which("setpriv") is not None,
             "becoming a non-root builder needs root and setpriv (util-linux)")


def rtd_builder(argv: list[str]) -> list[str]:
    """argv as user nobody, without new privileges (sudo cannot raise them), able to read but not write others' files."""
    require_rtd_emulation()
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--no-new-privs",
            "--inh-caps=-all,+dac_read_search", "--ambient-caps=+dac_read_search", *argv]


def working_tree_copy(target, owner: int | None = None):
    """The repository as a checkout would have it, with this tree's uncommitted edits, and its git history."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / rel)
    shutil.copytree(ROOT / ".git", target / ".git", symlinks=True)
    if owner is not None:
        subprocess.run(["chown", "-R", f"{owner}:{owner}", str(target)], check=True)
    return target


def venv_view(target, venv=ROOT / ".venv"):
    """A virtualenv folder that is `venv` (each entry a link) but for its own `.installed`: a host's
    environment with requirements.txt installed, without installing it again offline.

    Its interpreters (bin/python*) are copies, not links into this machine's Python (under /root
    here): a builder reaches that only through CAP_DAC_READ_SEARCH (rtd_builder), and GNU make runs
    a plain recipe line by searching the program with access(), which for a user other than root
    drops every capability ("make: …/bin/python: Permission denied", Error 127). On a real host the
    builder owns its Python. The copies read their standard library through pyvenv.cfg's `home`."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in venv.resolve().iterdir():
        if entry.name not in (".installed", "bin"):
            (target / entry.name).symlink_to(entry)
    (target / "bin").mkdir(exist_ok=True)
    for entry in (venv.resolve() / "bin").iterdir():
        if entry.name.startswith("python") and entry.resolve().is_file():
            shutil.copy2(entry.resolve(), target / "bin" / entry.name)
        else:
            (target / "bin" / entry.name).symlink_to(entry)
    return target
