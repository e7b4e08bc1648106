"""`make doctest` fails on a wrong output, with the Markdown file:line of the example."""

import doctest
import re
import runpy

import pytest
from site_build import ROOT


@pytest.mark.sphinx("doctest", testroot="doctest-fail")
def test_wrong_doctest_output_fails(app):
    """The root uses the site's own doctest settings: wrong outputs, a wrong exception
    message (passes under Sphinx's default IGNORE_EXCEPTION_DETAIL) and a wrong
    {testcode} output all fail, each at the Markdown line of its code."""
    app.build()
    report = (app.outdir / "output.txt").read_text(encoding="utf-8")
    failed_lines = [int(n) for n in re.findall(r"index\.md:(\d+): failed example \(group default\)", report)]
    assert failed_lines == [5, 8, 15, 24], report
    assert app.builder.total_failures == 4
    assert "Expected:\n    3\nGot:\n    2" in report
    assert "ValueError: invalid literal for int() with base 10: 'x'" in report
    assert not re.search(r'^File ".*index\.md"', report, re.M)


@pytest.mark.sphinx("doctest", testroot="doctest-fail", confoverrides={"doctest_default_flags": doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL})
def test_the_exception_break_needs_the_site_flags(app):
    """Proof that the test above can fail: under IGNORE_EXCEPTION_DETAIL the wrong message passes."""
    app.build()
    assert app.builder.total_failures == 3


def test_the_site_checks_exception_messages():
    site = runpy.run_path(str(ROOT / "conf.py"))
    assert not site["doctest_default_flags"] & doctest.IGNORE_EXCEPTION_DETAIL
