"""What the browser tests check, as plain functions, so that the guard tests
(test_guards_catch_breaks.py) run the very same checks on a deliberately broken copy.

Nothing here touches the network: the site is served from 127.0.0.1 and every
request to another host is aborted (and reported) before it leaves Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from site_browser import URL_PREFIX
from site_build import ROOT

SCREENSHOT_DIR = Path(os.environ.get("MEMO_SCREENSHOT_DIR", ROOT / "_build" / "screenshots")).resolve()
# A phone: 375 CSS px wide, as in the issue; the meta viewport and touch apply.
PHONE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
MIN_CONTRAST = 4.5  # WCAG AA for normal text


def report(where: str, problems: list[str]) -> str:
    """The assertion message: the page, then one line per problem."""
    return f"{where}:\n  - " + "\n  - ".join(problems)


def screenshot_path(name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / name


# -- opening a page and recording what goes wrong -----------------------------------------


@dataclass
class PageLog:
    """Console errors and warnings, uncaught exceptions, failed and foreign requests of one page."""

    base_url: str
    problems: list[str] = field(default_factory=list)
    _handlers: dict = field(default_factory=dict, repr=False)

    @property
    def origin(self) -> str:
        return self.base_url[: -len(URL_PREFIX)]

    def is_local(self, url: str) -> bool:
        return urlsplit(url).scheme in ("data", "blob", "about") or url.startswith(self.origin + "/")

    def short(self, url: str) -> str:
        return url[len(self.base_url):] if url.startswith(self.base_url) else url

    def watch(self, page) -> PageLog:
        def on_console(message):
            if message.type in ("error", "warning"):
                where = message.location.get("url", "")
                self.problems.append(f"console {message.type}: {message.text}" + (f" ({self.short(where)})" if where else ""))

        def on_response(response):
            if response.status >= 400:
                self.problems.append(f"HTTP {response.status} for {self.short(response.url)}")

        def on_request_failed(request):
            if self.is_local(request.url):  # requests to other hosts are aborted on purpose, reported below
                self.problems.append(f"request failed: {self.short(request.url)} ({request.failure})")

        def on_request(request):
            if not self.is_local(request.url):
                self.problems.append(f"request to another host: {request.url}")

        def on_page_error(error):
            self.problems.append(f"uncaught exception: {error}")

        self._handlers = {"console": on_console, "pageerror": on_page_error, "response": on_response,
                          "requestfailed": on_request_failed, "request": on_request}
        for event, handler in self._handlers.items():
            page.on(event, handler)
        return self

    def unwatch(self, page) -> None:
        """Stop recording (before the tab is reused for another page)."""
        for event, handler in self._handlers.items():
            page.remove_listener(event, handler)



def settle(page) -> None:
    """Wait until the web fonts are in (formulas are MathML, drawn without JavaScript)."""
    page.evaluate("async () => { await document.fonts.ready; }")


def visit(context, base_url: str, path: str):
    """Open `path` of the site in a new tab of `context`, recording what goes wrong; returns (page, log)."""
    return load(context.new_page(), base_url, path)


def load(page, base_url: str, path: str):
    """Load `path` of the site in the tab `page`, recording what goes wrong from here on; returns (page, log)."""
    log = PageLog(base_url).watch(page)
    response = page.goto(base_url + path, wait_until="load")
    if response is None or not response.ok:
        log.problems.append(f"HTTP {response.status if response else 'no response'} for the page itself")
    settle(page)
    favicon_problems(page, log)
    return page, log


FAVICON_JS = """
async () => {
  const icons = [...document.querySelectorAll("link[rel~='icon']")].map((link) => link.href);
  if (!icons.length) return [["", 0]];
  return Promise.all(icons.map(async (href) => {
    try { return [href, (await fetch(href, {cache: "no-store"})).status]; } catch (error) { return [href, String(error)]; }
  }));
}
"""


def favicon_problems(page, log) -> None:
    """Chromium asks for the favicon late and on its own, so fetch it explicitly."""
    for href, status in page.evaluate(FAVICON_JS):
        if not href:
            log.problems.append("no favicon declared: browsers will ask for /favicon.ico and get a 404")
        elif status != 200 and not any(log.short(href) in problem for problem in log.problems):
            log.problems.append(f"HTTP {status} for {log.short(href)} (the favicon)")


# -- formulas -------------------------------------------------------------------------

MATH_PROBLEMS_JS = r"""
() => {
  const problems = [];
  const short = (text) => text.replace(/\s+/g, " ").trim().slice(0, 80);
  const formulas = [...document.querySelectorAll(".math")];
  const raw = formulas.filter((el) => !el.querySelector("math"));
  for (const el of raw.slice(0, 5)) problems.push(`formula not rendered, shown raw: ${short(el.textContent)}`);
  if (raw.length > 5) problems.push(`... and ${raw.length - 5} more formulas not rendered`);
  for (const math of document.querySelectorAll(".math math")) {
    const box = math.getBoundingClientRect();
    const source = short(math.textContent);
    if (box.width < 1 || box.height < 1) problems.push(`formula drawn without a box (${Math.round(box.width)}x${Math.round(box.height)}px): ${source}`);
    if (math.querySelector("merror")) problems.push(`MathML error in ${source}`);
    if (/\\[A-Za-z]+/.test(math.textContent)) problems.push(`TeX command left in a formula: ${source}`);
  }
  // Dollar math that MyST did not turn into a formula stays as text in the prose.
  const article = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement.closest("pre, code, kbd, samp, script, style, math, .math, .highlight")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const dollars = /\$\$?[^$\s](?:[^$]*[^$\s])?\$\$?/;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const match = node.textContent.match(dollars);
    if (match) problems.push(`raw dollar math in the text: ${short(match[0])}`);
  }
  return problems;
}
"""


def math_problems(page) -> list[str]:
    """Formulas left as TeX, drawn without a box or with MathML errors, `$…$` that never became math."""
    return page.evaluate(MATH_PROBLEMS_JS)


def formula_count(page) -> int:
    return page.evaluate("() => document.querySelectorAll('.math > math').length")


# -- phone layout --------------------------------------------------------------------

OVERFLOW_JS = r"""
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const describe = (el) => {
    const text = (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 50);
    const classes = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}> "${text}"`;
  };
  const outside = (box) => box.right > width + 1 || box.left < -1;
  // Fine when an ancestor that fits on the screen scrolls sideways (a code block, a table, a formula).
  const scrollsInside = (node) => {
    for (let a = node.parentElement; a && a !== document.body; a = a.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(a).overflowX) && !outside(a.getBoundingClientRect())) return true;
    }
    return false;
  };
  const reported = [];
  const flag = (el, what, box) => {
    if (reported.some((outer) => outer.contains(el))) return;
    reported.push(el);
    if (reported.length <= 8) problems.push(`${describe(el)}${what} (${Math.round(box.left)}..${Math.round(box.right)}px)`);
  };
  if (document.documentElement.scrollWidth > width)
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  for (const el of article.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.height && outside(box) && !scrollsInside(el)) flag(el, " sticks out of the screen", box);
  }
  // A word too long for its line runs past its box without widening any element.
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.width && outside(box) && !scrollsInside(node))
      flag(node.parentElement, `: text "${node.textContent.trim().slice(0, 40)}" runs past the screen`, box);
  }
  if (reported.length > 8) problems.push(`... and ${reported.length - 8} more`);
  return problems;
}
"""


def overflow_problems(page) -> list[str]:
    """Prose wider than the screen: the page scrolls sideways, or an element sticks out or is cut off."""
    return page.evaluate(OVERFLOW_JS)


CODE_BLOCKS_JS = r"""
() => [...document.querySelectorAll("article div.highlight pre")].map((pre) => ({
  overflowX: getComputedStyle(pre).overflowX,
  scrollWidth: pre.scrollWidth,
  clientWidth: pre.clientWidth,
  right: pre.getBoundingClientRect().right,
  firstLine: pre.innerText.split("\n")[0].slice(0, 60),
}))
"""


def code_scroll_problems(page) -> list[str]:
    """On a narrow screen, code blocks with long lines must scroll inside themselves, within the screen."""
    width = page.evaluate("document.documentElement.clientWidth")
    blocks = page.evaluate(CODE_BLOCKS_JS)
    wide = [b for b in blocks if b["scrollWidth"] > b["clientWidth"]]
    if not wide:
        return [f"expected a code block with lines longer than the {width}px screen, found none"]
    return [
        f"code block {b['firstLine']!r}: overflow-x is {b['overflowX']}, its long lines do not scroll"
        for b in wide if b["overflowX"] not in ("auto", "scroll")
    ] + [
        f"code block {b['firstLine']!r} ends at {b['right']:.0f}px, past the {width}px screen"
        for b in blocks if b["right"] > width + 1
    ]


# -- dark mode -----------------------------------------------------------------------

# A colour as [r, g, b, alpha], and the first opaque background behind an element.
COLOUR_HELPERS_JS = r"""
  const rgba = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) return colour;
    }
    return [255, 255, 255, 1];
  };
"""

# Colours of the code text and of the background behind it, for every code block.
CODE_COLOURS_JS = "() => {\n" + COLOUR_HELPERS_JS + r"""
  return [...document.querySelectorAll("article div.highlight pre")].map((pre) => {
    const colours = new Map();
    for (const el of [pre, ...pre.querySelectorAll("span, a")]) {
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
      const style = getComputedStyle(el);
      const key = style.color + " on " + JSON.stringify(background(el));
      if (!colours.has(key)) colours.set(key, {fg: rgba(style.color), bg: background(el), text: el.textContent.trim().slice(0, 30)});
    }
    return {firstLine: pre.innerText.split("\n")[0].slice(0, 60), colours: [...colours.values()]};
  });
}
"""


ELEMENT_COLOURS_JS = "(selectors) => {\n" + COLOUR_HELPERS_JS + r"""
  return selectors.map((selector) => {
    const el = document.querySelector(selector);
    return {selector, fg: rgba(getComputedStyle(el).color), bg: background(el), text: el.textContent.trim().slice(0, 30)};
  });
}
"""


def element_colours(page, selectors: list[str]) -> list[dict]:
    """For the first element of each selector: its text colour `fg` and the background `bg` behind it."""
    return page.evaluate(ELEMENT_COLOURS_JS, selectors)


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground, background) -> float:
    """WCAG contrast ratio; a translucent foreground is blended onto the background first."""
    alpha = foreground[3] if len(foreground) > 3 else 1
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(foreground[:3], background[:3])]
    lighter, darker = sorted((_luminance(blended), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def switch_colour_mode(page, mode: str) -> None:
    """Use the theme's switch in the header, as a reader does."""
    page.locator(".theme-switch-button").first.click()
    page.locator(f".theme-change-button[data-mode='{mode}']").first.click()


def dark_code_problems(page) -> list[str]:
    """In dark mode, code blocks have a dark background and every token is readable on it."""
    problems = []
    blocks = page.evaluate(CODE_COLOURS_JS)
    if not blocks:
        return ["no code blocks on the page"]
    for block in blocks:
        if max(_luminance(c["bg"]) for c in block["colours"]) > 0.3:
            problems.append(f"code block {block['firstLine']!r} keeps a light background in dark mode")
        for colour in block["colours"]:
            ratio = contrast_ratio(colour["fg"], colour["bg"])
            if ratio < MIN_CONTRAST:
                problems.append(
                    f"code block {block['firstLine']!r}: {colour['text']!r} has contrast {ratio:.2f}:1 "
                    f"against its background (needs {MIN_CONTRAST}:1)"
                )
    return problems


# -- accessibility -----------------------------------------------------------------------


def accessibility_problems(page) -> list[str]:
    """Serious and critical violations that axe-core finds on the page."""
    from axe_playwright_python.sync_playwright import Axe  # bundles axe-core; loads nothing from a CDN

    # preload=False: axe's stylesheet preloading resolves the theme's @import "../basic.css"
    # against the wrong base and requests a file that does not exist.
    violations = Axe().run(page, options={"resultTypes": ["violations"], "preload": False}).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -- "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
        for v in violations if v["impact"] in ("serious", "critical")
    ]


# -- copy button -----------------------------------------------------------------------


def copy_expected(block_text: str) -> str:
    """What the copy button must give for a pycon block: the code after the prompts, nothing else."""
    return "\n".join(line[4:] for line in block_text.splitlines() if line.startswith((">>> ", "... ")))


def copy_button_problems(page) -> list[str]:
    """Click the copy button of every doctest block, read the clipboard, and run what was copied.

    The context needs the clipboard-read and clipboard-write permissions.
    """
    problems, copied = [], []
    blocks = page.locator("article div.highlight-pycon")
    if blocks.count() == 0:
        return ["no doctest blocks on the page"]
    for index in range(blocks.count()):
        block = blocks.nth(index)
        page.evaluate("navigator.clipboard.writeText('')")
        block.locator("pre").hover()
        block.locator("button.copybtn").click()
        page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''", timeout=5_000)
        text = page.evaluate("navigator.clipboard.readText()").rstrip("\n")
        shown = block.locator("pre").inner_text()
        where = f"doctest block {index + 1} ({shown.splitlines()[0]!r})"
        if any(line.lstrip().startswith((">>>", "... ")) for line in text.splitlines()):
            problems.append(f"{where}: the copied text keeps the >>> / ... prompts:\n{text}")
        elif text != copy_expected(shown):
            problems.append(f"{where}: the copied text is not just the code (outputs, tracebacks or blank lines):\n{text}")
        copied.append((where, shown, text))

    # Run what a reader pastes, block after block as on the page. Blocks that show an expected
    # exception are left out: their copied code raises by design.
    runnable = [(where, text) for where, shown, text in copied if "Traceback (most recent call last)" not in shown]
    script = "\n".join(text for _where, text in runnable)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # pages import examples.*
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        problems.append(
            f"the copied code of {', '.join(where for where, _ in runnable)} fails in Python:\n"
            f"{result.stderr[-1500:]}--- copied code ---\n{script}"
        )
    return problems


# -- search ------------------------------------------------------------------------------

RESULTS_JS = """
() => [...document.querySelectorAll("#search-results ul.search > li")].map((li) => {
  const link = li.querySelector("a");
  return link ? link.href : "";
})
"""


def search(reader, query: str, base_url: str | None = None, **options):
    """Search as a reader does (search.html?q=…), in the shared tab of `reader` (tests/browser/conftest.py);
    returns (page, log, distinct pages in rank order)."""
    page, log = reader(f"search.html?q={quote(query)}", base_url, **options)
    return page, log, search_results(page, log)


def search_results(page, log, timeout_ms: int = 20_000) -> list[str]:
    """The distinct pages that search.html, loaded with a query, lists, in rank order (once it has finished)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results .search-summary'); return s && s.innerText.trim(); }",
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        log.problems.append(f"the search did not finish within {timeout_ms / 1000:.0f} s")
    ranked = []
    for href in page.evaluate(RESULTS_JS):
        path = urlsplit(href).path
        name = path[path.find(URL_PREFIX) + len(URL_PREFIX):].removesuffix(".html")
        if name not in ranked:
            ranked.append(name)
    return ranked
