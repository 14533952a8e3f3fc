"""An index written under an older schema (before the compound and infix fields) is started
afresh and rebuilt from the store, instead of stopping the registry's start."""

from __future__ import annotations

import shutil

import tantivy
from search_support import BASE, PROVENANCE, found, index_of

from stafett.harvester.search.index import MARKER_FILE, SearchIndex


def test_an_index_of_an_older_schema_is_rebuilt_on_start(tmp_path):
    """A registry upgraded to a schema with more fields: tantivy refuses to open the old index, so
    it is started afresh and, its marker gone with it, rebuilt from the store."""
    cases = {"compound": {"title": {"sv": "Nattillsyn i hemtjänsten"}}}
    built = index_of(tmp_path, cases)
    store = built.store
    built.close()
    folder = tmp_path / "search"
    shutil.rmtree(folder)
    folder.mkdir()
    old = tantivy.SchemaBuilder()
    old.add_text_field("id", stored=True, tokenizer_name="raw")
    writer = tantivy.Index(old.build(), path=str(folder)).writer(15_000_000, 1)
    writer.commit()
    del writer
    (folder / MARKER_FILE).write_text('{"marker": null}', "utf-8")  # "in step" with a store without one
    reopened = SearchIndex(folder, store, PROVENANCE, BASE)
    try:
        assert reopened.ensure_in_step()
        assert found(reopened, "tillsyn", "sv") == ["compound"]
    finally:
        reopened.close()
