"""The harvest reports as JSON: `/reports` (every source's summary) and `/reports/{source}` (one
source's summary with its latest runs). The same runs are in the reports graph for SPARQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from stafett.harvester.api.responses import json_response, read_route
from stafett.problems import Problem
from stafett.web import problem_response

if TYPE_CHECKING:
    from stafett.harvester.registry import Registry


def routes(registry: Registry) -> list[Route]:
    def reports(request: Request) -> Response:
        document = {"sources": [registry.source_summary(s) for s in registry.sources]}
        return json_response(request, document, "the reports")

    def source_reports(request: Request) -> Response:
        name = request.path_params["source"]
        source = registry.source(name)
        if source is None:
            return problem_response(
                Problem(
                    404, "not-found", "No such source", f"no source named {name!r}; see /reports for the list"
                )
            )
        document = {**registry.source_summary(source), "runs": registry.reports.runs(name)}
        return json_response(request, document, "a source's reports")

    return [read_route("/reports", reports), read_route("/reports/{source}", source_reports)]
