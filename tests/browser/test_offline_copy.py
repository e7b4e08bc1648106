"""The offline copy of `make dist`, opened from disk (file://) in Chromium, searches and cites."""

from urllib.parse import urlsplit
import pytest

pytestmark = pytest.mark.browser


def test_archive_opened_from_disk_can_search(offline_copy, new_context):
    _archive, unpacked = offline_copy
    page = new_context().new_page()
    page.goto((unpacked / "search.html").as_uri() + "?q=reshape")
    page.wait_for_selector("#search-results ul.search li a", timeout=20_000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    assert any(urlsplit(hit).path.endswith("tensors/view-vs-reshape.html") for hit in hits), hits  # results land on a section
    page.goto((unpacked / "tensors" / "view-vs-reshape.html").as_uri())
    assert page.locator("#cite-this-page pre").first.inner_text().startswith("@misc{memo:view-vs-reshape,")
