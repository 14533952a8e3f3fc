"""The node's description at `/`: a DCAT-AP 3 catalogue of the node's cases and its feed.

One dcat:Catalog (the node), published by one foaf:Agent (the organisation, the same IRI that
every case names as its publisher), holding one dcat:Dataset (the collection of published
cases) with two distributions (the paged case list and the LDES change feed) and one
dcat:DataService (the feed endpoint). Built as compact JSON-LD with an inline context, so the
JSON-LD answer is self-contained; Turtle and N-Triples are produced from the same document.
Conformance with the official DCAT-AP 3.0.1 shapes is checked by tests/node/test_read_catalogue.py.
"""

from __future__ import annotations

import hashlib

import orjson
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett.node.api.handoff import HtmlPages
from stafett.node.api.http import (
    FORMAT_ALIASES,
    READ_HEADERS,
    TURTLE_PREFIXES,
    etag_of,
    negotiate,
    not_modified,
    read_route,
    refusal,
)
from stafett.node.keys import did_web, list_keys
from stafett.node.messages import best_language, ui_language
from stafett.problems import Problem
from stafett.vocabulary.jsonld import CONTEXT_URL
from stafett.vocabulary.languages import TAG_TO_CODE
from stafett.vocabulary.terms import DID_CONTEXT, EU_AUTHORITY, EU_COUNTRY, MULTIKEY_CONTEXT, prefixes
from stafett.web import not_acceptable

FORMATS = ["application/ld+json", "text/turtle", "application/n-triples", "text/html", "application/json"]
IANA = "https://www.iana.org/assignments/media-types/"
LDES_SPEC = "https://w3id.org/ldes/specification"
# BCP 47 language tags -> EU language authority codes (the seven first-class languages + Norwegian).
LANGUAGE_CODES = TAG_TO_CODE
TITLES = {
    "en": ("Innovation procurement cases", "Public-sector innovation procurement cases published by {org}."),
    "sv": ("Innovationsupphandlingar", "Offentliga innovationsupphandlingar publicerade av {org}."),
    "nb": ("Innovative anskaffelser", "Innovative offentlige anskaffelser publisert av {org}."),
    "nn": ("Innovative innkjøp", "Innovative offentlege innkjøp publiserte av {org}."),
    "da": ("Innovative udbud", "Offentlige innovative udbud udgivet af {org}."),
    "fi": ("Innovatiiviset hankinnat", "Julkisen sektorin innovatiiviset hankinnat, julkaisija {org}."),
    "is": ("Nýsköpunarinnkaup", "Nýsköpunarinnkaup hins opinbera, útgefandi {org}."),
}
CONTEXT = prefixes("dcat", "dct", "foaf", "vcard", "rdfs", "ldes", "xsd", "sec")


def tagged(values: dict[str, str]) -> list[dict]:
    return [{"@value": text, "@language": lang} for lang, text in values.items()]


def texts(settings, which: int) -> dict[str, str]:
    """Catalogue title (0) or description (1) in each of the node's languages (English too)."""
    out = {}
    for lang in dict.fromkeys([*settings.languages, "en"]):
        template = TITLES.get(lang.split("-")[0])
        if template:
            org = settings.org_name[best_language(settings.org_name, lang, settings.languages)]
            out[lang] = template[which].format(org=org)
    return out


def media_type(name: str) -> dict:
    return {"@id": IANA + name, "@type": "dct:MediaType"}


def distribution(iri: str, url: str, titles: dict[str, str], media: str, conforms: str) -> dict:
    return {
        "@id": iri,
        "@type": "dcat:Distribution",
        "dct:title": tagged(titles),
        "dcat:accessURL": {"@id": url},
        "dcat:mediaType": media_type(media),
        "dct:conformsTo": {"@id": conforms, "@type": "dct:Standard"},
    }


def dated(moment: str) -> dict:
    return {"@value": moment, "@type": "xsd:dateTime"}


def verification_methods(settings) -> list[dict]:
    """Every key the node has signed with, as a Multikey with its validity (issue 16): a harvester
    checks a proof against the key named here; expired keys stay listed so older proofs verify."""
    methods = []
    for key in list_keys(settings):
        method = {
            "@id": key.iri(settings),
            "@type": "sec:Multikey",
            "sec:controller": {"@id": settings.publisher_iri},
            "sec:publicKeyMultibase": {"@value": key.public_key_multibase, "@type": "sec:multibase"},
            "dct:created": dated(key.created),
        }
        if key.expires:
            method["sec:expiration"] = dated(key.expires)
        if key.revoked:
            method["sec:revoked"] = dated(key.revoked)
        methods.append(method)
    return methods


def did_document(settings) -> dict | None:
    """`/.well-known/did.json` (did:web) for an https node at a host's root; None otherwise."""
    did = did_web(settings)
    if did is None:
        return None
    methods = []
    for method in verification_methods(settings):
        entry = {
            "id": did + "#" + method["@id"].rsplit("#", 1)[1],
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": method["sec:publicKeyMultibase"]["@value"],
        }
        if "sec:expiration" in method:
            entry["expires"] = method["sec:expiration"]["@value"]
        if "sec:revoked" in method:
            entry["revoked"] = method["sec:revoked"]["@value"]
        methods.append(entry)
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "alsoKnownAs": [settings.base_url],
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods if "expires" not in m and "revoked" not in m],
    }


