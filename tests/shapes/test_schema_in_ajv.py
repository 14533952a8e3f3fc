"""shapes/case.schema.json compiles in ajv 8 strict mode (with ajv-formats) and in Python jsonschema,
and both give the same verdict on every example case, every tests/shapes/invalid case and the
agreement corpus of test_shape_agreement.py.

ajv is the JavaScript validator most web forms and API gateways use; it reads patterns as
Unicode-mode regular expressions, stricter than Python's `re`. Node.js and the npm packages in
tests/js are installed by scripts/setup.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from shapes_support import REPO, SCHEMA_JSON
from test_shape_agreement import corpus

SCRIPT = REPO / "tests" / "js" / "validate-schema.mjs"
AJV = REPO / "tests" / "js" / "node_modules" / "ajv" / "package.json"


def ajv_verdicts(schema: Path, documents: list[tuple[str, bytes]]) -> dict[str, dict]:
    assert shutil.which("node"), "Node.js is missing: run scripts/setup"
    assert AJV.exists(), "ajv is missing: run scripts/setup (npm install in tests/js)"
    sent = json.dumps([{"name": name, "text": raw.decode("utf-8", "replace")} for name, raw in documents])
    run = subprocess.run(
        ["node", str(SCRIPT), str(schema)],
        input=sent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def python_verdict(validator: Draft202012Validator, raw: bytes) -> bool:
    try:
        document = json.loads(raw)
    except ValueError:
        return False
    return validator.is_valid(document)


@pytest.fixture(scope="module")
def documents() -> list[tuple[str, bytes]]:
    return corpus()


def test_ajv_strict_and_jsonschema_agree_on_every_document(documents):
    Draft202012Validator.check_schema(json.loads(SCHEMA_JSON.read_text("utf-8")))
    validator = Draft202012Validator(
        json.loads(SCHEMA_JSON.read_text("utf-8")), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    verdicts = ajv_verdicts(SCHEMA_JSON, documents)
    assert set(verdicts) == {name for name, _ in documents}
    disagreements = {
        name: verdicts[name]
        for name, raw in documents
        if verdicts[name]["valid"] != python_verdict(validator, raw)
    }
    assert not disagreements
    valid = [name for name, v in verdicts.items() if v["valid"]]
    assert len(valid) >= 5 and len(verdicts) - len(valid) >= 20  # both verdicts are exercised


def test_a_pattern_ajv_cannot_read_fails_the_compile(tmp_path):
    """The check is real: the old URL pattern (an escaped quote) is refused in Unicode mode."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "string",
        "pattern": r"^https?://[^\s<>\"{}|\\^`]+$",
    }
    path = tmp_path / "old.schema.json"
    path.write_text(json.dumps(schema), "utf-8")
    run = subprocess.run(
        ["node", str(SCRIPT), str(path)], input="[]", capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 2 and "Invalid escape" in run.stderr
