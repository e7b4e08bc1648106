"""_ext/glossary_ids.py: every glossary term gets the explicit id of docs/glossary-ids.toml
(not Sphinx's serial number), as a label that the anchor lock locks; links and the index
follow; old numbered links are sent on by a script. Break tests: a term without an id, and
an id given to two terms, fail with the file and line."""

import json
import re

import pytest
from citecheck import soup

import glossary_ids


@pytest.mark.sphinx("html", testroot="glossary-ids", freshenv=True)
def test_terms_carry_their_table_ids_and_links_follow(app, warning):
    app.build()
    assert warning.getvalue() == ""
    page = soup(app.outdir / "glossary.html")
    dts = page.select("dl.glossary dt")
    assert [dt.get("id") for dt in dts] == ["term-batch-normalization", None, "term-layer-normalization", None,
                                            "term-temperature", None]
    assert not re.search(r'id="term-\d+"', (app.outdir / "glossary.html").read_text(encoding="utf-8"))
    links = [a["href"] for a in soup(app.outdir / "index.html").select("a.reference.internal") if "#term-" in a["href"]]
    assert links == ["glossary.html#term-batch-normalization", "glossary.html#term-layer-normalization"]
    anchors = json.loads((app.outdir / "anchors.json").read_text(encoding="utf-8"))["anchors"]
    assert anchors["term-temperature"] == {"page": "glossary", "url": "glossary.html#term-temperature", "title": "温度"}
    index = (app.outdir / "genindex.html").read_text(encoding="utf-8")
    assert "glossary.html#term-batch-normalization" in index and "#term-0" not in index
    script = next(s.string for s in page.find_all("script") if s.string and "const moved" in s.string)
    assert '"term-0":"term-batch-normalization"' in script and "location.replace" in script


@pytest.mark.sphinx("html", testroot="glossary-ids", freshenv=True)
def test_break_a_term_without_an_id_fails_at_its_line(app, warning):
    table = app.srcdir / "glossary-ids.toml"
    table.write_text(table.read_text(encoding="utf-8").replace('"温度" = "term-temperature"\n', ""), encoding="utf-8")
    app.build()
    assert re.search(r"glossary\.md:13: WARNING: glossary term '温度' has no id in glossary-ids\.toml", warning.getvalue()), warning.getvalue()


def test_break_a_duplicate_glossary_id_fails_at_its_line(rootdir, tmp_path):
    table = tmp_path / "glossary-ids.toml"
    text = (rootdir / "test-glossary-ids" / "glossary-ids.toml").read_text(encoding="utf-8")
    table.write_text(text.replace('"温度" = "term-temperature"', '"温度" = "term-batch-normalization"'), encoding="utf-8")
    problems = glossary_ids.load(table, "docs/glossary-ids.toml").problems
    assert problems == ["docs/glossary-ids.toml:4: glossary id 'term-batch-normalization' is given to both '批归一化' "
                        "(line 2) and '温度'; every term needs its own id"], problems
    table.write_text(text.replace('"term-temperature"', '"term-Temperature"'), encoding="utf-8")
    assert glossary_ids.load(table, "t.toml").problems == [
        "t.toml:4: glossary id 'term-Temperature' of '温度' is not term-<lowercase ASCII, kebab-case>"]


def test_the_sites_table_covers_every_term_once(repo_root):
    """Every term of docs/glossary.md has an id, no id twice, no old id still in use."""
    table = glossary_ids.load(repo_root / "docs" / "glossary-ids.toml", "docs/glossary-ids.toml")
    assert table.problems == []
    text = (repo_root / "docs" / "glossary.md").read_text(encoding="utf-8")
    terms = [line for block in re.findall(r":::\{glossary\}\n(.*?)\n:::", text, re.S)
             for line in re.findall(r"(?:^|\n\n)(\S[^\n]*)\n", block)]
    assert len(terms) > 100 and sorted(set(terms) - set(table.ids)) == [], "terms without an id"
    assert not set(table.moved) & set(table.ids.values()), "an old id is a current id"
