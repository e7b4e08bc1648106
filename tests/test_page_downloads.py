"""「下载本页代码」: every page's notebook and script run on their own and reproduce the page.

The pages and their expected outputs come from the built site's doctrees (the doctest
nodes, parsed with doctest's own parser), not from the downloads: a download that drops
an example, or prints something else, fails here with the page's `file:line`.
Each download runs in its own empty temporary folder, offline where the kernel allows it
(`unshare -rn`), with the project venv's Python and an ipykernel; all of them run in
parallel, one per CPU.
"""

from __future__ import annotations

import doctest
import functools
import os
import pickle
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

ROOT = Path(__file__).resolve().parents[1]
CONF = runpy.run_path(str(ROOT / "conf.py"))
DEFAULT_FLAGS = CONF["doctest_default_flags"]  # the site's: ELLIPSIS, exact messages

TIMEOUT = 600
RUN_NOTEBOOK = """
import sys
import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient

book = nbformat.read(sys.argv[1], as_version=4)
manager = KernelManager(kernel_name="python3")
if manager.kernel_spec.argv[0] not in ("python", "python3", sys.executable):
    sys.exit(f"kernel python3 is {manager.kernel_spec.argv[0]}, not this venv's Python")
NotebookClient(book, km=manager, timeout=600, allow_errors=True,
               resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(book, sys.argv[3])
"""


# -- what the page expects, from its doctree --------------------------------------------------------


@dataclass
class Expected:
    line: int
    source: str
    want: str
    exc_msg: str | None
    flags: int

    @property
    def output(self) -> str:
        """What the example prints: its output, or the last line of its traceback."""
        return self.exc_msg if self.exc_msg is not None else self.want


def skipped_here(node: nodes.Element) -> bool:
    """`:skipif:` as sphinx.ext.doctest evaluates it: after the global setup, in this environment."""
    if "skipif" not in node:
        return False
    context: dict = {}
    exec(CONF["doctest_global_setup"], context)  # noqa: S102
    return bool(eval(node["skipif"], context))  # noqa: S307


def page_examples(doctree: nodes.document) -> list[Expected]:
    """The page's examples in page order, as sphinx.ext.doctest runs them (setup and cleanup left out)."""
    found: list[Expected] = []
    parser = doctest.DocTestParser()
    for node in doctree.findall(lambda n: isinstance(n, (nodes.literal_block, nodes.comment)) and "testnodetype" in n):
        if skipped_here(node):
            continue  # a block for another build of torch or another Python, not run here
        text = node["test"] if "test" in node else node.astext()
        kind = node["testnodetype"]
        options = node.get("options", {})
        if kind == "doctest":
            for example in parser.get_examples(text):
                flags = DEFAULT_FLAGS
                for flag, on in {**options, **example.options}.items():
                    flags = flags | flag if on else flags & ~flag
                if flags & doctest.SKIP:
                    continue
                found.append(Expected(node.line + example.lineno, example.source, example.want, example.exc_msg, flags))
        elif kind == "testcode":
            found.append(Expected(node.line, text + "\n", "", None, DEFAULT_FLAGS | doctest.DONT_ACCEPT_BLANKLINE))
        elif kind == "testoutput" and found and found[-1].source and not found[-1].want:
            match = re.match(r"Traceback \(most recent call last\):\n.*?^(?P<msg>\w+.*)", text, re.M | re.S)
            found[-1].want = text + "\n"
            found[-1].exc_msg = match.group("msg") + "\n" if match else None
    return found


def doctrees(site: Path) -> dict[str, nodes.document]:
    trees = {}
    for path in sorted((site / ".doctrees").rglob("*.doctree")):
        with path.open("rb") as file:
            trees[path.relative_to(site / ".doctrees").with_suffix("").as_posix()] = pickle.load(file)
    return trees


def source_of(doctree: nodes.document, root: Path) -> str:
    source = Path(doctree["source"])
    return source.relative_to(root).as_posix() if source.is_relative_to(root) else source.as_posix()


# -- running the downloads ---------------------------------------------------------------------------


@functools.cache
def can_unshare() -> bool:
    return bool(shutil.which("unshare") and shutil.which("ip")) and subprocess.run(
        ["unshare", "-rn", "ip", "link", "set", "lo", "up"], capture_output=True).returncode == 0


