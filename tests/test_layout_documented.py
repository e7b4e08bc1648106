"""CONTRIBUTING.md's layout names every script in tools/, so a new one cannot go unexplained."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def undocumented_tools(contributing: str, tools: list[str]) -> list[str]:
    """`CONTRIBUTING.md: tools/x.py ...` for each script the layout block does not list."""
    layout = re.search(r"^## Layout\n+```text\n(.*?)^```", contributing, re.S | re.M)
    assert layout, "CONTRIBUTING.md has no ```text block under ## Layout"
    listed = set(re.findall(r"^\s+(\S+)\s", layout.group(1), re.M))
    return [f"CONTRIBUTING.md: tools/{name} is not described in the layout under tools/"
            for name in tools if name not in listed]


def site_tools() -> list[str]:
    return sorted(p.name for p in (ROOT / "tools").iterdir() if p.is_file() and p.suffix in (".py", ".sh"))


def test_every_tool_is_described():
    assert site_tools(), "tools/ holds no scripts"
    assert undocumented_tools((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), site_tools()) == []


def test_a_tool_left_out_is_caught():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    broken = re.sub(r"^  make_dist\.py .*\n", "", text, flags=re.M)
    assert undocumented_tools(broken, site_tools()) == [
        "CONTRIBUTING.md: tools/make_dist.py is not described in the layout under tools/"]
