"""The general index (genindex.html) in pinyin order, as Chinese dictionaries sort.

Sphinx groups index entries by their first character, so Chinese terms fall into one group
per code point (一/下/不/交…) in code-point order. Here every entry is filed under the
initial of its pinyin (张量 under Z, next to zip()), Latin names under their own initial,
and sorted by pinyin with tones (pypinyin's Style.TONE3), then by the name itself.
Entries without a letter or a Chinese character keep Sphinx's 「符号」 group, first.

HTML only: other builders write no genindex. A split index (html_split_index, one page per
Sphinx group, which this site does not use) is left as Sphinx writes it.
"""

from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin
from sphinx.application import Sphinx


def is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def first_letter(name: str) -> str | None:
    """'Z' for 张量, 'N' for numpy.arange(), None for a name that starts with neither."""
    stripped = name.lstrip("_")  # Sphinx files _private under its letter, too
    if not stripped:
        return None
    char = stripped[0]
    if is_han(char):
        return lazy_pinyin(char, style=Style.FIRST_LETTER)[0].upper()
    letter = unicodedata.normalize("NFD", char)[0].upper()
    return letter if "A" <= letter <= "Z" else None


def sort_key(name: str) -> tuple:
    """Pinyin syllables with tone numbers (Latin text as itself, lower case), then the name."""
    syllables = lazy_pinyin(name.lstrip("_"), style=Style.TONE3, neutral_tone_with_five=True, errors=lambda text: [text])
    return ([syllable.lower() for syllable in syllables], name)


def regroup(genindex: list, symbols: str) -> list:
    """Sphinx's [(letter, [(name, entry), ...]), ...] regrouped and sorted by pinyin."""
    groups: dict[str, list] = {}
    for _key, entries in genindex:
        for name, entry in entries:
            groups.setdefault(first_letter(name) or symbols, []).append((name, entry))
    ordered = sorted(groups, key=lambda key: (key != symbols, key))
    return [(key, sorted(groups[key], key=lambda item: sort_key(item[0]))) for key in ordered]


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename != "genindex" or "genindexentries" not in context or context.get("split_index"):
        return
    from sphinx.locale import _

    regrouped = regroup(context["genindexentries"], _("Symbols"))
    context["genindexentries"] = regrouped
    if "genindexcounts" in context:
        context["genindexcounts"] = [sum(1 + len(subitems) for _, (_, subitems, _) in entries) for _k, entries in regrouped]


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", on_page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
