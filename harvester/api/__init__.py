"""The registry's machine routes besides SPARQL: the catalogue description at `/`, the registry's
own LDES feed (`/feed`, `/feed/page/{k}`, `/feed/state`), the harvest reports (`/reports`) and
the OpenAPI description (`/openapi.json`). harvester/app.py mounts them; see docs/harvester.md.
"""
