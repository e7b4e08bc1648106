"""Each hosting pipeline, run as its runner runs it: the commands of its config, in order, under
that runner's constraints (tests/runners.py), as far as they run offline here.

- GitHub Pages (.github/workflows/pages.yml): a job container, as root, CI=true, Docker's
  seccomp rules: no network namespace, so the offline proof is tools/offline_guard.
- Read the Docs (.readthedocs.yaml): a builder in a Docker container too, not root and without
  apt, READTHEDOCS=True, output in $READTHEDOCS_OUTPUT.
- The doctest matrix (.github/workflows/doctest-matrix.yml): a cell's `make doctest-matrix` on an
  Ubuntu runner, where AppArmor refuses user namespaces (emulated by the same seccomp rules), CI=true.

Where a step needs the network (a venv from PyPI, `make test` inside `make test`), a stand-in named
in STAND_INS runs instead; a step the tests do not know fails them until it is given one.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml
from runners import NOBODY, docker_job, rtd_builder, venv_view, working_tree_copy
from site_build import ROOT

import snapshot

PAGES = ROOT / ".github" / "workflows" / "pages.yml"
RTD = ROOT / ".readthedocs.yaml"
MATRIX = ROOT / ".github" / "workflows" / "doctest-matrix.yml"
ONE_PAGE = "docs/tensors/view-vs-reshape.md"
UNREACHABLE_INDEX = "http://127.0.0.1:9/simple"  # the discard port: any download from it fails at once


def clean_env(**extra) -> dict[str, str]:
    """The environment of a fresh runner: nothing from the make or CI that runs pytest."""
    keep = ("PATH", "LANG", "LC_ALL", "TERM", "PYENV_ROOT")
    return {**{k: v for k, v in os.environ.items() if k in keep}, **extra}


def run_steps(steps: list[tuple[str, str]], wrap, cwd: Path, env: dict) -> list[tuple[str, subprocess.CompletedProcess]]:
    """Run (name, script) steps with bash -e, each wrapped by `wrap`, until one fails."""
    done = []
    for name, script in steps:
        result = subprocess.run(wrap(["bash", "-e", "-c", script]), cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        done.append((name, result))
        if result.returncode != 0:
            break
    return done


def failures(done) -> list[str]:
    return [f"step {name!r} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
            for name, result in done if result.returncode != 0]


# -- GitHub Pages -------------------------------------------------------------------------------


def make_shim(folder: Path, stand_ins: dict[str, str]) -> Path:
    """A `make` first on PATH that runs the stand-in targets where a step asks for a target of `stand_ins`."""
    folder.mkdir(parents=True, exist_ok=True)
    real = shutil.which("make")
    shim = folder / "make"
    cases = "".join(f'    {target}) args+=({targets}) ;;\n' for target, targets in stand_ins.items())
    shim.write_text(f'#!/bin/bash\nargs=()\nfor a in "$@"; do\n  case "$a" in\n{cases}    *) args+=("$a") ;;\n  esac\n'
                    f'done\nexec {real} "${{args[@]}}"\n')
    shim.chmod(0o755)
    return folder


def pages_steps(workflow: dict) -> list[tuple[str, str]]:
    steps = workflow["jobs"]["build"]["steps"]
    unknown = [s for s in steps if "run" not in s and not s.get("uses", "").startswith(("actions/checkout@", "actions/upload-pages-artifact@"))]
    assert not unknown, f"{PAGES.relative_to(ROOT)}: steps the pipeline test cannot run yet: {unknown}"
    return [(s.get("name", s["run"]), s["run"]) for s in steps if "run" in s]


def uploaded_path(workflow: dict) -> str:
    return next(s for s in workflow["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))["with"]["path"]


def run_pages_job(built_site: Path, tmp: Path, makeflags: str = ""):
    """The Pages build job in a container: checkout (a copy of this tree), then its run steps in order.

    Stand-ins: the venv is this session's, already complete (its `.installed` is set, so make's
    bootstrap, which would download requirements.txt, has nothing to do), and `make cpu-torch` sees
    an index that cannot be reached (so it must find torch installed, not download it); `make test`, which runs around this very test, becomes its
    step that needs the offline proof (offline-check and one page's doctests); the strict build it
    would leave in _build/html is this session's (hard links). `make test-pipelines` (which runs this
    very test), `make test-release` and `make snapshot` (full builds) are dry runs, the snapshot being this session's build, sealed; `origin` is a bare
    repository here, which receives the archive branch; the job runs for the tag v<VERSION>."""
    workflow = yaml.safe_load(PAGES.read_text(encoding="utf-8"))
    checkout = working_tree_copy(tmp / "checkout")
    (tmp / "home").mkdir()
    venv = venv_view(tmp / "venv")
    (venv / ".installed").touch()
    stand_ins = {"test": f"offline-check doctest FILES={ONE_PAGE}", "test-pipelines": "-n test-pipelines",
                 "test-release": "-n test-release", "snapshot": "-n snapshot"}
    version = (checkout / "VERSION").read_text(encoding="utf-8").strip()
    env = clean_env(CI="true", HOME=str(tmp / "home"), GITHUB_WORKSPACE=str(checkout), GITHUB_REF_NAME=f"v{version}",
                    PATH=f"{make_shim(tmp / 'shim', stand_ins)}:{os.environ['PATH']}",
                    MAKEFLAGS=f"VENV={venv} TORCH_CPU_INDEX={UNREACHABLE_INDEX} {makeflags}".strip())
    (checkout / "_build").mkdir()
    subprocess.run(["cp", "-al", str(built_site), str(checkout / "_build" / "html")], check=True)
    (checkout / "_build" / "snapshot" / version).mkdir(parents=True)
    subprocess.run(["cp", "-al", str(built_site), str(checkout / "_build" / "snapshot" / version / "html")], check=True)
    snapshot.seal(checkout / "_build" / "snapshot" / version, 1700000000)
    subprocess.run(["git", "init", "-q", "--bare", str(tmp / "origin.git")], check=True)
    subprocess.run(["git", "remote", "remove", "origin"], cwd=checkout, capture_output=True)
    subprocess.run(["git", "remote", "add", "origin", str(tmp / "origin.git")], cwd=checkout, check=True)
    done = run_steps(pages_steps(workflow), docker_job, checkout, env)
    return workflow, checkout, done


@pytest.mark.pipeline
def test_pages_job_runs_in_a_job_container(built_site, tmp_path):
    workflow, checkout, done = run_pages_job(built_site, tmp_path)
    assert failures(done) == []
    log = "".join(result.stdout + result.stderr for _, result in done)
    assert "unshare -rn` cannot enter a network namespace here; Python refuses the network instead" in log, log[-3000:]
    assert re.search(r"^\s*\d+ passed", log, re.M) or "0 failures in tests" in log, log[-3000:]
    site = checkout / uploaded_path(workflow)
    assert (site / "index.html").is_file() and (site / ".nojekyll").is_file()
    assert not (site / ".doctrees").exists() and (built_site / ".doctrees").is_dir()  # the session's build is untouched
    version = (checkout / "VERSION").read_text(encoding="utf-8").strip()
    archived = subprocess.run(["git", "--git-dir", str(tmp_path / "origin.git"), "ls-tree", "-r", "--name-only", "archive"],
                              capture_output=True, text=True).stdout.split()
    assert f"{version}/SHA256SUMS" in archived and (site / "v" / version / "index.html").is_file()


def test_pages_job_with_the_namespace_as_its_only_proof_is_caught(built_site, tmp_path):
    """The break test: `unshare -rn` alone (no guard) stops the job before it deploys."""
    _, _, done = run_pages_job(built_site, tmp_path, makeflags="OFFLINE_GUARD=")
    name, result = done[-1]
    assert result.returncode != 0 and ".ci/run" in name + PAGES.read_text(encoding="utf-8"), done
    assert "CI=true requires the offline check" in result.stderr, result.stderr[-2000:]


def test_chromium_runs_in_a_job_container_with_its_small_shared_memory(built_site):
    """A job container's /dev/shm is 64 MB: the browser tests' Chromium must not depend on it."""
    from site_browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}") if os.environ.get("CI") != "true" else pytest.fail(f"no {CHROMIUM}")
    assert "--disable-dev-shm-usage" in CHROMIUM_ARGS
    page = (built_site / "index.html").as_uri()
    chromium = [str(CHROMIUM), "--headless", *CHROMIUM_ARGS, f"--user-data-dir={built_site.parent / '.chromium-shm-test'}", "--dump-dom", page]
    script = f"mount -t tmpfs -o size=64m tmpfs /dev/shm && exec {shlex.join(docker_job(chromium))}"
    result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                            capture_output=True, text=True, timeout=120)
    shutil.rmtree(built_site.parent / ".chromium-shm-test", ignore_errors=True)
    assert result.returncode == 0 and "</html>" in result.stdout, result.stderr[-2000:]


# -- Read the Docs ------------------------------------------------------------------------------

# Read the Docs' own steps between the config's jobs (docs.readthedocs.com: "Build process overview").
RTD_ORDER = ["post_checkout", "pre_system_dependencies", "post_system_dependencies", "pre_create_environment",
             "create_environment", "post_create_environment", "pre_install", "install", "post_install", "pre_build",
             "build", "post_build"]


def rtd_steps(config: dict) -> list[tuple[str, str]]:
    jobs = config["build"]["jobs"]
    assert not set(jobs) - set(RTD_ORDER), f"{RTD.relative_to(ROOT)}: unknown jobs {set(jobs) - set(RTD_ORDER)}"
    assert "apt_packages" not in config["build"] or isinstance(config["build"]["apt_packages"], list)
    steps = []
    for job in RTD_ORDER:
        if job == "install" and "install" not in jobs:  # Read the Docs installs python.install into its venv
            steps += [(f"python.install {req['requirements']}",
                       f'"$READTHEDOCS_VIRTUALENV_PATH/bin/python" -m pip install --exists-action=w --no-cache-dir -r {req["requirements"]}')
                      for req in config.get("python", {}).get("install", []) if "requirements" in req]
        commands = jobs.get(job, [])
        if isinstance(commands, dict):  # build: {html: [...], pdf: [...], epub: [...]}, html first
            steps += [(f"{job}.{fmt}: {c}", c) for fmt, cmds in commands.items() for c in cmds]
        else:
            steps += [(f"{job}: {c}", c) for c in commands]
    return steps


@pytest.fixture
def builder_home():
    """A folder of the builder's own, outside pytest's tmp_path, which only root may enter."""
    folder = Path(tempfile.mkdtemp(prefix="rtd-builder-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.pipeline
def test_read_the_docs_builds_as_a_user_without_root_or_apt(builder_home):
    tmp_path = builder_home
    config = yaml.safe_load(RTD.read_text(encoding="utf-8"))
    checkout = working_tree_copy(tmp_path / "checkout", owner=NOBODY)
    for folder in ("home", "output"):
        (tmp_path / folder).mkdir()
        os.chown(tmp_path / folder, NOBODY, NOBODY)
    venv = venv_view(tmp_path / "venv")
    os.chown(venv, NOBODY, NOBODY)
    env = clean_env(READTHEDOCS="True", READTHEDOCS_OUTPUT=str(tmp_path / "output"),
                    READTHEDOCS_VIRTUALENV_PATH=str(venv), HOME=str(tmp_path / "home"),
                    READTHEDOCS_CANONICAL_URL="https://memo-docs.readthedocs.io/zh-cn/latest/",
                    MAKEFLAGS=f"TORCH_CPU_INDEX={UNREACHABLE_INDEX}")
    probe = subprocess.run(rtd_builder(["bash", "-c", "id -u; apt-get install -y -q hello"]), env=env,
                           capture_output=True, text=True)
    assert probe.stdout.split()[0] == str(NOBODY) and probe.returncode != 0, "the builder could install with apt"
    done = run_steps(rtd_steps(config), lambda argv: docker_job(rtd_builder(argv)), checkout, env)
    assert failures(done) == []
    assert "Python refuses the network instead" in "".join(result.stderr for _, result in done)
    assert any("make strict" in name for name, _ in done), [name for name, _ in done]
    assert (tmp_path / "output" / "html" / "index.html").is_file()
    assert [name for name, _ in done if name.startswith("build.")][0].startswith("build.html"), "html before the book"
    for book in ("pdf/memo.pdf", "epub/memo.epub", "html/memo.pdf", "html/memo.epub"):
        assert (tmp_path / "output" / book).is_file(), f"Read the Docs would not serve {book}"


def test_read_the_docs_steps_follow_its_build_order():
    config = {"build": {"jobs": {"post_install": ["b"], "pre_install": ["a"], "build": {"html": ["c"]}}},
              "python": {"install": [{"requirements": "requirements.txt"}]}}
    assert [name.split(":")[0] for name, _ in rtd_steps(config)] == ["pre_install", "python.install requirements.txt", "post_install", "build.html"]
    with pytest.raises(AssertionError, match="unknown jobs"):
        rtd_steps({"build": {"jobs": {"pre_biuld": ["x"]}}})


# -- the doctest matrix -------------------------------------------------------------------------


@pytest.mark.pipeline
def test_a_matrix_cell_runs_on_an_ubuntu_runner(tmp_path):
    """The py3.11-cpu cell's own command (`make doctest-matrix CELLS=...`) with its venv already set
    up (setting it up needs PyPI), under CI=true and without user namespaces: every page's doctests."""
    workflow = yaml.safe_load(MATRIX.read_text(encoding="utf-8"))
    step = next(s["run"] for s in workflow["jobs"]["doctest"]["steps"] if "make doctest-matrix" in s.get("run", ""))
    cell = "py3.11-cpu"
    command = step.replace("${{ matrix.cell }}", cell)
    assert command == f"make doctest-matrix CELLS={cell}", command
    build = tmp_path / "build"
    venv = venv_view(build / "matrix" / cell / "venv")
    (venv / ".installed").touch()  # newer than requirements.txt: the cell is set up
    env = clean_env(CI="true", HOME=str(tmp_path), MAKEFLAGS=f"BUILDDIR={build}")
    result = subprocess.run(docker_job(["bash", "-e", "-c", command]), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    log = (build / "matrix" / cell / "log.txt").read_text()
    assert "Python refuses the network instead" in log and "tools/offline_guard" in log, log[-2000:]
    assert re.search(rf"{cell}\s+pass", result.stdout), result.stdout
