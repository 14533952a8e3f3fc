"""Spreadsheet upload on the authoring pages, over HTTP on a real node: the preview shows every row
with its findings by row and the template's column header in the reader's language, the good rows
import as drafts (idempotently), and bad files change nothing. The reading is node/spreadsheet.py's."""

from __future__ import annotations

import csv
import io

import pytest
from authoring_support import csrf_of, start


def semicolon_cp1252(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("cp1252")


GOOD_ROW = {
    "key": "trygghetslarm",
    "title_sv": "Trygghetslarm för äldre – nästa steg",
    "summary_sv": "Digitala larm i hemtjänsten",
    "country": "Sverige",
    "buyer.name_sv": "Lillby kommun",
}
ROWS = [
    GOOD_ROW,
    {**GOOD_ROW, "key": "nattillsyn", "title_sv": "Digital nattillsyn", "country": "SWE"},
    {**GOOD_ROW, "key": "utan-land", "title_sv": "Fall utan land", "country": "Atlantis"},
]


@pytest.fixture
def node(tmp_path):
    running = start(tmp_path, max_body_bytes=200_000)
    yield running
    running.server.stop()


def upload(client, data: bytes, name: str, content_type: str = "text/csv"):
    page = client.get("author/upload")
    return client.post(
        "author/upload", data={"csrf": csrf_of(page)}, files={"file": (name, data, content_type)}
    )


def test_a_semicolon_windows_1252_csv_previews_every_row_and_imports_the_good_ones(node):
    client = node.signed_in("anna")
    preview = upload(client, semicolon_cp1252(ROWS), "fall.csv")
    assert preview.status_code == 200
    assert "Windows-1252" in preview.text and "”;”" in preview.text  # the detected encoding is said
    assert "2 av 3 rader kan importeras" in preview.text
    assert "Trygghetslarm" not in [r.slug for r in node.store.list_cases()]  # nothing written yet
    assert node.store.list_cases() == []
    assert '<th scope="row">4</th>' in preview.text and "Land" in preview.text  # row 4, its column header
    imported = client.post(
        "author/upload/import", data={"csrf": csrf_of(preview), "digest": digest_of(preview), "as": "drafts"}
    )
    assert imported.status_code == 200
    states = {r.slug: r.state for r in node.store.list_cases()}
    assert states == {"trygghetslarm": "draft", "nattillsyn": "draft"}
    assert node.store.get_by_slug("trygghetslarm").document["title"]["sv"] == GOOD_ROW["title_sv"]
    again = client.post(
        "author/upload/import", data={"csrf": csrf_of(imported), "digest": digest_of(preview), "as": "drafts"}
    )
    assert again.status_code == 200 and "oförändrat" in again.text  # idempotent by the key column
    assert [r.version for r in node.store.list_cases()] == [1, 1]
    assert node.store.count_changes() == 0  # drafts never reach the feed


def digest_of(page) -> str:
    import re

    return re.search(r'name="digest" value="([0-9a-f]{64})"', page.text).group(1)


@pytest.mark.parametrize(
    ("data", "name", "words", "status"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x01\x02", "fall.pdf", "inget kalkylark", 422),
        (b"x" * 300_000, "stor.csv", "byte", 413),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(node, data, name, words, status):
    client = node.signed_in("anna")
    response = upload(client, data, name)
    assert response.status_code == status and words in response.text
    assert node.store.list_cases() == [] and "digest" not in response.text


def test_script_in_a_cell_is_shown_as_text_never_run(node):
    client = node.signed_in("anna")
    evil = [{**GOOD_ROW, "title_sv": "<script>alert(1)</script>"}]
    preview = upload(client, semicolon_cp1252(evil), "fall.csv")
    assert "<script>alert(1)</script>" not in preview.text


def test_upload_without_a_session_changes_nothing(node):
    client = node.client()
    page = client.get("sign-in")
    response = client.post(
        "author/upload",
        data={"csrf": csrf_of(page)},
        files={"file": ("fall.csv", semicolon_cp1252(ROWS), "text/csv")},
    )
    assert response.status_code == 401 and node.store.list_cases() == []


def test_the_template_downloads_in_the_readers_language(node):
    client = node.client("fi")
    upload_page = node.signed_in("anna", lang="fi").get("author/upload")
    assert "author/template?format=xlsx&amp;lang=fi" in upload_page.text
    sheet = client.get("author/template", params={"format": "csv"})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert "stafett-tapaukset-fi.csv" in sheet.headers["content-disposition"]
    header = sheet.content.decode("utf-8-sig").splitlines()[0]
    assert "(sv)" in header and "(en)" in header  # the node's text languages
    book = client.get("author/template", params={"lang": "sv"})
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert client.get("author/template", params={"format": "pdf"}).status_code == 400


def test_a_formula_in_a_cell_is_refused_for_its_row_and_never_computed(node):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*GOOD_ROW, "cost.amount"])
    sheet.append([*GOOD_ROW.values(), 1200])
    sheet.append([*{**GOOD_ROW, "key": "formel"}.values(), "=SUM(1,2)"])
    data = io.BytesIO()
    book.save(data)
    client = node.signed_in("anna")
    preview = upload(client, data.getvalue(), "fall.xlsx", "application/octet-stream")
    assert preview.status_code == 200 and "=SUM(1,2)" in preview.text
    assert "1 av 2 rader kan importeras" in preview.text
    client.post(
        "author/upload/import", data={"csrf": csrf_of(preview), "digest": digest_of(preview), "as": "drafts"}
    )
    assert [r.slug for r in node.store.list_cases()] == ["trygghetslarm"]


def test_the_good_rows_can_be_published_at_once_and_reach_the_feed(node):
    client = node.signed_in("anna")
    preview = upload(client, semicolon_cp1252(ROWS), "fall.csv")
    done = client.post(
        "author/upload/import", data={"csrf": csrf_of(preview), "digest": digest_of(preview), "as": "publish"}
    )
    assert done.status_code == 200
    assert {r.slug: r.state for r in node.store.list_cases()} == {
        "trygghetslarm": "published",
        "nattillsyn": "published",
    }
    assert [c.kind for c in node.store.changes_after(0, 10)] == ["Create", "Create"]


def test_a_hundred_rows_preview_and_publish_through_the_pages_within_ten_seconds(node):
    import time

    rows = [{**GOOD_ROW, "key": f"fall-{i}", "title_sv": f"Fall nummer {i} – åäö"} for i in range(100)]
    client = node.signed_in("anna")
    started = time.perf_counter()
    preview = upload(client, semicolon_cp1252(rows), "fall.csv")
    done = client.post(
        "author/upload/import", data={"csrf": csrf_of(preview), "digest": digest_of(preview), "as": "publish"}
    )
    elapsed = time.perf_counter() - started
    assert done.status_code == 200 and node.store.count_published() == 100
    assert elapsed <= 10, f"100 rows took {elapsed:.1f} s"
