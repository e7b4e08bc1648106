"""Ship only the Font Awesome glyphs the site shows.

pydata-sphinx-theme draws its icons (menu, search, colour mode, admonition marks)
with the solid Font Awesome web font, 115 KB that every first visit downloads for
about twenty glyphs. After each HTML build this rewrites the copy in the output
with fontTools' subsetter, keeping every icon that a page, a theme script or the
theme's stylesheet can ask for. tests/test_ext_icon_subset.py checks that no icon
used on the site lost its glyph.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging

from build_cache import BuildCache, digest
from site_builder import is_site

logger = logging.getLogger(__name__)

FONT = "vendor/fontawesome/webfonts/fa-solid-900.woff2"
SUBSET_MAX_BYTES = 10_000  # the theme's full font is 115 KB
STYLESHEET = "styles/pydata-sphinx-theme.css"
# `.fa-bars,.fa-navicon{--fa:"\f0c9"}`: an icon class and its code point.
CLASS_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"(\\[0-9a-f]+|[^"])"\}')
# `--pst-icon-lightbulb:"\f0eb"`, `content: "\1F4A1"`: glyphs stylesheets draw themselves
# (admonition marks, the takeaway's bulb in custom.css).
CSS_GLYPH = re.compile(r'(?:--pst-icon-[a-z-]+|content)\s*:\s*"(\\[0-9a-fA-F]+|[^"])"')
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")


def code_point(css_string: str) -> int:
    return int(css_string[1:], 16) if css_string.startswith("\\") else ord(css_string)


def icon_code_points(stylesheet: str) -> dict[str, int]:
    """Every `fa-*` class the stylesheet defines, with its code point."""
    points = {}
    for classes, value in CLASS_RULE.findall(stylesheet):
        for name in classes.replace(".", "").split(","):
            if name:
                points[name] = code_point(value)
    return points


def used_code_points(outdir: Path) -> set[int]:
    static = outdir / "_static"
    by_class = icon_code_points((static / STYLESHEET).read_text(encoding="utf-8"))
    used = set()
    for css in static.rglob("*.css"):
        used |= {code_point(value) for value in CSS_GLYPH.findall(css.read_text(encoding="utf-8"))}
    sources = [p for p in outdir.rglob("*.html")]
    # The theme's own scripts switch icons at run time; fontawesome.js is never loaded (layout.html).
    sources += [p for p in (outdir / "_static").rglob("*.js") if p.name != "fontawesome.js"]
    for path in sources:
        for name in set(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace"))):
            if name in by_class:
                used.add(by_class[name])
    return used


def theme_font(app) -> Path:
    for directory in app.builder.theme.get_theme_dirs():
        candidate = Path(directory) / "static" / FONT
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(FONT)


def subset_icon_font(app, exception) -> None:
    if exception or not is_site(app):
        return
    target = Path(app.outdir) / "_static" / FONT
    if not target.is_file():
        return
    points = used_code_points(Path(app.outdir))
    source = theme_font(app)
    # Sphinx copies the theme's full font again on every build; the subset of the same
    # glyphs from the same font is taken from the cache instead of made again.
    cache = BuildCache(app, "icon_subset", __file__)
    inputs = digest(source.read_bytes(), ",".join(map(str, sorted(points))))
    font_bytes = cache.result(FONT, inputs, lambda: subset_font(source, points))
    cache.save()
    if target.read_bytes() != font_bytes:
        target.write_bytes(font_bytes)
    logger.info("icon font: kept %d glyphs, %d bytes", len(points), len(font_bytes))


def subset_font(source: Path, points: set[int]) -> bytes:
    """The woff2 font with only the glyphs of these code points."""
    import io

    from fontTools import subset  # imported here: loading it costs every build's start-up a second

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []  # icons are looked up by code point, never by ligature
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def setup(app):
    app.connect("build-finished", subset_icon_font)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
