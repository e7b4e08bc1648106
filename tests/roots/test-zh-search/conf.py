extensions = ["myst_parser", "zh_search"]
language = "zh_CN"
html_search_language = "zh"
