extensions = ["myst_parser", "zh_search", "mathml"]
language = "zh_CN"
html_search_language = "en"  # as the site (conf.py): Sphinx's own zh index reloads jieba's dictionary on every build
html_math_renderer = "mathml"  # as the site: formulas are MathML, which the index writes out as text
myst_enable_extensions = ["colon_fence", "dollarmath"]
zh_search_navigation = ["index"]
