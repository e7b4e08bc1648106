"""`make help` lists every target of the Makefile, and every target is .PHONY.

The targets come from make's own database (`make -pq`), not from reading the Makefile's
text, so a target added any way at all is seen. Each break test runs the same check on a
copy of the Makefile with one thing removed.
"""

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKEFILE = ROOT / "Makefile"


def make(makefile: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return subprocess.run(["make", "--no-print-directory", "-f", str(makefile), *args],
                          cwd=ROOT, capture_output=True, text=True, env=env)


def database(makefile: Path) -> tuple[set[str], set[str]]:
    """(targets, .PHONY targets) as make reads them; files such as .venv/.installed left out."""
    lines = make(makefile, "-pRrq", ":").stdout.splitlines()  # -q: runs no recipe
    targets, phony = set(), set()
    for previous, line in zip([""] + lines, lines):
        match = re.match(r"^([^\s#:=]+):(?!=)(.*)$", line)
        if not match or previous == "# Not a target:":
            continue
        name, prerequisites = match.groups()
        if name == ".PHONY":
            phony |= set(prerequisites.split())
        elif not name.startswith(".") and "/" not in name:
            targets.add(name)
    return targets, phony


def help_problems(makefile: Path) -> list[str]:
    """`Makefile:LINE: ...` for each target that `make help` leaves out or that is not .PHONY."""
    result = make(makefile, "help")
    assert result.returncode == 0, result.stderr
    listed = {m.group(1) for m in re.finditer(r"^  (\S+) ", result.stdout, re.M)}
    targets, phony = database(makefile)
    assert targets, "make -pq listed no targets"
    text = makefile.read_text(encoding="utf-8").splitlines()

    def where(target: str) -> str:
        line = next((n for n, t in enumerate(text, 1) if t.startswith(f"{target}:")), 0)
        return f"{makefile.name}:{line}"

    problems = [f"{where(t)}: target '{t}' has no `## text` beside it, so `make help` leaves it out"
                for t in sorted(targets - listed)]
    problems += [f"{where(t)}: target '{t}' is not .PHONY: a file named {t} would stop it from running"
                 for t in sorted(targets - phony)]
    problems += [f"{makefile.name}: `make help` lists '{t}', which is no target" for t in sorted(listed - targets)]
    return problems


def test_make_help_lists_every_target():
    assert help_problems(MAKEFILE) == []


def test_make_help_names_outputs_and_usage():
    out = make(MAKEFILE, "help").stdout
    assert out.startswith("usage: make TARGET")
    assert re.search(r"^  html +build the site into _build/html$", out, re.M), out


def test_a_target_without_help_text_is_caught(tmp_path):
    broken = tmp_path / "Makefile"
    broken.write_text(re.sub(r"^(dist: [^#]*?) ##.*$", r"\1", MAKEFILE.read_text(encoding="utf-8"), flags=re.M),
                      encoding="utf-8")
    (problem,) = help_problems(broken)
    assert re.fullmatch(r"Makefile:\d+: target 'dist' has no `## text` beside it, so `make help` leaves it out", problem)


def test_a_target_that_is_not_phony_is_caught(tmp_path):
    broken = tmp_path / "Makefile"
    broken.write_text(MAKEFILE.read_text(encoding="utf-8").replace(".PHONY: clean\n", ""), encoding="utf-8")
    (problem,) = help_problems(broken)
    assert re.fullmatch(r"Makefile:\d+: target 'clean' is not \.PHONY: .*", problem)


def test_make_requirements_freezes_a_fresh_venv_not_the_working_one():
    """`make -n`: the pins come from a new venv under _build, never from .venv."""
    commands = make(MAKEFILE, "-n", "requirements", "VENV=/nonexistent/venv").stdout
    assert "/nonexistent/venv" not in commands  # neither bootstrapped nor frozen
    fresh = "_build/requirements-venv"
    assert re.search(rf"^rm -rf {fresh}$", commands, re.M)
    assert f'tools/bootstrap.sh "python3" "{fresh}" requirements.in' in commands
    assert f"{fresh}/bin/python -m pip freeze" in commands
    assert re.search(rf"^cmp -s {fresh}/requirements.txt requirements.txt \|\| cp {fresh}/requirements.txt requirements.txt$",
                     commands, re.M)


def test_make_requirements_pins_the_cpu_wheel_as_the_plain_version(tmp_path):
    """The recipe's own sed, run on a freeze of the CPU wheel."""
    commands = make(MAKEFILE, "-n", "requirements").stdout
    sed = re.search(r"(sed '[^']*')", commands).group(1)
    frozen = "numpy==2.4.6\ntorch==2.13.0+cpu\n"
    result = subprocess.run(["sh", "-c", sed], input=frozen, capture_output=True, text=True, check=True)
    assert result.stdout == "numpy==2.4.6\ntorch==2.13.0\n"
