"""Ready to host and to cite: CITATION.cff, what the Read the Docs and GitHub Pages deploys
run, the hosting files of the built site (sitemap, robots.txt, favicon, OpenGraph, 404),
and the offline archive of `make dist`.

Deploys cannot run here, so the make commands of their configs are dry-run (`make -n`):
each must exist and write the folder that the deploy publishes.
"""

import datetime as dt
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import zipfile
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from commands import html_output_dirs, make, sphinx_calls
from site_browser import site_pages
from site_build import ROOT, edited_copy

VERSION = (ROOT / "VERSION").read_text(encoding="utf-8").strip()


@pytest.fixture(scope="module")
def conf():
    return runpy.run_path(str(ROOT / "conf.py"))


# -- CITATION.cff (schema 1.2.0, checked by hand: cffconvert is not a dependency) ----------------

CFF_KEYS = {
    "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
    "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
    "repository-artifact", "repository-code", "title", "type", "url", "version",
}
PERSON_KEYS = {
    "address", "affiliation", "alias", "city", "country", "email", "family-names", "fax", "given-names",
    "name-particle", "name-suffix", "orcid", "post-code", "region", "tel", "website",
}
ENTITY_KEYS = {
    "address", "alias", "city", "country", "date-end", "date-start", "email", "fax", "location", "name",
    "orcid", "post-code", "region", "tel", "website",
}


def test_citation_cff_follows_the_1_2_0_schema(conf):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert set(cff) <= CFF_KEYS, set(cff) - CFF_KEYS
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert isinstance(cff["title"], str) and cff["title"] == conf["project"]
    assert cff.get("type", "software") in ("software", "dataset")
    assert isinstance(cff["authors"], list) and cff["authors"]
    for author in cff["authors"]:
        if "name" in author:  # an entity
            assert set(author) <= ENTITY_KEYS and isinstance(author["name"], str), author
        else:  # a person
            assert set(author) <= PERSON_KEYS and ({"family-names", "given-names"} & set(author)), author
    assert [a.get("name") for a in cff["authors"]] == [conf["author"]]
    # Quoted: an unquoted 2026.10 would be read as the number 2026.1.
    assert isinstance(cff["version"], str) and cff["version"] == VERSION == conf["release"]
    released = cff["date-released"]
    assert isinstance(released, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", released)
    assert dt.date.fromisoformat(released).strftime("%Y.%m") == VERSION  # calendar version of the release
    assert cff["url"] == conf["html_baseurl"]
    assert cff["repository-code"] == conf["html_theme_options"]["repository_url"]
    if "license" in cff:
        assert isinstance(cff["license"], (str, list))
    assert all(isinstance(k, str) for k in cff.get("keywords", []))


# -- Read the Docs and GitHub Pages: the make commands they run -------------------------------------


def shell_lines(node):
    """Every line of every string in a piece of YAML config."""
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list):
        return [line for value in node for line in shell_lines(value)]
    return [line.strip() for line in node.splitlines()] if isinstance(node, str) else []


