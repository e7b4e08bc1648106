import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # demo_labels, the project's own package
extensions = ["myst_parser", "plot_dependencies"]
page_downloads_inline_packages = ["demo_labels"]
plot_formats = [("svg", 96)]
plot_rcparams = {"svg.fonttype": "none", "svg.hashsalt": "demo"}
plot_working_directory = str(HERE)
plot_html_show_source_link = False
plot_html_show_formats = False
