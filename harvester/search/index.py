"""The registry's search index: embedded tantivy beside the quad store, kept in step with it.

index = SearchIndex(settings.data_dir / "search", store, prov_graph, base_url)
index.in_step()                  # does the index carry the store's commit marker?
index.rebuild()                  # everything from the store (`stafett registry reindex`, or on start)
token = index.new_marker(batch)  # in a page's store transaction: the store's new commit marker
index.apply(cases, token)        # after that transaction committed: re-read those cases, commit

Being in step is checked with a marker: each page transaction that changes cases writes a fresh
token into the store (provenance graph, `dct:identifier` of `{base}search/commit`), and the index
records the token of the store state it reflects in `marker.json`, written only after its own
commit. A crash between the store's commit and the index's leaves the two tokens different, and
the next start rebuilds the index from the store; a tantivy commit is atomic, so a search never
sees half of a page. A rebuild is written to a fresh folder and swapped in, so a crash during it
leaves the previous index (still out of step, so rebuilt again) and never a half-built one. An
index whose fields differ from this version's (written by an earlier one) is dropped on open and
rebuilt the same way.
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

import orjson
import pyoxigraph as ox
import tantivy

from stafett.harvester.search import analysis
from stafett.harvester.search.documents import (
    CONCEPT_FIELDS,
    FACETS,
    OPEN_ENDED,
    UNTIL_FIELDS,
    CaseDocument,
    batches,
    live_cases,
    read_cases,
    store_marker,
)
from stafett.vocabulary.terms import DCT, term

MARKER_FILE = "marker.json"
WRITER_HEAP = 15_000_000  # bytes; tantivy's minimum per thread, plenty for one page of cases
REBUILD_HEAP = 64_000_000  # a rebuild's one-off writer: fewer segment flushes (+30 % cases/s measured)
DCT_IDENTIFIER = term(DCT, "identifier")


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in analysis.TEXT_FIELDS:
        # the language fields are stored for snippets; the folded copy only matches
        builder.add_text_field(name, stored=name != analysis.FOLDED, tokenizer_name=name)
    for name in analysis.TITLE_FIELDS:
        builder.add_text_field(name, tokenizer_name="text" + name.removeprefix("title"))
    for name in analysis.PARTS_FIELDS:  # matched only (no phrases): frequencies, no positions
        builder.add_text_field(name, tokenizer_name="text" + name.removeprefix("parts"), index_option="freq")
    # the infix field answers prefix queries only, with a constant score: documents, nothing more
    builder.add_text_field(analysis.INFIX, tokenizer_name=analysis.INFIX, index_option="basic")
    for facet in (*FACETS, *CONCEPT_FIELDS):
        builder.add_text_field(facet, fast=True, tokenizer_name="raw")
    builder.add_unsigned_field("start", fast=True)  # start year, for sorting
    builder.add_unsigned_field("modified", fast=True)  # dct:modified, for "newest"
    for name in UNTIL_FIELDS.values():  # issue 15: an offer's last day, compared with today at read time
        builder.add_unsigned_field(name, fast=True, indexed=True)
    builder.add_bytes_field("card", stored=True)  # titles and country, for the result list
    return builder.build()


class SearchIndex:
    def __init__(self, folder: Path, store: ox.Store, prov_graph: str, base_url: str) -> None:
        self.folder, self.store, self.prov_graph, self.base_url = Path(folder), store, prov_graph, base_url
        self.marker_iri = base_url + "search/commit"
        self.lock = threading.Lock()  # one writer at a time: page updates and rebuilds
        self.index, self.writer = self.open(self.folder)

    @staticmethod
    def open(folder: Path, heap: int = WRITER_HEAP) -> tuple[tantivy.Index, tantivy.IndexWriter]:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            index = tantivy.Index(schema(), path=str(folder), reuse=True)
        except ValueError as err:  # an index of an older schema (fields added since): start afresh;
            if "schema does not match" not in str(err):  # its marker goes with it, so the
                raise  # registry's start rebuilds it from the store
            shutil.rmtree(folder)
            folder.mkdir(parents=True)
            index = tantivy.Index(schema(), path=str(folder), reuse=True)
        analysis.register(index)
        return index, index.writer(heap, 1)

    # -- markers --------------------------------------------------------------------------------

    def recorded(self) -> dict:
        try:
            return json.loads((self.folder / MARKER_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def record(self, token: str | None, folder: Path | None = None) -> None:
        target = (folder or self.folder) / MARKER_FILE
        partial = target.with_suffix(".tmp")
        partial.write_text(json.dumps({"marker": token}), "utf-8")
        partial.replace(target)  # atomic: the marker is the old one or the new one, never half

    def store_marker(self) -> str | None:
        return store_marker(self.store, self.prov_graph, self.marker_iri)

    def in_step(self) -> bool:
        recorded = self.recorded()
        return "marker" in recorded and recorded["marker"] == self.store_marker()

    def new_marker(self, batch) -> str:
        """Write a fresh commit marker into the store through the page's batch; returns it."""
        token = uuid.uuid4().hex
        marker = ox.Triple(ox.NamedNode(self.marker_iri), DCT_IDENTIFIER, ox.Literal(token))
        batch.replace_about(self.prov_graph, [self.marker_iri], [marker])
        return token

    # -- writing --------------------------------------------------------------------------------

    def apply(self, cases: Iterable[str], token: str) -> None:
        """Re-read these cases from the committed store: live ones (re)indexed, deleted ones removed."""
        with self.lock:
            self.put(self.writer, cases)
            self.writer.commit()
            self.record(token)
            self.index.reload()

    def put(self, writer: tantivy.IndexWriter, cases: Iterable[str], *, fresh: bool = False) -> int:
        """(Re)index these cases from the store, READ_BATCH to a query; `fresh`: the writer's index
        is new and empty, so there is nothing to delete first (a rebuild)."""
        indexed = 0
        for batch in batches(dict.fromkeys(cases)):
            for case, document in read_cases(self.store, batch, self.prov_graph, self.base_url).items():
                if not fresh:
                    writer.delete_documents_by_term("id", case)
                if document is not None:
                    writer.add_document(self.to_tantivy(document))
                    indexed += 1
        return indexed

    @staticmethod
    def to_tantivy(document: CaseDocument) -> tantivy.Document:
        fields: dict = {"id": document.case, **document.texts, **analysis.derived_fields(document.texts)}
        fields.update({facet: sorted(values) for facet, values in document.facets.items()})
        card = {
            "titles": document.titles,
            "country": sorted(document.facets.get("country", ())),
            "topics": sorted(document.facets.get("topic", ())),
            "suggested": sorted(document.facets.get("topicSuggested", ())),
        }
        fields["card"] = orjson.dumps(card)
        out = tantivy.Document(**fields)
        out.add_unsigned("start", document.start_year)  # keyword ints would be typed as i64
        out.add_unsigned("modified", document.modified)
        for name in UNTIL_FIELDS.values():
            out.add_unsigned(name, document.until.get(name, OPEN_ENDED))
        return out

    def rebuild(self) -> int:
        """Index every case in the store into a fresh folder, then swap it in; returns the count."""
        with self.lock:
            token = self.store_marker()
            fresh = self.folder.with_name(self.folder.name + ".rebuild")
            shutil.rmtree(fresh, ignore_errors=True)
            index, writer = self.open(fresh, REBUILD_HEAP)
            count = self.put(writer, live_cases(self.store), fresh=True)
            writer.commit()
            writer.wait_merging_threads()
            self.record(token, fresh)
            del writer, index
            self.writer = self.index = None  # type: ignore[assignment]  # release the old folder's lock
            old = self.folder.with_name(self.folder.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.folder.exists():
                self.folder.replace(old)
            fresh.replace(self.folder)
            shutil.rmtree(old, ignore_errors=True)
            self.index, self.writer = self.open(self.folder)
            return count

    def ensure_in_step(self) -> bool:
        """On start: rebuild when the index does not carry the store's marker. True if it rebuilt."""
        if self.in_step():
            return False
        self.rebuild()
        return True

    def searcher(self) -> tantivy.Searcher:
        return self.index.searcher()

    def close(self) -> None:
        with self.lock:
            if self.writer is not None:
                self.writer.wait_merging_threads()
            self.writer = self.index = None  # type: ignore[assignment]
            self.store = None  # type: ignore[assignment]  # so the registry's close releases the store
