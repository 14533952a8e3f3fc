"""The aggregator: harvest LDES feeds into a quad store, answer SPARQL, republish.

Modules follow the data's path: settings -> sources -> fetch -> parse -> admit -> load
(quadstore, cases, checkpoint, reports) -> feed; `pipeline` runs one source top to bottom and
`registry.Registry` wires everything. Over HTTP: the SPARQL protocol in `sparql/`, the other
machine routes in `api/`, the pages for people in `web/`, one route list in `app.py`. See
docs/harvester.md ("Layout").
"""
