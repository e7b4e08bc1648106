/* Search for the 备忘录 site: the search page (search.html) and results as you type
 * in the Ctrl+K dialog of every page (memo-search-loader.js loads this file there).
 *
 * The index (memo-search-index.js, written by _ext/zh_search.py) holds the text of
 * every page, section by section, and the glossary's entries. A query is cut into
 * terms: at blanks and punctuation, between Chinese and Latin characters, and, for a
 * Chinese run that no page contains, at question words (为什么, 怎么, 区别, 的, 和…)
 * and then into the longest pieces some page contains. Each term may also match as
 *   - a Chinese term with one character left out (不包含 finds 不含);
 *   - a Latin word of 4 or more characters one edit (insert, delete, substitute,
 *     swap two neighbours) away from a word of the index (layernrom: layernorm);
 *   - a glossary name or 又称 of an entry that links to the page.
 * A page's score adds, for every term it holds, the term's weight (question words
 * and words on most pages weigh little) times where it stands (title > glossary name
 * > heading > text); a corrected or partial match counts less than the exact one.
 * So a page holding most of the query ranks above one holding a single word, and
 * no word is required. Navigation pages (home, memo map…) come after every content
 * page unless the query is exactly one of their headings. Each result links to its
 * best-matching section (#label, ?highlight= for the words found, which Sphinx's
 * sphinx_highlight.js marks on the landed page) and shows the sentence around the
 * match. Text from the index is only ever inserted as text, never as markup.
 *
 * memoSearch.search(query) returns the ranked results without touching the page,
 * so tests and the benchmark run many queries through the same code.
 */
