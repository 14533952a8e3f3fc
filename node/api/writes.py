"""The authenticated write API: create, replace, delete and read-back of cases (drafts too).

    POST   /cases?state=published|draft       create; the node mints the IRI from the title
    PUT    /cases/{slug}?state=...             replace; If-Match required (428 / 412)
    DELETE /cases/{slug}                       delete (tombstone in the feed); If-Match optional
    GET    /cases/{slug}                       the current document in any state, with its ETag

Every refusal is `application/problem+json`; validation findings come in the language the
client asks for with Accept-Language. See docs/node.md and /openapi.json.
"""

from __future__ import annotations

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett import languages, problems
from stafett.digits import ascii_digits
from stafett.node import publish
from stafett.node.auth import Authenticator
from stafett.node.messages import message
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore, WriteResult
from stafett.problems import Finding, Problem, refusal

WRITE_MEDIA_TYPES = ("application/ld+json", "application/json", "text/turtle", "application/n-triples")
NO_STORE = {"Cache-Control": "no-store"}  # on every write answer, refusals too (the app adds it)


def finding_language(header: str | None) -> str:
    """The first supported language in Accept-Language, by q-value; English otherwise."""
    return languages.pick(header, languages.SUPPORTED)


def unsupported_media_type(got: str) -> Problem:
    detail = f"cannot read a case sent as {got or '(no Content-Type)'!r}; send it as " + " or ".join(
        WRITE_MEDIA_TYPES
    )
    return refusal(415, "unsupported-media-type", "Unsupported media type", detail, rule="content-type")


def bad_state(value: str) -> Problem:
    return Problem(400, "bad-state", "Bad state", f"state must be 'published' or 'draft'; got {value!r}")


