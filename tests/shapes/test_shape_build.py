"""The committed shapes and schema are exactly what shapes/spec.py produces."""

from __future__ import annotations

import pytest
from shapes_support import SHARED
from stafett.shapes import build


@pytest.mark.skipif(not (SHARED / "reference" / "authority-tables").is_dir(),
                    reason="../shared/reference is not checked out beside the repo")
def test_generated_files_are_up_to_date():
    assert build.main(["--check", "--reference", str(SHARED / "reference")]) == 0
