"""The hosting configs follow their published schemas: both GitHub workflows against GitHub's
workflow schema and .readthedocs.yaml against Read the Docs' own, as check-jsonschema vendors them
(its `--builtin-schema vendor.github-workflows` and `vendor.readthedocs`), read offline.

Problems are reported as `file:line: message`, the line found from the YAML node of the failing path.
"""

from __future__ import annotations

import io
import json
from importlib.resources import files
from pathlib import Path

import pytest

from jsonschema import Draft7Validator, validators
from ruamel.yaml import YAML
from site_build import ROOT

VENDORED = files("check_jsonschema") / "builtin_schemas" / "vendor"
CONFIGS = {
    ".github/workflows/pages.yml": "github-workflows.json",
    ".github/workflows/doctest-matrix.yml": "github-workflows.json",
    ".readthedocs.yaml": "readthedocs.json",
}


def schema(name: str) -> dict:
    return json.loads((VENDORED / name).read_text(encoding="utf-8"))


def line_of(document, path) -> int:
    """1-based line of the deepest node on `path` that the YAML document has."""
    node, line = document, 1
    for key in path:
        try:
            position = node.lc.key(key) if isinstance(key, str) else node.lc.item(key)
        except (AttributeError, KeyError, IndexError, TypeError):
            break
        line = position[0] + 1
        node = node[key]
    return line


def schema_problems(name: str, text: str, schema_name: str) -> list[str]:
    document = YAML().load(io.StringIO(text))
    rules = schema(schema_name)
    validator = validators.validator_for(rules, default=Draft7Validator)(rules)
    return [f"{name}:{line_of(document, list(error.absolute_path))}: {error.message}"
            for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))]


@pytest.mark.parametrize("config", CONFIGS)
def test_config_follows_its_published_schema(config):
    assert schema_problems(config, (ROOT / config).read_text(encoding="utf-8"), CONFIGS[config]) == []


def test_a_workflow_that_breaks_the_schema_is_caught():
    text = (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8").replace("runs-on:", "runs_on:", 1)
    problems = schema_problems("pages.yml", text, "github-workflows.json")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "runs_on:" in ln)
    job_line = max(i for i, ln in enumerate(text.splitlines()[:line], 1) if ln.startswith("  ") and not ln.startswith("   ") and ln.strip().endswith(":"))
    assert problems and problems[0].startswith(f"pages.yml:{job_line}: "), problems


def test_a_read_the_docs_config_that_breaks_the_schema_is_caught():
    text = (ROOT / ".readthedocs.yaml").read_text(encoding="utf-8")
    os_line = next(ln.strip() for ln in text.splitlines() if ln.strip().startswith("os: "))
    text = text.replace(os_line, "os: ubuntu-99.04", 1)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "ubuntu-99.04" in ln)
    problems = schema_problems(".readthedocs.yaml", text, "readthedocs.json")
    assert len(problems) == 1 and problems[0].startswith(f".readthedocs.yaml:{line}: 'ubuntu-99.04' is not one of ["), problems
