"""Bearer tokens: 401 with WWW-Authenticate, named tokens, revocation, hashes only, rate limit."""

from __future__ import annotations

import hashlib
import sqlite3

import httpx
from writer_support import case, make_node

from stafett.node.auth import issue_token


def test_missing_and_wrong_tokens_get_401_with_a_challenge(writer_node):
    missing = writer_node.anonymous.post("cases", json=case())
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert "token" in missing.json()["detail"]
    wrong = writer_node.anonymous.post("cases", json=case(), headers={"Authorization": "Bearer stf_nope"})
    assert wrong.status_code == 401
    basic = writer_node.anonymous.post("cases", json=case(), headers={"Authorization": "Basic dXNlcg=="})
    assert basic.status_code == 401
    assert writer_node.store.count_published() == 0


def test_every_write_route_needs_a_token(writer_node):
    slug = writer_node.post(case()).json()["slug"]
    for method, path in (("GET", f"cases/{slug}"), ("PUT", f"cases/{slug}"), ("DELETE", f"cases/{slug}")):
        response = writer_node.anonymous.request(method, path, headers={"If-Match": "*"})
        assert response.status_code == 401, (method, path)
    assert writer_node.store.get_by_slug(slug).state == "published"


def test_named_tokens_can_be_revoked(writer_node):
    second = issue_token(writer_node.store, "importer-bot")
    headers = {"Authorization": f"Bearer {second}"}
    assert writer_node.anonymous.post("cases", json=case(), headers=headers).status_code == 201
    assert writer_node.store.revoke_token("importer-bot")
    assert writer_node.anonymous.post("cases", json=case(), headers=headers).status_code == 401
    assert writer_node.post(case()).status_code == 201  # the other token still works
    names = {t.name: t.revoked for t in writer_node.store.list_tokens()}
    assert names["editor"] is None and names["importer-bot"] is not None


def test_only_hashes_are_stored(writer_node):
    db = sqlite3.connect(writer_node.settings.database_path)
    stored = [row[0] for row in db.execute("SELECT token_hash FROM tokens")]
    db.close()
    assert hashlib.sha256(writer_node.token.encode()).hexdigest() in stored
    raw = writer_node.settings.database_path.read_bytes()
    assert writer_node.token.encode() not in raw


def test_repeated_failures_are_rate_limited(tmp_path):
    server, node = make_node(tmp_path, auth_failures_allowed=3, auth_failure_window=60)
    try:
        bad = {"Authorization": "Bearer stf_guess"}
        statuses = [node.anonymous.post("cases", json=case(), headers=bad).status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        blocked = node.post(case())  # even the right token waits until the window passes
        assert blocked.status_code == 429
        retry_after = int(blocked.headers["Retry-After"])
        assert 1 <= retry_after <= 60
        assert blocked.json()["type"].endswith("/too-many-requests")
    finally:
        node.http.close()
        node.anonymous.close()
        server.stop()


def test_read_side_stays_open_without_a_token(writer_node):
    writer_node.post(case())
    response = httpx.get(writer_node.settings.base_url + "cases", timeout=10)
    assert response.status_code == 200


def test_a_spoofed_forwarded_for_does_not_change_the_counted_address(tmp_path):
    server, node = make_node(tmp_path, auth_failures_allowed=3, auth_failure_window=60)
    try:
        bad = {"Authorization": "Bearer stf_guess"}
        statuses = [
            node.anonymous.post(
                "cases", json=case(), headers=bad | {"X-Forwarded-For": f"203.0.113.{n}"}
            ).status_code
            for n in range(4)
        ]
        assert statuses == [401, 401, 401, 429]  # one real address, however many it claims
        aimed = node.post(case(), **{"X-Forwarded-For": "198.51.100.1"})
        assert aimed.status_code == 429  # still the loopback client, not the address it named
    finally:
        node.http.close(), node.anonymous.close()
        server.stop()


def test_forwarded_for_counts_only_from_a_named_proxy(tmp_path):
    server, node = make_node(
        tmp_path, auth_failures_allowed=3, auth_failure_window=60, trusted_proxies="127.0.0.1"
    )
    try:
        bad = {"Authorization": "Bearer stf_guess", "X-Forwarded-For": "203.0.113.7"}
        statuses = [node.anonymous.post("cases", json=case(), headers=bad).status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        other_client = node.post(case(), **{"X-Forwarded-For": "203.0.113.8"})
        assert other_client.status_code == 201  # behind the proxy, each client is its own address
        assert node.post(case(), **{"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    finally:
        node.http.close(), node.anonymous.close()
        server.stop()


def test_trusted_proxies_must_be_addresses(tmp_path):
    from stafett.node.settings import load_settings
    from stafett.problems import Problem

    server, node = make_node(tmp_path)
    server.stop()
    node.http.close(), node.anonymous.close()
    try:
        load_settings(node.settings.data_dir, {"trusted_proxies": "proxy.example"})
    except Problem as problem:
        assert "trusted_proxies" in problem.detail and "proxy.example" in problem.detail
    else:
        raise AssertionError("a host name was accepted as a trusted proxy")
