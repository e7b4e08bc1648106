"""Ready to host and to cite: CITATION.cff, the Read the Docs and GitHub Pages configs,
the hosting files of the built site (sitemap, robots.txt, favicon, OpenGraph, 404),
and the offline archive of `make dist`.

Deploys cannot run here, so the configs are parsed and held to the Makefile: they
must call the project's own make targets and requirements.txt.
"""

import datetime as dt
import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
VERSION = (ROOT / "VERSION").read_text(encoding="utf-8").strip()
sys.path.insert(0, str(ROOT / "tools"))
import make_dist  # noqa: E402


@pytest.fixture(scope="module")
def conf():
    return runpy.run_path(str(ROOT / "conf.py"))


def make_targets() -> dict[str, str]:
    """target -> recipe text of every rule in the Makefile."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {m.group(1): m.group(3) for m in re.finditer(r"^([\w-]+):([^=\n]*)\n((?:\t.*\n?)*)", makefile, re.M)}


def called_targets(command: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"\bmake\s+([\w-]+)", command)]


def dry_run(command: str, **env: str) -> list[str]:
    """What the `make ...` calls in a shell command line would run (`make -n`), with `env` set."""
    lines = []
    for call in re.findall(r"\bmake\s[^;&|\n]*", command):
        environ = {**os.environ, **env}
        args = [re.sub(r"\$\{?(\w+)\}?", lambda m: environ.get(m[1], m[0]), arg)
                for arg in shlex.split(call, comments=True)[1:]]
        result = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, env=environ, timeout=60)
        assert result.returncode == 0, f"`{call}`: {result.stderr}"
        lines += result.stdout.splitlines()
    return lines


def installs_cpu_torch(lines: list[str], venv: str) -> bool:
    """Whether the dry run installs requirements.txt's torch pin from the CPU index into `venv`."""
    pin = next(line for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines() if line.startswith("torch=="))
    return any(shlex.split(line) == [f"{venv}/bin/python", "-m", "pip", "install", "--index-url",
                                     "https://download.pytorch.org/whl/cpu", pin] for line in lines)


def strict_outdir() -> str:
    """The folder that `make strict` (part of `make test`) writes the site to."""
    build = next(line for line in dry_run("make strict") if "sphinx-build" in line)
    return shlex.split(build)[-1]


# -- the CPU wheel of torch: one make target for the README and both hosts ----------------------------


def test_cpu_torch_target_installs_the_pinned_torch_from_the_cpu_index(tmp_path):
    assert installs_cpu_torch(dry_run("make cpu-torch"), ".venv")
    assert installs_cpu_torch(dry_run(f"make cpu-torch VENV={tmp_path}"), str(tmp_path))
    assert not installs_cpu_torch(dry_run("make html"), ".venv")  # the check can fail


def test_readme_installs_the_cpu_torch_with_the_make_target():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### PyTorch on other machines", 1)[1].split("\n#", 1)[0]
    commands = [line[2:] for line in section.splitlines() if line.startswith("$ ")]
    assert installs_cpu_torch(dry_run("\n".join(commands)), ".venv"), commands
    assert "download.pytorch.org" not in "\n".join(commands)  # one source of truth: the Makefile


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


# -- Read the Docs -------------------------------------------------------------------------------------


