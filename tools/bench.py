"""Benchmark the verification loop and the page weight; write _build/bench.json.

Machines here are shared and noisy, so every figure is the median of several
runs, and each ratio is taken pair by pair from runs measured back to back.

* doctest: `make doctest` (warm environment) against a floor, the same examples
  run by plain `doctest` in one Python process, imports included
  (tools/doctest_floor.py); and `make doctest FILES=<one page>` against the whole
  site. Also one clean `make doctest` for reference.
* build: a clean `make html`; then pairs of a no-op `make html` and a rebuild after
  touching one page, back to back (the ratio is what the target limits).
* preview: `make serve` (sphinx-autobuild in preview mode, tools/serve.py); the time
  from saving an edit of one page to the edit showing in Chromium (live reload).
* pages: for every page of the built site, in headless Chromium on 127.0.0.1
  with an empty cache: bytes transferred (raw, and gzip as a host would serve
  text), request count and first-contentful-paint. The same for a one-page site
  built with sphinx-book-theme's default settings (the baseline).
* search: gzip size of the search index and script, and the time from a keystroke in
  the Ctrl+K dialog (on a phone-width page) to its results drawn (next frame), in
  Chromium, over every query derived from the site (tools/search_queries.py: the
  exact and the forgiving ones); median and maximum; and the requests that searching made.
* book: `make pdf` and `make epub` after the HTML build (what `make test` adds: only their
  writing, on the HTML build's doctrees), from an empty output folder; epubcheck's time;
  the PDF's page count and both files' sizes.

* test (only when asked: `make bench-test`, or --only test; it takes as long as
  `make test` twice): each step of `make test` from a clean build folder (lint,
  strict, doctest, book, pytest); `make test-builds` on one core and as `make test` runs it
  (doctest beside the book); then pytest in one process (`-p no:xdist`) and on every core, back to
  back, with the ratio, the slowest tests and what each run started (Sphinx builds,
  Chromium, notebook kernels; tools/pytest_counts.py).

Usage: python tools/bench.py [--runs N] [--test-runs N] [--only doctest|build|preview|pages|search|book|test ...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from site_browser import launch, serve, site_pages

ROOT = Path(__file__).resolve().parents[1]

BENCH = ROOT / "_build" / "bench"
TOUCHED_PAGE = ROOT / "docs" / "tensors" / "view-vs-reshape.md"
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg")
TARGETS = {"doctest_ratio": 1.3, "incremental_ratio": 1.5, "preview_s": 3.0,
           "median_gzip_kb": 200, "max_gzip_kb": 350, "max_requests": 25,
           "search_index_gzip_kb": 150, "search_median_ms": 20, "search_max_ms": 100}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def make(*args: str) -> list[str]:
    return ["make", "--no-print-directory", *args, f"BUILDDIR={BENCH / 'site'}"]


def bench_doctest(runs: int) -> dict:
    shutil.rmtree(BENCH / "site" / "doctest", ignore_errors=True)
    clean = timed(make("doctest"))
    pairs = []
    for _ in range(runs):
        floor = timed([sys.executable, "tools/doctest_floor.py"])
        sphinx = timed(make("doctest"))
        one_page = timed(make("doctest", f"FILES={TOUCHED_PAGE.relative_to(ROOT).as_posix()}"))
        pairs.append((floor, sphinx, one_page))
    return {
        "one_page_make_doctest_s": round(statistics.median(p[2] for p in pairs), 2),
        "one_page_share": round(statistics.median(o / s for _f, s, o in pairs), 2),
        "clean_make_doctest_s": round(clean, 2),
        "floor_s": round(statistics.median(p[0] for p in pairs), 2),
        "make_doctest_s": round(statistics.median(p[1] for p in pairs), 2),
        "ratio": round(statistics.median(s / f for f, s, _o in pairs), 2),
        "pairs": [[round(f, 2), round(s, 2)] for f, s, _o in pairs],
    }


def bench_build(runs: int) -> dict:
    clean = []
    for _ in range(max(2, runs // 2)):
        shutil.rmtree(BENCH / "site" / "html", ignore_errors=True)
        clean.append(timed(make("html")))
    pairs = []
    for _ in range(runs):
        noop = timed(make("html"))
        TOUCHED_PAGE.touch()
        pairs.append((noop, timed(make("html"))))
    return {
        "clean_html_s": round(statistics.median(clean), 2),
        "noop_html_s": round(statistics.median(p[0] for p in pairs), 2),
        "incremental_html_s": round(statistics.median(p[1] for p in pairs), 2),
        "incremental_ratio": round(statistics.median(one / noop for noop, one in pairs), 2),
        "touched": TOUCHED_PAGE.relative_to(ROOT).as_posix(),
        "clean_runs": [round(t, 2) for t in clean],
        "pairs": [[round(n, 2), round(o, 2)] for n, o in pairs],
    }


def bench_book(runs: int) -> dict:
    site = BENCH / "site"
    if not (site / "html" / "index.html").exists():
        subprocess.run(make("html"), cwd=ROOT, check=True, capture_output=True)
    pdf, epub = [], []
    for _ in range(max(1, runs // 3)):
        shutil.rmtree(site / "latex", ignore_errors=True)
        pdf.append(timed(make("pdf")))
        shutil.rmtree(site / "epub", ignore_errors=True)
        epub.append(timed(make("epub")))
    pdf_file, epub_file = site / "latex" / "memo.pdf", site / "epub" / "memo.epub"
    jar = Path(shutil.which("epubcheck") or "epubcheck").resolve()
    check = timed(["java", "-jar", str(jar), str(epub_file)] if jar.suffix == ".jar" else [str(jar), str(epub_file)])
    info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True).stdout
    return {
        "make_pdf_s": round(statistics.median(pdf), 2),
        "make_epub_s": round(statistics.median(epub), 2),
        "epubcheck_s": round(check, 2),
        "pdf_pages": int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:"))),
        "pdf_bytes": pdf_file.stat().st_size,
        "epub_bytes": epub_file.stat().st_size,
        "pdf_runs": [round(t, 2) for t in pdf],
        "epub_runs": [round(t, 2) for t in epub],
    }


# Epoch milliseconds of the page's first contentful paint (DOMContentLoaded where there is none).
PAINTED_AT_JS = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const at = paint ? paint.startTime : performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd;
  return performance.timeOrigin + at;
}"""


