"""`make snapshot`: the checked-out release, frozen, and the checks on an archived one.

Usage:
  python tools/snapshot.py check VERSION   refuse anything but a clean checkout of tag vVERSION
  python tools/snapshot.py epoch           SOURCE_DATE_EPOCH: the commit time of HEAD
  python tools/snapshot.py seal DIR        drop Sphinx's build state, fix zip dates, write DIR/SHA256SUMS
  python tools/snapshot.py verify DIR      DIR matches its SHA256SUMS (a changed, added or missing file fails)

A snapshot folder holds html/ (the site built for <html_baseurl>v/<VERSION>/),
memo-<VERSION>.pdf and .epub where the project builds them, and SHA256SUMS, in
`sha256sum` format (`sha256sum -c SHA256SUMS` checks it too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

SUMS = "SHA256SUMS"
BUILD_STATE = (".doctrees", ".buildinfo", ".buildinfo.bak")  # Sphinx's, with absolute paths in them


def git(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"error: git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def release_problems(version: str, cwd: Path | None = None) -> list[str]:
    """Why the checkout is not the release v<version>: a snapshot is of a tagged commit."""
    problems = []
    dirty = git("status", "--porcelain=v1", "--untracked-files=normal", cwd=cwd).splitlines()
    if dirty:
        listed = ", ".join(line[3:] for line in dirty[:5]) + (", …" if len(dirty) > 5 else "")
        problems.append(f"the working tree differs from HEAD ({listed}): commit or stash it first")
    tags = git("tag", "--points-at", "HEAD", cwd=cwd).split()
    if f"v{version}" not in tags:
        problems.append(f"HEAD is not tagged v{version} (VERSION says {version}; tags at HEAD: "
                        f"{', '.join(tags) or 'none'}): tag the release first, "
                        f"`git tag -a v{version} -m 'Release {version}'` (CONTRIBUTING.md, Releases)")
    return problems


def epoch(cwd: Path | None = None) -> int:
    return int(git("log", "-1", "--format=%ct", "HEAD", cwd=cwd).strip())


def sha256(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def files(folder: Path) -> list[str]:
    """Every file under `folder` as a relative POSIX path, in byte order; SHA256SUMS left out."""
    found = [path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file() or path.is_symlink()]
    return sorted((name for name in found if name != SUMS), key=lambda name: name.encode())


def normalize_zip(path: Path, when: int) -> None:
    """The same zip with every entry dated `when` and the same order and compression
    (Sphinx's EPUB builder stamps each entry with its file's mtime)."""
    stamp = dt.datetime.fromtimestamp(max(when, 315532800), dt.timezone.utc).timetuple()[:6]  # zip dates start in 1980
    partial = path.with_name(path.name + ".part")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(partial, "w") as new:
        for info in old.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            new.writestr(fixed, old.read(info))
    partial.replace(path)


def seal(folder: Path, when: int) -> int:
    for name in BUILD_STATE:
        target = folder / "html" / name
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)
    for epub in sorted(folder.rglob("*.epub")):  # memo-<VERSION>.epub and the copy the pages link
        normalize_zip(epub, when)
    names = files(folder)
    (folder / SUMS).write_text("".join(f"{sha256(folder / name)}  {name}\n" for name in names), encoding="utf-8")
    return len(names)


def verify(folder: Path) -> list[str]:
    """Each difference between `folder` and its SHA256SUMS, naming the file."""
    sums_file = folder / SUMS
    if not sums_file.is_file():
        return [f"{sums_file}: missing: an archived snapshot carries the SHA-256 of every file"]
    listed = {}
    for number, line in enumerate(sums_file.read_text(encoding="utf-8").splitlines(), 1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            return [f"{sums_file}:{number}: not a `sha256sum` line: {line!r}"]
        listed[name] = digest
    present = set(files(folder))
    problems = []
    for name in sorted(present | set(listed), key=lambda n: n.encode()):
        if name not in listed:
            problems.append(f"{folder / name}: added: not in {SUMS}")
        elif name not in present:
            problems.append(f"{folder / name}: missing: {SUMS} lists it")
        elif sha256(folder / name) != listed[name]:
            problems.append(f"{folder / name}: changed: its SHA-256 differs from {SUMS}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "check":
        problems = release_problems(argv[1])
        for problem in problems:
            print(f"error: make snapshot: {problem}", file=sys.stderr)
        return 1 if problems else 0
    if argv == ["epoch"]:
        print(epoch())
        return 0
    if len(argv) == 2 and argv[0] == "seal":
        when = int(os.environ.get("SOURCE_DATE_EPOCH") or epoch())
        count = seal(Path(argv[1]), when)
        print(f"{argv[1]}/{SUMS}: {count} files")
        return 0
    if len(argv) == 2 and argv[0] == "verify":
        problems = verify(Path(argv[1]))
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1 if problems else 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
