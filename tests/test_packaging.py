"""The package list in pyproject.toml covers every folder and data file the package ships.

setuptools warns ("Package would be ignored") for a folder Python could import that is not listed
as a package, and a data file that no `package-data` pattern matches is silently left out of the
wheel; either would break an installed (non-editable) Stafett.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
PACKAGES = SETUPTOOLS["packages"]


def folder(package: str) -> Path:
    """Where a package's files are, by the longest `package-dir` prefix (as setuptools resolves it)."""
    mapping = SETUPTOOLS["package-dir"]
    parent = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
    return ROOT / mapping[parent] / Path(*package[len(parent) :].split(".")[1:])


def files(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file() and "__pycache__" not in path.parts]


def test_every_subfolder_of_a_package_is_a_listed_package():
    listed = {folder(package) for package in PACKAGES}
    folders = {path.parent for package in PACKAGES for path in files(folder(package))}
    assert sorted(map(str, folders - listed)) == [], "add these to [tool.setuptools] packages"


def test_every_data_file_is_matched_by_its_package_data():
    patterns = SETUPTOOLS["package-data"]
    unshipped = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in files(folder(package))
        if path.parent == folder(package)
        and path.suffix != ".py"
        and not any(fnmatch.fnmatch(path.name, p) for p in patterns.get(package, []))
    ]
    assert unshipped == [], "add a [tool.setuptools.package-data] pattern for these"
