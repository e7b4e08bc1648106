"""Run every page's doctests with the standard library alone: the benchmark's floor.

This is what `make doctest` does minus Sphinx: the same {testsetup}, {doctest}
and {testcode}/{testoutput} blocks, the same global setup from conf.py, one
namespace per page shared by its blocks (Sphinx's default group), the blocks that
`:skipif:` or `:pyversion:` leave out left out, all in one Python process. `tools/bench.py` times it
against `make doctest` to measure Sphinx's overhead.

Usage: python tools/doctest_floor.py [DOCS_DIR]
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^(`{3,})\{(doctest|testsetup|testcode|testoutput)\}[^\n]*\n(.*?)^\1\s*$", re.M | re.S)
OPTION = re.compile(r"^:([\w-]+):(.*)\n", re.M)


def global_setup() -> str:
    source = (ROOT / "conf.py").read_text(encoding="utf-8")
    setup = re.search(r'^doctest_global_setup = """(.*?)"""', source, re.M | re.S)
    return setup.group(1) if setup else ""


def page_blocks(page: Path) -> list[tuple[str, str, int, dict[str, str]]]:
    text = page.read_text(encoding="utf-8")
    blocks = []
    for match in BLOCK.finditer(text):
        options = {name: value.strip() for name, value in OPTION.findall(match.group(3))}
        body = OPTION.sub("", match.group(3))
        line = text.count("\n", 0, match.start()) + 2
        blocks.append((match.group(2), body, line, options))
    return blocks


def left_out(options: dict[str, str], setup: str) -> bool:
    """As sphinx.ext.doctest: `:skipif:` evaluated after the global setup, `:pyversion:` a PEP 440 range."""
    if "pyversion" in options:
        from packaging.specifiers import SpecifierSet

        if ".".join(map(str, sys.version_info[:3])) not in SpecifierSet(options["pyversion"].strip('"')):
            return True
    if "skipif" in options:
        context: dict = {}
        exec(setup, context)  # noqa: S102 - our own conf.py
        return bool(eval(options["skipif"], context))  # noqa: S307
    return False


def run_page(page: Path, setup: str, runner: doctest.DocTestRunner) -> None:
    globs: dict = {"__name__": "__main__"}
    exec(setup, globs)  # noqa: S102 - our own conf.py
    blocks = [block for block in page_blocks(page) if not left_out(block[3], setup)]
    for kind, body, _line, _options in blocks:
        if kind == "testsetup":
            exec(body, globs)  # noqa: S102
    pending_code = None
    for kind, body, line, _options in blocks:
        if kind == "doctest":
            test = doctest.DocTestParser().get_doctest(body, globs, page.name, str(page), line)
            test.globs = globs  # one namespace for the page's blocks, as Sphinx's group (DocTest copies it)
            runner.run(test, clear_globs=False)
        elif kind == "testcode":
            pending_code = body
        elif kind == "testoutput" and pending_code is not None:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(pending_code, globs)  # noqa: S102
            if out.getvalue().strip() != body.strip():
                runner.failures += 1
            pending_code = None


def main(argv: list[str]) -> int:
    docs = Path(argv[0]) if argv else ROOT / "docs"
    sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]  # as conf.py: doctest_page_state, examples
    flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1
    runner = doctest.DocTestRunner(optionflags=flags)
    runner.failures = 0
    setup = global_setup()
    pages = sorted(p for p in docs.rglob("*.md") if "_build" not in p.parts)
    for page in pages:
        run_page(page, setup, runner)
    result = runner.summarize(verbose=False)
    failures = result.failed + runner.failures
    print(f"{len(pages)} pages, {result.attempted} examples, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
