"""One citation in the formats the site prints: BibTeX, GB/T 7714-2015, CSL-JSON,
Highwire Press meta tags and schema.org JSON-LD. No Sphinx here: cite_page fills
in the fields, these functions only format them, so every format says the same."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from docutils import nodes

ACCESS_DATE = "[引用日期]"

LATEX_SPECIALS = {char: "\\" + char for char in "{}&%$#_"} | {
    "\\": "\\textbackslash{}", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"}


def bibtex_escape(text: str) -> str:
    return "".join(LATEX_SPECIALS.get(char, char) for char in text)


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
class Citation:
    key: str
    title: str
    site: str  # the site's title; empty when the entry cites the whole site
    author: str
    url: str
    version: str
    date: str  # YYYY-MM-DD, last change
    language: str = "zh-CN"
    living_url: str = ""  # the page as it is now, when `url` is a frozen release's copy

    @property
    def living_note(self) -> str:
        return f"在线版（随新版本更新）：{self.living_url}" if self.living_url else ""

    def bibtex(self) -> str:
        fields = [("author", "{" + bibtex_escape(self.author) + "}"), ("title", bibtex_escape(self.title))]
        if self.site:
            fields.append(("howpublished", bibtex_escape(self.site)))
        fields += [
            ("version", self.version),
            ("year", self.date[:4]),
            ("date", self.date),
            ("url", self.url),
            ("note", "；".join(filter(None, [f"版本 {self.version}，最后修改于 {self.date}", self.living_note]))),
        ]
        width = max(len(name) for name, _ in fields)
        body = "".join(f"  {name.ljust(width)} = {{{value}}},\n" for name, value in fields)
        return f"@misc{{{self.key},\n{body}}}"

    def gbt7714(self) -> str:
        where = f"//{self.site}" if self.site else ""
        return (f"{self.author}. {self.title}[EB/OL]{where}. {self.version} 版. "
                f"({self.date}){ACCESS_DATE}. {self.url}.")

    def render(self, form: str) -> str:
        return self.gbt7714() if form == "gbt7714" else self.bibtex()

    def csl(self) -> dict:
        """CSL-JSON (what Zotero, Pandoc and citeproc read)."""
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "author": [{"literal": self.author}],
            "URL": self.url,
            "version": self.version,
            "issued": {"date-parts": [[int(part) for part in self.date.split("-")]]},
            "language": self.language,
        }
        if self.site:
            item["container-title"] = self.site
        if self.living_note:
            item["note"] = self.living_note
        return item

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
        if not self.site:
            data = {"@context": "https://schema.org", "@type": "WebSite", "name": self.title, "url": self.url, **common}
        else:
            data = {"@context": "https://schema.org", "@type": "TechArticle", "headline": self.title,
                    "url": self.url, **common,
                    "isPartOf": {"@type": "WebSite", "name": self.site, "url": site_url}}
        if description:
            data["description"] = description
        return data


def meta_tags(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'\n<meta name="{name}" content="{html.escape(content, quote=True)}" />' for name, content in pairs)


def json_ld_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'\n<script type="application/ld+json">{text}</script>\n'
