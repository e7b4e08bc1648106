"""What a phone or keyboard reader meets on any page, as plain functions over an open page, so
that test_reader_properties.py runs them on every page of the built site and its break tests
run the very same functions on a deliberately broken copy.

Each function returns a list of problems, empty when the page is fine.
"""

from __future__ import annotations

DESCRIBE_JS = r"""
  const describe = (el) => {
    const text = (el.innerText || el.textContent || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim().slice(0, 40);
    const classes = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).slice(0, 3).join(".") : "";
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}> "${text || el.getAttribute("title") || ""}"`;
  };
  const shown = (el) => {
    if (el.closest("dialog:not([open]), [hidden], [inert]")) return false;
    if (!el.checkVisibility()) return false;  // e.g. inside a closed <details>, which keeps a layout box
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const INTERACTIVE = "a[href], button:not([disabled]), summary, input:not([type=hidden]), select, textarea, [role=button], [tabindex]:not([tabindex='-1'])";
"""

# -- sideways scrolling ---------------------------------------------------------------------------

SCROLL_HINT_JS = "() => {\n" + DESCRIBE_JS + r"""
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1)
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  for (const el of document.querySelectorAll("body *")) {
    if (el.scrollWidth <= el.clientWidth + 1 || !shown(el)) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (box.width < 8 || box.height < 8 || style.textOverflow === "ellipsis") continue;  // visually hidden text; a "…" shows the cut
    if (["auto", "scroll"].includes(style.overflowX)) {
      if (!`${style.maskImage} ${style.webkitMaskImage}`.includes("gradient"))
        problems.push(`${describe(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px) without showing it: no fade at its edge`);
    } else if (["hidden", "clip"].includes(style.overflowX) && el.closest("article, .bd-sidebar-secondary")) {
      problems.push(`${describe(el)} cuts off ${el.scrollWidth - el.clientWidth}px of its content (overflow-x: ${style.overflowX})`);
    }
  }
  return problems;
}
"""


def scroll_hint_problems(page) -> list[str]:
    """The page never scrolls sideways; a box that does scrolls shows it (a fade at its edge);
    nothing in the article or the page contents is cut off."""
    return page.evaluate(SCROLL_HINT_JS)


OUTSIDE_WINDOW_JS = "(selector) => {\n" + DESCRIBE_JS + r"""
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll(selector)].filter(shown).filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map((el) => `${describe(el)} runs past the ${width}px window edge to ${Math.round(el.getBoundingClientRect().right)}px`);
}
"""


def outside_window_problems(page, selector: str) -> list[str]:
    return page.evaluate(OUTSIDE_WINDOW_JS, selector)


# -- touch targets (WCAG 2.2, 2.5.8) ----------------------------------------------------------------

TOUCH_TARGETS_JS = "() => {\n" + DESCRIBE_JS + r"""
  const MIN = 24;
  const targets = [...document.querySelectorAll(INTERACTIVE)].filter(shown)
    .filter((el) => !el.closest("pre"))  // links inside a code line are part of its text
    .filter((el, _i, all) => !all.some((other) => other !== el && other.contains(el)));
  const blockOf = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) if (getComputedStyle(a).display !== "inline") return a;
    return document.body;
  };
  // Inline exception: a link inside a sentence, whose size the line of text sets.
  const inSentence = (el) => getComputedStyle(el).display === "inline"
    && blockOf(el).innerText.replace(/\s+/g, "").length > el.innerText.replace(/\s+/g, "").length + 1;
  const boxes = targets.map((el) => el.getBoundingClientRect());
  const small = targets.map((el, i) => (boxes[i].width < MIN - 0.5 || boxes[i].height < MIN - 0.5) && !inSentence(el));
  const centre = (b) => [b.left + b.width / 2, b.top + b.height / 2];
  const distanceToBox = ([x, y], b) => Math.hypot(Math.max(b.left - x, 0, x - b.right), Math.max(b.top - y, 0, y - b.bottom));
  const problems = [];
  targets.forEach((el, i) => {
    if (!small[i]) return;
    // Spacing exception: a 24 px circle on the target touches no other target and no other small target's circle.
    const c = centre(boxes[i]);
    const crowded = targets.find((other, j) => j !== i && !other.contains(el) && !el.contains(other)
      && (distanceToBox(c, boxes[j]) < MIN / 2 - 0.5 || (small[j] && Math.hypot(c[0] - centre(boxes[j])[0], c[1] - centre(boxes[j])[1]) < MIN - 0.5)));
    if (crowded)
      problems.push(`${describe(el)} is ${Math.round(boxes[i].width)}x${Math.round(boxes[i].height)}px, under 24x24, and ${describe(crowded)} is within its 24px circle`);
  });
  return problems;
}
"""


