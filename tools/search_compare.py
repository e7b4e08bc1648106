"""Compare search engines on the query set derived from a built site (tools/search_queries.py).

Each engine answers every derived query in Chromium; the same check as the browser
test (tests/browser/test_search.py) counts how many find their page in the top 3.

* memo: this site's search (_ext/zh_search.py + memo-search.js): substring match of
  each term in the page text, title/heading ranking.
* sphinx: Sphinx 9's searchtools.js on its jieba index, as the site shipped it before
  (with the stemmer fix the old _ext/zh_search.py installed). The site no longer
  writes that index (conf.py), so this script builds the pages once more with
  `html_search_language = "zh"` and serves that build to every engine.
* vocabulary: the query cut into the index's own terms (longest match first), then
  searched with Sphinx.
* bigram: an index of character bigrams (CJK) and words (Latin) of the same page
  text; every bigram of the query must occur (AND), ranked by title/heading bigrams.
* pagefind: Pagefind (extended, CJK segmentation) over the same pages' articles, when
  `--pagefind` names a pagefind executable (for example from `pip install pagefind[extended]`);
  it is not a project dependency.

Usage: python tools/search_compare.py [--pagefind PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from search_queries import derive, recall_report, summary  # tools/, this script's folder
from site_browser import launch, serve

MEMO_JS = """
(queries) => queries.map((q) => memoSearch.search(q).results.map((r) => r.page.url.replace(/\\.html$/, "")))
"""

LOAD_SPHINX_JS = """
async () => {
  const source = await (await fetch("_static/language_data.js")).text();
  (0, eval)(source.replace("window.Stemmer = ChineseStemmer;", "window.Stemmer = EnglishStemmer;"));
  for (const src of ["_static/searchtools.js", "searchindex.js"]) {
    await new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.append(s);
    });
  }
}
"""

SPHINX_JS = """
(queries) => queries.map((q) => {
  const found = Search._performSearch(...Search._parseQuery(q));
  return [...new Set(found.reverse().map((r) => r[0]))];
})
"""

VOCABULARY_JS = """
(queries) => {
  const vocabulary = new Set([...Object.keys(Search._index.terms), ...Object.keys(Search._index.titleterms)]);
  const cut = (text) => text.replace(/[\\u3400-\\u9fff]+/g, (run) => {
    const words = [];
    for (let i = 0; i < run.length;) {
      let n = Math.min(8, run.length - i);
      while (n > 1 && !vocabulary.has(run.slice(i, i + n))) n--;
      words.push(run.slice(i, i + n));
      i += n;
    }
    return " " + words.join(" ") + " ";
  });
  return queries.map((q) => {
    const found = Search._performSearch(...Search._parseQuery(cut(q)));
    return [...new Set(found.reverse().map((r) => r[0]))];
  });
}
"""

BIGRAM_JS = """
(queries) => {
  const fold = memoSearch.fold;
  const grams = (text) => {
    const out = new Set();
    for (const [word] of fold(text).matchAll(/[\\u3400-\\u9fff]+|[a-z0-9_]+/g)) {
      if (!/[\\u3400-\\u9fff]/.test(word) || word.length === 1) out.add(word);
      else for (let i = 0; i + 2 <= word.length; i++) out.add(word.slice(i, i + 2));
    }
    return out;
  };
  const pages = memoSearchIndex.pages.map((p, order) => ({
    name: p.u.replace(/\\.html$/, ""), nav: !!p.n, order, title: grams(p.t),
    headings: grams(p.s.map((s) => s[1]).join(" ")),
    all: grams([p.t, ...p.s.flat(), ...(p.k || []).map((k) => k[0])].join(" ")),
  }));
  return queries.map((q) => {
    const want = [...grams(q)];
    if (!want.length) return [];
    return pages.filter((p) => want.every((g) => p.all.has(g)))
      .map((p) => ({p, score: want.filter((g) => p.title.has(g)).length * 10 + want.filter((g) => p.headings.has(g)).length * 5}))
      .sort((a, b) => (a.p.nav - b.p.nav) || (b.score - a.score) || (a.p.order - b.p.order))
      .map((r) => r.p.name);
  });
}
"""

PAGEFIND_JS = """
async (queries) => {
  const pagefind = await import("./pagefind/pagefind.js");
  await pagefind.init();
  const out = [];
  for (const q of queries) {
    const found = await pagefind.search(q);
    const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
    out.push(data.map((d) => new URL(d.url, location.href).pathname.replace(/^\\/memo\\//, "").replace(/(^|\\/)$/, "$1index").replace(/\\.html$/, "")));
  }
  return out;
}
"""


def as_found(names: list[str], pages) -> dict:
    return {"partial": False, "results": [
        {"page": n, "nav": pages[n].navigation if n in pages else False, "marked": True, "snippet": ""} for n in names]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pagefind", help="pagefind_extended executable (or 'python -m pagefind' via PATH)")
    args = parser.parse_args()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "sphinx", "-q", "-c", str(ROOT), "-b", "html", "-D", "html_search_language=zh",
                        str(ROOT / "docs"), str(site)], check=True)
        pages, queries = derive(site)
        texts = [q.text for q in queries]
        if args.pagefind:
            subprocess.run([*args.pagefind.split(), "--site", str(site), "--root-selector", "article.bd-article",
                            "--exclude-selectors", ".headerlink", "--exclude-selectors", ".no-search",
                            "--exclude-selectors", ".cite-section", "--silent"], check=True)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright, serve(site) as url:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(url + "search.html", wait_until="load")
            engines = {"memo": page.evaluate(MEMO_JS, texts), "bigram": page.evaluate(BIGRAM_JS, texts)}
            page.evaluate(LOAD_SPHINX_JS)
            engines["sphinx"] = page.evaluate(SPHINX_JS, texts)
            engines["vocabulary"] = page.evaluate(VOCABULARY_JS, texts)
            if args.pagefind:
                engines["pagefind"] = page.evaluate(PAGEFIND_JS, texts)
            browser.close()
    for engine, answers in engines.items():
        counts, problems = recall_report(pages, queries, [as_found(a, pages) for a in answers])
        ok = sum(c[0] for c in counts.values())
        results[engine] = {"passed": ok, "total": len(queries), "by_kind": counts, "examples": problems[:8]}
        print(f"{engine:<11} {ok:>5}/{len(queries)} ({100 * ok / len(queries):.1f}%)  {summary(counts)}")
    out = ROOT / "_build" / "search-compare.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"Failures per engine (first 8 each) in {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
