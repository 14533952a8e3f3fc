"""Matchmaking pages (issue 15) in a real headless Chromium, against the demo federation harvested
on loopback: the demo's registry shows Växjö's planned need matched with Vestlia's (NO) and
Nørreby's (DK) with reasons in words; the case page's "who else needs this" panel, the page of an
organisation's matches and an unknown subject's page pass axe-core with 0 violations; a
keyboard-only path goes from the panel to the matching need's page and on to all matches."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from browser_support import assert_accessible, chromium, expect_page, press, tab_until, visit, wait_for
from pages_support import case_iri, started
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from stafett import texts

NEEDS = (
    "vaxjo-planned-medicine-dispensers",
    "vestlia-planlagt-medisindispenser",
    "norreby-planlagt-medicindispensere-plejecentre",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = started(tmp_path_factory.mktemp("browser-matching"))
    yield running, running.top.base_url
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium("nb") as driver:
        yield driver


def arrived(driver, path: str) -> None:
    wait_for(lambda: urlsplit(driver.current_url).path == path, f"the browser to reach {path}", driver)
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", "the page", driver)
    expect_page(driver)


def test_the_demo_registry_shows_planned_needs_of_three_countries_matched_with_reasons(site):
    running, base = site
    vaxjo, vestlia, norreby = (case_iri(running, name) for name in NEEDS)
    answer = httpx.get(f"{base}matches", params={"for": vaxjo, "format": "json", "lang": "sv"}, timeout=30)
    assert answer.status_code == 200, answer.text
    found = {m["id"]: m for m in answer.json()["matches"]}
    assert {vestlia, norreby} <= set(found)
    reasons = found[vestlia]["reasons"]
    assert any(r.startswith("samma CPV-grupp 3319 — ") for r in reasons), reasons
    assert texts.word("matching", "reason-time", "sv").format(months=2) in reasons
    assert found[vestlia]["score"] >= found[norreby]["score"] > 0.5


def test_panel_organisation_page_and_keyboard_path_are_accessible(browser, site):
    running, base = site
    vaxjo, vestlia, _ = (case_iri(running, name) for name in NEEDS)
    visit(browser, f"{base}cases?{urlencode({'id': vaxjo})}")
    heading = browser.find_element(By.ID, "s-matches")
    assert heading.text == texts.word("matching", "panel-title", "nb")
    reasons = browser.find_elements(By.CSS_SELECTOR, "ol.matches li li")
    assert any(r.text.startswith("samme CPV-gruppe 3319 — ") for r in reasons)
    assert_accessible(browser)  # the case page with its panel

    # keyboard only: Tab to the first match in the panel, Enter, then to "all matches"
    tab_until(
        browser, lambda e: e.tag_name == "a" and vestlia.split("/case/")[1] in (e.get_attribute("href") or "")
    )
    press(browser, Keys.ENTER)
    arrived(browser, "/cases")
    assert browser.find_element(By.ID, "s-matches").text == texts.word("matching", "panel-title", "nb")
    tab_until(browser, lambda e: e.tag_name == "a" and e.text == texts.word("matching", "all-matches", "nb"))
    press(browser, Keys.ENTER)
    arrived(browser, "/matches")
    assert texts.word("matching", "page-intro-case", "nb") in browser.page_source
    assert_accessible(browser)  # a case's matches page

    publisher = running.nodes["vestlia"].base_url + "#publisher"
    visit(browser, f"{base}matches?{urlencode({'for': publisher, 'lang': 'da'})}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "da"
    assert texts.word("matching", "page-intro-organisation", "da") in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, "ol.matches > li")
    assert_accessible(browser)  # an organisation's matches page

    browser.get(f"{base}matches?{urlencode({'for': 'https://nowhere.example/case/x'})}")
    assert texts.word("matching", "unknown", "nb") in browser.page_source
    assert_accessible(browser)  # nothing known by that IRI
