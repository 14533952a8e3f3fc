"""The OpenAPI 3.1 description of the node's write API, served at /openapi.json.

Hand-written (the API is small) and kept honest by a test that compares its paths and
methods with the routes the app actually serves.
"""

from __future__ import annotations

from stafett.node.settings import NodeSettings
from stafett.node.writes import FINDING_LANGUAGES, WRITE_MEDIA_TYPES

PROBLEM = {"$ref": "#/components/responses/Problem"}


def case_body() -> dict:
    schema = {"$ref": "#/components/schemas/CaseDocument"}
    return {"required": True, "content": {t: {"schema": schema} for t in WRITE_MEDIA_TYPES}}


def written(description: str) -> dict:
    return {"description": description,
            "headers": {"ETag": {"schema": {"type": "string"}}, "Location": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WriteResult"}}}}


def errors(*statuses: int) -> dict:
    return {str(s): PROBLEM for s in statuses}


SLUG = {"name": "slug", "in": "path", "required": True,
        "schema": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,79}$"}}
STATE = {"name": "state", "in": "query", "required": False,
         "description": "published (default for POST; PUT keeps the current state) or draft. "
                        "Unpublishing a published case writes a Delete tombstone to the feed.",
         "schema": {"type": "string", "enum": ["published", "draft"]}}
ACCEPT_LANGUAGE = {"name": "Accept-Language", "in": "header", "required": False,
                   "description": "Language of validation findings: " + ", ".join(FINDING_LANGUAGES),
                   "schema": {"type": "string"}}
IF_MATCH = {"name": "If-Match", "in": "header", "schema": {"type": "string"}}


def openapi_document(settings: NodeSettings) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Stafett node write API", "version": "1",
                 "description": "Publish innovation-procurement cases. The node sets id, publisher, "
                                "issued, modified and version; client-sent values are ignored and "
                                "reported as warnings. Every error is application/problem+json."},
        "servers": [{"url": settings.base_url}],
        "security": [{"bearer": []}],
        "paths": {
            "/cases": {"post": {
                "summary": "Create a case (the node mints its IRI from the title)",
                "parameters": [STATE, ACCEPT_LANGUAGE], "requestBody": case_body(),
                "responses": {"201": written("Created; warnings are listed in findings"),
                              **errors(400, 401, 409, 413, 415, 422, 429)}}},
            "/cases/{slug}": {
                "get": {"summary": "Read a case in any state (drafts too), with its ETag",
                        "parameters": [SLUG],
                        "responses": {"200": {"description": "The case document",
                                              "headers": {"ETag": {"schema": {"type": "string"}},
                                                          "Stafett-State": {"schema": {"type": "string"}}},
                                              "content": {"application/ld+json": {"schema": {
                                                  "$ref": "#/components/schemas/CaseDocument"}}}},
                                      **errors(401, 404, 429)}},
                "put": {"summary": "Replace a case; If-Match with the current ETag is required",
                        "parameters": [SLUG, STATE, ACCEPT_LANGUAGE, {**IF_MATCH, "required": True}],
                        "requestBody": case_body(),
                        "responses": {"200": written("Replaced (changed=false when nothing changed)"),
                                      **errors(400, 401, 404, 412, 413, 415, 422, 428, 429)}},
                "delete": {"summary": "Delete a case (a Delete tombstone in the feed if it was published)",
                           "parameters": [SLUG, {**IF_MATCH, "required": False}],
                           "responses": {"204": {"description": "Deleted"},
                                         **errors(401, 404, 412, 429)}},
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Create with `stafett node token add NAME`"}},
            "schemas": {
                "CaseDocument": {"type": "object", "description": "A case as JSON-LD with the context "
                                 "https://w3id.org/stafett/context/v1 (or Turtle / N-Triples)",
                                 "required": ["type", "title"]},
                "Finding": {"type": "object", "required": ["severity", "message"], "properties": {
                    k: {"type": "string"} for k in ("severity", "message", "focus_node", "path", "field",
                                                    "value", "rule", "source")}},
                "WriteResult": {"type": "object", "properties": {
                    "id": {"type": "string"}, "slug": {"type": "string"},
                    "state": {"type": "string", "enum": ["draft", "published", "deleted"]},
                    "version": {"type": "integer"}, "etag": {"type": "string"},
                    "changed": {"type": "boolean"},
                    "change": {"type": ["string", "null"], "enum": ["Create", "Update", "Delete", None]},
                    "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
                    "document": {"$ref": "#/components/schemas/CaseDocument"}}},
                "Problem": {"type": "object", "required": ["type", "title", "status"], "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}},
            },
            "responses": {"Problem": {"description": "RFC 9457 problem details with findings",
                                      "content": {"application/problem+json": {
                                          "schema": {"$ref": "#/components/schemas/Problem"}}}}},
        },
    }
