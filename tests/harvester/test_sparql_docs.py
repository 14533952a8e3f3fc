"""docs/sparql.md keeps up with the code: every setting and every problem slug is documented."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from stafett.harvester.sparql.settings import ENV_PREFIX, SparqlSettings

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "sparql.md").read_text(encoding="utf-8")
SOURCES = [*sorted((ROOT / "harvester" / "sparql").glob("*.py")), ROOT / "stafett" / "demo.py"]
SLUG_CALL = re.compile(r'(?:refused|limit_problem|Problem)\(([^"()]{0,60})"([a-z][a-z-]+)"')
SLUG_KEY = re.compile(r'"slug": "([a-z][a-z-]+)"')


def slugs_in_code() -> set[str]:
    found = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        found |= {m.group(2) for m in SLUG_CALL.finditer(text)} | set(SLUG_KEY.findall(text))
    return found


def test_every_setting_is_documented():
    missing = [spec.name for spec in fields(SparqlSettings) if f"`{spec.name.upper()}`" not in DOC]
    assert not missing, f"document these settings ({ENV_PREFIX}...) in docs/sparql.md: {missing}"


def test_every_problem_slug_is_documented():
    slugs = slugs_in_code()
    assert {"update-refused", "service-refused", "query-timeout", "too-many-queries"} <= slugs
    missing = sorted(slug for slug in slugs if f"`{slug}`" not in DOC)
    assert not missing, f"document these problem types in docs/sparql.md: {missing}"
