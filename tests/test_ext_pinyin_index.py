"""genindex.html lists entries by pinyin (_ext/pinyin_index.py): each entry under the initial
of its pinyin (Latin names under their own initial), in pinyin order within a group."""

import re

import pytest
from bs4 import BeautifulSoup
from pypinyin import Style, lazy_pinyin


def index_groups(page: str) -> list[tuple[str, list[str]]]:
    """[(group heading, [top-level entry names in page order]), ...] of a genindex.html."""
    soup = BeautifulSoup(page, "html.parser")
    groups = []
    for heading in soup.select("h2[id]"):
        table = heading.find_next_sibling("table")
        names = []
        for li in table.select("td > ul > li") if table else []:
            text = "".join(part.get_text() for part in li.children if getattr(part, "name", None) != "ul")
            names.append(re.split(r" \(|（", text.strip())[0])
        groups.append((heading.get_text().strip(), names))
    return groups


def expected_letter(name: str) -> str | None:
    char = name.lstrip("_")[:1]
    if "\u4e00" <= char <= "\u9fff":
        return lazy_pinyin(char, style=Style.FIRST_LETTER)[0].upper()
    return char.upper() if char.isascii() and char.isalpha() else None


def pinyin(name: str) -> list[str]:
    return [s.lower() for s in lazy_pinyin(name.lstrip("_"), style=Style.TONE3, neutral_tone_with_five=True, errors=lambda t: [t])]


def order_problems(page: str, where: str = "genindex.html") -> list[str]:
    """Entries filed under another letter than their pinyin's, or out of pinyin order."""
    problems, groups = [], index_groups(page)
    if not groups:
        return [f"{where}: no index groups found"]
    letters = [heading for heading, _ in groups if len(heading) == 1 and heading.isascii()]
    if letters != sorted(letters):
        problems.append(f"{where}: groups not in alphabetical order: {' '.join(h for h, _ in groups)}")
    for heading, names in groups:
        for name in names:
            letter = expected_letter(name)
            if letter and letter != heading:
                problems.append(f"{where}: {name!r} is under {heading!r}, its pinyin starts with {letter!r}")
        keys = [(pinyin(n), n) for n in names]
        if keys != sorted(keys):
            problems.append(f"{where}: group {heading!r} is not in pinyin order: {'、'.join(names)}")
    return problems


@pytest.mark.sphinx("html", testroot="pinyin-index")
def test_tiny_root_index_is_in_pinyin_order(app):
    app.build()
    page = (app.outdir / "genindex.html").read_text(encoding="utf-8")
    groups = dict(index_groups(page))
    assert groups["A"] == ["阿尔法", "Apple"], groups
    assert groups["B"] == ["标准差", "不变量"], groups
    assert groups["X"] == ["下标"] and groups["Z"] == ["张量", "zip()"] and groups["P"] == ["_private"], groups
    assert [h for h, _ in index_groups(page)][-1] == "Z"
    assert order_problems(page) == []


@pytest.mark.sphinx("html", testroot="pinyin-index", srcdir="pinyin-index-off", confoverrides={"extensions": []})
def test_the_check_fails_on_sphinx_code_point_groups(app):
    app.build()
    problems = order_problems((app.outdir / "genindex.html").read_text(encoding="utf-8"))
    assert any("'张量' is under '张', its pinyin starts with 'Z'" in p for p in problems), problems


@pytest.mark.sphinx("latex", testroot="pinyin-index", srcdir="pinyin-index-latex")
def test_other_builders_are_left_alone(app):
    app.build()  # no genindex context: the extension does nothing and fails nothing


def test_the_site_index_is_in_pinyin_order(built_site):
    page = (built_site / "genindex.html").read_text(encoding="utf-8")
    problems = order_problems(page, str(built_site / "genindex.html"))
    assert not problems, "\n".join(problems)
