"""A pytest plugin for `make bench-test` (tools/bench.py): counts the expensive starts of a run.

Sphinx applications built in the test process, sphinx-build and real `make` subprocesses,
Chromium launches and page loads, notebook kernels and download scripts started. Each
process (each xdist worker) writes its counts to $PYTEST_COUNTS_DIR/<worker>.json; bench.py
adds them up. Load it with `-p pytest_counts` and tools/ on PYTHONPATH.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
from pathlib import Path

counts: collections.Counter = collections.Counter()


def kind_of(argv) -> str | None:
    """What a subprocess is, from its command line (None: not counted)."""
    text = argv if isinstance(argv, str) else " ".join(map(str, argv))
    if "KernelManager" in text:  # tests/test_page_downloads.py's notebook runner: one kernel each
        return "notebook kernels"
    if "-m sphinx " in text or "sphinx-build" in text:
        return "sphinx-build subprocesses"
    words = text.split()
    if words[:1] == ["make"]:
        return None if {"-n", "-pRrq"} & set(words) else "make subprocesses (real)"
    if words and words[-1].endswith(".py") and "python" in text:
        return "python scripts"
    return None


def wrap(owner, name: str, label: str) -> None:
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        counts[label] += 1
        return original(*args, **kwargs)

    setattr(owner, name, counted)


original_popen_init = subprocess.Popen.__init__


def popen_init(self, args, *rest, **kwargs):
    kind = kind_of(args)
    if kind:
        counts[kind] += 1
    original_popen_init(self, args, *rest, **kwargs)


def pytest_configure(config):
    import sphinx.application

    subprocess.Popen.__init__ = popen_init
    wrap(sphinx.application.Sphinx, "build", "Sphinx builds (in the test process)")
    try:
        from playwright.sync_api._generated import Browser, BrowserType, Page
    except ImportError:
        return
    wrap(BrowserType, "launch", "Chromium launches")
    wrap(Browser, "new_context", "browser contexts")
    wrap(Page, "goto", "page loads (goto)")


def pytest_unconfigure(config):
    folder = os.environ.get("PYTEST_COUNTS_DIR")
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{worker}.json").write_text(json.dumps(dict(counts), indent=1), encoding="utf-8")
