"""The theme's interface strings in the site's language, from the committed catalogs in locale/.

Sphinx compiles and prefers `sphinx.po` from `locale_dirs` by itself: that domain covers
Sphinx's and pydata-sphinx-theme's strings. sphinx-book-theme translates its own strings
through a second gettext domain, `booktheme`, which Sphinx neither compiles nor looks up
in `locale_dirs`. This extension compiles every other domain's `.po` to `.mo` when the
`.po` is newer (the `.mo` files are build outputs, never committed) and registers it
before the theme registers its own catalog, so that ours is asked first and the theme's
only for strings we leave out.
"""

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.i18n import CatalogRepository


def register_theme_catalogs(app: Sphinx, config: Config) -> None:
    if not config.language or not config.locale_dirs:
        return
    repo = CatalogRepository(app.srcdir, config.locale_dirs, config.language, config.source_encoding)
    for catalog in repo.catalogs:
        if catalog.domain == "sphinx":
            continue  # Sphinx's own start-up has compiled and loaded it already
        if catalog.is_outdated():
            catalog.write_mo(config.language)
        locale_dir = catalog.base_dir.parent.parent  # <locale_dir>/<language>/LC_MESSAGES
        app.add_message_catalog(catalog.domain, locale_dir)


def setup(app: Sphinx) -> dict:
    # config-inited comes before the builder loads the HTML theme, whose own setup()
    # registers the theme's catalog after ours: gettext asks ours first.
    app.connect("config-inited", register_theme_catalogs)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
