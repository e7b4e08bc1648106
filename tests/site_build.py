"""The built site the tests read: `_build/html`, what `make test` builds first (`make strict`),
or the build that MEMO_SITE_DIR names. The `built_site` fixture (conftest.py) hands it out."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_DIR = Path(os.environ.get("MEMO_SITE_DIR", ROOT / "_build" / "html")).resolve()
NOT_BUILT = f"the site is not built in {SITE_DIR}: run `make strict` (or `make html`) first; `make test` does"


def is_built() -> bool:
    return (SITE_DIR / "index.html").is_file()


def pages_or_placeholder(select: Callable[[Path], list[str]]) -> list[str]:
    """`select(SITE_DIR)` to parametrize a test over pages; before a build, one placeholder,
    so that the test is collected and fails through the `built_site` fixture with NOT_BUILT."""
    return select(SITE_DIR) if is_built() else ["index.html"]


def edited_copy(site_dir: Path, target: Path, edits: dict) -> Path:
    """The site in `target` as symlinks, except the files in `edits`, which are rewritten.

    `edits` maps a path ('tensors/view-vs-reshape.html') to a function old text -> new
    text, or to None to leave the file out.
    """
    site_dir = site_dir.resolve()

    def link(src: Path, dst: Path):
        dst.mkdir(parents=True, exist_ok=True)
        for entry in src.iterdir():
            rel = entry.relative_to(site_dir).as_posix()
            if rel in edits:
                continue
            if any(edited.startswith(rel + "/") for edited in edits):
                link(entry, dst / entry.name)
            else:
                (dst / entry.name).symlink_to(entry)

    link(site_dir, target)
    for rel, edit in edits.items():
        if edit is not None:
            (target / rel).write_text(edit((site_dir / rel).read_text(encoding="utf-8")), encoding="utf-8")
    return target
