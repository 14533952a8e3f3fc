"""Paths of the W3C reference tests this folder reads (copied into tests/reference/, see its README)."""

from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "w3c-tests"
RDF_CANON = REFERENCE / "rdf-canon" / "tests"
EDDSA = REFERENCE / "vc-di-eddsa" / "TestVectors"
