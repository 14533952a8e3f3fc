"""The layout holds: one-way imports between the folders, and one owner for each shared concern.

Read from the source with `ast`, nothing is imported or run. Each rule names the module that owns
a concern (docs/architecture.md explains why); a failure names the file and line that broke it.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
PACKAGE_DIRS = SETUPTOOLS["package-dir"]
SEVEN = {"en", "sv", "nb", "nn", "da", "fi", "is"}


@dataclass(frozen=True)
class Module:
    name: str  # dotted, as installed (stafett.node.api.writes)
    path: Path
    tree: ast.Module

    @property
    def where(self) -> str:
        return str(self.path.relative_to(ROOT))


@cache
def modules() -> tuple[Module, ...]:
    found = []
    for package, folder in PACKAGE_DIRS.items():
        if package != "stafett" and "." in package.removeprefix("stafett."):
            continue  # sub-packages are reached through their parent's folder
        base = ROOT / folder
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(base).with_suffix("").parts
            if package == "stafett" and parts and parts[0] in {"templates"}:
                continue
            name = ".".join([package, *[p for p in parts if p != "__init__"]])
            found.append(Module(name, path, ast.parse(path.read_text("utf-8"), str(path))))
    return tuple(found)


def imports(module: Module) -> list[tuple[str, int]]:
    """Every stafett.* module this one imports (any depth: functions and TYPE_CHECKING too)."""
    out = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out += [(node.module, node.lineno)]
            out += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return [(name, line) for name, line in out if name.startswith("stafett")]


def under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def offenders(rule) -> list[str]:
    return [f"{m.where}:{line}: {what}" for m in modules() for line, what in rule(m)]


# Which packages may not import which: (importer, imported). The core of stafett/ (problems, web,
# headers, languages, ldes, lru, heap, serving, shutdown) sits under everything; only the
# composition roots (stafett.cli, stafett.demo) know the servers.
FORBIDDEN = [
    ("stafett.node", "stafett.harvester"),
    ("stafett.harvester", "stafett.node"),
    ("stafett.vocabulary", "stafett.node"),
    ("stafett.vocabulary", "stafett.harvester"),
    ("stafett.vocabulary", "stafett.shapes"),
    ("stafett.shapes", "stafett.node"),
    ("stafett.shapes", "stafett.harvester"),
]
COMPOSITION_ROOTS = {"stafett.cli", "stafett.demo", "stafett.__main__"}
# The vocabulary's documentation generator documents the rules too (their version, the change log),
# so it alone may read shapes/spec.py; nothing the vocabulary serves at run time does.
ALLOWED = {("stafett.vocabulary.docs", "stafett.shapes.spec")}


def test_folders_import_one_way():
    def rule(m: Module):
        for name, line in imports(m):
            for importer, imported in FORBIDDEN:
                if under(m.name, importer) and under(name, imported) and not _allowed(m.name, name):
                    yield line, f"{m.name} imports {name}"
            if _in_shared_core(m.name) and (under(name, "stafett.node") or under(name, "stafett.harvester")):
                yield line, f"the shared core module {m.name} imports the server module {name}"

    assert offenders(rule) == []


def _allowed(importer: str, imported: str) -> bool:
    return any(importer == a and under(imported, b) for a, b in ALLOWED)


def _in_shared_core(name: str) -> bool:
    """A module of stafett/ itself (not a server, not a composition root)."""
    parts = name.split(".")
    return (
        len(parts) == 2
        and parts[1] not in {"node", "harvester", "vocabulary", "shapes"}
        and (name not in COMPOSITION_ROOTS)
    )


# Inside each server: pages for people beside the protocol, never inside it; the harvester's steps
# below the Registry never reach back up to it. (importer prefix, imported prefix, why)
INSIDE = [
    ("stafett.node.api", "stafett.node.web", "the node's API hands HTML to web only through app.py"),
    ("stafett.node.web", "stafett.node.api", "the node's pages get what they show from the core"),
    ("stafett.harvester.sparql", "stafett.harvester.web", "sparql/ is the protocol only"),
    ("stafett.harvester.sparql", "stafett.harvester.api", "sparql/ is the protocol only"),
    # The search page answers machines through api/search.py's protocol function (one contract
    # for /search, docs/search.md), so web/ may use api/; api/ never reaches for a page.
    ("stafett.harvester.api", "stafett.harvester.web", "api/ answers machines; pages live in web/"),
]
BELOW_THE_REGISTRY = [
    "db",
    "settings",
    "sources",
    "terms",
    "fetch",
    "parse",
    "admit",
    "quadstore",
    "cases",
    "checkpoint",
    "reports",
    "feed",
    "load",
    "pipeline",
]


def test_inside_each_server_pages_sit_beside_the_protocol():
    def rule(m: Module):
        for name, line in imports(m):
            for importer, imported, why in INSIDE:
                if under(m.name, importer) and under(name, imported):
                    yield line, f"{m.name} imports {name} ({why})"
            core = (
                m.name.startswith("stafett.node.")
                and m.name.count(".") == 2
                and m.name not in {"stafett.node.app", "stafett.node.cli", "stafett.node.bootstrap"}
            )
            if core and any(under(name, f"stafett.node.{part}") for part in ("api", "web", "app")):
                yield line, f"the node's core module {m.name} imports {name}"

    assert offenders(rule) == []


def test_no_harvest_step_imports_the_registry():
    """The pipeline's steps get small typed parts; only the container's users import registry.py."""
    steps = {f"stafett.harvester.{name}" for name in BELOW_THE_REGISTRY}

    def rule(m: Module):
        if m.name in steps:
            for name, line in imports(m):
                if under(name, "stafett.harvester.registry"):
                    yield line, f"{m.name} imports the Registry"

    assert {m.name for m in modules()} >= steps, "a step was renamed: update BELOW_THE_REGISTRY"
    assert offenders(rule) == []


def test_only_the_web_edge_builds_problem_responses():
    """problem+json leaves through stafett.web.problem_response, so headers and shape are the same."""

    def rule(m: Module):
        if m.name in {"stafett.web", "stafett.problems"}:
            return
        for node in ast.walk(m.tree):
            if isinstance(node, ast.FunctionDef) and node.name == "problem_response":
                yield node.lineno, "defines its own problem_response"
            if isinstance(node, ast.Call) and any(
                kw.arg == "media_type" and _mentions_problem_type(kw.value) for kw in node.keywords
            ):
                yield node.lineno, "builds a problem+json response itself"

    assert offenders(rule) == []


def _mentions_problem_type(value: ast.expr) -> bool:
    return (isinstance(value, ast.Name) and value.id == "PROBLEM_MEDIA_TYPE") or (
        isinstance(value, ast.Constant) and value.value == "application/problem+json"
    )


def test_headers_of_a_refusal_travel_in_the_problem():
    """Retry-After and friends are `Problem(headers=...)`, not attributes stuck onto the object."""

    def rule(m: Module):
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Assign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr in {"retry_after", "allow"}:
                        yield node.lineno, f"sets .{target.attr} on an object"

    assert offenders(rule) == []


def test_the_seven_languages_are_listed_once():
    def rule(m: Module):
        if m.name == "stafett.languages":
            return
        for node in ast.walk(m.tree):
            if (
                isinstance(node, ast.Tuple | ast.List | ast.Set)
                and node.elts
                and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
            ):
                if {e.value for e in node.elts} == SEVEN:  # type: ignore[attr-defined]
                    yield node.lineno, "lists the seven languages; use stafett.languages.SUPPORTED"

    assert offenders(rule) == []


@cache
def namespaces() -> tuple[str, ...]:
    tree = next(m.tree for m in modules() if m.name == "stafett.vocabulary.terms")
    values = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and node.value.value.startswith("http")
    ]
    return tuple(sorted(values, key=len, reverse=True))


def test_namespace_iris_are_written_only_in_the_vocabulary_terms():
    def rule(m: Module):
        if m.name == "stafett.vocabulary.terms":
            return
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(m.tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for ns in namespaces():
                    local = node.value[len(ns) :]
                    if node.value.startswith(ns) and (local == "" or local.replace("-", "").isalnum()):
                        yield node.lineno, f"writes {node.value!r}; use stafett.vocabulary.terms"
                        break

    assert offenders(rule) == []


def test_only_the_feed_format_builds_page_links():
    """A `tree:relation` quad is made by stafett.ldes.relation_quads, for node, registry and tests."""

    def rule(m: Module):
        if m.name == "stafett.ldes":
            return
        for node in ast.walk(m.tree):
            if (
                isinstance(node, ast.Call)
                and _called(node) == "Quad"
                and len(node.args) >= 2
                and (_named(node.args[1]) in {"TREE_RELATION"})
            ):
                yield node.lineno, "builds a tree:relation quad; use stafett.ldes.relation_quads"

    assert offenders(rule) == []
    support = (ROOT / "tests" / "harvester" / "harvest_support.py").read_text("utf-8")
    assert "TREE_RELATION," not in support, "test support builds page links with stafett.ldes too"


def _called(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _named(value: ast.expr) -> str:
    return value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")


@pytest.mark.parametrize("app", ["stafett.node.app", "stafett.harvester.app"])
def test_each_app_has_an_explicit_route_list_and_the_shared_error_edge(app):
    module = next(m for m in modules() if m.name == app)
    source = module.path.read_text("utf-8")
    assert "importlib" not in source and "import_module" not in source, f"{app} mounts routes by name"
    assert "exception_handlers(" in source, f"{app} answers errors through stafett.web.exception_handlers"