def test_read_the_docs_builds_with_the_pinned_requirements_and_strict_make_target():
    rtd = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
    assert rtd["version"] == 2
    assert rtd["build"]["os"] == "ubuntu-24.04"
    assert rtd["build"]["tools"]["python"] == "3.11"  # a string: 3.10 as a number would be 3.1
    assert rtd["python"]["install"] == [{"requirements": "requirements.txt"}]
    assert rtd["sphinx"] == {"configuration": "conf.py", "fail_on_warning": True}
    jobs = rtd["build"]["jobs"]
    html = jobs["build"]["html"]
    assert len(html) == 1 and called_targets(html[0]) == ["strict"]
    assert 'BUILDDIR="$READTHEDOCS_OUTPUT"' in html[0]  # make strict writes $(BUILDDIR)/html
    assert 'VENV="$READTHEDOCS_VIRTUALENV_PATH"' in html[0]
    assert any(".installed" in line for line in jobs["post_install"])
    targets = make_targets()
    assert "$(STRICT)" in targets["strict"] and "$(BUILDDIR)/html" in targets["strict"]
    assert any("unshallow" in line for line in jobs["post_checkout"])  # git dates for 引用本页
    rtd_env = {"READTHEDOCS_VIRTUALENV_PATH": "/rtd/venv", "READTHEDOCS_OUTPUT": "/rtd/out"}
    assert installs_cpu_torch(dry_run("\n".join(jobs["pre_install"]), **rtd_env), "/rtd/venv")
    assert "download.pytorch.org" not in "\n".join(jobs["pre_install"])  # one source of truth: the Makefile
    build = next(line for line in dry_run(html[0], **rtd_env) if "sphinx-build" in line)
    assert shlex.split(build)[-1] == "/rtd/out/html"  # where Read the Docs serves from


# -- GitHub Pages ----------------------------------------------------------------------------------------


def test_pages_workflow_deploys_the_strict_build_that_make_test_checked():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    build = workflow["jobs"]["build"]
    assert build["container"].startswith("python:3.11-")
    steps = build["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s.get("run", "") for s in steps]
    # .ci/run is the CI entry point of the README; it ends in `make test`, which runs `make strict`.
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci_run, re.M)
    test_step = next(i for i, r in enumerate(runs) if "bash .ci/run" in r)
    assert any(shlex.split(line)[-1] == strict_outdir() for line in dry_run("make test") if "sphinx-build" in line)
    assert installs_cpu_torch(dry_run("\n".join(runs[:test_step])), ".venv")
    assert "download.pytorch.org" not in "\n".join(runs)  # one source of truth: the Makefile
    # Nothing after the tests builds again: an incremental build would rewrite only some
    # pages, and sphinx-sitemap would list only those.
    for later in runs[test_step + 1:]:
        assert not [line for line in dry_run(later) if "sphinx-build" in line] and "sphinx-build" not in later, later
    assert any(f"touch {strict_outdir()}/.nojekyll" in r for r in runs[test_step + 1:])
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == strict_outdir()
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


# -- the built site: hosting files ---------------------------------------------------------------------------


def content_pages(site: Path) -> list[str]:
    skip = {"genindex.html", "search.html", "404.html"}
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative in skip or relative.split("/")[0] in ("_static", "_sources", "_images", "plot_directive"):
            continue
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:500]:
            continue  # a redirect left by sphinx-reredirects
        pages.append(relative)
    return pages


def sitemap_problems(site: Path, base: str) -> list[str]:
    """Pages of the built site that sitemap.xml leaves out, and entries that are no page."""
    listed = set(re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    pages = {base + page for page in content_pages(site)}
    return ([f"sitemap.xml lacks {url}" for url in sorted(pages - listed)]
            + [f"sitemap.xml lists {url}, which is not a page of the site" for url in sorted(listed - pages)])


def test_sitemap_lists_every_page(built_site, conf):
    """sphinx-sitemap lists the pages that this build wrote: a full build (`make strict`, which
    `make test` runs and the Pages workflow deploys) lists them all."""
    problems = sitemap_problems(built_site, conf["html_baseurl"])
    assert problems == [], "\n".join(problems) + "\n(after an incremental `make html`, run `make strict`)"


def test_sitemap_check_catches_a_missing_and_a_stray_page(built_site, conf, tmp_path):
    base = conf["html_baseurl"]
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns(".doctrees", "_static", "_images", "plot_directive"))
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    page = f"{base}tensors/view-vs-reshape.html"
    assert f"<loc>{page}</loc>" in sitemap
    sitemap = sitemap.replace(f"<loc>{page}</loc>", f"<loc>{base}tensors/no-such-page.html</loc>")
    (site / "sitemap.xml").write_text(sitemap, encoding="utf-8")
    assert sitemap_problems(site, base) == [
        f"sitemap.xml lacks {page}",
        f"sitemap.xml lists {base}tensors/no-such-page.html, which is not a page of the site"]


