"""`stafett verify FILE|URL` as a script runs it: a real node on loopback, the command in a subprocess."""

import json
import subprocess
import sys

import httpx
import pytest

from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, url_of

CASE = {
    "@context": "https://w3id.org/stafett/context/v1",
    "type": "Case",
    "title": {"sv": "Signerad trygghetslarm"},
    "summary": {"sv": "Larm som kommunen köpte in."},
    "country": "SWE",
    "status": "pilot",
    "buyer": [{"name": {"sv": "Växjö kommun"}, "country": "SWE"}],
}


def stafett_verify(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stafett", "verify", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("verify")
    sock = bind()
    settings, store, token = node_bootstrap.init_node(
        tmp / "node", url_of(sock), {"sv": "Växjö kommun"}, None, "SWE", ("sv",)
    )
    server = node_bootstrap.start_node(settings, store, sock)
    with httpx.Client(base_url=settings.base_url, timeout=30) as http:
        answer = http.post(
            "cases",
            content=json.dumps(CASE).encode(),
            headers={"Content-Type": "application/ld+json", "Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 201, answer.text
        url = answer.json()["document"]["id"]
        document = http.get(url, headers={"Accept": "application/ld+json"}).json()
        (tmp / "catalogue.ttl").write_bytes(http.get("/", headers={"Accept": "text/turtle"}).content)
    yield settings, server, url, document, tmp
    server.stop()


def test_a_url_verifies_and_names_signer_time_and_key(signed):
    settings, _, url, document, _ = signed
    result = stafett_verify(url, "--allow-loopback")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"signed by: Växjö kommun <{settings.publisher_iri}>" in result.stdout
    assert f"when:      {document['proof']['created']}" in result.stdout
    assert f"key:       {document['proof']['verificationMethod']}" in result.stdout
    assert "result:    verified" in result.stdout


def test_files_tampered_unsigned_offline_and_missing(signed):
    _, _, _, document, tmp = signed
    original, changed, bare = tmp / "case.jsonld", tmp / "changed.jsonld", tmp / "bare.jsonld"
    original.write_text(json.dumps(document))
    changed.write_text(json.dumps({**document, "title": {"sv": "Ändrad titel"}}))
    bare.write_text(json.dumps({k: v for k, v in document.items() if k != "proof"}))
    keys = str(tmp / "catalogue.ttl")
    offline = stafett_verify(str(original), "--keys", keys, "--json")  # no network: the saved keys
    assert offline.returncode == 0 and json.loads(offline.stdout)["status"] == "verified"
    tampered = stafett_verify(str(changed), "--keys", keys)
    assert tampered.returncode == 1 and "result:    invalid: the signature does not match" in tampered.stdout
    unsigned = stafett_verify(str(bare), "--keys", keys)
    assert unsigned.returncode == 3 and "unsigned" in unsigned.stdout
    unknown = stafett_verify(str(original), "--keys", str(original))  # a key document without the key
    assert unknown.returncode == 1 and "unknown-key" in unknown.stdout
    missing = stafett_verify(str(tmp / "nowhere.jsonld"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