async def read_body(request: Request, settings: NodeSettings) -> tuple[bytes, str]:
    """The body and its media type, refusing wrong types (415) and big bodies (413) early."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in WRITE_MEDIA_TYPES:
        raise unsupported_media_type(media_type)
    limit = settings.max_body_bytes
    declared = request.headers.get("content-length", "")
    if ascii_digits(declared) and int(declared) > limit:
        raise too_large(int(declared), limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks), media_type


def too_large(size: int, limit: int) -> Problem:
    detail = f"the body is over {limit:,} bytes (got at least {size:,}); send one case per request"
    return problems.too_large(detail)


def write_body(result: WriteResult, findings: list[Finding]) -> dict:
    r = result.record
    return {
        "id": r.iri,
        "slug": r.slug,
        "state": r.state,
        "version": r.version,
        "etag": r.etag,
        "changed": result.changed,
        "change": result.change.kind if result.change else None,
        "findings": [f.as_dict() for f in findings],
        "document": r.document,
    }


def id_warning(old_iri: str | None, new_iri: str, lang: str = "en") -> list[Finding]:
    if old_iri is None or old_iri == new_iri:
        return []
    return [
        Finding(
            "Warning",
            message("id-set", lang, iri=new_iri),
            focus_node=new_iri,
            field="id",
            value=old_iri,
            rule="node-set",
        )
    ]


class WriteRoutes:
    def __init__(self, settings: NodeSettings, store: NodeStore, auth: Authenticator):
        self.settings, self.store, self.auth = settings, store, auth

    def authenticate(self, request: Request) -> str:
        client = request.client.host if request.client else "unknown"
        return self.auth.authenticate(request.headers.get("authorization"), client)

    def state_of(self, request: Request, default: str) -> str:
        state = request.query_params.get("state", default)
        if state not in ("published", "draft"):
            raise bad_state(state)
        return state

    async def create(self, request: Request) -> Response:
        self.authenticate(request)
        state = self.state_of(request, "published")
        raw, media_type = await read_body(request, self.settings)
        lang = finding_language(request.headers.get("accept-language"))
        outcome, old_iri = await run_in_threadpool(self._create, raw, media_type, state, lang)
        findings = id_warning(old_iri, outcome.result.record.iri, lang) + outcome.findings
        return self.written(outcome.result, findings, 201)

    def _create(self, raw: bytes, media_type: str, state: str, lang: str):
        triples = publish.parse(raw, media_type, self.settings)
        base = publish.title_slug(triples, self.settings)
        for _ in range(20):  # another client may take the same slug between the check and the write
            prepared = publish.prepare(triples, self.settings, publish.free_slug(self.store, base), lang=lang)
            try:
                return publish.commit(
                    self.store, self.settings, prepared, state=state, lang=lang, create_only=True
                ), prepared.old_case_iri
            except Problem as problem:
                if problem.slug != "case-exists":
                    raise
        raise Problem(409, "case-exists", "Could not find a free case address", f"try again ({base})")

    async def replace(self, request: Request) -> Response:
        self.authenticate(request)
        slug = publish.check_slug(request.path_params["slug"])
        if_match = request.headers.get("if-match")
        if not if_match:
            raise Problem(
                428,
                "precondition-required",
                "If-Match is required",
                "send If-Match with the ETag from your last GET /cases/{slug}, so you do not "
                "overwrite someone else's change",
            )
        current = self.store.get_by_slug(slug)
        if current is None:
            raise Problem(
                404, "not-found", "No such case", f"there is no case {slug!r}; create cases with POST /cases"
            )
        default = current.state if current.state != "deleted" else "published"
        state = self.state_of(request, default)
        raw, media_type = await read_body(request, self.settings)
        lang = finding_language(request.headers.get("accept-language"))

        def work():
            triples = publish.parse(raw, media_type, self.settings)
            prepared = publish.prepare(triples, self.settings, slug, lang=lang)
            return publish.commit(
                self.store,
                self.settings,
                prepared,
                state=state,
                lang=lang,
                if_match=if_match,
                must_exist=True,
            ), prepared.old_case_iri

        outcome, old_iri = await run_in_threadpool(work)
        findings = id_warning(old_iri, outcome.result.record.iri, lang) + outcome.findings
        return self.written(outcome.result, findings, 200)

    async def delete(self, request: Request) -> Response:
        self.authenticate(request)
        slug = publish.check_slug(request.path_params["slug"])
        result = await run_in_threadpool(
            publish.delete,
            self.store,
            self.settings,
            self.settings.case_iri(slug),
            if_match=request.headers.get("if-match"),
        )
        if result is None or (not result.changed and result.record.state == "deleted"):
            raise Problem(404, "not-found", "No such case", f"there is no live case {slug!r}")
        return Response(status_code=204, headers={**NO_STORE, "ETag": result.record.etag})

    async def read(self, request: Request) -> Response:
        self.authenticate(request)
        slug = publish.check_slug(request.path_params["slug"])
        record = self.store.get_by_slug(slug)
        if record is None:
            raise Problem(404, "not-found", "No such case", f"there is no case {slug!r}")
        headers = {
            **NO_STORE,
            "ETag": record.etag,
            "Stafett-State": record.state,
            "Content-Location": record.iri,
        }
        return Response(
            orjson.dumps(record.document, option=orjson.OPT_INDENT_2),
            media_type="application/ld+json",
            headers=headers,
        )

    def written(self, result: WriteResult, findings: list[Finding], status: int) -> Response:
        headers = {
            **NO_STORE,
            "ETag": result.record.etag,
            "Location": f"{self.settings.base_url}cases/{result.record.slug}",
        }
        return Response(
            orjson.dumps(write_body(result, findings)),
            status_code=status,
            media_type="application/json",
            headers=headers,
        )


def routes(settings: NodeSettings, store: NodeStore, auth: Authenticator | None = None) -> list[Route]:
    handlers = WriteRoutes(settings, store, auth or Authenticator(settings, store))
    return [
        Route("/cases", handlers.create, methods=["POST"]),
        Route("/cases/{slug}", handlers.read, methods=["GET", "HEAD"]),
        Route("/cases/{slug}", handlers.replace, methods=["PUT"]),
        Route("/cases/{slug}", handlers.delete, methods=["DELETE"]),
    ]
