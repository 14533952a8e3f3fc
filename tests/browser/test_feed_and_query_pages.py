"""In a real Chromium: the node's and the registry's change feeds open as pages (not a download of a
file named `feed`), the query page runs a query from the keyboard and shows labelled links, with
and without JavaScript; axe-core finds 0 violations on each page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_support import assert_accessible, chromium, expect_page, press, tab_until, visit, wait_for
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from stafett.harvester.app import create_app
from stafett.harvester.registry import Registry
from stafett.harvester.settings import RegistrySettings
from stafett.harvester.sources import Source
from stafett.node import bootstrap as node_bootstrap
from stafett.serving import bind, serve_in_thread, url_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
PUBLISHED = (
    "vaxjo-digital-night-supervision-pilot",
    "vaxjo-school-meal-food-waste",
    "harjula-etakuntoutus-pcp",
)
QUERY = "SELECT ?case ?country WHERE { GRAPH ?case { ?case <http://purl.org/dc/terms/spatial> ?country } }"


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """A real node with three example cases and a real registry that harvested it."""
    import httpx

    tmp = tmp_path_factory.mktemp("feeds")
    node_sock = bind()
    settings, store, token = node_bootstrap.init_node(
        tmp / "node", url_of(node_sock), {"sv": "Växjö kommun"}, None, "SWE", ("sv", "en")
    )
    node = node_bootstrap.start_node(settings, store, node_sock)
    with httpx.Client(base_url=settings.base_url, headers={"Authorization": f"Bearer {token}"}) as http:
        for name in PUBLISHED:
            doc = json.loads((EXAMPLES / f"{name}.jsonld").read_text("utf-8"))
            doc.pop("id")
            for key in ("relatedCase", "scaledUpFrom", "adoptedFrom", "adoptedBy"):
                doc.pop(key, None)
            response = http.post(
                "cases", content=json.dumps(doc), headers={"Content-Type": "application/ld+json"}
            )
            assert response.status_code == 201, response.text
    sock = bind()
    registry = Registry(
        RegistrySettings(
            data_dir=tmp / "registry", base_url=url_of(sock), allow_loopback=True, feed_page_size=2
        ),
        [Source("se", settings.base_url, (settings.base_url,))],
    )
    assert all(run["status"] == "ok" for run in registry.harvest())
    server = serve_in_thread(create_app(registry=registry), sock)
    yield settings.base_url, url_of(sock)
    server.stop()
    registry.close()
    node.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium("sv") as driver:
        yield driver


def test_the_nodes_header_link_opens_the_feed_as_a_page(browser, servers):
    node, _ = servers
    visit(browser, node + "cases")
    link = browser.find_element(By.CSS_SELECTOR, f"header a[href='{node}feed']")
    link.click()
    expect_page(browser, node + "feed")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Ändringsflöde"
    assert_accessible(browser)
    browser.find_element(By.LINK_TEXT, "Ändringsflöde, sida 1").click()
    expect_page(browser, node + "feed/0")
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "tbody a")]
    assert "Pilot med digital nattillsyn i hemtjänsten" in titles
    assert_accessible(browser)


def test_the_registrys_feed_pages_and_their_next_links(browser, servers):
    _, registry = servers
    visit(browser, registry + "feed")
    assert_accessible(browser)
    browser.find_element(By.LINK_TEXT, "Ändringsflöde, sida 1").click()
    expect_page(browser, registry + "feed/page/0")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) == 2
    browser.find_element(By.LINK_TEXT, "Nästa sida").click()
    expect_page(browser, registry + "feed/page/1")
    assert_accessible(browser)


def test_the_query_page_runs_a_query_from_the_keyboard_and_labels_the_results(browser, servers):
    _, registry = servers
    visit(browser, registry + "query?lang=sv")
    area = tab_until(browser, lambda element: element.get_attribute("id") == "query")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
    press(browser, Keys.DELETE)
    press(browser, QUERY)
    assert area.get_attribute("value") == QUERY
    browser.execute_script("window.stafettSamePage = true")  # gone if the browser loaded a new page
    tab_until(browser, lambda element: element.tag_name == "button")
    press(browser, Keys.ENTER)  # the script fetches the rendered results and swaps them in
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#results tbody a"), "labelled results", browser)
    assert browser.execute_script("return window.stafettSamePage === true")
    labels = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "#results tbody a")}
    assert {"Sverige", "Finland"} <= labels
    assert "query=" in browser.current_url  # the URL carries the query, for a bookmark
    assert_accessible(browser)
    # Without the script: the same URL is rendered by the server.
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(browser.current_url)
        expect_page(browser)
        labels = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "#results tbody a")}
        assert {"Sverige", "Finland", "Pilot med digital nattillsyn i hemtjänsten"} <= labels
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
