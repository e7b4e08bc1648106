"""Sphinx warnings name files as every tool of the site does: `docs/…:line`.

Sphinx prints absolute paths (`/home/…/docs/x.md:12: WARNING: …`), while the lint
and the doctest report print paths relative to the working directory, where `make`
runs. This filter, added after Sphinx's own location translator on each of its log
handlers, rewrites a location under the working directory to the relative form.
"""

from __future__ import annotations

import logging
import os

from sphinx.util.logging import NAMESPACE


class RelativeLocation(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        if isinstance(location, str) and os.path.isabs(location):
            relative = os.path.relpath(location)
            if not relative.startswith(".."):
                record.location = relative
        return True


def setup(app):
    for handler in logging.getLogger(NAMESPACE).handlers:
        if not any(isinstance(f, RelativeLocation) for f in handler.filters):
            handler.addFilter(RelativeLocation())
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
