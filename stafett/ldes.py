"""The feed format: Stafett's strict profile of LDES 1.0 on TREE (docs/protocol.md), written once.

Node (node/api/feed.py) and registry (harvester/feed.py, served by harvester/api/feed.py) serve
feeds of the same shape and the harvester reads them; the terms, the media types, the cache rule
for closed pages and the way a page links to another (a `tree:relation` on `as:published`) are
defined here for all three.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pyoxigraph as ox

from stafett.vocabulary.terms import AS, LDES, RDF_TYPE, TREE, XSD_DATETIME, term

# Media types a feed page is served in; the first answers a client that states no preference.
# Named graphs (one per member) rule out Turtle and N-Triples.
FEED_FORMATS = {
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
IMMUTABLE = "public, max-age=604800, immutable"  # a closed page never changes (profile rule)

TREE_MEMBER = term(TREE, "member")
TREE_VIEW = term(TREE, "view")
TREE_RELATION = term(TREE, "relation")
TREE_NODE = term(TREE, "node")
TREE_PATH = term(TREE, "path")
TREE_VALUE = term(TREE, "value")
TREE_SHAPE = term(TREE, "shape")
TREE_GTE = term(TREE, "GreaterThanOrEqualToRelation")
TREE_LT = term(TREE, "LessThanRelation")
TREE_NODE_CLASS = term(TREE, "Node")
LDES_STREAM = term(LDES, "EventStream")
LDES_IMMUTABLE = term(LDES, "immutable")
LDES_TIMESTAMP_PATH = term(LDES, "timestampPath")
LDES_VERSION_OF = term(LDES, "versionOfPath")
LDES_POLLING = term(LDES, "pollingInterval")
LDES_CREATE = term(LDES, "versionCreateObject")
LDES_UPDATE = term(LDES, "versionUpdateObject")
LDES_DELETE = term(LDES, "versionDeleteObject")
AS_CREATE = term(AS, "Create")
AS_UPDATE = term(AS, "Update")
AS_DELETE = term(AS, "Delete")
AS_TOMBSTONE = term(AS, "Tombstone")  # a Delete member's signed statement (issue 16)
AS_DELETED = term(AS, "deleted")
AS_OBJECT = term(AS, "object")
AS_PUBLISHED = term(AS, "published")
KINDS = {AS_CREATE: "Create", AS_UPDATE: "Update", AS_DELETE: "Delete"}
KIND_IRIS = {name: iri for iri, name in KINDS.items()}


def timestamp(value: str) -> ox.Literal:
    """An `as:published` value (xsd:dateTime, UTC, as the server wrote it)."""
    return ox.Literal(value, datatype=XSD_DATETIME)


def just_after(published: str) -> str:
    """One millisecond after `published`: the `tree:LessThanRelation` bound of a closed page.

    Member times are whole milliseconds, so this bound stays strictly above the page's last
    member even for clients that compare at millisecond precision.
    """
    moment = datetime.fromisoformat(published.replace("Z", "+00:00")) + timedelta(milliseconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def relation_quads(
    page: str, relation: ox.NamedNode | ox.BlankNode, kind: ox.NamedNode, value: str, target: str
) -> list[ox.Quad]:
    """`page` links to `target` for members whose `as:published` is `kind` (>= or <) `value`.

    The caller names the relation node: a stable name keeps a page's bytes, and so its ETag,
    unchanged until the feed itself changes.
    """
    return [
        ox.Quad(ox.NamedNode(page), TREE_RELATION, relation),
        ox.Quad(relation, RDF_TYPE, kind),
        ox.Quad(relation, TREE_PATH, AS_PUBLISHED),
        ox.Quad(relation, TREE_VALUE, timestamp(value)),
        ox.Quad(relation, TREE_NODE, ox.NamedNode(target)),
    ]