def make_commands(lines) -> list[str]:
    """The `make` command lines among `lines`; `bash .ci/run` stands for the make lines of .ci/run."""
    found = []
    for line in lines:
        if line == "bash .ci/run":
            found += make_commands((ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines())
        elif line.startswith("make "):
            found.append(line)
    return found


def dry_run(command: str, variables: dict[str, str]) -> subprocess.CompletedProcess:
    """`make -n` with the arguments of a config's make line, its $VARIABLES set as the deploy sets them."""
    argv = [re.sub(r"\$\{?(\w+)\}?", lambda m: variables[m.group(1)], arg) for arg in shlex.split(command)]
    assert argv[0] == "make", command
    return make(*argv[1:])


def dry_run_problems(where: str, commands: list[str], variables: dict[str, str]) -> tuple[list[str], str]:
    """Problems of the config's make commands under `make -n`, and what they would run."""
    problems, output = [], ""
    for command in commands:
        result = dry_run(command, variables)
        if result.returncode != 0:
            problems.append(f"{where}: `{command}` fails: {result.stderr.strip().splitlines()[-1]}")
        output += result.stdout
    return problems, output


def read_the_docs_problems(rtd: dict, variables: dict[str, str]) -> list[str]:
    """Read the Docs serves $READTHEDOCS_OUTPUT/html: a make command must write it with warnings as errors."""
    problems, output = dry_run_problems(".readthedocs.yaml", make_commands(shell_lines(rtd["build"]["jobs"])), variables)
    published = f"{variables['READTHEDOCS_OUTPUT']}/html"
    builds = [argv for argv in sphinx_calls(output) if argv[-1] == published]
    if not builds:
        problems.append(".readthedocs.yaml: no make command writes $READTHEDOCS_OUTPUT/html")
    problems += [f".readthedocs.yaml: the published build is not strict: {shlex.join(argv)}"
                 for argv in builds if not {"-n", "-W"} <= set(argv)]
    return problems


def pages_problems(workflow: dict) -> list[str]:
    """The Pages workflow runs the checks, and deploys a folder that one of its make commands writes."""
    steps = workflow["jobs"]["build"]["steps"]
    commands = make_commands(shell_lines([step["run"] for step in steps if "run" in step]))
    problems, output = dry_run_problems("pages.yml", commands, {})
    if "make test" not in commands:
        problems.append("pages.yml: the build job does not run the checks (bash .ci/run or make test)")
    deployed = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))["with"]["path"]
    written = html_output_dirs(output) + site_output_dirs(output)
    if deployed not in written:
        problems.append(f"pages.yml: deploys {deployed}, which no make command writes ({written})")
    return problems


def site_output_dirs(make_output: str) -> list[str]:
    """Where `make site` (tools/make_site.py LIVING ARCHIVE OUT VERSION) assembles the site."""
    return [argv[4] for argv in (shlex.split(line) for line in make_output.splitlines() if "tools/make_site.py" in line)
            if len(argv) == 6 and argv[1] == "tools/make_site.py"]


@pytest.fixture
def read_the_docs(tmp_path):
    """.readthedocs.yaml, and where Read the Docs' variables point."""
    rtd = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    return rtd, {"READTHEDOCS_OUTPUT": str(tmp_path / "output"), "READTHEDOCS_VIRTUALENV_PATH": str(ROOT / ".venv")}


@pytest.fixture
def pages_workflow():
    return yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))


def test_read_the_docs_publishes_a_strict_build(read_the_docs):
    assert read_the_docs_problems(*read_the_docs) == []


def test_a_loose_or_misspelt_read_the_docs_build_is_caught(read_the_docs):
    rtd, variables = read_the_docs
    rtd["build"]["jobs"]["build"]["html"] = ['make html BUILDDIR="$READTHEDOCS_OUTPUT"', "make stritc"]
    problems = read_the_docs_problems(rtd, variables)
    assert len(problems) == 2 and "`make stritc` fails: make: *** No rule to make target 'stritc'" in problems[0], problems
    assert problems[1].startswith(".readthedocs.yaml: the published build is not strict:"), problems


def test_pages_deploys_the_folder_its_build_wrote(pages_workflow):
    assert pages_problems(pages_workflow) == []


def test_pages_deploying_an_unbuilt_folder_or_skipping_the_checks_is_caught(pages_workflow):
    steps = pages_workflow["jobs"]["build"]["steps"]
    pages_workflow["jobs"]["build"]["steps"] = [
        {**step, "with": {"path": "_build/site"}} if step.get("uses", "").startswith("actions/upload-pages-artifact@")
        else step for step in steps if "run" not in step or "make" not in step["run"] and ".ci/run" not in step["run"]
    ] + [{"run": "make html"}]
    assert pages_problems(pages_workflow) == [
        "pages.yml: the build job does not run the checks (bash .ci/run or make test)",
        "pages.yml: deploys _build/site, which no make command writes (['_build/html'])",
    ]


# -- the built site: hosting files ---------------------------------------------------------------------------