def set_citation_panels(page, open_: bool):
    """Open (or close) every 引用本节 panel: a closed <details> hides its buttons from the checks.
    Back at the top, as on arrival: the sticky header must not sit over what an earlier check scrolled to."""
    page.evaluate("(open) => { document.querySelectorAll('details.cite-section').forEach((d) => { d.open = open; }); "
                  "window.scrollTo(0, 0); }", open_)
    return page


def touch_target_problems(page) -> list[str]:
    """Every target a finger taps is 24x24 CSS px, or is a link in a sentence, or has room around it (WCAG 2.5.8)."""
    return page.evaluate(TOUCH_TARGETS_JS)


# -- focus indicator (WCAG 2.4.7) -------------------------------------------------------------------

FOCUS_JS = "() => {\n" + DESCRIBE_JS + r"""
  const PROPS = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "borderTopColor", "borderBottomColor",
                 "borderLeftColor", "backgroundColor", "color", "textDecorationLine"];
  const still = document.createElement("style");
  still.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
  document.head.append(still);  // computed styles are read at once, not mid-transition
  const snap = (el) => { const s = getComputedStyle(el); return Object.fromEntries(PROPS.map((p) => [p, s[p]])); };
  const problems = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(INTERACTIVE)) {
    if (!shown(el) || el.tabIndex < 0) continue;
    // Elements of one kind in one place share their focus style: check one of each.
    const parent = el.parentElement;
    const kind = `${el.tagName}.${el.className}|${parent.tagName}.${parent.className}|${el.closest("nav, header, aside, article, dialog, footer")?.className}`;
    if (seen.has(kind)) continue;
    seen.add(kind);
    el.blur();
    const before = snap(el);
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;  // not focusable after all (inert, hidden by its parent)
    const after = snap(el);
    const changed = PROPS.filter((p) => before[p] !== after[p]);
    const outline = after.outlineStyle !== "none" && parseFloat(after.outlineWidth) >= 1 && !/rgba\([^)]*,\s*0\)$/.test(after.outlineColor);
    const visible = changed.some((p) => !p.startsWith("outline")) || (changed.some((p) => p.startsWith("outline")) && outline);
    if (!visible) problems.push(`${describe(el)} shows no focus indicator (no computed style changes when it has keyboard focus)`);
    el.blur();
  }
  still.remove();
  if (document.activeElement) document.activeElement.blur();  // a focused skip link would cover the header
  return problems.slice(0, 12).concat(problems.length > 12 ? [`... and ${problems.length - 12} more`] : []);
}
"""


def focus_indicator_problems(page) -> list[str]:
    """Every element the keyboard reaches looks different when it has the focus (outline, shadow,
    border, colours or underline), compared in computed styles with and without focus."""
    page.keyboard.press("Tab")  # keyboard modality: :focus-visible applies as for a keyboard reader
    return page.evaluate(FOCUS_JS)


# -- drawers ----------------------------------------------------------------------------------------

OPEN_MS = 2_000
TAP_MS = 5_000  # a tap that something else intercepts fails in 5 s, not Playwright's 30


def _wait(page, script: str, arg=None, timeout: int = OPEN_MS) -> bool:
    try:
        page.wait_for_function(script, arg=arg, timeout=timeout)
        return True
    except Exception:  # Playwright's TimeoutError
        return False


