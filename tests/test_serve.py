"""tools/serve.py (`make serve`): sphinx-autobuild with each rebuild forked from a warm server.

What a writer relies on, on a tiny project served for real: a saved page shows up, an
edit to the project's own extension code reaches the next build (the server never keeps
the site's modules: sphinx-autobuild#148), and a failing build leaves the server running
so that the fix shows up too. Speed is measured by `make bench`, not here.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import serve
from site_build import ROOT

CONF = """\
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent / "_ext"))
extensions = ["myst_parser", "stamp"]
"""
STAMP = """\
def setup(app):
    app.connect("source-read", lambda app, docname, source: source.__setitem__(0, source[0] + "\\n\\n{text}\\n"))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, what: str, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout:.0f} s; server log ({log}):\n{log.read_text(encoding='utf-8')[-3000:]}")


def page_text(out: Path) -> str:
    page = out / "index.html"
    return page.read_text(encoding="utf-8") if page.is_file() else ""


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def served(tmp_path):
    project = tmp_path / "project"
    (project / "_ext").mkdir(parents=True)
    save(project / "conf.py", CONF)
    save(project / "_ext" / "stamp.py", STAMP.format(text="STAMP-ONE"))
    save(project / "index.md", "# Title\n\nFIRST-TEXT\n")
    out, log = tmp_path / "out", tmp_path / "serve.log"
    port = free_port()
    with log.open("w", encoding="utf-8") as sink:
        server = subprocess.Popen(
            [sys.executable, str(ROOT / "tools" / "serve.py"), str(project), str(out), "--port", str(port),
             "--watch", str(project / "_ext")],
            cwd=project, stdout=sink, stderr=subprocess.STDOUT)
    try:
        def listening():
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2).read()
                return True
            except OSError:
                return server.poll() is not None  # a server that died fails below, with its log
        wait_until(listening, "the server did not start", log)
        assert server.poll() is None, f"the server exited ({server.returncode}); log:\n{log.read_text(encoding='utf-8')}"
        yield project, out, log, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_saved_page_and_edited_extension_code_reach_the_next_build(served):
    project, out, log, server = served
    assert "FIRST-TEXT" in page_text(out) and "STAMP-ONE" in page_text(out)
    save(project / "index.md", "# Title\n\nSECOND-TEXT\n")
    wait_until(lambda: "SECOND-TEXT" in page_text(out), "the saved page was not rebuilt", log)
    save(project / "_ext" / "stamp.py", STAMP.format(text="STAMP-TWO"))
    save(project / "index.md", "# Title\n\nTHIRD-TEXT\n")  # the extension acts on pages that are read again
    wait_until(lambda: "THIRD-TEXT" in page_text(out), "the page was not rebuilt after the extension changed", log)
    assert "STAMP-TWO" in page_text(out), "the build used the server's old copy of the site's own extension"
    assert server.poll() is None


def test_break_a_failing_build_is_reported_and_the_server_keeps_serving(served):
    project, out, log, server = served
    save(project / "_ext" / "stamp.py", "raise RuntimeError('BROKEN-EXTENSION')\n")
    wait_until(lambda: "Sphinx exited with exit code" in log.read_text(encoding="utf-8"), "the failure was not reported", log)
    assert "BROKEN-EXTENSION" in log.read_text(encoding="utf-8")
    assert server.poll() is None, "the server stopped after a failing build"
    save(project / "_ext" / "stamp.py", STAMP.format(text="STAMP-FIXED"))
    save(project / "index.md", "# Title\n\nAFTER-FIX\n")
    wait_until(lambda: "AFTER-FIX" in page_text(out) and "STAMP-FIXED" in page_text(out), "the fix did not show", log)


def test_only_installed_modules_are_preloaded():
    import sphinx.application
    import zh_search

    assert serve.is_installed(sphinx.application) and serve.is_installed(sys)
    assert not serve.is_installed(zh_search) and not serve.is_installed(serve)
    assert "sphinx.application" in serve.installed_modules() and "zh_search" not in serve.installed_modules()


def test_pre_and_post_build_commands_run_as_before():
    done = serve.ForkedSphinx.run([sys.executable, "-c", "print('pre-build')"], check=True, capture_output=True, text=True)
    assert done.stdout == "pre-build\n"
