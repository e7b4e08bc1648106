"""Remember where sphinx-codeautolink resolved each name in the code examples.

codeautolink links a name such as ``torch.randn(2).view`` by importing the modules
and following the attributes and return annotations (`resolve_location`). For a
one-page rebuild that import is most of the cost: torch alone takes 1.5 to 2.5 s,
although the page's names resolve to the same places as in the previous build.

This keeps each answer (a location, or that the name cannot be resolved) in the
build cache, valid while nothing it may depend on has changed: the Python version,
the installed distributions and their versions, the inventory of link targets, and
for a name that starts in one of the site's own modules (``examples``), that
package's sources. A name not seen before is resolved by codeautolink as usual.
The one place it hooks into codeautolink is the `resolve_location` it calls
(sphinx_codeautolink 0.20.0); tests/test_ext_codeautolink_memo.py checks that the
links are the same with and without the memo.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import sys
import sysconfig
from pathlib import Path

import sphinx_codeautolink.extension as autolink
from sphinx_codeautolink.extension.resolve import CouldNotResolve

from build_cache import BuildCache, digest

UNRESOLVED = "unresolved"
INSTALLED = tuple({Path(sysconfig.get_path(key)).resolve() for key in ("stdlib", "platstdlib", "purelib", "platlib")})
resolve_uncached = autolink.resolve_location


class Memo:
    def __init__(self, app):
        self.cache = BuildCache(app, "codeautolink_memo", __file__, keep_unused=True)
        self.build_inputs: str | None = None
        self.package_inputs: dict[str, str] = {}

    def inputs(self, top: str, inventory) -> str:
        if self.build_inputs is None:
            installed = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
            self.build_inputs = digest(sys.version, *installed, *sorted(inventory))
        if top not in self.package_inputs:
            self.package_inputs[top] = digest(self.build_inputs, *local_sources(top))
        return self.package_inputs[top]

    def resolve(self, chain, inventory) -> str | None:
        key = json.dumps(chain.import_components)
        inputs = self.inputs(chain.import_components[0], inventory)
        kind, value = self.cache.result(key, inputs, lambda: answer(chain, inventory))
        if kind == UNRESOLVED:
            raise CouldNotResolve(value)
        return value


def answer(chain, inventory) -> tuple[str, str | None]:
    """codeautolink's answer as data: ("ok", location), or (UNRESOLVED, why)."""
    try:
        return "ok", resolve_uncached(chain, inventory)
    except CouldNotResolve as error:
        return UNRESOLVED, str(error)


def local_sources(top: str) -> list[str]:
    """Paths and sources of a top-level module that is not installed (the site's own); else nothing."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return []
    if spec is None or spec.origin is None or any(Path(spec.origin).resolve().is_relative_to(r) for r in INSTALLED):
        return []
    roots = [Path(p) for p in spec.submodule_search_locations or []] or [Path(spec.origin)]
    files = sorted(f for root in roots for f in ([root] if root.is_file() else root.rglob("*.py")))
    return [part for f in files for part in (str(f), f.read_text(encoding="utf-8"))]


memo: Memo | None = None


def resolve_location(chain, inventory):
    if memo is None or not chain.import_components:
        return resolve_uncached(chain, inventory)
    return memo.resolve(chain, inventory)


def start(app) -> None:
    global memo
    memo = Memo(app) if app.builder.name in ("html", "dirhtml") else None


def finish(app, exception) -> None:
    global memo
    if memo is not None and exception is None:
        memo.cache.save()
    memo = None


def setup(app):
    app.setup_extension("sphinx_codeautolink")
    autolink.resolve_location = resolve_location
    app.connect("builder-inited", start)
    app.connect("build-finished", finish)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
