"""Write the intersphinx inventories that conf.py reads from inventories/.

Offline (the default): python.inv is copied from Debian's python3.11-doc
package; numpy.inv and torch.inv are generated from the installed packages,
following each project's own URL layout:

* NumPy: ``reference/generated/numpy.<name>.html`` for functions, ndarray
  members and linalg; ``reference/random/...`` for the random module; scalar
  types on ``reference/arrays.scalars.html``.
* PyTorch (see pytorch/pytorch docs/source/*.rst): autosummary pages
  ``generated/<name>.html`` for functions, Tensor members, nn modules,
  nn.functional, cuda and autograd; ``torch.Tensor`` on ``tensors.html``,
  ``torch.Size`` on ``size.html``, ``torch.dtype``/``torch.device`` on
  ``tensor_attributes.html``, distributions on ``distributions.html``.

``--live`` downloads the real inventories instead (needs a network).

Usage: python tools/make_inventories.py [--live] [--out inventories]
"""

from __future__ import annotations

import argparse
import inspect
import shutil
import urllib.request
import zlib
from pathlib import Path

DEBIAN_PYTHON_INV = Path("/usr/share/doc/python3.11/html/objects.inv")
LIVE = {
    "python.inv": "https://docs.python.org/3.11/objects.inv",
    "numpy.inv": "https://numpy.org/doc/2.4/objects.inv",
    "torch.inv": "https://docs.pytorch.org/docs/2.13/objects.inv",
}

Entry = tuple[str, str, str]  # (name, "domain:role", uri); each "$" in uri stands for name


def write_inventory(path: Path, project: str, version: str, entries: list[Entry]) -> None:
    lines = []
    for name, role, uri in sorted(set(entries)):
        full = uri.replace("$", name)
        if full.endswith("#" + name):  # the format's own shorthand for "anchor = name"
            full = full[: -len(name)] + "$"
        lines.append(f"{name} {role} 1 {full} -\n")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    path.write_bytes(header.encode() + zlib.compress("".join(lines).encode(), 9))


def read_inventory(path: Path) -> list[tuple[str, str, str]]:
    """(name, role, full uri) for every entry of an objects.inv file."""
    raw = path.read_bytes()
    body = raw.split(b"\n", 4)[4]
    out = []
    for line in zlib.decompress(body).decode().splitlines():
        name, role, _prio, uri, _disp = line.split(" ", 4)
        out.append((name, role, uri.replace("$", name) if uri.endswith("$") else uri))
    return out


def public(obj) -> list[str]:
    return sorted(n for n in dir(obj) if not n.startswith("_"))


def role_of(obj) -> str:
    if inspect.isclass(obj):
        return "py:class"
    if callable(obj):
        return "py:function"
    return "py:data"


# -- NumPy --------------------------------------------------------------------


def numpy_entries() -> list[Entry]:
    import numpy as np

    gen = "reference/generated/"
    entries: list[Entry] = [("numpy", "py:module", "reference/index.html#module-numpy")]
    scalar_types = {n for n in public(np) if inspect.isclass(getattr(np, n)) and issubclass(getattr(np, n), np.generic)}
    for name in public(np):
        obj = getattr(np, name)
        if inspect.ismodule(obj):
            continue
        full = f"numpy.{name}"
        if name in scalar_types:
            entries.append((full, "py:class", "reference/arrays.scalars.html#$"))
        elif callable(obj):
            entries.append((full, role_of(obj), f"{gen}$.html#$"))
    for name in public(np.ndarray):
        member = getattr(np.ndarray, name)
        role = "py:method" if callable(member) else "py:attribute"
        entries.append((f"numpy.ndarray.{name}", role, f"{gen}$.html#$"))
    for name in public(np.linalg):
        if callable(getattr(np.linalg, name)) and not inspect.isclass(getattr(np.linalg, name)):
            entries.append((f"numpy.linalg.{name}", "py:function", f"{gen}$.html#$"))
    entries.append(("numpy.random", "py:module", "reference/random/index.html#module-numpy.random"))
    entries.append(("numpy.random.default_rng", "py:function", "reference/random/generator.html#$"))
    entries.append(("numpy.random.Generator", "py:class", "reference/random/generator.html#$"))
    for name in public(np.random.Generator):
        entries.append((f"numpy.random.Generator.{name}", "py:method", "reference/random/generated/$.html#$"))
    for name in public(np.random.RandomState):
        if callable(getattr(np.random, name, None)):
            entries.append((f"numpy.random.{name}", "py:function", "reference/random/generated/$.html#$"))
    return entries


# -- PyTorch ------------------------------------------------------------------

TORCH_SPECIAL = {
    "torch.Tensor": ("py:class", "tensors.html#$"),
    "torch.Size": ("py:class", "size.html#$"),
    "torch.dtype": ("py:class", "tensor_attributes.html#$"),
    "torch.device": ("py:class", "tensor_attributes.html#$"),
    "torch.layout": ("py:class", "tensor_attributes.html#$"),
    "torch.memory_format": ("py:class", "tensor_attributes.html#$"),
    "torch.Generator": ("py:class", "generated/$.html#$"),
    "torch.utils.data.Dataset": ("py:class", "data.html#$"),
    "torch.utils.data.DataLoader": ("py:class", "data.html#$"),
}
TORCH_MODULES = {
    "torch": "torch.html#module-torch",
    "torch.nn": "nn.html#module-torch.nn",
    "torch.nn.functional": "nn.functional.html#module-torch.nn.functional",
    "torch.distributions": "distributions.html#module-torch.distributions",
    "torch.cuda": "cuda.html#module-torch.cuda",
    "torch.autograd": "autograd.html#module-torch.autograd",
    "torch.version": "torch.html#module-torch",
}
DISTRIBUTIONS = ["Normal", "Categorical", "OneHotCategorical", "Bernoulli", "Uniform",
                 "Gumbel", "RelaxedOneHotCategorical", "RelaxedBernoulli"]
