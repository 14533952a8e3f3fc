"""The aggregator: harvest LDES feeds into a quad store, answer SPARQL, republish.

Modules follow the data's path: settings -> sources -> fetch -> parse -> admit -> load
(quadstore, checkpoint, reports) -> republish; `pipeline` runs one source top to bottom and
`registry.Registry` wires everything. The SPARQL endpoint lives in `sparql/`, the web app in
`app.py`. See docs/harvester.md.
"""
