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

# Paths are written from ROOT, the repository root: Sphinx resolves some options against
# this directory (templates, static files) and others against docs/ (locale_dirs), and an
# absolute path means the same to both. The exception is anchor_lock_file (see there).
ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT)]  # local extensions; `import examples.x` in doctests

# -- Project ------------------------------------------------------------------

project = "Python / NumPy / PyTorch 备忘录"
author = "备忘录编写组"
copyright = "2026, 备忘录编写组"
release = (ROOT / "VERSION").read_text(encoding="utf-8").strip()
version = release
language = "zh_CN"
# The theme's interface strings in Simplified Chinese (committed .po files; Sphinx and
# _ext/theme_messages.py compile them to .mo at build time).
locale_dirs = [str(ROOT / "locale")]

extensions = [
    # Sphinx
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    # third party
    "myst_parser",
    "sphinx_copybutton",
    "sphinx_codeautolink",
    "matplotlib.sphinxext.plot_directive",
    "sphinx_sitemap",
    "sitemap_complete",  # workaround: an incremental build's sitemap lists every page (sphinx-sitemap#13)
    "sphinxext.opengraph",
    "notfound.extension",
    "sphinx_reredirects",
    # local, one module each in _ext/
    "mathml",
    "icon_subset",
    "zh_search",
    "myst_doctest_lines",
    "memo_map",
    "anchor_lock",
    "cite_page",
    "glossary_ids",  # explicit ids for glossary terms (docs/glossary-ids.toml); Sphinx numbers Chinese ones
    "relative_locations",  # warnings say docs/x.md:12, as the lint and the doctest report do
    "theme_messages",  # compiles locale/*/LC_MESSAGES/booktheme.po for sphinx-book-theme
    "page_downloads",
    "plot_dependencies",  # workaround: a page is rebuilt when its figure's script changes (matplotlib#12837)
    "frozen_release",  # version menu, frozen-copy banner, section digests for `make site`
    "codeautolink_memo",  # codeautolink's answers kept between builds: a one-page rebuild skips importing torch
    "eval_rst_document",  # workaround: eval-rst pages pickled the whole environment (see the module)
    "quick_exit",  # no final garbage collections when sphinx-build exits (1.5 s of `make doctest`)
    "pinyin_index",  # genindex.html grouped and sorted by pinyin (pypinyin), not by code point
    "page_summaries",  # the home page's chapter lists show each page's takeaway under its link
    "book",  # the PDF and EPUB builds: named destinations, parts, EPUB fixes (see the module)
]

exclude_patterns = ["_build"]
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

# -- math -----------------------------------------------------------------------

# Formulas are converted to MathML at build time (_ext/mathml.py, docutils' converter):
# browsers draw them natively, so math pages load no MathJax (260 KB gzip) and no fonts.
html_math_renderer = "mathml"

# -- icons ----------------------------------------------------------------------

# _ext/icon_subset.py cuts the theme's Font Awesome web font (115 KB, loaded by every
# page) down to the glyphs the site shows, after each HTML build.

# -- doctest ------------------------------------------------------------------

# Every group (one per page unless a page names its own) starts from the same state:
# seeds (random, NumPy's legacy generator, torch) set to 0, and NumPy/torch print
# options, NumPy's error handling, torch's default dtype and grad mode, and the warnings
# filters back to their defaults (_ext/doctest_page_state.py). So outputs do not depend
# on which page ran first, and a page run alone gives the full run's result.
doctest_global_setup = """
import numpy as np
import torch
import doctest_page_state
doctest_page_state.reset()
"""
# Sphinx's default also sets IGNORE_EXCEPTION_DETAIL, which would let a wrong
# error message pass. We check messages too.
import doctest  # noqa: E402

doctest_default_flags = doctest.ELLIPSIS | doctest.DONT_ACCEPT_TRUE_FOR_1
doctest_test_doctest_blocks = ""  # plain `>>>` blocks are a lint error, never silently run

# -- intersphinx --------------------------------------------------------------

# Vendored inventories: the build never touches the network. URLs name the
# documentation versions that match requirements.txt. They list only what upstream
# documents; `make inventories` rebuilds them (tools/make_inventories.py).
INVENTORIES = ROOT / "inventories"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3.11/", str(INVENTORIES / "python.inv")),
    "numpy": ("https://numpy.org/doc/2.4/", str(INVENTORIES / "numpy.inv")),
    "torch": ("https://docs.pytorch.org/docs/2.13/", str(INVENTORIES / "torch.inv")),
}

# -- codeautolink -------------------------------------------------------------

codeautolink_concat_default = True  # later blocks on a page see earlier imports

# -- copybutton ---------------------------------------------------------------

