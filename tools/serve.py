"""`make serve`: sphinx-autobuild, with each rebuild forked from a process that has Sphinx loaded.

sphinx-autobuild rebuilds by running `python -m sphinx build ...` as a new process (it
stopped building in its own process because a long-lived process keeps modules the
writer has since edited: sphinx-autobuild#148). On this site a new process spends about
half of a one-page preview rebuild importing Sphinx, the theme and matplotlib, and
tearing them down again at exit.

This keeps all of sphinx-autobuild (its arguments, watcher, server and live reload) and
changes only how that one command runs: in a child forked from the server. The first
build tells the server which installed modules (standard library and site-packages) a
build imports, and the server imports them once, so later children start with them
loaded. Every build still starts from the same clean state and exits, as the plain
command does. The site's own code (conf.py, _ext/, examples/) is never imported by the
server, so an edit to it reaches the next build; a change to the installed packages
needs a restart, as with any server.

Usage: python tools/serve.py [sphinx-autobuild arguments]
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import subprocess
import sys
import sysconfig
from pathlib import Path

import sphinx_autobuild.build
from sphinx_autobuild.__main__ import main

FORK = multiprocessing.get_context("fork")
INSTALLED = tuple({Path(sysconfig.get_path(key)).resolve() for key in ("stdlib", "platstdlib", "purelib", "platlib")})


def is_installed(module) -> bool:
    """Built in, or loaded from the standard library or site-packages (not the site's own code)."""
    file = getattr(module, "__file__", None)
    return file is None or any(Path(file).resolve().is_relative_to(root) for root in INSTALLED)


def installed_modules() -> list[str]:
    return sorted(name for name, module in list(sys.modules.items())
                  if name not in ("__main__", "__mp_main__") and is_installed(module))


def preload(names: list[str]) -> None:
    for name in names:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a module that imports only in its own context: the build imports it
                pass


def build_in_child(args: list[str], report) -> None:
    from sphinx.cmd.build import main as sphinx_build

    try:
        code = sphinx_build(args)
    finally:
        report.send(installed_modules())
        report.close()
    sys.exit(code)


class ForkedSphinx:
    """Stands in for the `subprocess` module inside sphinx_autobuild.build."""

    CalledProcessError = subprocess.CalledProcessError

    @staticmethod
    def run(command, check=False, **kwargs):
        if list(command[:3]) != [sys.executable, "-m", "sphinx"]:  # --pre-build and --post-build commands
            return subprocess.run(command, check=check, **kwargs)
        reader, writer = FORK.Pipe(duplex=False)
        gc.freeze()  # the child's collections then skip the server's objects (and do not copy their pages)
        child = FORK.Process(target=build_in_child, args=(list(command[3:]), writer), name="sphinx-build")
        child.start()
        writer.close()
        try:
            imported = reader.recv()
        except EOFError:  # the child died before reporting
            imported = []
        child.join()
        if multiprocessing.parent_process() is None:  # the server itself (the first build): warm up
            preload(imported)
        if check and child.exitcode:
            raise subprocess.CalledProcessError(child.exitcode, command)
        return subprocess.CompletedProcess(command, child.exitcode)


if __name__ == "__main__":
    sphinx_autobuild.build.subprocess = ForkedSphinx
    sys.exit(main(sys.argv[1:]))
