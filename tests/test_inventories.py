"""The vendored intersphinx inventories: only what upstream documents, at its real URL, offline."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from make_inventories import NUMPY_SHA256, TORCH_DOCUMENTED, read_inventory, resolve, sha256
from torch_documented_names import Parser

ROOT = Path(__file__).resolve().parents[1]

INVENTORIES = ROOT / "inventories"


def documented():
    return json.loads(TORCH_DOCUMENTED.read_text(encoding="utf-8"))


def test_numpy_inventory_is_the_real_numpy_24_one():
    path = INVENTORIES / "numpy.inv"
    assert sha256(path) == NUMPY_SHA256
    assert path.read_bytes().split(b"\n", 3)[1:3] == [b"# Project: NumPy", b"# Version: 2.4"]
    assert len(read_inventory(path)) > 8000


def test_python_inventory_is_the_real_cpython_311_one():
    """Debian's python3.11-doc copy (.ci/run installs the package; make_inventories.py copies it)."""
    header = (INVENTORIES / "python.inv").read_bytes().split(b"\n", 3)
    assert header[1] == b"# Project: Python" and header[2] == b"# Version: 3.11"
    assert len(read_inventory(INVENTORIES / "python.inv")) > 10000


def test_torch_list_records_its_provenance():
    provenance = documented()["provenance"]
    assert provenance["repository"] == "https://github.com/pytorch/pytorch"
    assert "v2.13.0" in provenance["wanted"]
    assert set(provenance["parsed_files_sha256"]) <= {f.removeprefix("docs/source/") for f in provenance["files"]}
    assert all(re.fullmatch(r"[0-9a-f]{40}", commit) for commit in provenance["files"].values())


def test_every_torch_entry_points_at_a_documented_page_and_names_a_real_object():
    """Each URL is one the upstream list names (or a member on its page); each name imports."""
    entries = documented()["entries"]
    listed_uris = {uri for _n, _r, uri, _m in entries}
    member_pages = {uri.split("#")[0] + "#" + name for name, _r, uri, members in entries if members}
    missing, outside = [], []
    for name, role, uri in read_inventory(INVENTORIES / "torch.inv"):
        page_and_owner = uri.rpartition(".")[0]
        if uri not in listed_uris and page_and_owner not in member_pages:
            outside.append(f"{name} -> {uri}")
        try:
            resolve(name)
        except (ImportError, AttributeError):
            owner, _, attribute = name.rpartition(".")
            if attribute not in getattr(resolve(owner), "__annotations__", {}):  # `base_dist: Cauchy` has no value
                missing.append(f"{name} ({role})")
        except Exception:  # noqa: BLE001 - exists, but touching it needs a GPU (cufft_plan_cache)
            pass
    assert outside == []
    assert missing == []


@pytest.mark.parametrize(
    "name",
    [
        "torch.log_softmax",  # upstream has no page for it (only torch.nn.functional.log_softmax)
        "torch.distributions.distribution.Distribution.has_rsample",  # undocumented attribute under :members:
        "torch.Tensor.prelu",
        "torch.prepare_multiprocessing_environment",
        "torch.version.cuda",
    ],
)
def test_names_upstream_does_not_document_are_absent(name):
    assert name not in {n for n, _r, _u in read_inventory(INVENTORIES / "torch.inv")}


@pytest.mark.parametrize(
    ("filename", "name", "uri"),
    [
        ("torch.inv", "torch.stack", "generated/torch.stack.html#torch.stack"),
        ("torch.inv", "torch.Tensor", "tensors.html#torch.Tensor"),
        ("torch.inv", "torch.Tensor.view", "generated/torch.Tensor.view.html#torch.Tensor.view"),
        ("torch.inv", "torch.Size", "size.html#torch.Size"),
        ("torch.inv", "torch.dtype", "tensor_attributes.html#torch.dtype"),
        ("torch.inv", "torch.nn.LayerNorm", "generated/torch.nn.LayerNorm.html#torch.nn.LayerNorm"),
        ("torch.inv", "torch.nn.functional", "nn.html#module-torch.nn.functional"),
        ("torch.inv", "torch.nn.functional.log_softmax",
         "generated/torch.nn.functional.log_softmax.html#torch.nn.functional.log_softmax"),
        ("torch.inv", "torch.nn.Module.eval", "generated/torch.nn.Module.html#torch.nn.Module.eval"),
        ("torch.inv", "torch.distributions.normal.Normal.rsample",
         "distributions.html#torch.distributions.normal.Normal.rsample"),
        ("torch.inv", "torch.distributions.normal.Normal.has_rsample",
         "distributions.html#torch.distributions.normal.Normal.has_rsample"),
        # sphinx-codeautolink looks names up where they are defined
        ("torch.inv", "torch.nn.modules.conv.Conv1d", "generated/torch.nn.Conv1d.html#torch.nn.Conv1d"),
        ("torch.inv", "torch.utils.data.dataloader.DataLoader", "data.html#torch.utils.data.DataLoader"),
        ("numpy.inv", "numpy.arange", "reference/generated/numpy.arange.html#numpy.arange"),
        ("numpy.inv", "numpy.random.default_rng", "reference/random/generator.html#numpy.random.default_rng"),
        ("python.inv", "zip", "library/functions.html#zip"),
        ("python.inv", "str.strip", "library/stdtypes.html#str.strip"),
    ],
)
def test_urls_follow_each_sites_layout(filename, name, uri):
    entries = {(n, u) for n, _r, u in read_inventory(INVENTORIES / filename)}
    assert (name, uri) in entries