# Copy only the code after >>> / ... prompts (pycon) and $ prompts (console), never the
# outputs; a command ending in a backslash continues on the next line.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_line_continuation_character = "\\"
copybutton_copy_empty_lines = False
# Keep the prompts (.gp) in the text the button sees: without them it cannot tell code
# from output and copies tracebacks and blank lines. Comments after a shell command are
# left out (zsh, macOS' shell, passes them to the command as arguments): layout.html marks
# them .console-comment (tests/browser/test_console_copy.py checks the clipboard).
copybutton_exclude = ".linenos, .console-comment"

# -- matplotlib plot directive ------------------------------------------------

# Figures are drawn from examples/figures/*.py at build time, labels in Chinese.
# Text stays SVG <text> (svg.fonttype none): searchable, small, sharp at any zoom. Layout
# is measured with Noto Sans CJK SC (Debian fonts-noto-cjk, installed by .ci/run); the
# SVG names the whole list, so a browser without Noto uses the next CJK font it has.
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("svg", 96), ("pdf", 96)]  # SVG for the pages and the EPUB, PDF for the LaTeX book
PLOT_CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
                  "WenQuanYi Micro Hei", "DejaVu Sans"]
plot_rcparams = {"svg.hashsalt": "memo", "svg.fonttype": "none",
                 "font.family": "sans-serif", "font.sans-serif": PLOT_CJK_FONTS}
plot_working_directory = str(ROOT)

# -- frozen releases (_ext/frozen_release.py, `make snapshot`, `make site`) -----

# The canonical address, whichever host builds the pages: citation URLs and canonical links
# use it (Read the Docs is a mirror). `make snapshot` builds with MEMO_SNAPSHOT=1: the pages
# for their permanent address <memo_site_url>v/<release>/, each with the frozen-copy banner
# and the living page as its canonical link, and without a sitemap (it lists living pages only).
memo_site_url = "https://memo-docs.github.io/memo/"
memo_frozen_url = f"{memo_site_url}v/{release}/"
memo_snapshot = os.environ.get("MEMO_SNAPSHOT") == "1"
if memo_snapshot:
    extensions.remove("sphinx_sitemap")

# -- HTML ---------------------------------------------------------------------

html_theme = "sphinx_book_theme"
templates_path = [str(ROOT / "docs" / "_templates")]  # layout.html drops scripts the site never uses
html_title = "Python / NumPy / PyTorch 备忘录"
html_baseurl = memo_frozen_url if memo_snapshot else memo_site_url  # see "frozen releases" above
html_static_path = [str(ROOT / "docs" / "_static")]
html_css_files = ["custom.css", "interface.css"]
html_favicon = str(ROOT / "docs" / "_static" / "favicon.svg")
html_extra_path = [str(ROOT / "docs" / "_extra")]
REPOSITORY = "https://github.com/memo-docs/memo"
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    "path_to_docs": "docs",
    "use_repository_button": False,  # its brand icon alone pulls a 110 KB web font
    # pydata-sphinx-theme >= 0.17 fills navbar_persistent with a search field unless it is
    # set here, which renders its own hidden header with a second .primary-toggle and
    # .secondary-toggle. Its script binds the phone drawer to the first (hidden) one, so
    # tapping the visible buttons does nothing, and the header's search field doubles the
    # sidebar's. Upstream: pydata-sphinx-theme#2451, sphinx-book-theme#988; delete this
    # line once they are fixed (tests/browser/test_phone_navigation.py tells).
    "navbar_persistent": [],
    # Per-page links to the page's source on GitHub, as text (docs/_templates/source-links.html).
    "article_footer_items": ["source-links.html"],
    "extra_footer": f'<p class="repository-link">源代码与问题反馈：<a href="{REPOSITORY}">{REPOSITORY.removeprefix("https://")}</a></p>',
    "show_toc_level": 2,
    # 「下载全书」 (the PDF and EPUB of make pdf/epub) at the foot of every sidebar; then what
    # pydata-sphinx-theme puts there by default (Read the Docs' ad placement).
    "primary_sidebar_end": ["book-downloads.html", "sidebar-ethical-ads.html"],
}
# pydata-sphinx-theme reads the colour mode from this template variable; left unset, a
# first visit logs "Got invalid theme mode" as a console error (tests/browser checks).
html_context = {"default_mode": "auto"}
# The search page has its own search box: leave the sidebar's out there.
html_sidebars = {"search": ["navbar-logo.html", "icon-links.html", "sbt-sidebar-nav.html"]}
# search.html runs _ext/zh_search.py's own search (docs/_templates/search.html), so
# nothing loads Sphinx's searchindex.js. Sphinx still writes one; "en" keeps it from
# loading jieba's dictionary, which cost 1.6 s of every build (tools/search_compare.py
# builds the jieba index itself when it compares the engines).
html_search_language = "en"

