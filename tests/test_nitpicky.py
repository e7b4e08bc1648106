"""An unresolved cross-reference fails the strict build (`-n -W --keep-going`), with file:line."""

import re

import pytest
from commands import make, sphinx_build, sphinx_calls
from site_build import ROOT

ROOTS = ROOT / "tests" / "roots"


@pytest.mark.sphinx("html", testroot="nitpicky")
def test_unresolved_reference_is_reported_with_location(app, warning):
    app.build()
    text = warning.getvalue()
    assert re.search(r"index\.md:4: WARNING: py:func reference target not found: no_such_function", text), text


def test_strict_flags_turn_the_warning_into_a_failure(tmp_path):
    result = sphinx_build("-b", "html", "-n", "-W", "--keep-going", str(ROOTS / "test-nitpicky"), str(tmp_path))
    assert result.returncode != 0
    assert "index.md:4" in result.stderr


@pytest.mark.parametrize("target", ["strict", "doctest"])
def test_the_checks_run_sphinx_with_the_strict_flags(target):
    """What `make strict` and `make doctest` would run (make -n): nitpicky, warnings are errors."""
    result = make(target)
    assert result.returncode == 0, result.stderr
    (argv,) = sphinx_calls(result.stdout)
    assert {"-n", "-W", "--keep-going"} <= set(argv), argv


def test_strict_reads_every_page_afresh():
    """A warning is only emitted when its page is read: an incremental build could hide it."""
    (argv,) = sphinx_calls(make("strict").stdout)
    assert "-E" in argv, argv
