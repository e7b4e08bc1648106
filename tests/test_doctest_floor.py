"""tools/doctest_floor.py, `make bench`'s floor, runs what `make doctest` runs, minus Sphinx.

A floor that fails or skips differently from `make doctest` measures something else:
it broke once without anyone noticing (an import conf.py's setup needs).
"""

import subprocess
import sys

from site_build import ROOT

FLOOR = ROOT / "tools" / "doctest_floor.py"

PAGE = """\
# Page

```{doctest}
>>> i = 1
>>> def late():
...     return i
```

```{doctest}
>>> i = 'late'
>>> late()
'late'
```

```{doctest}
:skipif: True
>>> 1 + 1
3
```

```{doctest}
:pyversion: "< 3.0"
>>> 2 + 2
5
```
"""


def run_floor(docs):
    return subprocess.run([sys.executable, str(FLOOR), str(docs)], capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_the_floor_passes_on_the_whole_site():
    done = run_floor(ROOT / "docs")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pages, examples = done.stdout.strip().splitlines()[-1].split(" pages, ")
    assert int(pages) > 25 and int(examples.split()[0]) > 1000, done.stdout


def test_blocks_share_the_page_namespace_and_left_out_blocks_stay_out(tmp_path):
    (tmp_path / "page.md").write_text(PAGE, encoding="utf-8")
    done = run_floor(tmp_path)
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith("1 pages, 4 examples, 0 failures"), done.stdout


def test_break_a_wrong_output_fails_with_its_file_and_line(tmp_path):
    (tmp_path / "page.md").write_text(PAGE.replace("late()\n'late'", "late()\n'early'"), encoding="utf-8")
    done = run_floor(tmp_path)
    assert done.returncode == 1
    assert f'File "{tmp_path / "page.md"}", line 12' in done.stdout, done.stdout
