"""Pack a built site into a zip archive that works when opened offline.

Usage: python tools/make_dist.py SITE_DIR ARCHIVE.zip

Everything sits in one folder named after the archive (memo-docs-2026.11/), so
unzipping gives the reader `memo-docs-2026.11/index.html` to open from disk.
Left out: Sphinx's build state (.doctrees, .buildinfo), and the pages that only
make sense on a web server -- 404.html (its links are absolute, for any depth of
a hosted site), sitemap.xml and robots.txt.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

SKIP_DIRS = {".doctrees"}
SKIP_FILES = {".buildinfo", ".buildinfo.bak", "404.html", "sitemap.xml", "robots.txt", ".nojekyll"}


def included(site: Path) -> list[Path]:
    files = []
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site)
        if not path.is_file() or SKIP_DIRS & set(relative.parts) or relative.as_posix() in SKIP_FILES:
            continue
        files.append(path)
    return files


def make_archive(site: Path, archive: Path) -> Path:
    site, archive = Path(site), Path(archive)
    if not (site / "index.html").is_file():
        raise SystemExit(f"error: {site} is not a built site (no index.html); run `make html` first")
    archive.parent.mkdir(parents=True, exist_ok=True)
    folder = archive.name.removesuffix(".zip")
    partial = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in included(site):
            zf.write(path, f"{folder}/{path.relative_to(site).as_posix()}")
    partial.replace(archive)
    return archive


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    archive = make_archive(Path(argv[0]), Path(argv[1]))
    with zipfile.ZipFile(archive) as zf:
        count = len(zf.namelist())
    print(f"{archive}: {count} files, {archive.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