def bench_preview(runs: int) -> dict:
    """Save an edit of one page while `make serve` runs; time until Chromium shows it."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The target itself, in its own process group: stopping make must stop the server too.
    server = subprocess.Popen(make("serve", f"SERVE_PORT={port}"), cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    original = TOUCHED_PAGE.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/{TOUCHED_PAGE.relative_to(ROOT / 'docs').with_suffix('.html').as_posix()}"
    times = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            for _ in range(1500):  # the server listens once its first build is done
                try:
                    page.goto(url)
                    break
                except Exception:  # noqa: BLE001 - connection refused until it is up
                    time.sleep(0.2)
            for run in range(runs):
                marker = f"preview-bench-{run}-{time.time_ns()}"
                saved = time.time()
                TOUCHED_PAGE.write_text(original + f"\n{marker}\n", encoding="utf-8")
                page.get_by_text(marker).wait_for(timeout=120_000)
                # The reloaded page's own clock says when it painted (the locator only polls).
                times.append(page.evaluate(PAINTED_AT_JS) / 1000 - saved)
                time.sleep(1)  # let the server settle, as a writer reads before the next save
            browser.close()
    finally:
        TOUCHED_PAGE.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
    return {"edit_to_browser_s": round(statistics.median(times), 2), "runs": [round(t, 2) for t in times]}


def timed_step(command: list[str], env: dict | None = None) -> float:
    """Like timed(), but a failing step fails the benchmark with its output's tail."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return time.perf_counter() - start


def slowest_tests(junit: Path, count: int = 30) -> list[list]:
    """[[seconds, test id], ...]: the slowest tests of a run (setup, call and teardown) from its JUnit XML."""
    import xml.etree.ElementTree as ET

    cases = [(float(case.get("time", 0)), f"{case.get('classname', '').replace('.', '/')}.py::{case.get('name')}")
             for case in ET.parse(junit).iter("testcase")]
    return [[round(s, 2), name] for s, name in sorted(cases, reverse=True)[:count]]


def run_counts(folder: Path) -> dict:
    totals: dict = {}
    for path in folder.glob("*.json"):
        for name, value in json.loads(path.read_text(encoding="utf-8")).items():
            totals[name] = totals.get(name, 0) + value
    return dict(sorted(totals.items()))


