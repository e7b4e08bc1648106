"""The site's bibliography files through the real tools, as a reader's paper uses them:
TeX Live's bibtex with plain, unsrt, plainnat and IEEEtran (memo.bib), and biblatex with
biber (memo-biblatex.bib). One xelatex document per style cites every key; the tests read
the PDF's text (pdftotext) and the bibtex/biber logs. One more document, built from two
broken entries, proves that the checks fail, naming the entry.

Without TeX Live these tests are skipped with a message; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from citecheck import bibtex_entries

BIBTEX_STYLES = ("plain", "unsrt", "plainnat", "IEEEtran")
STYLES = BIBTEX_STYLES + ("biblatex",)
TOOLS = ("xelatex", "bibtex", "biber", "pdftotext", "kpsewhich")
TEX_FILES = ("xeCJK.sty", "biblatex.sty", "url.sty", "natbib.sty", "bibunits.sty", "plainnat.bst", "IEEEtran.bst")
CJK_FONT = "WenQuanYi Micro Hei"  # fonts-wqy-microhei, which .ci/run installs; it has Latin and Greek too
PLAINNAT_LIST = 26
DEBIAN = "texlive-xetex texlive-lang-chinese texlive-bibtex-extra texlive-publishers biber poppler-utils"


def tex_missing() -> str:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        found = subprocess.run(["kpsewhich", *TEX_FILES], capture_output=True, text=True).stdout
        missing = [name for name in TEX_FILES if name not in found]
    return ", ".join(missing)


@pytest.fixture(scope="session")
def tex():
    missing = tex_missing()
    if missing:
        message = f"TeX Live is incomplete here (missing {missing}); install Debian's {DEBIAN} to run these tests"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}. In CI (CI=true) missing TeX is a failure, not a skip.", pytrace=False)
        pytest.skip(message)


def document(style: str, bib: str, keys: list[str]) -> str:
    cites = "\\cite{" + ",".join(keys) + "}\n"
    preamble = ("\\documentclass{article}\n\\usepackage{xeCJK}\n"
                f"\\setmainfont{{{CJK_FONT}}}\n\\setCJKmainfont{{{CJK_FONT}}}\n\\usepackage{{url}}\n"
                "\\hyphenpenalty=10000 \\exhyphenpenalty=10000 \\sloppy\n\\pagestyle{empty}  % no page numbers inside a URL that spans two pages\n")
    if style == "biblatex":
        return (preamble + "\\usepackage[backend=biber,style=numeric]{biblatex}\n"
                f"\\addbibresource{{{bib}}}\n\\begin{{document}}\n{cites}\\printbibliography\n\\end{{document}}\n")
    if style == "plainnat":
        # plainnat tells apart entries of one author and year by a letter, 2026a to 2026z, and
        # after z writes "2026{" into the .bbl, which TeX cannot read: one list holds at most
        # 26 of this site's entries (how-to-cite says so). bibunits gives each 26 its own list,
        # still in one document.
        units = "".join("\\begin{bibunit}\n\\citet{" + ",".join(keys[i:i + PLAINNAT_LIST]) + "}\n\\putbib\n\\end{bibunit}\n"
                        for i in range(0, len(keys), PLAINNAT_LIST))
        return (preamble + "\\usepackage{natbib}\n\\usepackage{bibunits}\n"
                f"\\defaultbibliographystyle{{plainnat}}\n\\defaultbibliography{{{Path(bib).stem}}}\n"
                f"\\begin{{document}}\n{units}\\end{{document}}\n")
    return (preamble + f"\\begin{{document}}\n{cites}\\bibliographystyle{{{style}}}\n"
            f"\\bibliography{{{Path(bib).stem}}}\n\\end{{document}}\n")


def compile_style(folder: Path, style: str, bib_text: str, keys: list[str]) -> dict:
    """xelatex, bibtex or biber, xelatex: the log of the bibliography tool, the entries in
    the .bbl and the PDF's text."""
    folder.mkdir(parents=True)
    bib = "memo-biblatex.bib" if style == "biblatex" else "memo.bib"
    (folder / bib).write_text(bib_text, encoding="utf-8")
    (folder / "cite.tex").write_text(document(style, bib, keys), encoding="utf-8")
    latex = ["xelatex", "-interaction=nonstopmode", "-halt-on-error", "cite.tex"]

    def run(command):
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, errors="replace", timeout=300)
        return done.returncode, done.stdout + done.stderr

    code, out = run(latex[:1] + ["-no-pdf"] + latex[1:])
    assert code == 0, f"{style}: first xelatex run failed:\n{out[-3000:]}"
    units = sorted(path.stem for path in folder.glob("bu*.aux")) or ["cite"]  # plainnat's lists (bibunits)
    code, tool_out = 0, ""
    for unit in units:
        unit_code, unit_out = run(["biber", unit] if style == "biblatex" else ["bibtex", unit])
        code, tool_out = code or unit_code, tool_out + unit_out
    code_latex, out = run(latex)
    assert code_latex == 0, f"{style}: second xelatex run failed:\n{out[-3000:]}"
    pdf = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "cite.pdf", "-"], cwd=folder, capture_output=True, text=True)

    def read(suffix):
        return "".join((folder / f"{unit}{suffix}").read_text(encoding="utf-8", errors="replace")
                       for unit in units if (folder / f"{unit}{suffix}").exists())

    return {"code": code, "log": read(".blg") or tool_out, "bbl": read(".bbl"), "text": pdf.stdout}


