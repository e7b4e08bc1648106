"""`make site ARCHIVE=<dir>`: the deployable tree, the living site plus every frozen release.

Usage: python tools/make_site.py LIVING_HTML ARCHIVE OUT VERSION

* LIVING_HTML (the checkout's own HTML build, VERSION) becomes the root of OUT.
* Each snapshot folder ARCHIVE/<version>/ (what `make snapshot` wrote) is checked against
  its SHA256SUMS first (tools/snapshot.py verify): a changed, added or missing file stops
  the command with the file's name. Its html/ becomes OUT/v/<version>/, its PDF and EPUB
  sit beside the pages.
* Every frozen page's banner (_ext/frozen_release.py) gets the link to the same page in
  the latest version, and whether the page and each of its labelled sections are
  unchanged, changed or removed there: the section text digests of sections.json,
  matched by label through each version's anchors.json (the build's copy of the anchor
  lock). A short script shows the line for the section in the URL's #fragment.
* Every page's version menu lists every version, each link going to the same page there.
* OUT/versions.json lists the versions; OUT/v/index.html is the list for readers.

Nothing is fetched and every link is relative, so the tree works offline and from file://.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "_ext"), str(Path(__file__).resolve().parent)]
from frozen_release import BANNER, MENU, SECTIONS_FILE, banner_html, frozen_notice, menu_html  # noqa: E402
from snapshot import BUILD_STATE, SUMS, verify  # noqa: E402

ANCHORS_FILE = "anchors.json"  # _ext/anchor_lock.py
VERSIONS_FILE = "versions.json"
STATUS_WORDS = {"unchanged": "未改动", "changed": "已改动", "removed": "已删除"}
MARKED = {marker: re.compile(re.escape(marker[0]) + ".*?" + re.escape(marker[1]), re.S) for marker in (MENU, BANNER)}

# The line for the section in the URL's #fragment: in the banner, and under that section's
# heading, where the browser has scrolled to (the list in the banner holds every section's
# status). Without a script, or without a fragment, the page's line stays.
HERE_STYLE = ("margin: 0 0 1rem; padding: 0.25rem 0.75rem; border-left: 4px solid var(--pst-color-warning, #f0b37e); "
              "background: var(--pst-color-warning-bg, #fff3e0);")
SCRIPT = """<script>
(function () {
  var box = document.currentScript.parentNode, line = box.querySelector(".memo-frozen-status");
  var pageLine = line.cloneNode(true), here = null;
  function show() {
    if (here) { here.remove(); here = null; }
    var id = decodeURIComponent(location.hash.slice(1));
    var item = id && box.querySelector('li[data-section="' + id.replace(/["\\\\]/g, "") + '"]');
    if (!item) { line.replaceChildren(...pageLine.cloneNode(true).childNodes); line.dataset.status = pageLine.dataset.status; return; }
    var text = "你打开的这一节「" + item.dataset.title + "」在最新版（" + box.dataset.latest + "）中" + item.dataset.words + "：";
    line.dataset.status = item.dataset.status;
    line.replaceChildren(text, item.querySelector("a.memo-frozen-latest").cloneNode(true));
    var heading = document.getElementById(id);
    heading = heading && heading.querySelector("h1, h2, h3, h4, h5, h6");
    if (heading) {
      here = line.cloneNode(true);
      here.className = "memo-frozen-here";
      here.style.cssText = box.dataset.hereStyle;  // the snapshot's own stylesheet may predate this note
      here.prepend(box.querySelector(".memo-frozen-notice").textContent);
      heading.after(here);
    }
  }
  document.addEventListener("DOMContentLoaded", show);  // the sections come after the banner
  addEventListener("hashchange", show);
})();
</script>"""


def version_key(version: str):
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"[.-]", version))


def fail(problems: list[str]) -> None:
    for problem in problems:
        print(f"error: make site: {problem}", file=sys.stderr)
    raise SystemExit(1)


@dataclass
class Version:
    name: str
    root: Path  # its HTML tree
    prefix: str  # where it sits in OUT: "" or "v/<name>/"
    pages: dict = field(default_factory=dict)  # uri -> {"page": digest, "sections": {id: digest}}
    anchors: dict = field(default_factory=dict)  # label -> {"page", "url", "title"}
    downloads: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, name: str, root: Path, prefix: str) -> Version:
        problems = [f"{root / f}: missing (built by an older version of the project?)"
                    for f in (SECTIONS_FILE, ANCHORS_FILE) if not (root / f).is_file()]
        if problems:
            fail(problems)
        sections = json.loads((root / SECTIONS_FILE).read_text(encoding="utf-8"))
        if sections["version"] != name:
            fail([f"{root / SECTIONS_FILE}: built as version {sections['version']}, expected {name}"])
        anchors = json.loads((root / ANCHORS_FILE).read_text(encoding="utf-8"))["anchors"]
        return cls(name, root, prefix, sections["pages"], anchors)

    def labels_on(self, uri: str) -> list[tuple[str, str, dict]]:
        """(label, section id, entry) of every section label on the page, in page order."""
        found = []
        for label, entry in self.anchors.items():
            page, _, fragment = entry["url"].partition("#")
            if page == uri and fragment:
                found.append((label, fragment, entry))
        order = list(self.pages.get(uri, {}).get("sections", {}))
        return sorted(found, key=lambda item: (order.index(item[1]) if item[1] in order else len(order), item[0]))

    def page_label(self, uri: str) -> str | None:
        return next((label for label, entry in sorted(self.anchors.items()) if entry["url"] == uri), None)


def relative(source: str, target: str) -> str:
    """A link from OUT/source to OUT/target."""
    path, _, fragment = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(source) or ".")
    return link + (f"#{fragment}" if fragment else "")


# -- what a frozen page says ---------------------------------------------------------------------------


def page_status(old: Version, latest: Version, uri: str) -> tuple[str, str]:
    """(status, latest uri) of a page of `old` in `latest`: found by its label, else by its URL."""
    label = old.page_label(uri)
    new_uri = latest.anchors[label]["url"] if label in latest.anchors else uri
    if new_uri not in latest.pages:
        return "removed", "index.html"
    return ("unchanged" if old.pages[uri]["page"] == latest.pages[new_uri]["page"] else "changed"), new_uri


def section_status(old: Version, latest: Version, uri: str, section_id: str, label: str, page_target: str) -> tuple[str, str]:
    if label not in latest.anchors:
        return "removed", page_target
    new_url = latest.anchors[label]["url"]
    new_page, _, new_id = new_url.partition("#")
    before = old.pages.get(uri, {}).get("sections", {}).get(section_id)
    after = latest.pages.get(new_page, {}).get("sections", {}).get(new_id)
    if after is None:
        return "removed", page_target
    return ("unchanged" if before == after else "changed"), new_url


def banner(old: Version, latest: Version, uri: str) -> str:
    source = old.prefix + uri
    status, new_uri = page_status(old, latest, uri) if uri in old.pages else ("removed", "index.html")
    page_link = relative(source, latest.prefix + new_uri)
    what = "看最新版的首页" if status == "removed" else "看最新版的本页"
    parts = [f'<p class="memo-frozen-notice">{html.escape(frozen_notice(old.name))}</p>',
             f'<p class="memo-frozen-status" data-status="{status}">本页在最新版（{html.escape(latest.name)}）中'
             f'{STATUS_WORDS[status]}：<a class="memo-frozen-latest" href="{html.escape(page_link)}">{what}</a></p>']
    items, counts = [], dict.fromkeys(STATUS_WORDS, 0)
    for label, section_id, entry in old.labels_on(uri):
        state, target = section_status(old, latest, uri, section_id, label, new_uri if status != "removed" else "index.html")
        counts[state] += 1
        link = relative(source, latest.prefix + target)
        words = STATUS_WORDS[state]
        items.append(f'<li data-section="{html.escape(section_id)}" data-status="{state}" data-words="{words}" '
                     f'data-title="{html.escape(entry["title"])}"><a href="#{html.escape(section_id)}">{html.escape(entry["title"])}</a>'
                     f'：{words}（<a class="memo-frozen-latest" href="{html.escape(link)}">'
                     f'{"看最新版的本页" if state == "removed" else "看最新版的这一节"}</a>）</li>')
    if items:
        summary = "，".join(f"{counts[s]} 节{STATUS_WORDS[s]}" for s in STATUS_WORDS if counts[s])
        parts.append(f'<details class="memo-frozen-sections"><summary>各节在最新版中的情况：{summary}</summary>'
                     f'<ul>{"".join(items)}</ul></details>{SCRIPT}')
    return banner_html("".join(parts), latest=latest.name).replace(
        ' role="note"', f' role="note" data-here-style="{HERE_STYLE}"', 1)


# -- the version menu ------------------------------------------------------------------------------------


def menu(versions: list[Version], living: Version, this: Version, uri: str, out: Path) -> str:
    source = this.prefix + uri
    items = []
    for version in [living, *versions]:
        target = version.prefix + (uri if (out / version.prefix / uri).is_file() else "index.html")
        name = html.escape(version.name)
        text = f"最新版（{name}）" if version is living else f"{name} 冻结版"
        if version is this:
            items.append(f'<li><span aria-current="page">{text}</span>（本页）</li>')
        else:
            items.append(f'<li><a href="{html.escape(relative(source, target))}">{text}</a></li>')
    items.append(f'<li><a href="{html.escape(relative(source, "v/index.html"))}">全部版本与下载</a></li>')
    return menu_html(this.name, "".join(items))


# -- assembling OUT ----------------------------------------------------------------------------------------


def snapshots(archive: Path) -> list[Path]:
    if not archive.is_dir():
        fail([f"{archive}: the archive is not a folder (ARCHIVE=<folder of snapshot folders>)"])
    return sorted((p for p in archive.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: version_key(p.name), reverse=True)


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=lambda folder, names: [n for n in names if n in BUILD_STATE])


def rewrite_pages(root: Path, prefix: str, rewrite) -> int:
    count = 0
    for path in sorted((root / prefix).rglob("*.html") if prefix else root.rglob("*.html")):
        relative_path = path.relative_to(root).as_posix()
        if not prefix and relative_path.startswith("v/"):
            continue
        text = path.read_text(encoding="utf-8")
        new = rewrite(relative_path.removeprefix(prefix), text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            count += 1
    return count


def index_page(living: Version, versions: list[Version]) -> str:
    rows = []
    for version in versions:
        name = html.escape(version.name)
        downloads = "".join(f'，<a href="{name}/{html.escape(d)}">{html.escape(d.rsplit(".", 1)[-1].upper())}</a>'
                            for d in version.downloads)
        latest = "（最新版）" if version.name == living.name else ""
        rows.append(f'<li><a href="{name}/index.html">{name} 版</a>{latest}{downloads}</li>')
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>全部版本 - Python / NumPy / PyTorch 备忘录</title>
<link rel="canonical" href="../index.html" />
</head>
<body>
<main>
<h1>全部版本</h1>
<p>每一版发布时构建一次、存档，此后不再改变：引用某一版的地址，读者看到的永远是你引用的文字。
<a href="../index.html">在线版</a>始终是最新版（{html.escape(living.name)}）。机器可读的列表：<a href="../{VERSIONS_FILE}">{VERSIONS_FILE}</a>。</p>
<ul>
{chr(10).join(rows)}
</ul>
</main>
</body>
</html>
"""


def assemble(living_dir: Path, archive: Path, out: Path, version: str) -> dict:
    living = Version.load(version, living_dir, "")
    folders = snapshots(archive)
    problems = [problem for folder in folders for problem in verify(folder)]
    if problems:
        fail(problems + [f"{len(problems)} difference(s) from SHA256SUMS: archived text never changes; restore the archive"])
    names = [folder.name for folder in folders]
    if version not in names:
        fail([f"{archive} has no snapshot of {version}, the version of the living site: its fixed URLs "
              f"(v/{version}/) would not exist. Run `make snapshot` and add _build/snapshot/{version} to the archive"])
    newer = [name for name in names if version_key(name) > version_key(version)]
    if newer:
        fail([f"{archive} holds {', '.join(newer)}, newer than this checkout's {version}: build the site from the latest release"])
    versions = [Version.load(folder.name, folder / "html", f"v/{folder.name}/") for folder in folders]
    for folder, frozen in zip(folders, versions):
        frozen.downloads = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != SUMS)

    if out.exists():
        shutil.rmtree(out)
    copy_tree(living_dir, out)
    (out / ".nojekyll").write_text("", encoding="utf-8")
    for folder, frozen in zip(folders, versions):
        copy_tree(folder / "html", out / frozen.prefix)
        for name in frozen.downloads:
            shutil.copy2(folder / name, out / frozen.prefix / name)

    def pages_of(this: Version):
        def rewrite(uri: str, text: str) -> str:
            text = MARKED[MENU].sub(lambda _: menu(versions, living, this, uri, out), text, count=1)
            if this is not living:
                text = MARKED[BANNER].sub(lambda _: banner(this, living, uri), text, count=1)
            return text
        return rewrite

    counts = {this.name if this is not living else "living": rewrite_pages(out, this.prefix, pages_of(this))
              for this in [living, *versions]}
    listing = {
        "latest": living.name,
        "versions": [{"version": v.name, "path": v.prefix, "latest": v.name == living.name,
                      "downloads": [v.prefix + d for d in v.downloads]} for v in versions],
    }
    (out / VERSIONS_FILE).write_text(json.dumps(listing, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "v").mkdir(exist_ok=True)
    (out / "v" / "index.html").write_text(index_page(living, versions), encoding="utf-8")
    return {"versions": names, "pages": counts}


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    living, archive, out, version = Path(argv[0]), Path(argv[1]), Path(argv[2]), argv[3]
    if not (living / "index.html").is_file():
        fail([f"{living} is not a built site (no index.html): run `make html` (or `make strict`) first"])
    result = assemble(living, archive, out, version)
    print(f"{out}: the living site {version} and {len(result['versions'])} frozen version(s) "
          f"({', '.join(result['versions'])}), each checked against its {SUMS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
