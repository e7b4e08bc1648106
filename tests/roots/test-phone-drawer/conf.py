# A plain sphinx-book-theme site: what the theme does before conf.py's navbar_persistent fix
# (tests/browser/test_phone_navigation.py builds it with and without the fix).
extensions = ["myst_parser"]
html_theme = "sphinx_book_theme"
html_context = {"default_mode": "auto"}
