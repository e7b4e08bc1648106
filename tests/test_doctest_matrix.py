"""`make doctest-matrix` and .github/workflows/doctest-matrix.yml run the same cells.

Both are asked, not read: the Makefile's recipe is expanded with `make -n` and run with
`--list`; the workflow's matrix job is run as GitHub would run it, and each resulting
job's `make` command is expanded the same way.
"""

import functools
import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import doctest_matrix
import pytest
import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "doctest-matrix.yml"

CELLS = {cell.name: cell for cell in doctest_matrix.CELLS}


@functools.cache
def target_cells(make_command: str) -> tuple[str, ...]:
    """The cells a `make doctest-matrix ...` command line would run."""
    args = shlex.split(make_command)
    assert args[:2] == ["make", "doctest-matrix"], make_command
    dry = subprocess.run(["make", "-s", "-n", *args[1:]], cwd=ROOT, capture_output=True, text=True, check=True)
    recipe = next(line for line in dry.stdout.splitlines() if "tools/doctest_matrix.py" in line)
    listed = subprocess.run(recipe + " --list", shell=True, cwd=ROOT, capture_output=True, text=True, check=True)
    return tuple(listed.stdout.split())


def render(text: str, matrix: dict) -> str:
    return re.sub(r"\$\{\{\s*matrix\.(\w+)\s*\}\}", lambda m: str(matrix[m[1]]), text)


def job_output(jobs: dict, job_name: str, output: str, tmp_path: Path) -> str:
    """Run the step that sets `needs.<job_name>.outputs.<output>`, as GitHub Actions would."""
    job = jobs[job_name]
    step_id = re.fullmatch(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}", job["outputs"][output])
    step = next(s for s in job["steps"] if s.get("id") == step_id[1])
    github_output = tmp_path / "GITHUB_OUTPUT"
    github_output.write_text("")
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=ROOT, check=True, env={**os.environ, "GITHUB_OUTPUT": str(github_output)})
    values = dict(line.split("=", 1) for line in github_output.read_text().splitlines())
    return values[step_id[2]]


def workflow_runs(path: Path, tmp_path: Path) -> list[tuple[str, str, str]]:
    """(cell, python set up, build) for every job the workflow would start."""
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
    runs = []
    for job in jobs.values():
        matrix = job.get("strategy", {}).get("matrix")
        if matrix is None:
            continue
        if isinstance(matrix, str):
            needs = re.fullmatch(r"\$\{\{\s*fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\)\s*\}\}", matrix)
            assert needs, f"{path}: matrix `{matrix}` is neither a list nor fromJSON(needs.<job>.outputs.<name>)"
            matrix = json.loads(job_output(jobs, needs[1], needs[2], tmp_path))
        for entry in matrix["include"]:
            python = next(render(s["with"]["python-version"], entry) for s in job["steps"] if "setup-python" in s.get("uses", ""))
            make = [render(s["run"], entry) for s in job["steps"] if "make doctest-matrix" in s.get("run", "")]
            assert len(make) == 1, f"{path}: a matrix job must run `make doctest-matrix` once"
            runs += [(cell, python, entry.get("build", "")) for cell in target_cells(make[0])]
    return runs


def disagreement(path: Path, tmp_path: Path) -> str | None:
    """None when the workflow runs each cell of the target once, on the cell's Python."""
    runs = workflow_runs(path, tmp_path)
    ran = [cell for cell, _, _ in runs]
    wanted = target_cells("make doctest-matrix")
    lines = path.read_text(encoding="utf-8").splitlines()
    strategy = next(n for n, text in enumerate(lines) if text.strip() == "strategy:")
    line = next(n for n, text in enumerate(lines[strategy:], strategy + 1) if text.strip().startswith("matrix:"))
    where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{line}"
    if sorted(ran) != sorted(wanted):
        return f"{where}: the workflow runs cells {sorted(ran)}, `make doctest-matrix` runs {sorted(wanted)}"
    wrong = [(cell, python) for cell, python, _ in runs if python != CELLS[cell].python]
    if wrong:
        return f"{where}: cells set up with another Python: {wrong}"
    return None