def bench_test(runs: int) -> dict:
    """make test's steps from a clean build folder, then pytest serial and parallel back to back."""
    out = BENCH / "test"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    def step(*args: str) -> list[str]:
        return ["make", "--no-print-directory", *args, f"BUILDDIR={out / 'build'}"]

    steps = {name: round(timed_step(step(name)), 1) for name in ("lint", "strict", "doctest", "book")}
    shutil.rmtree(out / "build", ignore_errors=True)
    one_core = round(timed_step(step("test-builds", "TEST_JOBS=1")), 1)
    shutil.rmtree(out / "build", ignore_errors=True)
    builds = round(timed_step(step("test-builds")), 1)  # as make test runs them; pytest reads this build
    pairs, slowest, counts = [], {}, {}
    for run in range(runs):
        pair = {}
        for mode, workers in (("serial", "0"), ("parallel", "auto")):
            junit, counted = out / f"junit-{mode}-{run}.xml", out / f"counts-{mode}-{run}"
            env = {"PYTEST_ADDOPTS": f"--junitxml={junit}", "PYTEST_COUNTS_DIR": str(counted)}
            pair[mode] = timed_step(step("pytest", f"PYTEST_WORKERS={workers}"), env=env)
            slowest[mode], counts[mode] = slowest_tests(junit), run_counts(counted)
        pairs.append((pair["serial"], pair["parallel"]))
    pytest_s = statistics.median(p for _s, p in pairs)
    return {
        "steps_s": {**steps, "pytest": round(pytest_s, 1)},
        "total_s": round(builds + pytest_s, 1),
        "builds_on_one_core_s": one_core,
        "builds_s": builds,
        "pytest_serial_s": round(statistics.median(s for s, _p in pairs), 1),
        "pytest_parallel_s": round(pytest_s, 1),
        "parallel_over_serial": round(statistics.median(p / s for s, p in pairs), 2),
        "pairs": [[round(s, 1), round(p, 1)] for s, p in pairs],
        "counts": counts,
        "slowest": slowest,
        "cpus": os.cpu_count(),
    }


def build_baseline() -> Path:
    """A one-page site with sphinx-book-theme's default settings."""
    src = BENCH / "baseline-src"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    (src / "conf.py").write_text('extensions = ["myst_parser"]\nhtml_theme = "sphinx_book_theme"\n', encoding="utf-8")
    page = TOUCHED_PAGE.read_text(encoding="utf-8")
    (src / "index.md").write_text(page, encoding="utf-8")
    out = BENCH / "baseline"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    return out


def measure_page(browser, url: str, runs: int) -> dict:
    fcps = []
    transfer = {}
    for attempt in range(runs):
        context = browser.new_context()  # empty cache: a first visit
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url, wait_until="networkidle")
        fcp = page.evaluate(
            "() => { const e = performance.getEntriesByName('first-contentful-paint')[0];"
            " return e ? e.startTime : null; }")
        fcps.append(fcp)
        if attempt == 0:
            transfer = transferred(responses)
        context.close()
    valid = [f for f in fcps if f is not None]
    return {**transfer, "fcp_ms": round(statistics.median(valid), 1) if valid else None}


def transferred(responses) -> dict:
    """Requests, bytes and bytes as gzip (text only, as a host serves it) of a page's responses."""
    raw = compressed = 0
    for response in responses:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            continue
        kind = response.headers.get("content-type", "")
        raw += len(body)
        compressed += len(gzip.compress(body, 6)) if any(t in kind for t in TEXT_TYPES) else len(body)
    return {"requests": len(responses), "bytes": raw, "gzip_bytes": compressed}


def first_visits(browser, urls: list[str], tabs: int = 4) -> dict[str, dict]:
    """url -> transferred() of a first visit, for many pages: loaded in a few tabs with the cache
    turned off (DevTools' Disable cache, Network.setCacheDisabled), which counts what
    measure_page's empty context counts (tests/browser/test_page_weight_limits.py checks that)
    at a third of its cost. The tabs load side by side, so that their waits for a quiet network
    (half a second each) overlap."""
    context = browser.new_context()
    pages = []
    for _ in range(min(tabs, len(urls))):
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        pages.append(page)
    found = {}
    for start in range(0, len(urls), len(pages)):
        loading = []
        for page, url in zip(pages, urls[start:start + len(pages)]):
            page.goto("about:blank")
            responses = []

            def record(response, responses=responses):
                responses.append(response)

            page.on("response", record)
            page.goto(url, wait_until="commit")
            loading.append((page, url, record, responses))
        for page, url, record, responses in loading:
            page.wait_for_load_state("networkidle")
            page.remove_listener("response", record)
            found[url] = transferred(responses)
    context.close()
    return found


