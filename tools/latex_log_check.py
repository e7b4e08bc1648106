"""Fail the PDF build on what xelatex only warns about: a missing glyph or an undefined reference.

Usage: python tools/latex_log_check.py _build/latex/memo.log [SOURCE_DIR]

xelatex draws a character that its font lacks as nothing at all, and a reference it cannot
resolve as "??", and still exits 0. `make pdf` runs this on the log of the last xelatex run.
Each problem is one line that names the character (code point, font) or the label, with
the page source and line it comes from when it can be found, and the line of memo.tex:

    docs/writing/x.md:23: missing character ✓ (U+2713) in font DejaVu Serif (memo.tex:1234)
    docs/tensors/y.md: undefined reference 'tensors/y:no-such-label' (memo.tex:88)

The page is the one memo.tex was in at that line (Sphinx marks each page's start with
``\\label{\\detokenize{<docname>::doc}}``). A missing character needs a font that has it
(conf.py latex_elements["fontpkg"]) or other text; an undefined reference, a label.
"""

from __future__ import annotations

import bisect
import re
import sys
from pathlib import Path

MISSING = re.compile(r"Missing character: There is no (.+?) \((U\+[0-9A-F]+)\) in font (.+?)!")
UNDEFINED = re.compile(r"(?:LaTeX Warning: (?:Reference|Citation)|Hyper reference) `([^']+)' on page \S+ undefined"
                       r"(?: on input line (\d+))?")
PAGE_START = re.compile(r"\\label\{\\detokenize\{([^}]+)::doc\}\}")


class Tex:
    """memo.tex: which page's text each of its lines holds."""

    def __init__(self, path: Path, source_dir: Path):
        self.path, self.source_dir = path, source_dir
        self.lines = path.read_text(encoding="utf-8").split("\n") if path.is_file() else []
        self.starts, self.docnames = [], []
        for number, line in enumerate(self.lines, 1):
            for match in PAGE_START.finditer(line):
                self.starts.append(number)
                self.docnames.append(match.group(1))

    def docname_at(self, line: int) -> str | None:
        index = bisect.bisect_right(self.starts, line) - 1
        return self.docnames[index] if index >= 0 else None

    def source(self, docname: str | None) -> Path | None:
        if docname is None:
            return None
        found = sorted(self.source_dir.glob(docname + ".*"))
        return found[0] if found else None

    def where_char(self, char: str) -> list[str]:
        """'docs/x.md:23 (memo.tex:1234)' for each page whose text holds the character."""
        places, pages = [], set()
        for number, line in enumerate(self.lines, 1):
            if char not in line:
                continue
            docname = self.docname_at(number)
            if docname in pages:
                continue
            pages.add(docname)
            source = self.source(docname)
            at = f"{source}:{source_line(source, char)}" if source else str(self.path)
            places.append(f"{at} ({self.path.name}:{number})")
        return places or [str(self.path)]

    def where_line(self, line: int | None) -> str:
        if line is None:
            return str(self.path)
        source = self.source(self.docname_at(line))
        return f"{source} ({self.path.name}:{line})" if source else f"{self.path}:{line}"


def source_line(path: Path, char: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if char in line:
            return number
    return 1


# The messages this reads, and how each one ends: TeX cuts log lines at 79 columns.
ENDS = {"Missing character:": "!", "LaTeX Warning: Reference": ".", "LaTeX Warning: Citation": ".",
        "LaTeX Warning: Hyper reference": ".", "pdfTeX warning": "."}


def messages(log_text: str) -> list[str]:
    """The log's lines, with each message above that TeX cut into pieces joined again."""
    joined, pending, end = [], "", ""
    for line in log_text.split("\n"):
        if pending:
            pending += line
            if pending.rstrip().endswith(end) or len(pending) > 2000:
                joined.append(pending)
                pending = ""
            continue
        end = next((e for start, e in ENDS.items() if start in line), "")
        if end and not line.rstrip().endswith(end):
            pending = line
        else:
            joined.append(line)
    return joined + ([pending] if pending else [])


def problems(log_text: str, tex: Tex) -> list[str]:
    found: list[str] = []
    text = "\n".join(messages(log_text))
    for char, code, font in dict.fromkeys(MISSING.findall(text)):
        font = font.split("/")[0].strip()
        found += [f"{where}: missing character {char} ({code}) in font {font}" for where in tex.where_char(char)]
    for label, line in dict.fromkeys(UNDEFINED.findall(text)):
        found.append(f"{tex.where_line(int(line) if line else None)}: undefined reference '{label}'")
    return list(dict.fromkeys(found))


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    log = Path(argv[0])
    if not log.is_file():
        print(f"error: {log} does not exist: run xelatex (make pdf) first", file=sys.stderr)
        return 2
    tex = Tex(log.with_suffix(".tex"), Path(argv[1]) if len(argv) == 2 else Path("docs"))
    found = problems(log.read_text(encoding="utf-8", errors="replace"), tex)
    for message in found:
        print(message, file=sys.stderr)
    if found:
        print(f"error: {len(found)} problem(s) in {log}: the PDF shows a blank or '??' there", file=sys.stderr)
        return 1
    print(f"{log}: no missing characters, no undefined references")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
