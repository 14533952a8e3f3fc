"""Nothing typed is lost: SIGKILL a real `stafett node serve` right after the authoring pages
acknowledged draft saves (303); after a restart every acknowledged draft is there as typed, the
people and their sessions' secret too (the cookie still signs in), and the audit lists each save."""

from __future__ import annotations

import signal

import httpx
from authoring_support import REV, csrf_of, sign_in
from test_crash import free_base_url, start, wait_until_up

from stafett.node.authoring.drafts import Drafts
from stafett.node.bootstrap import init_node
from stafett.node.people import People


def test_acknowledged_draft_saves_survive_sigkill(tmp_path):
    base = free_base_url()
    settings, _, _ = init_node(tmp_path / "node", base, {"sv": "Lillby kommun"}, None, "SWE", ("sv",))
    credential = People(settings.database_path).add("anna", "editor")
    process = start(settings.data_dir)
    acknowledged: dict[str, str] = {}
    try:
        wait_until_up(base, process)
        client = httpx.Client(base_url=base, timeout=30, headers={"Accept-Language": "sv"})
        assert sign_in(client, "anna", credential).status_code == 303
        for n in range(5):
            page = client.get("author/new")
            title = f"Utkast nummer {n} – åäö"
            saved = client.post(
                "author/drafts", data={"csrf": csrf_of(page), "title@sv": title, "action": "save"}
            )
            assert saved.status_code == 303
            acknowledged[saved.headers["location"].rsplit("/", 1)[1].split("?")[0]] = title
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        drafts = Drafts(settings.database_path)
        assert {d.id: d.document["title"]["sv"] for d in drafts.all()} == acknowledged
        assert [e.action for e in drafts.audit()] == ["saved"] * 5
        process = start(settings.data_dir)
        wait_until_up(base, process)
        again = client.get("author")  # the old session still holds: its secret was on disk
        assert again.status_code == 200 and "Utkast nummer 4" in again.text
        draft_id = next(iter(acknowledged))
        page = client.get(f"author/drafts/{draft_id}")
        assert REV.search(page.text).group(1) == "1"
    finally:
        process.kill()
        process.wait(timeout=10)