def sitemap_problems(site, base: str, pages: list[str]) -> list[str]:
    """sitemap.xml lists exactly the content `pages`, and robots.txt points to it."""
    listed = set(re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    pages = {base + page for page in pages}
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    return ([f"sitemap.xml: {url} is missing" for url in sorted(pages - listed)]
            + [f"sitemap.xml: {url} is not a page of the site" for url in sorted(listed - pages)]
            + ([] if f"Sitemap: {base}sitemap.xml" in robots.splitlines() else [f"robots.txt: no line `Sitemap: {base}sitemap.xml`"]))


def test_sitemap_and_robots_txt(built_site, conf):
    assert sitemap_problems(built_site, conf["html_baseurl"], site_pages(built_site)) == []


def test_a_page_missing_from_the_sitemap_is_caught(built_site, conf, tmp_path):
    base = conf["html_baseurl"]
    drop = replace(f"<url><loc>{base}tensors/view-vs-reshape.html</loc></url>", "")
    copy = edited_copy(built_site, tmp_path / "site", {"sitemap.xml": drop, "robots.txt": replace("Sitemap: ", "")})
    assert sitemap_problems(copy, base, site_pages(built_site)) == [f"sitemap.xml: {base}tensors/view-vs-reshape.html is missing",
                                            f"robots.txt: no line `Sitemap: {base}sitemap.xml`"]


def replace(old: str, new: str):
    """An edit of a built file that must apply."""

    def edit(text):
        assert old in text, f"the break test expected {old!r}; update the test"
        return text.replace(old, new, 1)

    return edit


def head_problems(site, page: str, base: str) -> list[str]:
    """The page's favicon resolves to _static/favicon.svg; OpenGraph names the page's URL, a title and a description."""
    html = (site / page).read_text(encoding="utf-8")
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
    problems = []
    if not icon or (site / page).parent.joinpath(icon.group(1)).resolve() != (site / "_static" / "favicon.svg").resolve():
        problems.append(f"{page}: the icon link does not point to _static/favicon.svg")
    if f'<meta property="og:url" content="{base}{page}" />' not in html:
        problems.append(f"{page}: no og:url {base}{page}")
    problems += [f"{page}: no og:{name}" for name in ("title", "description")
                 if f'<meta property="og:{name}" content="' not in html]
    return problems


def test_favicon_and_opengraph_on_every_page(built_site, conf):
    assert (built_site / "_static" / "favicon.svg").is_file()
    problems = [problem for page in site_pages(built_site) for problem in head_problems(built_site, page, conf["html_baseurl"])]
    assert problems == [], "\n".join(problems)


def test_a_wrong_icon_or_missing_opengraph_is_caught(built_site, conf, tmp_path):
    page = "tensors/view-vs-reshape.html"
    edits = [replace('<link rel="icon" href="../_static/', '<link rel="icon" href="_static/'),
             replace('<meta property="og:url"', '<meta property="og:uri"'),
             replace('<meta property="og:description"', '<meta name="description"')]
    copy = edited_copy(built_site, tmp_path / "site", {page: lambda html: edits[2](edits[1](edits[0](html)))})
    assert head_problems(copy, page, conf["html_baseurl"]) == [
        f"{page}: the icon link does not point to _static/favicon.svg",
        f"{page}: no og:url {conf['html_baseurl']}{page}",
        f"{page}: no og:description",
    ]


def asset_urls(html: str) -> list[str]:
    """URLs the browser loads by itself: scripts, stylesheets, icons, images."""
    urls = []
    for tag in re.findall(r"<(?:script|link|img|source)\b[^>]*>", html):
        if re.search(r'rel="(?:canonical|index|search|next|prev)"', tag):
            continue  # navigation, not loaded
        urls += re.findall(r'(?:src|href)="([^"#]+)"', tag)
    return urls


def not_found_problems(site, prefix: str) -> list[str]:
    """404.html can be served for /memo/a/b/c/missing: its assets and links must be absolute, and exist."""
    html = (site / "404.html").read_text(encoding="utf-8")
    urls = asset_urls(html)
    problems = [] if any(".css" in u for u in urls) and any(".js" in u for u in urls) else ["404.html: loads no stylesheet or no script"]
    for url in urls:
        if not url.startswith(prefix):
            problems.append(f"404.html loads {url}, which breaks below the top level")
        elif not (site / urlsplit(url).path[len(prefix):]).is_file():
            problems.append(f"404.html loads {url}, which the site lacks")
    links = re.findall(r'<a [^>]*href="([^"#][^"]*)"', html)
    return problems + [f"404.html links to {u}, which breaks below the top level" for u in links if not u.startswith((prefix, "https://"))]


def test_404_page_assets_work_at_any_depth(built_site, conf):
    prefix = conf["notfound_urls_prefix"]
    assert prefix == urlsplit(conf["html_baseurl"]).path == "/memo/"
    assert not_found_problems(built_site, prefix) == []


def test_a_relative_url_on_the_404_page_is_caught(built_site, conf, tmp_path):
    prefix = conf["notfound_urls_prefix"]
    copy = edited_copy(built_site, tmp_path / "site", {"404.html": replace(f'href="{prefix}_static/', 'href="_static/')})
    problems = not_found_problems(copy, prefix)
    assert problems and all("breaks below the top level" in p for p in problems), problems


# -- make dist: the offline copy ---------------------------------------------------------------------------------


def test_make_dist_archives_the_html_build_under_the_version():
    result = make("dist")
    assert result.returncode == 0, result.stderr
    assert html_output_dirs(result.stdout) == ["_build/html"]
    assert f"tools/make_dist.py _build/html _build/dist/memo-docs-{VERSION}.zip" in result.stdout, result.stdout


def test_archive_holds_the_site_in_one_versioned_folder(offline_copy, built_site):
    archive, unpacked = offline_copy
    names = zipfile.ZipFile(archive).namelist()
    assert {n.split("/")[0] for n in names} == {f"memo-docs-{VERSION}"}
    for page in site_pages(built_site):
        assert (unpacked / page).is_file(), page
    for name in ("search.html", "searchindex.js", "anchors.json", "_static/favicon.svg"):
        assert (unpacked / name).is_file(), name
    assert not any(part in (".doctrees", ".buildinfo", "404.html") for n in names for part in n.split("/"))


def test_archive_pages_need_nothing_from_the_network(offline_copy):
    """Every page's own assets and internal links resolve inside the unpacked folder (file://)."""
    _, unpacked = offline_copy
    problems = []
    for path in sorted(unpacked.rglob("*.html")):
        if path.relative_to(unpacked).parts[0] == "_static":
            continue  # the theme's Jinja macro files, not pages
        html = path.read_text(encoding="utf-8")
        internal = re.findall(r'<a [^>]*href="([^"#:]+)(?:#[^"]*)?"', html)
        for url in asset_urls(html) + internal:
            if re.match(r"(?:[a-z]+:)?//", url) or url.startswith(("mailto:", "data:")):
                if any(url in tag for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html)):
                    problems.append(f"{path.relative_to(unpacked)} loads {url} from the network")
                continue
            target = (path.parent / unquote(urlsplit(url).path)).resolve()
            if not target.exists():
                problems.append(f"{path.relative_to(unpacked)}: {url} is missing from the archive")
    assert problems == [], "\n".join(problems[:20])


