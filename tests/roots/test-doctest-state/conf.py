"""Two pages with the site's own doctest settings: the first changes every piece of state."""

import runpy
from pathlib import Path

import myst_doctest_lines  # in the repository's _ext/, next to its conf.py

SITE = runpy.run_path(str(Path(myst_doctest_lines.__file__).resolve().parents[1] / "conf.py"))
extensions = ["myst_parser", "myst_doctest_lines"]
doctest_global_setup = SITE["doctest_global_setup"]
doctest_default_flags = SITE["doctest_default_flags"]
exclude_patterns = ["_build"]
