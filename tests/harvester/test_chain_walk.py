"""The adoption-chain walk (harvester/web/chain.py) over a real pyoxigraph store laid out as the
registry lays it out (one named graph per case): links stated on either side, cycles, and the
bounds on depth and size."""

from __future__ import annotations

import pyoxigraph as ox

from stafett.harvester.web import chain
from stafett.harvester.web.chain_page import starting_case

STF = "https://w3id.org/stafett/ns#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CASE = ox.NamedNode(STF + "Case")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")


def iri(name: str) -> str:
    return f"https://node.example/case/{name}"


def store_of(links: list[tuple[str, str, str]], cases: list[str]) -> ox.Store:
    """Each case in its own graph; each link (subject, property, object) in its subject's graph."""
    store = ox.Store()
    for name in cases:
        node = ox.NamedNode(iri(name))
        store.add(ox.Quad(node, TYPE, CASE, node))
        store.add(ox.Quad(node, TITLE, ox.Literal(name, language="en"), node))
    for subject, prop, obj in links:
        node = ox.NamedNode(iri(subject))
        predicate = ox.NamedNode(("http://purl.org/dc/terms/" if prop == "relation" else STF) + prop)
        store.add(ox.Quad(node, predicate, ox.NamedNode(iri(obj)), node))
    return store


def test_links_stated_on_either_side_read_as_one_chain_in_order():
    store = store_of(
        [
            ("scale", "scaledUpFrom", "pilot"),
            ("pilot", "adoptedBy", "adopter"),  # stated by the original only
            ("second", "adoptedFrom", "adopter"),  # an adopter of the adopter
            ("other", "relation", "pilot"),
        ],
        ["pilot", "scale", "adopter", "second", "other"],
    )
    for start in ("pilot", "second", "other"):
        found = chain.follow(store, iri(start))
        assert set(found.cases) == {iri(n) for n in ("pilot", "scale", "adopter", "second", "other")}
        assert not found.truncated
        generation = chain.generations(found)
        assert generation == {iri("pilot"): 0, iri("scale"): 1, iri("adopter"): 1, iri("second"): 2}
        assert chain.Link(iri("adopter"), chain.ADOPTION, iri("pilot")) in found.links


def test_a_cycle_ends_the_walk_and_every_case_is_visited_once():
    store = store_of(
        [("a", "adoptedFrom", "b"), ("b", "adoptedFrom", "c"), ("c", "adoptedFrom", "a")], ["a", "b", "c"]
    )
    found = chain.follow(store, iri("a"))
    assert sorted(found.cases) == sorted(iri(n) for n in "abc")
    assert len(found.links) == 3
    assert set(chain.generations(found)) == {iri(n) for n in "abc"}  # placed, after any origin


def test_a_long_chain_stops_at_the_bounds_and_says_so():
    names = [f"step-{n}" for n in range(100)]
    links = [(names[n + 1], "scaledUpFrom", names[n]) for n in range(99)]
    store = store_of(links, names)
    deep = chain.follow(store, iri(names[0]), max_depth=5, max_cases=1000)
    assert deep.cases == [iri(n) for n in names[:6]] and deep.truncated
    wide = chain.follow(store, iri(names[50]), max_depth=1000, max_cases=chain.MAX_CASES)
    assert len(wide.cases) == chain.MAX_CASES and wide.truncated
    whole = chain.follow(store, iri(names[0]), max_depth=1000, max_cases=1000)
    assert len(whole.cases) == 100 and not whole.truncated


def test_a_chain_may_start_at_a_case_held_elsewhere_that_others_link_to():
    store = store_of([("adopter", "adoptedFrom", "elsewhere")], ["adopter"])
    assert starting_case(store, iri("adopter")) == iri("adopter")
    assert starting_case(store, iri("elsewhere")) == iri("elsewhere")  # linked to, not held
    assert starting_case(store, iri("unknown")) is None
    found = chain.follow(store, iri("elsewhere"))
    assert found.cases == [iri("elsewhere"), iri("adopter")]