def catalogue_document(settings, store) -> dict:
    base = settings.base_url
    feed, cases = f"{base}feed", f"{base}cases"
    titles, descriptions = texts(settings, 0), texts(settings, 1)
    codes = dict.fromkeys(
        LANGUAGE_CODES[t.split("-")[0]] for t in settings.languages if t.split("-")[0] in LANGUAGE_CODES
    )
    languages = [{"@id": f"{EU_AUTHORITY}language/{code}", "@type": "dct:LinguisticSystem"} for code in codes]
    publisher = {
        "@id": settings.publisher_iri,
        "@type": "foaf:Agent",
        "foaf:name": tagged(settings.org_name),
        "dct:identifier": settings.org_number,
        "dct:spatial": {"@id": EU_COUNTRY + settings.country, "@type": "dct:Location"},
    }
    methods = verification_methods(settings)
    if methods:  # the organisation asserts with these keys (W3C Controlled Identifiers)
        publisher["sec:assertionMethod"] = methods
    contact = {
        "@id": f"{base}#contact",
        "@type": ["vcard:Kind", "vcard:Organization"],
        "vcard:fn": next(iter(settings.org_name.values())),
    }
    if settings.contact_email:
        email = settings.contact_email
        contact["vcard:hasEmail"] = {"@id": email if email.startswith("mailto:") else f"mailto:{email}"}
    modified = store.last_modified()
    dataset = {
        "@id": f"{base}#cases",
        "@type": "dcat:Dataset",
        "dct:title": tagged(titles),
        "dct:description": tagged(descriptions),
        "dct:publisher": {"@id": settings.publisher_iri},
        "dcat:contactPoint": {"@id": contact["@id"]},
        "dct:language": [{"@id": x["@id"]} for x in languages],
        "dct:conformsTo": [
            {"@id": CONTEXT_URL, "@type": "dct:Standard"},
            {"@id": f"{base}shapes/case-shapes.ttl", "@type": "dct:Standard"},
        ],
        "dcat:distribution": [
            distribution(
                f"{base}#cases-list",
                cases,
                {"en": "Paged list of cases (JSON-LD)"},
                "application/ld+json",
                CONTEXT_URL,
            ),
            distribution(
                f"{base}#cases-feed", feed, {"en": "Change feed (LDES, TriG)"}, "application/trig", LDES_SPEC
            ),
        ],
    }
    service = {
        "@id": f"{base}#feed-service",
        "@type": "dcat:DataService",
        "dct:title": tagged({"en": "Stafett change feed (Linked Data Event Stream)"}),
        # DCAT-AP's range shapes want the class of every linked resource stated, even rdfs:Resource.
        "dcat:endpointURL": {"@id": feed, "@type": "rdfs:Resource"},
        "dcat:endpointDescription": {"@id": f"{base}feed#stream", "@type": "rdfs:Resource"},
        "dcat:servesDataset": {"@id": dataset["@id"]},
        "dct:conformsTo": {"@id": LDES_SPEC, "@type": "dct:Standard"},
    }
    doc = {
        "@context": CONTEXT,
        "@id": base,
        "@type": "dcat:Catalog",
        "dct:title": tagged(titles),
        "dct:description": tagged(descriptions),
        "dct:publisher": publisher,
        "dct:language": languages,
        "dcat:contactPoint": contact,
        "dct:spatial": {"@id": publisher["dct:spatial"]["@id"]},
        "dcat:dataset": dataset,
        "dcat:service": service,
        "rdfs:seeAlso": {"@id": f"{base}feed#stream", "@type": "ldes:EventStream"},
    }
    if modified:
        doc["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
        dataset["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
    return doc


def serialize(document: dict, media: str) -> bytes:
    if media in ("application/ld+json", "application/json"):
        return orjson.dumps(document, option=orjson.OPT_INDENT_2)
    # sorted by subject so Turtle groups each resource's statements
    quads = sorted(ox.parse(orjson.dumps(document), ox.RdfFormat.JSON_LD), key=lambda q: str(q.subject))
    fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
    return ox.serialize(quads, format=fmt, prefixes={**TURTLE_PREFIXES, **CONTEXT})


def routes(settings, store, pages: HtmlPages) -> list[Route]:
    """The catalogue at `/`; `pages` renders it as the node's front page for people."""

    async def catalogue(request: Request) -> Response:
        media = negotiate(request, FORMATS, FORMAT_ALIASES)
        if media is None:
            return refusal(not_acceptable("the catalogue", FORMATS))
        lang = ui_language(request.headers.get("accept-language"), settings.languages)
        document = catalogue_document(settings, store)
        # The page for people shows "New case" to a signed-in person, so it is private and varies
        # by the session cookie; the RDF catalogue stays public and cacheable.
        signed_in = media == "text/html" and bool(request.scope.get("session", {}).get("who"))
        etag = etag_of(hashlib.sha256(orjson.dumps(document)).hexdigest() + media + lang + str(signed_in))
        headers = {
            **READ_HEADERS,
            "ETag": etag,
            "Vary": "Accept, Accept-Language",
            "Cache-Control": "public, max-age=60",
        }
        if media == "text/html":
            headers |= {"Vary": "Accept, Accept-Language, Cookie", "Cache-Control": "private, no-cache"}
        if not_modified(request, etag):
            return Response(status_code=304, headers=headers)
        if media == "text/html":
            return Response(pages.catalogue(document, request), media_type="text/html", headers=headers)
        content_type = "application/ld+json" if media == "application/json" else media
        return Response(serialize(document, media), media_type=content_type, headers=headers)

    async def did_json(request: Request) -> Response:
        document = did_document(settings)
        if document is None:
            detail = "this node's base address is not https at a host's root, so it has no did:web"
            return refusal(Problem(404, "not-found", "No DID document", detail))
        return Response(
            orjson.dumps(document, option=orjson.OPT_INDENT_2),
            media_type="application/did+json",
            headers={**READ_HEADERS, "Cache-Control": "public, max-age=300"},
        )

    return [read_route("/", catalogue), read_route("/.well-known/did.json", did_json)]
