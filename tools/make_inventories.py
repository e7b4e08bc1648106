"""Write the intersphinx inventories that conf.py reads from inventories/.

Every entry names an object that upstream really documents, at the URL where it lives:

* python.inv: copied from Debian's python3.11-doc package (the real CPython 3.11 inventory).
* numpy.inv: the real ``objects.inv`` of the NumPy 2.4 documentation, vendored unchanged
  (``--numpy`` copies a new one in; the checksum below says which file is vendored).
* torch.inv: built from ``inventories/torch-documented.json``, the names that PyTorch's own
  documentation sources list (written by tools/torch_documented_names.py, provenance inside).
  A class whose upstream directive has ``:members:`` also gets the members autodoc would
  document (public, own unless ``:inherited-members:``, with a docstring unless
  ``:undoc-members:``), found by introspecting the installed torch. sphinx-codeautolink
  looks names up where they are defined (``nn.Conv1d`` is
  ``torch.nn.modules.conv.Conv1d``), so each documented object is also listed under that
  name, pointing at the documented page.

Usage: python tools/make_inventories.py [--numpy objects.inv] [--out inventories]
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import inspect
import json
import re
import shutil
import zlib
from pathlib import Path

from torch_documented_names import resolve, role_of  # resolve: None where the name does not import

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_PYTHON_INV = Path("/usr/share/doc/python3.11/html/objects.inv")
NUMPY_SHA256 = "98acbfa0e1d3e311fdfa8f5ffc41c188f5215ae523a703dd2bfb47aba7e7b6ac"  # numpy.org/doc/2.4/objects.inv
TORCH_DOCUMENTED = ROOT / "inventories" / "torch-documented.json"
LINE = re.compile(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")  # as sphinx.util.inventory parses it

Entry = tuple[str, str, str]  # (name, "domain:role", full uri)


def write_inventory(path: Path, project: str, version: str, entries: list[Entry]) -> None:
    lines = []
    for name, role, uri in sorted(set(entries)):
        if uri.endswith("#" + name):  # the format's own shorthand for "anchor = name"
            uri = uri[: -len(name)] + "$"
        lines.append(f"{name} {role} 1 {uri} -\n")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    path.write_bytes(header.encode() + zlib.compress("".join(lines).encode(), 9))


def read_inventory(path: Path) -> list[Entry]:
    """(name, role, full uri) for every entry of an objects.inv file."""
    body = path.read_bytes().split(b"\n", 4)[4]
    out = []
    for line in zlib.decompress(body).decode().splitlines():
        name, role, _prio, uri, _disp = LINE.match(line.rstrip()).groups()
        out.append((name, role, uri[:-1] + name if uri.endswith("$") else uri))
    return out


# -- members of documented classes, as autodoc selects them -------------------


@functools.cache
def attribute_comments(cls) -> frozenset[str]:
    """Names of `cls`'s attributes that carry a `#:` comment or a docstring below them."""
    from sphinx.pycode import ModuleAnalyzer

    try:
        docs = ModuleAnalyzer.for_module(cls.__module__).find_attr_docs()
    except Exception:  # noqa: BLE001 - no source (a C type): no attribute comments
        return frozenset()
    return frozenset(name for (scope, name) in docs if scope == cls.__qualname__)


def has_doc(cls, name: str) -> bool:
    """autodoc's test: a docstring of its own or inherited from a base (autodoc_inherit_docstrings),
    or, for a plain attribute, a doc comment; a value's docstring that is its type's does not count."""
    for base in inspect.getmro(cls):
        if name in attribute_comments(base):
            return True
        raw = base.__dict__.get(name)
        if raw is None:
            continue
        if isinstance(raw, (staticmethod, classmethod)):
            raw = raw.__func__
        if inspect.isroutine(raw) or inspect.isclass(raw) or inspect.isdatadescriptor(raw):
            if getattr(raw, "__doc__", None):
                return True
    return False


