"""IRIs the harvester reads and writes (feed profile, PROV, registry bookkeeping)."""

import pyoxigraph as ox

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
AS = "https://www.w3.org/ns/activitystreams#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
STF = "https://w3id.org/stafett/ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


TREE_MEMBER = n(TREE + "member")
TREE_VIEW = n(TREE + "view")
TREE_RELATION = n(TREE + "relation")
TREE_NODE = n(TREE + "node")
TREE_PATH = n(TREE + "path")
TREE_VALUE = n(TREE + "value")
TREE_SHAPE = n(TREE + "shape")
TREE_GTE = n(TREE + "GreaterThanOrEqualToRelation")
TREE_LT = n(TREE + "LessThanRelation")
TREE_NODE_CLASS = n(TREE + "Node")
LDES_STREAM = n(LDES + "EventStream")
LDES_IMMUTABLE = n(LDES + "immutable")
LDES_TIMESTAMP_PATH = n(LDES + "timestampPath")
LDES_VERSION_OF = n(LDES + "versionOfPath")
LDES_POLLING = n(LDES + "pollingInterval")
AS_CREATE = n(AS + "Create")
AS_UPDATE = n(AS + "Update")
AS_DELETE = n(AS + "Delete")
AS_OBJECT = n(AS + "object")
AS_PUBLISHED = n(AS + "published")
KINDS = {AS_CREATE: "Create", AS_UPDATE: "Update", AS_DELETE: "Delete"}
KIND_IRIS = {v: k for k, v in KINDS.items()}
PROV_DERIVED = n(PROV + "wasDerivedFrom")
PROV_GENERATED_AT = n(PROV + "generatedAtTime")
PROV_ENTITY = n(PROV + "Entity")
PROV_ACTIVITY = n(PROV + "Activity")
PROV_PRIMARY_SOURCE = n(PROV + "hadPrimarySource")
PROV_INVALIDATED_AT = n(PROV + "invalidatedAtTime")
PROV_INVALIDATED_BY = n(PROV + "wasInvalidatedBy")
PROV_STARTED = n(PROV + "startedAtTime")
PROV_ENDED = n(PROV + "endedAtTime")
PROV_USED = n(PROV + "used")
PROV_ATTRIBUTED = n(PROV + "wasAttributedTo")
DCT_SOURCE = n(DCT + "source")
DCT_TITLE = n(DCT + "title")
DCT_MODIFIED = n(DCT + "modified")
DCT_PUBLISHER = n(DCT + "publisher")
DCAT_VERSION = n(DCAT + "version")
XSD_DATETIME = n(XSD + "dateTime")
XSD_INTEGER = n(XSD + "integer")
XSD_BOOLEAN = n(XSD + "boolean")
# Registry bookkeeping (documented in docs/harvester.md). Every stf: term here is defined in
# vocabulary/registry-ontology.ttl (or ontology.ttl for stf:Case); tests/vocabulary/
# test_vocab_registry_terms.py fails when a new one is used without a definition there.
STF_HARVESTED_FROM = n(STF + "harvestedFrom")  # case -> source resource of the winning route
STF_ROUTE_OF = n(STF + "routeOf")  # route node -> the case it carried (one node per case and source)
STF_DIRECT = n(STF + "direct")  # route came from the publisher itself
STF_STATE = n(STF + "state")  # "live" | "deleted" on a route
STF_ORIGIN_ACTIVITY = n(STF + "originActivity")
STF_WARNING = n(STF + "validationWarning")
STF_TOMBSTONE = n(STF + "Tombstone")
STF_SOURCE_CLASS = n(STF + "HarvestSource")
STF_STALE = n(STF + "stale")
STF_LAST_GOOD = n(STF + "lastGoodHarvest")
STF_HARVEST_RUN = n(STF + "HarvestRun")
STF_RUN_OF = n(STF + "runOf")
STF_COUNT = {
    k: n(STF + k)
    for k in ("fetched", "notModified", "accepted", "quarantined", "refused", "deleted", "skipped")
}
STF_QUARANTINED = n(STF + "quarantinedMember")
STF_REASON = n(STF + "reason")
STF_ERROR = n(STF + "error")
STF_CASE = n(STF + "Case")


def dt(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=XSD_DATETIME)
