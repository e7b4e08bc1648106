"""Run `make doctest` once per supported environment and print a pass/fail table.

    python tools/doctest_matrix.py [CELL ...]          # all cells, or the ones named
    python tools/doctest_matrix.py --list [CELL ...]   # the cells it would run, one a line
    python tools/doctest_matrix.py --github-matrix     # all cells as a GitHub Actions matrix

CELLS below is the one declaration of the supported environments: `make doctest-matrix`
runs it and `.github/workflows/doctest-matrix.yml` reads its matrix from `--github-matrix`.
Each cell gets its own virtual environment `_build/matrix/<cell>/venv` (kept between
runs; `--fresh` rebuilds it) and its own doctest output `_build/matrix/<cell>/doctest`.
A CUDA cell is about 5 GB; no GPU is needed, the pages show what a GPU changes.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The release requirements.txt pins; each cell installs one build of it.
TORCH_VERSION = next(
    line.split("==")[1].split()[0]
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    if line.startswith("torch==")
)
# Where the CPU wheel comes from when it is not already on disk (pip's find-links).
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


@dataclass(frozen=True)
class Cell:
    python: str  # "3.11"
    build: str  # "cpu" or "cuda"

    @property
    def name(self) -> str:
        return f"py{self.python}-{self.build}"

    @property
    def torch_requirement(self) -> str:
        # `===` is PEP 440 exact string equality: it refuses 2.13.0+cpu even where pip's
        # find-links offers that wheel, so a CUDA cell really gets PyPI's CUDA build.
        if self.build == "cpu":
            return f"torch=={TORCH_VERSION}+cpu"
        return f"torch==={TORCH_VERSION}"


CELLS = (
    Cell("3.11", "cpu"),
    Cell("3.11", "cuda"),
    Cell("3.12", "cuda"),
    Cell("3.13", "cuda"),
)


def markdown_table(cells=CELLS) -> str:
    """The matrix as the site shows it (conf.py substitutes it into the "tested with" list)."""
    builds = {"cpu": f"PyTorch {TORCH_VERSION} CPU 版", "cuda": f"PyTorch {TORCH_VERSION} CUDA 版（无 GPU）"}
    used = [b for b in builds if any(c.build == b for c in cells)]
    pythons = sorted({c.python for c in cells}, key=lambda v: tuple(map(int, v.split("."))))
    rows = ["| Python | " + " | ".join(builds[b] for b in used) + " |", "|---" * (len(used) + 1) + "|"]
    for python in pythons:
        marks = ["✓" if Cell(python, b) in cells else "—" for b in used]
        rows.append(f"| {python} | " + " | ".join(marks) + " |")
    return "\n".join(rows)


def find_python(version: str) -> str | None:
    """An interpreter reporting `version`: on PATH, or in a pyenv install."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return None


def run(cmd: list[str], log, **kwargs) -> bool:
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    return subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, **kwargs).returncode == 0


def install(cell: Cell, python: str, venv: Path, log, update: bool = False) -> str | None:
    """Create the cell's venv (or bring it up to requirements.txt); None on success, else what failed."""
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    if update:
        # Keep the installed torch build; make's own bootstrap would recreate the venv
        # with whichever torch pip prefers here.
        if not run(pip + ["-r", "requirements.txt", cell.torch_requirement], log):
            return "pip install"
        (venv / ".installed").touch()
        return None
    if venv.exists():
        shutil.rmtree(venv)
    if not run([python, "-m", "venv", str(venv)], log):
        return "venv"
    if cell.build == "cpu":
        # The project's machines hold the CPU wheel on disk; everyone else gets it from PyTorch.
        local = run(pip + ["--no-index", "--no-deps", cell.torch_requirement], log)
        if not local and not run(pip + ["--no-deps", "--index-url", CPU_INDEX, cell.torch_requirement], log):
            return "torch (CPU wheel)"
    if not run(pip + ["-r", "requirements.txt", cell.torch_requirement], log):
        return "pip install"
    probe = (
        "import sys, torch; cuda = torch.version.cuda; "
        f"sys.exit((cuda is None) != ({cell.build!r} == 'cpu'))"
    )
    if not run([str(venv / "bin" / "python"), "-c", probe], log):
        return f"torch is not the {cell.build} build"
    (venv / ".installed").touch()
    return None


