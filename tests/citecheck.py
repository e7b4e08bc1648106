"""Checks of a built site's citations, shared by the tests on the real site and the break
tests (test_cite_page.py), which run the very same functions on broken input.

Every function returns problems as `path:line: message` strings; [] means all is well.
The cases come from the site itself: the anchors (anchors.lock.json or the build's
anchors.json), the pages' own HTML, memo.bib and memo.json.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

HIGHWIRE = ("citation_title", "citation_author", "citation_publication_date", "citation_online_date",
            "citation_public_url", "citation_language", "citation_publisher")
ENTRY_START = re.compile(r"^@(\w+)\{([^,\s]+),", re.M)


def soup(path: Path) -> BeautifulSoup:
    """The parsed page (html.parser, for line numbers); read-only, parsed once per file version."""
    path = Path(path).resolve()
    return _parse(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _parse(path: Path, mtime: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def base_url(site: Path) -> str:
    """The root that entries cite: the URL the landing page's entry (the whole site) gives, a
    release's frozen copy (.../v/<VERSION>/) where the site has one, else its canonical root."""
    meta = soup(site / "index.html").find("meta", attrs={"name": "citation_public_url"})
    if meta is not None:
        return meta["content"]
    link = soup(site / "index.html").find("link", rel="canonical")
    return link["href"].rsplit("/", 1)[0] + "/"


def bibtex_fields(entry: str) -> dict[str, str]:
    """key, title, url, date of one BibTeX entry as the pages print it (one field a line)."""
    fields = {"key": ENTRY_START.match(entry.strip()).group(2)}
    for name, value in re.findall(r"^\s+(\w+)\s*=\s*\{(.*)\},?$", entry, re.M):
        fields[name] = value
    return fields


def unescape_bibtex(text: str) -> str:
    return re.sub(r"\\textbackslash\{\}", "\\\\", re.sub(r"\\([{}&%$#_])", r"\1", text)) \
        .replace("\\textasciitilde{}", "~").replace("\\textasciicircum{}", "^")


def parse_bibtex(text: str, where: str) -> tuple[list[str], list[str]]:
    """(keys in order, problems): parsed with pybtex in strict mode, which rejects syntax
    errors and repeated keys."""
    from pybtex.database import BibliographyDataError, parse_string
    from pybtex.scanner import PybtexSyntaxError

    problems = []
    keys = [m.group(2) for m in ENTRY_START.finditer(text)]
    starts = {}
    for match in ENTRY_START.finditer(text):
        starts.setdefault(match.group(2), []).append(text[: match.start()].count("\n") + 1)
    for key, lines in sorted(starts.items()):
        if len(lines) > 1:
            problems.append(f"{where}:{lines[1]}: BibTeX key {key} appears {len(lines)} times (first on line {lines[0]})")
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        problems.append(f"{where}:{error.lineno}: BibTeX syntax error: {error.error_type}: {error}")
        return keys, problems
    except BibliographyDataError as error:  # a repeated key, reported above with its line
        if not problems:
            problems.append(f"{where}:1: BibTeX error: {error}")
        return keys, problems
    if list(data.entries) != keys:
        problems.append(f"{where}:1: pybtex read {len(data.entries)} entries, the text has {len(keys)}")
    return keys, problems


def panels(path: Path) -> list[dict]:
    """Every entry in the 引用本节 panels of a page: the BibTeX fields and text, the GB/T
    text, the ids of the section the panel sits in, the line of the <details> in the HTML."""
    found = []
    for details in soup(path).select("details.cite-section"):
        section = details.parent
        ids = [section.get("id")] + [span.get("id") for span in section.find_all("span", recursive=False)]
        gbts = details.select(".cite-gbt7714 pre")
        for index, pre in enumerate(details.select(".cite-bibtex pre")):
            found.append({"fields": bibtex_fields(pre.get_text()), "ids": ids, "line": details.sourceline,
                          "text": pre.get_text(), "gbt": gbts[index].get_text() if index < len(gbts) else ""})
    return found


def panel_problems(site: Path, anchors: dict[str, dict], prefix: str = "memo") -> list[str]:
    """Every section anchor has exactly one panel on its page, right under its heading,
    with key <prefix>:<label> and the anchor's URL."""
    base = base_url(site)
    problems = []
    by_page: dict[str, list[tuple[str, dict]]] = {}
    for label, entry in anchors.items():
        if "#" in entry["url"]:
            by_page.setdefault(entry["url"].split("#")[0], []).append((label, entry))
    for page, sections in sorted(by_page.items()):
        path = site / page
        if not path.is_file():
            problems.append(f"{page}:1: the page is missing from the build")
            continue
        found = panels(path)
        html = soup(path)
        for label, entry in sections:
            key = f"{prefix}:{label}"
            labelid = entry["url"].split("#", 1)[1]
            target = html.find(id=labelid)
            line = target.sourceline if target is not None else 1
            mine = [p for p in found if p["fields"].get("key") == key]
            if not mine:
                problems.append(f"{page}:{line}: section '{label}' ({entry['title']}) has no 引用本节 panel "
                                f"with the BibTeX key {key}")
                continue
            if len(mine) > 1:
                problems.append(f"{page}:{mine[1]['line']}: section '{label}' has {len(mine)} BibTeX entries")
            panel = mine[0]
            if panel["fields"].get("url") != base + entry["url"]:
                problems.append(f"{page}:{panel['line']}: {key} has url {panel['fields'].get('url')!r}, "
                                f"expected {base + entry['url']!r}")
            if labelid not in panel["ids"]:
                problems.append(f"{page}:{panel['line']}: the panel of {key} is not in the section #{labelid}")
            if base + entry["url"] not in panel["gbt"]:
                problems.append(f"{page}:{panel['line']}: the GB/T 7714 entry of {key} lacks {base + entry['url']}")
    return problems


