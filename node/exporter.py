"""`stafett node export`: every current case (drafts too) as one JSON-LD file that re-imports.

The file is a JSON-LD document with the shared context and one `@graph` entry per case, each
carrying `stafettState` (draft or published); `stafettDeleted` lists deleted case IRIs; with
`history=True` each case also carries `stafettHistory`, its earlier versions. Those keys are
not context terms, so JSON-LD processors ignore them, while `stafett node import` reads them:
importing the file into a node with the same base URL gives the same cases in the same states.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from stafett.node.importer import DELETED_KEY, EXPORT_KEY, STATE_KEY
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore, format_time
from stafett.vocabulary.jsonld import CONTEXT_URL

HISTORY_KEY = "stafettHistory"


def export_document(store: NodeStore, settings: NodeSettings, *, history: bool = False) -> dict:
    graph, deleted = [], []
    for record in store.list_cases():
        if record.state == "deleted":
            deleted.append(record.iri)
            continue
        entry = {k: v for k, v in record.document.items() if k != "@context"}
        entry[STATE_KEY] = record.state
        if history:
            entry[HISTORY_KEY] = [
                {"version": v.version, "state": v.state, "modified": v.modified, "document": v.document}
                for v in store.history(record.iri)[:-1]
            ]
        graph.append(entry)
    return {
        "@context": CONTEXT_URL,
        EXPORT_KEY: {
            "node": settings.base_url,
            "exported": format_time(datetime.now(UTC)),
            "cases": len(graph),
        },
        "@graph": graph,
        DELETED_KEY: deleted,
    }


def write_export(
    store: NodeStore, settings: NodeSettings, out: Path | None, *, history: bool = False
) -> bytes:
    body = orjson.dumps(export_document(store, settings, history=history), option=orjson.OPT_INDENT_2)
    if out is not None:
        out.write_bytes(body + b"\n")
    return body
