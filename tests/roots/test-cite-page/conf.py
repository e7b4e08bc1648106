project = "Demo Notes"
author = "Demo Team"
release = "1.2"
html_baseurl = "https://example.org/notes/"
extensions = ["myst_parser", "cite_page"]
cite_key_prefix = "demo"
