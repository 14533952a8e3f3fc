"""Namespace IRIs and the few terms every part names: the one place they are written.

Everything that mints or reads RDF (node, harvester, shapes, docs) takes its namespaces from here,
so a namespace is spelled once and a typo cannot split one vocabulary in two. `term()` makes a
pyoxigraph NamedNode; `PREFIXES` is the prefix map serialisers use for readable Turtle/TriG.
Feed-profile terms (TREE, LDES, ActivityStreams) as NamedNodes live in stafett/ldes.py.
"""

from __future__ import annotations

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
ADMS = "http://www.w3.org/ns/adms#"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
EPO = "http://data.europa.eu/a4g/ontology#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
TREE = "https://w3id.org/tree#"
LDES = "https://w3id.org/ldes#"
AS = "https://www.w3.org/ns/activitystreams#"
SEC = "https://w3id.org/security#"  # W3C Data Integrity / Controlled Identifiers vocabulary
# Context IRIs a did:web document names (never loaded: did.json is plain JSON to Stafett)
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
STF = "https://w3id.org/stafett/ns#"
STF_SHAPES = "https://w3id.org/stafett/shapes#"
STF_CONCEPT = "https://w3id.org/stafett/concept/"
STF_PLACE = "https://w3id.org/stafett/place/"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_COUNTRY = EU_AUTHORITY + "country/"
CPV = "http://data.europa.eu/cpv/cpv/"
NUTS = "http://data.europa.eu/nuts/code/"

PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "sh": SH,
    "dct": DCT,
    "dcat": DCAT,
    "adms": ADMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "org": ORG,
    "prov": PROV,
    "epo": EPO,
    "hydra": HYDRA,
    "sd": SD,
    "tree": TREE,
    "ldes": LDES,
    "as": AS,
    "sec": SEC,
    "stf": STF,
}


def term(namespace: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(namespace + local)


def prefixes(*names: str) -> dict[str, str]:
    """The prefix map for the named prefixes (a serialiser's `prefixes=`), e.g. prefixes("dct", "stf")."""
    return {name: PREFIXES[name] for name in names}


RDF_TYPE = term(RDF, "type")
XSD_STRING = term(XSD, "string")
XSD_DATETIME = term(XSD, "dateTime")
XSD_INTEGER = term(XSD, "integer")
XSD_BOOLEAN = term(XSD, "boolean")
STF_CASE = term(STF, "Case")
DCT_TITLE = term(DCT, "title")
DCT_PUBLISHER = term(DCT, "publisher")
DCT_ISSUED = term(DCT, "issued")
DCT_MODIFIED = term(DCT, "modified")
DCT_SOURCE = term(DCT, "source")
DCAT_VERSION = term(DCAT, "version")

# W3C Data Integrity proofs (eddsa-rdfc-2022) and Multikey verification methods (stafett/integrity/)
DCT_CREATED = term(DCT, "created")
SEC_PROOF = term(SEC, "proof")
SEC_DATA_INTEGRITY_PROOF = term(SEC, "DataIntegrityProof")
SEC_CRYPTOSUITE = term(SEC, "cryptosuite")
SEC_CRYPTOSUITE_STRING = term(SEC, "cryptosuiteString")
SEC_VERIFICATION_METHOD = term(SEC, "verificationMethod")
SEC_PROOF_PURPOSE = term(SEC, "proofPurpose")
SEC_ASSERTION_METHOD = term(SEC, "assertionMethod")
SEC_PROOF_VALUE = term(SEC, "proofValue")
SEC_MULTIBASE = term(SEC, "multibase")
SEC_MULTIKEY = term(SEC, "Multikey")
SEC_CONTROLLER = term(SEC, "controller")
SEC_PUBLIC_KEY_MULTIBASE = term(SEC, "publicKeyMultibase")
SEC_EXPIRATION = term(SEC, "expiration")
SEC_REVOKED = term(SEC, "revoked")
