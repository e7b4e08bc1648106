"""Every PyTorch and NumPy link on the built site points at something upstream documents.

The links are read from the built HTML (roles, and the names sphinx-codeautolink links in
code examples); the documented set is upstream's: NumPy's real objects.inv, and the PyTorch
names listed from pytorch/pytorch's docs/source with the members their directives document.
"""

import json
import re
from pathlib import Path

from make_inventories import TORCH_DOCUMENTED, read_inventory, torch_entries

ROOT = Path(__file__).resolve().parents[1]

TORCH = "https://docs.pytorch.org/docs/2.13/"
NUMPY = "https://numpy.org/doc/2.4/"
HREF = re.compile(r'href="(https://(?:docs\.pytorch\.org|numpy\.org|pytorch\.org)/[^"]*)"')


def upstream_documented() -> dict[str, tuple[set[str], set[str]]]:
    """Per site base URL: every documented `page.html#anchor` and page, and the prose pages
    (PyTorch's notes) whose section anchors are not listed anywhere."""
    data = json.loads(TORCH_DOCUMENTED.read_text(encoding="utf-8"))
    torch_uris = {uri for _name, _role, uri in torch_entries(data["entries"])}
    notes = {page for page in data["provenance"]["other_pages"] if not page.startswith("_")}
    numpy_uris = {uri for _name, _role, uri in read_inventory(ROOT / "inventories" / "numpy.inv")}
    return {TORCH: (torch_uris | {uri.split("#")[0] for uri in torch_uris}, notes),
            NUMPY: (numpy_uris | {uri.split("#")[0] for uri in numpy_uris}, set())}


def undocumented_links(site: Path, documented: dict[str, tuple[set[str], set[str]]]) -> list[str]:
    problems = []
    for page in sorted(site.rglob("*.html")):
        for lineno, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            for url in HREF.findall(line):
                base = next((b for b in documented if url.startswith(b)), None)
                if base is None:
                    continue
                target = url[len(base):]
                exact, prose_pages = documented[base]
                if target and target not in exact and target.split("#")[0] not in prose_pages:
                    problems.append(f"{page.relative_to(site)}:{lineno}: {url} is not documented upstream")
    return problems


def test_every_torch_and_numpy_link_on_the_site_is_documented_upstream(built_site):
    documented = upstream_documented()
    links = [url for page in built_site.rglob("*.html")
             for url in HREF.findall(page.read_text(encoding="utf-8")) if url.startswith((TORCH, NUMPY))]
    assert len({u for u in links if u.startswith(TORCH)}) > 100 and len({u for u in links if u.startswith(NUMPY)}) > 20
    autolinked = {url for page in built_site.rglob("*.html")
                  for url in re.findall(r'class="sphinx-codeautolink-a" href="([^"]+)"', page.read_text(encoding="utf-8"))}
    assert len({u for u in autolinked if u.startswith(TORCH + "generated/torch.nn.")}) > 5  # nn classes via their aliases
    assert undocumented_links(built_site, documented) == []


def test_a_link_upstream_does_not_document_is_reported_with_its_location(tmp_path):
    (tmp_path / "tensors").mkdir()
    (tmp_path / "tensors" / "page.html").write_text(
        "<p>fine: <a href=\"https://docs.pytorch.org/docs/2.13/generated/torch.stack.html#torch.stack\">stack</a>\n"
        "<a href=\"https://numpy.org/doc/2.4/reference/generated/numpy.arange.html#numpy.arange\">arange</a></p>\n"
        "<p>broken: <a href=\"https://docs.pytorch.org/docs/2.13/generated/torch.log_softmax.html#torch.log_softmax\">x</a>"
        "</p>\n<a href=\"https://numpy.org/doc/2.4/reference/generated/numpy.log_softmax.html\">no page</a>\n",
        encoding="utf-8")
    assert undocumented_links(tmp_path, upstream_documented()) == [
        "tensors/page.html:3: https://docs.pytorch.org/docs/2.13/generated/torch.log_softmax.html#torch.log_softmax"
        " is not documented upstream",
        "tensors/page.html:4: https://numpy.org/doc/2.4/reference/generated/numpy.log_softmax.html"
        " is not documented upstream",
    ]