def squeeze(text: str) -> str:
    """Text as pdftotext gives it back, compared without layout: no whitespace, ligatures
    and TeX's typographic quotes and dashes undone."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": None}))
    return re.sub(r"\s+", "", text)


def tool_problems(style: str, result: dict) -> list[str]:
    """Warnings and errors in bibtex's or biber's log."""
    log = result["log"]
    if style == "biblatex":
        lines = [line for line in log.splitlines() if re.search(r"\b(WARN|ERROR)\b", line)]
    else:
        lines = [line for line in log.splitlines() if line.startswith("Warning--") or "error message" in line
                 or re.match(r"I (was expecting|'m skipping)", line)]
    problems = [f"{style}: {line.strip()}" for line in lines]
    if result["code"] != 0 and not problems:
        problems.append(f"{style}: the bibliography tool exited with {result['code']}:\n{log[-2000:]}")
    return problems


def entry_problems(style: str, result: dict, entries: list[dict]) -> list[str]:
    """Every entry is in the .bbl, and its title (with its capitals) and its URL are in the PDF."""
    problems = []
    cited = len(re.findall(r"\\entry\{" if style == "biblatex" else r"\\bibitem", result["bbl"]))
    if cited != len(entries):
        problems.append(f"{style}: the .bbl holds {cited} entries, the file has {len(entries)}")
    text = squeeze(result["text"])
    folded = text.lower()
    for entry in entries:
        title = squeeze(entry["title"])
        if title not in text:
            how = "lowercased by the style (brace it)" if title.lower() in folded else "missing"
            problems.append(f"{style}: {entry['key']}: title {entry['title']!r} {how} in the PDF")
        if squeeze(entry["url"]) not in text:
            problems.append(f"{style}: {entry['key']}: URL {entry['url']} missing from the PDF "
                            f"(bibtex styles print it only from howpublished)")
    return problems


BROKEN_ENTRIES = {"memo:broken-acronym": "title", "memo:broken-url": "howpublished"}


def broken_bib(bib: str) -> tuple[str, list[dict]]:
    """Two entries of memo.bib, each broken as a hand-written entry would be: a title
    without its braces, an entry without howpublished."""
    entries = bibtex_entries(bib)
    acronym = next(e for e in entries if re.search(r"[A-Z].*[A-Z]", e["title"]) and e["title"].isascii() is False)
    plain = entries[1]
    one = re.sub(r"(title\s+= )\{\{(.*)\}\},", r"\1{\2},", acronym["text"]).replace(acronym["key"], "memo:broken-acronym", 1)
    two = re.sub(r"\n\s+howpublished\s+=.*", "", plain["text"]).replace(plain["key"], "memo:broken-url", 1)
    picked = [dict(acronym, key="memo:broken-acronym"), dict(plain, key="memo:broken-url")]
    return one + "\n\n" + two + "\n", picked


@pytest.fixture(scope="session")
def compiled(tex, built_site, tmp_path_factory):
    """style -> compile result, for every style and the broken document, in parallel."""
    root = tmp_path_factory.mktemp("cite-tex")
    bib = (built_site / "memo.bib").read_text(encoding="utf-8")
    biblatex = (built_site / "memo-biblatex.bib").read_text(encoding="utf-8")
    keys = [e["key"] for e in bibtex_entries(bib)]
    broken, _ = broken_bib(bib)
    jobs = {style: (root / style, style, biblatex if style == "biblatex" else bib, keys) for style in STYLES}
    jobs["broken"] = (root / "broken", "plain", broken, list(BROKEN_ENTRIES))
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(compile_style, *job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.fixture(scope="session")
def site_entries(built_site) -> list[dict]:
    """key, title, url of every entry, from memo.json (what the PDFs must show)."""
    return [{"key": item["id"], "title": item["title"], "url": item["URL"]}
            for item in json.loads((built_site / "memo.json").read_text(encoding="utf-8"))]


@pytest.mark.parametrize("style", STYLES)
def test_every_entry_renders_with_its_capitals_and_url(compiled, site_entries, style):
    problems = tool_problems(style, compiled[style]) + entry_problems(style, compiled[style], site_entries)
    assert len(site_entries) > 300 and problems == [], "\n".join(problems[:20])


def test_break_an_unbraced_acronym_and_a_missing_howpublished_fail(compiled, built_site):
    _, picked = broken_bib((built_site / "memo.bib").read_text(encoding="utf-8"))
    entries = [{"key": e["key"], "title": e["title_text"], "url": e["url"]} for e in picked]
    problems = entry_problems("plain", compiled["broken"], entries)
    assert any(p.startswith("plain: memo:broken-acronym: title") and "lowercased by the style" in p for p in problems), problems
    assert any(p.startswith("plain: memo:broken-url: URL") for p in problems), problems
    assert not any("memo:broken-acronym: URL" in p or "memo:broken-url: title" in p for p in problems), problems
