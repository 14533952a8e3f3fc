"""The registry's own bookkeeping terms: provenance of harvested cases, routes, runs, sources.

Namespaces come from stafett.vocabulary.terms and feed-profile terms (TREE, LDES, AS) from
stafett.ldes; only what the registry alone writes about its harvests is named here.
"""

from stafett.vocabulary.terms import PROV, STF, term

PROV_DERIVED = term(PROV, "wasDerivedFrom")
PROV_GENERATED_AT = term(PROV, "generatedAtTime")
PROV_ENTITY = term(PROV, "Entity")
PROV_ACTIVITY = term(PROV, "Activity")
PROV_PRIMARY_SOURCE = term(PROV, "hadPrimarySource")
PROV_INVALIDATED_AT = term(PROV, "invalidatedAtTime")
PROV_INVALIDATED_BY = term(PROV, "wasInvalidatedBy")
PROV_STARTED = term(PROV, "startedAtTime")
PROV_ENDED = term(PROV, "endedAtTime")
PROV_USED = term(PROV, "used")
PROV_ATTRIBUTED = term(PROV, "wasAttributedTo")
PROV_ASSOCIATED = term(PROV, "wasAssociatedWith")
# Registry bookkeeping (documented in docs/harvester.md). Every stf: term here is defined in
# vocabulary/registry-ontology.ttl (or ontology.ttl for stf:Case); tests/vocabulary/
# test_vocab_registry_terms.py fails when a new one is used without a definition there.
STF_HARVESTED_FROM = term(STF, "harvestedFrom")  # case -> source resource of the winning route
STF_ROUTE_OF = term(STF, "routeOf")  # route node -> the case it carried (one node per case and source)
STF_DIRECT = term(STF, "direct")  # route came from the publisher itself
STF_STATE = term(STF, "state")  # "live" | "deleted" on a route
STF_ORIGIN_ACTIVITY = term(STF, "originActivity")
STF_WARNING = term(STF, "validationWarning")
STF_TOMBSTONE = term(STF, "Tombstone")
STF_SOURCE_CLASS = term(STF, "HarvestSource")
STF_STALE = term(STF, "stale")
STF_LAST_GOOD = term(STF, "lastGoodHarvest")
STF_HARVEST_RUN = term(STF, "HarvestRun")
STF_RUN_OF = term(STF, "runOf")
STF_COUNT = {
    k: term(STF, k)
    for k in ("fetched", "notModified", "accepted", "quarantined", "refused", "deleted", "skipped")
}
STF_QUARANTINED = term(STF, "quarantinedMember")
STF_REASON = term(STF, "reason")
STF_ERROR = term(STF, "error")
# Suggested topics (harvester/suggest.py): only ever in the provenance graph.
STF_TOPIC_SUGGESTION = term(STF, "TopicSuggestion")
STF_SUGGESTED_TOPIC = term(STF, "suggestedTopic")  # case -> topic concept the registry suggests
STF_MATCHED_LABEL = term(STF, "matchedLabel")  # suggestion -> a topic label found in the case's text
# Signed relays (issue 16): the outcome of checking a case's proof, in its provenance
STF_SIGNATURE_STATUS = term(STF, "signatureStatus")  # "verified" | "unsigned" | "invalid" | ...
STF_SIGNED_WITH = term(STF, "signedWith")  # case -> the verificationMethod its proof names
STF_SIGNED_BY = term(STF, "signedBy")  # case -> the key's controller, when verified
# Matches (issue 15, harvester/matching/): only ever in the registry's matches graph.
STF_MATCH = term(STF, "Match")
STF_MATCH_FOR = term(STF, "matchFor")  # match -> the seeker (a planned need or a case open for partners)
STF_MATCHED_CASE = term(STF, "matchedCase")  # match -> the other organisation's case that fits
STF_MATCH_SCORE = term(STF, "matchScore")  # xsd:decimal in [0, 1]
STF_MATCH_KIND = term(STF, "matchKind")  # "need" | "offer" | "past": what the matched case is
STF_VALID_UNTIL = term(STF, "validUntil")  # xsd:date: past it the match relies on an expired offer
STF_MATCH_REASON = term(STF, "matchReason")  # match -> one of its reasons
STF_MATCH_REASON_CLASS = term(STF, "MatchReason")
STF_REASON_KIND = term(STF, "reasonKind")  # "cpv-group" | "topic" | "sector" | "text" | "region" | ...
STF_REASON_CONCEPT = term(STF, "reasonConcept")  # a topic, sector, region or country concept
STF_REASON_VALUE = term(STF, "reasonValue")  # a CPV group, months (xsd:integer), a day (xsd:date)
