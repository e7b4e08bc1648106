"""Two releases, end to end, as CONTRIBUTING.md ("Releases") describes them, in a temporary
clone of this checkout (its uncommitted files committed there, so what is tested is what is
on disk):

1. tag release A (VERSION as it is) and take `make snapshot`;
2. edit one section, bump VERSION to B, tag it, take `make snapshot`;
3. build the living site (`make html`) and run `make site` over both snapshots.

Then: A's frozen page keeps the old text and its banner says the edited section changed
(linking to B's) and an untouched one did not; the root shows B and cites /v/<B>/ URLs;
versions.json lists both; the root sitemap lists living pages only; a tampered file in A's
snapshot stops `make site` with its name; and a second snapshot of A, in another clone at
another path with cold build caches, is byte-identical to the first.

Not collected by `make test` (the file name does not start with test_): it runs four full
builds. `make test-release` runs it, and so does CI. Times and sizes are printed and kept
in $(BUILDDIR)/test-release.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from site_browser import chromium_missing, launch

import snapshot

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("MEMO_VENV", ROOT / ".venv")).resolve()
REPORT = Path(os.environ.get("MEMO_RELEASE_REPORT", ROOT / "_build" / "test-release.json"))
SENTENCE = "发布测试：这一句只在新版里。"
GIT = ["git", "-c", "user.name=Release Test", "-c", "user.email=release-test@example.org", "-c", "tag.gpgSign=false",
       "-c", "commit.gpgSign=false"]
TIMES: dict[str, float] = {}


def environment(extra: dict | None = None) -> dict:
    drop = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "SOURCE_DATE_EPOCH")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **(extra or {})}


def run(*command: str, cwd: Path, check: bool = True, step: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    start = time.monotonic()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment(env), timeout=1800)
    if step:
        TIMES[step] = round(time.monotonic() - start, 1)
    if check and result.returncode:
        raise AssertionError(f"`{' '.join(command)}` failed in {cwd}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def make(*args: str, cwd: Path, check: bool = True, step: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return run("make", "--no-print-directory", f"VENV={VENV}", *args, cwd=cwd, check=check, step=step, env=env)


class Background:
    """A make command running beside the others (Sphinx uses one core; CI has two)."""

    def __init__(self, *args: str, cwd: Path, step: str, env: dict | None = None):
        self.step, self.cwd, self.start = step, cwd, time.monotonic()
        self.log = (cwd.parent / f"{cwd.name}-{step.split()[0]}.log").open("w")
        command = ["make", "--no-print-directory", f"VENV={VENV}", *args]
        self.process = subprocess.Popen(command, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, env=environment(env))

    def wait(self) -> None:
        code = self.process.wait(timeout=1800)
        TIMES[self.step] = round(time.monotonic() - self.start, 1)
        self.log.close()
        if code:
            raise AssertionError(f"`{' '.join(self.process.args)}` failed in {self.cwd}:\n{Path(self.log.name).read_text()[-4000:]}")


def clone(source: Path, target: Path, ref: str | None = None) -> Path:
    run("git", "clone", "-q", str(source), str(target), cwd=source)
    if ref:
        run("git", "checkout", "-q", ref, cwd=target)
    # The shared venv is newer than requirements.txt: make must not rebuild it.
    installed = (VENV / ".installed").stat().st_mtime
    os.utime(target / "requirements.txt", (installed - 60, installed - 60))
    return target


def commit_working_tree(work: Path) -> None:
    """Bring this checkout's uncommitted (tracked or new, not ignored) files into the clone."""
    listing = run("git", "ls-files", "-z", "--modified", "--others", "--exclude-standard", cwd=ROOT).stdout
    deleted = set(run("git", "ls-files", "-z", "--deleted", cwd=ROOT).stdout.split("\0")) - {""}
    for name in sorted(set(listing.split("\0")) - {""}):
        target = work / name
        if name in deleted:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    if run("git", "status", "--porcelain", cwd=work).stdout.strip():
        run(*GIT, "add", "-A", cwd=work)
        run(*GIT, "commit", "-qm", "The working tree under test", cwd=work)


def release(work: Path, message: str) -> str:
    version = (work / "VERSION").read_text(encoding="utf-8").strip()
    run(*GIT, "tag", "-f", "-a", f"v{version}", "-m", message, cwd=work)  # -f: the real tag may exist
    return version


