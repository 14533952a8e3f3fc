"""The OpenAPI 3.1 description of the node's write API, served at /openapi.json (node/web shows it at /api).

The request body schema is shapes/case.schema.json itself (its `$defs` become components), so the
description accepts exactly what the JSON Schema accepts. A test compares the paths and methods with
the routes the app serves, and schemathesis checks every answer against this description.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import languages
from stafett.apidoc import ENTITY_TAGS, problem, problem_components
from stafett.node.api.writes import WRITE_MEDIA_TYPES
from stafett.node.settings import NodeSettings
from stafett.web import cors_headers

JSON_TYPES = ("application/ld+json", "application/json")
RDF_TEXT = {"text/turtle": "Turtle", "application/n-triples": "N-Triples"}
NO_STORE = {"Cache-Control": {"schema": {"type": "string", "const": "no-store"}}}
ETAG = {
    "ETag": {
        "description": "The case's current entity tag, for If-Match",
        "schema": {"type": "string"},
        "required": True,
    }
}
CHALLENGE = {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}}
RETRY = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}}


@cache
def case_schemas() -> dict[str, dict]:
    """shapes/case.schema.json as OpenAPI components: the case as CaseDocument, each `$defs` entry
    as a component of its own name (the `$ref`s pointed at the new places)."""
    text = resources.files("stafett.shapes").joinpath("case.schema.json").read_text("utf-8")
    schema = json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))
    defs = schema.pop("$defs")
    for key in ("$schema", "$id"):
        schema.pop(key)
    return {"CaseDocument": schema, **defs}


def case_body() -> dict:
    case = {"$ref": "#/components/schemas/CaseDocument"}
    content = {t: {"schema": case} for t in JSON_TYPES}
    for media_type, name in RDF_TEXT.items():
        content[media_type] = {
            "schema": {
                "type": "string",
                "description": f"One case as {name} (UTF-8); validated with the SHACL shapes",
            }
        }
    assert set(content) == set(WRITE_MEDIA_TYPES)  # one list of what the server reads
    return {"required": True, "content": content}


def written(description: str) -> dict:
    return {
        "description": description,
        "headers": {**ETAG, **NO_STORE, "Location": {"schema": {"type": "string"}, "required": True}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WriteResult"}}},
    }


REFUSALS = {
    "400": ("Bad query parameter (state) or a body that cannot be read as its Content-Type", {}),
    "401": ("No token, or a token the node does not know", CHALLENGE),
    "404": ("No such case", {}),
    "409": ("The case address is taken (another client wrote at the same time)", {}),
    "412": ("If-Match does not match the case's current ETag", {}),
    "413": ("The body is over the node's byte limit", {}),
    "415": ("Content-Type is not one of the media types above", {}),
    "422": ("The case is not valid (findings list every violation), or the JSON is not valid JSON-LD", {}),
    "428": ("If-Match is missing", {}),
    "429": ("Too many failed authentication attempts from this client", RETRY),
}


def errors(*statuses: int) -> dict:
    return {str(s): problem(REFUSALS[str(s)][0], {**NO_STORE, **REFUSALS[str(s)][1]}) for s in statuses}


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The case's address on this node",
    "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,79}$"},
}
STATE = {
    "name": "state",
    "in": "query",
    "required": False,
    "description": "published (default for POST; PUT keeps the current state) or draft. "
    "Unpublishing a published case writes a Delete tombstone to the feed.",
    "schema": {"type": "string", "enum": ["published", "draft"]},
}
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "Language of validation findings: " + ", ".join(languages.SUPPORTED),
    "schema": {"type": "string"},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "description": "The ETag from your last read or write of the case (or *)",
    "schema": {"type": "string", "minLength": 1, "pattern": ENTITY_TAGS},
}


def paths() -> dict:
    return {
        "/cases": {
            "post": {
                "summary": "Create a case (the node mints its IRI from the title)",
                "parameters": [STATE, ACCEPT_LANGUAGE],
                "requestBody": case_body(),
                "responses": {
                    "201": written("Created; warnings are listed in findings"),
                    **errors(400, 401, 409, 413, 415, 422, 429),
                },
            }
        },
        "/cases/{slug}": {
            "parameters": [SLUG],
            "get": {
                "summary": "Read a case in any state (drafts too), with its ETag",
                "responses": {
                    "200": {
                        "description": "The case document as the node stores it",
                        "headers": {
                            **ETAG,
                            **NO_STORE,
                            "Stafett-State": {
                                "schema": {"type": "string", "enum": ["draft", "published", "deleted"]}
                            },
                        },
                        "content": {
                            "application/ld+json": {"schema": {"$ref": "#/components/schemas/StoredCase"}}
                        },
                    },
                    **errors(401, 404, 429),
                },
            },
            "put": {
                "summary": "Replace a case; If-Match with the current ETag is required",
                "parameters": [STATE, ACCEPT_LANGUAGE, {**IF_MATCH, "required": True}],
                "requestBody": case_body(),
                "responses": {
                    "200": written("Replaced (changed=false when nothing changed)"),
                    **errors(400, 401, 404, 412, 413, 415, 422, 428, 429),
                },
            },
            "delete": {
                "summary": "Delete a case (a Delete tombstone in the feed if it was published)",
                "parameters": [{**IF_MATCH, "required": False}],
                "responses": {
                    "204": {"description": "Deleted", "headers": {**ETAG, **NO_STORE}},
                    **errors(401, 404, 412, 429),
                },
            },
        },
    }


def openapi_document(settings: NodeSettings) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Stafett node write API",
            "version": "1",
            "description": "Publish innovation-procurement cases. The node sets id, publisher, "
            "issued, modified and version; client-sent values are ignored and "
            "reported as warnings. Every error is application/problem+json. "
            "The JSON body schema is the case JSON Schema (Violation-level rules); "
            "the node also applies the SHACL shapes, so a body the schema accepts "
            "can still be refused with 422.",
        },
        "servers": [{"url": settings.base_url}],
        "security": [{"bearer": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Create with `stafett node token add NAME`",
                }
            },
            "schemas": {
                **case_schemas(),
                "StoredCase": {
                    "type": "object",
                    "required": ["@context", "id", "type"],
                    "description": "A case as the node stores it: JSON-LD with the node-set "
                    "fields (id, publisher, issued, modified, version)",
                },
                "WriteResult": {
                    "type": "object",
                    "required": ["id", "slug", "state", "version", "etag", "changed", "findings", "document"],
                    "properties": {
                        "id": {"type": "string"},
                        "slug": {"type": "string"},
                        "state": {"type": "string", "enum": ["draft", "published", "deleted"]},
                        "version": {"type": "integer"},
                        "etag": {"type": "string"},
                        "changed": {"type": "boolean"},
                        "change": {"type": ["string", "null"], "enum": ["Create", "Update", "Delete", None]},
                        "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
                        "document": {"$ref": "#/components/schemas/StoredCase"},
                    },
                },
                **problem_components()["schemas"],
            },
        },
    }


def routes(settings: NodeSettings, document: dict) -> list[Route]:
    """/openapi.json: the description (`openapi_document(settings)`, built once by the app)."""
    body = orjson.dumps(document, option=orjson.OPT_INDENT_2)

    async def description(request: Request) -> Response:
        return Response(body, media_type="application/json", headers=cors_headers())

    return [Route("/openapi.json", description, methods=["GET", "HEAD"])]
