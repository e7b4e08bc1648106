"""How the tests run the project's own commands: `make` (dry or real) and `sphinx-build`."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

from site_build import ROOT


def make(*args: str, dry_run: bool = True, env: dict | None = None, cwd=ROOT) -> subprocess.CompletedProcess:
    """`make -n ARGS` (or the real thing) in the repository, as a reader types it: outside
    the make that may be running pytest (its MAKEFLAGS and CI would leak in otherwise)."""
    base = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "CI")}
    command = ["make", "--no-print-directory", *(["-n"] if dry_run else []), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**base, **(env or {})}, timeout=600)


def sphinx_calls(make_output: str) -> list[list[str]]:
    """The sphinx-build command lines in the output of `make -n`, as argv lists."""
    return [shlex.split(line) for line in make_output.splitlines() if "sphinx-build" in line]


def html_output_dirs(make_output: str) -> list[str]:
    """Where the sphinx-build calls of `make -n` write HTML (the last argument of `-b html`)."""
    return [argv[-1] for argv in sphinx_calls(make_output) if "-b" in argv and argv[argv.index("-b") + 1] == "html"]


def sphinx_build(*args: str, cwd=ROOT, offline: bool = False, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m sphinx ARGS`, inside a network namespace without a network when `offline`."""
    command = [sys.executable, "-m", "sphinx", "--no-color", *args]  # plain messages even where CI=true colours them
    if offline:
        command = ["unshare", "-rn", *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})} if env else None)