def next_version(version: str) -> str:
    year, month = map(int, version.split("."))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year}.{month:02d}"


def sections_to_edit(docs: Path) -> tuple[Path, str, str]:
    """A page with at least two labelled `##` sections: (its file, the first label, the last)."""
    for path in sorted(docs.rglob("*.md")):
        labels = re.findall(r"^\((?P<label>[a-z0-9-]+)\)=\n## ", path.read_text(encoding="utf-8"), re.M)
        if len(labels) >= 2:
            return path, labels[0], labels[-1]
    raise AssertionError("no page with two labelled ## sections to edit")


def edit_section(path: Path, label: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(rf"^(\({re.escape(label)}\)=\n## [^\n]*\n)", rf"\1\n{SENTENCE}\n", text, flags=re.M)
    assert count == 1, f"{path}: no heading under ({label})="
    path.write_text(edited, encoding="utf-8")


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    """Release A and B and the site over both; the second snapshot of A (another clone, path,
    time zone and locale, cold caches) and B's living build run beside the others."""
    base = tmp_path_factory.mktemp("release")
    start = time.monotonic()
    work = clone(ROOT, base / "clone")
    commit_working_tree(work)
    archive = base / "archive"

    a = release(work, "Release A (test)")
    other = clone(work, base / "elsewhere" / "second-clone", ref=f"v{a}")
    again = Background("snapshot", cwd=other, step="snapshot A again (cold, other path, beside)",
                       env={"TZ": "Asia/Shanghai", "LC_ALL": "C.UTF-8"})
    make("snapshot", cwd=work, step="snapshot A")
    shutil.copytree(work / "_build" / "snapshot" / a, archive / a)

    page, edited, untouched = sections_to_edit(work / "docs")
    edit_section(page, edited)
    b = next_version(a)
    (work / "VERSION").write_text(b + "\n", encoding="utf-8")
    run(*GIT, "commit", "-qam", f"Edit {edited}; version {b}", cwd=work)
    release(work, "Release B (test)")
    again.wait()
    living = Background("html", cwd=work, step="make html B (living, beside)")
    make("snapshot", cwd=work, step="snapshot B (warm caches)")
    shutil.copytree(work / "_build" / "snapshot" / b, archive / b)
    living.wait()

    make("site", f"ARCHIVE={archive}", cwd=work, step="make site")
    TIMES["flow in all"] = round(time.monotonic() - start, 1)
    uri = page.relative_to(work / "docs").with_suffix(".html").as_posix()
    return {"work": work, "archive": archive, "site": work / "_build" / "site", "a": a, "b": b,
            "uri": uri, "edited": edited, "untouched": untouched, "base": base,
            "second": other / "_build" / "snapshot" / a}


def banner_items(html: str) -> dict[str, tuple[str, str]]:
    return {m["id"]: (m["status"], m["href"]) for m in re.finditer(
        r'<li data-section="(?P<id>[^"]+)" data-status="(?P<status>\w+)".*?class="memo-frozen-latest" href="(?P<href>[^"]+)"', html)}


def test_frozen_page_keeps_its_text_and_says_what_changed(flow):
    site, a, b, uri = flow["site"], flow["a"], flow["b"], flow["uri"]
    old = (site / "v" / a / uri).read_text(encoding="utf-8")
    assert SENTENCE not in old
    assert SENTENCE in (site / "v" / b / uri).read_text(encoding="utf-8")
    assert SENTENCE in (site / uri).read_text(encoding="utf-8")
    assert f"这是 {a} 版的冻结副本，内容不再改变" in old
    items = banner_items(old)
    status, link = items[flow["edited"]]
    assert status == "changed", items
    target = (site / "v" / a / uri).parent / link.split("#")[0]
    assert target.resolve() == (site / uri).resolve() and link.endswith("#" + flow["edited"])
    assert f'id="{flow["edited"]}"' in (site / uri).read_text(encoding="utf-8")
    assert items[flow["untouched"]][0] == "unchanged", items
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', old).group(1)
    assert canonical.endswith("/" + uri) and f"/v/{a}/" not in canonical


def test_root_is_the_latest_release_and_cites_fixed_urls(flow):
    site, b = flow["site"], flow["b"]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f"<summary>版本 {b}</summary>" in index
    page = (site / flow["uri"]).read_text(encoding="utf-8")
    urls = re.findall(r"url += \{([^}]+)\}", page)
    assert urls and all(f"/v/{b}/" in url for url in urls), urls[:3]


def test_versions_json_and_sitemap(flow):
    site, a, b = flow["site"], flow["a"], flow["b"]
    listing = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert listing["latest"] == b and [v["version"] for v in listing["versions"]] == [b, a]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>" in sitemap and "/v/" not in sitemap
    assert not list((site / "v").rglob("sitemap.xml"))


def test_a_tampered_snapshot_stops_make_site(flow):
    victim = flow["archive"] / flow["a"] / "html" / flow["uri"]
    original = victim.read_bytes()
    victim.write_bytes(original.replace(b"</body>", b"<p>changed later</p></body>"))
    try:
        result = make("site", f"ARCHIVE={flow['archive']}", cwd=flow["work"], check=False)
    finally:
        victim.write_bytes(original)
    assert result.returncode != 0
    assert f"{victim}: changed: its SHA-256 differs from SHA256SUMS" in result.stderr, result.stderr[-2000:]


def test_a_second_snapshot_is_byte_identical(flow):
    """Another clone, another path, another time zone and locale, cold build caches: the same bytes."""
    first, second = flow["archive"] / flow["a"], flow["second"]
    assert snapshot.verify(second) == []
    ours, theirs = (dict(reversed(line.split("  ", 1)) for line in (f / snapshot.SUMS).read_text().splitlines())
                    for f in (first, second))
    differ = sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))
    assert differ == [], f"{len(differ)} files differ between two snapshots of v{flow['a']}: {differ[:20]}"


