"""requirements.txt pins every package, torch included, and everything requirements.in names."""

import re

from site_build import ROOT


def test_requirements_pin_everything():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = [ln for ln in lines if ln and not ln.startswith("#")]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+\-]+", p) for p in pins), pins
    assert "torch==2.13.0" in pins
    top_level = {ln.split("==")[0].lower() for ln in (ROOT / "requirements.in").read_text().splitlines()
                 if "==" in ln and not ln.startswith("#")}
    pinned = {p.split("==")[0].lower() for p in pins}
    assert top_level <= pinned
