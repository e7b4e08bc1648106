"""Search queries derived from a built site, with the pages each one must find, and the check.

Shared by the search tests (tests/browser/test_search*.py) and `make bench`. The text is
read from the built HTML here, independently of the search index, so a page whose
text the index lost is still queried, and fails.

Queries, each with the page it came from:

* every heading (the page title and every section heading) of every page;
* every glossary name (term, English term, 又称 synonym): the pages its entry links to;
* every inline-code identifier in a content page's prose;
* a seeded random sample of Chinese substrings (2-4 characters) of content pages' prose.

Forgiving queries (`forgiving`), what readers type instead of the exact words:

* question: every heading asked as a question (为什么…, 怎么…), and "X 和 Y 的区别" for
  neighbouring headings of a page and for two glossary names of one page;
* typo: every inline-code identifier and every Latin heading word of 4 or more
  characters with one seeded random edit (insert, delete, substitute, swap), never
  giving a word the site contains;
* synonym: every glossary name and 又称, whose page must rank above the glossary;
* landing: every heading of a content page, whose result must link to its section;
* markup: queries that are HTML (checked through the page, tests/browser/test_search.py).
"""

from __future__ import annotations

import posixpath
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup
from site_browser import site_pages

NAVIGATION = {"index", "memo-map", "usage", "how-to-cite"}  # _ext/zh_search.py: zh_search_navigation
NOT_CONTENT = ".cite-section, .no-search, .headerlink, script, style, button"
PROSE = "p, li, td, th, dt, dd, caption, figcaption"
SYNONYMS = re.compile(r"又称[:：]\s*([^。\n]+)")
IDENTIFIER = re.compile(r"[A-Za-z_][\w.]*(\(\))?|[A-Za-z_]\w*=[\w.-]+")  # torch.bmm, view(), keepdim=True
CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
SAMPLE_SEED = 20261130
SAMPLE_SIZE = 400
TOP = 3


def fold(text: str) -> str:
    """As memo-search.js folds: lower case, full-width ASCII as ASCII."""
    return re.sub(r"[\uff01-\uff5e]", lambda m: chr(ord(m.group()) - 0xFEE0), text.lower())


@dataclass
class Page:
    name: str  # 'tensors/view-vs-reshape'
    navigation: bool
    headings: list[str]
    sections: list[tuple[str, str]]  # (section id, heading); the first is the page title
    prose: str  # prose (no code blocks), folded: where sampled queries come from
    text: str  # everything the article shows, code blocks included, folded
    body: str  # the same without headings: where a snippet can show a match
    codes: list[str]
    glossary_names: set[str] = field(default_factory=set)  # folded


@dataclass(frozen=True)
class Query:
    kind: str  # heading | glossary | code | sample
    text: str
    source: str  # the page it was taken from (for glossary names: the explaining page)
    expected: frozenset  # any of these in the top 3 passes
    landing: frozenset = frozenset()  # landing: the result for `source` links to one of these ('page#id' or 'page')
    original: str = ""  # typo: the word before the edit


def _article(html: str):
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article.bd-article") or soup.body
    for element in article.select(NOT_CONTENT):
        element.decompose()
    return article


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_site(site: Path) -> dict[str, Page]:
    pages = {}
    for relative in site_pages(site):
        name = relative.removesuffix(".html")
        html = (site / relative).read_text(encoding="utf-8")
        article = _article(html)
        text = fold(article.get_text())
        headings = [_clean(h.get_text()) for h in article.select("h1, h2, h3, h4, h5, h6")]
        sections = [(section.get("id", ""), _clean(section.find(["h1", "h2", "h3", "h4", "h5", "h6"]).get_text()))
                    for section in article.select("section") if section.find(["h1", "h2", "h3", "h4", "h5", "h6"])]
        for heading in article.select("h1, h2, h3, h4, h5, h6"):
            heading.decompose()
        body = fold(article.get_text())
        for block in article.select("pre, div.highlight"):
            block.decompose()
        prose = "\n".join(_clean(el.get_text()) for el in article.select(PROSE) if not el.find(PROSE.split(", ")))
        codes = [_clean(code.get_text()) for code in article.select("p code, li code, td code")]
        pages[name] = Page(name, name in NAVIGATION, [h for h in headings if h], sections, fold(prose), text, body, [c for c in codes if IDENTIFIER.fullmatch(c)])
    glossary = site / "glossary.html"
    if glossary.is_file():
        for names, targets in glossary_entries(glossary.read_text(encoding="utf-8")):
            for target in targets:
                if target in pages:
                    pages[target].glossary_names.update(fold(n) for n in names)
    return pages


