"""Lint the MyST pages for what Sphinx itself would let through silently.

The pages are read with myst-parser's own Markdown parser and the site's
`myst_enable_extensions`, so the lint sees the blocks the build sees: fences,
colon fences, indented code, directives inside directives, and `{eval-rst}`
content parsed as reStructuredText by docutils.

* Untested Python. sphinx.ext.doctest runs only {doctest}, {testcode} /
  {testoutput} and {testsetup} / {testcleanup}. Any other literal block that
  is Python (an alias of a Pygments Python lexer, no language at all, which
  the build highlights as Python, or an indented block) or that holds a `>>>`
  prompt is never run, so a wrong output in it would pass.
* Hidden skips. `+SKIP`, `:skipif:` and `:pyversion:` keep an example from
  running; each needs a reason the reader sees (SKIP_RULE below).
* Unseeded randomness: `default_rng()` without a seed prints something new
  on every run.
* External resources in raw HTML (`<script src="https://…">`, an `<img>` or a
  Markdown image from another host): the site must work offline.
* Labels. Every page starts with an explicit ASCII label such as
  `(view-vs-reshape)=`, every heading has one directly above it, and labels
  are unique across the site. Generated ids for Chinese headings are unstable.
* File names are kebab-case ASCII.
* Quotation marks. Chinese prose quotes with “…”; an ASCII "…" pair around a
  phrase with Chinese characters is reported. Code spans, roles, math and
  literal blocks are not prose and are skipped.

Prints one `docs/…:line: message` per problem and exits 1 if there is any.
Usage: python tools/lint_docs.py DOCS_DIR [more dirs or files...]
"""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.directives import parse_directive_text
from myst_parser.parsers.mdit import create_md_parser
from pygments.lexers import get_all_lexers
from pygments.lexers.python import (
    NumPyLexer,
    Python2Lexer,
    Python2TracebackLexer,
    PythonConsoleLexer,
    PythonLexer,
    PythonTracebackLexer,
)
from sphinx.util.docutils import docutils_namespace

ROOT = Path(__file__).resolve().parents[1]

TESTED = {"doctest", "testcode", "testoutput", "testsetup", "testcleanup"}
CODE_DIRECTIVES = {"code-block", "code", "sourcecode", "code-cell"}
# Directives whose content is not Markdown: never parsed as nested blocks.
OPAQUE = {"math", "toctree", "raw", "csv-table", "literalinclude", "graphviz", "mermaid", "autolink-skip",
          "cite-entry", "memo-map", "plot"}
_PYTHON_LEXERS = (PythonLexer, Python2Lexer, PythonConsoleLexer, PythonTracebackLexer, Python2TracebackLexer, NumPyLexer)
_PYTHON_LEXER_NAMES = {lexer.name for lexer in _PYTHON_LEXERS}
# No language means Sphinx's highlight_language, "default": Python. IPython's lexers are
# registered by IPython itself (not installed here) under these names.
PYTHON_LANGS = {alias for name, aliases, _, _ in get_all_lexers() if name in _PYTHON_LEXER_NAMES for alias in aliases} | {
    "", "default", "ipython", "ipython2", "ipython3", "ipythonconsole"}

