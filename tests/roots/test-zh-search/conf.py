extensions = ["myst_parser", "zh_search"]
language = "zh_CN"
html_search_language = "en"  # as the site (conf.py): Sphinx's own zh index reloads jieba's dictionary on every build
myst_enable_extensions = ["colon_fence", "dollarmath"]
zh_search_navigation = ["index"]
