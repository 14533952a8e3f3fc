"""The node's authoring pages in a real headless Chromium (tests/browser_support.py) against a node on
loopback: sign in, a case in Swedish with an English translation saved as a draft with required fields
missing, every finding shown and linked to its field, the fix, publishing, the case in the feed and on
its page; a semicolon CSV in Windows-1252 with one bad row, its good rows imported; a review round;
a publish by keyboard only. axe-core reports 0 violations on every page. The screenshots in
docs/screenshots/ (docs/publishing.md) are taken here."""

from __future__ import annotations

import os
import pathlib
from urllib.parse import urlsplit

import pytest
from authoring_support import start
from browser_support import (
    assert_accessible,
    chromium,
    expect_page,
    focused,
    press,
    tab_until,
    visit,
    wait_for,
)
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

SHOTS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    running = start(tmp_path_factory.mktemp("authoring"))
    yield running
    running.server.stop()


@pytest.fixture(scope="module")
def review_node(tmp_path_factory):
    running = start(tmp_path_factory.mktemp("review"), review=True)
    yield running
    running.server.stop()


@pytest.fixture
def browser():
    with chromium("sv") as driver:
        yield driver


def arrived(driver, path: str) -> None:
    wait_for(lambda: urlsplit(driver.current_url).path == path, f"the browser to reach {path}", driver)
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", "the page", driver)
    expect_page(driver)


def heading_says(driver, words: str) -> None:
    """Wait until the page's h1 holds `words` (the page before may still be going away)."""

    def says() -> bool:
        try:
            return words in driver.find_element(By.TAG_NAME, "h1").text
        except (StaleElementReferenceException, NoSuchElementException):
            return False

    wait_for(says, f"a page headed {words!r}", driver)
    expect_page(driver)


def shot(driver, name: str) -> None:
    """A small PNG for docs/publishing.md (the top of the page, where the point is).

    Taken on every run; written into docs/screenshots only when missing or when
    STAFETT_SCREENSHOTS=1 asks for fresh ones, so a test run leaves the checkout as it was."""
    driver.set_window_size(1000, 760)
    png = driver.get_screenshot_as_png()
    driver.set_window_size(1280, 1024)
    assert png.startswith(b"\x89PNG") and len(png) > 5_000  # a page was drawn, not a blank
    target = SHOTS / f"{name}.png"
    if os.environ.get("STAFETT_SCREENSHOTS") == "1" or not target.exists():
        SHOTS.mkdir(exist_ok=True)
        target.write_bytes(png)


def sign_in(driver, node, name: str, *, screenshot: bool = False) -> None:
    visit(driver, node.settings.base_url + "sign-in")
    assert_accessible(driver)
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "credential").send_keys(node.credentials[name])
    if screenshot:
        shot(driver, "1-sign-in")
    driver.find_element(By.XPATH, "//main//button[text()='Logga in']").click()
    arrived(driver, "/author")


def button(driver, text: str):
    return driver.find_element(By.XPATH, f"(//main//button[normalize-space()='{text}'])[1]")


def sign_out(driver) -> None:
    driver.find_element(By.XPATH, "//header//button[normalize-space()='Logga ut']").click()
    arrived(driver, "/")
    assert driver.find_elements(By.LINK_TEXT, "Skriv ett fall")  # the front page of a signed-out reader


