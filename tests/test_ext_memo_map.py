"""docs/memo-items.toml entries must name existing pages (_ext/memo_map.py)."""

import re
import tomllib

import pytest


@pytest.mark.sphinx("html", testroot="memo-map-renamed")
def test_an_entry_for_a_renamed_page_fails_with_the_entry_and_the_file(app, warning):
    app.build()
    text = warning.getvalue()
    assert re.search(r'items\.toml:11: WARNING: memo item 2 「renamed item」 names page "old-name", which does not exist '
                     r"\(no .*old-name\.md\)", text), text
    assert text.count("WARNING") == 1


@pytest.mark.sphinx("html", testroot="memo-map")
def test_items_without_a_page_stay_pending_without_a_warning(app, warning):
    app.build()
    assert "WARNING" not in warning.getvalue()


def test_every_entry_of_the_site_names_a_page(repo_root):
    items = tomllib.loads((repo_root / "docs" / "memo-items.toml").read_text(encoding="utf-8"))["item"]
    missing = [item["page"] for item in items if "page" in item and not (repo_root / "docs" / f"{item['page']}.md").is_file()]
    assert missing == []