def bench_pages(site: Path, baseline: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    results: dict = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        with serve(baseline) as base_url:
            results["baseline"] = measure_page(browser, base_url + "index.html", runs)
        pages = {}
        with serve(site) as url:
            for relative in site_pages(site):
                pages[relative] = measure_page(browser, url + relative, runs)
        browser.close()
    gz = sorted(pages.items(), key=lambda kv: kv[1]["gzip_bytes"])
    results["pages"] = pages
    results["summary"] = {
        "count": len(pages),
        "median_gzip_bytes": statistics.median(p["gzip_bytes"] for p in pages.values()),
        "median_bytes": statistics.median(p["bytes"] for p in pages.values()),
        "median_requests": statistics.median(p["requests"] for p in pages.values()),
        "median_fcp_ms": statistics.median(p["fcp_ms"] for p in pages.values() if p["fcp_ms"] is not None),
        "worst_gzip_page": gz[-1][0],
        "worst_gzip_bytes": gz[-1][1]["gzip_bytes"],
        "max_requests": max(p["requests"] for p in pages.values()),
        "max_requests_page": max(pages, key=lambda k: pages[k]["requests"]),
    }
    return results


KEYSTROKE_JS = """
async (query) => {
  const input = document.querySelector("#pst-search-dialog input[name=q]");
  input.value = query;
  const drawn = new Promise((resolve) => document.addEventListener("memo-search-drawn", resolve, {once: true}));
  const start = performance.now();
  input.dispatchEvent(new InputEvent("input", {bubbles: true, data: query.slice(-1), inputType: "insertText"}));
  await drawn;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - start;
}
"""


def bench_search(site: Path) -> dict:
    from playwright.sync_api import sync_playwright
    from search_queries import derive, forgiving

    sizes = {name: len(gzip.compress((site / "_static" / name).read_bytes(), 6))
             for name in ("memo-search-index.js", "memo-search.js")}
    pages, queries = derive(site)
    queries += forgiving(pages, site)
    with sync_playwright() as playwright, serve(site) as url:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 390, "height": 800}, device_scale_factor=2, is_mobile=True, has_touch=True)
        page.goto(url + "tensors/view-vs-reshape.html", wait_until="load")
        page.keyboard.press("Control+k")  # loads the index and the script
        page.wait_for_function("() => window.memoSearch && document.querySelector('#memo-search-as-you-type')")
        page.evaluate(KEYSTROKE_JS, "预热")  # the first search also prepares the index
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        # Per query, the median of three keystrokes: a single run on a shared machine is mostly scheduler noise.
        times = [statistics.median(page.evaluate(KEYSTROKE_JS, q.text) for _ in range(3)) for q in queries]
        browser.close()
    slowest = max(range(len(times)), key=times.__getitem__)
    return {
        "index_gzip_bytes": sizes["memo-search-index.js"],
        "script_gzip_bytes": sizes["memo-search.js"],
        "index_bytes": (site / "_static" / "memo-search-index.js").stat().st_size,
        "queries": len(queries),
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(times[slowest], 1),
        "slowest_query": queries[slowest].text,
        "requests_while_searching": len(requests),
    }


