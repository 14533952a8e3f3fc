"""Node keys (issue 16): `stafett node init` makes one, `key rotate` and `key revoke` change which
proofs verify, the catalogue publishes them as Multikeys and did:web serves them for https nodes.
Everything runs for real: the CLI in a subprocess, the node on loopback, proofs checked from the
node's own answers (Turtle and JSON-LD) against the keys its catalogue publishes."""

from __future__ import annotations

import stat

import httpx
import orjson
import pyoxigraph as ox
import pytest
from test_cli import stafett
from writer_support import case

from stafett.integrity.proofs import verify
from stafett.integrity.published import published_keys
from stafett.node import publish
from stafett.node.api.catalogue import did_document
from stafett.node.app import create_app
from stafett.node.keys import create_key, list_keys
from stafett.node.settings import NodeSettings, load_settings
from stafett.node.store import NodeStore
from stafett.serving import bind, serve_in_thread, url_of
from stafett.vocabulary.jsonld import parse_document


def init_args(data_dir, base):
    return (
        "node",
        "init",
        "--data-dir",
        str(data_dir),
        "--base-url",
        base,
        "--org-name",
        "sv=Växjö kommun",
        "--country",
        "SWE",
        "--languages",
        "sv,en",
    )


def put(settings, store, slug, title):
    triples = publish.parse(orjson.dumps(case(title={"sv": title})), "application/ld+json", settings)
    return publish.commit(store, settings, publish.prepare(triples, settings, slug)).result.record


@pytest.fixture
def served(tmp_path):
    sock = bind()
    data_dir = tmp_path / "node"
    result = stafett(*init_args(data_dir, url_of(sock)))
    assert "signing key" in result.stdout
    settings = load_settings(data_dir, {})
    store = NodeStore(settings.database_path)
    server = serve_in_thread(create_app(settings, store), sock)
    with httpx.Client(base_url=settings.base_url, timeout=30) as client:
        yield settings, store, client
    server.stop()
    store.close()


def keys_of(client) -> dict:
    answer = client.get("/", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    return published_keys(ox.parse(answer.content, ox.RdfFormat.TURTLE))


def status(client, slug, keys) -> tuple[str, str | None]:
    answer = client.get(f"case/{slug}", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200, answer.text
    result = verify(ox.parse(answer.content, ox.RdfFormat.TURTLE), keys.get)
    return result.status, result.key


def test_init_makes_a_private_key_only_its_owner_reads(served):
    settings, _, client = served
    folder = settings.data_dir / "keys"
    (pem,) = folder.glob("*.pem")
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in pem.read_bytes()
    (key,) = keys_of(client).values()
    assert key.id == f"{settings.base_url}#key-{pem.stem}" and key.controller == settings.publisher_iri
    for path in (f"keys/{pem.name}", "keys/keys.json", f"{pem.name}"):  # nothing of it is served
        assert client.get(path).status_code == 404


def test_every_version_is_signed_in_every_serialisation(served):
    settings, store, client = served
    record = put(settings, store, "signed", "Signerat fall")
    keys = keys_of(client)
    assert status(client, "signed", keys) == ("verified", next(iter(keys)))
    document = client.get("case/signed", headers={"Accept": "application/ld+json"}).json()
    proof = document["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofValue"].startswith("z") and proof["verificationMethod"] in keys
    assert proof["created"] == record.modified
    quads = parse_document(orjson.dumps(document), "application/ld+json", base_iri=settings.base_url)
    assert verify(quads, keys.get).status == "verified"
    tampered = document | {"title": {"sv": "Ändrat fall"}}
    quads = parse_document(orjson.dumps(tampered), "application/ld+json", base_iri=settings.base_url)
    assert verify(quads, keys.get).status == "invalid"


def test_rotate_keeps_old_proofs_and_revoke_refuses_later_ones(served):
    settings, store, client = served
    before = put(settings, store, "before", "Före bytet")
    stafett("node", "key", "rotate", "--data-dir", str(settings.data_dir))
    after = put(settings, store, "after", "Efter bytet")
    keys = keys_of(client)
    assert len(keys) == 2
    old, new = sorted(keys.values(), key=lambda k: k.expires is None)
    assert old.expires and new.expires is None
    assert status(client, "before", keys) == ("verified", old.id)
    assert status(client, "after", keys) == ("verified", new.id)
    old_id = old.id.rsplit("-", 1)[1]
    listed = stafett(
        "node", "key", "revoke", old_id, "--after", "2000-01-01", "--data-dir", str(settings.data_dir)
    )
    assert f"revoked {old_id}" in listed.stdout and "2000-01-01T00:00:00Z" in listed.stdout
    keys = keys_of(client)
    assert keys[old.id].revoked == "2000-01-01T00:00:00Z"
    assert status(client, "before", keys)[0] == "revoked-key"
    assert status(client, "after", keys) == ("verified", new.id)
    assert before.modified < after.modified
    bad = stafett(
        "node",
        "key",
        "revoke",
        "nope",
        "--after",
        "2026-01-01",
        "--data-dir",
        str(settings.data_dir),
        check=False,
    )
    assert bad.returncode != 0 and "no key 'nope'" in bad.stderr
    bad = stafett(
        "node", "key", "revoke", old_id, "--after", "soon", "--data-dir", str(settings.data_dir), check=False
    )
    assert bad.returncode != 0 and "--after 'soon'" in bad.stderr


def test_a_deletion_is_a_signed_tombstone(served):
    settings, store, client = served
    put(settings, store, "gone", "Borttaget fall")
    publish.delete(store, settings, settings.case_iri("gone"))
    feed = client.get("feed/0", headers={"Accept": "application/trig"})
    graphs: dict = {}
    for q in ox.parse(feed.content, ox.RdfFormat.TRIG):
        graphs.setdefault(q.graph_name, []).append(q)
    tombstones = [g for g in graphs.values() if any(q.object.value.endswith("#Tombstone") for q in g)]
    assert len(tombstones) == 1
    assert verify(tombstones[0], keys_of(client).get).status == "verified"


def test_did_web_only_for_an_https_node(served, tmp_path):
    _, _, client = served
    assert client.get(".well-known/did.json").status_code == 404
    settings = NodeSettings(
        "https://stafett.vaxjo.example/", tmp_path / "https", {"sv": "Växjö kommun"}, None, "SWE", ("sv",)
    )
    key = create_key(settings)
    sock = bind()
    server = serve_in_thread(create_app(settings, NodeStore(settings.database_path)), sock)  # behind TLS
    try:
        answer = httpx.get(url_of(sock) + ".well-known/did.json")
    finally:
        server.stop()
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/did+json")
    did = answer.json()
    assert did == did_document(settings)
    assert did["id"] == "did:web:stafett.vaxjo.example"
    (method,) = did["verificationMethod"]
    assert method["id"] == f"did:web:stafett.vaxjo.example#key-{key.id}"
    assert (
        method["publicKeyMultibase"]
        == key.public_key_multibase
        == list_keys(settings)[0].public_key_multibase
    )
    assert did["assertionMethod"] == [method["id"]]
