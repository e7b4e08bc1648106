"""DOI-ready: CITATION.cff is valid Citation File Format 1.2.0, and .zenodo.json (what Zenodo
reads when a GitHub release is archived, one DOI per version) says the same as CITATION.cff.

`cffconvert --validate` is jsonschema.validate() with the CFF 1.2.0 schema and a format
checker. cffconvert itself cannot be installed beside this project's pins (its latest
release, 2.0.0, requires jsonschema<4; nbformat's jsonschema is pinned at 4.x), so this test
does the same call with the schema file cffconvert 2.0.0 ships, vendored as
tests/schemas/citation-file-format-1.2.0.json (from the citation-file-format project, CC-BY-4.0).
The Zenodo fields are the ones `cffconvert --format zenodo` derives from a CFF, plus
upload_type, which Zenodo requires and cffconvert leaves out.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
import yaml
from site_build import ROOT

SCHEMA = ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json"
UPLOAD_TYPES = {"software": "software", "dataset": "dataset"}  # CFF type -> Zenodo upload_type


def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def zenodo() -> dict:
    return json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))


def cff_problems(data: dict) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"CITATION.cff: {'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]


def creator(author: dict) -> dict:
    """As cffconvert's ZenodoCreator: an entity's name, or "Family, Given" with affiliation and ORCID."""
    if "name" in author:
        return {"name": author["name"]}
    found = {"name": ", ".join(filter(None, [author.get("family-names"), author.get("given-names")]))}
    if "affiliation" in author:
        found["affiliation"] = author["affiliation"]
    if "orcid" in author:
        found["orcid"] = author["orcid"].removeprefix("https://orcid.org/")
    return found


def expected_zenodo(data: dict) -> dict:
    expected = {
        "title": data["title"],
        "upload_type": UPLOAD_TYPES[data.get("type", "software")],
        "version": data["version"],
        "publication_date": data["date-released"],
        "creators": [creator(a) for a in data["authors"]],
        "description": data["abstract"].strip(),
        "keywords": data.get("keywords", []),
    }
    if "license" in data:
        expected["license"] = {"id": data["license"]}
    return expected


def zenodo_problems(data: dict, record: dict) -> list[str]:
    expected = expected_zenodo(data)
    return ([f".zenodo.json: {key} is {record.get(key)!r}, CITATION.cff says {value!r}"
             for key, value in expected.items() if record.get(key) != value]
            + [f".zenodo.json: {key} is not derived from CITATION.cff" for key in sorted(set(record) - set(expected))])


def test_citation_cff_is_valid_cff_1_2_0():
    assert cff_problems(cff()) == []


def test_zenodo_json_says_what_citation_cff_says():
    assert zenodo_problems(cff(), zenodo()) == []


def test_zenodo_version_is_the_release():
    assert zenodo()["version"] == (ROOT / "VERSION").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("edit, problem", [
    (lambda d: d.pop("title"), "CITATION.cff: (top): 'title' is a required property"),
    (lambda d: d.update({"date-released": "27.11.2026"}), "CITATION.cff: date-released: '27.11.2026' does not match"),
    (lambda d: d["authors"].append({"nmae": "x"}), "CITATION.cff: authors/1: {'nmae': 'x'} is not valid under any of the given schemas"),
])
def test_an_invalid_citation_cff_is_caught(edit, problem):
    data = copy.deepcopy(cff())
    edit(data)
    problems = cff_problems(data)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_zenodo_json_that_drifted_from_citation_cff_is_caught():
    data = copy.deepcopy(cff())
    data["version"] = "2099.01"
    record = {**zenodo(), "access_right": "open"}
    assert zenodo_problems(data, record) == [
        f".zenodo.json: version is {zenodo()['version']!r}, CITATION.cff says '2099.01'",
        ".zenodo.json: access_right is not derived from CITATION.cff",
    ]
