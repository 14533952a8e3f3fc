"""Where harvested quads live: embedded pyoxigraph on disk, or any SPARQL 1.1 store.

Both backends hand out a batch with the same two writes and a `commit()`. Updates are
fixed-shape SPARQL whose only variable parts are RDF terms and triple blocks serialised by
pyoxigraph itself (`str(NamedNode)`, N-Triples), never text from a source - an IRI or literal
cannot break out of its term.
- Embedded: one store transaction per batch (a feed page, or a run report): `Store.extend` of the
  page's quads when the page only adds (a first harvest), else one `Store.update()`; pyoxigraph
  applies either in one transaction, so a page's case graphs and their provenance change
  together or not at all (update operations run in order, so a case seen twice on a page ends as
  the later copy).
- External: the case graph is replaced with a Graph Store Protocol PUT (atomic per graph on the
  server) or DELETE; provenance and reports go through the SPARQL 1.1 Update protocol.
"""

from __future__ import annotations

import uuid
from typing import Protocol

import httpx
import pyoxigraph as ox

from stafett.problems import Problem
from stafett.vocabulary.terms import DCT, term

DROP_GRAPH = "DROP SILENT GRAPH {graph}"
INSERT_GRAPH = "INSERT DATA {{ GRAPH {graph} {{\n{triples}\n}} }}"
DELETE_ABOUT = "DELETE WHERE {{ GRAPH {graph} {{ {subject} ?p ?o }} }}"


def ntriples(triples: list[ox.Triple]) -> str:
    return (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8") if triples else ""


def replace_about_update(graph: str, subjects: list[str], triples: list[ox.Triple]) -> list[str]:
    g = str(ox.NamedNode(graph))
    ops = [DELETE_ABOUT.format(graph=g, subject=str(ox.NamedNode(s))) for s in subjects]
    if triples:
        ops.append(INSERT_GRAPH.format(graph=g, triples=ntriples(triples)))
    return ops


def replace_graph_update(graph: str, triples: list[ox.Triple] | None) -> list[str]:
    g = str(ox.NamedNode(graph))
    ops = [DROP_GRAPH.format(graph=g)]
    if triples:
        ops.append(INSERT_GRAPH.format(graph=g, triples=ntriples(triples)))
    return ops


def scoped_blank_nodes(triples: list[ox.Triple] | None) -> list[ox.Triple] | None:
    """The triples with fresh blank nodes, one per label: labels are scoped per member.

    Two members of one page may both say `_:b0` (the parser keeps a label page-wide), and
    SPARQL refuses a label shared by two INSERT DATA blocks of one update; it would also merge
    two unrelated resources. Renaming per write keeps each member's own structure.
    """
    if not triples:
        return triples
    fresh: dict = {}

    def term(node):
        if isinstance(node, ox.BlankNode):
            return fresh.setdefault(node, ox.BlankNode())
        return node

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]


def quads_in(graph: str, triples) -> list[ox.Quad]:
    """The triples as quads of `graph`, blank nodes made fresh per call (as `scoped_blank_nodes`).

    Unpacking each triple is 2x cheaper than reading its attributes (measured: 0.23 against
    0.47 ms for a case and its provenance), and this runs for every quad of a first harvest."""
    blank, quad, g = ox.BlankNode, ox.Quad, ox.NamedNode(graph)
    fresh: dict[ox.BlankNode, ox.BlankNode] = {}
    out = []
    for s, p, o in triples:
        if type(s) is blank:
            s = fresh.get(s) or fresh.setdefault(s, blank())
        if type(o) is blank:
            o = fresh.get(o) or fresh.setdefault(o, blank())
        out.append(quad(s, p, o, g))
    return out


def store_problem(detail: str) -> Problem:
    return Problem(502, "store-failed", "The external SPARQL store failed", detail)


class Batch(Protocol):
    def write_case(
        self,
        case: str,
        snapshot: list[ox.Triple] | None,
        prov_graph: str,
        prov_subjects: list[str],
        provenance: list[ox.Triple],
    ) -> None: ...

    def replace_about(self, graph: str, subjects: list[str], triples: list[ox.Triple]) -> None: ...

    def commit(self) -> None: ...


class QuadStore(Protocol):
    def batch(self) -> Batch: ...

    def close(self) -> None: ...