PROMPT = re.compile(r"^\s*>>>(\s|$)", re.M)
BLOCKQUOTE_PROMPT = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+)*>>>")
ASCII_LABEL = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEBAB_FILE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.md$")
# SKIP_RULE: the reason a reader sees. On the `>>>` line of a skipped example, a comment
# before `# doctest: +SKIP` (Sphinx trims only the `# doctest:` part from the page):
#     >>> x.cuda()  # 需要 GPU：本站构建机没有 CUDA  # doctest: +SKIP
# For a directive with `:skipif:`, `:pyversion:` or `:options: +SKIP`, the paragraph
# directly before it starts with the same words: `需要 GPU：…`.
SKIP_REASON = re.compile(r"^\s*需要\s*[^：:\s][^：:]*[：:]\s*\S")
LINE_SKIP_REASON = re.compile(r"#\s*需要\s*[^：:\s#][^：:#]*[：:]\s*[^#\s][^#]*#\s*doctest:")
OPTION_LINE = re.compile(r"^\s*:?([\w-]+):[ \t]*(.*)$", re.M)
SKIP_OPTIONS = ("skipif", "pyversion")
UNSEEDED_RNG = re.compile(r"\bdefault_rng\(\s*\)")
EXTERNAL_URL = r"""(?:https?:)?//[^\s"'>)]+"""
# An ASCII "…" pair, paired left to right within one paragraph, and a CJK character in it.
ASCII_QUOTED = re.compile(r'"([^"]*)"')
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Inline tokens that are not prose: their text stands in as one neutral character.
NOT_PROSE = {"code_inline", "math_inline", "math_inline_double", "myst_role", "html_inline", "amsmath"}
EXTERNAL_RESOURCE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object|track|input)\b[^>]*?"
    rf"\b(?:src|href|srcset|poster|data)\s*=\s*[\"']?\s*({EXTERNAL_URL})"
    rf"|url\(\s*[\"']?\s*({EXTERNAL_URL})|@import\s+[\"']({EXTERNAL_URL})",
    re.I | re.S,
)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{shown_path(self.path)}:{self.line}: {self.message}"


def shown_path(path: Path) -> str:
    """Paths as every tool of the site prints them: relative to the working directory (`docs/…`)."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


@functools.cache
def site_markdown_parser():
    config = MdParserConfig(enable_extensions=set(_site_myst_extensions()))
    return create_md_parser(config, RendererHTML)


def _site_myst_extensions() -> list[str]:
    """`myst_enable_extensions` from conf.py, read without executing it."""
    import ast

    tree = ast.parse((ROOT / "conf.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "myst_enable_extensions" for t in node.targets):
            return ast.literal_eval(node.value)
    return []


class _AnyDirective(Directive):
    """Stand-in for a MyST directive: an optional argument, any options, any content."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"": directives.unchanged}


