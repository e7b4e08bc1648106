"""The book: the whole site as one PDF and one EPUB, checked by real validators.

`make test` runs `make book` after the strict HTML build: `make pdf` (xelatex, _build/latex/
memo.pdf) and `make epub` (_build/epub/memo.epub) copy their files into the site, where every
page links them; these tests read those copies, the files readers get. The validators are
poppler's pdffonts, pdftotext and pdfinfo, pypdf for the outline, and epubcheck.

What the book must hold comes from the built site: the landing page's toctrees give the parts
and the order of the pages, each page's <h1> and <h2> the chapter and section titles,
anchors.lock.json the labels that must be named destinations, the site's files the URLs that
EPUB citations may point at. Each check has a break test on a bad input.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shlex
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup
from linkcheck import RELEASE, in_this_build
from site_browser import site_pages
from site_build import ROOT

BASE = "https://memo-docs.github.io/memo/"  # conf.py html_baseurl
BOOK = {"pdf": "memo.pdf", "epub": "memo.epub"}
SCREENSHOTS = Path(os.environ.get("MEMO_SCREENSHOT_DIR", ROOT / "_build" / "screenshots")).resolve()
CHINESE_NUMBERS = "一二三四五六七八九十"


def run(*command: str, timeout: int = 300) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-2000:]}"
    return done.stdout


# -- what the site says the book holds -------------------------------------------------------------


@dataclass
class Chapter:
    uri: str
    title: str
    sections: list[str] = field(default_factory=list)


@dataclass
class Part:
    caption: str
    chapters: list[Chapter]


def heading_text(heading) -> str:
    for link in heading.select("a.headerlink"):
        link.decompose()
    return " ".join(heading.get_text(" ").split())


def site_book(site: Path) -> tuple[str, list[Part]]:
    """The landing page's title, and its toctrees: each caption with its pages' titles and <h2>s."""
    index = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = index.select_one("article.bd-article")
    parts = []
    for wrapper in article.select("div.toctree-wrapper"):
        caption = wrapper.select_one(".caption-text")
        chapters = []
        for link in wrapper.select("li.toctree-l1 > a.reference.internal"):
            uri = link["href"].split("#")[0]
            page = BeautifulSoup((site / uri).read_text(encoding="utf-8"), "html.parser").select_one("article.bd-article")
            chapters.append(Chapter(uri, heading_text(page.find("h1")), [heading_text(h) for h in page.find_all("h2")]))
        parts.append(Part(caption.get_text(" ").strip() if caption else "", chapters))
    return heading_text(article.find("h1")), parts


@pytest.fixture(scope="session")
def book(built_site):
    return site_book(built_site)


def book_file(built_site, kind: str) -> Path:
    """The site's copy of the PDF or the EPUB, which `make book` puts next to the pages."""
    path = built_site / BOOK[kind]
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make {kind}` after the HTML build (`make test` runs `make book`)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def pdf(built_site) -> Path:
    return book_file(built_site, "pdf")


@pytest.fixture(scope="session")
def epub(built_site) -> Path:
    return book_file(built_site, "epub")


# -- the PDF: fonts ------------------------------------------------------------------------------------


def font_problems(pdffonts_output: str, name: str) -> list[str]:
    """From `pdffonts`: a Chinese (Noto CJK) font is embedded, and no font is Type 3 (bitmaps)."""
    rows = [line.split() for line in pdffonts_output.splitlines()[2:] if line.strip()]
    problems = []
    # name, type (one or more words), encoding, emb, sub, uni, object, id
    fonts = [(row[0], " ".join(row[1:-6]), row[-5]) for row in rows]
    if not any("CJK" in font and embedded == "yes" for font, _type, embedded in fonts):
        problems.append(f"{name}: no Noto CJK font is embedded: Chinese text needs fonts-noto-cjk")
    problems += [f"{name}: font {font} is Type 3 (a figure's text drawn as bitmaps or outlines; "
                 "conf.py plot_rcparams['pdf.fonttype'] = 42)" for font, kind, _e in fonts if kind == "Type 3"]
    return problems


def test_pdf_embeds_the_chinese_font_and_no_type3(pdf):
    assert font_problems(run("pdffonts", str(pdf)), pdf.name) == []


# -- the PDF: text, destinations, outline, pages ---------------------------------------------------


def squash(text: str) -> str:
    """Text compared without the spaces and line breaks that typesetting adds, and with TeX's quotes."""
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00ad": None}))
    return re.sub(r"\s+", "", text)


def destinations(pdf: Path) -> dict[str, int]:
    """Named destination -> page number (`pdfinfo -dests`)."""
    found = {}
    for line in run("pdfinfo", "-dests", str(pdf)).splitlines()[1:]:
        match = re.match(r"\s*(\d+)\s+\[.*\]\s+\"(.*)\"\s*$", line)
        if match:
            found[match.group(2)] = int(match.group(1))
    return found


def page_texts(pdf: Path) -> list[str]:
    return run("pdftotext", "-enc", "UTF-8", str(pdf), "-").split("\f")


def chapter_mark(number: int) -> str:
    return f"第{number}章"


def order_problems(pages: list[str], first_body_page: int, book: tuple[str, list[Part]]) -> list[str]:
    """Every page title (as 第 n 章) and every <h2> (as n.m) in the PDF's text, in the site's order.
    The text is read from the landing page's text on, past the table of contents."""
    title, parts = book
    body = squash("".join(pages[first_body_page - 1:]))
    problems, position, number = [], 0, 0
    found = body.find(squash(title))
    if found < 0:
        problems.append(f"index.html: the landing page's title '{title}' is not in the PDF's text")
    for part in parts:
        for chapter in part.chapters:
            number += 1
            at = body.find(squash(chapter_mark(number) + chapter.title), position)
            if at < 0:
                problems.append(f"{chapter.uri}: page title '{chapter.title}' is not in the PDF as chapter {number} "
                                f"after the previous heading")
                continue
            position = at
            following = body.find(squash(chapter_mark(number + 1)), at)
            end = following if following >= 0 else len(body)
            for index, heading in enumerate(chapter.sections, 1):
                at = body.find(squash(f"{number}.{index}{heading}"), position, end)
                if at < 0:
                    problems.append(f"{chapter.uri}: section '{heading}' is not in the PDF as {number}.{index} "
                                    f"after the previous heading of chapter {number}")
                    continue
                position = at
    return problems


def first_body_page(pdf: Path) -> int:
    """The page of the landing page's label (its text starts the body, after the contents)."""
    lock = json.loads((ROOT / "anchors.lock.json").read_text(encoding="utf-8"))["anchors"]
    home = next(label for label, anchor in lock.items() if anchor["page"] == "index")
    return destinations(pdf)[home]


def test_pdf_text_has_every_page_title_and_section_in_order(pdf, book):
    assert order_problems(page_texts(pdf), first_body_page(pdf), book) == []


def test_a_missing_or_misplaced_heading_is_reported_with_its_page(pdf, book):
    pages = page_texts(pdf)
    start = first_body_page(pdf)
    _title, parts = book
    chapter = parts[-1].chapters[-1]
    dropped = f"{sum(len(p.chapters) for p in parts)}.1"
    broken = [re.sub(rf"{re.escape(dropped)}\s*{re.escape(chapter.sections[0][:4])}", "", page) for page in pages]
    problems = order_problems(broken, start, book)
    assert problems == [f"{chapter.uri}: section '{chapter.sections[0]}' is not in the PDF as {dropped} "
                        f"after the previous heading of chapter {dropped.split('.')[0]}"], problems
    swapped = (_title, [Part(parts[0].caption, parts[0].chapters[::-1])] + parts[1:])
    assert any("is not in the PDF as chapter 1" in p for p in order_problems(pages, start, swapped))


def destination_problems(named: dict[str, int], labels: list[str], name: str) -> list[str]:
    return [f"{name}: label '{label}' is not a named destination (memo.pdf#nameddest={label} opens nothing)"
            for label in labels if label not in named]


def test_every_locked_label_is_a_named_destination(pdf):
    labels = list(json.loads((ROOT / "anchors.lock.json").read_text(encoding="utf-8"))["anchors"])
    named = destinations(pdf)
    assert len(labels) > 300
    assert destination_problems(named, labels, pdf.name) == []
    lock = json.loads((ROOT / "anchors.lock.json").read_text(encoding="utf-8"))["anchors"]
    # a section's destination is on or after its page's
    # (by docname: a page moved under a redirect keeps its old URL in the lock, its new sections the new one)
    page_label = {a["url"]: label for label, a in lock.items() if "#" not in a["url"]}
    page_label |= {a["page"]: label for label, a in lock.items() if "#" not in a["url"]}
    def page_of(anchor):
        return page_label.get(anchor["url"].split("#")[0]) or page_label.get(anchor["page"])
    late = [label for label, anchor in lock.items() if page_of(anchor) and named[label] < named[page_of(anchor)]]
    assert late == []


def outline(pdf: Path) -> list[tuple[int, str]]:
    from pypdf import PdfReader

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, item.title

    return list(walk(PdfReader(pdf).outline, 0))


def expected_outline(book: tuple[str, list[Part]]) -> list[tuple[int, str]]:
    """Parts (第一部分 …) hold chapters (第 n 章 page title), which hold sections (n.m <h2>)."""
    title, parts = book
    entries, number = [(0, title)], 0
    for index, part in enumerate(parts, 1):
        entries.append((0, f"第{CHINESE_NUMBERS[index - 1]}部分{part.caption}"))
        for chapter in part.chapters:
            number += 1
            entries.append((1, f"第{number}章{chapter.title}"))
            entries += [(2, f"{number}.{m}{heading}") for m, heading in enumerate(chapter.sections, 1)]
    return [(depth, squash(text)) for depth, text in entries]


def outline_problems(found: list[tuple[int, str]], expected: list[tuple[int, str]]) -> list[str]:
    """Parts, chapters and sections (the outline's deeper ### entries are left out)."""
    found = [(depth, squash(text)) for depth, text in found if depth <= 2]
    missing = [f"bookmark missing or misplaced: {'  ' * depth}{text}" for depth, text in expected if (depth, text) not in found]
    extra = [f"bookmark not in the site: {'  ' * depth}{text}" for depth, text in found if (depth, text) not in expected]
    if not missing and not extra and found != expected:
        missing.append("bookmarks out of the site's order")
    return missing + extra


def test_bookmarks_mirror_the_sites_chapters_and_sections(pdf, book):
    assert outline_problems(outline(pdf), expected_outline(book)) == []


def test_a_wrong_bookmark_is_reported(pdf, book):
    found = outline(pdf)
    found = [(depth, text) for depth, text in found if depth <= 2]
    wrong = [found[0], *found[2:], found[1]]  # the first part moved to the end
    assert outline_problems(wrong, expected_outline(book)) == ["bookmarks out of the site's order"]
    assert outline_problems(found[:-1], expected_outline(book)) == [
        f"bookmark missing or misplaced: {'  ' * found[-1][0]}{squash(found[-1][1])}"]


def pages_of(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))


def test_page_count_is_reported(pdf, book):
    """Each chapter starts on a page of its own; `make pdf` and `make bench` print the count."""
    pages = pages_of(pdf)
    chapters = sum(len(part.chapters) for part in book[1])
    print(f"{pdf.name}: {pages} pages, {pdf.stat().st_size // 1024} KiB")
    assert pages >= chapters + len(book[1])


# -- break tests on a small bad PDF ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def bad_pdf(tmp_path_factory) -> Path:
    """One page, Latin fonts only, a Type 3 font (a matplotlib figure left at its default
    pdf.fonttype 3), one named destination."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = tmp_path_factory.mktemp("bad-pdf")
    figure, axes = plt.subplots(figsize=(2, 1))
    axes.set_title("Type 3 text")
    with matplotlib.rc_context({"pdf.fonttype": 3}):
        figure.savefig(folder / "figure.pdf")
    plt.close(figure)
    (folder / "bad.tex").write_text(
        "\\documentclass{article}\\usepackage{fontspec}\\usepackage{graphicx}\\usepackage{hyperref}"
        "\\setmainfont{DejaVu Serif}\\tracinglostchars=2\n\\begin{document}\\hypertarget{home}{}Only Latin text.\n"
        "A glyph DejaVu lacks: 中. A label nobody defined: \\ref{nowhere}.\n"
        "\\includegraphics{figure.pdf}\\end{document}\n", encoding="utf-8")
    done = subprocess.run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "bad.tex"], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    return folder / "bad.pdf"


def test_a_pdf_without_cjk_or_with_type3_fonts_is_caught(bad_pdf):
    problems = font_problems(run("pdffonts", str(bad_pdf)), bad_pdf.name)
    assert problems[0] == "bad.pdf: no Noto CJK font is embedded: Chinese text needs fonts-noto-cjk"
    assert len(problems) >= 2 and all("is Type 3" in p for p in problems[1:]), problems


def test_a_label_without_a_destination_is_caught(bad_pdf):
    assert destination_problems(destinations(bad_pdf), ["home", "view-vs-reshape-pitfalls"], bad_pdf.name) == [
        "bad.pdf: label 'view-vs-reshape-pitfalls' is not a named destination "
        "(memo.pdf#nameddest=view-vs-reshape-pitfalls opens nothing)"]


def test_missing_glyphs_and_undefined_references_fail_make_pdf(bad_pdf):
    """tools/latex_log_check.py, which `make pdf` runs on xelatex's log, on a document with both."""
    done = subprocess.run([shutil.which("python3") or "python3", str(ROOT / "tools" / "latex_log_check.py"),
                           str(bad_pdf.with_suffix(".log"))], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == f"{bad_pdf.with_suffix('.tex')} (bad.tex:3): missing character 中 (U+4E2D) in font DejaVu Serif", lines
    assert re.fullmatch(rf"{re.escape(str(bad_pdf.with_suffix('.tex')))}:3: undefined reference 'nowhere'", lines[1]), lines
    assert lines[-1].startswith("error: 2 problem(s) in ")


def test_the_books_latex_log_is_clean(built_site):
    log = built_site.parent / "latex" / "memo.log"
    if not log.is_file():
        pytest.skip(f"{log} is not here (the PDF was built elsewhere); `make pdf` checks it itself")
    done = subprocess.run([shutil.which("python3") or "python3", str(ROOT / "tools" / "latex_log_check.py"), str(log),
                           str(ROOT / "docs")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_book_too_short_for_its_chapters_is_caught(bad_pdf, book):
    assert pages_of(bad_pdf) < sum(len(part.chapters) for part in book[1])


# -- the PDF: pages to look at -------------------------------------------------------------------------


def review_pages(pdf: Path, site: Path, book: tuple[str, list[Part]]) -> dict[str, int]:
    """The pages a reviewer looks at: contents, the first code, formula and figure of the book."""
    texts = page_texts(pdf)
    named = destinations(pdf)
    start = first_body_page(pdf)
    wanted = {"toc": next(i for i, text in enumerate(texts, 1) if "目录" in text and i < start)}
    wanted["code"] = next(i for i, text in enumerate(texts, 1) if i > start and len(re.findall(r"^>>> ", text, re.M)) >= 5)
    for chapter in (c for part in book[1] for c in part.chapters):
        page = BeautifulSoup((site / chapter.uri).read_text(encoding="utf-8"), "html.parser")
        math = page.select_one("article div.math")
        if "formula" not in wanted and math is not None:
            section = math.find_parent("section", id=True)
            wanted["formula"] = named[section["id"]]
        caption = page.select_one("article figcaption")
        if "figure" not in wanted and caption is not None:
            words = squash(caption.get_text())[:12]
            wanted["figure"] = next(i for i, text in enumerate(texts, 1) if i > start and words in squash(text))
    return wanted


def test_render_pages_for_review(pdf, built_site, book):
    """PNGs of the contents, a code page, a formula page and a figure page (pdftoppm), to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    wanted = review_pages(pdf, built_site, book)
    assert set(wanted) == {"toc", "code", "formula", "figure"}, wanted
    for name, number in wanted.items():
        run("pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(number), "-l", str(number),
            str(pdf), str(SCREENSHOTS / f"book-{name}"))
        assert (SCREENSHOTS / f"book-{name}.png").stat().st_size > 10_000, name


# -- the EPUB ---------------------------------------------------------------------------------------------------


def epubcheck(epub: Path, report: Path) -> list[dict]:
    """epubcheck's messages (JSON report). Debian's /usr/bin/epubcheck is a jar that needs binfmt
    (jarwrapper), which containers lack: it is run with `java -jar`."""
    found = shutil.which("epubcheck")
    assert found, "epubcheck is not installed (Debian package epubcheck; .ci/run installs it)"
    jar = Path(found).resolve()
    # The JIT's first tier and the serial collector: the same report for 40% of the CPU time
    # (a one-off check runs too briefly for the optimising compiler to pay for itself).
    command = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar)] if jar.suffix == ".jar" else [found]
    subprocess.run([*command, str(epub), "--json", str(report)], capture_output=True, text=True, timeout=600)
    return json.loads(report.read_text(encoding="utf-8"))["messages"]


def epub_problems(messages: list[dict]) -> list[str]:
    """Fatal errors, errors and warnings, each as `file:line:column: ID message`."""
    problems = []
    for message in messages:
        if message["severity"] not in ("FATAL", "ERROR", "WARNING"):
            continue
        for location in message.get("locations") or [{"path": "", "line": -1, "column": -1}]:
            problems.append(f"{location['path']}:{location['line']}:{location['column']}: "
                            f"{message['severity']} {message['ID']} {message['message']}")
    return problems


def test_epubcheck_reports_nothing(epub, tmp_path):
    assert epub_problems(epubcheck(epub, tmp_path / "report.json")) == []


def test_epubcheck_catches_html_entities_in_the_epub(epub, tmp_path):
    """The bug this book had: a named HTML entity (from docutils' MathML) in XHTML is fatal."""
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        page = next(name for name in source.namelist() if name.endswith(".xhtml") and b"&#8289;" in source.read(name))
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == page:
                data = data.replace(b"&#8289;", b"&ApplyFunction;", 1)
            target.writestr(item, data)
    problems = epub_problems(epubcheck(broken, tmp_path / "report.json"))
    assert any(p.startswith(page + ":") and ("FATAL" in p or "ERROR" in p) and "ApplyFunction" in p for p in problems), problems


def epub_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xhtml", ".opf", ".ncx"))}


def citation_url_problems(texts: dict[str, str], site: Path, base: str) -> list[str]:
    """Every URL into the hosted site that an EPUB page names is a page of the HTML build,
    with the #anchor it names."""
    problems = []
    for name, text in sorted(texts.items()):
        for url in sorted(set(re.findall(re.escape(base) + r"[^\s\"'<>\]\)}]*[^\s\"'<>\]\)}.,;，。]", text))):
            path, fragment = urldefrag(url[len(base):])
            path = in_this_build(path)
            target = site / (path or "index.html")
            if path.endswith("/") or not path:
                target = site / path / "index.html"
            if not target.is_file():
                problems.append(f"{name}: {url} is not a page of the site")
            elif fragment and target.suffix == ".html" and not re.search(rf'\bid="{re.escape(fragment)}"',
                                                                         target.read_text(encoding="utf-8")):
                problems.append(f"{name}: {url}: the page has no #{fragment}")
    return problems


def test_epub_citation_urls_are_pages_of_the_site(epub, built_site):
    texts = epub_files(epub)
    cited = [url for text in texts.values() for url in re.findall(re.escape(BASE) + r"\S+?\.html#[\w-]+", text)]
    assert len(set(cited)) > 300  # every citable section's entry
    assert citation_url_problems(texts, built_site, BASE) == []


def test_an_xhtml_or_unknown_citation_url_is_caught(built_site):
    texts = {"tensors/view-vs-reshape.xhtml": f"url = {{{BASE}tensors/view-vs-reshape.xhtml#view-vs-reshape}}, "
                                              f"and {BASE}tensors/view-vs-reshape.html#no-such-anchor, "
                                              f"{BASE}v/1999.01/tensors/view-vs-reshape.html#view-vs-reshape, "
                                              f"{BASE}v/{RELEASE}/tensors/view-vs-reshape.html#view-vs-reshape."}
    assert citation_url_problems(texts, built_site, BASE) == [
        f"tensors/view-vs-reshape.xhtml: {BASE}tensors/view-vs-reshape.html#no-such-anchor: the page has no #no-such-anchor",
        f"tensors/view-vs-reshape.xhtml: {BASE}tensors/view-vs-reshape.xhtml#view-vs-reshape is not a page of the site",
        f"tensors/view-vs-reshape.xhtml: {BASE}v/1999.01/tensors/view-vs-reshape.html#view-vs-reshape is not a page of the site",
    ]


def test_epub_is_chinese_and_has_no_redirect_stubs(epub):
    redirects = runpy.run_path(str(ROOT / "conf.py"))["redirects"]
    texts = epub_files(epub)
    assert re.search(r"<dc:language>zh-CN</dc:language>", texts["content.opf"])
    pages = [name for name in texts if name.endswith(".xhtml") and name != "nav.xhtml"]
    assert pages and all(re.search(r'<html [^>]*lang="zh-CN"', texts[name]) for name in pages)
    stubs = [name for name in zipfile.ZipFile(epub).namelist() if name.rsplit(".", 1)[0] in redirects]
    assert stubs == []
    assert not [name for name in zipfile.ZipFile(epub).namelist() if name.endswith((".png", ".svg")) and "DOCTYPE" in
                zipfile.ZipFile(epub).read(name).decode("latin-1")[:500]]


# -- where readers find them -----------------------------------------------------------------------------------


def book_link_problems(site: Path) -> list[str]:
    """Every page of the site links memo.pdf and memo.epub, and the links reach the files."""
    problems = []
    for page in site_pages(site):
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        for kind, name in BOOK.items():
            link = soup.select_one(f"a.book-download-{kind}")
            if link is None:
                problems.append(f"{page}: no link to {name}")
            elif ((site / page).parent / link["href"]).resolve() != (site / name).resolve():
                problems.append(f"{page}: the {name} link goes to {link['href']}")
    return problems


def test_every_page_links_the_pdf_and_the_epub(built_site, pdf, epub):
    assert book_link_problems(built_site) == []


def test_a_page_without_the_book_links_is_caught(built_site, tmp_path):
    from site_build import edited_copy

    page = "tensors/view-vs-reshape.html"
    copy = edited_copy(built_site, tmp_path / "site", {
        page: lambda html: html.replace('class="book-download-pdf"', 'class="x"').replace('/memo.epub"', '/memo.pdf"')})
    assert book_link_problems(copy) == [f"{page}: no link to memo.pdf", f"{page}: the memo.epub link goes to ../memo.pdf"]


# -- every builder the site uses ------------------------------------------------------------------------------


def test_the_site_builds_as_one_page_warning_free(built_site, tmp_path):
    """singlehtml, like html (make strict), latex (make pdf) and epub (make epub), under -n -W,
    on a copy of the strict build's doctrees (only the writing is left to do)."""
    from commands import sphinx_build

    doctrees = tmp_path / "doctrees"
    shutil.copytree(built_site / ".doctrees", doctrees)
    done = sphinx_build("-c", ".", "-b", "singlehtml", "-n", "-W", "--keep-going", "-q", "-d", str(doctrees),
                        "docs", str(tmp_path / "singlehtml"))
    assert done.returncode == 0, done.stderr[-3000:]
    page = (tmp_path / "singlehtml" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="{label}"' in page for label in ("view-vs-reshape-pitfalls", "glossary"))


# -- published with the site ---------------------------------------------------------------------------------


def publish_problems(make_output: str, where: str, site: str = "_build/html") -> list[str]:
    """`make -n` output copies memo.pdf and memo.epub into the HTML build that gets published."""
    return [f"{where}: {name} is not copied into {site}" for name in BOOK.values()
            if not re.search(rf"\bcp \S+/{re.escape(name)} {re.escape(site)}/{re.escape(name)}\b", make_output)]


def test_make_test_and_dist_put_the_book_into_the_published_site():
    """Pages deploys `make site`, the _build/html that `bash .ci/run` (make test) built plus
    the archived releases; make dist zips _build/html."""
    from commands import make

    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "bash .ci/run" in workflow and "make site ARCHIVE=" in workflow and "path: _build/site" in workflow
    for target in ("test", "dist"):
        assert publish_problems(make(target).stdout, f"make {target}") == []
    assert publish_problems(make("strict").stdout, "make strict") == [
        "make strict: memo.pdf is not copied into _build/html", "make strict: memo.epub is not copied into _build/html"]


def test_read_the_docs_builds_the_book(tmp_path):
    import yaml
    from commands import make

    rtd = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert {"pdf", "epub"} <= set(rtd["formats"])
    output = str(tmp_path / "output")
    for kind, name in BOOK.items():
        lines = rtd["build"]["jobs"]["build"][kind]
        command = lines[0].replace("$READTHEDOCS_VIRTUALENV_PATH", str(ROOT / ".venv")).replace("$READTHEDOCS_OUTPUT", output)
        argv = shlex.split(command)
        assert argv[:2] == ["make", kind], lines
        assert publish_problems(make(*argv[1:]).stdout, ".readthedocs.yaml", site=f"{output}/html") == [
            f".readthedocs.yaml: {other} is not copied into {output}/html" for other in BOOK.values() if other != name]
        assert f'"$READTHEDOCS_OUTPUT/{kind}/"' in lines[1] and name in lines[1], lines


def test_make_pdf_without_tex_names_the_packages_in_one_line(tmp_path):
    """A machine without TeX: `make pdf` stops before building anything, with one line."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("cat", "grep", "sh", "fc-list", "awk"):  # what the Makefile's own lines use; no TeX
        if shutil.which(name):
            (tools / name).symlink_to(shutil.which(name))
    done = subprocess.run([shutil.which("make"), "--no-print-directory", "pdf"], cwd=ROOT, capture_output=True,
                          text=True, env={"PATH": str(tools), "HOME": str(tmp_path)}, timeout=60)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[0] == (
        "error: make pdf needs TeX Live and fonts from Debian: apt-get install texlive-xetex texlive-lang-chinese "
        "texlive-latex-extra texlive-fonts-recommended latexmk fonts-noto-cjk fonts-dejavu-core"), done.stderr
    assert "sphinx-build" not in done.stdout + done.stderr
