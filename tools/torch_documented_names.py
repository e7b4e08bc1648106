"""List the PyTorch names that upstream's own documentation sources document.

Reads ``docs/source/**/*.md|rst`` of a pytorch/pytorch checkout (the ``{eval-rst}`` blocks
of MyST pages, whole ``.rst`` files) and follows the directives Sphinx would:

* ``currentmodule``, ``py:module``/``module`` and ``automodule`` (which also set the
  current module; ``automodule`` with ``:members:`` documents the module's members);
* ``autosummary`` with ``:toctree:``: one generated page ``generated/<name>.html`` per item,
  resolved like autosummary does (current module prefix first, then the name as written);
  ``:template: classtemplate.rst`` documents the class's ``:members:``, as
  ``_templates/classtemplate.rst`` says; an autosummary without ``:toctree:`` generates nothing;
* ``autoclass``/``autofunction``/``autoexception``/``autodata``/``automethod``/
  ``autoattribute``/``autoproperty`` and the plain ``class``/``function``/``method``/
  ``attribute``/``data`` directives: an anchor on the page itself, with the
  ``:members:``/``:undoc-members:``/``:inherited-members:`` options as the member rule.

The result is the data file that ``tools/make_inventories.py`` turns into ``torch.inv``:
one entry ``[name, role, uri, members]`` per documented object, ``members`` being ``null``
or the autodoc rule (``{"undoc": bool, "inherited": bool}``) that says which members of a
class upstream documents on the same page. Objects that the installed torch cannot import
are left out and counted (the sources may be newer or older than the wheel).

Usage: python tools/torch_documented_names.py DOCS_SOURCE_DIR PROVENANCE_JSON [--out FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import inspect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "inventories" / "torch-documented.json"

EVAL_RST = re.compile(r"^(`{3,})\{eval-rst\}[^\n]*\n(.*?)^\1\s*$", re.M | re.S)
DIRECTIVE = re.compile(r"^(\s*)\.\.\s+(?:py:)?([\w-]+)::\s*(.*?)\s*$")
OPTION = re.compile(r"^\s+:([\w-]+):\s*(.*?)\s*$")
MEMBER_TEMPLATES = {"classtemplate.rst"}  # _templates/classtemplate.rst: `.. autoclass:: {{ name }}` + `:members:`
PLAIN = {"class": "py:class", "function": "py:function", "method": "py:method",
         "attribute": "py:attribute", "data": "py:data", "exception": "py:exception"}
AUTO_MODULE_LEVEL = {"autoclass", "autofunction", "autoexception", "autodata", "autodecorator"}
AUTO_CLASS_LEVEL = {"automethod", "autoattribute", "autoproperty"}


def rst_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".rst":
        return [text]
    return [m.group(2) for m in EVAL_RST.finditer(text)]


@dataclass
class Directive:
    name: str
    argument: str
    options: dict[str, str] = field(default_factory=dict)
    content: list[str] = field(default_factory=list)


def directives(block: str) -> list[Directive]:
    """Every directive in an rst block, nested ones included, in source order."""
    lines = block.splitlines()
    found: list[Directive] = []
    i = 0
    while i < len(lines):
        match = DIRECTIVE.match(lines[i])
        if not match:
            i += 1
            continue
        indent = len(match.group(1))
        current = Directive(match.group(2), match.group(3))
        found.append(current)
        i += 1
        while i < len(lines) and (option := OPTION.match(lines[i])) and len(lines[i]) - len(lines[i].lstrip()) > indent:
            current.options[option.group(1)] = option.group(2)
            i += 1
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
            if DIRECTIVE.match(lines[i]):
                break  # a nested directive: parsed on its own in the next round
            if lines[i].strip():
                current.content.append(lines[i].strip())
            i += 1
    return found


def resolve(dotted: str):
    """The object named `dotted`: import the longest module prefix, getattr the rest."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        except Exception:  # noqa: BLE001 - a module that fails at import time is not importable
            return None
        try:
            for attribute in parts[cut:]:
                obj = getattr(obj, attribute)
        except AttributeError:
            return None
        return obj
    return None


def role_of(obj, owner=None, name: str = "") -> str:
    """The Python-domain role autodoc gives `obj` (a member of class `owner` when given)."""
    if inspect.ismodule(obj):
        return "py:module"
    if owner is not None:
        raw = inspect.getattr_static(owner, name, None)
        if isinstance(raw, staticmethod):
            return "py:staticmethod"
        if isinstance(raw, classmethod):
            return "py:classmethod"
        if isinstance(raw, property):
            return "py:property"
        if inspect.isclass(obj):
            return "py:class"
        if inspect.isroutine(raw) or inspect.ismethoddescriptor(raw) and callable(obj):
            return "py:method"
        return "py:attribute"
    if inspect.isclass(obj):
        return "py:exception" if issubclass(obj, BaseException) else "py:class"
    if inspect.isroutine(obj) or callable(obj):
        return "py:function"
    return "py:data"


