"""tests/per_run.py: what parallel runs share is made once, and a test that would make it twice is caught."""

from types import SimpleNamespace

from per_run import ONE_WORKER_FIXTURES, ONE_WORKER_TESTS, group_of, made_once, misplaced


def worker_temp(tmp_path, worker, monkeypatch):
    """A tmp_path_factory as pytest-xdist's worker `worker` of one run sees it."""
    monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    base = tmp_path / f"popen-{worker}"
    base.mkdir(exist_ok=True)
    return SimpleNamespace(getbasetemp=lambda: base)


def test_made_once_is_made_once_for_all_workers(tmp_path, monkeypatch):
    calls = []

    def make(folder):
        calls.append(folder)
        (folder / "made").write_text("once", encoding="utf-8")

    first = made_once(worker_temp(tmp_path, "gw0", monkeypatch), "thing", make)
    second = made_once(worker_temp(tmp_path, "gw1", monkeypatch), "thing", make)
    assert first == second == tmp_path / "thing" and len(calls) == 1
    assert (second / "made").read_text(encoding="utf-8") == "once"


def test_every_grouped_test_names_a_real_group():
    assert set(ONE_WORKER_TESTS.values()) == set(ONE_WORKER_FIXTURES.values())
    assert group_of("tests/test_page_downloads.py::test_script_runs_and_reproduces_the_page[python/zip]") == "page-downloads"
    assert group_of("tests/test_page_downloads.py::test_page_links_both_downloads_under_its_takeaway[python/zip]") is None


def test_break_a_test_using_a_one_worker_fixture_outside_its_group_is_caught():
    fixture, group = next(iter(ONE_WORKER_FIXTURES.items()))
    grouped = next(name for name, g in ONE_WORKER_TESTS.items() if g == group)
    items = [SimpleNamespace(nodeid=f"{grouped}[a]", fixturenames=[fixture]),
             SimpleNamespace(nodeid="tests/test_new.py::test_also_runs_them[a]", fixturenames=["tmp_path", fixture])]
    assert misplaced(items) == [
        f"tests/test_new.py::test_also_runs_them[a] uses the fixture {fixture}: add the test to ONE_WORKER_TESTS "
        f"in tests/per_run.py (group {group!r}), or a second worker makes the fixture again"]