def offline(command: list[str]) -> list[str]:
    """`command` without network where unprivileged user namespaces exist; loopback stays up for the kernel."""
    if can_unshare():
        return ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    return command


def clean_env() -> dict[str, str]:
    """No PYTHONPATH: the download must not find the repository's examples/."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ}


def run_script(path: Path) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(path, folder)
        return subprocess.run(offline([sys.executable, path.name]), cwd=folder, capture_output=True, text=True,
                              timeout=TIMEOUT, env=clean_env())


def run_notebook(path: Path) -> nbformat.NotebookNode:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder, "run")
        work.mkdir()
        shutil.copy(path, work)
        done = Path(folder, "executed.ipynb")
        result = subprocess.run(offline([sys.executable, "-c", RUN_NOTEBOOK, str(work / path.name), str(work), str(done)]),
                                capture_output=True, text=True, timeout=TIMEOUT, env=clean_env())
        if result.returncode:
            raise AssertionError(f"{path}: nbclient could not run the notebook:\n{result.stderr[-3000:]}")
        return nbformat.read(done, as_version=4)


# -- comparing ----------------------------------------------------------------------------------------------


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cell_output(cell) -> str:
    """What a cell showed, as a doctest would have printed it (stderr, e.g. warnings, ignored)."""
    text = ""
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stdout":
            text += output.text
        elif output.output_type in ("execute_result", "display_data"):
            text += output.data.get("text/plain", "") + "\n"
        elif output.output_type == "error":  # the traceback's last line(s): `Type: message`
            lines = ANSI.sub("", output.traceback[-1] if output.traceback else "").splitlines()
            start = next((i for i, line in enumerate(lines) if line.startswith(output.ename)), None)
            if not output.evalue:  # IPython writes `StopIteration:` where Python writes `StopIteration`
                text += f"{output.ename}\n"
            else:
                text += "\n".join(lines[start:]) + "\n" if start is not None else f"{output.ename}: {output.evalue}\n"
    return text


def unqualified(exc_msg: str) -> str:
    """`json.decoder.JSONDecodeError: x` -> `JSONDecodeError: x`: Jupyter names the class only."""
    return re.sub(r"^[\w.]+\.(?=\w+(:|$))", "", exc_msg, count=1)


def check(want: str, got: str, flags: int) -> str | None:
    checker = doctest.OutputChecker()
    if checker.check_output(want, got, flags):
        return None
    return checker.output_difference(doctest.Example("", want), got, flags).rstrip()


def notebook_problems(book, expected: list[Expected], source: str) -> list[str]:
    """Every page cell holds the page's code and shows the page's output; nothing else fails."""
    problems = []
    cells = [cell for cell in book.cells if cell.cell_type == "code" and cell.get("id", "").startswith("line-")]
    code = "".join(cell.source + "\n" for cell in cells)
    if code != "".join(example.source for example in expected):
        problems.append(f"{source}: the notebook's code is not the page's code, example for example")
    starts = [int(cell.id.removeprefix("line-")) for cell in cells]
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        if cell in cells:
            index = cells.index(cell)
            end = starts[index + 1] if index + 1 < len(starts) else float("inf")
            mine = [example for example in expected if starts[index] <= example.line < end]
        else:
            mine = []
        where = f"{source}:{mine[0].line}" if mine else f"{source} (notebook cell {cell.get('id')})"
        raises = bool(mine) and mine[-1].exc_msg is not None
        if raises != ("raises-exception" in cell.metadata.get("tags", [])):
            problems.append(f"{where}: the cell {'lacks' if raises else 'has'} the raises-exception tag")
        errors = [output for output in cell.get("outputs", []) if output.output_type == "error"]
        if errors and not raises:
            problems.append(f"{where}: {errors[0].ename}: {errors[0].evalue}")
            continue
        if not mine:
            continue
        want = "".join(unqualified(example.output) if example.exc_msg else example.output for example in mine)
        difference = check(want, cell_output(cell), mine[-1].flags)
        if difference:
            problems.append(f"{source}:{mine[-1].line}: the notebook shows other output than the page.\n{difference}")
    return problems


def script_problems(result: subprocess.CompletedProcess, expected: list[Expected], source: str, name: str) -> list[str]:
    if result.returncode:
        return [f"{source}: python {name} exited with {result.returncode}:\n{result.stderr[-2000:].rstrip()}"]
    # One stream for the whole script: blank-line markers resolved per example, other flags joined.
    want = "".join(example.output if example.flags & doctest.DONT_ACCEPT_BLANKLINE
                   else re.sub(r"^<BLANKLINE>$", "", example.output, flags=re.M) for example in expected)
    flags = doctest.DONT_ACCEPT_BLANKLINE
    for example in expected:
        flags |= example.flags
    difference = check(want, result.stdout, flags)
    if not difference:
        return []
    got = result.stdout.splitlines()
    line = 0
    for example in expected:
        lines = example.output.splitlines()
        if [g for g in got[line:line + len(lines)]] != [("" if w == "<BLANKLINE>" else w) for w in lines]:
            return [f"{source}:{example.line}: python {name} prints other output than the page from here on.\n{difference}"]
        line += len(lines)
    return [f"{source}: python {name} prints other output than the page.\n{difference}"]


# -- the site ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_pages(built_site):
    """docname -> (doctree, expected examples) for every built page with doctests."""
    return {docname: (tree, page_examples(tree)) for docname, tree in doctrees(built_site).items()
            if page_examples(tree)}


RUNNERS = {"test_notebook_runs_and_reproduces_the_page": ("ipynb", run_notebook),
           "test_script_runs_and_reproduces_the_page": ("py", run_script)}


@pytest.fixture(scope="session")
def site_runs(request, built_site, site_pages):
    """The downloads that the selected tests check, all started at once, one per CPU; tests wait for theirs."""
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
    runs = {}
    for item in request.session.items:
        if item.originalname in RUNNERS and item.callspec.params["docname"] in site_pages:
            suffix, run = RUNNERS[item.originalname]
            docname = item.callspec.params["docname"]
            runs[docname, suffix] = pool.submit(run, built_site / f"{docname}.{suffix}")
    yield runs
    pool.shutdown(cancel_futures=True)


def docnames_with_examples():
    """The pages to parametrize over: every doctree with doctests in the built site, else none."""
    site = Path(os.environ.get("MEMO_SITE_DIR", ROOT / "_build" / "html"))
    if not (site / ".doctrees").is_dir():
        return ["(site not built)"]
    return [docname for docname, tree in doctrees(site).items() if page_examples(tree)] or ["(no pages)"]


PAGES = docnames_with_examples()


def test_downloads_exist_exactly_for_pages_with_examples(built_site, site_pages):
    pages_with_downloads = {path.relative_to(built_site).with_suffix("").as_posix()
                            for path in built_site.rglob("*.ipynb")}
    assert pages_with_downloads == set(site_pages), "a page with doctests lacks downloads, or a page without has them"
    assert site_pages, "the built site's doctrees hold no doctests"


@pytest.mark.parametrize("docname", PAGES)
def test_page_links_both_downloads_under_its_takeaway(built_site, site_pages, docname):
    html = (built_site / f"{docname}.html").read_text(encoding="utf-8")
    name = Path(docname).name
    link = re.search(r'<p class="page-downloads">下载本页代码：(.*?)</p>', html, re.S)
    assert link, f"{docname}.html has no 「下载本页代码」 line"
    hrefs = re.findall(r'<a [^>]*download="" href="([^"]+)"', link.group(1))
    assert hrefs == [f"{name}.ipynb", f"{name}.py"], hrefs
    assert all((built_site / docname).with_name(href).is_file() for href in hrefs)
    assert re.search(r'<div class="[^"]*\btakeaway\b[^"]*">(?:(?!</div>).)*</div>\s*<p class="page-downloads">', html, re.S), \
        "the links are not right under the takeaway"


@pytest.mark.parametrize("docname", PAGES)
def test_notebook_is_valid_and_opens_with_the_page_outputs(built_site, site_pages, docname):
    book = nbformat.read(built_site / f"{docname}.ipynb", as_version=4)
    nbformat.validate(book)
    tree, expected = site_pages[docname]
    problems = notebook_problems(book, expected, source_of(tree, ROOT))  # the stored outputs already match
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("docname", PAGES)
def test_notebook_runs_and_reproduces_the_page(site_pages, site_runs, docname):
    tree, expected = site_pages[docname]
    problems = notebook_problems(site_runs[docname, "ipynb"].result(), expected, source_of(tree, ROOT))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("docname", PAGES)
def test_script_runs_and_reproduces_the_page(site_pages, site_runs, docname):
    tree, expected = site_pages[docname]
    result = site_runs[docname, "py"].result()
    problems = script_problems(result, expected, source_of(tree, ROOT), f"{Path(docname).name}.py")
    assert not problems, "\n".join(problems)


def test_break_a_site_script_that_drops_an_import_fails(built_site, site_pages, tmp_path):
    """The first page that imports from examples/, with that import line deleted."""
    for docname, (tree, expected) in site_pages.items():
        script = (built_site / f"{docname}.py").read_text(encoding="utf-8")
        imports = [line for line in script.splitlines() if line.startswith("from examples.")]
        if imports:
            break
    else:
        pytest.fail("no page imports from examples/")
    broken = tmp_path / f"{Path(docname).name}.py"
    broken.write_text(script.replace(imports[0] + "\n", "", 1), encoding="utf-8")
    problems = script_problems(run_script(broken), expected, source_of(tree, ROOT), broken.name)
    assert problems and "NameError" in problems[0], problems


# -- the extension on a tiny project ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(rootdir, tmp_path_factory):
    """The test-page-downloads root, built once for the tests below."""
    srcdir = tmp_path_factory.mktemp("page-downloads")
    shutil.copytree(rootdir / "test-page-downloads", srcdir, dirs_exist_ok=True)
    app = SphinxTestApp("html", srcdir=srcdir)
    try:
        app.build()
        yield app, page_examples(app.env.get_doctree("guide/counting")), "guide/counting.md"
    finally:
        app.cleanup()


def test_demo_downloads_follow_the_page(demo):
    app, expected, _ = demo
    out = Path(app.outdir)
    assert not (out / "nocode.ipynb").exists() and not (out / "nocode.py").exists()
    assert "page-downloads" not in (out / "nocode.html").read_text(encoding="utf-8")
    book = nbformat.read(out / "guide" / "counting.ipynb", as_version=4)
    nbformat.validate(book)
    ids = [cell.id for cell in book.cells]
    setup = ids.index("setup-note")
    assert ids[0] == "title" and ids[setup:setup + 3] == ["setup-note", "setup", "setup-1"]
    cell = {c.id: c for c in book.cells}
    assert cell["setup"].source == app.config.doctest_global_setup and cell["setup-1"].source == "HIDDEN = 5"
    # the modules come before the setup, which may import one of them
    assert ids.index("module-demo-examples-words") < ids.index("module-demo-examples-counting") < setup
    assert book.cells[0].source.startswith("# Counting `up`\n\n> `count_up()` counts **up**.\n\n")
    headings = [cell.source for cell in book.cells[1:] if cell.cell_type == "markdown" and cell.source.startswith("#")]
    assert headings == ["## Examples\n\n### Basics", "### testcode"]
    tagged = [cell.source for cell in book.cells if "raises-exception" in cell.metadata.get("tags", [])]
    assert tagged == ["name_of(4)", "math.sqrt(-1)         # a comment: no real root", "lambda n: return n",
                      'import json\njson.loads("{")']
    first = next(cell for cell in book.cells if cell.id == "line-20")
    assert first.outputs[0].output_type == "execute_result" and first.outputs[0].data["text/plain"] == "[10, 11, 12]"
    script = (out / "guide" / "counting.py").read_text(encoding="utf-8")
    assert "show(numbers)\n#> [10, 11, 12]\n" in script
    assert 'print("a\\n\\nb")\n#> a\n#>\n#> b\n' in script
    assert "for n in numbers:\n    show(n % 2)\n#> 0\n" in script
    assert "except KeyError as error:\n    show_error(error)\n#> KeyError: 4\n" in script
    assert "except Exception as error:\n    show_error(error)\n#> json.decoder.JSONDecodeError: " in script
    assert 'compile(r"lambda n: return n", "<stdin>", "single")\nexcept SyntaxError as error:' in script
    assert "never printed" in script and "START = 10" in script  # the module inline, the setup from conf.py
    html = (out / "guide" / "counting.html").read_text(encoding="utf-8")
    assert re.search(r'</div>\s*<p class="page-downloads">下载本页代码：<a [^>]*download="" href="counting.ipynb">', html)


def test_demo_downloads_run_and_reproduce_the_page(demo):
    app, expected, source = demo
    out = Path(app.outdir) / "guide"
    with ThreadPoolExecutor(2) as pool:
        book = pool.submit(run_notebook, out / "counting.ipynb")
        script = pool.submit(run_script, out / "counting.py")
        assert notebook_problems(book.result(), expected, source) == []
        assert script_problems(script.result(), expected, source, "counting.py") == []
    assert script.result().stdout.startswith("[10, 11, 12]\n")


def test_demo_setup_is_read_from_the_config(make_app, rootdir, tmp_path):
    shutil.copytree(rootdir / "test-page-downloads", tmp_path, dirs_exist_ok=True)
    app = make_app("html", srcdir=tmp_path, confoverrides={"doctest_global_setup": "import math\nSTART = 20"})
    app.build()
    book = nbformat.read(Path(app.outdir, "guide", "counting.ipynb"), as_version=4)
    assert next(cell for cell in book.cells if cell.id == "setup").source == "import math\nSTART = 20"
    assert "START = 20" in Path(app.outdir, "guide", "counting.py").read_text(encoding="utf-8")


def break_and_check(demo, tmp_path, change) -> tuple[list[str], list[str]]:
    app, expected, source = demo
    out = Path(app.outdir) / "guide"
    book = nbformat.read(out / "counting.ipynb", as_version=4)
    for cell in book.cells:
        cell.source = change(cell.source)
    nbformat.write(book, tmp_path / "counting.ipynb")
    (tmp_path / "counting.py").write_text(change((out / "counting.py").read_text(encoding="utf-8")), encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:
        book = pool.submit(run_notebook, tmp_path / "counting.ipynb")
        script = pool.submit(run_script, tmp_path / "counting.py")
        return notebook_problems(book.result(), expected, source), script_problems(script.result(), expected, source, "counting.py")


def test_break_a_download_that_drops_an_import_fails(demo, tmp_path):
    notebook, script = break_and_check(demo, tmp_path, lambda text: text.replace(
        "from demo_examples.counting import count_up, name_of\n", ""))
    assert any(problem.startswith("guide/counting.md:20: NameError: name 'count_up' is not defined")
               for problem in notebook), notebook
    assert script and "NameError: name 'count_up' is not defined" in script[0], script


def test_break_a_download_whose_output_differs_fails(demo, tmp_path):
    notebook, script = break_and_check(demo, tmp_path, lambda text: text.replace("START = 10", "START = 11"))
    assert notebook[0].startswith("guide/counting.md:22: the notebook shows other output than the page."), notebook
    assert "[11, 12, 13]" in notebook[0]
    assert script and script[0].startswith("guide/counting.md:22: python counting.py prints other output"), script


# -- the header says what the download was tested with; the harness is folded away -----------------


def test_downloads_name_the_tested_versions_and_fold_the_harness(demo):
    import importlib.metadata

    from page_downloads import requirements

    app, _expected, _ = demo
    out = Path(app.outdir)
    python = ".".join(map(str, sys.version_info[:3]))
    script = (out / "guide" / "counting.py").read_text(encoding="utf-8")
    header = script.split("\n\n", 1)[0]
    assert f"# 测试环境：Python {python}。" in header and "pip install" not in header, header  # the demo imports only the standard library
    book = nbformat.read(out / "guide" / "counting.ipynb", as_version=4)
    assert f"测试环境：Python {python}。" in book.cells[0].source
    hidden = [cell.id for cell in book.cells if cell.metadata.get("jupyter", {}).get("source_hidden")]
    shown = [cell.id for cell in book.cells if cell.cell_type == "code" and cell.id not in hidden]
    assert {"setup", "setup-1", "display", "add-module"} <= set(hidden), hidden
    assert shown and all(cell_id.startswith("line-") for cell_id in shown), shown
    numpy = importlib.metadata.version("numpy")
    assert requirements(["import numpy as np", "import json"], [], []) == [f"numpy=={numpy}"]
    assert requirements(["from torch import nn"], [], []) == [f"torch=={importlib.metadata.version('torch').split('+')[0]}"]
