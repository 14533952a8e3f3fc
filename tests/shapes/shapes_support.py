"""Paths and loaders for the shapes tests (they read the generated artefacts, not shapes/spec.py)."""

from __future__ import annotations

from pathlib import Path

import rdflib

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "tests" / "reference"
SHAPES_TTL = REPO / "shapes" / "case-shapes.ttl"
SCHEMA_JSON = REPO / "shapes" / "case.schema.json"
CONTEXT = REPO / "vocabulary" / "context-v1.jsonld"
VALID_DIR = REPO / "examples" / "cases"
INVALID_DIR = REPO / "tests" / "shapes" / "invalid"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
STFS = rdflib.Namespace("https://w3id.org/stafett/shapes#")
CONTEXT_URL = "https://w3id.org/stafett/context/v1"


def minimal_case(**changes) -> dict:
    """A case with every Violation-level key and nothing else (tests add what they need)."""
    doc = {
        "@context": CONTEXT_URL,
        "id": "https://test.stafett.example/case/1",
        "type": "Case",
        "title": {"sv": "Ett ärende"},
        "summary": {"sv": "Kort om ärendet."},
        "status": "pilot",
        "country": "SWE",
        "language": ["SWE"],
        "buyer": [{"name": {"sv": "Exempelby kommun"}}],
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


def valid_examples() -> list[Path]:
    return sorted(VALID_DIR.glob("*.jsonld")) if VALID_DIR.is_dir() else []


def invalid_examples() -> list[Path]:
    return sorted(INVALID_DIR.glob("*.jsonld"))
