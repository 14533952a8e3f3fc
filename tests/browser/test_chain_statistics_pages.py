"""The adoption-chain and statistics pages in a real headless Chromium (tests/browser_support.py),
against the demo federation harvested on loopback: axe-core finds 0 violations on the chain index,
a chain, an unknown chain and the statistics page, in more than one language; the keyboard alone
goes from the header to the chains, into a chain and on to a case, and from the statistics to a
figure's query on the query page. `visit()`/`expect_page()` check the address and content type."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from browser_support import assert_accessible, chromium, expect_page, press, tab_until, visit, wait_for
from pages_support import case_iri, example, started
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from stafett import texts


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = started(tmp_path_factory.mktemp("browser-chains"))
    yield running, running.top.base_url
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium("da") as driver:
        yield driver


def arrived(driver, path: str) -> None:
    wait_for(lambda: urlsplit(driver.current_url).path == path, f"the browser to reach {path}", driver)
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", "the page", driver)
    expect_page(driver)


def params(driver) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(driver.current_url).query))


def test_the_chain_pages_are_accessible_and_walkable_by_keyboard(browser, site):
    running, base = site
    visit(browser, base + "search")  # the browser's language: Danish
    words = texts.words("chain", "da")
    tab_until(browser, lambda e: e.tag_name == "a" and e.text == words["chains_title"])
    press(browser, Keys.ENTER)  # the header's link to the chains
    arrived(browser, "/chain")
    assert browser.find_element(By.TAG_NAME, "h1").text == words["chains_title"]
    assert_accessible(browser)  # the index

    pilot = case_iri(running, "fjordvik-digital-medisindispenser")
    tab_until(
        browser,
        lambda e: e.tag_name == "a" and params_of(e.get_attribute("href")).get("for") == pilot,
    )
    press(browser, Keys.ENTER)  # into the dispenser's chain
    arrived(browser, "/chain")
    assert params(browser)["for"] == pilot
    steps = browser.find_elements(By.CSS_SELECTOR, "li.step")
    assert [s.get_attribute("data-role") for s in steps] == [
        words["role_origin"],
        words["role_scale_up"],
        words["role_adoption"],
    ]
    assert_accessible(browser)  # a chain

    adopter = example("norreby-digital-medicindispenser")
    tab_until(browser, lambda e: e.tag_name == "a" and e.text == adopter["title"]["da"])
    press(browser, Keys.ENTER)  # on to the adopter's case page
    arrived(browser, "/cases")
    assert browser.find_element(By.TAG_NAME, "h1").text == adopter["title"]["da"]
    tab_until(browser, lambda e: e.tag_name == "a" and e.text == words["see_chain"])
    press(browser, Keys.ENTER)  # and back to the chain from the case page
    arrived(browser, "/chain")
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.step")) == 3

    visit(browser, base + "chain?for=https%3A%2F%2Fnowhere.example%2Fcase&lang=is")
    assert browser.find_element(By.TAG_NAME, "h1").text == texts.word("chain", "not_found_title", "is")
    assert_accessible(browser)  # the unknown chain


def params_of(href: str | None) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(href or "").query))


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_statistics_page_is_accessible_and_leads_to_its_queries(browser, site, lang):
    _, base = site
    visit(browser, base + f"search?lang={lang}")
    words = texts.words("statistics", lang)
    tab_until(browser, lambda e: e.tag_name == "a" and e.text == words["page_title"])
    press(browser, Keys.ENTER)
    arrived(browser, "/statistics")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.figure table")) == 8
    assert_accessible(browser)
    tab_until(browser, lambda e: e.tag_name == "a" and e.get_attribute("class") == "query-link")
    press(browser, Keys.ENTER)  # the first figure's saved query, filled in and run
    arrived(browser, "/query")
    assert params(browser)["example"] == "23-cases-per-country"
    field = browser.find_element(By.TAG_NAME, "textarea")
    assert "dct:spatial" in field.get_attribute("value")
