"""_ext/icon_subset.py: the shipped icon font is small and still has every glyph the site shows."""

import re
from pathlib import Path

import pydata_sphinx_theme
from fontTools import subset
from fontTools.ttLib import TTFont
from icon_subset import CSS_GLYPH, FONT, ICON_CLASS, STYLESHEET, SUBSET_MAX_BYTES, code_point, icon_code_points


THEME_FONT = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / FONT


def missing_glyphs(site, font_path):
    """`page: icon (U+XXXX)` for every solid icon a page or stylesheet uses that the shipped font lacks."""
    solid = set(TTFont(THEME_FONT).getBestCmap())  # brand icons (GitHub, GitLab) live in another font
    lacks = solid - set(TTFont(font_path).getBestCmap())
    by_class = icon_code_points((site / "_static" / STYLESHEET).read_text(encoding="utf-8"))
    missing = set()
    for page in site.rglob("*.html"):
        for name in set(ICON_CLASS.findall(page.read_text(encoding="utf-8"))) & by_class.keys():
            if by_class[name] in lacks:
                missing.add(f"{page.relative_to(site)}: {name} (U+{by_class[name]:04X})")
    for css in (site / "_static").rglob("*.css"):
        for value in CSS_GLYPH.findall(css.read_text(encoding="utf-8")):
            if code_point(value) in lacks:
                missing.add(f"{css.relative_to(site)}: content U+{code_point(value):04X}")
    return sorted(missing)


def test_every_icon_on_the_site_has_its_glyph(built_site):
    assert missing_glyphs(built_site, built_site / "_static" / FONT) == []


def test_the_icon_font_keeps_only_what_the_site_uses(built_site):
    assert (built_site / "_static" / FONT).stat().st_size < SUBSET_MAX_BYTES


def test_a_missing_glyph_is_reported(built_site, tmp_path):
    """Break test: drop the menu icon (fa-bars) from a copy of the font."""
    font = TTFont(built_site / "_static" / FONT)
    kept = set(font.getBestCmap()) - {0xF0C9}
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    broken = tmp_path / "icons.woff2"
    subset.save_font(font, str(broken), options)
    missing = missing_glyphs(built_site, broken)
    assert missing and all(re.search(r"\.html: fa-(bars|navicon) \(U\+F0C9\)$", line) for line in missing), missing
