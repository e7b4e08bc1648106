"""The home page: a tab title that names the site once, one line from each page under its link
(_ext/page_summaries.py), and the chapters in reading order. Read from the built site."""

import re

from bs4 import BeautifulSoup
from site_browser import site_pages

SITE_NAME = "Python / NumPy / PyTorch 备忘录"


def title_problems(site, pages) -> list[str]:
    problems = []
    for page in pages:
        title = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser").title
        text = title.get_text() if title else ""
        if text.count(SITE_NAME) != 1:
            problems.append(f"{page}: the tab title {text!r} names the site {text.count(SITE_NAME)} times, not once")
    return problems


def summary_problems(site, index_html: str) -> list[str]:
    """Every page link of the home page's chapter lists has a line under it, taken from that page."""
    soup = BeautifulSoup(index_html, "html.parser")
    problems, items = [], soup.select("article .toctree-wrapper li.toctree-l1")
    if not items:
        return ["index.html: no chapter lists (.toctree-wrapper li.toctree-l1) found"]
    for item in items:
        link = item.find("a")
        summary = item.select_one("p.page-summary")
        if summary is None or not summary.get_text().strip():
            problems.append(f"index.html: {link.get_text()!r} ({link['href']}) has no one-line description under it")
            continue
        text = " ".join(BeautifulSoup((site / link["href"]).read_text(encoding="utf-8"), "html.parser").article.get_text().split())
        start = re.split(r"[\s，,（(]", summary.get_text().strip())[0][:12]
        if start not in text:
            problems.append(f"index.html: the line under {link['href']} ({summary.get_text()[:30]!r}) is not from that page")
    return problems


def chapter_order_problems(index_html: str) -> list[str]:
    captions = [c.get_text().strip() for c in BeautifulSoup(index_html, "html.parser").select("article .toctree-wrapper p.caption")]
    stats = next((i for i, c in enumerate(captions) if c.startswith("统计")), None)
    torch = next((i for i, c in enumerate(captions) if c.startswith("PyTorch")), None)
    if stats is None or torch is None:
        return [f"index.html: expected a statistics and a PyTorch chapter, found {captions}"]
    if torch != stats + 1:
        return [f"index.html: {captions[stats + 1:torch]} sit between {captions[stats]!r} and {captions[torch]!r}"]
    return []


def test_every_tab_title_names_the_site_once(built_site):
    problems = title_problems(built_site, site_pages(built_site))
    assert not problems, "\n".join(problems)


def test_home_page_lists_a_line_from_every_page(built_site):
    problems = summary_problems(built_site, (built_site / "index.html").read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_statistics_leads_to_pytorch(built_site):
    problems = chapter_order_problems((built_site / "index.html").read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_the_checks_catch_breaks(built_site, tmp_path):
    index = (built_site / "index.html").read_text(encoding="utf-8")
    (tmp_path / "index.html").write_text(index.replace("<title>", f"<title>{SITE_NAME} &#8212; "), encoding="utf-8")
    assert "names the site 2 times" in " ".join(title_problems(tmp_path, ["index.html"]))
    without = re.sub(r'<p class="page-summary">.*?</p>', "", index, count=1)
    assert "has no one-line description" in " ".join(summary_problems(built_site, without))
    wrong = re.sub(r'(<p class="page-summary">).*?(</p>)', r"\1这一行不是来自那一页。\2", index, count=1)
    assert "is not from that page" in " ".join(summary_problems(built_site, wrong))
    writing = re.search(r'<div class="toctree-wrapper compound">\s*<p [^>]*class="caption"[^>]*><span class="caption-text">学术写作.*?</div>', index, re.S)
    assert writing, "the break test expected the 学术写作 chapter list in index.html; update the test"
    moved = index.replace(writing[0], "")
    moved = re.sub(r'<div class="toctree-wrapper compound">\s*<p [^>]*class="caption"[^>]*><span class="caption-text">PyTorch',
                   lambda match: writing[0] + match[0], moved, count=1)
    assert "sit between '统计与实验'" in " ".join(chapter_order_problems(moved))
