"""tools/lint_docs.py: the site passes, and every kind of break is caught with file:line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pygments.lexers import get_all_lexers

import lint_docs

ROOT = Path(__file__).resolve().parents[1]


def test_the_site_passes_the_lint():
    assert [str(p) for p in lint_docs.lint([ROOT / "docs"])] == []


GOOD_HEAD = "(page)=\n# 标题\n\n"
REASON = "需要 GPU：本站构建机没有 CUDA，下面的例子不运行。\n\n"

BREAKS = {
    # untested Python, however the page writes it
    "python fence": ("```python\nprint(1)\n```\n", 4, "untested Python block `python`"),
    "pycon fence": ("```pycon\n>>> 1\n1\n```\n", 4, "untested Python block `pycon`"),
    "py3 fence": ("```py3\nx = 1\n```\n", 4, "untested Python block `py3`"),
    "python-console fence": ("```python-console\n>>> 1\n```\n", 4, "untested Python block `python-console`"),
    "tilde fence": ("~~~python\nx = 1\n~~~\n", 4, "untested Python block `python`"),
    "no language": ("```\nx = 1\n```\n", 4, "untested Python block `(no language)`"),
    "code-block python": ("```{code-block} python\nx = 1\n```\n", 4, "untested Python block `{code-block} python`"),
    "code-block without language": ("```{code-block}\n:linenos:\nx = 1\n```\n", 4, "untested Python block `{code-block}`"),
    "colon-fenced code-block": (":::{code-block} python\nx = 1\n:::\n", 4, "untested Python block `{code-block} python`"),
    "code-block in an admonition": ("::::{note}\n:::{code-block} py\nx = 1\n:::\n::::\n", 5, "untested Python block `{code-block} py`"),
    "fence in a nested directive": ("````{admonition} 提示\n:class: tip\n\n```{note}\n```python\nx\n```\n```\n````\n", 8,
                                    "untested Python block `python`"),
    "indented block": ("文字。\n\n    x = 1\n", 6, "untested Python block `indented block`"),
    "indented block in a list": ("- 一项\n\n      x = 1\n", 6, "untested Python block `indented block`"),
    "prompt in prose": (">>> 1 + 1\n2\n", 4, "`>>>` outside a {doctest} directive"),
    "prompt in an admonition": (":::{note}\n>>> 1 + 1\n:::\n", 5, "`>>>` outside a {doctest} directive"),
    "prompt in a text block": ("```text\n说明\n>>> 1 + 1\n2\n```\n", 6, "`>>>` prompt in a `text` block"),
    "prompt in a console block": ("```console\n$ python\n>>> 1\n```\n", 6, "`>>>` prompt in a `console` block"),
    "eval-rst literal block": ("```{eval-rst}\n例子::\n\n    x = 1\n```\n", 7, "reST literal block"),
    "eval-rst code-block": ("```{eval-rst}\n.. code-block:: python\n\n   x = 1\n```\n", 5, "`.. code-block:: python`"),
    "eval-rst code": ("```{eval-rst}\n.. note::\n\n   .. code:: python\n\n      x = 1\n```\n", 7, "`.. code:: python`"),
    "eval-rst doctest block": ("```{eval-rst}\n文字。\n\n>>> 1 + 1\n2\n```\n", 7, "`>>>` outside a {doctest} directive"),
    "eval-rst raw html": ("```{eval-rst}\n.. raw:: html\n\n   <script src='https://cdn.example.org/x.js'></script>\n```\n", 7,
                          "external resource `https://cdn.example.org/x.js`"),
    "eval-rst image": ("```{eval-rst}\n.. image:: https://example.org/a.png\n```\n", 5, "external image"),
    "plot with inline code": ("```{eval-rst}\n.. plot::\n\n   import matplotlib\n```\n", 5, "`.. plot::` with inline code"),
    # skips without a reason the reader sees
    "+SKIP": ("```{doctest}\n>>> 1 + 1\n>>> 2  # doctest: +SKIP\n3\n```\n", 6, "`+SKIP` needs a reason"),
    "+SKIP with a silent comment": ("```{doctest}\n>>> 2  # gpu  # doctest: +SKIP\n3\n```\n", 5, "`+SKIP` needs a reason"),
    "+SKIP in eval-rst": ("```{eval-rst}\n.. doctest::\n\n   >>> 2  # doctest: +SKIP\n   3\n```\n", 7, "`+SKIP` needs a reason"),
    ":skipif:": ("```{doctest}\n:skipif: True\n>>> 1\n2\n```\n", 4, "{doctest} with :skipif: needs its reason"),
    ":pyversion:": ("```{testcode}\n:pyversion: > 3.99\nprint(1)\n```\n", 4, "{testcode} with :pyversion: needs its reason"),
    ":options: +SKIP": ("```{doctest}\n:options: +SKIP\n>>> 1\n2\n```\n", 4, ":options: +SKIP needs its reason"),
    ":skipif: with the reason elsewhere": (REASON + "别的段落。\n\n```{doctest}\n:skipif: True\n>>> 1\n```\n", 8, ":skipif: needs its reason"),
    # unseeded randomness
    "default_rng()": ("```{doctest}\n>>> rng = np.random.default_rng()\n```\n", 5, "`default_rng()` without a seed"),
    # resources from other hosts
    "external script": ('文字。\n\n<script src="https://cdn.example.org/x.js"></script>\n', 6, "external resource `https://cdn.example.org/x.js`"),
    "external stylesheet in an html block": ('<div>\n<link rel="stylesheet" href="//cdn.example.org/x.css">\n</div>\n', 5,
                                             "external resource `//cdn.example.org/x.css`"),
    "external inline image": ('一行\n两行 <img src="https://example.org/a.png"> 文字\n', 5, "external resource `https://example.org/a.png`"),
    "external Markdown image": ("![图](https://example.org/a.png)\n", 4, "external image `https://example.org/a.png`"),
    "external raw html": ("```{raw} html\n<iframe src='https://example.org/'></iframe>\n```\n", 5, "external resource"),
    "external css url": ('<div style="background: url(https://example.org/a.png)"></div>\n', 4, "external resource"),
    # ASCII quotes around Chinese phrases in prose
    "ASCII-quoted Chinese": ('他说"你好"。\n', 4, 'ASCII quotes around Chinese prose "你好"'),
    "ASCII-quoted Chinese, second line": ('第一行，\n第二行"中文"。\n', 5, 'ASCII quotes around Chinese prose "中文"'),
    "ASCII-quoted Chinese around code": ('叫作"用 `x` 取值"的写法\n', 4, 'ASCII quotes around Chinese prose "用 … 取值"'),
    "ASCII-quoted Chinese with emphasis": ('形状"每**列**减"。\n', 4, 'ASCII quotes around Chinese prose "每列减"'),
    "ASCII-quoted Chinese in a heading": ('(page-sec)=\n## 为什么"第二次"是空的\n', 5, 'ASCII quotes around Chinese prose "第二次"'),
    "ASCII-quoted Chinese in a table": ('| a | b |\n|---|---|\n| x | 看"读音" |\n', 6, 'ASCII quotes around Chinese prose "读音"'),
    "ASCII-quoted Chinese in an admonition": (':::{note}\n注意"这里"。\n:::\n', 5, 'ASCII quotes around Chinese prose "这里"'),
    "ASCII-quoted Chinese in a glossary": (':::{glossary}\n术语\nterm\n  定义里的"引号"。\n:::\n', 7, 'ASCII quotes around Chinese prose "引号"'),
    # labels
    "heading without label": ("## 小节\n", 4, "heading `## 小节` needs an explicit `(label)=`"),
    "label not kebab-case": ("(Bad_Label)=\n## 小节\n", 4, "label `Bad_Label` must be lowercase ASCII kebab-case"),
    "duplicate label": ("(page)=\n## 小节\n", 4, "label `page` is already defined at"),
}


@pytest.mark.parametrize(("body", "line", "message"), BREAKS.values(), ids=BREAKS.keys())
def test_each_break_is_reported_with_its_line(tmp_path, body, line, message):
    page = tmp_path / "page.md"
    page.write_text(GOOD_HEAD + body, encoding="utf-8")
    problems = [str(p) for p in lint_docs.lint([tmp_path])]
    assert any(p.startswith(f"{page}:{line}: ") and message in p for p in problems), problems


ALLOWED = {
    "tested blocks and shell": "```{doctest}\n>>> 1 + 1\n2\n```\n\n```console\n$ make doctest\n```\n\n"
                               "```{testcode}\nprint(1)\n```\n\n```{testoutput}\n1\n```\n",
    "tested blocks inside directives": "::::{admonition} 例\n:::{doctest}\n>>> 1\n1\n:::\n::::\n",
    "doctest in eval-rst": "```{eval-rst}\n.. doctest::\n\n   >>> 1\n   1\n\n.. code-block:: console\n\n   $ ls\n```\n",
    "plot from a file": "```{eval-rst}\n.. plot:: ../examples/figures/x.py\n   :caption: 图\n```\n",
    "+SKIP with its reason": "```{doctest}\n>>> x.cuda()  # 需要 GPU：本站构建机没有 CUDA  # doctest: +SKIP\n```\n",
    ":skipif: with its reason": REASON + "```{doctest}\n:skipif: not torch.cuda.is_available()\n>>> 1\n1\n```\n",
    ":skipif: with its reason, colon fence": REASON + ":::{testcode}\n:skipif: True\nprint(1)\n:::\n",
    "seeded default_rng": "```{doctest}\n>>> rng = np.random.default_rng(0)\n```\n",
    "local resources and links": '<img src="_static/a.png"> <a href="https://example.org/">链接</a>\n\n![图](_static/a.png)\n',
    "math": "```{math}\n    x = 1\n```\n\n$$\n    y = 2\n$$\n",
    "Chinese quotes and ASCII quotes outside prose": ('他说“你好”。`"中文"` 和 {term}`"术语"`，$\\text{"中"}$，英文 "a large MLP"。\n\n'
                                                      '```text\n"代码里的中文"\n```\n\n```{doctest}\n>>> "中文"\n\'中文\'\n```\n'),
}


@pytest.mark.parametrize("body", ALLOWED.values(), ids=ALLOWED.keys())
def test_what_the_site_may_write_passes(tmp_path, body):
    (tmp_path / "page.md").write_text(GOOD_HEAD + body, encoding="utf-8")
    assert [str(p) for p in lint_docs.lint([tmp_path])] == []


PYTHON_LEXERS = {"PythonLexer", "Python2Lexer", "PythonConsoleLexer", "PythonTracebackLexer", "Python2TracebackLexer", "NumPyLexer"}


def _aliases(python: bool) -> list[str]:
    from pygments.lexers import find_lexer_class

    return sorted({alias for name, aliases, _, _ in get_all_lexers() for alias in aliases
                   if (find_lexer_class(name).__name__ in PYTHON_LEXERS) == python})


@pytest.mark.parametrize("alias", _aliases(python=True))
def test_every_python_lexer_alias_is_python(tmp_path, alias):
    (tmp_path / "page.md").write_text(GOOD_HEAD + f"```{alias}\nx = 1\n```\n\n```{{code-block}} {alias}\nx = 1\n```\n", encoding="utf-8")
    assert len(lint_docs.lint([tmp_path])) == 2


def test_every_other_language_stays_allowed(tmp_path):
    others = [a for a in _aliases(python=False) if a not in lint_docs.PYTHON_LANGS and a.strip("`~{") == a]
    assert "console" in others and "bash" in others and "text" in others
    (tmp_path / "page.md").write_text(GOOD_HEAD + "".join(f"```{a}\nx = 1\n```\n\n" for a in others), encoding="utf-8")
    assert [str(p) for p in lint_docs.lint([tmp_path])] == []


def test_page_without_leading_label(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# 标题\n", encoding="utf-8")
    assert any(str(p).startswith(f"{page}:1: page must start with an explicit label") for p in lint_docs.lint([tmp_path]))


def test_front_matter_is_skipped_before_the_label(tmp_path):
    (tmp_path / "page.md").write_text("---\norphan: true\n---\n\n" + GOOD_HEAD, encoding="utf-8")
    assert lint_docs.lint([tmp_path]) == []


def test_file_names_are_kebab_case(tmp_path):
    (tmp_path / "View_vs_Reshape.md").write_text(GOOD_HEAD, encoding="utf-8")
    assert any("must be kebab-case" in str(p) for p in lint_docs.lint([tmp_path]))


def test_the_skip_rule_is_documented_for_writers():
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "# 需要 GPU：" in contributing and "# doctest: +SKIP" in contributing and ":skipif:" in contributing


def test_command_line_reports_paths_relative_to_the_working_directory(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("```python\nx\n```\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "lint_docs.py"), "docs"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout.startswith(f"docs{os.sep}page.md:1: "), result.stdout
