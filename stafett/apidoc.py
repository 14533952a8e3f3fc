"""Pieces both OpenAPI descriptions share (node and registry), and the rows their API pages show.

The pages for people (`/api` on a node and on a registry) are server-rendered from the same
OpenAPI document that `/openapi.json` serves, so the page and the description cannot drift apart.
"""

from __future__ import annotations

from http import HTTPStatus

from stafett.problems import PROBLEM_MEDIA_TYPE

METHODS = ("get", "head", "post", "put", "delete", "patch", "options")
# RFC 9110 entity-tag, one or a comma-separated list, or "*"; visible ASCII only in the opaque part.
ENTITY_TAGS = r'^(\*|(W/)?"[\x21\x23-\x7e]*"( *, *(W/)?"[\x21\x23-\x7e]*")*)$'


def problem_components() -> dict:
    """`components` entries for RFC 9457 problem details with Stafett's findings."""
    finding = {
        "type": "object",
        "required": ["severity", "message"],
        "properties": {
            "severity": {"type": "string", "enum": ["Violation", "Warning", "Info"]},
            **{
                k: {"type": "string"}
                for k in ("message", "focus_node", "path", "field", "value", "rule", "source")
            },
        },
    }
    problem = {
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        },
    }
    return {"schemas": {"Finding": finding, "Problem": problem}}


def problem(description: str, headers: dict | None = None) -> dict:
    answer = {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    return answer | ({"headers": headers} if headers else {})


def page_rows(document: dict) -> list[dict]:
    """One row per operation: method, path, summary, parameters, body media types, responses."""
    rows = []
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            rows.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "secured": bool(operation.get("security", document.get("security"))),
                    "parameters": [parameter_row(p) for p in [*shared, *operation.get("parameters", [])]],
                    "body": list(body),
                    "responses": [
                        {
                            "status": status,
                            "reason": reason(status),
                            "description": answer.get("description", ""),
                            "media": list(answer.get("content", {})),
                        }
                        for status, answer in operation.get("responses", {}).items()
                    ],
                }
            )
    return rows


def parameter_row(parameter: dict) -> dict:
    schema = parameter.get("schema", {})
    kind = schema.get("type", "string")
    if kind == "array":
        kind = f"{schema.get('items', {}).get('type', 'string')}[]"
    return {
        "name": parameter["name"],
        "in": parameter["in"],
        "required": parameter.get("required", False),
        "type": kind,
        "enum": schema.get("enum") or schema.get("items", {}).get("enum") or [],
        "description": parameter.get("description", ""),
    }


def reason(status: str) -> str:
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return ""
