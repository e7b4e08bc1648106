extensions = ["theme_messages"]
html_theme = "sphinx_book_theme"
language = "zh_CN"
locale_dirs = ["locale"]
