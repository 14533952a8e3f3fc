"""`POST /registrations`: a publisher asks this registry to harvest its node; `GET /registrations/{id}`
says whether the operator has decided. The operator approves with `stafett registry sources
approve ID` (harvester/registrations.py); nothing is harvested before that.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from stafett.digits import ascii_digits
from stafett.harvester.api.responses import read_route
from stafett.harvester.registrations import Registrations, public_view
from stafett.problems import Problem, refusal
from stafett.web import problem_response

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry

MAX_BODY = 8 * 1024
FILE_NAME = "registrations.sqlite3"


def registrations_path(data_dir) -> Path:
    return Path(data_dir) / FILE_NAME


async def read_body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise refusal(
                413,
                "too-large",
                "The request is too large",
                f"a registration request is at most {MAX_BODY} bytes",
                rule="registration",
            )
    return body


def routes(registry: Registry) -> list[Route]:
    registrations = Registrations(registrations_path(registry.settings.data_dir))

    async def ask(request: Request) -> Response:
        try:
            if not request.headers.get("content-type", "").split(";")[0].strip().endswith("json"):
                raise refusal(
                    415,
                    "unsupported-media-type",
                    "Send JSON",
                    'send Content-Type: application/json with {"url": "https://..."}',
                    rule="registration",
                )
            try:
                body = orjson.loads(await read_body(request))
            except orjson.JSONDecodeError as error:
                raise refusal(
                    400, "unreadable-input", "The request is not JSON", str(error), rule="registration"
                ) from None
            made = registrations.request(body, registry.sources)
        except Problem as problem:
            return problem_response(problem)
        location = f"{registry.settings.base_url}registrations/{made['id']}"
        return JSONResponse(public_view(made), status_code=202, headers={"Location": location})

    def show(request: Request) -> Response:
        raw = request.path_params["id"]
        found = registrations.get(int(raw)) if ascii_digits(raw) and len(raw) < 12 else None
        if found is None:
            return problem_response(
                Problem(404, "not-found", "No such registration request", f"no request {raw!r}")
            )
        return JSONResponse(public_view(found))

    return [
        Route("/registrations", ask, methods=["POST"]),
        read_route("/registrations/{id}", show),
    ]
