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


URL_IN_TEXT = re.compile(r"\\url\{([^}]*)\}")


def bibtex_fields(entry: str) -> dict[str, str]:
    """key, title, url, date of one BibTeX entry as the pages print it (one field a line).
    A @misc entry carries its URL in howpublished (\\url{...}): that is its url here."""
    fields = {"key": ENTRY_START.match(entry.strip()).group(2)}
    for name, value in re.findall(r"^\s+(\w+)\s*=\s*\{(.*)\},?$", entry, re.M):
        fields[name] = value
    if "url" not in fields and URL_IN_TEXT.search(fields.get("howpublished", "")):
        fields["url"] = URL_IN_TEXT.search(fields["howpublished"]).group(1)
    return fields


def unbrace(text: str) -> str:
    """A field value without the braces that protect it from case changes: {{A}} -> A."""
    while text.startswith("{") and text.endswith("}") and _balanced(text[1:-1]):
        text = text[1:-1]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for index, char in enumerate(text):
        if char in "{}" and index and text[index - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def unescape_bibtex(text: str) -> str:
    text = unbrace(text)
    return re.sub(r"\\textbackslash\{\}", "\\\\", re.sub(r"\\([{}&%$#_])", r"\1", text)) \
        .replace("\\textasciitilde{}", "~").replace("\\textasciicircum{}", "^")


def bibtex_entries(text: str) -> list[dict]:
    """Every entry of a .bib file: key, kind, fields, its text, its first line, and its
    title as plain text (title_text) and its URL."""
    entries = []
    for match in ENTRY_START.finditer(text):
        end = text.find("\n}", match.start())
        body = text[match.start(): end + 2]
        fields = bibtex_fields(body)
        entries.append({"key": match.group(2), "kind": match.group(1).lower(), "fields": fields, "text": body,
                        "line": text[: match.start()].count("\n") + 1, "title": fields.get("title", ""),
                        "title_text": unescape_bibtex(fields.get("title", "")), "url": fields.get("url", "")})
    return entries


def _unprotected_capitals(title: str) -> list[str]:
    """Words with a capital outside braces (BatchNorm, NumPy, CPU), other than the title's
    first letter: bibtex's styles lowercase them (change.case$)."""
    depth, words = 0, set()
    for index, char in enumerate(title):
        escaped = index and title[index - 1] == "\\"
        if char == "{" and not escaped:
            depth += 1
        elif char == "}" and not escaped:
            depth -= 1
        elif depth == 0 and index > 0 and char.isupper():
            start = max(title.rfind(" ", 0, index), title.rfind("{", 0, index), title.rfind("}", 0, index)) + 1
            end = min([i for i in (title.find(" ", index), title.find("{", index), title.find("}", index)) if i >= 0] or [len(title)])
            words.add(title[start:end])
    return sorted(words)


def bib_style_problems(text: str, where: str) -> list[str]:
    """What bibtex's styles need of a @misc entry: a title whose capitals are braced (else
    plain, unsrt and plainnat print "Batchnorm"), the URL in howpublished as \\url{...}
    (plain and unsrt ignore a url field), an access date (urldate) and a version."""
    problems = []
    for entry in bibtex_entries(text):
        if entry["kind"] != "misc":
            continue
        fields, line, key = entry["fields"], entry["line"], entry["key"]
        lost = _unprotected_capitals(fields.get("title", ""))
        if lost:
            problems.append(f"{where}:{line}: {key}: title {fields.get('title')!r} has capitals outside braces "
                            f"({', '.join(lost)}): bibtex styles lowercase them; brace the title")
        if not URL_IN_TEXT.search(fields.get("howpublished", "")):
            problems.append(f"{where}:{line}: {key}: no howpublished = {{\\url{{...}}}}: plain and unsrt print no URL")
        for name in ("urldate", "version"):
            if not fields.get(name):
                problems.append(f"{where}:{line}: {key}: no {name}")
    return problems


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


def is_term(entry: dict) -> bool:
    """A glossary term's anchor (glossary.html#term-…): locked like a section, but the
    glossary's entries are not bibliography entries."""
    return entry["url"].split("#")[-1].startswith("term-") and "#" in entry["url"]


def cited(anchors: dict[str, dict]) -> dict[str, dict]:
    """The anchors that have a bibliography entry: pages and sections, not glossary terms."""
    return {label: entry for label, entry in anchors.items() if not is_term(entry)}


def panel_problems(site: Path, anchors: dict[str, dict], prefix: str = "memo") -> list[str]:
    """Every section anchor has exactly one panel on its page, right under its heading,
    with key <prefix>:<label> and the anchor's URL."""
    base = base_url(site)
    problems = []
    by_page: dict[str, list[tuple[str, dict]]] = {}
    for label, entry in cited(anchors).items():
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
    """memo.bib: parses, unique keys, what bibtex's styles need, one entry per page and
    section anchor with the URL the pages show. memo-biblatex.bib, memo.json and memo.ris:
    the same keys and URLs."""
    base = base_url(site)
    bib_path = site / "memo.bib"
    text = bib_path.read_text(encoding="utf-8")
    keys, problems = parse_bibtex(text, "memo.bib")
    problems += bib_style_problems(text, "memo.bib")
    entries = {}
    for match in ENTRY_START.finditer(text):
        end = text.find("\n}", match.start())
        entries[match.group(2)] = bibtex_fields(text[match.start(): end + 2])
    biblatex = site / "memo-biblatex.bib"
    biblatex_text = biblatex.read_text(encoding="utf-8")
    problems += parse_bibtex(biblatex_text, "memo-biblatex.bib")[1]
    biblatex_urls = {e["key"]: e["url"] for e in bibtex_entries(biblatex_text)}
    if biblatex_urls != {key: fields.get("url") for key, fields in entries.items()}:
        differ = sorted(set(biblatex_urls.items()) ^ {(k, f.get("url")) for k, f in entries.items()})[:5]
        problems.append(f"memo-biblatex.bib:1: keys or URLs differ from memo.bib: {differ}")
    problems += ris_problems((site / "memo.ris").read_text(encoding="utf-8"), "memo.ris",
                             json.loads((site / "memo.json").read_text(encoding="utf-8")))
    for label, entry in cited(anchors).items():
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


RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")
RIS_REQUIRED = ("TY", "ID", "AU", "TI", "PY", "Y2", "ET", "UR")


def ris_problems(text: str, where: str, csl: list[dict]) -> list[str]:
    """memo.ris: every line a tag line ("XX  - value"), every record from TY to ER with the
    tags EndNote and NoteExpress need; rispy reads as many records as memo.json holds, with
    the same keys, titles, URLs, versions and access dates (TY ELEC, UR, Y2, ET)."""
    import rispy

    problems, record, start = [], None, 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            if record is not None:
                problems.append(f"{where}:{number}: blank line inside the record that starts on line {start}")
            continue
        match = RIS_LINE.match(line + (" " if line.endswith("  -") else ""))
        if not match:
            problems.append(f"{where}:{number}: not a RIS tag line (`XX  - value`): {line!r}")
            continue
        tag = match.group(1)
        if tag == "TY":
            if record is not None:
                problems.append(f"{where}:{number}: TY before the ER of the record that starts on line {start}")
            record, start = set(), number
        elif record is None:
            problems.append(f"{where}:{number}: {tag} outside a record (no TY before it)")
            continue
        if tag == "ER":
            missing = [t for t in RIS_REQUIRED if t not in record]
            if missing:
                problems.append(f"{where}:{start}: record without {', '.join(missing)}")
            record = None
        else:
            record.add(tag)
    if record is not None:
        problems.append(f"{where}:{start}: record without ER")
    if problems:
        return problems
    records = rispy.loads(text)
    if len(records) != len(csl):
        problems.append(f"{where}:1: rispy reads {len(records)} records, memo.json holds {len(csl)}")
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("TY  - ")]
    for line, record, item in zip(starts, records, csl):
        accessed = "/".join(f"{part:02d}" if i else str(part) for i, part in enumerate(item["accessed"]["date-parts"][0]))
        expected = {"type_of_reference": "ELEC", "id": item["id"], "title": item["title"], "urls": [item["URL"]],
                    "edition": item["version"], "access_date": accessed, "secondary_title": item.get("container-title")}
        for name, value in expected.items():
            if record.get(name) != value:
                problems.append(f"{where}:{line}: {item['id']}: {name} is {record.get(name)!r}, memo.json says {value!r}")
    return problems