def test_the_workflow_runs_exactly_the_cells_of_the_make_target(tmp_path):
    assert disagreement(WORKFLOW, tmp_path) is None
    assert target_cells("make doctest-matrix") == tuple(CELLS)


def test_one_cell_runs_alone():
    assert target_cells("make doctest-matrix CELLS=py3.13-cuda") == ("py3.13-cuda",)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a hand-written matrix that forgot a cell
        (
            "matrix: ${{ fromJSON(needs.cells.outputs.matrix) }}",
            "matrix:\n        include:\n" + "".join(
                f"          - {{cell: {c.name}, python: '{c.python}', build: {c.build}}}\n" for c in doctest_matrix.CELLS[:-1]
            ),
            "the workflow runs cells",
        ),
        # every job runs the same cell
        ("CELLS=${{ matrix.cell }}", "CELLS=py3.11-cpu", "the workflow runs cells"),
        # a job set up with the wrong Python
        ("python-version: ${{ matrix.python }}", "python-version: '3.12'", "cells set up with another Python"),
    ],
)
def test_a_workflow_that_drifts_from_the_target_is_reported_with_its_line(tmp_path, old, new, expected):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "doctest-matrix.yml"
    broken.write_text(text.replace(old, new), encoding="utf-8")
    message = disagreement(broken, tmp_path)
    assert message is not None and expected in message
    assert re.match(rf"{re.escape(str(broken))}:\d+: ", message), message


def test_a_cuda_cell_refuses_the_cpu_wheel_that_pip_finds_on_disk():
    cpu, cuda = CELLS["py3.11-cpu"], CELLS["py3.11-cuda"]
    wheels = ["2.13.0+cpu", "2.13.0"]
    cuda_spec = SpecifierSet(cuda.torch_requirement.removeprefix("torch"))
    cpu_spec = SpecifierSet(cpu.torch_requirement.removeprefix("torch"))
    assert [v for v in wheels if cuda_spec.contains(v)] == ["2.13.0"]
    assert [v for v in wheels if cpu_spec.contains(v)] == ["2.13.0+cpu"]
    # requirements.txt's own pin accepts both, which is why pip picks the local CPU wheel
    pin = next(line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.startswith("torch=="))
    assert [v for v in wheels if SpecifierSet(pin.removeprefix("torch")).contains(v)] == wheels


def test_the_run_fails_when_a_cell_fails_and_prints_the_table(monkeypatch, capsys, tmp_path):
    outcomes = {"py3.11-cpu": "pass", "py3.12-cuda": "FAIL"}
    monkeypatch.setattr(
        doctest_matrix, "run_cell",
        lambda cell, matrix_dir, fresh: {"cell": cell.name, "status": outcomes[cell.name], "setup_s": 0.0,
                                         "doctest_s": 12.0, "examples": "5/6", "log": f"{matrix_dir}/{cell.name}/log.txt"},
    )
    assert doctest_matrix.main(["--build-dir", str(tmp_path), "py3.11-cpu", "py3.12-cuda"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^py3\.12-cuda\s+FAIL\s+5/6\s+reused\s+12 s", out, re.M), out
    assert json.loads((tmp_path / "matrix" / "results.json").read_text())[1]["status"] == "FAIL"
    outcomes["py3.12-cuda"] = "pass"
    assert doctest_matrix.main(["--build-dir", str(tmp_path), "py3.11-cpu", "py3.12-cuda"]) == 0


def test_the_site_table_marks_exactly_the_cells():
    lines = doctest_matrix.markdown_table().splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    builds = ["cpu" if "CPU" in h else "cuda" for h in header[1:]]
    marked = set()
    for row in lines[2:]:
        python, *marks = [c.strip() for c in row.strip("|").split("|")]
        marked |= {f"py{python}-{build}" for build, mark in zip(builds, marks) if mark == "✓"}
    assert marked == set(CELLS)
    assert all(doctest_matrix.TORCH_VERSION in h for h in header[1:])