(function () {
  "use strict";

  const FIELD = {title: 100, nameExact: 90, name: 70, heading: 60, definition: 12, entry: 8, text: 0};
  const PHRASE = {title: 80, heading: 60, entry: 10, text: 25};
  const QUALITY = {exact: 1, dropped: 0.75, typo: 0.7, overlap: 0.55};
  const STOP_WEIGHT = 0.12, SEGMENT = 90;
  // Question words count little, always; function words count little unless the query has nothing else.
  const QUESTION_WORDS = [
    "为什么", "为啥", "怎么办", "怎么样", "怎么回事", "怎么", "怎样", "如何", "区别", "差别", "不同", "什么是",
    "是什么", "什么", "哪些", "哪个", "有没有", "能不能", "可以", "请问", "一下", "吗", "呢", "吧", "啊",
    "how", "why", "what", "difference", "between", "vs",
  ];
  const FUNCTION_WORDS = ["的", "和", "与", "跟", "及", "或", "是", "了", "在", "有", "用", "and", "or", "the", "a", "an", "of", "is", "to", "in"];
  const STOP_WORDS = [...QUESTION_WORDS, ...FUNCTION_WORDS].sort((a, b) => b.length - a.length);
  const STOP = new Set(STOP_WORDS), QUESTION = new Set(QUESTION_WORDS);
  // A query cut where a question joins its parts: "X 和 Y 的区别", "为什么 X".
  const JOINS = /\s*(?:为什么|为啥|怎么办|怎么样|怎么回事|怎么|怎样|如何|有什么区别|有什么不同|的区别|的不同|区别|什么是|是什么|和|跟|\bvs\b\.?)\s*/;
  const LATIN_STOP = new RegExp("(?<![a-z0-9_])(?:" + STOP_WORDS.filter((w) => !/[\u3400-\u9fff]/.test(w)).join("|") + ")(?![a-z0-9_])", "g");
  const CJK_STOP = new RegExp(STOP_WORDS.filter((w) => /[\u3400-\u9fff]/.test(w)).join("|"), "g");
  // What is left of a heading or a part of the query without question and function words and blanks.
  const core = (textF) => textF.replace(LATIN_STOP, "").replace(CJK_STOP, "").replace(/[\s?？。，,、!！:：]+/g, "")
    || textF.replace(/\s+/g, "");
  const SNIPPET_BEFORE = 50, SNIPPET_AFTER = 90, SNIPPET_MIN = 36;
  const SENTENCE_END = /[。！？；!?;\n]/;
  const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  const CJK_RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+/g;
  const WORD = /[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*/g;
  const SPLIT = /[\s,、;。?!"“”‘’《》「」【】]+|:(?=\s|$)/;
  const MAX_RESULTS = 50;

  // Lower case and full-width ASCII folded to ASCII; keeps the length, so positions
  // found in the folded text are positions in the original.
  const fold = (text) => text.toLowerCase().replace(/[\uff01-\uff5e]/g,
    (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

  // -- the index, prepared once ----------------------------------------------------

  let pages = null, all = "", vocabulary = null, tokens = null, glossaryUrl = "";
  const TOKEN = /[!-~]+/g;  // runs of printable ASCII: code as written (keepdim=True, view())
  function load() {
    if (pages) return pages;
    const index = window.memoSearchIndex;
    const section = ([id, heading, text], entry) => ({
      id, heading, text, headingF: fold(heading), textF: fold(text), headingCore: core(fold(heading)), entry: entry || null});
    pages = index.pages.map((page, order) => ({
      url: page.u, title: page.t, nav: !!page.n, order, titleF: fold(page.t), names: [],
      sections: page.s.map((s) => section(s))}));
    const byUrl = new Map(pages.map((page) => [page.url, page]));
    for (const [names, definition, href, ...targets] of index.g || []) {
      const entry = {names: names.split("\n"), namesF: fold(names).split("\n"), definition, definitionF: fold(definition), href};
      const [glossary, termId] = href.split("#");
      glossaryUrl = glossary;
      const home = byUrl.get(glossary);
      if (home) home.sections.push(section([termId, entry.names.join(" / "), definition], entry));
      for (const target of targets) {
        const [url, label] = target.split("#");
        const page = byUrl.get(url);
        if (!page) continue;
        const at = page.sections.findIndex((s) => s.id && s.id === label);
        page.names.push({...entry, section: at > 0 ? at : 0});
      }
    }
    const texts = [];
    vocabulary = new Map();
    tokens = new Map();
    for (const page of pages) {
      const words = new Set();
      const strings = [page.titleF, ...page.sections.flatMap((s) => [s.headingF, s.textF]), ...page.names.flatMap((n) => n.namesF)];
      for (const text of strings) {
        texts.push(text);
        for (const token of text.match(TOKEN) || []) {
          for (const piece of token.split(/[;,'"`]+|\((?!\))/)) {
            const trimmed = piece.replace(/^[(\[{]+/, "").replace(/[.:]+$/, "");
            for (const form of [trimmed, trimmed.replace(/[)\]}]+$/, ""), trimmed.replace(/^\w+\./, ""), trimmed.replace(/\.\w+$/, "")]) {
              if (form.length >= 4 && form.length <= 48) words.add("\u0002" + form);
            }
          }
        }
        for (const word of text.match(WORD) || []) {
          words.add(word);
          for (const part of word.split(/[._]/)) if (part.length >= 2) words.add(part);
        }
      }
      for (const word of words) {
        const table = word[0] === "\u0002" ? tokens : vocabulary, key = word[0] === "\u0002" ? word.slice(1) : word;
        table.set(key, (table.get(key) || 0) + 1);
      }
    }
    all = texts.join("\u0001");
    for (const page of pages) page.allF = page.sections.map((s) => s.headingF + "\u0001" + s.textF).join("\u0001");
    return pages;
  }

  // -- the query as terms ----------------------------------------------------------

  const occurs = (text) => all.includes(text);

  // A Chinese run no page contains: cut at question words, then into the longest
  // pieces that some page contains (验证集测试集 -> 验证集, 测试集).
  function cutRun(run) {
    const pieces = [];
    let rest = "";
    for (let i = 0; i < run.length;) {
      const stop = STOP_WORDS.find((w) => CJK.test(w) && run.startsWith(w, i));
      if (stop) {
        if (rest) pieces.push(rest);
        pieces.push(stop);
        rest = "";
        i += stop.length;
      } else {
        rest += run[i++];
      }
    }
    if (rest) pieces.push(rest);
    const out = [];
    for (const piece of pieces) {
      if (STOP.has(piece) || piece.length <= 2 || occurs(piece)) { out.push(piece); continue; }
      let i = 0;
      while (i < piece.length) {
        let length = Math.min(piece.length - i, 8);
        while (length > 1 && !occurs(piece.slice(i, i + length))) length--;
        if (length === 1 && out.length && out[out.length - 1].length === 1 && !STOP.has(out[out.length - 1])) {
          out[out.length - 1] += piece[i];  // keep unknown characters together: they match by overlap
        } else {
          out.push(piece.slice(i, i + length));
        }
        i += length;
      }
    }
    return out;
  }

  function terms(query) {
    const seen = new Set(), out = [];
    const add = (text, whole) => {
      if (!text || seen.has(text)) return;
      seen.add(text);
      out.push({text, stop: STOP.has(text), question: QUESTION.has(text), whole,
        short: !CJK.test(text) && text.length <= 3 && /^[a-z0-9_]+$/.test(text)});
    };
    const chunks = fold(query).split(SPLIT).filter(Boolean);
    const stopOnly = (chunk) => (CJK.test(chunk) ? !chunk.replace(CJK_STOP, "").trim() : STOP.has(chunk));
    const nothingElse = chunks.every(stopOnly);  // 用在: then the words as written
    for (const chunk of chunks) {
      const onlyStopWords = !nothingElse && CJK.test(chunk) && stopOnly(chunk);
      if (!CJK.test(chunk) || (occurs(chunk) && !onlyStopWords)) { add(chunk, true); continue; }
      for (const run of chunk.match(CJK_RUNS)) {
        const trimmed = run.replace(/^[^\w\u3400-\u9fff]+|[^\w\u3400-\u9fff()\]]+$/g, "");
        if (!trimmed) continue;
        if (!CJK.test(trimmed) || (occurs(trimmed) && trimmed.replace(CJK_STOP, ""))) add(trimmed, false);
        else cutRun(trimmed).forEach((piece) => add(piece, false));
      }
    }
    return out;
  }

  // Damerau (optimal string alignment) distance of at most one.
  function oneEdit(a, b) {
    if (a === b) return false;
    const la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    let i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  function distance(a, b) {  // plain Levenshtein, for suggestions
    let previous = Array.from({length: b.length + 1}, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) {
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      previous = row;
    }
    return previous[b.length];
  }

  // Words of the index one edit away from `word`, most frequent first.
  function corrections(word, typed) {
    const found = [];
    for (const [candidate, pagesWith] of tokens) {
      if (oneEdit(typed, candidate)) found.push([candidate, pagesWith + 1000]);  // the token as typed, punctuation and all
    }
    for (const [candidate, pagesWith] of found.length ? [] : vocabulary) {
      if (candidate.length >= 4 && oneEdit(word, candidate) && !found.some(([f]) => f === candidate)) found.push([candidate, pagesWith]);
    }
    const swapped = (c) => c.length === word.length && [...c].sort().join("") === [...word].sort().join("");
    found.sort((a, b) => (swapped(b[0]) - swapped(a[0])) || (b[1] - a[1]) || (a[0] < b[0] ? -1 : 1));
    // Two neighbours swapped is the commonest slip: then that word alone.
    return found.slice(0, found.length && swapped(found[0][0]) ? 1 : 3).map(([candidate]) => candidate);
  }

  // The strings a term matches as: itself, then its forgiving forms.
  function alternatives(term) {
    const text = term.text;
    const out = [{text, quality: QUALITY.exact, kind: "exact",
      re: term.short ? new RegExp("(?<![a-z0-9_])" + text + "(?![a-z0-9_])", "g") : null}];
    if (term.stop) return out;
    const stem = text.replace(/^[^a-z0-9_]+|[^a-z0-9_]+$/g, "").replace(/\(.*$/, "");
    if (!CJK.test(text) && text.length >= 4 && /^[!-~]+$/.test(text) && !occurs(text)) {
      corrections(stem, text).forEach((word, rank) => out.push({text: word, quality: QUALITY.typo - rank * 0.01, kind: "typo"}));
    }
    if (CJK.test(text) && text.length >= 3) {
      const dropped = new Set();
      for (let i = 0; i < text.length; i++) dropped.add(text.slice(0, i) + text.slice(i + 1));
      for (const d of dropped) {
        if ((d.length >= 3 || !occurs(text)) && d !== text && CJK.test(d) && !STOP.has(d) && occurs(d)) out.push({text: d, quality: QUALITY.dropped, kind: "dropped"});
      }
    }
    return out;
  }

  const bigramsOf = (text) => {
    const grams = new Set();
    for (let i = 0; i + 2 <= text.length; i++) if (CJK.test(text[i]) || CJK.test(text[i + 1])) grams.add(text.slice(i, i + 2));
    return [...grams];
  };

  const countIn = (text, needle, cap) => {
    let n = 0;
    for (let at = text.indexOf(needle); at >= 0 && n < cap; at = text.indexOf(needle, at + needle.length)) n++;
    return n;
  };

  // -- matching --------------------------------------------------------------------

  // How well one term matches one page: {value, section, words, kind}; null if not at all.
  function matchTerm(page, term, alts) {
    let best = null;
    const sectionValues = new Array(page.sections.length).fill(0);
    const words = new Set(), forgiven = new Set();
    const offer = (value, section, alt) => {
      if (value > sectionValues[section]) sectionValues[section] = value;
      if (!best || value > best.value) best = {value, section, kind: alt.kind, alt: alt.text};
    };
    for (const alt of alts) {
      if (!alt.present) continue;
      const q = alt.quality * 100;
      const has = alt.re ? (str) => { alt.re.lastIndex = 0; return alt.re.test(str); } : (str) => str.includes(alt.text);
      page.sections.forEach((s, i) => {
        if (alt.kind === "dropped") {
          if (has(s.headingF) || has(s.textF)) { offer(q, i, alt); forgiven.add(alt.text); }
          return;
        }
        if (has(s.headingF)) {
          const field = s.entry ? FIELD.entry : i === 0 ? FIELD.title : FIELD.heading;
          offer(alt.quality * (100 + field + (s.headingF === alt.text && !s.entry ? 10 : 0)), i, alt);
          (alt.kind === "exact" ? words : forgiven).add(alt.text);
        }
        const n = !s.textF ? 0 : alt.re ? Math.min(8, (s.textF.match(alt.re) || []).length) : countIn(s.textF, alt.text, 8);
        if (n) {
          offer(q + alt.quality * Math.min(10, 3 * Math.log2(1 + n)), i, alt);
          (alt.kind === "exact" ? words : forgiven).add(alt.text);
        }
      });
      for (const name of alt.kind === "dropped" ? [] : page.names) {
        const exact = name.namesF.includes(alt.text);
        if (exact || name.namesF.some(has)) {
          offer(alt.quality * (100 + (exact ? FIELD.nameExact : FIELD.name)), name.section, alt);
          (alt.kind === "exact" ? words : forgiven).add(alt.text);
        } else if (alt.rare && has(name.definitionF)) {  // a rare phrase of the entry's definition: its page above the glossary
          offer(alt.quality * (100 + FIELD.definition), name.section, alt);
        }
      }
    }
    if (!best && term.grams && term.grams.length >= 2) {  // a Chinese phrase by character overlap
      page.sections.forEach((s, i) => {
        const where = s.headingF + "\n" + s.textF;
        const hits = term.grams.filter((g) => where.includes(g));
        const share = hits.length / term.grams.length;
        if (share >= 0.5) {
          offer(QUALITY.overlap * share * 100, i, {kind: "overlap", text: term.text});
          hits.forEach((g) => words.add(g));
        }
      });
    }
    if (best) best.sections = sectionValues, best.words = words.size ? words : forgiven;
    return best;
  }

  function search(query) {
    load();
    const wanted = terms(query);
    const empty = {terms: [], results: [], partial: false, suggestion: null, suggestions: []};
    if (!wanted.length) return empty;
    const content = pages.filter((p) => !p.nav).length || 1;
    for (const term of wanted) {
      term.alts = alternatives(term);
      for (const alt of term.alts) {
        alt.present = occurs(alt.text);
        // Written only in the glossary: the pages its entries explain stand for it.
        alt.rare = alt.present && alt.text.length >= 3 && !pages.some((p) => !p.nav && p.url !== glossaryUrl && p.allF.includes(alt.text));
      }
      const exactly = term.alts[0].present;
      term.grams = !exactly && !term.stop && CJK.test(term.text) && term.text.length >= 3
        ? bigramsOf(term.text).filter(occurs) : null;
      if (term.grams && term.grams.length < 2) term.grams = null;
    }
    const perPage = [];
    for (const page of pages) {
      const matches = wanted.map((term) => matchTerm(page, term, term.alts));
      perPage.push([page, matches]);
      matches.forEach((m, i) => { if (m && m.kind === "exact") wanted[i].pagesWith = (wanted[i].pagesWith || 0) + (page.nav ? 0 : 1); });
    }
    const onlyStop = wanted.every((t) => t.stop);
    const onlyQuestion = wanted.every((t) => t.question);
    for (const term of wanted) {
      // Words on most pages weigh less than rare ones; question words least.
      const idf = Math.log(1 + content / Math.max(1, term.pagesWith || 0)) / Math.log(1 + content);
      const little = term.question ? !onlyQuestion : term.stop && !onlyStop;
      term.weight = little ? STOP_WEIGHT : 0.2 + 0.8 * idf;
    }
    const phrase = fold(query).trim().replace(/\s+/g, " ");
    const segments = [...new Set([phrase, ...phrase.split(JOINS)].map(core).filter(Boolean))];
    const results = [];
    for (const [page, matches] of perPage) {
      if (!matches.some((m, i) => m && wanted[i].weight > STOP_WEIGHT)) continue;
      results.push(result(page, matches, wanted, phrase, segments));
    }
    rank(results, segments);
    const full = (r) => r.matches.every((m, i) => wanted[i].stop || (m && m.kind === "exact"));
    const typos = wanted.filter((t) => t.alts.some((a) => a.kind === "typo" && a.present) && !t.alts[0].present);
    let suggestion = null;
    if (typos.length && results.length) {
      suggestion = wanted.map((t) => (typos.includes(t) ? t.alts.find((a) => a.kind === "typo").text : t.text)).join(" ");
    }
    return {
      terms: wanted.map((t) => t.text), results: results.slice(0, MAX_RESULTS), partial: !results.some(full),
      suggestion, suggestions: results.length ? [] : nearest(wanted)};
  }

  function result(page, matches, wanted, phrase, segments) {
    let score = 0;
    const sectionScores = new Array(page.sections.length).fill(0);
    const words = new Set();
    matches.forEach((m, i) => {
      if (!m) return;
      const weight = wanted[i].weight;
      score += weight * m.value;
      m.sections.forEach((v, s) => { sectionScores[s] += weight * v; });
      if (weight > STOP_WEIGHT) m.words.forEach((w) => words.add(w));
    });
    let phrased = false;
    if (wanted.length > 1 && phrase.length >= 2) {  // the query as typed, in one place: land there
      const strength = 20 * wanted.filter((t) => !t.stop).length;
      page.sections.forEach((s, i) => {
        const bonus = s.headingF.includes(phrase) ? (s.entry ? PHRASE.entry : i === 0 ? PHRASE.title : PHRASE.heading)
          : s.textF.includes(phrase) ? PHRASE.text : 0;
        if (!bonus) return;
        sectionScores[i] += bonus + strength;
        if (!phrased) score += bonus;
        phrased = true;
      });
      if (page.names.some((n) => n.namesF.includes(phrase))) score += PHRASE.title;
    }
    // A part of the question that is exactly a heading ("X 和 Y 的区别", "为什么 X"): land there.
    let segmented = false;
    page.sections.forEach((s, i) => {
      if (!s.entry && s.headingCore && segments.includes(s.headingCore)) {
        sectionScores[i] += SEGMENT;
        if (!segmented) score += SEGMENT;
        segmented = true;
      }
    });
    let at = 0;
    sectionScores.forEach((v, i) => { if (v > sectionScores[at] + 1e-9) at = i; });
    const section = page.sections[at];
    const highlight = [...words].filter((w) => w.length >= 2 || CJK.test(w));
    const url = page.url + (highlight.length && !page.nav ? "?highlight=" + encodeURIComponent(highlight.join(" ")) : "")
      + (at > 0 && section.id ? "#" + section.id : "");
    const corrected = matches.every((m, i) => !m || wanted[i].stop || m.kind === "typo") && matches.some((m) => m && m.kind === "typo");
    return {page, score, matches, url, section: at, heading: at > 0 ? section.heading : "",
      snippet: snippet(page, at, phrased ? [phrase, ...words] : [...words]), corrected, words: [...words]};
  }

  function rank(results, segments) {
    const named = (page) => page.sections.some((s) => !s.entry && s.headingCore && segments.includes(s.headingCore));
    const last = (r) => (r.page.nav && !named(r.page) ? 1 : 0);
    return results.sort((a, b) => (last(a) - last(b)) || (b.score - a.score) || (a.page.order - b.page.order));
  }

  // Vocabulary words closest to the query's words, for a query with no results.
  function nearest(wanted) {
    const out = [];
    for (const term of wanted) {
      if (term.stop) continue;
      let scored = [];
      if (CJK.test(term.text)) {
        const chars = new Set(term.text);
        const names = new Set();
        for (const page of pages) {
          page.sections.forEach((s) => { if (s.heading && s.heading.length <= 24) names.add(s.heading); });
          page.names.forEach((n) => n.names.forEach((x) => names.add(x)));
        }
        for (const name of names) {
          const shared = [...new Set(name)].filter((c) => chars.has(c)).length;
          if (shared) scored.push([name, -shared / Math.max(name.length, term.text.length)]);
        }
      } else {
        for (const word of vocabulary.keys()) {
          if (Math.abs(word.length - term.text.length) <= 2) {
            const d = distance(term.text, word);
            if (d <= 2) scored.push([word, d]);
          }
        }
      }
      scored.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
      for (const [word] of scored.slice(0, 3)) if (!out.includes(word)) out.push(word);
    }
    return out.slice(0, 6);
  }

  // -- snippets --------------------------------------------------------------------

  // The sentence around the first match in the landing section, else in the other
  // sections; the definition for a glossary entry; else the section's opening.
  function snippet(page, at, words) {
    const entrySnippet = (s) => {
      const name = s.entry.names.find((n) => words.some((w) => fold(n).includes(w))) || s.entry.names[0];
      const text = name + "：" + s.text;
      return {prefix: "术语表 · ", ...around(text, fold(text), words, text.length)};
    };
    const landing = page.sections[at];
    if (landing.entry) return entrySnippet(landing);
    const order = [at, ...page.sections.map((_, i) => i).filter((i) => i !== at)];
    for (const i of order) {
      const s = page.sections[i];
      if (s.entry || !s.text) continue;
      const hit = around(s.text, s.textF, words);
      if (hit.found) return hit;
    }
    const entry = page.sections.find((s) => s.entry && words.some((w) => s.headingF.includes(w) || s.textF.includes(w)));
    if (entry) return entrySnippet(entry);
    const named = page.names.find((n) => words.some((w) => n.namesF.some((f) => f.includes(w))));
    if (named) {
      const name = named.names.find((n) => words.some((w) => fold(n).includes(w))) || named.names[0];
      const text = name + "：" + named.definition;
      return {prefix: "术语表 · ", ...around(text, fold(text), words, text.length)};
    }
    const first = landing.text ? landing : page.sections.find((s) => s.text && !s.entry) || {text: "", textF: ""};
    return around(first.text, first.textF, words);
  }

  function around(text, textF, words, wide = 0) {
    let at = -1, length = 0;
    const first = words.length > 1 ? textF.indexOf(words[0]) : -1;
    if (first >= 0 && words[0].includes(" ")) { at = first; length = words[0].length; }
    else for (const word of words) {
      const i = textF.indexOf(word);
      if (i >= 0 && (at < 0 || i < at || (i === at && word.length > length))) { at = i; length = word.length; }
    }
    const found = at >= 0;
    if (!found) { at = 0; length = 0; }
    let start = Math.max(0, at - Math.max(SNIPPET_BEFORE, wide)), end = Math.min(text.length, at + length + Math.max(SNIPPET_AFTER, wide));
    for (let i = at - 1; i >= start; i--) if (SENTENCE_END.test(text[i])) { start = i + 1; break; }
    for (let i = at + length; i < end; i++) if (SENTENCE_END.test(text[i])) { end = i + 1; break; }
    // Never a lone token: a short sentence takes its neighbours along.
    while (end - start < SNIPPET_MIN && (start > 0 || end < text.length)) {
      if (end < text.length) {
        let next = end + 1;
        while (next < text.length && next - start < SNIPPET_AFTER && !SENTENCE_END.test(text[next - 1])) next++;
        end = next;
      } else {
        let previous = start - 1;
        while (previous > 0 && start - previous < SNIPPET_BEFORE && !SENTENCE_END.test(text[previous - 1])) previous--;
        start = previous;
      }
    }
    const part = text.slice(start, end).replace(/\s*\n\s*/g, " ").trim();
    return {found, text: part, before: start > 0, after: end < text.length, marks: marks(fold(part), words)};
  }

  // [start, end) ranges of every word in the snippet, merged.
  function marks(partF, words) {
    const ranges = [];
    for (const word of words) {
      if (!word) continue;
      for (let at = partF.indexOf(word); at >= 0; at = partF.indexOf(word, at + 1)) ranges.push([at, at + word.length]);
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
    el.append(...children);  // strings become text nodes: a query is never markup
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

  // The site's root, from this page (search.html is at the root; the dialog is on every page).
  function root() {
    const options = document.querySelector('script[src*="documentation_options.js"]');
    return options ? options.src.replace(/_static\/documentation_options\.js.*$/, "") : "";
  }

  const searchPage = (query) => root() + "search.html?q=" + encodeURIComponent(query);

  function resultItem(r, base, tag = "li") {
    const link = element("a", {href: base + r.url}, r.page.title);
    const li = element(tag, {}, link);
    if (r.heading) li.append(element("span", {className: "search-section"}, " › " + r.heading));
    li.append(highlighted(r.snippet));
    return li;
  }

  function didYouMean(found) {
    return element("p", {className: "search-suggestion"}, "你要找的是不是：",
      element("a", {href: searchPage(found.suggestion)}, found.suggestion), "？");
  }

  function noResults(found, query) {
    const box = element("div", {className: "search-none"},
      element("p", {className: "search-summary"}, `没有找到与“${query}”相关的页面。`));
    if (found.suggestions.length) {
      const p = element("p", {}, "相近的词：");
      found.suggestions.forEach((word, i) => p.append(i ? "、" : "", element("a", {href: searchPage(word)}, word)));
      box.append(p);
    }
    box.append(
      element("p", {}, "也可以查 ", element("a", {href: root() + glossaryUrl}, "术语表"), "，或从 ",
        element("a", {href: root() + "index.html"}, "章节列表"), " 逐章浏览。"),
      element("p", {className: "search-tip"}, "提示：少用几个词，或只输入最关键的一个词（如函数名、术语），更容易找到。"));
    return box;
  }

  function draw(query) {
    const container = document.getElementById("search-results");
    const found = search(query);
    const list = element("ul", {className: "search"});
    const base = root();
    for (const r of found.results) list.append(resultItem(r, base));
    const n = found.results.length;
    const parts = [element("h2", {}, "搜索结果")];
    if (!found.terms.length) parts.push(element("p", {className: "search-summary"}, "请输入要搜索的词。"));
    else if (!n) parts.push(noResults(found, query));
    else {
      if (found.suggestion) parts.push(didYouMean(found));
      parts.push(element("p", {className: "search-summary"}, found.partial
        ? `没有页面包含“${query}”的全部字词；以下 ${n} 个页面按包含的多少排列。`
        : `找到 ${n} 个与“${query}”相关的页面。`), list);
    }
    container.replaceChildren(...parts);
    document.dispatchEvent(new CustomEvent("memo-search-drawn", {detail: {query, count: n}}));
  }

  function startPage() {
    const query = new URLSearchParams(location.search).get("q") || "";
    const visible = document.querySelector(".bd-search-container form.bd-search input[name=q]");
    for (const form of document.querySelectorAll(".bd-search-container form.bd-search")) {
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
    if (visible && document.activeElement !== visible) { visible.focus(); visible.select(); }
    if (query) draw(query);
  }

  // -- results as you type, in the Ctrl+K dialog ------------------------------------

  const AS_YOU_TYPE = 5;

  function startDialog(dialog) {
    const input = dialog.querySelector("input[name=q]");
    if (!input || input.dataset.memoSearch) return;
    input.dataset.memoSearch = "1";
    const list = element("ul", {id: "memo-search-as-you-type", className: "memo-search-as-you-type", role: "listbox"});
    list.setAttribute("aria-label", "搜索结果");
    list.hidden = true;
    input.form.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    let selected = -1, shown = [], options = [];
    const select = (i) => {
      selected = i;
      options.forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({block: "nearest"});
      } else input.removeAttribute("aria-activedescendant");
    };
    const update = () => {
      const query = input.value;
      const found = query.trim() ? search(query) : {terms: [], results: []};
      shown = found.results.slice(0, AS_YOU_TYPE);
      const base = root();
      options = shown.map((r, i) => {
        const li = resultItem(r, base);
        li.id = "memo-search-option-" + i;
        li.setAttribute("role", "option");
        li.querySelector("a").tabIndex = -1;
        li.addEventListener("mousemove", () => { if (selected !== i) select(i); });
        return li;
      });
      const items = [...options];
      if (found.suggestion) items.unshift(element("li", {className: "memo-search-note", role: "presentation"}, didYouMean(found)));
      if (query.trim()) {
        items.push(element("li", {className: "memo-search-more", role: "presentation"},
          element("a", {href: searchPage(query), tabIndex: -1}, shown.length ? "全部结果（回车）" : "没有找到；回车查看建议")));
      }
      list.replaceChildren(...items);
      list.hidden = !items.length;
      input.setAttribute("aria-expanded", String(!list.hidden));
      select(-1);
      document.dispatchEvent(new CustomEvent("memo-search-drawn", {detail: {query, count: shown.length, dialog: true}}));
    };
    input.addEventListener("input", update);
    input.addEventListener("keydown", (event) => {
      if ((event.key === "ArrowDown" || event.key === "ArrowUp") && options.length) {
        event.preventDefault();
        const next = selected + (event.key === "ArrowDown" ? 1 : -1);
        select(next >= options.length ? -1 : next < -1 ? options.length - 1 : next);
      } else if (event.key === "Enter" && selected >= 0) {
        event.preventDefault();
        location.href = options[selected].querySelector("a").href;
      }
    });
    dialog.addEventListener("close", () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); });
    if (input.value) update();
  }

  const reload = () => { pages = null; return load(); };  // after the index changed (break tests)
  window.memoSearch = {search, terms, fold, load, reload};
  const start = () => {
    if (document.getElementById("search-results") && document.querySelector(".bd-search-container")) startPage();
    const dialog = document.getElementById("pst-search-dialog");
    if (dialog) startDialog(dialog);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