def test_sign_in_draft_every_finding_fix_publish_then_feed_and_case_page(browser, node):
    visit(browser, node.settings.base_url)
    assert_accessible(browser)  # the front page for people
    sign_in(browser, node, "anna", screenshot=True)
    assert_accessible(browser)  # the overview
    browser.find_element(By.LINK_TEXT, "Nytt fall").click()
    arrived(browser, "/author/new")
    assert_accessible(browser)  # the empty form
    browser.find_element(By.ID, "f-title_sv").send_keys("Snöröjning med drönare")
    browser.find_element(By.ID, "f-title_en").send_keys("Snow clearing with drones")
    browser.find_element(By.ID, "f-summary_sv").send_keys("Drönare hittar snövallar före plogbilarna.")
    browser.find_element(By.ID, "f-summary_en").send_keys("Drones find snowdrifts before the ploughs.")
    shot(browser, "2-new-case")
    button(browser, "Spara utkast").click()
    wait_for(lambda: "/author/drafts/" in browser.current_url, "the saved draft", browser)
    expect_page(browser)
    assert "Utkastet är sparat" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    button(browser, "Publicera").click()  # required fields are missing: refused, every finding listed
    wait_for(lambda: browser.find_elements(By.ID, "findings"), "the findings", browser)
    findings = browser.find_element(By.ID, "findings")
    targets = [
        a.get_attribute("href").rsplit("#", 1)[1]
        for a in findings.find_elements(By.CSS_SELECTOR, "li.error a")
    ]
    assert {"f-country", "f-buyer_0"} <= set(targets), targets
    assert browser.find_element(By.ID, "f-title_en").get_attribute("value") == "Snow clearing with drones"
    country = browser.find_element(By.ID, "f-country")
    assert "f-country-error" in country.get_attribute("aria-describedby")
    assert browser.find_element(By.ID, "f-country-error").is_displayed()
    assert_accessible(browser)  # the form with its findings
    shot(browser, "3-findings")
    findings.find_element(By.CSS_SELECTOR, "a[href$='#f-country']").click()
    Select(browser.find_element(By.ID, "f-country")).select_by_value("SWE")
    browser.find_element(By.ID, "f-buyer_0_name_sv").send_keys("Lillby kommun")
    button(browser, "Publicera").click()
    heading_says(browser, "Publicerad")
    assert_accessible(browser)  # published
    shot(browser, "4-published")
    browser.find_element(By.LINK_TEXT, "Snöröjning med drönare").click()
    arrived(browser, "/case/snorojning-med-dronare")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Snöröjning med drönare"
    visit(browser, node.settings.base_url + "feed")
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "main a"), "the feed page", browser)
    page_links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a")]
    texts = []
    for href in page_links:
        if "/feed/" in (href or ""):
            visit(browser, href)
            texts.append(browser.find_element(By.TAG_NAME, "main").text)
    assert any("Snöröjning med drönare" in t for t in texts), texts
    record = node.store.get_by_slug("snorojning-med-dronare")
    assert record.state == "published" and record.document["title"]["en"] == "Snow clearing with drones"


def test_upload_a_semicolon_windows_1252_csv_with_one_bad_row_and_import_the_good_ones(
    browser, node, tmp_path
):
    rows = [
        "key;title_sv;summary_sv;country;buyer.name_sv",
        "trygghetslarm;Trygghetslarm för äldre – nästa steg;Larm i hemtjänsten;Sverige;Lillby kommun",
        "nattillsyn;Digital nattillsyn;Kameror på natten;SWE;Lillby kommun",
        "utan-land;Fall utan land;Saknar land;Atlantis;Lillby kommun",
    ]
    sheet = tmp_path / "fall.csv"
    sheet.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    sign_in(browser, node, "anna")
    browser.find_element(By.LINK_TEXT, "Ladda upp kalkylark").click()
    arrived(browser, "/author/upload")
    assert_accessible(browser)
    browser.find_element(By.ID, "file").send_keys(str(sheet))
    button(browser, "Visa raderna").click()
    wait_for(lambda: browser.find_elements(By.TAG_NAME, "table"), "the preview", browser)
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Windows-1252" in main and "2 av 3 rader kan importeras" in main
    bad_row = browser.find_element(By.XPATH, "//tr[th='4']").text
    assert "Land" in bad_row and "Atlantis" in bad_row
    assert_accessible(browser)  # the preview with findings by row and column
    shot(browser, "5-upload-preview")
    assert node.store.get_by_slug("trygghetslarm") is None  # nothing written before the choice
    button(browser, "Importera de korrekta raderna som utkast").click()
    heading_says(browser, "Importen är klar")
    assert_accessible(browser)
    assert node.store.get_by_slug("trygghetslarm").state == "draft"
    assert node.store.get_by_slug("utan-land") is None


