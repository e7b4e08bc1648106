"""Lint the MyST pages for what Sphinx itself would let through silently.

* Python code outside the doctest directives. sphinx.ext.doctest runs only
  {doctest}, {testcode}/{testoutput} and {testsetup}/{testcleanup}; a
  ```python fence, a {code-block} python, or a bare `>>>` line is never run,
  so a wrong output in it would pass.
* Labels. Every page starts with an explicit ASCII label such as
  `(view-vs-reshape)=`, every heading has one directly above it, and labels
  are unique across the site. Generated ids for Chinese headings are unstable.
* File names are kebab-case ASCII.

Prints one `path:line: message` per problem and exits 1 if there is any.
Usage: python tools/lint_docs.py DOCS_DIR [more dirs or files...]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

TESTED = {"doctest", "testcode", "testoutput", "testsetup", "testcleanup"}
CODE_DIRECTIVES = {"code-block", "code", "sourcecode"}
PYTHON_LANGS = {"python", "python3", "py", "pycon", "ipython", "ipython3", "default", ""}
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})(.*)$")
DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
LABEL = re.compile(r"^\(([^)]*)\)=\s*$")
ASCII_LABEL = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HEADING = re.compile(r"^#{1,6}\s")
KEBAB_FILE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.md$")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def strip_front_matter(lines: list[str]) -> int:
    """Index of the first line after a leading `---` YAML block (0 if none)."""
    if lines and lines[0].strip() == "---":
        for i, line in enumerate(lines[1:], 1):
            if line.strip() == "---":
                return i + 1
    return 0


def classify_fence(info: str) -> tuple[str, str]:
    """('test'|'code'|'container', language) for a fence's info string."""
    info = info.strip()
    directive = DIRECTIVE.match(info)
    if directive:
        name, argument = directive.group(1), directive.group(2).split()
        if name in TESTED:
            return "test", ""
        if name in CODE_DIRECTIVES:
            return "code", (argument[0].lower() if argument else "")
        return "container", ""
    return "code", (info.split()[0].lower() if info else "")


def lint_page(path: Path) -> tuple[list[Problem], list[tuple[str, int]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    problems: list[Problem] = []
    labels: list[tuple[str, int]] = []
    stack: list[tuple[str, str]] = []  # (fence marker, kind)
    start = strip_front_matter(lines)
    previous = ""  # last non-blank line outside code
    for number, line in enumerate(lines[start:], start + 1):
        fence = FENCE.match(line)
        inside = stack[-1][1] if stack else "prose"
        if fence:
            marker, info = fence.group(2), fence.group(3)
            closes = stack and marker[0] == stack[-1][0][0] and len(marker) >= len(stack[-1][0]) and not info.strip()
            if closes:
                stack.pop()
                continue
            if inside not in ("code", "test"):
                kind, language = classify_fence(info)
                if kind == "code" and language in PYTHON_LANGS and not (marker[0] == ":"):
                    shown = info.strip() or "(no language)"
                    problems.append(Problem(path, number, f"untested Python block `{shown}`: use {{doctest}} or {{testcode}}"))
                stack.append((marker, kind))
                continue
        if inside in ("code", "test"):
            continue
        stripped = line.strip()
        if stripped.startswith(">>>"):
            problems.append(Problem(path, number, "`>>>` outside a {doctest} directive is never run"))
        label = LABEL.match(stripped)
        if label:
            name = label.group(1)
            labels.append((name, number))
            if not ASCII_LABEL.match(name):
                problems.append(Problem(path, number, f"label `{name}` must be lowercase ASCII kebab-case"))
        elif HEADING.match(line) and not LABEL.match(previous):
            problems.append(Problem(path, number, f"heading `{stripped}` needs an explicit `(label)=` line directly above it"))
        if stripped:
            previous = stripped
    first = next((i for i in range(start, len(lines)) if lines[i].strip()), None)
    if first is None or not LABEL.match(lines[first].strip()):
        problems.append(Problem(path, (first or start) + 1, "page must start with an explicit label such as `(page-name)=`"))
    return problems, labels


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
                problems.append(Problem(page, line, f"label `{name}` is already defined at {other}:{other_line}"))
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
