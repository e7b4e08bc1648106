# Three pages and a sitemap: tests/test_ext_sitemap_complete.py rebuilds after editing one.
project = "Sitemap"
extensions = ["myst_parser", "sphinx_sitemap", "sitemap_complete"]
html_baseurl = "https://example.org/site/"
sitemap_url_scheme = "{link}"
sitemap_locales = [None]
sitemap_excludes = ["search.html", "genindex.html"]
