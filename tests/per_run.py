"""Things made once per test run and shared by every pytest-xdist worker (and by a serial run).

A session fixture is made once per worker. When making it is expensive (an archive, a
build), `made_once` makes it once for the whole run instead: the first worker to ask
makes it under a file lock, the others wait and reuse it. The result must not depend on
which worker made it, and no test may write into it (copy it first).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock


def run_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this run: shared by its xdist workers (each has a subfolder)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder run_temp/<name>, filled by make(folder) once per run; later callers wait for it."""
    root = run_temp(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a run that failed half-way
            folder.mkdir()
            make(folder)
            done.touch()
    return folder