def export_problems(site: Path, anchors: dict[str, dict], prefix: str = "memo") -> list[str]:
    """memo.bib: parses, unique keys, one entry per page and section anchor with the URL the
    pages show. memo.json: the same keys and URLs."""
    base = base_url(site)
    bib_path = site / "memo.bib"
    text = bib_path.read_text(encoding="utf-8")
    keys, problems = parse_bibtex(text, "memo.bib")
    entries = {}
    for match in ENTRY_START.finditer(text):
        end = text.find("\n}", match.start())
        entries[match.group(2)] = bibtex_fields(text[match.start(): end + 2])
    for label, entry in anchors.items():
        key = f"{prefix}:{label}"
        is_root_page = entry["url"] == "index.html"
        if is_root_page:
            key = prefix
        if key not in entries:
            problems.append(f"memo.bib:1: no entry {key} for the anchor {entry['url']} ({entry['title']})")
        elif not is_root_page and entries[key].get("url") not in (base + entry["url"], base + entry["url"] + "#" + label):
            problems.append(f"memo.bib:1: {key} has url {entries[key].get('url')!r}, expected {base + entry['url']!r}")
    csl = json.loads((site / "memo.json").read_text(encoding="utf-8"))
    csl_urls = {item["id"]: item["URL"] for item in csl}
    if len(csl_urls) != len(csl):
        problems.append("memo.json:1: repeated ids")
    bib_urls = {key: fields.get("url") for key, fields in entries.items()}
    if csl_urls != bib_urls:
        differ = sorted(set(csl_urls.items()) ^ set(bib_urls.items()))[:5]
        problems.append(f"memo.json:1: keys or URLs differ from memo.bib: {differ}")
    return problems


def meta_problems(path: Path, where: str) -> list[str]:
    """The Highwire tags are all there and say what the page's own 引用本页 BibTeX says;
    citation_title is the page's title. The description is plain text."""
    html = soup(path)
    problems = []
    metas = {}
    for meta in html.find_all("meta"):
        name = meta.get("name") or meta.get("property")
        if name:
            metas.setdefault(name, (meta.get("content", ""), meta.sourceline))
    for name in HIGHWIRE:
        if name not in metas:
            problems.append(f"{where}:1: no <meta name=\"{name}\"> in the <head>")
    block = html.select_one("#cite-this-page .cite-bibtex pre")
    h1 = html.find("h1")
    if block is None or h1 is None:
        return problems + [f"{where}:1: no 引用本页 block or no <h1> title"]
    fields = bibtex_fields(block.get_text())
    words = [text for text in h1.find_all(string=True) if not text.find_parent(class_="headerlink")]
    page_title = " ".join("".join(words).split())
    title, line = metas.get("citation_title", ("", 1))
    if title != page_title:
        problems.append(f"{where}:{line}: citation_title {title!r} disagrees with the page title {page_title!r}")
    if title != unescape_bibtex(fields.get("title", "")):
        problems.append(f"{where}:{line}: citation_title {title!r} disagrees with the BibTeX title {fields.get('title')!r}")
    url, line = metas.get("citation_public_url", ("", 1))
    if url != fields.get("url"):
        problems.append(f"{where}:{line}: citation_public_url {url!r} disagrees with the BibTeX url {fields.get('url')!r}")
    date, line = metas.get("citation_publication_date", ("", 1))
    if date.replace("/", "-") != fields.get("date"):
        problems.append(f"{where}:{line}: citation_publication_date {date!r} disagrees with the BibTeX date {fields.get('date')!r}")
    for name in ("description", "og:description"):
        text, line = metas.get(name, ("", 1))
        if re.search(r"\\[a-zA-Z]+|\$|<[a-z]", text):
            problems.append(f"{where}:{line}: {name} is not plain text: {text!r}")
    ld = html.find("script", type="application/ld+json")
    if ld is None:
        problems.append(f"{where}:1: no schema.org JSON-LD")
    else:
        data = json.loads(ld.string)
        if data.get("dateModified") != fields.get("date") or data.get("url") != fields.get("url"):
            problems.append(f"{where}:{ld.sourceline}: JSON-LD dateModified/url disagree with the BibTeX entry")
    return problems