class Parser:
    def __init__(self, source: Path):
        self.source = source
        self.entries: dict[str, list] = {}
        self.unresolved: list[str] = []

    def add(self, name: str, role: str, uri: str, members=None) -> None:
        self.entries.setdefault(name, [name, role, uri, members])

    def page(self, path: Path) -> str:
        return path.relative_to(self.source).with_suffix(".html").as_posix()

    def parse(self, path: Path) -> None:
        page = self.page(path)
        module = ""
        for block in rst_blocks(path):
            for d in directives(block):
                if d.name == "currentmodule":
                    module = "" if d.argument == "None" else d.argument
                elif d.name in ("module", "automodule"):
                    module = d.argument
                    if "noindex" not in d.options and "no-index" not in d.options:
                        self.add(d.argument, "py:module", f"{page}#module-{d.argument}")
                    if d.name == "automodule" and "members" in d.options:
                        self.module_members(d.argument, page, d.options)
                elif d.name == "autosummary":
                    if "toctree" in d.options:
                        self.autosummary(d, module)
                elif d.name in AUTO_MODULE_LEVEL:
                    full = d.argument if "." in d.argument else f"{module}.{d.argument}"
                    self.documented(full, page, d.options)
                elif d.name in AUTO_CLASS_LEVEL:
                    full = d.argument if d.argument.count(".") >= 2 else f"{module}.{d.argument}"
                    self.documented(full, page, {})
                elif d.name in PLAIN:
                    name = d.argument.split("(")[0].strip()
                    full = f"{module}.{name}" if module else name
                    self.add(full, PLAIN[d.name], f"{page}#{full}")

    def documented(self, full: str, page: str, options: dict[str, str]) -> None:
        obj = resolve(full)
        if obj is None:
            self.unresolved.append(full)
            return
        owner = resolve(full.rpartition(".")[0])
        role = role_of(obj, owner if inspect.isclass(owner) else None, full.rpartition(".")[2])
        self.add(full, role, f"{page}#{full}", member_rule(obj, options))

    def autosummary(self, d: Directive, module: str) -> None:
        template = d.options.get("template", "")
        for item in d.content:
            name = item.lstrip("~")
            candidates = ([f"{module}.{name}"] if module else []) + [name]
            full = next((c for c in candidates if resolve(c) is not None), None)
            if full is None:
                self.unresolved.append(candidates[0])
                continue
            obj = resolve(full)
            owner = resolve(full.rpartition(".")[0])
            role = role_of(obj, owner if inspect.isclass(owner) else None, full.rpartition(".")[2])
            members = {"undoc": False, "inherited": False} if template in MEMBER_TEMPLATES and inspect.isclass(obj) else None
            self.add(full, role, f"generated/{full}.html#{full}", members)

    def module_members(self, modname: str, page: str, options: dict[str, str]) -> None:
        """`automodule` with `:members:`: the module's public members with docstrings (its `__all__`)."""
        mod = resolve(modname)
        names = getattr(mod, "__all__", None) or [n for n, v in vars(mod).items()
                                                  if getattr(v, "__module__", None) == modname]
        for name in names:
            obj = getattr(mod, name, None)
            if name.startswith("_") or obj is None:
                continue
            documented = "undoc-members" in options or bool(getattr(obj, "__doc__", None))
            if inspect.isclass(obj) or inspect.isroutine(obj):
                if documented:
                    full = f"{modname}.{name}"
                    self.add(full, role_of(obj), f"{page}#{full}", member_rule(obj, options))


def member_rule(obj, options: dict[str, str]):
    if not inspect.isclass(obj) or "members" not in options or "no-members" in options:
        return None
    return {"undoc": "undoc-members" in options, "inherited": "inherited-members" in options}


def dump(data: dict) -> str:
    """JSON with one entry a line, so that a diff shows which names came or went."""
    entries = ",\n".join("  " + json.dumps(e, ensure_ascii=False) for e in data["entries"])
    provenance = json.dumps(data["provenance"], indent=1, ensure_ascii=False)
    return f'{{\n "provenance": {provenance},\n "entries": [\n{entries}\n ]\n}}\n'


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="docs/source of a pytorch/pytorch checkout")
    parser.add_argument("provenance", type=Path, help="JSON: where the sources came from")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    import torch

    files = sorted(p for p in args.source.rglob("*") if p.suffix in (".md", ".rst") and "_templates" not in p.parts)
    p = Parser(args.source)
    for path in files:
        p.parse(path)
    provenance = json.loads(args.provenance.read_text(encoding="utf-8"))
    provenance["parsed_files_sha256"] = {f.relative_to(args.source).as_posix(): sha256(f) for f in files}
    provenance["introspected_with"] = f"torch {torch.__version__} ({torch.version.git_version})"
    provenance["left_out_not_importable"] = sorted(set(p.unresolved))
    data = {"provenance": provenance, "entries": sorted(p.entries.values())}
    args.out.write_text(dump(data), encoding="utf-8")
    print(f"{len(data['entries'])} documented names from {len(files)} files -> {args.out} "
          f"({len(p.unresolved)} not importable in torch {torch.__version__}, left out)")


if __name__ == "__main__":
    main()
