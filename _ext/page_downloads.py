"""「下载本页代码：.ipynb / .py」: every page's examples as a notebook and a script.

For each page with doctest blocks (``{doctest}``, ``{testcode}``/``{testoutput}``,
``{testsetup}``, ``{testcleanup}``), the HTML build writes ``<page>.ipynb`` and
``<page>.py`` next to ``<page>.html`` and links them under the page's takeaway.
Both are made from the doctest nodes that sphinx.ext.doctest puts in the doctree,
parsed with its own ``DocTestParser``, in page order:

- first the modules that the page and the setup import from
  ``page_downloads_inline_packages`` (``examples``, ``doctest_page_state``), their
  source carried inline and registered in ``sys.modules``. The page's own
  ``from examples.x import y`` line then runs unchanged, and one file runs anywhere:
  in an empty folder, in Colab, sent by mail;
- then the page's setup: ``doctest_global_setup`` as the build's config has it,
  then the page's ``{testsetup}`` blocks (Sphinx runs them before the tests too);
- then a Markdown cell per section heading and a code cell per run of examples that
  ends in output, with the page's expected output filled in. A cell that shows an
  exception has its own cell tagged ``raises-exception`` (Jupyter and nbclient run on).

The script has the same cells (jupytext "percent" markers), prints what the ``>>>``
prompt would print (``show(value)`` is ``sys.displayhook``), catches demonstrated
exceptions and prints their last line, and keeps every expected output as a
``#>`` comment below its code.

Sphinx runs each doctest group in its own namespace; a download runs all of a page's
blocks in one, in page order. tests/test_page_downloads.py runs every download and
compares its output with the page's.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import functools
import importlib.metadata
import importlib.util
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.ext.doctest import parser as doctest_parser
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from build_cache import BuildCache, digest
from site_builder import is_site

logger = logging.getLogger(__name__)

LINK_TEXT = "下载本页代码："
LINK_CLASS = "page-downloads"
TEST_NODE_TYPES = {"testsetup", "testcleanup", "doctest", "testcode", "testoutput"}
HELPERS = ("show", "show_error", "add_module")


# -- what a page holds -------------------------------------------------------------------


@dataclass
class Example:
    source: str
    want: str  # as doctest expects it, <BLANKLINE> markers included
    line: int  # in the page's source file
    exc_msg: str | None = None  # `Type: message\n` when the example raises
    options: dict[int, bool] = field(default_factory=dict)
    interactive: bool = True  # {doctest}: shows expression values; {testcode}: prints only


@dataclass
class Heading:
    id: str
    title: str  # Markdown
    level: int


@dataclass
class Block:
    kind: str  # "setup", "test" or "cleanup"
    examples: list[Example]
    headings: tuple[Heading, ...] = ()


@dataclass
class PageCode:
    title: str
    takeaway: str
    blocks: list[Block]
    modules: list[str]  # inlined module names, e.g. examples.tensor_layout
    requirements: list[str] = field(default_factory=list)  # ["numpy==2.4.6", "torch==2.13.0"], as tested


# -- reading the doctree ---------------------------------------------------------------------


def inline_markdown(node: nodes.Node) -> str:
    """Heading and takeaway text as Markdown: code in backticks, the rest as text."""
    if isinstance(node, nodes.literal):
        return f"`{node.astext()}`"
    if isinstance(node, nodes.Text):
        return node.astext()
    inner = "".join(inline_markdown(child) for child in node.children)
    if isinstance(node, nodes.strong):
        return f"**{inner}**"
    if isinstance(node, nodes.emphasis):
        return f"*{inner}*"
    return inner


def is_test_node(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.literal_block, nodes.comment)) and "testnodetype" in node


def skipped(node: nodes.Element, config) -> bool:
    """`:skipif:` evaluated as sphinx.ext.doctest does, with the global setup."""
    if "skipif" not in node:
        return False
    context: dict = {}
    exec(config.doctest_global_setup, context)  # noqa: S102
    return bool(eval(node["skipif"], context))  # noqa: S307


def headings_of(node: nodes.Node) -> tuple[Heading, ...]:
    sections = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            sections.append(parent)
        parent = parent.parent
    sections.reverse()
    return tuple(Heading(id=section["ids"][0], title=inline_markdown(section[0]), level=level)
                 for level, section in enumerate(sections, start=1) if level > 1)


def examples_of(node: nodes.Element) -> list[Example]:
    text = node["test"] if "test" in node else node.astext()
    first = node.line or 0  # the first line of code: read_doctree runs after myst_doctest_lines
    kind = node["testnodetype"]
    if kind == "doctest":
        found = []
        for example in doctest_parser.get_examples(text):
            options = {**node.get("options", {}), **example.options}
            if options.get(doctest.SKIP):
                continue
            found.append(Example(example.source, example.want, first + example.lineno, example.exc_msg, options))
        return found
    return [Example(text + "\n", "", first, interactive=False)]


def read_page(doctree: nodes.document, config) -> PageCode | None:
    blocks: list[Block] = []
    for node in doctree.findall(is_test_node):
        if skipped(node, config):
            continue
        kind = node["testnodetype"]
        if kind == "testoutput":
            attach_output(blocks, node)
            continue
        examples = examples_of(node)
        if not examples:
            continue
        role = {"testsetup": "setup", "testcleanup": "cleanup"}.get(kind, "test")
        blocks.append(Block(role, examples, headings_of(node)))
    if not any(block.kind == "test" for block in blocks):
        return None
    top = next(iter(doctree.findall(nodes.section)), None)
    title = inline_markdown(top[0]) if top is not None else ""
    takeaway = next((node for node in doctree.findall(nodes.admonition) if "takeaway" in node["classes"]), None)
    takeaway_text = " ".join(inline_markdown(p) for p in takeaway.findall(nodes.paragraph)) if takeaway else ""
    code = [config.doctest_global_setup] + [ex.source for block in blocks for ex in block.examples]
    modules = inline_modules(code, config.page_downloads_inline_packages)
    return PageCode(title, takeaway_text, blocks, modules, requirements(code, modules, config.page_downloads_inline_packages))


@functools.cache
def _distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


def requirements(code: list[str], modules: list[str], packages: list[str]) -> list[str]:
    """The distributions that the code and its inlined modules import, pinned as installed here
    (the versions the page's doctests ran with; a local build tag like +cpu left out)."""
    texts = code + [module_file(name).read_text(encoding="utf-8") for name in modules]
    tops = {name.split(".")[0] for text in texts for name in imported_modules(text)}
    pins = {f"{dist}=={importlib.metadata.version(dist).split('+')[0]}"
            for top in tops if top not in sys.stdlib_module_names and top not in packages
            for dist in _distributions().get(top, [])}
    return sorted(pins, key=str.lower)


def tested_with(page: PageCode) -> tuple[str, str]:
    """('Python 3.11.7、numpy 2.4.6、torch 2.13.0', 'pip install numpy==2.4.6 torch==2.13.0')."""
    versions = ["Python " + ".".join(map(str, sys.version_info[:3]))] + [pin.replace("==", " ") for pin in page.requirements]
    return "、".join(versions), ("pip install " + " ".join(page.requirements)) if page.requirements else ""


def attach_output(blocks: list[Block], node: nodes.Element) -> None:
    """A {testoutput} belongs to the {testcode} right before it, as in sphinx.ext.doctest."""
    if not blocks or blocks[-1].kind != "test" or blocks[-1].examples[-1].interactive:
        return
    example = blocks[-1].examples[-1]
    output = node["test"] if "test" in node else node.astext()
    example.want = output + "\n" if output else ""
    match = doctest_parser._EXCEPTION_RE.match(output)  # the pattern sphinx.ext.doctest uses
    example.exc_msg = match.group("msg") if match else None
    example.options = {**node.get("options", {}), doctest.DONT_ACCEPT_BLANKLINE: True}


# -- modules carried inline ----------------------------------------------------------------------


def imported_modules(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def inline_modules(code: list[str], packages: list[str]) -> list[str]:
    """Modules of `packages` that the code imports, and those they import, dependencies first."""
    ordered: list[str] = []

    def visit(name: str, seen: set[str]) -> None:
        if name in ordered or name in seen:
            return
        path = module_file(name)
        if path is None or path.name == "__init__.py":
            return
        seen.add(name)
        for dependency in sorted(imported_modules(path.read_text(encoding="utf-8"))):
            if dependency.split(".")[0] in packages:
                visit(dependency, seen)
        ordered.append(name)

    for name in sorted(set().union(*(imported_modules(text) for text in code))):
        if name.split(".")[0] in packages:
            visit(name, set())
    return ordered


def python_literal(text: str) -> str:
    """`text` as a readable raw string literal when one round-trips, else repr()."""
    for quote in ('"', "'", "'''", '"""'):
        candidate = f"r{quote}{text}{quote}"
        try:
            if ast.literal_eval(candidate) == text:
                return candidate
        except (SyntaxError, ValueError):
            pass
    return repr(text)


# -- cells ------------------------------------------------------------------------------------------


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    id: str
    text: str
    examples: list[Example] = field(default_factory=list)

    @property
    def raises(self) -> bool:
        return bool(self.examples) and self.examples[-1].exc_msg is not None


def runs(block: Block) -> list[list[Example]]:
    """A block's examples cut after each output; a raising example starts its own run."""
    groups: list[list[Example]] = [[]]
    for example in block.examples:
        if example.exc_msg is not None and groups[-1]:
            groups.append([])
        groups[-1].append(example)
        if example.want:
            groups.append([])
    return [group for group in groups if group]


def page_cells(page: PageCode) -> list[Cell]:
    """The page's own cells: headings and code, in page order (setup and modules excluded)."""
    cells: list[Cell] = []
    shown: set[str] = set()
    for block in page.blocks:
        if block.kind != "test":
            continue
        new = [heading for heading in block.headings if heading.id not in shown]
        if new:
            shown.update(heading.id for heading in new)
            cell_id = new[-1].id if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", new[-1].id) else f"heading-{len(cells)}"
            cells.append(Cell("markdown", cell_id, "\n\n".join(f"{'#' * h.level} {h.title}" for h in new)))
        for group in runs(block):
            cells.append(Cell("code", f"line-{group[0].line}", "".join(ex.source for ex in group).rstrip("\n"), group))
    return cells


def setup_code(page: PageCode, config) -> list[str]:
    return [config.doctest_global_setup.strip("\n")] + [
        "".join(ex.source for ex in block.examples).rstrip("\n") for block in page.blocks if block.kind == "setup"]


def cleanup_code(page: PageCode, config) -> list[str]:
    code = ["".join(ex.source for ex in block.examples).rstrip("\n") for block in page.blocks if block.kind == "cleanup"]
    return code + ([config.doctest_global_cleanup.strip("\n")] if config.doctest_global_cleanup.strip() else [])


def module_name_to_id(name: str) -> str:
    return "module-" + re.sub(r"[^A-Za-z0-9-]", "-", name)


ADD_MODULE = '''\
import sys
import types


def add_module(name, source):
    """把 source 当作模块 name 运行并放进 sys.modules，之后 import name 就能找到它，不需要文件。"""
    module = types.ModuleType(name)
    module.__file__ = name.replace(".", "/") + ".py"
    sys.modules[name] = module
    package, _, child = name.rpartition(".")
    if package:
        if package not in sys.modules:
            sys.modules[package] = types.ModuleType(package)
            sys.modules[package].__path__ = []  # 没有文件夹的包：它的模块都由 add_module 放进来
        setattr(sys.modules[package], child, module)
    exec(compile(source, module.__file__, "exec"), module.__dict__)'''


def module_cells(page: PageCode) -> list[Cell]:
    if not page.modules:
        return []
    files = [name.replace(".", "/") + ".py" for name in page.modules]
    intro = ("本页从 " + "、".join(f"`{path}`" for path in files) + " 导入。下面把这些文件的源码原样带上，"
             "注册成可以导入的模块，所以页面上的 `from ... import ...` 一字不改就能运行，"
             "不需要本站仓库里的任何文件。")
    cells = [Cell("markdown", "modules", intro), Cell("code", "add-module", ADD_MODULE)]
    for name in page.modules:
        source = module_file(name).read_text(encoding="utf-8")
        cells.append(Cell("code", module_name_to_id(name), f"add_module({name!r}, {python_literal(source)})"))
    return cells


# -- the notebook --------------------------------------------------------------------------------------


JUPYTER_DISPLAY = """\
%config InteractiveShell.ast_node_interactivity = "last"
%config PlainTextFormatter.pprint = False"""


def is_print(node: ast.AST) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name) and node.value.func.id == "print")