def documented_members(cls, undoc: bool, inherited: bool) -> list[str]:
    if inherited:
        names = {n for base in inspect.getmro(cls) if base is not object for n in vars(base)}
    else:
        names = set(vars(cls)) | set(getattr(cls, "__annotations__", {}))
    out = []
    for name in sorted(names):
        if name.startswith("_"):
            continue
        if undoc or has_doc(cls, name):
            out.append(name)
    return out


def resolves_to(module: str, qualname: str, target) -> bool:
    """Whether `module.qualname` imports as `target` (builtins claim classes that are not importable)."""
    return resolve(f"{module}.{qualname}") is target


def torch_entries(documented: list) -> list[Entry]:
    entries: list[Entry] = []
    for name, role, uri, members in documented:
        entries.append((name, role, uri))
        if members:
            cls = resolve(name)
            page = uri.split("#")[0]
            for member in documented_members(cls, members["undoc"], members["inherited"]):
                entries.append((f"{name}.{member}", role_of(getattr(cls, member, None), cls, member), f"{page}#{name}.{member}"))
    names = {name for name, _role, _uri in entries}
    aliases = []
    for name, role, uri in entries:
        head, _, member = name.rpartition(".")
        target_name = name if role in ("py:class", "py:function", "py:exception") else head
        if role == "py:module":
            continue
        target = resolve(target_name)  # None, e.g., for torch.backends.cuda.cufft_plan_cache, which needs a GPU
        if not (inspect.isclass(target) or inspect.isroutine(target)) or target.__name__ != target_name.rpartition(".")[2]:
            continue  # not a definition but a reference to one, like LazyConv1d.cls_to_become
        module, qualname = getattr(target, "__module__", None), getattr(target, "__qualname__", None)
        if not (isinstance(module, str) and isinstance(qualname, str)) or "<" in qualname:
            continue
        defined = f"{module}.{qualname}" + ("" if target_name == name else f".{member}")
        if defined not in names and defined.startswith("torch.") and resolves_to(module, qualname, target):
            names.add(defined)
            aliases.append((defined, role, uri))
    return entries + aliases


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numpy", type=Path, help="a NumPy 2.4 objects.inv to vendor (checked against the checksum)")
    parser.add_argument("--out", type=Path, default=ROOT / "inventories")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    import torch

    if DEBIAN_PYTHON_INV.exists():
        shutil.copyfile(DEBIAN_PYTHON_INV, args.out / "python.inv")
        print(f"copied {DEBIAN_PYTHON_INV} -> {args.out / 'python.inv'}")
    else:
        if args.out.resolve() != (ROOT / "inventories").resolve():
            shutil.copyfile(ROOT / "inventories" / "python.inv", args.out / "python.inv")
        print("kept the vendored python.inv (install Debian's python3.11-doc to refresh it)")
    numpy_inv = args.numpy or ROOT / "inventories" / "numpy.inv"
    if sha256(numpy_inv) != NUMPY_SHA256:
        raise SystemExit(f"{numpy_inv}: not the NumPy 2.4 objects.inv (sha256 {NUMPY_SHA256})")
    if numpy_inv.resolve() != (args.out / "numpy.inv").resolve():
        shutil.copyfile(numpy_inv, args.out / "numpy.inv")
    print(f"numpy.inv is the real NumPy 2.4 inventory ({len(read_inventory(args.out / 'numpy.inv'))} entries)")
    documented = json.loads(TORCH_DOCUMENTED.read_text(encoding="utf-8"))["entries"]
    entries = torch_entries(documented)
    write_inventory(args.out / "torch.inv", "PyTorch", torch.__version__.split("+")[0], entries)
    print(f"wrote {len(set(entries))} entries ({len(documented)} documented names, their documented members, "
          f"and defining-module aliases) -> {args.out / 'torch.inv'}")


if __name__ == "__main__":
    main()
