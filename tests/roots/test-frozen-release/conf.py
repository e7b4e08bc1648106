project = "Demo Notes"
author = "Demo Team"
release = "1.0"
memo_site_url = "https://example.org/notes/"
html_baseurl = memo_site_url
extensions = ["myst_parser", "anchor_lock", "frozen_release"]