@dataclass
class PageLint:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    labels: list[tuple[str, int]] = field(default_factory=list)

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    # -- literal blocks, wherever they come from ---------------------------------

    def code_block(self, line: int, language: str, text: str, shown: str, content_line: int | None = None) -> None:
        if language.lower() in PYTHON_LANGS:
            self.report(line, f"untested Python block `{shown}`: use {{doctest}} or {{testcode}}")
        elif PROMPT.search(text):
            self.report((content_line or line) + _first_prompt(text), f"`>>>` prompt in a `{shown}` block is never run: use {{doctest}}")

    def tested_block(self, directive_line: int, line: int, name: str, options: dict, text: str, reason_before: bool) -> None:
        skips = [f":{key}:" for key in SKIP_OPTIONS if key in options]
        if "SKIP" in str(options.get("options", "")):
            skips.append(":options: +SKIP")
        if skips and not reason_before:
            self.report(directive_line, f"{{{name}}} with {', '.join(skips)} needs its reason right before it, "
                              "in a paragraph the reader sees: `需要 GPU：…`")
        for offset, source in enumerate(text.splitlines()):
            if re.search(r"doctest:.*\+SKIP", source) and not LINE_SKIP_REASON.search(source):
                self.report(line + offset, "`+SKIP` needs a reason the reader sees on the same line, before it: "
                                           "`# 需要 GPU：…  # doctest: +SKIP`")
            if UNSEEDED_RNG.search(source):
                self.report(line + offset, "`default_rng()` without a seed prints different numbers on every run: "
                                           "pass one, e.g. `default_rng(0)`")

    def html(self, line: int, text: str) -> None:
        for match in EXTERNAL_RESOURCE.finditer(text):
            url = next(group for group in match.groups() if group)
            self.report(line + text.count("\n", 0, match.start()),
                        f"external resource `{url}` in raw HTML: the site must work offline; vendor it under docs/_static")

    # -- Markdown ---------------------------------------------------------------------

    def markdown(self, text: str, first_line: int, top: bool) -> None:
        tokens = site_markdown_parser().parse(text)
        lines = text.splitlines()
        previous: Token | None = None  # last block at this nesting level
        previous_paragraph = ""
        prompt_lines: set[int] = set()
        first_block = True
        for index, token in enumerate(tokens):
            line = first_line + (token.map[0] if token.map else 0)
            if token.type == "front_matter":
                continue
            if token.level == 0 and token.nesting >= 0 and top and first_block:
                first_block = False
                if token.type != "myst_target":
                    self.report(line, "page must start with an explicit label such as `(page-name)=`")
            if token.type == "myst_target":
                self.labels.append((token.content, line))
                if not ASCII_LABEL.match(token.content):
                    self.report(line, f"label `{token.content}` must be lowercase ASCII kebab-case")
            elif token.type == "heading_open":
                if previous is None or previous.type != "myst_target":
                    self.report(line, f"heading `{lines[token.map[0]].strip()}` needs an explicit `(label)=` line directly above it")
            elif token.type in ("fence", "colon_fence"):
                self.fence(token, line, previous_paragraph)
            elif token.type == "code_block":
                self.code_block(line, "", token.content, "indented block")
            elif token.type == "html_block":
                self.html(line, token.content)
            elif token.type == "blockquote_open" and BLOCKQUOTE_PROMPT.match(lines[token.map[0]]):
                if line not in prompt_lines:
                    prompt_lines.add(line)
                    self.report(line, "`>>>` outside a {doctest} directive is never run")
            elif token.type == "inline":
                self.quotes(token, first_line, lines)
                for child in token.children or []:
                    if child.type == "html_inline":
                        self.html(line + _line_of(lines, token.map[0], child.content), child.content)
                    elif child.type == "image" and re.match(EXTERNAL_URL, child.attrs.get("src", "")):
                        self.report(line + _line_of(lines, token.map[0], child.attrs["src"]),
                                    f"external image `{child.attrs['src']}`: the site must work offline")
            if token.level == 0 and token.nesting >= 0:
                previous = token
                if token.type == "paragraph_open":
                    previous_paragraph = tokens[index + 1].content
                elif token.type != "inline":
                    previous_paragraph = ""

    def quotes(self, token: Token, first_line: int, lines: list[str]) -> None:
        """ASCII-quoted Chinese phrases in the prose of one inline token (paragraph, heading, cell)."""
        prose = "".join("\n" if child.type in ("softbreak", "hardbreak")
                        else "\x00" if child.type in NOT_PROSE
                        else child.content if child.type == "text" else ""
                        for child in token.children or [])
        for match in ASCII_QUOTED.finditer(prose):
            if not CJK.search(match.group(1)):
                continue
            if token.map:
                line = first_line + token.map[0] + prose.count("\n", 0, match.start())
            else:  # table cells carry no line map: the first source line holding the phrase
                head = match.group(1).split("\x00")[0].split("\n")[0]
                line = first_line + next((i for i, text in enumerate(lines) if f'"{head}' in text), 0)
            phrase = match.group(0).replace("\x00", "…")
            self.report(line, f"ASCII quotes around Chinese prose {phrase}: write “…”")

    def fence(self, token: Token, line: int, previous_paragraph: str) -> None:
        info = token.info.strip()
        if not (info.startswith("{") and "}" in info):
            self.code_block(line, info.split()[0] if info else "", token.content, info or "(no language)", line + 1)
            return
        name, _, first_line = info[1:].partition("}")
        parsed = parse_directive_text(_AnyDirective, first_line.strip(), token.content, line=line, validate_options=False)
        body = "\n".join(parsed.body)
        body_line = line + 1 + parsed.body_offset
        argument = parsed.arguments[0].split()[0] if parsed.arguments else ""
        if name in TESTED:
            # the option lines as written: a YAML reading would lose `:pyversion: > 3.12`
            options = dict(OPTION_LINE.findall("\n".join(token.content.splitlines()[:max(parsed.body_offset, 0)])))
            self.tested_block(line, body_line, name, options, body, bool(SKIP_REASON.match(previous_paragraph)))
        elif name in CODE_DIRECTIVES:
            self.code_block(line, argument, body, f"{{{name}}} {argument}".strip(), body_line)
        elif name == "eval-rst":
            self.rest(body, body_line)
        elif name == "raw":
            if argument.lower() == "html":
                self.html(body_line, body)
        elif name == "plot" and body.strip():
            self.report(line, "untested Python block `{plot}` with inline code: draw figures from examples/figures/*.py")
        elif name not in OPAQUE:
            self.markdown(body, body_line, top=False)

    # -- reStructuredText (inside {eval-rst}) ----------------------------------------

    def rest(self, text: str, first_line: int) -> None:
        with docutils_namespace():
            for name in CODE_DIRECTIVES | TESTED | {"plot", "highlight", "raw"}:
                directives.register_directive(name, _rest_directive(name))
            doctree = publish_doctree(text, settings_overrides={
                "report_level": 5, "halt_level": 5, "file_insertion_enabled": False, "warning_stream": False})
        for node in doctree.findall(nodes.Element):
            if any(isinstance(parent, nodes.system_message) for parent in _ancestors(node)):
                continue
            line = first_line - 1 + (node.line or 1)
            if isinstance(node, nodes.pending) and "lint" in node.details:
                kind, name, options, body, lineno, body_line = node.details["lint"]
                line = first_line - 1 + lineno
                if kind == "tested":
                    self.tested_block(line, first_line - 1 + body_line, name, options, body, False)
                elif kind == "code":
                    self.code_block(line, options.get("language", ""), body, f".. {name}:: {options.get('language', '')}".strip())
                elif kind == "raw" and "html" in options["language"].lower():
                    self.html(first_line - 1 + body_line, body)
                elif kind == "plot" and body.strip():
                    self.report(line, "untested Python block `.. plot::` with inline code")
            elif isinstance(node, nodes.literal_block):
                # `::` blocks: the line docutils records is the block's last line
                start = line - node.astext().count("\n")
                self.code_block(start, "", node.astext(), "reST literal block `::`")
            elif isinstance(node, nodes.doctest_block):
                self.report(line, "`>>>` outside a {doctest} directive is never run")
            elif isinstance(node, nodes.image) and re.match(EXTERNAL_URL, node.get("uri", "")):
                self.report(line, f"external image `{node['uri']}`: the site must work offline")