def _tap(locator, what: str) -> list[str]:
    try:
        locator.tap(timeout=TAP_MS)
        return []
    except Exception as error:  # Playwright's TimeoutError: something covers it
        return [f"could not tap {what}: {str(error).splitlines()[0]}"]


def _drawer_open(page, toggle: str, dialog: str, what: str) -> list[str]:
    button = page.locator(toggle)
    visible = [button.nth(i) for i in range(button.count()) if button.nth(i).is_visible()]
    if len(visible) != 1:
        return [f"expected one visible {what} button ({toggle}), found {len(visible)}"]
    if problems := _tap(visible[0], what):
        return problems
    if not _wait(page, "(id) => document.getElementById(id)?.open", dialog):
        return [f"tapping {what} ({toggle}) did not open #{dialog}"]
    return []


def _closed_with_focus_back(page, dialog: str, toggle: str, how: str) -> list[str]:
    if not _wait(page, "(id) => !document.getElementById(id).open", dialog):
        return [f"#{dialog} stays open after {how}"]
    if not _wait(page, "(sel) => document.activeElement && document.activeElement.matches(sel)", toggle, timeout=1_000):
        focused = page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : 'nothing'")
        return [f"after {how}, #{dialog} closed but the focus is on {focused}, not back on {toggle}"]
    return []


CURRENT_IN_VIEW_JS = """(id) => {
  const dialog = document.getElementById(id);
  const here = dialog.querySelector("a.current, li.current > a");
  if (!here) return true;
  const box = here.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


def drawer_problems(page) -> list[str]:
    """On a phone: each drawer has a close button that closes it, a followed link closes it, the
    focus returns to the button that opened it, and ☰ opens with the current page in view."""
    problems = []
    primary, secondary = ".primary-toggle", ".secondary-toggle"
    if page.locator(secondary).count():
        found = _drawer_open(page, secondary, "pst-secondary-sidebar-modal", "the page contents button")
        problems += found
        if not found:
            if not page.locator("#pst-secondary-sidebar-modal .drawer-close").is_visible():
                problems.append("the page contents drawer has no visible close button (.drawer-close)")
            entries = page.locator("#pst-secondary-sidebar-modal a.nav-link[href^='#']")
            if entries.count() == 0:
                problems.append("the page contents drawer lists no sections")
            else:
                entry = entries.nth(entries.count() - 1)
                href = entry.get_attribute("href")
                problems += _tap(entry, f"the page contents entry {href}") or _closed_with_focus_back(page, "pst-secondary-sidebar-modal", secondary, f"tapping the entry {href}")
                if page.evaluate("location.hash") != href:
                    problems.append(f"tapping the page contents entry {href} did not go there (at {page.evaluate('location.hash')!r})")
    found = _drawer_open(page, primary, "pst-primary-sidebar-modal", "☰")
    problems += found
    if found:
        return problems
    if not _wait(page, CURRENT_IN_VIEW_JS, "pst-primary-sidebar-modal"):
        problems.append("☰ opens the drawer at the top: the current page's entry is out of view")
    close = page.locator("#pst-primary-sidebar-modal .drawer-close")
    if close.count() != 1 or not close.is_visible():
        problems.append("the ☰ drawer has no visible close button (.drawer-close)")
        page.keyboard.press("Escape")
    else:
        problems += _tap(close, "the drawer's close button") or _closed_with_focus_back(page, "pst-primary-sidebar-modal", primary, "tapping its close button")
    if not _drawer_open(page, primary, "pst-primary-sidebar-modal", "☰"):
        current = page.locator("#pst-primary-sidebar-modal a.current[href='#']")
        if current.count():  # the current page's own entry: following it stays on the page
            problems += _tap(current.first, "the current page's entry") or _closed_with_focus_back(page, "pst-primary-sidebar-modal", primary, "tapping the current page's entry")
        else:
            page.keyboard.press("Escape")
    return problems
