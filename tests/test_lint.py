"""tools/lint_docs.py: the site passes, and every kind of break is caught with file:line."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import lint_docs  # noqa: E402


def test_the_site_passes_the_lint():
    assert [str(p) for p in lint_docs.lint([ROOT / "docs"])] == []


GOOD_HEAD = "(page)=\n# 标题\n\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("```python\nprint(1)\n```\n", 4, "untested Python block `python`"),
        ("```pycon\n>>> 1\n1\n```\n", 4, "untested Python block `pycon`"),
        ("```\nx = 1\n```\n", 4, "untested Python block `(no language)`"),
        ("```{code-block} python\nx = 1\n```\n", 4, "untested Python block `{code-block} python`"),
        (">>> 1 + 1\n2\n", 4, "`>>>` outside a {doctest} directive"),
        (":::{note}\n>>> 1 + 1\n:::\n", 5, "`>>>` outside a {doctest} directive"),
        ("## 小节\n", 4, "heading `## 小节` needs an explicit `(label)=`"),
        ("(Bad_Label)=\n## 小节\n", 4, "label `Bad_Label` must be lowercase ASCII kebab-case"),
        ("(page)=\n## 小节\n", 4, "label `page` is already defined at"),
    ],
)
def test_each_break_is_reported_with_its_line(tmp_path, body, line, message):
    page = tmp_path / "page.md"
    page.write_text(GOOD_HEAD + body, encoding="utf-8")
    problems = [str(p) for p in lint_docs.lint([tmp_path])]
    assert any(p.startswith(f"{page}:{line}: ") and message in p for p in problems), problems


def test_tested_blocks_and_shell_fences_pass(tmp_path):
    (tmp_path / "page.md").write_text(
        GOOD_HEAD + "```{doctest}\n>>> 1 + 1\n2\n```\n\n```console\n$ make doctest\n```\n\n"
        "```{testcode}\nprint(1)\n```\n\n```{testoutput}\n1\n```\n", encoding="utf-8")
    assert lint_docs.lint([tmp_path]) == []


def test_page_without_leading_label(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# 标题\n", encoding="utf-8")
    assert any(str(p).startswith(f"{page}:1: page must start with an explicit label") for p in lint_docs.lint([tmp_path]))


def test_front_matter_is_skipped_before_the_label(tmp_path):
    (tmp_path / "page.md").write_text("---\nstatus: pending\n---\n\n" + GOOD_HEAD, encoding="utf-8")
    assert lint_docs.lint([tmp_path]) == []


def test_file_names_are_kebab_case(tmp_path):
    (tmp_path / "View_vs_Reshape.md").write_text(GOOD_HEAD, encoding="utf-8")
    assert any("must be kebab-case" in str(p) for p in lint_docs.lint([tmp_path]))


def test_command_line_exit_status(tmp_path):
    (tmp_path / "page.md").write_text("```python\nx\n```\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "lint_docs.py"), str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and f"{tmp_path / 'page.md'}:1:" in result.stdout