def run_cell(cell: Cell, matrix_dir: Path, fresh: bool) -> dict:
    cell_dir = matrix_dir / cell.name
    (ROOT / cell_dir).mkdir(parents=True, exist_ok=True)
    venv = cell_dir / "venv"
    log_path = cell_dir / "log.txt"
    result = {"cell": cell.name, "setup_s": 0.0, "doctest_s": 0.0, "log": str(log_path)}
    python = find_python(cell.python)
    with open(ROOT / log_path, "w") as log:
        if python is None:
            return result | {"status": f"no python{cell.python}"}
        start = time.monotonic()
        marker = ROOT / venv / ".installed"
        stale = marker.exists() and marker.stat().st_mtime < (ROOT / "requirements.txt").stat().st_mtime
        if fresh or stale or not marker.exists():
            failed = install(cell, python, ROOT / venv, log, update=stale and not fresh)
            result["setup_s"] = time.monotonic() - start
            if failed:
                return result | {"status": f"FAIL ({failed})"}
        # Read every page afresh, as a reader's first `make doctest` does, so that the
        # times of the cells compare.
        shutil.rmtree(ROOT / cell_dir / "doctest", ignore_errors=True)
        start = time.monotonic()
        # The venv is complete, so make's bootstrap rule has nothing to do; everything
        # else is the reader's own `make doctest`.
        ok = run(["make", "doctest", f"PYTHON={python}", f"VENV={venv}", f"BUILDDIR={cell_dir}"], log)
        result["doctest_s"] = time.monotonic() - start
    result["status"] = "pass" if ok else "FAIL"
    report = ROOT / cell_dir / "doctest" / "output.txt"
    if report.exists():
        text = report.read_text()
        tests = re.findall(r"^\s*(\d+) tests?$", text, re.M)
        failures = re.findall(r"^\s*(\d+) failures? in tests$", text, re.M)
        if tests and failures:
            result["examples"] = f"{int(tests[-1]) - int(failures[-1])}/{tests[-1]}"
    return result


def table(results: list[dict]) -> str:
    rows = [("cell", "result", "examples passed", "setup", "doctest", "log")]
    for r in results:
        setup = f"{r['setup_s']:.0f} s" if r["setup_s"] else "reused"
        rows.append((r["cell"], r["status"], r.get("examples", "-"), setup, f"{r['doctest_s']:.0f} s", r["log"]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cells", nargs="*", help="cell names (default: all)")
    parser.add_argument("--list", action="store_true", help="print the cell names and exit")
    parser.add_argument("--github-matrix", action="store_true", help="print the cells as a GitHub Actions matrix")
    parser.add_argument("--build-dir", default="_build", help="the Makefile's BUILDDIR (default: _build)")
    parser.add_argument("--fresh", action="store_true", help="recreate the venvs even when they exist")
    args = parser.parse_args(argv)
    by_name = {cell.name: cell for cell in CELLS}
    if args.github_matrix:
        print(json.dumps({"include": [{"cell": c.name, "python": c.python, "build": c.build} for c in CELLS]}))
        return 0
    unknown = [name for name in args.cells if name not in by_name]
    if unknown:
        parser.error(f"unknown cell {', '.join(unknown)}; the cells are {', '.join(by_name)}")
    chosen = [by_name[name] for name in args.cells] or list(CELLS)
    if args.list:
        print("\n".join(cell.name for cell in chosen))
        return 0
    matrix_dir = Path(args.build_dir) / "matrix"
    results = []
    for cell in chosen:
        print(f"doctest-matrix: {cell.name} ...", flush=True)
        results.append(run_cell(cell, matrix_dir, args.fresh))
        print(f"doctest-matrix: {cell.name} {results[-1]['status']}", flush=True)
    print(table(results))
    (ROOT / matrix_dir).mkdir(parents=True, exist_ok=True)
    (ROOT / matrix_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(r["status"] == "pass" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
