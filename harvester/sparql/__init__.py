"""The registry's public, read-only SPARQL 1.1 endpoint.

The flow of one request, one module per step:
`endpoint` (HTTP: SPARQL 1.1 Protocol, CORS) -> `gate` (parse with a real SPARQL parser; refuse
updates, SERVICE, anything that is not a query) -> `negotiate` (result media type) -> `pool`
(a bounded queue in front of worker processes) -> `worker` (runs the query on a read-only
`snapshot` of the store, serialises with the row cap of `results`) or `external` (forwards to an
external store's endpoint under the same gate, deadline and caps). `description` answers the
SPARQL 1.1 Service Description. Limits live in `settings`.
"""

from stafett.harvester.sparql.settings import SparqlSettings

__all__ = ["SparqlSettings"]
