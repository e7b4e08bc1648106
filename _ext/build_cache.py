"""Remember the results of build-finished steps between builds.

Steps that run after every HTML build (the search index, the page downloads, the icon
font) redo the same work for every page although one page changed. Each keeps its
results here, keyed by a digest of everything the result depends on, in a pickle in
the doctree folder (next to the pickled environment). A digest that differs, a cache
written by another version of the step's module, or a missing or unreadable file
simply means the work is done again.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any


def digest(*parts: str | bytes) -> str:
    """A digest of the parts, in order; a part's boundary cannot be shifted into its neighbour."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


class BuildCache:
    """Results by key, each valid for one digest of its inputs."""

    def __init__(self, app, name: str, code: str, *, keep_unused: bool = False):
        """name: the cache file's name; code: the module that makes the results (its source is part of every key).

        keep_unused: keep entries this build did not ask for (results that are not per
        page, which a build that reads one page still needs next time).
        """
        self.path = Path(app.doctreedir) / f"{name}.cache.pickle"
        self.version = digest(Path(code).read_bytes())
        self.keep_unused = keep_unused
        self.entries: dict[str, tuple[str, Any]] = {}
        self.used: dict[str, tuple[str, Any]] = {}
        try:
            version, entries = pickle.loads(self.path.read_bytes())
        except Exception:  # noqa: BLE001 - missing or truncated: start empty
            return
        if version == self.version:
            self.entries = entries

    def result(self, key: str, inputs: str, make: Callable[[], Any]) -> Any:
        """The result stored for key when it was made from the same inputs; else make() it and store that."""
        stored = self.entries.get(key)
        if stored is None or stored[0] != inputs:
            stored = (inputs, make())
        self.used[key] = stored
        return stored[1]

    def save(self) -> None:
        """Keep the results this build used, and with keep_unused the rest; otherwise entries of pages that are gone go."""
        kept = {**self.entries, **self.used} if self.keep_unused else self.used
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(pickle.dumps((self.version, kept), protocol=pickle.HIGHEST_PROTOCOL))