def report(result: dict) -> str:
    kb = 1000
    lines = ["", f"{'measure':<44}{'value':>14}{'target':>12}", "-" * 70]

    def row(name, value, target=""):
        lines.append(f"{name:<44}{value:>14}{target:>12}")

    if "doctest" in result:
        d = result["doctest"]
        row("doctest floor (plain doctest, 1 process)", f"{d['floor_s']} s")
        row("make doctest (warm)", f"{d['make_doctest_s']} s")
        row("make doctest / floor (median of pairs)", f"{d['ratio']}x", f"<= {TARGETS['doctest_ratio']}x")
        row(f"make doctest FILES={TOUCHED_PAGE.name}", f"{d['one_page_make_doctest_s']} s")
        row("one page / whole site (median of runs)", f"{d['one_page_share']}x")
        row("make doctest (clean)", f"{d['clean_make_doctest_s']} s")
    if "build" in result:
        b = result["build"]
        row("make html (clean)", f"{b['clean_html_s']} s")
        row("make html (no-op)", f"{b['noop_html_s']} s")
        row("make html (one page touched)", f"{b['incremental_html_s']} s")
        row("one page / no-op (median of pairs)", f"{b['incremental_ratio']}x", f"<= {TARGETS['incremental_ratio']}x")
    if "preview" in result:
        row("make serve: edit saved -> shown in browser", f"{result['preview']['edit_to_browser_s']} s",
            f"<= {TARGETS['preview_s']} s")
    if "pages" in result:
        s, base = result["pages"]["summary"], result["pages"]["baseline"]
        row(f"median page, gzip ({s['count']} pages)", f"{s['median_gzip_bytes'] / kb:.0f} KB",
            f"<= {TARGETS['median_gzip_kb']} KB")
        row("median page, uncompressed", f"{s['median_bytes'] / kb:.0f} KB")
        row(f"worst page, gzip ({s['worst_gzip_page']})", f"{s['worst_gzip_bytes'] / kb:.0f} KB",
            f"<= {TARGETS['max_gzip_kb']} KB")
        row("median requests", f"{s['median_requests']}")
        row(f"most requests ({s['max_requests_page']})", f"{s['max_requests']}", f"<= {TARGETS['max_requests']}")
        row("median first-contentful-paint", f"{s['median_fcp_ms']:.0f} ms")
        row("baseline default-theme page, gzip", f"{base['gzip_bytes'] / kb:.0f} KB")
        row("baseline uncompressed", f"{base['bytes'] / kb:.0f} KB")
        row("baseline requests", f"{base['requests']}")
        row("baseline first-contentful-paint", f"{base['fcp_ms']:.0f} ms")
    if "search" in result:
        q = result["search"]
        row("search index, gzip", f"{q['index_gzip_bytes'] / kb:.0f} KB", f"<= {TARGETS['search_index_gzip_kb']} KB")
        row("search script, gzip", f"{q['script_gzip_bytes'] / kb:.1f} KB")
        row(f"search keystroke -> drawn, median ({q['queries']} q)", f"{q['median_ms']:.1f} ms", f"<= {TARGETS['search_median_ms']} ms")
        row("search keystroke -> drawn, max", f"{q['max_ms']:.1f} ms", f"<= {TARGETS['search_max_ms']} ms")
        row("requests while searching", f"{q['requests_while_searching']}", "0")
    if "book" in result:
        k = result["book"]
        row("make pdf (after the HTML build)", f"{k['make_pdf_s']} s")
        row("make epub (after the HTML build)", f"{k['make_epub_s']} s")
        row("epubcheck", f"{k['epubcheck_s']} s")
        row("make pdf + make epub + epubcheck", f"{k['make_pdf_s'] + k['make_epub_s'] + k['epubcheck_s']:.1f} s", "<= 180 s")
        row("memo.pdf", f"{k['pdf_pages']} pages, {k['pdf_bytes'] / kb:.0f} KB")
        row("memo.epub", f"{k['epub_bytes'] / kb:.0f} KB")
    if "test" in result:
        m = result["test"]
        for name, seconds in m["steps_s"].items():
            row(f"make {name}", f"{seconds} s")
        row("make test (its builds, then pytest on every core)", f"{m['total_s']} s", "<= 360 s")
        row("its builds one after another (make test-builds TEST_JOBS=1)", f"{m['builds_on_one_core_s']} s")
        row("its builds as make test runs them (doctest beside the book)", f"{m['builds_s']} s")
        row("pytest in one process (-p no:xdist)", f"{m['pytest_serial_s']} s")
        row(f"pytest on every core (-n auto, {m['cpus']} CPUs)", f"{m['pytest_parallel_s']} s")
        row("parallel / serial (median of pairs)", f"{m['parallel_over_serial']}x")
        for mode in ("serial", "parallel"):
            for name, value in m["counts"].get(mode, {}).items():
                row(f"{mode}: {name}", f"{value}")
        for seconds, name in m["slowest"].get("parallel", [])[:10]:
            lines.append(f"  {seconds:>7} s  {name}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median is reported)")
    parser.add_argument("--only", choices=["doctest", "build", "preview", "pages", "search", "book", "test"], action="append",
                        help="measure only these parts (repeatable; test only runs when named)")
    parser.add_argument("--test-runs", type=int, default=1, help="pairs of serial and parallel pytest runs (test)")
    args = parser.parse_args()
    parts = args.only or ["doctest", "build", "preview", "pages", "search", "book"]
    BENCH.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    result: dict = {"runs": args.runs, "machine": {"cpus": os.cpu_count()}}
    if "doctest" in parts:
        result["doctest"] = bench_doctest(args.runs)
    if "build" in parts:
        result["build"] = bench_build(args.runs)
    if "preview" in parts:
        result["preview"] = bench_preview(args.runs)
    if "pages" in parts:
        site = BENCH / "site" / "html"
        if not (site / "index.html").exists():
            subprocess.run(make("html"), cwd=ROOT, check=True, capture_output=True)
        result["pages"] = bench_pages(site, build_baseline(), max(1, args.runs // 2))
    if "test" in parts:
        result["test"] = bench_test(args.test_runs)
    if "search" in parts:
        site = BENCH / "site" / "html"
        if not (site / "index.html").exists():
            subprocess.run(make("html"), cwd=ROOT, check=True, capture_output=True)
        result["search"] = bench_search(site)
    if "book" in parts:
        result["book"] = bench_book(args.runs)
    out = ROOT / "_build" / "bench.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print(report(result))
    print(f"\nFull results in {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
