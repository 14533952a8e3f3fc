"""The registry's own LDES feed over HTTP: `/feed` (the root), `/feed/page/{k}`, `/feed/state`.

Root and open page carry ETags and answer 304; a closed page is served with an immutable
Cache-Control header. The feed's content is harvester/feed.py's; the state lists every live case
with the sha256 of its snapshot (harvester/cases.py) so a downstream registry can check drift.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett.harvester.api.responses import SHORT, json_response, rdf_response, read_route
from stafett.ldes import IMMUTABLE
from stafett.problems import Problem
from stafett.web import problem_response

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry


def routes(registry: Registry) -> list[Route]:
    feed = registry.feed

    def root(request: Request) -> Response:
        return rdf_response(request, feed.root_quads(), SHORT, "the feed")

    def page(request: Request) -> Response:
        k = request.path_params["k"]
        if k >= feed.pages():
            return problem_response(
                Problem(
                    404,
                    "not-found",
                    "No such feed page",
                    f"the feed has {feed.pages()} pages; start at {feed.root}",
                )
            )
        quads, closed = feed.page_quads(k)
        return rdf_response(request, quads, IMMUTABLE if closed else SHORT, "a feed page")

    def state(request: Request) -> Response:
        cases = [{"id": case, "sha256": sha} for case, sha in registry.cases.live_state()]
        document = {"stream": feed.stream, "cases": cases}
        return json_response(request, document, "the feed state", {"Cache-Control": SHORT})

    return [
        read_route("/feed", root),
        read_route("/feed/page/{k:int}", page),
        read_route("/feed/state", state),
    ]
