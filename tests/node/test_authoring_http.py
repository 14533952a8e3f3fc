"""The authoring pages over HTTP on a real node: people and sign-in, CSRF, stale sessions, drafts
that keep anything, publishing through the same validation as the API, conflicts, unpublishing,
review and the audit trail. The browser tests (tests/browser/test_authoring.py) walk the same pages."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
import pytest
from authoring_support import REV, csrf_of, post_form, sign_in, start

from stafett.node.authoring.drafts import Drafts

GOOD = {
    "title@sv": "Snöröjning med drönare",
    "title@en": "Snow clearing with drones",
    "summary@sv": "Kommunen prövade drönare för att hitta snövallar.",
    "country": "SWE",
    "buyer.0.name@sv": "Lillby kommun",
    "sector": ["transport", "public-safety"],
    "cost.0.amount": "1 200 000,50",
    "cost.0.currency": "SEK",
}


@pytest.fixture
def node(tmp_path):
    running = start(tmp_path)
    yield running
    running.server.stop()


def drafts_of(node):
    return Drafts(node.settings.database_path).all()


def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_it(node):
    client = node.client()
    page = client.get("sign-in")
    assert page.status_code == 200 and 'for="credential"' in page.text
    response = sign_in(client, "anna", node.credentials["anna"])
    assert response.status_code == 303 and response.headers["location"].endswith("/author")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie  # http node
    overview = client.get("author")
    assert overview.status_code == 200 and "Inloggad som anna" in overview.text
    assert client.post("sign-out", data={"csrf": csrf_of(overview)}).status_code == 303
    signed_out = client.get("author")
    assert signed_out.status_code == 401 and signed_out.headers["www-authenticate"].startswith("Session ")


def test_a_wrong_credential_is_refused_and_repeated_failures_wait(tmp_path):
    node = start(tmp_path, auth_failures_allowed=3, auth_failure_window=60)
    try:
        client = node.client()
        statuses = [sign_in(client, "anna", "wrong").status_code for _ in range(4)]
        assert statuses == [403, 403, 403, 429]
        blocked = sign_in(client, "anna", node.credentials["anna"])  # even the right one waits
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
        assert "sekunder" in blocked.text
    finally:
        node.server.stop()


def test_a_forged_csrf_token_changes_nothing(node):
    client = node.signed_in("anna")
    token = csrf_of(client.get("author/new"))
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (forged, "", csrf_of(node.signed_in("bo").get("author"))):  # another session's token too
        response = client.post("author/drafts", data={"csrf": bad, "title@sv": "X", "action": "save"})
        assert response.status_code == 403 and "ingenting" not in response.text
        assert "inget ändrades" in response.text
    assert drafts_of(node) == []


def test_a_stale_session_changes_nothing(node):
    client = node.signed_in("anna")
    token = csrf_of(client.get("author/new"))
    node.people.reset("anna")  # the credential changed: the session made with the old one ends
    response = client.post("author/drafts", data={"csrf": token, "title@sv": "X", "action": "save"})
    assert response.status_code == 401 and "Logga in igen" in response.text
    assert drafts_of(node) == []
    expired = httpx.Client(base_url=node.settings.base_url, cookies={"stafett_session": "bm9wZQ==.old.sig"})
    assert expired.get("author", headers={"Accept-Language": "sv"}).status_code == 401


def test_a_session_expires_after_its_lifetime(tmp_path):
    node = start(tmp_path, session_lifetime=1)
    try:
        client = node.signed_in("anna")
        token = csrf_of(client.get("author/new"))
        time.sleep(2.2)  # the signed cookie is now older than session_lifetime
        response = client.post("author/drafts", data={"csrf": token, "title@sv": "X", "action": "save"})
        assert response.status_code == 401 and drafts_of(node) == []
    finally:
        node.server.stop()


def test_summary_or_need_links_to_the_summary_and_a_contact_to_its_instance(node):
    client = node.signed_in("anna", lang="en")
    refused = post_form(
        client,
        "author/new",
        "author/drafts",
        {"title@sv": "X", "contact.0.fullName": "Anna"},
        action="publish",
    )
    targets = re.findall(r'<li class="error"><a href="#([^"]+)">', refused.text)
    assert "f-summary_en" in targets and "f-contact_0" in targets, targets  # the reader's language first
    assert 'id="f-contact_0"' in refused.text and 'id="f-summary_en"' in refused.text
    assert (
        '<fieldset id="f-contact_0" aria-describedby="f-contact_0-error">' in refused.text
    )  # said at it too


def test_script_typed_in_a_field_is_kept_as_text_and_never_runs(node):
    client = node.signed_in("anna")
    script = "<script>alert(1)</script>"
    saved = post_form(client, "author/new", "author/drafts", {"title@sv": script})
    page = client.get(saved.headers["location"])
    assert script not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert drafts_of(node)[0].document["title"]["sv"] == script  # kept exactly as typed


def test_a_draft_keeps_anything_and_stays_private(node):
    client = node.signed_in("anna")
    response = post_form(
        client, "author/new", "author/drafts", {"title@sv": "Halvfärdigt", "cost.0.amount": "tolv"}
    )
    assert response.status_code == 303
    [draft] = drafts_of(node)
    assert draft.document["title"] == {"sv": "Halvfärdigt"} and draft.document["cost"] == {"amount": "tolv"}
    page = client.get(response.headers["location"])
    assert 'value="tolv"' in page.text and 'value="Halvfärdigt"' in page.text
    anonymous = node.client()
    for path in ("feed", "cases", ""):
        assert "Halvfärdigt" not in anonymous.get(path, headers={"Accept": "text/html"}).text
    assert node.store.list_cases() == []


def test_publish_lists_every_finding_keeps_the_typing_then_publishes_after_the_fix(node):
    client = node.signed_in("anna")
    missing = {k: v for k, v in GOOD.items() if k not in ("country", "buyer.0.name@sv")}
    refused = post_form(client, "author/new", "author/drafts", missing, action="publish")
    assert refused.status_code == 422
    errors = re.findall(r'<li class="error"><a href="#([^"]+)">', refused.text)
    assert "f-country" in errors and "f-buyer_0" in errors, errors
    assert 'value="Snöröjning med drönare"' in refused.text  # nothing typed is lost
    assert 'aria-describedby="f-country-help f-country-error"' in refused.text
    [draft] = drafts_of(node)
    fixed = post_form(
        client, f"author/drafts/{draft.id}", f"author/drafts/{draft.id}", GOOD, action="publish"
    )
    assert fixed.status_code == 200 and "är publicerat" in fixed.text, fixed.text[-2000:]
    assert "<li>Kontakt: " in fixed.text  # the advice names the field as the form does
    record = node.store.get_by_slug("snorojning-med-dronare")
    assert record.state == "published" and str(record.document["cost"]["amount"]) == "1200000.5"
    assert "proof" in record.document  # signed by the node, as an API write is
    assert drafts_of(node) == []
    feed = node.client().get("feed", headers={"Accept": "application/n-triples"}).text
    assert "snorojning-med-dronare" in feed or node.store.count_changes() == 1


def test_two_people_saving_one_draft_conflict_and_both_versions_are_shown(node):
    anna, bo = node.signed_in("anna"), node.signed_in("bo")
    post_form(anna, "author/new", "author/drafts", GOOD, action="publish")
    overview = anna.get("author")
    location = anna.post("author/cases/snorojning-med-dronare/edit", data={"csrf": csrf_of(overview)})
    assert location.status_code == 303
    draft_path = location.headers["location"].split("/", 3)[3]
    anna_page, bo_page = anna.get(draft_path), bo.get(draft_path)  # both open the case's one draft
    saved = bo.post(
        draft_path,
        data={
            **GOOD,
            "title@en": "Second year",
            "csrf": csrf_of(bo_page),
            "rev": REV.search(bo_page.text).group(1),
            "action": "save",
        },
    )
    assert saved.status_code == 303
    stale = anna.post(
        draft_path,
        data={
            **GOOD,
            "title@en": "Anna's title",
            "csrf": csrf_of(anna_page),
            "rev": REV.search(anna_page.text).group(1),
            "action": "save",
        },
    )
    assert stale.status_code == 409 and "Second year" in stale.text and "Anna&#39;s title" in stale.text
    assert drafts_of(node)[0].document["title"]["en"] == "Second year"  # never a silent overwrite
    assert 'type="hidden" name="title@en" value="Anna&#39;s title"' in stale.text  # her typing is kept
    if_she_keeps = anna.post(
        draft_path,
        data={
            **GOOD,
            "title@en": "Anna's title",
            "csrf": csrf_of(stale),
            "rev": REV.search(stale.text).group(1),
            "action": "save",
        },
    )
    assert if_she_keeps.status_code == 303 and drafts_of(node)[0].document["title"]["en"] == "Anna's title"
    bo_page = bo.get(draft_path)
    republished = post_form(bo, draft_path, draft_path, {**GOOD, "title@en": "Second year"}, action="publish")
    assert bo_page.status_code == 200
    assert republished.status_code == 200
    record = node.store.get_by_slug("snorojning-med-dronare")
    assert record.version == 2 and [c.kind for c in node.store.changes_after(0, 10)] == ["Create", "Update"]


def test_a_case_changed_since_the_edit_began_shows_both_versions(node):
    anna = node.signed_in("anna")
    post_form(anna, "author/new", "author/drafts", GOOD, action="publish")
    overview = anna.get("author")
    location = anna.post("author/cases/snorojning-med-dronare/edit", data={"csrf": csrf_of(overview)})
    draft_path = location.headers["location"].split("/", 3)[3]
    # meanwhile the case changes through the node's write path (as a token client's PUT would)
    import orjson

    from stafett.node import publish

    record = node.store.get_by_slug("snorojning-med-dronare")
    changed = {k: v for k, v in record.document.items() if k not in ("proof",)}
    changed["title"] = {**changed["title"], "en": "Changed by the API"}
    triples = publish.parse(orjson.dumps(changed), "application/ld+json", node.settings)
    prepared = publish.prepare(triples, node.settings, "snorojning-med-dronare")
    publish.commit(node.store, node.settings, prepared, if_match=record.etag)
    conflict = post_form(anna, draft_path, draft_path, {**GOOD, "title@en": "Mine"}, action="publish")
    assert conflict.status_code == 409
    assert "Changed by the API" in conflict.text and "Mine" in conflict.text
    assert node.store.get_by_slug("snorojning-med-dronare").document["title"]["en"] == "Changed by the API"
    kept = anna.post(
        draft_path,
        data={
            **GOOD,
            "title@en": "Mine",
            "csrf": csrf_of(conflict),
            "action": "keep-mine",
            "rev": REV.search(conflict.text).group(1),
        },
    )
    assert kept.status_code == 200, kept.text[-1500:]
    assert node.store.get_by_slug("snorojning-med-dronare").document["title"]["en"] == "Mine"
    assert node.store.get_by_slug("snorojning-med-dronare").version == 3


def test_unpublish_writes_the_tombstone_and_the_audit_says_who(node):
    anna = node.signed_in("anna")
    post_form(anna, "author/new", "author/drafts", GOOD, action="publish")
    overview = anna.get("author")
    gone = anna.post("author/cases/snorojning-med-dronare/unpublish", data={"csrf": csrf_of(overview)})
    assert gone.status_code == 303
    assert node.store.get_by_slug("snorojning-med-dronare").state == "deleted"
    kinds = [c.kind for c in node.store.changes_after(0, 10)]
    assert kinds == ["Create", "Delete"]
    assert anna.get("author/audit").status_code == 403  # an editor does not read the audit
    audit = node.signed_in("cia").get("author/audit")
    assert audit.status_code == 200
    assert re.search(r"<td>anna</td><td>avpublicerade", audit.text)
    assert re.search(r"<td>anna</td><td>publicerade", audit.text)


def test_similar_titles_of_this_node_are_shown_before_a_new_case_is_created(node):
    anna = node.signed_in("anna")
    post_form(anna, "author/new", "author/drafts", GOOD, action="publish")
    saved = post_form(anna, "author/new", "author/drafts", {"title@sv": "Snöröjning med drönare i Lillby"})
    page = anna.get(saved.headers["location"])
    assert "liknande titel" in page.text and page.text.count("Snöröjning med drönare") >= 2


def test_with_review_an_editor_submits_and_an_approver_sends_back_then_publishes(tmp_path):
    node = start(tmp_path, review=True)
    try:
        anna, bo = node.signed_in("anna"), node.signed_in("bo")
        saved = post_form(anna, "author/new", "author/drafts", GOOD, action="publish")
        assert saved.status_code == 403 and node.store.list_cases() == []  # an editor may not publish
        [draft] = drafts_of(node)
        path = f"author/drafts/{draft.id}"
        assert post_form(anna, path, path, GOOD, action="submit").status_code == 303
        assert drafts_of(node)[0].state == "submitted"
        back = post_form(bo, path, path, {**GOOD, "comment": "Lägg till CPV."}, action="send-back")
        assert back.status_code == 303 and drafts_of(node)[0].state == "sent-back"
        assert "Lägg till CPV." in anna.get("author").text
        post_form(anna, path, path, {**GOOD, "cpv": "34144900"}, action="submit")
        published = post_form(bo, path, path, {**GOOD, "cpv": "34144900"}, action="publish")
        assert published.status_code == 200
        assert node.store.get_by_slug("snorojning-med-dronare").state == "published"
        actions = [e.action for e in Drafts(node.settings.database_path).audit()]
        assert actions[:1] == ["published"] and "sent-back" in actions and "submitted" in actions
    finally:
        node.server.stop()


def test_the_front_page_shows_the_cases_and_new_case_to_a_signed_in_person(node):
    anna = node.signed_in("anna")
    post_form(anna, "author/new", "author/drafts", GOOD, action="publish")
    front = node.client().get("", headers={"Accept": "text/html"})
    assert (
        "Snöröjning med drönare" in front.text and "author/new" not in front.text and "sign-in" in front.text
    )
    mine = anna.get("", headers={"Accept": "text/html"})
    assert "author/new" in mine.text and "author/upload" in mine.text
    assert mine.headers["cache-control"] == "private, no-cache" and "Cookie" in mine.headers["vary"]
    assert (
        node.client().get("", headers={"Accept": "text/turtle"}).headers["cache-control"].startswith("public")
    )


def test_people_are_managed_on_the_command_line(tmp_path):
    node = start(tmp_path)
    node.server.stop()
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "stafett", "node", "user", *args, "--data-dir", str(node.settings.data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    added = run("add", "dora", "--role", "approver")
    assert added.returncode == 0, added.stderr
    credential = added.stdout.strip().splitlines()[-1]
    assert node.people.verify("dora", credential).role == "approver"
    assert "dora\tapprover" in run("list").stdout and credential not in run("list").stdout
    reset = run("reset", "dora")
    assert reset.returncode == 0 and node.people.verify("dora", credential) is None
    assert node.people.verify("dora", reset.stdout.strip().splitlines()[-1]) is not None
    assert run("remove", "dora").returncode == 0 and node.people.get("dora") is None
    assert run("remove", "dora").returncode == 1


def test_init_prints_the_sign_in_address_and_the_first_administrators_credential(tmp_path):
    base = "http://127.0.0.1:8123/"
    args = [
        "--data-dir",
        str(tmp_path / "n"),
        "--base-url",
        base,
        "--org-name",
        "Lillby kommun",
        "--country",
        "Sverige",
        "--languages",
        "sv",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "stafett", "node", "init", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    where = next(i for i, line in enumerate(lines) if line.startswith("sign in at "))
    assert lines[where].startswith(f"sign in at {base}sign-in as admin")
    from stafett.node.people import People

    person = People(tmp_path / "n" / "node.sqlite3").verify("admin", lines[where + 1])
    assert person is not None and person.role == "admin"
    assert lines[-1].startswith("stf_")  # the write API's token stays the last line


def test_a_case_link_takes_this_nodes_short_name_or_any_address_and_shows_the_local_title(node):
    anna = node.signed_in("anna")
    post_form(anna, "author/new", "author/drafts", GOOD, action="publish")
    links = "snorojning-med-dronare\nhttps://registry.example/case/elsewhere"
    saved = post_form(anna, "author/new", "author/drafts", {"title@sv": "Uppföljare", "relatedCase": links})
    [draft] = drafts_of(node)
    own = node.settings.case_iri("snorojning-med-dronare")
    assert draft.document["relatedCase"] == [own, "https://registry.example/case/elsewhere"]
    page = anna.get(saved.headers["location"]).text
    assert f'<a href="{own}">Snöröjning med drönare</a>' in page
    assert "https://registry.example/case/elsewhere (inte ett fall på denna nod)" in page


def test_a_broken_body_and_a_head_request_get_clear_answers(node):
    client = node.signed_in("anna")
    assert client.head("sign-in").status_code == 200 and client.head("author/upload").status_code == 200
    broken = client.post(
        "author/upload",
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code in (400, 403) and "ändrades" in broken.text
    assert node.store.list_cases() == [] and drafts_of(node) == []