def test_a_review_round(browser, review_node):
    node = review_node
    sign_in(browser, node, "anna")
    visit(browser, node.settings.base_url + "author/new")
    assert not browser.find_elements(By.XPATH, "//main//button[normalize-space()='Publicera']")
    browser.find_element(By.ID, "f-title_sv").send_keys("Digitala matsedlar")
    browser.find_element(By.ID, "f-summary_sv").send_keys("Skolmaten visas i en app.")
    Select(browser.find_element(By.ID, "f-country")).select_by_value("SWE")
    browser.find_element(By.ID, "f-buyer_0_name_sv").send_keys("Lillby kommun")
    button(browser, "Skicka för granskning").click()
    wait_for(lambda: "?done=submitted" in browser.current_url, "submitted", browser)
    expect_page(browser)
    assert "granskning" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert_accessible(browser)
    draft_url = browser.current_url.split("?", 1)[0]
    sign_out(browser)
    sign_in(browser, node, "bo")
    assert "väntar på granskning" in browser.find_element(By.TAG_NAME, "main").text
    assert_accessible(browser)
    visit(browser, draft_url)
    browser.find_element(By.ID, "comment").send_keys("Lägg till en engelsk titel.")
    button(browser, "Skicka tillbaka").click()
    wait_for(lambda: "?done=sent-back" in browser.current_url, "sent back", browser)
    sign_out(browser)
    sign_in(browser, node, "anna")
    assert "Lägg till en engelsk titel." in browser.find_element(By.TAG_NAME, "main").text
    visit(browser, draft_url)
    browser.find_element(By.ID, "f-title_en").send_keys("Digital school menus")
    button(browser, "Skicka för granskning").click()
    wait_for(lambda: "?done=submitted" in browser.current_url, "submitted again", browser)
    assert node.store.list_cases() == []  # nothing reaches the feed without approval
    sign_out(browser)
    sign_in(browser, node, "bo")
    visit(browser, draft_url)
    button(browser, "Publicera").click()
    heading_says(browser, "Publicerad")
    assert node.store.get_by_slug("digitala-matsedlar").state == "published"
    sign_out(browser)
    sign_in(browser, node, "cia")
    browser.find_element(By.LINK_TEXT, "Händelselogg").click()
    arrived(browser, "/author/audit")
    assert_accessible(browser)
    shot(browser, "6-audit")
    log = browser.find_element(By.TAG_NAME, "tbody").text
    for words in ("bo publicerade", "bo skickade tillbaka", "anna skickade för granskning"):
        assert words in log, log


def test_a_case_published_with_the_keyboard_only(browser, node):
    sign_in(browser, node, "anna")
    visit(browser, node.settings.base_url + "author/new")

    def to(element_id: str) -> None:
        tab_until(browser, lambda e: e.get_attribute("id") == element_id, limit=400)

    to("f-title_sv")
    press(browser, "Tangentbordsfallet")
    to("f-summary_sv")
    press(browser, "Publicerat utan mus.")
    to("f-country")
    press(browser, "Sverige")  # a select takes the typed label
    to("f-buyer_0_name_sv")
    press(browser, "Lillby kommun", Keys.ENTER)  # Enter saves the draft (the form's first button)
    wait_for(lambda: "?done=saved" in browser.current_url, "the saved draft", browser)
    assert node.store.get_by_slug("tangentbordsfallet") is None
    publish = tab_until(browser, lambda e: e.text == "Publicera", limit=60)
    assert publish.tag_name == "button"
    press(browser, Keys.ENTER)
    heading_says(browser, "Publicerad")
    assert focused(browser) is not None
    record = node.store.get_by_slug("tangentbordsfallet")
    assert record.state == "published" and record.document["country"] == "SWE"


def test_a_conflict_and_a_refusal_are_pages_without_violations(browser, node):
    from authoring_support import post_form

    sign_in(browser, node, "anna")
    visit(browser, node.settings.base_url + "author/new")
    browser.find_element(By.ID, "f-title_sv").send_keys("Gemensamt utkast")
    button(browser, "Spara utkast").click()
    wait_for(lambda: "?done=saved" in browser.current_url, "the saved draft", browser)
    draft_path = urlsplit(browser.current_url).path.lstrip("/")
    bo = node.signed_in("bo")  # someone else saves the same draft meanwhile
    assert (
        post_form(bo, draft_path, draft_path, {"title@sv": "Gemensamt utkast, bos version"}).status_code
        == 303
    )
    browser.find_element(By.ID, "f-title_en").send_keys("Shared draft")
    button(browser, "Spara utkast").click()
    heading_says(browser, "Någon annan har ändrat fallet")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "bos version" in main and "Shared draft" in main
    assert_accessible(browser)  # both versions side by side
    button(browser, "Spara min version av utkastet").click()
    wait_for(lambda: "?done=saved" in browser.current_url, "my version saved", browser)
    assert browser.find_element(By.ID, "f-title_en").get_attribute("value") == "Shared draft"
    visit(browser, node.settings.base_url + "author/drafts/d000000000000")
    heading_says(browser, "Hittades inte")
    assert_accessible(browser)  # a refusal page
