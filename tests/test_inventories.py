"""The vendored intersphinx inventories: real objects, versioned URLs, offline."""

import importlib
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from make_inventories import read_inventory  # noqa: E402

INVENTORIES = ROOT / "inventories"


def resolve(dotted: str):
    """Import the longest importable module prefix of `dotted`, then getattr the rest."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(dotted)


@pytest.mark.parametrize("filename", ["numpy.inv", "torch.inv"])
def test_every_generated_entry_names_an_installed_object(filename):
    entries = read_inventory(INVENTORIES / filename)
    assert len(entries) > 300
    missing = []
    for name, role, _uri in entries:
        try:
            resolve(name)
        except (ImportError, AttributeError):
            missing.append(f"{name} ({role})")
    assert missing == []


@pytest.mark.parametrize(
    ("filename", "name", "uri"),
    [
        ("torch.inv", "torch.stack", "generated/torch.stack.html#torch.stack"),
        ("torch.inv", "torch.Tensor", "tensors.html#torch.Tensor"),
        ("torch.inv", "torch.Tensor.view", "generated/torch.Tensor.view.html#torch.Tensor.view"),
        ("torch.inv", "torch.Size", "size.html#torch.Size"),
        ("torch.inv", "torch.dtype", "tensor_attributes.html#torch.dtype"),
        ("torch.inv", "torch.nn.LayerNorm", "generated/torch.nn.LayerNorm.html#torch.nn.LayerNorm"),
        ("torch.inv", "torch.distributions.normal.Normal.rsample",
         "distributions.html#torch.distributions.normal.Normal.rsample"),
        ("numpy.inv", "numpy.arange", "reference/generated/numpy.arange.html#numpy.arange"),
        ("numpy.inv", "numpy.random.default_rng", "reference/random/generator.html#numpy.random.default_rng"),
        ("python.inv", "zip", "library/functions.html#zip"),
        ("python.inv", "str.strip", "library/stdtypes.html#str.strip"),
    ],
)
def test_urls_follow_each_sites_layout(filename, name, uri):
    entries = {(n, u) for n, _r, u in read_inventory(INVENTORIES / filename)}
    assert (name, uri) in entries


def test_python_inventory_is_the_real_cpython_311_one():
    header = (INVENTORIES / "python.inv").read_bytes().split(b"\n", 3)
    assert header[1] == b"# Project: Python" and header[2] == b"# Version: 3.11"
    assert len(read_inventory(INVENTORIES / "python.inv")) > 10000


def test_conf_points_at_versioned_docs_and_local_files():
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    urls = re.findall(r'"(https://[^"]+)", str\(INVENTORIES / "(\w+)\.inv"\)', conf)
    assert dict((name, url) for url, name in urls) == {
        "python": "https://docs.python.org/3.11/",
        "numpy": "https://numpy.org/doc/2.4/",
        "torch": "https://docs.pytorch.org/docs/2.13/",
    }
    assert "stable" not in conf.split("intersphinx_mapping")[1].split("}")[0]


def test_generator_reproduces_the_committed_inventories(tmp_path):
    import subprocess

    subprocess.run([sys.executable, str(ROOT / "tools" / "make_inventories.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for filename in ("numpy.inv", "torch.inv"):
        assert read_inventory(tmp_path / filename) == read_inventory(INVENTORIES / filename), filename