class StoreBatch:
    """Writes collected for one store transaction (embedded); `commit()` applies them.

    Most pages of a harvest only add: their case graphs and provenance subjects are new to the
    store (a first harvest is nothing else). Such a page is written with one `Store.extend`, one
    transaction of ready-made quads, 1.6x cheaper than the SPARQL UPDATE that parses the same
    quads from text and runs DROP / DELETE WHERE over nothing (docs/benchmarks.md, issue 17).
    A page that replaces a case graph or a case's provenance held already (or writes one twice)
    goes as one `Store.update` as before, so that ops run in order and the later copy wins: a
    page's case graphs and their provenance always change in one transaction. Only the page's
    `replace_about` writes of subjects held already (the search index's commit marker on every
    page, a relay's route description) are replaced first, by a small update of their own: the
    marker then moves before the cases it marks, so a crash between the two leaves it ahead of the
    index and the index is rebuilt (search/index.py). Both steps are idempotent on a resumed run.
    """

    def __init__(self, owner: EmbeddedStore) -> None:
        self.owner = owner
        # In the order written: (graph, None, triples, True) replaces a whole graph (None: drops
        # it), (graph, subjects, triples, of_case) replaces what `graph` says about `subjects`;
        # of_case: a case's provenance, which changes with its graph (never split off).
        self.writes: list[tuple[str, list[str] | None, list[ox.Triple] | None, bool]] = []
        self.quads = 0

    def write_case(self, case, snapshot, prov_graph, prov_subjects, provenance) -> None:
        self.writes += [(case, None, snapshot, True), (prov_graph, prov_subjects, provenance, True)]
        self.quads += len(snapshot or ()) + len(provenance)

    def replace_about(self, graph, subjects, triples) -> None:
        self.writes.append((graph, subjects, triples, False))
        self.quads += len(triples)

    def commit(self) -> None:
        if self.writes:
            store = self.owner.store
            mode = self.owner.write_mode
            held = None if mode == "update" else self.held_apart(store)
            if held is None:
                store.update(" ;\n".join(update_ops(self.writes)))
                self.owner.updates += 1
            else:
                if held:
                    store.update(" ;\n".join(update_ops([self.writes[i] for i in held])))
                added = [w for i, w in enumerate(self.writes) if i not in held]
                # "bulk" (bench only): no transaction, so a crash or a reader can see half a page
                (store.bulk_extend if mode == "bulk" else store.extend)(added_quads(added))
                self.owner.extends += 1
            self.owner.written(self.quads)
        self.writes, self.quads = [], 0

    def held_apart(self, store: ox.Store) -> set[int] | None:
        """The writes to replace first (plain `replace_about` of subjects held), when everything
        else only adds; None when the page must go as one update (see the class doc)."""
        graphs = [ox.NamedNode(g) for g, about, _, _ in self.writes if about is None]
        subjects = [(ox.NamedNode(g), ox.NamedNode(s)) for g, about, _, _ in self.writes for s in about or ()]
        if len(set(graphs)) < len(graphs) or len(set(subjects)) < len(subjects):
            return None
        if any(next(store.quads_for_pattern(None, None, None, g), None) is not None for g in graphs):
            return None
        held = set()
        for i, (graph, about, _, of_case) in enumerate(self.writes):
            g = ox.NamedNode(graph)
            if any(next(store.quads_for_pattern(ox.NamedNode(s), None, None, g), None) for s in about or ()):
                if of_case:
                    return None
                held.add(i)
        return held

    def update_ops(self) -> list[str]:
        return update_ops(self.writes)


def added_quads(writes) -> list[ox.Quad]:
    out: list[ox.Quad] = []
    for graph, _, triples, _ in writes:
        out += quads_in(graph, triples or ())
    return out


def update_ops(writes) -> list[str]:
    """Writes as one SPARQL UPDATE, ops in the order written (the later copy wins)."""
    ops: list[str] = []
    for graph, about, triples, _ in writes:
        if about is None:
            ops += replace_graph_update(graph, scoped_blank_nodes(triples))
        else:
            ops += replace_about_update(graph, about, scoped_blank_nodes(triples) or [])
    return ops


class ImmediateBatch:
    """The external store: each write goes out at once (per case, atomic per graph on the server)."""

    def __init__(self, backend: ExternalStore) -> None:
        self.write_case, self.replace_about = backend.write_case, backend.replace_about

    def commit(self) -> None:
        pass


class EmbeddedStore:
    """pyoxigraph on disk. Its write buffers (RocksDB memtables, one per index) only shrink when
    flushed to disk, and left alone they grew the harvester by about 85 MiB per 1,000 cases; so
    the buffers are flushed every `flush_every_quads` quads written (measured in docs/benchmarks.md:
    a 6,000-case load stayed near 70 MiB instead of 550 MiB, and ran no slower)."""

    def __init__(self, store: ox.Store, flush_every_quads: int = 100_000, write_mode: str = "extend") -> None:
        self.store, self.flush_every_quads, self.unflushed = store, flush_every_quads, 0
        self.flushes = 0
        # "update": every page as SPARQL UPDATE (the path before issue 17; the bench compares)
        self.write_mode = write_mode
        self.extends = self.updates = 0  # pages written each way (bench and tests read them)

    def batch(self) -> StoreBatch:
        return StoreBatch(self)

    def written(self, quads: int) -> None:
        """Count committed quads; flush the write buffers once enough have piled up."""
        self.unflushed += quads
        if self.flush_every_quads and self.unflushed >= self.flush_every_quads:
            self.store.flush()
            self.unflushed, self.flushes = 0, self.flushes + 1

    def close(self) -> None:
        if self.store is not None:
            self.store.flush()
            self.store = None  # type: ignore[assignment]  # the last reference: RocksDB releases its lock


