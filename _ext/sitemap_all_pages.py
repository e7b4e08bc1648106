"""Keep sitemap.xml complete on incremental builds.

sphinx-sitemap lists the pages written by *this* build, so after an incremental
build that rewrote three pages, sitemap.xml lists three pages. Just before it
writes the file, this extension adds every document that was not rewritten.
"""

from __future__ import annotations

import queue

from sphinx_sitemap import is_excluded


def add_unwritten_pages(app, exception):
    links = getattr(app, "sitemap_links", None)  # sphinx-sitemap keeps its queue on the app
    if exception is not None or links is None or app.builder.format != "html":
        return
    written = []
    while True:
        try:
            written.append(links.get_nowait())
        except queue.Empty:
            break
    seen = {link for link, _ in written}
    for docname in sorted(app.env.found_docs):
        link = app.builder.get_target_uri(docname)
        if link not in seen and not is_excluded(link, app.config.sitemap_excludes):
            written.append((link, None))
            seen.add(link)
    for item in sorted(written):
        links.put(item)


def setup(app):
    app.setup_extension("sphinx_sitemap")
    app.connect("build-finished", add_unwritten_pages, priority=400)  # sphinx-sitemap writes at 500
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
