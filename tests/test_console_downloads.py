"""A shell example that runs one of the repository's Python files (`python kfold.py`) is only
useful if the page offers that file: every such file is a download link on the same page,
and the command names it as the download saves it (no repository folder in front)."""

import re

from bs4 import BeautifulSoup
from site_browser import site_pages
from site_build import ROOT

REPOSITORY_FILES = {path.name for folder in ("examples", "docs") for path in (ROOT / folder).rglob("*.py")}
SCRIPT = re.compile(r"(?<![\w./-])([\w./-]+\.py)\b")


def console_download_problems(page: str, html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    downloads = {a["href"].rsplit("/", 1)[-1] for a in soup.select("a.download[href]")}
    problems = []
    for block in soup.select("article div.highlight-console pre"):
        commands = [line.split("$ ", 1)[1] for line in block.get_text().splitlines() if line.startswith("$ ")]
        for command in commands:
            for script in SCRIPT.findall(command.split("#", 1)[0]):
                name = script.rsplit("/", 1)[-1]
                if name not in REPOSITORY_FILES:
                    continue  # the reader's own script (train.py)
                if name not in downloads:
                    problems.append(f"{page}: `{command.strip()}` runs {name}, which only the repository has: offer it with {{download}}")
                elif script != name:
                    problems.append(f"{page}: `{command.strip()}` runs {script}, but the download saves it as {name}")
    return problems


def test_scripts_that_console_examples_run_are_downloads(built_site):
    problems = [p for page in site_pages(built_site) for p in console_download_problems(page, (built_site / page).read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_missing_download_and_a_repository_path(built_site):
    page = "stats/validation-set.html"
    html = (built_site / page).read_text(encoding="utf-8")
    assert "python kfold.py" in BeautifulSoup(html, "html.parser").get_text(), f"the break test expected `python kfold.py` in {page}"
    no_link = re.sub(r'<a class="reference download internal"[^>]*href="[^"]*kfold\.py"', '<a class="reference"', html)
    assert "offer it with {download}" in " ".join(console_download_problems(page, no_link))
    assert '<span class="w"> </span>kfold.py' in html, f"the break test expected the command's markup in {page}; update it"
    in_folder = html.replace('<span class="w"> </span>kfold.py', '<span class="w"> </span>examples/kfold.py', 1)
    assert "but the download saves it as kfold.py" in " ".join(console_download_problems(page, in_folder))