def shows_value(example: Example) -> bool:
    """True when the >>> prompt would display the example's value (an Out[] result)."""
    try:
        body = ast.parse(example.source).body
    except SyntaxError:
        return False
    return example.interactive and len(body) == 1 and isinstance(body[0], ast.Expr) and not is_print(body[0])


def plain(want: str) -> str:
    return re.sub(r"^<BLANKLINE>$", "", want, flags=re.M)


def expected_outputs(cell: Cell, count: int) -> list:
    from nbformat.v4 import new_output

    last = cell.examples[-1]
    if last.exc_msg is not None:
        name, _, message = last.exc_msg.rstrip("\n").partition(":")
        return [new_output("error", ename=name.rpartition(".")[2], evalue=message.strip(),
                           traceback=plain(last.want).rstrip("\n").split("\n"))]
    if not last.want:
        return []
    if shows_value(last):
        return [new_output("execute_result", {"text/plain": plain(last.want).rstrip("\n")}, execution_count=count)]
    return [new_output("stream", name="stdout", text=plain(last.want))]


def notebook(page: PageCode, config, url: str):
    """The nbformat notebook: read like the page, outputs already there."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    intro = f"# {page.title}\n\n"
    if page.takeaway:
        intro += f"> {page.takeaway}\n\n"
    intro += (f"本笔记本由页面 <{url}> 上的全部示例按顺序生成，输出就是页面上给出的输出。"
              "说明和图都在页面上；这里只有代码，可以直接修改、重新运行。")
    versions, pip = tested_with(page)
    intro += f"\n\n测试环境：{versions}。" + (f"需要的包：\n\n```\n{pip}\n```" if pip else "")
    intro += "\n\n开头几个折叠起来的单元格是准备工作（本页导入的模块、页面测试的设置），展开即可查看。"
    setup = [Cell("code", "setup" if i == 0 else f"setup-{i}", code) for i, code in enumerate(setup_code(page, config))]
    cells = [
        Cell("markdown", "title", intro),
        *module_cells(page),  # first: the setup itself may import one of them (doctest_page_state)
        Cell("markdown", "setup-note", "页面的测试在运行本页示例之前，先运行下面这段设置（导入、随机种子、打印格式）："),
        *setup,
        Cell("markdown", "display-note", "让 Jupyter 像 `>>>` 提示符那样显示结果：用 `repr()`，`with` 和 `for` 里的表达式也显示。"),
        Cell("code", "display", JUPYTER_DISPLAY),
        *page_cells(page),
        *[Cell("code", f"cleanup-{i}", code) for i, code in enumerate(cleanup_code(page, config))],
    ]
    made = []
    count = 0
    for cell in cells:
        if cell.kind == "markdown":
            made.append(new_markdown_cell(cell.text, id=cell.id))
            continue
        count += 1
        outputs = expected_outputs(cell, count) if cell.examples else []
        metadata = {"tags": ["raises-exception"]} if cell.raises else {}
        if not cell.examples:  # the harness (modules, setup, display): collapsed, the page's examples stay open
            metadata["jupyter"] = {"source_hidden": True}
        made.append(new_code_cell(cell.text, id=cell.id, execution_count=count, outputs=outputs, metadata=metadata))
    book = new_notebook(cells=made, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(book)
    return book


# -- the script -------------------------------------------------------------------------------------------


SHOW = '''\
import sys


def show(value):
    """像 >>> 提示符那样显示一个值：打印 repr(value)；值为 None 时什么也不打印。"""
    sys.displayhook(value)'''

SHOW_ERROR = '''\
import traceback


def show_error(error):
    """打印异常的最后一行"类型: 消息"，也就是页面上 Traceback 的最后一行。"""
    print(traceback.format_exception_only(error)[-1], end="")'''


def byte_offset(lines: list[bytes], line: int, col: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + col


def displayed_expressions(tree: ast.AST) -> list[ast.Expr]:
    """Expression statements the >>> prompt displays: at top level and inside with/for/if/try
    bodies, but not inside functions or classes (CPython's interactive mode, nesting level 1)."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Expr):
            if not is_print(node):
                found.append(node)
        elif isinstance(node, (ast.stmt, ast.excepthandler, ast.match_case)):
            found.extend(displayed_expressions(node))
    return found


def with_show(source: str) -> str:
    """The example's code with every displayed expression `e` written as `show(e)`."""
    tree = ast.parse(source)
    lines = source.encode("utf-8").splitlines(keepends=True)
    data = b"".join(lines)
    for expr in sorted(displayed_expressions(tree), key=lambda e: (e.lineno, e.col_offset), reverse=True):
        value = expr.value
        start = byte_offset(lines, value.lineno, value.col_offset)
        end = byte_offset(lines, value.end_lineno, value.end_col_offset)
        inner = data[start:end].decode("utf-8")
        wrapped = f"show({inner})"
        call = ast.parse(wrapped).body[0].value
        if len(call.args) != 1 or ast.dump(call.args[0]) != ast.dump(value):
            wrapped = f"show(({inner}))"
        data = data[:start] + wrapped.encode("utf-8") + data[end:]
    return data.decode("utf-8")


def comment(text: str, prefix: str = "#>") -> str:
    return "\n".join(f"{prefix} {line}".rstrip() for line in plain(text).rstrip("\n").split("\n"))


def compiles(example: Example) -> bool:
    """False for an example that shows a SyntaxError: the script can only compile() it."""
    try:
        compile(example.source, "<stdin>", "single" if example.interactive else "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


def exception_name(exc_msg: str) -> str:
    name = exc_msg.split(":", 1)[0].strip()
    is_builtin = isinstance(getattr(builtins, name, None), type) and issubclass(getattr(builtins, name), BaseException)
    return name if is_builtin else "Exception"


def script_code(cell: Cell) -> str:
    parts = []
    for example in cell.examples:
        if example.exc_msg is not None and not compiles(example):
            mode = "single" if example.interactive else "exec"
            parts.append(f"try:\n    compile({python_literal(example.source.rstrip())}, \"<stdin>\", \"{mode}\")\n"
                         "except SyntaxError as error:\n    show_error(error)\n" + comment(example.exc_msg) + "\n")
            continue
        if example.exc_msg is not None:
            body = "\n".join(f"    {line}" if line else "" for line in example.source.rstrip("\n").split("\n"))
            parts.append(f"try:\n{body}\nexcept {exception_name(example.exc_msg)} as error:\n    show_error(error)\n"
                         + comment(example.exc_msg) + "\n")
            continue
        code = with_show(example.source) if example.interactive else example.source
        parts.append(code.rstrip("\n") + "\n" + (comment(example.want) + "\n" if example.want else ""))
    return "".join(parts).rstrip("\n")


def script(page: PageCode, config, url: str, name: str) -> str:
    """The .py: the notebook's cells as a plain script that prints the page's outputs."""
    cells = page_cells(page)
    used = {helper for cell in cells if cell.kind == "code"
            for helper, needed in (("show", any(ex.interactive and displayed_expressions(safe_parse(ex.source))
                                                for ex in cell.examples)),
                                   ("show_error", cell.raises)) if needed}
    header = [f"# {page.title}", "#"]
    if page.takeaway:
        header += [f"# 一句话：{page.takeaway}", "#"]
    header += [
        f"# 本文件由页面 {url} 上的全部示例按顺序生成。",
        f"# 测试环境：{tested_with(page)[0]}。",
        *([f"# 需要的包：{tested_with(page)[1]}"] if page.requirements else []),
        "# 每段代码下方以 #> 开头的注释，是页面给出的输出；运行时打印的结果与它相同。",
        f"# 运行：python {name}.py（空目录里也能运行，不联网，也不需要本站仓库里的其他文件）。",
        f"# 同样的内容也有 Jupyter 笔记本：{name}.ipynb。",
    ]
    chunks = ["\n".join(header)]
    for cell in module_cells(page):  # first: the setup itself may import one of them (doctest_page_state)
        chunks.append("# %% [markdown]\n" + comment(cell.text, "#") if cell.kind == "markdown" else "# %%\n" + cell.text)
    chunks.append("# %% 设置：页面的测试在运行本页示例之前先运行这一段\n" + "\n\n".join(setup_code(page, config)))
    helpers = [code for helper, code in (("show", SHOW), ("show_error", SHOW_ERROR)) if helper in used]
    if helpers:
        chunks.append("# %% 两个小工具：像 >>> 提示符那样显示值和异常\n" + "\n\n\n".join(helpers))
    for cell in cells:
        if cell.kind == "markdown":
            chunks.append("# %% [markdown]\n" + comment(cell.text, "#"))
        else:
            chunks.append("# %%\n" + script_code(cell))
    for code in cleanup_code(page, config):
        chunks.append("# %%\n" + code)
    return "\n\n".join(chunks) + "\n"


# -- Sphinx -----------------------------------------------------------------------------------------------


def pages(env) -> dict[str, PageCode]:
    return env.__dict__.setdefault("page_downloads", {})


def read_doctree(app, doctree):
    env = app.env
    page = read_page(doctree, app.config)
    if page is None:
        pages(env).pop(env.docname, None)
        return
    pages(env)[env.docname] = page
    for name in page.modules:
        env.note_dependency(str(module_file(name)))
    used = {node.id for block in page.blocks for ex in block.examples
            for node in ast.walk(safe_parse(ex.source)) if isinstance(node, ast.Name)}
    for helper in sorted(used.intersection(HELPERS)):
        logger.warning("page_downloads: the page uses the name %r, which the downloaded script defines",
                       helper, location=env.docname, type="page_downloads", subtype="name")


def safe_parse(source: str) -> ast.AST:
    try:
        return ast.parse(source)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def download_name(docname: str) -> str:
    return posixpath.basename(docname)


def link_downloads(app, doctree, docname):
    if not is_site(app) or docname not in pages(app.env):
        return
    page_uri = app.builder.get_target_uri(docname)
    paragraph = nodes.paragraph(classes=[LINK_CLASS])
    paragraph += nodes.Text(LINK_TEXT)
    for i, suffix in enumerate((".ipynb", ".py")):
        if i:
            paragraph += nodes.Text(" / ")
        target = relative_uri(page_uri, docname + suffix)
        reference = addnodes.download_reference("", "", refuri=target, classes=[f"download-{suffix[1:]}"])
        reference += nodes.literal(suffix, suffix)
        paragraph += reference
    takeaway = next((node for node in doctree.findall(nodes.admonition) if "takeaway" in node["classes"]), None)
    if takeaway is not None:
        takeaway.parent.insert(takeaway.parent.index(takeaway) + 1, paragraph)
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is not None:
        top.insert(1, paragraph)


def write_downloads(app, exception):
    """Every page's downloads, from the config and examples as they are now."""
    if exception is not None or not is_site(app):
        return
    # Making a notebook costs tens of milliseconds (nbformat validates each cell), so the
    # files of a page whose code, setup and inlined modules are unchanged are reused.
    cache = BuildCache(app, "page_downloads", __file__)
    for docname, page in sorted(pages(app.env).items()):
        name = download_name(docname)
        if name in sys.stdlib_module_names:
            logger.warning("page_downloads: %s.py would shadow the standard library module %r", name, name,
                           location=docname, type="page_downloads", subtype="name")
        url = (app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else "") + \
            app.builder.get_target_uri(docname)
        inputs = digest(repr(page), url, app.config.doctest_global_setup, app.config.doctest_global_cleanup,
                        *(module_file(module).read_bytes() for module in page.modules))
        files = cache.result(docname, inputs, lambda: download_files(page, app.config, url, name))
        out = Path(app.outdir, docname)
        out.parent.mkdir(parents=True, exist_ok=True)
        for suffix, text in files.items():
            write_if_changed(out.with_name(name + suffix), text)
    cache.save()


def download_files(page: PageCode, config, url: str, name: str) -> dict[str, str]:
    import nbformat  # imported here: a build whose downloads all come from the cache never needs it

    return {".ipynb": nbformat.writes(notebook(page, config, url)) + "\n", ".py": script(page, config, url, name)}


def write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def purge_doc(app, env, docname):
    pages(env).pop(docname, None)


def merge_info(app, env, docnames, other):
    theirs = other.__dict__.get("page_downloads", {})
    pages(env).update({docname: theirs[docname] for docname in docnames if docname in theirs})


def setup(app):
    app.setup_extension("sphinx.ext.doctest")
    app.add_config_value("page_downloads_inline_packages", ["examples"], "env", types=[list])
    app.connect("doctree-read", read_doctree, priority=600)
    app.connect("doctree-resolved", link_downloads)
    app.connect("build-finished", write_downloads)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