class ExternalStore:
    """A SPARQL 1.1 store (tested against `oxigraph serve` and Virtuoso 7): Protocol for updates, GSP
    for graphs. `credentials` (user, password) authenticate the writes (updates and GSP) with HTTP
    digest or basic auth; queries go to the query URL as they come, as the forwarded `/sparql` ones do.
    """

    UNION_PROBE = "SELECT ?token WHERE {{ {marker} {predicate} ?token }}"
    CHECKED_WITH = term(DCT, "identifier")  # the one-off token

    def __init__(
        self,
        query_url: str,
        update_url: str,
        gsp_url: str,
        timeout: float = 60.0,
        credentials: tuple[str, str] | None = None,
        auth: str = "digest",
    ) -> None:
        self.query_url, self.update_url, self.gsp_url = query_url, update_url, gsp_url
        self.client = httpx.Client(timeout=timeout, trust_env=False)
        self.auth: httpx.Auth | None = None
        if credentials is not None:
            self.auth = (httpx.DigestAuth if auth == "digest" else httpx.BasicAuth)(*credentials)

    def _send(self, method: str, url: str, what: str, ok=(200, 201, 204), **kwargs) -> httpx.Response:
        """One request to the store; an unreachable or refusing store is a `store-failed` Problem."""
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as err:
            raise store_problem(f"{what}: {type(err).__name__}: {err} ({url})") from None
        # Virtuoso answers an update by a user without the right 500 "SR186:SECURITY: No permission".
        refused = response.status_code in (401, 403) or (
            response.status_code == 500 and "SECURITY" in response.text[:300]
        )
        if refused:
            raise store_problem(
                f"{what}: HTTP {response.status_code} from {url}: the store refused the write. Set "
                "external_user and the password (STAFETT_REGISTRY_EXTERNAL_PASSWORD or "
                "external_password_file) of a user allowed to update; see docs/scale-out.md."
                f" The store said: {response.text[:300]}"
            )
        if response.status_code not in ok:
            raise store_problem(f"{what}: HTTP {response.status_code} {response.text[:300]}")
        return response

    def update(self, ops: list[str]) -> None:
        if ops:
            self._send(
                "POST",
                self.update_url,
                "update",
                auth=self.auth or httpx.USE_CLIENT_DEFAULT,
                content=" ;\n".join(ops).encode(),
                headers={"Content-Type": "application/sparql-update"},
            )

    def put_graph(self, graph: str, triples: list[ox.Triple]) -> None:
        self._send(
            "PUT",
            self.gsp_url,
            f"PUT {graph}",
            auth=self.auth or httpx.USE_CLIENT_DEFAULT,
            params={"graph": graph},
            content=ntriples(triples).encode(),
            headers={"Content-Type": "application/n-triples"},
        )

    def delete_graph(self, graph: str) -> None:
        self._send(
            "DELETE",
            self.gsp_url,
            f"DELETE {graph}",
            ok=(200, 204, 404),
            params={"graph": graph},
            auth=self.auth or httpx.USE_CLIENT_DEFAULT,
        )

    def write_case(self, case, snapshot, prov_graph, prov_subjects, provenance) -> None:
        if snapshot:
            self.put_graph(case, snapshot)
        else:
            self.delete_graph(case)
        self.update(replace_about_update(prov_graph, prov_subjects, provenance))

    def replace_about(self, graph, subjects, triples) -> None:
        self.update(replace_about_update(graph, subjects, triples))

    def batch(self) -> ImmediateBatch:
        return ImmediateBatch(self)

    def query(self, sparql: str) -> dict:
        return self._send(
            "POST",
            self.query_url,
            "query",
            ok=(200,),
            data={"query": sparql},
            headers={"Accept": "application/sparql-results+json"},
        ).json()

    def check_union_default_graph(self, marker_graph: str) -> None:
        """Refuse a store whose default graph is not the union of its named graphs.

        The registry keeps one named graph per case and `/sparql` queries the default graph, so on
        such a store every query would silently answer nothing. The probe writes one triple into
        `marker_graph` through the update endpoint, reads it back from the default graph through the
        query endpoint and removes it through the Graph Store endpoint: honest on an empty store,
        and it proves at start that all three endpoints (and the credentials) work.
        """
        marker = ox.NamedNode(marker_graph)
        token = ox.Literal(uuid.uuid4().hex)
        self.update(replace_graph_update(marker_graph, [ox.Triple(marker, self.CHECKED_WITH, token)]))
        try:
            answer = self.query(self.UNION_PROBE.format(marker=str(marker), predicate=str(self.CHECKED_WITH)))
        finally:
            self.delete_graph(marker_graph)
        seen = {row.get("token", {}).get("value") for row in answer.get("results", {}).get("bindings", [])}
        if token.value not in seen:
            raise Problem(
                409,
                "store-default-graph-not-union",
                "The external store's default graph is not the union of its named graphs",
                f"A triple written into the named graph <{marker_graph}> could not be read from the "
                f"default graph of {self.query_url}, so every query to the registry would answer 0 "
                "cases. For Oxigraph, start the server with `oxigraph serve --union-default-graph`; "
                "for another store, make its default graph the union of all named graphs (Virtuoso "
                "does so unless the endpoint sets a default graph). See docs/scale-out.md.",
            )

    def close(self) -> None:
        self.client.close()
