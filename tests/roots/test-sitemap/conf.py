extensions = ["myst_parser", "sitemap_all_pages"]
html_baseurl = "https://example.org/site/"
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html"]
