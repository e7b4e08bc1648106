"""Every page's doctests start from the same state (conf.py's doctest_global_setup).

tests/roots/test-doctest-state uses the site's own doctest settings. Page a changes
every piece of state the setup resets; page b prints outputs that depend on each
one, expected as they are in a fresh interpreter. Pages run in name order.
"""

import doctest_page_state
import pytest

OLD_SETUP = """
import numpy as np
import torch
torch.manual_seed(0)
np.random.seed(0)
np.set_printoptions(legacy=False)
torch.set_printoptions(profile="default")
"""


@pytest.fixture(autouse=True)
def reset_afterwards():
    """The doctests run in this process and page a changes its state: reset it for the tests that follow."""
    yield
    doctest_page_state.reset()


def failures(app) -> list[str]:
    report = (app.outdir / "output.txt").read_text(encoding="utf-8")
    return [line for line in report.splitlines() if ": failed example" in line]


@pytest.mark.sphinx("doctest", testroot="doctest-state")
def test_a_page_that_changes_every_state_does_not_change_the_next_page(app):
    app.build(force_all=True)
    assert (app.builder.total_tries, failures(app)) == (8 + 11, [])


@pytest.mark.sphinx("doctest", testroot="doctest-state", srcdir="doctest-state-alone")
def test_a_page_run_alone_gives_the_full_runs_result(app):
    """Same outputs as in the full run above, where page a ran first."""
    app.build(filenames=[str(app.srcdir / "b-reads-state.md")])
    assert (app.builder.total_tries, failures(app)) == (11, [])


@pytest.mark.sphinx("doctest", testroot="doctest-state", srcdir="doctest-state-old", confoverrides={"doctest_global_setup": OLD_SETUP})
def test_the_state_test_catches_a_leak(app):
    """Proof that the test can fail: with the former setup, each change of page a leaks into page b."""
    app.build(force_all=True)
    lines = sorted(int(line.split(":")[1]) for line in failures(app))
    # random, torch.rand under float64, NumPy precision, threshold, seterr, dtype, grad mode, warnings
    assert lines == [6, 10, 12, 15, 17, 23, 25, 27], failures(app)
