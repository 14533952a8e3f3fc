"""The embedded store's page write (issue 17): `Store.extend` when a page only adds, else the update.

Both paths run against real on-disk pyoxigraph stores and must leave the same quads behind.
"""

from __future__ import annotations

import pyoxigraph as ox

from stafett.harvester.quadstore import EmbeddedStore

EX = "https://node.example/"
PROV = "https://registry.example/graph/provenance"
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
PART = ox.NamedNode("http://purl.org/dc/terms/hasPart")


def case_triples(n: int, title: str, part: ox.BlankNode | None = None) -> list[ox.Triple]:
    case = ox.NamedNode(f"{EX}case/{n}")
    out = [ox.Triple(case, TITLE, ox.Literal(title))]
    if part is not None:  # the parser keeps a blank node label page-wide: two members may share one
        out += [ox.Triple(case, PART, part), ox.Triple(part, TITLE, ox.Literal(f"part of {title}"))]
    return out


def provenance(n: int, note: str) -> list[ox.Triple]:
    return [ox.Triple(ox.NamedNode(f"{EX}case/{n}"), TITLE, ox.Literal(note))]


def write_page(
    backend: EmbeddedStore, cases: list[tuple[int, str]], part: ox.BlankNode | None = None
) -> None:
    batch = backend.batch()
    for n, title in cases:
        batch.write_case(
            f"{EX}case/{n}", case_triples(n, title, part), PROV, [f"{EX}case/{n}"], provenance(n, title)
        )
    batch.commit()


def stores(tmp_path) -> tuple[EmbeddedStore, EmbeddedStore]:
    new = EmbeddedStore(ox.Store(str(tmp_path / "extend")))
    old = EmbeddedStore(ox.Store(str(tmp_path / "update")), write_mode="update")
    return new, old


def named_quads(backend: EmbeddedStore) -> set[tuple[str, str, str, str]]:
    """Every quad without blank nodes, as text (blank node labels differ between the two paths)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in backend.store
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def titles(backend: EmbeddedStore, n: int) -> set[str]:
    graph = ox.NamedNode(f"{EX}case/{n}")
    return {
        q.object.value
        for q in backend.store.quads_for_pattern(ox.NamedNode(f"{EX}case/{n}"), TITLE, None, graph)
    }


def test_a_page_of_new_cases_is_one_extend_with_the_same_quads_as_the_update(tmp_path):
    new, old = stores(tmp_path)
    for backend in (new, old):
        write_page(backend, [(1, "one"), (2, "two")])
    assert (new.extends, new.updates) == (1, 0)
    assert (old.extends, old.updates) == (0, 1)
    assert named_quads(new) == named_quads(old)
    assert len(new.store) == len(old.store) == 4


def test_a_page_that_replaces_a_held_case_goes_as_the_update(tmp_path):
    new, old = stores(tmp_path)
    for backend in (new, old):
        write_page(backend, [(1, "one")])
        write_page(backend, [(1, "one, revised"), (3, "three")])
    assert (new.extends, new.updates) == (1, 1)
    assert titles(new, 1) == {"one, revised"}  # the old title is gone, not kept beside the new
    prov = list(new.store.quads_for_pattern(ox.NamedNode(f"{EX}case/1"), None, None, ox.NamedNode(PROV)))
    assert [q.object.value for q in prov] == ["one, revised"]
    assert named_quads(new) == named_quads(old)


def test_a_case_twice_on_one_page_ends_as_the_later_copy(tmp_path):
    new, old = stores(tmp_path)
    for backend in (new, old):
        write_page(backend, [(1, "first copy"), (1, "later copy")])
    assert new.updates == 1 and new.extends == 0
    assert titles(new, 1) == titles(old, 1) == {"later copy"}


def test_blank_nodes_shared_by_two_members_stay_two_resources(tmp_path):
    new, old = stores(tmp_path)
    shared = ox.BlankNode("b0")
    for backend in (new, old):
        write_page(backend, [(1, "one"), (2, "two")], part=shared)
    assert new.extends == 1
    for backend in (new, old):
        parts = {q.object for q in backend.store.quads_for_pattern(None, PART, None, None)}
        assert len(parts) == 2  # one fresh node per member, never merged
        assert ox.BlankNode("b0") not in parts
    assert len(new.store) == len(old.store) == 8


def test_a_held_marker_is_replaced_apart_and_the_cases_still_go_as_one_extend(tmp_path):
    """The search index replaces its commit marker on every page: that alone must not send the
    page's new cases through the update (it did at first, and the harvest gained nothing)."""
    new, old = stores(tmp_path)
    marker = f"{EX}search#commit"
    for backend in (new, old):
        for page, cases in enumerate(([(1, "one")], [(2, "two"), (3, "three")])):
            batch = backend.batch()
            for n, title in cases:
                case = f"{EX}case/{n}"
                batch.write_case(case, case_triples(n, title), PROV, [case], provenance(n, title))
            batch.replace_about(
                PROV, [marker], [ox.Triple(ox.NamedNode(marker), TITLE, ox.Literal(f"token {page}"))]
            )
            batch.commit()
    assert (new.extends, new.updates) == (2, 0)
    held = list(new.store.quads_for_pattern(ox.NamedNode(marker), None, None, ox.NamedNode(PROV)))
    assert [q.object.value for q in held] == ["token 1"]  # replaced, not kept beside the old one
    assert named_quads(new) == named_quads(old)
