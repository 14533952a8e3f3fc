"""Each tests/shapes/invalid/<name>.jsonld yields exactly the findings listed in <name>.expected.json."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from shapes_support import invalid_examples

from stafett.problems import Problem
from stafett.shapes import validate_document

EXAMPLES = invalid_examples()


def test_there_are_enough_invalid_examples():
    assert len(EXAMPLES) >= 12
    assert all(p.with_suffix(".expected.json").exists() for p in EXAMPLES)


def key(finding: dict) -> tuple:
    return (finding["severity"], finding.get("field"), finding["rule"].rsplit("#", 1)[-1])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_invalid_example_yields_exactly_its_expected_findings(path):
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    if expected["exit"] == 2:
        with pytest.raises(Problem) as refused:
            validate_document(path.read_bytes(), "application/ld+json", source=path.name)
        assert refused.value.slug == expected["problem"]
        return
    _, report = validate_document(path.read_bytes(), "application/ld+json", source=path.name)
    got = Counter(key(f.as_dict()) for f in report.findings)
    assert got == Counter(key(f) for f in expected["findings"])
    assert not report.conforms
