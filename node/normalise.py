"""Turn an authored case graph into the node's own form, before validation and stamping.

Steps, in order: find the one `Case` subject; give it the node's IRI; re-mint every nested
object (blank node, or an IRI in the old or new case namespace) as `<case>#<term>-<n>`,
deterministically from the graph's structure, so the same content always yields the same
IRIs and snapshots are quad-identical downstream; drop node-set fields the client sent
(reported as warnings); refuse data that is not attached to the case or that describes
resources outside the case.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from stafett.node.messages import message
from stafett.node.vocab import NODE_SET_PREDICATES, term_for
from stafett.problems import Finding, Problem, too_large
from stafett.vocabulary.terms import RDF_TYPE, STF_CASE

Subject = ox.NamedNode | ox.BlankNode


@dataclass
class Normalised:
    case_iri: str
    triples: list[ox.Triple]  # the case graph without node-set fields, every node an IRI
    old_case_iri: str | None  # the IRI the author gave the case, if any
    warnings: list[Finding] = field(default_factory=list)


def unprocessable(
    detail: str,
    *,
    field_name: str | None = None,
    focus: str | None = None,
    rule: str = "case-structure",
    source: str | None = None,
) -> Problem:
    finding = Finding("Violation", detail, focus_node=focus, field=field_name, rule=rule, source=source)
    return Problem(422, "validation-failed", "The case is not valid", detail, [finding])


def find_case_subject(triples: list[ox.Triple], source: str | None = None, lang: str = "en") -> Subject:
    cases = sorted({t.subject for t in triples if t.predicate == RDF_TYPE and t.object == STF_CASE}, key=str)
    if not cases:
        raise unprocessable(message("no-case", lang), field_name="type", source=source)
    if len(cases) > 1:
        raise unprocessable(message("many-cases", lang, n=len(cases)), field_name="type", source=source)
    return cases[0]


def rebase_iri(iri: str, rebases: list[tuple[str, str]]) -> str:
    for old, new in rebases:
        if iri.startswith(old):
            return new + iri[len(old) :]
    return iri


def rebase_triples(triples: list[ox.Triple], rebases: list[tuple[str, str]]) -> list[ox.Triple]:
    """Rewrite every IRI starting with an OLD prefix to the NEW one (import --rebase)."""
    if not rebases:
        return triples

    def term(t):
        return ox.NamedNode(rebase_iri(t.value, rebases)) if isinstance(t, ox.NamedNode) else t

    return [ox.Triple(term(t.subject), term(t.predicate), term(t.object)) for t in triples]


def normalise(
    quads, case_iri: str, *, source: str | None = None, lang: str = "en", max_depth: int = 24
) -> Normalised:
    """The authored graph (default graph only) renamed, skolemised and stripped of node-set fields."""
    triples = [
        ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == ox.DefaultGraph()
    ]
    root = find_case_subject(triples, source, lang)
    old_iri = root.value if isinstance(root, ox.NamedNode) else None
    new_root = ox.NamedNode(case_iri)
    triples = [rename(t, root, new_root) for t in triples]
    triples, warnings = drop_node_set(triples, new_root, source, lang)
    by_subject = group_by_subject(triples)
    check_attached(by_subject, new_root, source, lang)
    check_nesting(by_subject, new_root, max_depth, source, lang)
    nested = nested_namespaces(old_iri, case_iri)
    names = mint_names(by_subject, new_root, nested, source, lang)
    triples = [
        ox.Triple(names.get(t.subject, t.subject), t.predicate, names.get(t.object, t.object))
        for t in triples
    ]
    return Normalised(case_iri, dedupe(triples), old_iri, warnings)


def rename(t: ox.Triple, old, new) -> ox.Triple:
    return ox.Triple(
        new if t.subject == old else t.subject, t.predicate, new if t.object == old else t.object
    )


def dedupe(triples: list[ox.Triple]) -> list[ox.Triple]:
    return sorted(set(triples), key=str)


def drop_node_set(triples, root, source, lang: str = "en") -> tuple[list[ox.Triple], list[Finding]]:
    """Remove client-sent publisher/issued/modified/version (and whatever hangs only off them)."""
    dropped = [t for t in triples if t.subject == root and t.predicate in NODE_SET_PREDICATES]
    if not dropped:
        return triples, []
    warnings = []
    for predicate in sorted({t.predicate for t in dropped}, key=str):
        name = term_for(predicate)
        warnings.append(
            Finding(
                "Warning",
                message("node-set", lang, field=name),
                focus_node=root.value,
                path=predicate.value,
                field=name,
                rule="node-set",
                source=source,
            )
        )
    dropped_set = set(dropped)
    kept = [t for t in triples if t not in dropped_set]
    reachable = reachable_from(group_by_subject(kept), root)
    orphans_before = set(group_by_subject(triples)) - reachable_from(group_by_subject(triples), root)
    return [t for t in kept if t.subject in reachable or t.subject in orphans_before], warnings


def group_by_subject(triples) -> dict[Subject, list[ox.Triple]]:
    grouped: dict = defaultdict(list)
    for t in triples:
        grouped[t.subject].append(t)
    return grouped


def reachable_from(by_subject, root) -> set:
    seen, stack = {root}, [root]
    while stack:
        for t in by_subject.get(stack.pop(), ()):
            if t.object in by_subject and t.object not in seen:
                seen.add(t.object)
                stack.append(t.object)
    return seen


def check_attached(by_subject, root, source, lang: str = "en") -> None:
    orphans = set(by_subject) - reachable_from(by_subject, root)
    if orphans:
        shown = ", ".join(
            sorted(o.value if isinstance(o, ox.NamedNode) else "a nested object" for o in orphans)[:3]
        )
        raise unprocessable(message("orphans", lang, shown=shown), source=source)


def check_nesting(by_subject, root, max_depth: int, source, lang: str = "en") -> None:
    """Refuse a graph whose stored document would nest objects deeper than `max_depth`.

    The input's JSON depth is checked before parsing, but a short JSON-LD `@list` or a Turtle
    chain of blank nodes is flat text that becomes one nested object per item once stored (and
    the naming, compaction and JSON writing after this point recurse). Heights are memoised and
    the walk is iterative, so the check is linear in the graph and needs no stack.
    """
    deepest = nesting_depth(by_subject, root, max_depth)
    if deepest > max_depth:
        raise too_large(message("too-deep", lang, limit=max_depth), source=source)


def nesting_depth(by_subject, root, stop_after: int) -> int:
    """Levels of nested objects under `root` (root alone is 1); stops once over `stop_after`."""
    height: dict = {}
    path = [(root, iter(by_subject.get(root, ())))]
    on_path = {root}
    while path:
        node, edges = path[-1]
        child = next(
            (
                t.object
                for t in edges
                if t.object in by_subject and t.object not in on_path and t.predicate != RDF_TYPE
            ),
            None,
        )
        if child is None:
            path.pop()
            on_path.discard(node)
            below = [
                height[t.object]
                for t in by_subject.get(node, ())
                if t.object in height and t.predicate != RDF_TYPE
            ]
            height[node] = 1 + max(below, default=0)
        elif child in height:
            if len(path) + height[child] > stop_after:
                return len(path) + height[child]
        else:
            if len(path) + 1 > stop_after:
                return len(path) + 1
            path.append((child, iter(by_subject.get(child, ()))))
            on_path.add(child)
    return height[root]


def nested_namespaces(old_iri: str | None, case_iri: str) -> tuple[str, ...]:
    prefixes = [case_iri + "#"]
    if old_iri and old_iri != case_iri:
        prefixes.append(old_iri + "#")
    return tuple(prefixes)


def is_nested(node, nested: tuple[str, ...]) -> bool:
    return isinstance(node, ox.BlankNode) or (
        isinstance(node, ox.NamedNode) and node.value.startswith(nested)
    )


def mint_names(by_subject, root, nested, source, lang: str = "en") -> dict:
    """Map every nested node to `<case>#<path>`, children ordered by a hash of their content."""
    names: dict = {}
    digests: dict = {}

    def digest(node, trail=frozenset()) -> str:
        if node in digests:
            return digests[node]
        if node in trail:  # a cycle between nested objects: name it by position only
            return "cycle"
        parts = []
        for t in by_subject.get(node, ()):
            obj = t.object
            value = digest(obj, trail | {node}) if is_nested(obj, nested) else str(obj)
            parts.append(f"{t.predicate} {value}")
        digests[node] = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()
        return digests[node]

    def visit(node, prefix: str) -> None:
        children: dict = defaultdict(list)
        for t in by_subject.get(node, ()):
            if t.object == root or not is_nested(t.object, nested):
                continue
            children[t.predicate].append(t.object)
        for predicate, objects in sorted(children.items(), key=lambda kv: str(kv[0])):
            term = term_for(predicate) or predicate.value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            unique = sorted(set(objects), key=lambda o: (digest(o), str(o)))
            for n, obj in enumerate(unique, start=1):
                if obj in names:
                    continue  # the same object reached twice keeps its first name
                label = term if len(unique) == 1 and not is_set_term(term) else f"{term}-{n}"
                name = f"{prefix}-{label}" if prefix else label
                names[obj] = ox.NamedNode(f"{root.value}#{name}")
                visit(obj, name)

    visit(root, "")
    outside = [s for s in by_subject if s != root and s not in names]
    if outside:
        iri = outside[0].value
        raise unprocessable(message("foreign-iri", lang, iri=iri), focus=iri, rule="namespace", source=source)
    return names


def is_set_term(term: str) -> bool:
    from stafett.node.vocab import SET_TERMS

    return term in SET_TERMS