@pytest.mark.skipif(chromium_missing() and os.environ.get("CI") != "true", reason="needs Debian's chromium")
def test_the_banner_follows_the_fragment_in_a_browser(flow):
    from playwright.sync_api import sync_playwright

    page_file = flow["site"] / "v" / flow["a"] / flow["uri"]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page()
            lines = {}
            for label in (flow["edited"], flow["untouched"]):
                page.goto(f"{page_file.as_uri()}#{label}")
                lines[label] = page.locator(".memo-frozen-status").inner_text()
                # ... and under the heading the browser scrolled to
                assert page.locator(f'[id="{label}"] .memo-frozen-here').inner_text().endswith(lines[label])
        finally:
            browser.close()
    assert "这一节" in lines[flow["edited"]] and "已改动" in lines[flow["edited"]], lines
    assert "未改动" in lines[flow["untouched"]], lines


def packed_size(repo: Path) -> int:
    run("git", "gc", "-q", cwd=repo)
    counts = dict(line.split(": ") for line in run("git", "count-objects", "-v", cwd=repo).stdout.splitlines())
    return int(counts["size-pack"]) * 1024


def archive_branch_growth(archive: Path, versions: list[str], where: Path) -> list[int]:
    """The packed size of an archive branch after each release is committed to it."""
    repo = where / "archive-branch"
    run("git", "init", "-q", str(repo), cwd=where)
    sizes = []
    for version in versions:
        shutil.copytree(archive / version, repo / version)
        run(*GIT, "add", version, cwd=repo)
        run(*GIT, "commit", "-qm", f"Snapshot of {version}", cwd=repo)
        sizes.append(packed_size(repo))
    return sizes


def test_report_times_and_sizes(flow):
    """Not a check: what the release costs, for the record."""
    archive = flow["archive"]
    versions = [flow["a"], flow["b"]]
    sizes = {version: tree_size(archive / version) for version in versions}
    packed = archive_branch_growth(archive, versions, flow["base"])
    old, new = (dict(reversed(line.split("  ", 1)) for line in (archive / v / snapshot.SUMS).read_text().splitlines())
                for v in versions)
    report = {"seconds": TIMES, "snapshot_bytes": sizes, "site_bytes": tree_size(flow["site"]),
              "files_per_snapshot": {v: len((archive / v / snapshot.SUMS).read_text().splitlines()) for v in sizes},
              "files_that_differ_between_A_and_B": sum(old.get(name) != digest for name, digest in new.items()),
              "archive_branch_packed_bytes_after_each_release": packed}
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
