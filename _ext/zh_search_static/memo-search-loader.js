/* Inlined into every page by _ext/zh_search.py (no request of its own). The Ctrl+K
   dialog shows results as the reader types: opening it loads the search index and
   memo-search.js (URLs with content digests, filled in at build time). Closing it puts
   focus back where it was. Words a search result highlighted on this page
   (?highlight=, drawn by Sphinx's sphinx_highlight.js) go when the reader scrolls. */
(() => {
  const files = ["memo-search-index.js?digest=", "memo-search.js?digest="];
  const load = () => {
    if (window.memoSearch || document.querySelector("script[data-memo-search]")) return;
    const options = document.querySelector('script[src*="documentation_options.js"]');
    const base = options ? options.src.replace(/documentation_options\.js.*$/, "") : "_static/";
    const style = Object.assign(document.createElement("link"), {rel: "stylesheet", href: base + "memo-search.css?digest="});
    document.head.append(style);
    const next = (i) => {
      if (i >= files.length) return;
      const script = Object.assign(document.createElement("script"), {src: base + files[i]});
      script.dataset.memoSearch = String(i);
      script.onload = () => next(i + 1);
      document.head.append(script);
    };
    next(0);
  };
  const start = () => {
    const dialog = document.getElementById("pst-search-dialog");
    if (dialog) {
      let before = null;
      const showModal = dialog.showModal;
      dialog.showModal = function () {
        before = document.activeElement;
        load();
        return showModal.call(this);
      };
      dialog.addEventListener("close", () => {
        if (before && before !== document.body && before.isConnected) before.focus({preventScroll: true});
        before = null;
      });
    }
    const scrolled = (event) => {
      if (event.type === "keydown" && !/^(Arrow(Up|Down)|Page(Up|Down)|Home|End| )$/.test(event.key)) return;
      // sphinx_highlight.js declares SphinxHighlight with const: a global binding, not a property of window.
      if (typeof SphinxHighlight !== "undefined" && document.querySelector("span.highlighted")) SphinxHighlight.hideSearchWords();
    };
    for (const type of ["wheel", "touchmove", "keydown"]) window.addEventListener(type, scrolled, {passive: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