# -- sitemap ------------------------------------------------------------------

sitemap_url_scheme = "{link}"
# One language: locale/ holds the theme's interface strings, not translated pages, so
# no hreflang alternates (sphinx-sitemap would otherwise list one per locale/ folder).
sitemap_locales = [None]
sitemap_excludes = ["search.html", "genindex.html", "404.html"]

# -- OpenGraph ----------------------------------------------------------------

ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}  # matplotlib-drawn cards have no CJK font

# -- 404 page -----------------------------------------------------------------

# "/memo/": absolute asset URLs, so the 404 page works at any depth. They name the host that
# serves it: on Read the Docs (a mirror: citations and canonical links still use html_baseurl)
# that is /<language>/<version>/ of its own domain.
_served_at = os.environ.get("READTHEDOCS_CANONICAL_URL", html_baseurl) if os.environ.get("READTHEDOCS") == "True" else html_baseurl
notfound_urls_prefix = urlsplit(_served_at).path
notfound_template = "notfound.html"  # docs/_templates: Chinese text, a search box, every chapter
notfound_context = {"title": "找不到这个页面"}

# -- redirects ----------------------------------------------------------------

# Old URL (docname without suffix) -> new URL, relative to the old page. Every page move
# must be declared here (tests/test_ext_anchor_lock.py), one exact docname per page:
# sphinx-reredirects also takes wildcards, but the anchor lock accepts exact names only.
redirects = {
    # The chapter docs/tools/ became docs/environment/ (the repository's tools/ is scripts).
    "tools/huggingface-offline-loading": "../environment/huggingface-offline-loading.html",
    "tools/switch-cuda-version": "../environment/switch-cuda-version.html",
}
# reredirects' own page with the site's language, a viewport and a link for readers
# without JavaScript; its script (which keeps the #fragment) is unchanged.
redirect_html_template_file = str(ROOT / "docs" / "_data" / "redirect.html")

# -- anchor lock --------------------------------------------------------------

# The committed list of citable anchors; the build fails when one of them
# disappears or moves without a redirect. `make lock-anchors` rewrites it.
anchor_lock_file = "../anchors.lock.json"  # relative to docs/: other source trees have no lock

# -- "引用本页" (_ext/cite_page.py) -------------------------------------------

# Entries cite this release's frozen copy (its text never changes) and name the living page in
# their note, both on the canonical host whichever host builds the pages (frozen releases above).
cite_fixed_baseurl = memo_frozen_url
cite_living_baseurl = memo_site_url

# Its defaults are this site's: BibTeX keys memo (the site) and memo:<label> (a page or
# section); the box links to docs/how-to-cite.md.
# cite_page loads sphinx-last-updated-by-git for the dates and writes them into <head>
# itself (uncommitted edits included), so the extension's own date tag would disagree.
git_last_updated_metatags = False
# Outside a git checkout (a source archive, a copy in a test) the pages carry the build
# date and say so, instead of failing the strict build. A shallow clone still fails it
# (git.too_shallow): its dates would be wrong, so CI fetches the full history.
suppress_warnings = ["git.subprocess_error", "git.command_not_found"]

# -- glossary ids (_ext/glossary_ids.py) ----------------------------------------

# Each term of docs/glossary.md keeps the id written in this table (glossary.html#term-batchnorm),
# locked in anchors.lock.json like the sections; Sphinx would number the Chinese terms.
glossary_ids_file = "glossary-ids.toml"  # relative to docs/

# -- memo map -----------------------------------------------------------------

memo_map_source = str(ROOT / "docs" / "memo-items.toml")

# -- 「下载本页代码」 (_ext/page_downloads.py) --------------------------------

# Each page's doctests as <page>.ipynb and <page>.py next to the page. Modules the pages
# (and doctest_global_setup) import from these are carried inline, so a download runs alone
# and starts from the same state as the page's doctests.
page_downloads_inline_packages = ["examples", "doctest_page_state"]

# -- the book: PDF (make pdf) -------------------------------------------------------------

