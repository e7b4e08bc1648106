"""The local extensions in _ext/, each on a tiny sphinx.testing project."""

import os
import re
import time

import pytest


@pytest.mark.sphinx("html", testroot="memo-map")
def test_memo_map_links_written_pages_and_marks_the_rest_pending(app, warning):
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr class=\"row-(?:odd|even)\">(.*?)</tr>", html, re.S)
    assert len(rows) == 4  # header + 3 items
    assert 'href="written.html"' in rows[1] and "Written page" in rows[1]
    assert "待写" in rows[2] and "href" not in rows[2]
    assert "待写" in rows[3] and "href" not in rows[3]
    assert "WARNING" not in warning.getvalue()


def touch_later(path):
    os.utime(path, (time.time() + 5, time.time() + 5))


@pytest.mark.sphinx("html", testroot="memo-map", srcdir="memo-map-incremental")
def test_memo_map_follows_an_incremental_build(app):
    app.build()
    assert "待写" in (app.outdir / "index.html").read_text(encoding="utf-8").split("pending item")[1][:400]
    written = app.srcdir / "written.md"  # only the mapped page changes, not the page with the map
    written.write_text("(written)=\n# Retitled page\n", encoding="utf-8")
    touch_later(written)
    app.build()
    assert "Retitled page" in (app.outdir / "index.html").read_text(encoding="utf-8")
    (app.srcdir / "pending.md").write_text("(pending)=\n# Now written\n", encoding="utf-8")
    items = app.srcdir / "items.toml"
    items.write_text(items.read_text(encoding="utf-8").replace('title = "pending item"\n', 'title = "pending item"\npage = "pending"\n'),
                     encoding="utf-8")
    touch_later(items)
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="pending.html"' in html and "Now written" in html
