"""The committed shapes and schema are exactly what shapes/spec.py produces."""

from __future__ import annotations

from stafett.shapes import build


def test_generated_files_are_up_to_date():
    """Built from the authority tables the package ships (vocabulary/reference), as on a fresh clone."""
    assert build.main(["--check"]) == 0