# sphinx-build -b latex, then xelatex through latexmk (Makefile). Chinese typesetting by
# ctex's report class (第 1 章, 目录, 图 1.1). Fonts: Noto CJK (Debian fonts-noto-cjk) for
# Chinese, DejaVu (fonts-dejavu-core) for everything else: it covers the other characters
# the pages use (IPA, 𝟙, box drawing), and, unlike Noto CJK's Latin, its hyphen copies out
# of the PDF as "-" (Noto's comes out as U+2011, which breaks copied URLs and keys).
# _ext/book.py turns each toctree caption of the landing page into a \part (the site's
# chapters) and every label into a PDF named destination (memo.pdf#nameddest=<label>);
# tools/latex_log_check.py fails `make pdf` on a missing glyph or an undefined reference.
latex_engine = "xelatex"
plot_rcparams["pdf.fonttype"] = 42  # figures embed TrueType fonts: no Type 3 fonts in the PDF
latex_documents = [("index", "memo.tex", project, author, "manual")]
latex_docclass = {"manual": "ctexrep"}  # loaded by sphinxmanual.cls in place of report
latex_use_xindy = False  # no index: the glossary is the book's index (xindy knows no Chinese)
latex_show_urls = "no"  # API links are hyperlinks; inline URLs would double every line
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "extraclassoptions": "fontset=none,zihao=false",
    "babel": "",
    "polyglossia": "",
    "fncychap": "",  # ctex draws the chapter heads
    "fontenc": r"\usepackage{fontspec}",
    "fontpkg": r"""
\setmainfont{DejaVu Serif}[Scale=0.92, AutoFakeSlant=0.15]
\setsansfont{DejaVu Sans}[Scale=0.92, AutoFakeSlant=0.15]
\setmonofont{DejaVu Sans Mono}[Scale=0.92, AutoFakeSlant=0.15]
\setCJKmainfont{Noto Serif CJK SC}[BoldFont={Noto Serif CJK SC Bold}, AutoFakeSlant=0.15]
\setCJKsansfont{Noto Sans CJK SC}[BoldFont={Noto Sans CJK SC Bold}, AutoFakeSlant=0.15]
\setCJKmonofont{Noto Sans Mono CJK SC}[AutoFakeSlant=0.15]
""",
    "fvset": r"\fvset{fontsize=\small,formatcom=\xeCJKVerbAddon}",
    "sphinxsetup": "verbatimwithframe=false, VerbatimColor={RGB}{245,245,245}, hmargin={2.2cm,2.2cm}, vmargin={2.5cm,2.5cm}",
    "preamble": r"""
\setlength{\headheight}{13pt}\addtolength{\topmargin}{-1pt} % fancyhdr's running head
\tracinglostchars=2 % a glyph missing from the font goes to the log (tools/latex_log_check.py)
\ctexset{chapter/number=\arabic{chapter}, part/number=\chinese{part}}
\newenvironment{sphinxclasscite-print}{\par\footnotesize\raggedright}{\par} % _ext/cite_page.py
\makeatletter\newcommand{\memodest}[1]{\Hy@raisedlink{\hypertarget{#1}{}}}\makeatother % _ext/book.py
\AtBeginDocument{\hypersetup{pdflang=zh-CN, bookmarksnumbered=true}}
\AtBeginDocument{\renewcommand{\contentsname}{目录}} % Sphinx names it after the first toctree caption
""",
    "printindex": "",
    "makeindex": "",
}

# -- the book: EPUB (make epub) ------------------------------------------------------------

# epubcheck (Debian) validates it in `make test`. Formulas stay MathML (_ext/mathml.py
# writes numeric character references, which XHTML parses); figures are the pages' SVGs;
# citations point at the hosted pages (_ext/cite_page.py); the redirect stubs that
# sphinx-reredirects writes for old URLs are left out of the package.
epub_basename = "memo"
epub_language = "zh-CN"  # BCP 47, as EPUB requires; Sphinx's language code is zh_CN
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_identifier = html_baseurl
epub_scheme = "URL"
epub_show_urls = "no"
# Files of the hosted site only: redirect stubs, robots.txt (html_extra_path), sitemap.xml, and
# stylesheets for the site's interface (cite.css's and interface.css's :has() and :is() fail epubcheck's CSS parser;
# sphinx-codeautolink copies its own for HTML builds only, matplotlib's plot directive only
# after the EPUB is zipped). _ext/book.py unlinks these.
epub_exclude_files = [f"{old}.{suffix}" for old in redirects for suffix in ("html", "xhtml")] + [
    "robots.txt", "sitemap.xml", "_static/cite.css", "_static/interface.css", "_static/sphinx-codeautolink.css", "_static/plot_directive.css",
    ".buildinfo.bak"]  # Sphinx's backup of an older build's .buildinfo, when the config changed

# -- live preview (make serve) ------------------------------------------------

# `make serve` rebuilds on every save, into its own folder. It leaves out what a writer
# does not check while editing: links inside code examples (codeautolink imports torch
# to resolve a changed page's names). `make html` and `make strict` always build the
# full site.
PREVIEW = os.environ.get("MEMO_PREVIEW") == "1"
if PREVIEW:
    extensions.remove("sphinx_codeautolink")
    extensions.remove("codeautolink_memo")


def setup(app):
    if PREVIEW:  # pages still mark blocks for codeautolink; in the preview the mark does nothing
        from docutils.parsers.rst import Directive

        class NoAutolink(Directive):
            optional_arguments = 1

            def run(self):
                return []

        app.add_directive("autolink-skip", NoAutolink)
