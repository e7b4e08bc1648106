"""Sphinx configuration for the 备忘录 site.

The sources live in docs/; this file sits at the repository root so that
`examples/`, `_ext/` and `inventories/` are siblings of the pages.
"""

import importlib.util
import os
import sys
from importlib.metadata import version as installed_version
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]  # local extensions; `import examples.x` in doctests

# -- Project ------------------------------------------------------------------

project = "Python / NumPy / PyTorch 备忘录"
author = "备忘录编写组"
copyright = "2026, 备忘录编写组"
release = (ROOT / "VERSION").read_text(encoding="utf-8").strip()
version = release
language = "zh_CN"

extensions = [
    # Sphinx
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    # third party
    "myst_parser",
    "sphinx_copybutton",
    "sphinx_codeautolink",
    "sphinx-mathjax-offline",  # the package's module name really has hyphens
    "matplotlib.sphinxext.plot_directive",
    "sphinx_sitemap",
    "sphinxext.opengraph",
    "notfound.extension",
    "sphinx_reredirects",
    # local, one module each in _ext/
    "zh_search",
    "myst_doctest_lines",
    "memo_map",
    "anchor_lock",
    "cite_page",
    "sitemap_all_pages",  # sitemap.xml lists every page after incremental builds too
]

exclude_patterns = ["_build", "**/_build"]
nitpicky = True  # every cross-reference must resolve; `make test` adds -W

# -- MyST ---------------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist", "substitution"]
myst_substitutions = {  # "tested with" versions, filled in by the build, never typed
    "python_version": ".".join(map(str, sys.version_info[:3])),
    "numpy_version": installed_version("numpy"),
    "torch_version": installed_version("torch").split("+")[0],
    "transformers_version": installed_version("transformers"),
    "sphinx_version": installed_version("sphinx"),
}
# The supported environments, from the cell list that `make doctest-matrix` and its
# GitHub workflow run (tools/doctest_matrix.py), so the page cannot promise other ones.
_matrix_spec = importlib.util.spec_from_file_location("doctest_matrix", ROOT / "tools" / "doctest_matrix.py")
doctest_matrix = sys.modules["doctest_matrix"] = importlib.util.module_from_spec(_matrix_spec)
_matrix_spec.loader.exec_module(doctest_matrix)
myst_substitutions["doctest_matrix"] = doctest_matrix.markdown_table()
del _matrix_spec, doctest_matrix

# -- doctest ------------------------------------------------------------------

# Every group (one per page unless a page names its own) starts from this state,
# so outputs do not depend on which page ran first.
doctest_global_setup = """
import numpy as np
import torch
torch.manual_seed(0)
np.random.seed(0)
np.set_printoptions(legacy=False)
torch.set_printoptions(profile="default")
"""
# Sphinx's default also sets IGNORE_EXCEPTION_DETAIL, which would let a wrong
# error message pass. We check messages too.
import doctest  # noqa: E402

doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1
doctest_test_doctest_blocks = ""  # plain `>>>` blocks are a lint error, never silently run

# -- intersphinx --------------------------------------------------------------

# Vendored inventories: the build never touches the network. URLs name the
# documentation versions that match requirements.txt. `make inventories`
# refreshes them from the live sites.
INVENTORIES = ROOT / "inventories"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3.11/", str(INVENTORIES / "python.inv")),
    "numpy": ("https://numpy.org/doc/2.4/", str(INVENTORIES / "numpy.inv")),
    "torch": ("https://docs.pytorch.org/docs/2.13/", str(INVENTORIES / "torch.inv")),
}
intersphinx_timeout = 1

# -- codeautolink -------------------------------------------------------------

codeautolink_concat_default = True  # later blocks on a page see earlier imports
codeautolink_warn_on_missing_inventory = False
codeautolink_warn_on_failed_resolve = False

# -- copybutton ---------------------------------------------------------------

# Copy only the code after >>> / ... prompts, never the outputs.
copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
# Keep the prompts (.gp) in the text the button sees: without them it cannot tell code
# from output and copies tracebacks and blank lines (tests/browser checks the clipboard).
copybutton_exclude = ".linenos"

# -- matplotlib plot directive ------------------------------------------------

# Figures are drawn from examples/figures/*.py at build time. Labels inside the
# figures are ASCII, so no CJK font is needed; captions are Chinese.
plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("svg", 96)]
plot_rcparams = {"svg.hashsalt": "memo", "svg.fonttype": "path"}
plot_working_directory = str(ROOT)

# -- HTML ---------------------------------------------------------------------

html_theme = "sphinx_book_theme"
templates_path = ["docs/_templates"]  # layout.html drops scripts the site never uses
html_title = "Python / NumPy / PyTorch 备忘录"
html_baseurl = "https://memo-docs.github.io/memo/"
if os.environ.get("READTHEDOCS") == "True":  # Read the Docs serves /<language>/<version>/ of its own domain
    html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", html_baseurl)
html_static_path = ["docs/_static"]
html_css_files = ["custom.css"]
html_favicon = "docs/_static/favicon.svg"
html_extra_path = ["docs/_extra"]
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": "https://github.com/memo-docs/memo",
    "use_repository_button": False,  # its brand icon alone pulls a 110 KB web font
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
# pydata-sphinx-theme reads the colour mode from this template variable; left unset, a
# first visit logs "Got invalid theme mode" as a console error (tests/browser checks).
html_context = {"default_mode": "auto"}
html_search_language = "zh"
# jieba's dictionary lacks terms such as 重参数 or 标准误; without them a search for
# the whole term finds nothing, because the index only holds its fragments.
html_search_options = {"dict": str(ROOT / "docs" / "_data" / "search-dict.txt")}

# -- hosting: sitemap, OpenGraph, 404, redirects ------------------------------

sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
ogp_site_url = html_baseurl
ogp_site_name = project
ogp_enable_meta_description = True
ogp_social_cards = {"enable": False}  # matplotlib-drawn cards have no CJK font
notfound_urls_prefix = urlsplit(html_baseurl).path  # "/memo/": absolute asset URLs, so the 404 page works at any depth

# Old URL (docname without suffix) -> new URL, relative to the old page.
# Every page move must be declared here; tests/test_anchor_lock.py checks it.
redirects = {}

# -- citations: anchor lock, "引用本页" ------------------------------------------

# The committed list of citable anchors; the build fails when one of them
# disappears or moves without a redirect. `make lock-anchors` rewrites it.
anchor_lock_file = "../anchors.lock.json"  # relative to docs/: other source trees have no lock
cite_key_prefix = "memo"  # BibTeX keys: memo (the site), memo:<label> (a page or section)
cite_howto_page = "how-to-cite"

# -- local extensions ---------------------------------------------------------

memo_map_source = str(ROOT / "docs" / "memo-items.toml")