DISTRIBUTION_METHODS = ["sample", "rsample", "log_prob", "entropy", "has_rsample", "mean", "stddev",
                        "variance", "probs", "logits"]


def torch_entries() -> list[Entry]:
    import torch
    import torch.distributions as D
    import torch.nn as nn
    import torch.nn.functional as F

    entries: list[Entry] = [(name, "py:module", uri) for name, uri in TORCH_MODULES.items()]
    entries += [(name, role, uri) for name, (role, uri) in TORCH_SPECIAL.items()]
    for name in public(torch):
        obj = getattr(torch, name)
        full = f"torch.{name}"
        if full in TORCH_SPECIAL or inspect.ismodule(obj) or not callable(obj):
            continue
        if isinstance(obj, torch.dtype):
            continue
        entries.append((full, role_of(obj), "generated/$.html#$"))
    for name in public(torch.Tensor):
        member = getattr(torch.Tensor, name)
        role = "py:method" if callable(member) else "py:attribute"
        entries.append((f"torch.Tensor.{name}", role, "generated/$.html#$"))
    for name in public(nn):
        obj = getattr(nn, name)
        if inspect.isclass(obj) and issubclass(obj, nn.Module):
            entries.append((f"torch.nn.{name}", "py:class", "generated/$.html#$"))
            # codeautolink looks `nn.Conv1d` up under its defining module (torch.nn.modules.conv.Conv1d)
            entries.append((f"{obj.__module__}.{obj.__qualname__}", "py:class",
                            f"generated/torch.nn.{name}.html#torch.nn.{name}"))
    for name in public(nn.Module):
        if callable(getattr(nn.Module, name)):
            entries.append((f"torch.nn.Module.{name}", "py:method", "generated/torch.nn.Module.html#$"))
            entries.append((f"torch.nn.modules.module.Module.{name}", "py:method",  # same, for codeautolink
                            f"generated/torch.nn.Module.html#torch.nn.Module.{name}"))
    for name in public(F):
        obj = getattr(F, name)
        if inspect.isfunction(obj) or inspect.isbuiltin(obj):
            entries.append((f"torch.nn.functional.{name}", "py:function", "generated/$.html#$"))
    for name in public(torch.cuda):
        if inspect.isfunction(getattr(torch.cuda, name)):
            entries.append((f"torch.cuda.{name}", "py:function", "generated/$.html#$"))
    for name in ("grad", "backward"):
        entries.append((f"torch.autograd.{name}", "py:function", "generated/$.html#$"))
    entries.append(("torch.version.cuda", "py:data", "torch.html#module-torch"))
    for name in ("CUDAExtension", "load", "BuildExtension"):  # cpp_extension.md documents these with autofunction
        entries.append((f"torch.utils.cpp_extension.{name}", "py:function", "cpp_extension.html#$"))
    for name in ("torch.backends.cuda.is_built", "torch.backends.cudnn.version"):
        entries.append((name, "py:function", "backends.html#$"))
    base = D.Distribution
    entries.append((f"{base.__module__}.Distribution", "py:class", "distributions.html#$"))
    for method in DISTRIBUTION_METHODS:
        if hasattr(base, method):
            entries.append((f"{base.__module__}.Distribution.{method}", "py:method", "distributions.html#$"))
    for cls_name in DISTRIBUTIONS:
        cls = getattr(D, cls_name)
        full = f"{cls.__module__}.{cls_name}"  # e.g. torch.distributions.normal.Normal
        entries.append((full, "py:class", "distributions.html#$"))
        for method in DISTRIBUTION_METHODS:
            if method in vars(cls):
                entries.append((f"{full}.{method}", "py:method", "distributions.html#$"))
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--live", action="store_true", help="download the real inventories")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "inventories")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.live:
        for filename, url in LIVE.items():
            with urllib.request.urlopen(url, timeout=30) as response:
                (args.out / filename).write_bytes(response.read())
            print(f"downloaded {url} -> {args.out / filename}")
        return
    import numpy
    import torch

    if DEBIAN_PYTHON_INV.exists():
        shutil.copyfile(DEBIAN_PYTHON_INV, args.out / "python.inv")
        print(f"copied {DEBIAN_PYTHON_INV} -> {args.out / 'python.inv'}")
    else:
        print(f"kept {args.out / 'python.inv'} (install Debian's python3.11-doc to refresh it)")
    for filename, project, version, entries in (
        ("numpy.inv", "NumPy", numpy.__version__, numpy_entries()),
        ("torch.inv", "PyTorch", torch.__version__.split("+")[0], torch_entries()),
    ):
        write_inventory(args.out / filename, project, version, entries)
        print(f"wrote {len(set(entries))} entries -> {args.out / filename}")


if __name__ == "__main__":
    main()
