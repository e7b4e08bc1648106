extensions = ["myst_parser", "zh_search"]
language = "zh_CN"
html_search_language = "zh"
myst_enable_extensions = ["colon_fence", "dollarmath"]
zh_search_navigation = ["index"]
