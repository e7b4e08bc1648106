"""Let a build's process end without Python's final garbage collections.

When the interpreter shuts down it runs full collections that visit every object
still alive: Sphinx's environment and doctrees, and in `make doctest` everything torch
and transformers loaded. That took 1.3 to 2 s of every `make doctest`, after the last
test had run. gc.freeze(), called at exit, moves those objects out of the collector's
reach, so the process ends as soon as the modules are torn down. Objects still have
their reference counts dropped and files are closed as usual; only finalizers of
reference cycles that are alive at exit no longer run, which Python never promised.
The hook runs at exit only, so a long-lived process (pytest building test projects)
collects garbage as before.
"""

from __future__ import annotations

import atexit
import gc


def setup(app):
    atexit.unregister(gc.freeze)  # once per process, however many builds load the extension
    atexit.register(gc.freeze)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
