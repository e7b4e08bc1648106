"""Every builder the site uses works, and the HTML-only extensions act on the site's build only.

tests/roots/test-book turns on every HTML-only extension of _ext/ (mathml, icon_subset,
zh_search, anchor_lock, cite_page, page_downloads) and the book's (_ext/book.py), and is built
here once with each builder: html (the site), singlehtml, epub and latex, all with
`-n -W`. EPUB and singlehtml are HTML builders too, so each extension must tell them from the
site (_ext/site_builder.py). One test per extension checks what it wrote, and did not write.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from commands import sphinx_build
from site_build import ROOT

PROJECT = ROOT / "tests" / "roots" / "test-book"
BUILDERS = ("html", "singlehtml", "epub", "latex")
OTHERS = ("singlehtml", "epub", "latex")
BASE = "https://example.org/book/"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """builder -> its output folder; each build must succeed with warnings as errors."""
    out = {}
    doctrees = tmp_path_factory.mktemp("doctrees")
    for builder in BUILDERS:
        folder = tmp_path_factory.mktemp(builder)
        done = sphinx_build("-b", builder, "-n", "-W", "--keep-going", "-d", str(doctrees / builder),
                            str(PROJECT), str(folder), env={"PYTHONPATH": str(ROOT / "_ext")})
        assert done.returncode == 0, f"{builder} build failed:\n{done.stderr[-3000:]}"
        out[builder] = folder
    return out


def files(folder) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def text_of(folder) -> str:
    """Everything the build wrote that a reader sees: pages, .tex, and the EPUB's xhtml."""
    parts = [p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.suffix in (".html", ".xhtml", ".tex")]
    return "\n".join(parts).replace("\\sphinxhyphen{}", "-").replace("\\#", "#")  # LaTeX's escapes in URLs


def test_zh_search_writes_its_index_for_the_site_only(builds):
    assert (builds["html"] / "_static" / "memo-search-index.js").is_file()
    for builder in OTHERS:
        assert not (builds[builder] / "_static" / "memo-search-index.js").exists(), builder


def test_icon_subset_cuts_the_site_font_only(builds):
    font = "webfonts/fa-solid-900.woff2"
    site = next(builds["html"].rglob(font.split("/")[-1]))
    single = next(builds["singlehtml"].rglob(font.split("/")[-1]))
    assert site.stat().st_size < single.stat().st_size / 10  # singlehtml keeps the theme's font untouched
    assert not any(name.endswith(".woff2") for name in files(builds["epub"]) | files(builds["latex"]))


def test_anchor_lock_writes_anchors_json_for_the_site_only(builds):
    assert (builds["html"] / "anchors.json").is_file()
    for builder in OTHERS:
        assert "anchors.json" not in files(builds[builder]), builder


def test_page_downloads_for_the_site_only(builds):
    assert {"guide/formulas.ipynb", "guide/formulas.py"} <= files(builds["html"])
    assert "下载本页代码" in (builds["html"] / "guide" / "formulas.html").read_text(encoding="utf-8")
    for builder in OTHERS:
        assert not any(name.endswith((".ipynb", ".py")) for name in files(builds[builder])), builder
        assert "下载本页代码" not in text_of(builds[builder]), builder


def test_cite_page_exports_for_the_site_and_cites_hosted_pages_everywhere(builds):
    assert {"memo.bib", "memo.json"} <= files(builds["html"])
    for builder in OTHERS:
        assert not {"memo.bib", "memo.json"} & files(builds[builder]), builder
    for builder in ("epub", "latex"):  # the book's two formats
        text = text_of(builds[builder])
        assert f"{BASE}guide/formulas.html#formulas-sine" in text, builder  # the hosted page, never .xhtml
        assert not re.search(r"example\.org/book/[^\s\"<]*\.xhtml", text), builder
    # the PDF's print form: the section's key and URL in one small line, no panel
    assert re.search(r"\\begin\{sphinxuseclass\}\{cite-print\}.*?引用本节：.*?demo:formulas-sine", text_of(builds["latex"]), re.S)


def test_mathml_is_xml_in_the_epub(builds):
    with zipfile.ZipFile(next(builds["epub"].glob("*.epub"))) as epub:
        page = epub.read("guide/formulas.xhtml").decode("utf-8")
        opf = epub.read("content.opf").decode("utf-8")
    ET.fromstring(page)  # XHTML: parses as XML (a named entity such as &ApplyFunction; would not)
    assert "<math" in page and "&ApplyFunction;" not in page
    assert not re.search(r"<mfrac [^>]*(displaystyle|scriptlevel)=", page)  # MathML 3: on <mstyle>
    assert re.search(r'<item [^>]*href="guide/formulas.xhtml"[^>]*properties="mathml"', opf), opf


def test_book_makes_parts_and_named_destinations_in_latex(builds):
    tex = (builds["latex"] / "book.tex").read_text(encoding="utf-8")
    assert r"\part{第一组}" in tex  # the toctree's caption
    for label in ("home", "formulas", "formulas-sine"):
        assert rf"\memodest{{{label}}}" in tex, label
    assert r"\chapter*{演示书}" in tex  # the landing page's text under its own title
