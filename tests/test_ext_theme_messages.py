"""_ext/theme_messages.py: the project's catalog for sphinx-book-theme's own gettext domain
("booktheme") is compiled at build time and asked before the theme's catalog."""

import pytest

THEIRS = "列印成 PDF"  # sphinx-book-theme's zh_CN catalog (Taiwan usage)
OURS = "打印本页"  # tests/roots/test-theme-messages/locale/zh_CN/LC_MESSAGES/booktheme.po


@pytest.mark.sphinx("html", testroot="theme-messages")
def test_our_booktheme_catalog_is_compiled_and_wins(app):
    app.build()
    assert (app.srcdir / "locale" / "zh_CN" / "LC_MESSAGES" / "booktheme.mo").is_file()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert OURS in html and THEIRS not in html


@pytest.mark.sphinx("html", testroot="theme-messages", srcdir="theme-messages-without", confoverrides={"extensions": []})
def test_without_the_extension_the_theme_catalog_speaks(app):
    """The break test: the same root without the extension shows the theme's own string."""
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert THEIRS in html and OURS not in html
