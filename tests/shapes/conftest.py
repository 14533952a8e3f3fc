"""Fixtures for the shapes tests."""

from __future__ import annotations

import json

import pytest
import rdflib
from shapes_support import CONTEXT, SCHEMA_JSON, SHAPES_TTL


@pytest.fixture(scope="session")
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_TTL)


@pytest.fixture(scope="session")
def schema() -> dict:
    return json.loads(SCHEMA_JSON.read_text("utf-8"))


@pytest.fixture(scope="session")
def context() -> dict:
    return json.loads(CONTEXT.read_text("utf-8"))["@context"]
