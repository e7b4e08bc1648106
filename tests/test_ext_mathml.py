"""_ext/mathml.py: formulas become MathML at build time; an unconvertible one is a warning at its line."""

import re

import pytest


@pytest.mark.sphinx("html", testroot="mathml")
def test_formulas_are_written_as_mathml(app, warning):
    app.build()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    inline = re.search(r'<span class="math"><math xmlns="http://www.w3.org/1998/Math/MathML">(.*?)</math></span>', html, re.S)
    assert inline and "<mfrac>" in inline.group(1) and "∑" in inline.group(1)
    blocks = re.findall(r'<div class="math"[^>]*>(.*?)</div>', html, re.S)
    assert len(blocks) == 2
    assert 'display="block"' in blocks[0] and "<msqrt>" in blocks[0]
    assert 'class="eqno">(1)' in blocks[0]  # the labelled equation keeps its number and permalink
    assert "<mtable" in blocks[1]  # a line break inside a formula aligns its lines
    assert "\\" not in re.sub(r"<[^>]+>", "", "".join(blocks))  # no TeX left in what readers see
    assert not re.search(r"<script[^>]*mathjax", html, re.I)
    assert "broken.md" in warning.getvalue()  # the other page's warning; this page is clean
    assert "index.md" not in warning.getvalue()


@pytest.mark.sphinx("html", testroot="mathml", srcdir="mathml-warning")
def test_an_unconvertible_formula_is_a_warning_at_its_line(app, warning):
    app.build()
    message = warning.getvalue()
    assert re.search(r"broken\.md:5: WARNING: formula cannot be written as MathML .*\\dots.*\[mathml\.unsupported\]", message), message
    html = (app.outdir / "broken.html").read_text(encoding="utf-8")
    assert r'<span class="math">x_1, \dots, x_n</span>' in html  # shown as TeX, never dropped