def test_robots_txt_names_the_sitemap(built_site, conf):
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {conf['html_baseurl']}sitemap.xml" in robots.splitlines()


def test_favicon_and_opengraph_on_every_depth(built_site, conf):
    assert (built_site / "_static" / "favicon.svg").is_file()
    for page in ("index.html", "tensors/view-vs-reshape.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
        assert (built_site / page).parent.joinpath(icon).resolve() == (built_site / "_static" / "favicon.svg").resolve()
        assert f'<meta property="og:url" content="{conf["html_baseurl"]}{page}" />' in html
        assert '<meta property="og:title" content="' in html and '<meta property="og:description" content="' in html


def asset_urls(html: str) -> list[str]:
    """URLs the browser loads by itself: scripts, stylesheets, icons, images."""
    urls = []
    for tag in re.findall(r"<(?:script|link|img|source)\b[^>]*>", html):
        if re.search(r'rel="(?:canonical|index|search|next|prev)"', tag):
            continue  # navigation, not loaded
        urls += re.findall(r'(?:src|href)="([^"#]+)"', tag)
    return urls


def test_404_page_assets_work_at_any_depth(built_site, conf):
    """A 404 can be served for /memo/a/b/c/missing: every asset URL must be absolute."""
    prefix = conf["notfound_urls_prefix"]
    assert prefix == urlsplit(conf["html_baseurl"]).path == "/memo/"
    html = (built_site / "404.html").read_text(encoding="utf-8")
    urls = asset_urls(html)
    assert any(u.endswith(".css") or ".css?" in u for u in urls) and any(".js" in u for u in urls)
    for url in urls:
        assert url.startswith(prefix), f"404.html loads {url}, which breaks below the top level"
        assert (built_site / urlsplit(url).path[len(prefix):]).is_file(), url
    links = re.findall(r'<a [^>]*href="([^"#][^"]*)"', html)
    assert all(u.startswith((prefix, "https://")) for u in links), [u for u in links if not u.startswith((prefix, "https://"))]


# -- make dist: the offline copy ---------------------------------------------------------------------------------


def test_make_dist_target_names_the_archive_after_the_version():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "VERSION   := $(shell cat VERSION)" in makefile
    assert "DIST      := $(BUILDDIR)/dist/memo-docs-$(VERSION).zip" in makefile
    recipe = make_targets()["dist"]
    assert "tools/make_dist.py $(BUILDDIR)/html $(DIST)" in recipe
    assert re.search(r"^dist:.*\bhtml\b", makefile, re.M)


@pytest.fixture(scope="module")
def offline_copy(built_site, tmp_path_factory):
    """`make dist`'s archive of the built site, and where it was unpacked."""
    out = tmp_path_factory.mktemp("dist")
    archive = make_dist.make_archive(built_site, out / f"memo-docs-{VERSION}.zip")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "unpacked")
    return archive, out / "unpacked" / f"memo-docs-{VERSION}"


def test_archive_holds_the_site_in_one_versioned_folder(offline_copy, built_site):
    archive, unpacked = offline_copy
    names = zipfile.ZipFile(archive).namelist()
    assert {n.split("/")[0] for n in names} == {f"memo-docs-{VERSION}"}
    for page in content_pages(built_site):
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


@pytest.mark.browser
def test_archive_opened_from_disk_can_search(offline_copy):
    """Open the unpacked copy with file:// in Chromium and search it."""
    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    _, unpacked = offline_copy
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.goto((unpacked / "search.html").as_uri() + "?q=reshape")
            page.wait_for_selector("#search-results ul.search li a", timeout=20000)
            hits = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
            assert any(h.endswith("tensors/view-vs-reshape.html") or "view-vs-reshape.html" in h for h in hits), hits
            page.goto((unpacked / "tensors" / "view-vs-reshape.html").as_uri())
            assert page.locator("#cite-this-page pre").first.inner_text().startswith("@misc{memo:view-vs-reshape,")
        finally:
            browser.close()


def test_make_dist_script_refuses_an_unbuilt_site(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_dist.py"), str(tmp_path), str(tmp_path / "x.zip")],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "run `make html` first" in result.stderr
