"""The registry's search and case pages in a real headless Chromium (tests/browser_support.py),
against the demo federation harvested on loopback: search, two facets, a case, its adoption chain,
the language switch, a keyboard-only path, and axe-core on the search, results, empty-results,
case and not-found pages with 0 violations. `visit()`/`expect_page()` check the address and the
content type after every navigation."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
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
from pages_support import case_iri, example, started
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    running = started(tmp_path_factory.mktemp("browser-pages"))
    yield running, running.top.base_url
    running.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium("sv") as driver:
        yield driver


def query(driver) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(driver.current_url).query)


def arrived(driver, path: str) -> None:
    """After a click or Enter: the browser left for `path` and shows an HTML document."""
    wait_for(lambda: urlsplit(driver.current_url).path == path, f"the browser to reach {path}", driver)
    wait_for(lambda: driver.execute_script("return document.readyState") == "complete", "the page", driver)
    expect_page(driver)


def test_search_two_facets_a_case_its_adoption_chain_and_the_language_switch(browser, site):
    running, base = site
    visit(browser, base)  # the front page is the search, in the browser's language (Swedish)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    assert_accessible(browser)  # the search page

    box = browser.find_element(By.ID, "q")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=q]").text
    box.send_keys("digital")
    box.submit()
    arrived(browser, "/search")
    assert ("q", "digital") in query(browser)
    assert_accessible(browser)  # the results page
    for value in ("SWE", "NOR"):
        browser.find_element(By.CSS_SELECTOR, f'input[name=country][value="{value}"]').click()
    browser.find_element(By.CSS_SELECTOR, 'input[name=sector][value="health-social-care"]').click()
    browser.find_element(By.XPATH, "//button[text()='Använd filtren']").click()
    arrived(browser, "/search")
    wanted = {("country", "SWE"), ("country", "NOR"), ("sector", "health-social-care"), ("q", "digital")}
    assert wanted <= set(query(browser))
    active = browser.find_elements(By.CSS_SELECTOR, ".active-filters li[aria-current]")
    assert len(active) == 3
    legend = browser.find_element(By.XPATH, "//fieldset[.//input[@name='country']]/legend").text
    assert legend == "Land"
    assert_accessible(browser)

    name = "vaxjo-kronoberg-joint-night-supervision"
    title = example(name)["title"]["sv"]
    browser.find_element(By.LINK_TEXT, title).click()
    arrived(browser, "/cases")
    assert dict(query(browser))["id"] == case_iri(running, name)
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert_accessible(browser)  # the case page

    pilot = example("vaxjo-digital-night-supervision-pilot")["title"]["sv"]
    chain = browser.find_element(By.ID, "s-chain").find_element(By.XPATH, "..")
    chain.find_element(By.LINK_TEXT, pilot).click()  # scaled up from: one step back
    arrived(browser, "/cases")
    assert browser.find_element(By.TAG_NAME, "h1").text == pilot
    chain = browser.find_element(By.ID, "s-chain").find_element(By.XPATH, "..")
    chain.find_element(By.LINK_TEXT, title).click()  # and forward again: the other direction
    arrived(browser, "/cases")
    assert browser.find_element(By.TAG_NAME, "h1").text == title

    browser.find_element(By.CSS_SELECTOR, 'a[hreflang="fi"]').click()  # the language switch
    arrived(browser, "/cases")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fi"
    assert dict(query(browser))["id"] == case_iri(running, name)
    assert "Levittämisketju" in browser.page_source  # "Adoption chain" in Finnish
    assert_accessible(browser)


def test_empty_results_and_an_unknown_case_are_accessible_pages(browser, site):
    _, base = site
    visit(browser, base + "search?q=qqqqxxxx&lang=en")
    assert "Cases found: 0" in browser.find_element(By.ID, "found").text
    assert_accessible(browser)  # the empty-results page
    visit(browser, base + "search?q=nattilsyyn&lang=en")
    # the Swedish and the Norwegian word are both in the registry (a case title, the topic scheme)
    assert browser.find_element(By.CSS_SELECTOR, ".did-you-mean a").text in {"nattillsyn", "nattilsyn"}
    assert_accessible(browser)
    visit(browser, base + "cases?id=http%3A%2F%2F127.0.0.1%2Fnone&lang=nb")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Saken finnes ikke"
    assert_accessible(browser)


def test_the_keyboard_alone_searches_and_ticks_a_facet(browser, site):
    _, base = site
    visit(browser, base + "search?lang=en")
    field = tab_until(browser, lambda element: element.get_attribute("id") == "q")
    press(browser, "digital")
    assert field.get_attribute("value") == "digital"
    press(browser, Keys.ENTER)
    arrived(browser, "/search")
    assert ("q", "digital") in query(browser)
    tab_until(browser, lambda e: e.get_attribute("name") == "country" and e.get_attribute("value") == "SWE")
    press(browser, Keys.SPACE)
    assert focused(browser).is_selected()
    tab_until(browser, lambda e: e.tag_name == "button" and e.text == "Apply filters")
    press(browser, Keys.ENTER)
    arrived(browser, "/search")
    assert {("q", "digital"), ("country", "SWE")} <= set(query(browser))
    link = tab_until(browser, lambda e: e.tag_name == "a" and "/cases?" in (e.get_attribute("href") or ""))
    href = link.get_attribute("href")
    press(browser, Keys.ENTER)
    expect_page(browser, href)  # Enter on a focused result opens that case
