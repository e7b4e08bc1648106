"""Is this build the hosted site, or a book (PDF, EPUB, one long page)?

EPUB and ``singlehtml`` are HTML builders too (their ``builder.format`` is ``"html"``),
so ``format`` cannot tell them from the site. What only makes sense on the hosted
site (the search index, per-page downloads, the icon font subset, the anchor lock's
``anchors.json``, the citation exports) asks ``is_site(app)`` and does nothing else.
"""

from __future__ import annotations

SITE_BUILDERS = frozenset({"html", "dirhtml"})


def is_site(app) -> bool:
    """The builder writes the site's own pages, one HTML file per page."""
    return app.builder is not None and app.builder.name in SITE_BUILDERS
