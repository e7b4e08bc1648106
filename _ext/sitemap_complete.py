"""Workaround for sphinx-sitemap#13 (open since 2018): in an incremental build its sitemap
lists only the pages that build wrote, so `make html` after an edit left a sitemap of one
page. At the end of the build, the pages it did not write go through sphinx-sitemap's own
``add_html_link`` (its link format, its excludes), before sphinx-sitemap writes the file.
Delete this module when tests/test_ext_sitemap_complete.py's break test starts failing.
"""

from __future__ import annotations

from site_builder import is_site


def start(app):
    app.sitemap_written = set()


def note_written(app, pagename, templatename, context, doctree):
    app.sitemap_written.add(pagename)


def add_unwritten(app, exception):
    if exception is not None or not is_site(app) or "sphinx_sitemap" not in app.extensions:
        return
    from sphinx_sitemap import add_html_link

    for docname in sorted(app.env.found_docs - app.sitemap_written):
        add_html_link(app, docname, None, None, None)


def setup(app):
    app.connect("builder-inited", start)
    app.connect("html-page-context", note_written)
    app.connect("build-finished", add_unwritten, priority=400)  # sphinx-sitemap writes at 500
    return {"parallel_read_safe": True, "parallel_write_safe": True}
