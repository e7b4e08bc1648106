import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `import demo_examples.x` in doctests

project = "Demo"
html_baseurl = "https://example.org/demo/"
extensions = ["myst_parser", "myst_doctest_lines", "page_downloads"]
myst_enable_extensions = ["colon_fence"]
doctest_global_setup = "import math\nSTART = 10"
page_downloads_inline_packages = ["demo_examples"]
