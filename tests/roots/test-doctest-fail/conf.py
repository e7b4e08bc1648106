extensions = ["myst_parser", "sphinx.ext.doctest", "myst_doctest_lines"]