def glossary_entries(html: str):
    """(names, linked page names) of every glossary entry."""
    article = _article(html)
    for dl in article.select("dl.glossary"):
        names = []
        for child in dl.find_all(["dt", "dd"], recursive=False):
            if child.name == "dt":
                names.append(_clean(child.get_text()))
                continue
            definition = _clean(child.get_text())
            for synonyms in SYNONYMS.findall(definition):
                names += [s.strip() for s in re.split(r"[、，,/]", synonyms) if s.strip()]
            targets = sorted({posixpath.normpath(a["href"].split("#")[0]).removesuffix(".html")
                              for a in child.select("a.reference.internal[href]") if a["href"].split("#")[0]})
            yield names, targets
            names = []


def holders(pages: dict[str, Page], text: str) -> set[str]:
    """Pages that hold `text` in their title, headings, prose or glossary names."""
    folded = fold(text)
    return {
        p.name for p in pages.values()
        if folded in p.text or any(folded in fold(h) for h in p.headings) or any(folded in n for n in p.glossary_names)
    }


def derive(site: Path, sample_size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> tuple[dict[str, Page], list[Query]]:
    pages = read_site(site)
    queries: dict[tuple[str, str], Query] = {}

    def add(kind, text, source, expected):
        key = (kind, fold(text))
        if len(text) >= 2 and key not in queries:
            queries[key] = Query(kind, text, source, frozenset(expected))

    for page in pages.values():
        for heading in page.headings:
            with_heading = {p.name for p in pages.values() if fold(heading) in map(fold, p.headings)}
            add("heading", heading, page.name, with_heading)
    for names, targets in glossary_entries((site / "glossary.html").read_text(encoding="utf-8")) if (site / "glossary.html").is_file() else []:
        for name in names:
            add("glossary", name, targets[0] if targets else "glossary", targets)
    content = [p for p in pages.values() if not p.navigation]
    for page in content:
        for code in page.codes:
            add("code", code, page.name, {page.name})
    runs = [(page.name, run) for page in content for run in CJK_RUN.findall(page.prose)]
    rng = random.Random(seed)
    weights = [len(run) for _name, run in runs]
    for name, run in rng.choices(runs, weights=weights, k=sample_size * 3):
        if sum(1 for q in queries.values() if q.kind == "sample") >= sample_size:
            break
        length = rng.randint(2, min(4, len(run)))
        start = rng.randrange(len(run) - length + 1)
        add("sample", run[start:start + length], name, {name})
    return pages, list(queries.values())


QUESTION_SEED = 20261204
ASKED = ("为什么{}", "为什么 {}", "怎么{}", "{} 怎么办", "{}是什么")
COMPARED = ("{} 和 {} 的区别", "{}和{}的区别", "{} 与 {} 有什么区别")
LATIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{3,}")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str, rng: random.Random) -> str:
    """`word` with one random insert, delete, substitute or swap of neighbours, at least 4 characters long."""
    kinds = ["insert", "substitute", "swap"] + (["delete"] if len(word) > 4 else [])
    kind, at = rng.choice(kinds), rng.randrange(len(word))
    if kind == "insert":
        return word[:at] + rng.choice(LETTERS) + word[at:]
    if kind == "delete":
        return word[:at] + word[at + 1:]
    if kind == "swap":
        at = min(at, len(word) - 2)
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return word[:at] + rng.choice(LETTERS.replace(word[at].lower(), "")) + word[at + 1:]


def forgiving(pages: dict[str, Page], site: Path, seed: int = QUESTION_SEED) -> list[Query]:
    """Questions, typos, synonyms and section landings derived from the site (see the module's docstring)."""
    rng = random.Random(seed)
    queries: dict[tuple[str, str], Query] = {}
    everything = "\n".join([p.text for p in pages.values()] + [n for p in pages.values() for n in p.glossary_names])

    def add(kind, text, source, expected, **extra):
        key = (kind, fold(text))
        if key not in queries:
            queries[key] = Query(kind, text, source, frozenset(expected), **extra)

    def with_heading(heading):
        return {p.name for p in pages.values() if fold(heading) in map(fold, p.headings)}

    for page in pages.values():
        for heading in page.headings:
            add("question", rng.choice(ASKED[:2]).format(heading), page.name, with_heading(heading))
            add("question", rng.choice(ASKED[2:]).format(heading), page.name, with_heading(heading))
        if page.navigation:
            continue
        for first, second in zip(page.headings[1:], page.headings[2:]):
            both = with_heading(first) & with_heading(second)
            add("question", rng.choice(COMPARED).format(first, second), page.name, both)
        for section_id, heading in page.sections:
            same = {f"{page.name}#{sid}" if sid and i else page.name
                    for i, (sid, h) in enumerate(page.sections) if fold(h) == fold(heading)}
            add("landing", heading, page.name, with_heading(heading), landing=frozenset(same))
    entries = list(glossary_entries((site / "glossary.html").read_text(encoding="utf-8"))) if (site / "glossary.html").is_file() else []
    linked_from: dict[str, list[str]] = {}
    for names, targets in entries:
        for target in targets:
            linked_from.setdefault(target, []).append(names[0])
        for name in names:
            if targets:
                add("synonym", name, targets[0], targets)
    for target, names in linked_from.items():
        for first, second in zip(names, names[1:]):
            add("question", rng.choice(COMPARED).format(first, second), target, {target})
    words = {}
    for page in pages.values():
        if page.navigation:
            continue
        for code in page.codes:
            words.setdefault(code, page.name)
        for heading in page.headings:
            for word in LATIN_WORD.findall(heading):
                words.setdefault(word, page.name)
    for word, source in sorted(words.items()):
        core = re.sub(r"\(\)$", "", word)
        if len(core) < 4:
            continue
        for _attempt in range(10):
            edited = one_edit(core, rng)
            if fold(edited) not in everything and len(edited) >= 4:
                add("typo", edited + word[len(core):], source, holders(pages, word), original=word)
                break
    return list(queries.values())


def describe(found: dict) -> str:
    names = [r["page"] for r in found["results"][:5]]
    return (", ".join(names) or "no results") + (" (partial matches)" if found["partial"] and names else "")


def query_problems(pages: dict[str, Page], query: Query, found: dict) -> list[str]:
    """Recall, ranking and snippets for one query; one line per problem, naming the query."""
    where = f"{query.kind} query {query.text!r} (from {query.source})"
    ranked = [r["page"] for r in found["results"]]
    top = ranked[:TOP]
    problems = []
    have = holders(pages, query.text)
    if query.kind in ("question", "synonym", "typo", "landing"):
        return forgiving_problems(pages, query, found, where, top)
    if query.kind in ("heading", "glossary") or len(have) <= TOP:
        if not set(top) & query.expected:
            problems.append(f"{where}: expected {' or '.join(sorted(query.expected)) or 'a linked page'} "
                            f"in the top {TOP}, got {describe(found)}")
    elif query.source not in ranked:
        problems.append(f"{where}: {query.source} is not among the results: {describe(found)}")
    elif not set(top) <= have:
        problems.append(f"{where}: the top {TOP} should all contain it, got {describe(found)}; pages with it: {sorted(have)}")
    seen_content = False
    for r in reversed(found["results"]):
        nav = r["page"] in pages and pages[r["page"]].navigation
        named = nav and fold(query.text).strip() in map(fold, pages[r["page"]].headings)
        if not nav:
            seen_content = True
        elif seen_content and not named:
            problems.append(f"{where}: navigation page {r['page']} ranks above a content page: {describe(found)}")
            break
    for r in found["results"]:
        page = pages.get(r["page"])
        if not found["partial"] and page and not r["nav"] and fold(query.text) in page.body and not r["marked"]:
            problems.append(f"{where}: the snippet for {r['page']} does not show the match: {r['snippet']!r}")
            break
    return problems


def forgiving_problems(pages, query: Query, found: dict, where: str, top: list[str]) -> list[str]:
    if query.kind == "typo":
        where = f"typo query {query.text!r} (for {query.original!r}, from {query.source})"
    if query.expected and not set(top) & query.expected:
        return [f"{where}: expected {' or '.join(sorted(query.expected))} in the top {TOP}, got {describe(found)}"]
    ranked = [r["page"] for r in found["results"]]
    if query.kind == "synonym" and "glossary" in ranked:
        linked = [ranked.index(p) for p in query.expected if p in ranked]
        if not linked or min(linked) > ranked.index("glossary"):
            return [f"{where}: the page its glossary entry links to ({', '.join(sorted(query.expected))}) "
                    f"should rank above the glossary, got {describe(found)}"]
    if query.kind == "landing":
        result = next((r for r in found["results"] if r["page"] == query.source), None)
        if result is None:
            return [f"{where}: {query.source} is not among the results: {describe(found)}"]
        path, _hash, label = result["url"].partition("#")
        landed = query.source + ("#" + label if label else "")
        if landed not in query.landing:
            return [f"{where}: the result links to {landed}, expected {' or '.join(sorted(query.landing))}"]
        if label and result["heading"] != query.text:
            return [f"{where}: the result for {query.source} shows the section title {result['heading']!r}"]
    if query.kind == "typo" and not found.get("suggestion") and not any(fold(query.text) in pages[p].text for p in ranked if p in pages):
        return [f"{where}: no 「你要找的是不是」 suggestion: {describe(found)}"]
    return []


def recall_report(pages, queries, found) -> tuple[dict, list[str]]:
    """Per-kind counts of queries whose page is in the top 3, and every problem."""
    counts: dict[str, list[int]] = {}
    problems = []
    for query, result in zip(queries, found):
        lines = query_problems(pages, query, result)
        ok = counts.setdefault(query.kind, [0, 0])
        ok[0] += not lines
        ok[1] += 1
        problems += lines
    return counts, problems


def summary(counts: dict) -> str:
    return "; ".join(f"{kind}: {ok}/{total}" for kind, (ok, total) in sorted(counts.items()))