def _rest_directive(name: str) -> type[Directive]:
    kind = "tested" if name in TESTED else "code" if name in CODE_DIRECTIVES else name

    class Recorder(_AnyDirective):
        option_spec = None  # see _options

        def run(self):
            options = dict(self.options)
            if kind in ("code", "raw"):
                options["language"] = self.arguments[0] if self.arguments else ""
            body_line = self.content_offset + 1 if self.content else self.lineno
            return [nodes.pending(None, {"lint": (kind, name, options, "\n".join(self.content), self.lineno, body_line)})]

    class AnyOptions(dict):
        def __getitem__(self, key):
            return directives.unchanged

        def __contains__(self, key):
            return True

    Recorder.option_spec = AnyOptions()
    return Recorder


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _first_prompt(text: str) -> int:
    match = PROMPT.search(text)
    return text.count("\n", 0, match.start()) if match else 0


def _line_of(lines: list[str], start: int, needle: str) -> int:
    """Offset from `start` of the first source line holding `needle` (0 if not found)."""
    first = needle.splitlines()[0] if needle else ""
    for offset, line in enumerate(lines[start:]):
        if first and first in line:
            return offset
    return 0


def lint_page(path: Path) -> tuple[list[Problem], list[tuple[str, int]]]:
    page = PageLint(path)
    page.markdown(path.read_text(encoding="utf-8"), 1, top=True)
    if not page.labels and not any("must start with an explicit label" in p.message for p in page.problems):
        page.report(1, "page must start with an explicit label such as `(page-name)=`")
    return sorted(page.problems, key=lambda p: p.line), page.labels


def lint(paths: list[Path]) -> list[Problem]:
    pages: list[Path] = []
    for path in paths:
        pages += sorted(p for p in path.rglob("*.md") if "_build" not in p.parts) if path.is_dir() else [path]
    problems: list[Problem] = []
    seen: dict[str, tuple[Path, int]] = {}
    for page in pages:
        if not KEBAB_FILE.match(page.name):
            problems.append(Problem(page, 1, f"file name `{page.name}` must be kebab-case ASCII"))
        page_problems, labels = lint_page(page)
        problems += page_problems
        for name, line in labels:
            if name in seen:
                other, other_line = seen[name]
                problems.append(Problem(page, line, f"label `{name}` is already defined at {shown_path(other)}:{other_line}"))
            else:
                seen[name] = (page, line)
    return problems


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    problems = lint([Path(a) for a in argv])
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