def test_conf_points_at_versioned_docs_and_local_files():
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    urls = re.findall(r'"(https://[^"]+)", str\(INVENTORIES / "(\w+)\.inv"\)', conf)
    assert dict((name, url) for url, name in urls) == {
        "python": "https://docs.python.org/3.11/",
        "numpy": "https://numpy.org/doc/2.4/",
        "torch": "https://docs.pytorch.org/docs/2.13/",
    }
    assert "stable" not in conf.split("intersphinx_mapping")[1].split("}")[0]


def test_make_inventories_reproduces_the_committed_inventories(tmp_path):
    """The command `make inventories` runs, writing elsewhere, gives what is committed."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    dry_run = subprocess.run(["make", "-n", "--no-print-directory", "inventories", f"VENV={sys.prefix}"],
                             cwd=ROOT, capture_output=True, text=True, check=True, env=env).stdout
    (command,) = [line for line in dry_run.splitlines() if "tools/make_inventories.py" in line]
    subprocess.run([*shlex.split(command), "--out", str(tmp_path)], cwd=ROOT, check=True, capture_output=True)
    for filename in ("python.inv", "numpy.inv", "torch.inv"):
        assert (tmp_path / filename).read_bytes() == (INVENTORIES / filename).read_bytes(), filename


def test_make_inventories_refuses_another_numpy_inventory(tmp_path):
    fake = tmp_path / "objects.inv"
    fake.write_bytes((INVENTORIES / "numpy.inv").read_bytes() + b"x")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_inventories.py"),
                             "--numpy", str(fake), "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode != 0 and "not the NumPy 2.4 objects.inv" in result.stderr


def test_parser_follows_the_directives_sphinx_follows(tmp_path):
    """A tiny docs/source in upstream's style: what gets a page or anchor, and what does not."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "nn.md").write_text(
        "# torch.nn\n\n"
        "```{eval-rst}\n.. automodule:: torch.nn\n```\n\n"
        "```{eval-rst}\n.. currentmodule:: torch\n```\n\n"
        "```{eval-rst}\n.. autosummary::\n    :toctree: generated\n    :nosignatures:\n"
        "    :template: classtemplate.rst\n\n    nn.Conv1d\n    ~nn.LayerNorm\n```\n\n"
        "```{eval-rst}\n.. autosummary::\n    :nosignatures:\n\n    torch.Tensor.grad\n```\n\n"
        "A code block is not a directive:\n\n```\n.. autofunction:: torch.ones\n```\n\n"
        "```{eval-rst}\n.. py:module:: torch.nn.functional\n```\n",
        encoding="utf-8")
    (source / "distributions.rst").write_text(
        ".. currentmodule:: torch.distributions.normal\n"
        ".. autoclass:: Normal\n    :members:\n    :undoc-members:\n\n"
        ".. class:: NotImported()\n\n   Plain directives need no import.\n\n"
        ".. autofunction:: no_such_function\n",
        encoding="utf-8")
    parser = Parser(source)
    for path in sorted(source.iterdir()):
        parser.parse(path)
    assert sorted(parser.entries.values(), key=lambda e: e[0]) == [
        ["torch.distributions.normal.Normal", "py:class", "distributions.html#torch.distributions.normal.Normal",
         {"undoc": True, "inherited": False}],
        ["torch.distributions.normal.NotImported", "py:class", "distributions.html#torch.distributions.normal.NotImported", None],
        ["torch.nn", "py:module", "nn.html#module-torch.nn", None],
        ["torch.nn.Conv1d", "py:class", "generated/torch.nn.Conv1d.html#torch.nn.Conv1d", {"undoc": False, "inherited": False}],
        ["torch.nn.LayerNorm", "py:class", "generated/torch.nn.LayerNorm.html#torch.nn.LayerNorm",
         {"undoc": False, "inherited": False}],
        ["torch.nn.functional", "py:module", "nn.html#module-torch.nn.functional", None],
    ]
    assert parser.unresolved == ["torch.distributions.normal.no_such_function"]
