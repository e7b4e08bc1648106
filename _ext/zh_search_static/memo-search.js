/* Search for the 备忘录 site (replaces Sphinx's searchtools.js on search.html).
 *
 * The index (memo-search-index.js, written by _ext/zh_search.py) holds the text of
 * every page, section by section. A query is split at blanks into terms; a page is a
 * result when every term occurs in it as written (case and full-width letters
 * ignored). Chinese needs no word splitting this way: any string on a page finds it.
 * Ranking: title > heading > glossary name > mentions. Navigation pages (home, memo
 * map…) come after every content page unless the query is exactly one of their headings.
 * When nothing contains a term as written, its overlapping two-character pieces are
 * matched instead, and pages holding most of them are offered as partial matches.
 *
 * memoSearch.search(query) returns the ranked results without touching the page,
 * so tests and the benchmark can run many queries through the same code.
 */
(function () {
  "use strict";

  const TITLE = 100, HEADING = 60, NAME = 45, NAME_EXACT = 15, MENTION = 10;
  const SNIPPET_BEFORE = 50, SNIPPET_AFTER = 90;
  const SENTENCE_END = /[。！？；!?;\n]/;
  const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

  // Lower case and full-width ASCII folded to ASCII; keeps the length, so positions
  // found in the folded text are positions in the original.
  const fold = (text) => text.toLowerCase().replace(/[\uff01-\uff5e]/g,
    (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

  let pages = null;
  function load() {
    if (pages) return pages;
    pages = window.memoSearchIndex.pages.map((page, order) => ({
      url: page.u, title: page.t, nav: !!page.n, order,
      titleF: fold(page.t),
      sections: page.s.map(([id, heading, text]) => ({id, heading, text, headingF: fold(heading), textF: fold(text)})),
      names: (page.k || []).map(([names, definition, href]) => ({
        names: names.split("\n"), namesF: fold(names).split("\n"), definition, definitionF: fold(definition), href})),
    }));
    return pages;
  }

  function terms(query) {
    return [...new Set(fold(query).split(/[\s,，、;；]+/).filter(Boolean))];
  }

  const count = (text, term) => {
    let n = 0;
    for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) n++;
    return n;
  };

  // How well `term` matches `page`: {score, section, name}; null when it does not occur.
  function matchTerm(page, term) {
    let best = null;
    const offer = (score, section, name) => { if (!best || score > best.score) best = {score, section, name}; };
    if (page.titleF.includes(term)) offer(TITLE + (page.titleF === term ? 20 : 0), 0, null);
    page.sections.forEach((s, i) => { if (i && s.headingF.includes(term)) offer(HEADING + (s.headingF === term ? 20 : 0), i, null); });
    for (const name of page.names) {
      if (name.namesF.some((n) => n.includes(term))) offer(NAME + (name.namesF.includes(term) ? NAME_EXACT : 0), -1, name);
    }
    let mentions = 0, busiest = -1, most = 0;
    page.sections.forEach((s, i) => {
      const n = count(s.textF, term);
      mentions += n;
      if (n > most) { most = n; busiest = i; }
    });
    if (mentions) {
      if (best) best.score += Math.min(mentions, 20) / 2;
      else offer(MENTION + Math.min(mentions, 20) / 2, busiest, null);
    }
    return best;
  }

  const bigrams = (term) => {
    if (term.length < 3 || !CJK.test(term)) return [term];
    const grams = [];
    for (let i = 0; i + 2 <= term.length; i++) grams.push(term.slice(i, i + 2));
    return grams;
  };

  function rank(results, query) {
    const named = (page) => page.titleF === query || page.sections.some((s) => s.headingF === query);
    const last = (r) => (r.page.nav && !named(r.page) ? 1 : 0);
    return results.sort((a, b) => (last(a) - last(b)) || (b.score - a.score) || (a.page.order - b.page.order));
  }

  // Every term as written, in every page; else the pages holding at least half of the pieces.
  function search(query) {
    const wanted = terms(query);
    if (!wanted.length) return {terms: [], results: [], partial: false};
    let results = [];
    for (const page of load()) {
      const matches = wanted.map((term) => matchTerm(page, term));
      if (matches.every(Boolean)) results.push(phrase(result(page, matches, wanted), fold(query).trim(), wanted));
    }
    if (results.length) return {terms: wanted, results: rank(results, fold(query).trim()), partial: false};
    const pieces = [...new Set(wanted.flatMap(bigrams))];
    for (const page of pages) {
      const found = pieces.filter((piece) => matchTerm(page, piece));
      if (found.length * 2 >= pieces.length) {
        const matches = found.map((piece) => matchTerm(page, piece));
        const r = result(page, matches, found);
        r.score += 1000 * found.length / pieces.length;
        results.push(r);
      }
    }
    return {terms: pieces, results: rank(results, fold(query).trim()), partial: true};
  }

  // Several terms that stand together in the title or a heading, as typed ("a 与 an").
  function phrase(r, query, wanted) {
    if (wanted.length < 2) return r;
    if (r.page.titleF.includes(query)) r.score += TITLE;
    else if (r.page.sections.some((s) => s.headingF.includes(query))) r.score += HEADING;
    return r;
  }

  function result(page, matches, wanted) {
    const top = matches.reduce((a, b) => (b.score > a.score ? b : a));
    const section = top.section >= 0 ? page.sections[top.section] : page.sections[0];
    return {
      page, score: matches.reduce((sum, m) => sum + m.score, 0),
      url: page.url + (top.section > 0 && section.id ? "#" + section.id : ""),
      heading: top.section > 0 ? section.heading : "",
      snippet: snippet(page, top, wanted),
    };
  }

  // The sentence around the first match in the body text, looking from the matched
  // section on; else the glossary entry that named the page; else the section's opening.
  function snippet(page, top, wanted) {
    const from = Math.max(top.section, 0);
    const sections = [...page.sections.slice(from), ...page.sections.slice(0, from)];
    for (const s of sections) {
      const hit = around(s.text, s.textF, wanted);
      if (hit.found) return hit;
    }
    const named = top.name || page.names.find((n) => wanted.some((t) => n.namesF.some((f) => f.includes(t))));
    if (named) {
      const name = named.names.find((n) => wanted.some((t) => fold(n).includes(t))) || named.names[0];
      const text = name + "：" + named.definition;
      return {prefix: "术语表 · ", ...around(text, fold(text), wanted)};
    }
    const first = sections.find((s) => s.text) || {text: "", textF: ""};
    return around(first.text, first.textF, wanted);
  }

  function around(text, textF, wanted) {
    let at = -1, length = 0;
    for (const term of wanted) {
      const i = textF.indexOf(term);
      if (i >= 0 && (at < 0 || i < at)) { at = i; length = term.length; }
    }
    const found = at >= 0;
    if (!found) { at = 0; length = 0; }
    let start = Math.max(0, at - SNIPPET_BEFORE), end = Math.min(text.length, at + length + SNIPPET_AFTER);
    for (let i = at - 1; i >= start; i--) if (SENTENCE_END.test(text[i])) { start = i + 1; break; }
    for (let i = at + length; i < end; i++) if (SENTENCE_END.test(text[i])) { end = i + 1; break; }
    const part = text.slice(start, end).replace(/\n/g, " ").trim();
    return {found, text: part, before: start > 0, after: end < text.length, marks: marks(fold(part), wanted)};
  }

  // [start, end) ranges of every term in the snippet, merged.
  function marks(partF, wanted) {
    const ranges = [];
    for (const term of wanted) {
      for (let at = partF.indexOf(term); at >= 0; at = partF.indexOf(term, at + 1)) ranges.push([at, at + term.length]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([...r]);
    }
    return merged;
  }

  // -- drawing -------------------------------------------------------------------

  function element(tag, props, ...children) {
    const el = document.createElement(tag);
    Object.assign(el, props);
    el.append(...children);
    return el;
  }

  function highlighted(snip) {
    const p = element("p", {className: "context"});
    if (snip.prefix) p.append(element("span", {className: "search-prefix"}, snip.prefix));
    if (snip.before) p.append("…");
    let at = 0;
    for (const [start, end] of snip.marks) {
      p.append(snip.text.slice(at, start), element("mark", {}, snip.text.slice(start, end)));
      at = end;
    }
    p.append(snip.text.slice(at));
    if (snip.after) p.append("…");
    return p;
  }

  function draw(query) {
    const container = document.getElementById("search-results");
    const found = search(query);
    const list = element("ul", {className: "search"});
    for (const r of found.results) {
      const link = element("a", {href: r.url}, r.page.title);
      const li = element("li", {}, link);
      if (r.heading) li.append(element("span", {className: "search-section"}, " › " + r.heading));
      li.append(highlighted(r.snippet));
      list.append(li);
    }
    const n = found.results.length;
    const summary = !found.terms.length ? "请输入要搜索的词。"
      : !n ? `没有找到包含“${query}”的页面。`
      : found.partial ? `没有页面包含完整的“${query}”；以下 ${n} 个页面包含其中的大部分字词。`
      : `找到 ${n} 个包含“${query}”的页面。`;
    container.replaceChildren(
      element("h2", {}, "搜索结果"), element("p", {className: "search-summary"}, summary), list);
    document.dispatchEvent(new CustomEvent("memo-search-drawn", {detail: {query, count: n}}));
  }

  function start() {
    const query = new URLSearchParams(location.search).get("q") || "";
    const forms = document.querySelectorAll("form.bd-search");
    for (const form of forms) {
      const input = form.querySelector("input[name=q]");
      if (input && query) input.value = query;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const typed = input ? input.value : "";
        try { history.pushState(null, "", "?q=" + encodeURIComponent(typed)); } catch (e) { /* some file:// pages */ }
        draw(typed);
      });
    }
    window.addEventListener("popstate", () => draw(new URLSearchParams(location.search).get("q") || ""));
    if (query) draw(query);
  }

  window.memoSearch = {search, terms, fold};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