def test_make_dist_script_refuses_an_unbuilt_site(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_dist.py"), str(tmp_path), str(tmp_path / "x.zip")],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "run `make html` first" in result.stderr


# -- the CPU wheel of torch: one make target for the README and both hosts ----------------------------


def installs_cpu_torch(make_output: str, venv: str) -> bool:
    """Whether `make -n` output installs requirements.txt's torch pin from PyTorch's CPU index into `venv`."""
    pin = next(line for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines() if line.startswith("torch=="))
    return any(shlex.split(line) == [f"{venv}/bin/python", "-m", "pip", "install", "--index-url",
                                     "https://download.pytorch.org/whl/cpu", pin] for line in make_output.splitlines())


def test_cpu_torch_target_installs_the_pinned_torch_from_the_cpu_index(tmp_path):
    assert installs_cpu_torch(make("cpu-torch").stdout, ".venv")
    assert installs_cpu_torch(make("cpu-torch", f"VENV={tmp_path}").stdout, str(tmp_path))
    assert not installs_cpu_torch(make("html").stdout, ".venv")  # the check can fail


def test_readme_and_hosts_install_the_cpu_torch_with_the_make_target():
    """One source of truth: the README, pages.yml and .readthedocs.yaml call `make cpu-torch`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("### PyTorch on other machines", 1)[1].split("\n#", 1)[0]
    for name, text in [("README.md", readme), (".github/workflows/pages.yml", (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8")),
                       (".readthedocs.yaml", (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))]:
        assert "download.pytorch.org" not in text, f"{name} installs torch itself instead of `make cpu-torch`"
    assert "make cpu-torch" in readme
