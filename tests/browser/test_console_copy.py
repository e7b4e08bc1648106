"""Every `console` block of the site, copied with its copy button, gives exactly the commands:
no `$ ` prompt, no output line, no trailing comment (zsh would pass it to the command), and bash
can parse it. The expected commands come from Pygments' own tokens on the page: a line that
starts with a prompt (.gp), and the lines a trailing backslash continues.
"""

import subprocess

import pytest
from site_browser import site_pages
from site_build import pages_or_placeholder
from sitecheck import report

pytestmark = pytest.mark.browser


def console_pages(site) -> list[str]:
    return [page for page in site_pages(site) if 'class="highlight-console' in (site / page).read_text(encoding="utf-8")]


PAGES = pages_or_placeholder(console_pages)

# Per console block: its lines as [text, kind] from the token classes, kind in prompt/output/other.
BLOCKS_JS = r"""
() => [...document.querySelectorAll("article div.highlight-console")].map((block) => {
  const lines = [[]];
  for (const node of block.querySelector("pre").childNodes) {
    const cls = node.nodeType === Node.ELEMENT_NODE ? node.className : "";
    node.textContent.split("\n").forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines.at(-1).push([part, cls]);
    });
  }
  return lines.map((tokens) => tokens);
})
"""


def expected_commands(lines) -> tuple[list[str], list[str]]:
    """(commands a reader should get, output lines) of one block, from its tokens."""
    commands, outputs, continued = [], [], False
    for tokens in lines:
        prompt = bool(tokens) and "gp" in tokens[0][1].split()
        if prompt or continued:
            command = "".join(text for text, cls in tokens if not {"gp", "c1"} & set(cls.split())).rstrip()
            commands.append(command)
            continued = command.endswith("\\")
        elif "".join(text for text, _ in tokens).strip():
            outputs.append("".join(text for text, _ in tokens))
    return commands, outputs


def console_copy_problems(page) -> list[str]:
    """Click every console block's copy button; compare the clipboard with the block's commands."""
    problems = []
    blocks = page.evaluate(BLOCKS_JS)
    buttons = page.locator("article div.highlight-console button.copybtn")
    if not blocks:
        return ["no console blocks on the page"]
    for index, lines in enumerate(blocks):
        commands, outputs = expected_commands(lines)
        shown = "".join(text for text, _ in lines[0]) if lines else ""
        where = f"console block {index + 1} ({shown.strip()[:60]!r})"
        if not commands:
            problems.append(f"{where}: no line starts with a `$ ` prompt, so the copy button copies it whole")
            continue
        page.evaluate("navigator.clipboard.writeText('')")
        page.locator("article div.highlight-console pre").nth(index).hover()
        buttons.nth(index).click()
        page.wait_for_function("async () => (await navigator.clipboard.readText()) !== ''", timeout=5_000)
        copied = page.evaluate("navigator.clipboard.readText()")
        got = [line.rstrip() for line in copied.rstrip("\n").split("\n")]
        if any(line.lstrip().startswith("$ ") for line in got):
            problems.append(f"{where}: the copied text keeps the `$ ` prompts:\n{copied}")
        elif any(line.strip() in (o.strip() for o in outputs) for line in got if line.strip()):
            problems.append(f"{where}: the copied text includes output lines:\n{copied}")
        elif got != commands:
            problems.append(f"{where}: the copied text is not exactly the commands {commands}:\n{copied}")
        syntax = subprocess.run(["bash", "-n"], input=copied, capture_output=True, text=True)
        if syntax.returncode:
            problems.append(f"{where}: bash cannot parse the copied text ({syntax.stderr.strip()}):\n{copied}")
    return problems


CLIPBOARD = {"permissions": ["clipboard-read", "clipboard-write"]}


@pytest.mark.parametrize("path", PAGES)
def test_console_copy_gives_exactly_the_commands(reader, path):
    page, log = reader(path, **CLIPBOARD)
    problems = console_copy_problems(page) + log.problems
    assert not problems, report(path, problems)


# -- break tests: the copy button as it was, on a served copy of the site -----------------------------

BREAK_PAGE = "environment/huggingface-offline-loading.html"  # prompts, a continued command, output lines


@pytest.mark.parametrize("page_path, file, old, new, expected", [
    # the prompt pattern as it was: only >>> and ..., so the whole block is copied
    (BREAK_PAGE, "_static/copybutton.js", "|\\\\$ ", "", "keeps the `$ ` prompts"),
    # no continuation character: the continued lines of `hf download ... \\` are dropped
    (BREAK_PAGE, "_static/copybutton.js", "'\\\\', ", "'', ", "not exactly the commands"),
    # comments not marked for exclusion: they are copied after the commands
    ("environment/switch-cuda-version.html", "environment/switch-cuda-version.html", ".highlight-console .c1", ".no-such-block .c1",
     "not exactly the commands"),
])
def test_the_check_catches_a_broken_copy(serve_copy, reader, page_path, file, old, new, expected):
    def edit(text):
        assert old in text, f"the break test expected {old!r} in {file}; update the test"
        return text.replace(old, new)

    url, _copy = serve_copy({file: edit})
    page, _log = reader(page_path, url, **CLIPBOARD)
    message = report(page_path, console_copy_problems(page))
    assert expected in message, message
