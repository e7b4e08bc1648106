"""Every href and src of every built page resolves; API links go to the pinned docs (see linkcheck.py).

Plain HTML parsing: no browser needed.
"""

import re
from urllib.parse import urlsplit

import pytest
from linkcheck import link_problems, parse
from site_browser import html_files
from site_build import edited_copy, pages_or_placeholder

PAGES = pages_or_placeholder(html_files)
MODEL_PAGE = "tensors/view-vs-reshape.html"


@pytest.mark.parametrize("page", PAGES)
def test_every_link_resolves(built_site, page):
    problems = link_problems(page, built_site)
    assert not problems, "\n".join(problems)


def test_api_links_point_into_the_pinned_docs(built_site):
    """The site really links API names: intersphinx roles in prose and codeautolink in doctests."""
    api = [ref for page in PAGES for ref in parse(page, built_site).refs if ref["api"]]
    hosts = {urlsplit(ref["url"]).hostname for ref in api}
    assert {"docs.pytorch.org", "docs.python.org", "numpy.org"} <= hosts, f"expected API links to Python, NumPy and PyTorch docs, found {hosts}"
    autolinked = [ref for ref in parse(MODEL_PAGE, built_site).refs if ref["url"].endswith("generated/torch.arange.html#torch.arange")]
    assert autolinked, f"{MODEL_PAGE}: `torch.arange` in the doctests is not linked by codeautolink"


def test_broken_and_unpinned_links_are_caught(built_site, tmp_path):
    """The check fails, naming page and line, on a copy of the model page with broken links."""
    breaks = [  # (in the page, becomes, the message that must name it)
        ('href="#view-vs-reshape-non-contiguous-ok"', 'href="#view-vs-reshape-no-such-label"',
         rf"{re.escape(MODEL_PAGE)}:\d+: href='#view-vs-reshape-no-such-label'.*: no id 'view-vs-reshape-no-such-label' in {re.escape(MODEL_PAGE)}"),
        ('href="../index.html"', 'href="../no-such-page.html"',
         r":\d+: href='\.\./no-such-page\.html'.*: no such file in the built site: no-such-page\.html"),
        ("https://docs.pytorch.org/docs/2.13/generated/torch.Tensor.view.html#", "https://docs.pytorch.org/docs/stable/generated/torch.Tensor.view.html#",
         r"docs/stable/generated/torch\.Tensor\.view\.html.*: not the pinned version"),
        ('"https://docs.pytorch.org/docs/2.13/generated/torch.Tensor.reshape.html#torch.Tensor.reshape"', '"https://docs.pytorch.org/docs/2.13/generated/torch.Tensor.reshape.html"',
         r"torch\.Tensor\.reshape\.html'.*: API link without an #anchor"),
        ('"https://docs.pytorch.org/docs/2.13/generated/torch.Tensor.contiguous.html#torch.Tensor.contiguous"', '"https://docs.pytorch.org/docs/2.13/generated/torch.Tensor.contiguous.html#torch.Tensor.no_such_method"',
         r"torch\.Tensor\.no_such_method'.*: API link to an anchor that the vendored inventory does not list"),
    ]

    def edit(html):
        for old, new, _pattern in breaks:
            assert old in html, f"the guard test expected {old!r} in {MODEL_PAGE}; update the test"
            html = html.replace(old, new, 1)
        return html

    copy = edited_copy(built_site, tmp_path / "site", {MODEL_PAGE: edit})
    message = "\n".join(link_problems(MODEL_PAGE, copy))
    for _old, _new, pattern in breaks:
        assert re.search(pattern, message), f"the link check missed a break; expected {pattern!r} in:\n{message}"
