"""The browser harness itself can fail: axe-core finds a known violation, `visit()` notices a
download, and the keyboard helper reaches a control by Tab alone (tests/browser_support.py)."""

from __future__ import annotations

import pytest
from browser_support import (
    assert_accessible,
    axe_violations,
    chromium,
    expect_page,
    focused,
    press,
    tab_until,
    visit,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from stafett.serving import bind, serve_in_thread, url_of

GOOD = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Good page</title></head>
<body><main><h1>Good page</h1><form action="/done" method="get"><label for="q">Words</label>
<input id="q" name="q"><button type="submit">Search</button></form></main></body></html>"""
BAD = """<!doctype html><html><head><title>Bad</title></head><body><img src="/x.png">
<input name="unlabelled"></body></html>"""
DONE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Done</title></head>
<body><main><h1>Done</h1></main></body></html>"""


@pytest.fixture(scope="module")
def site():
    routes = [
        Route("/good", lambda request: HTMLResponse(GOOD)),
        Route("/bad", lambda request: HTMLResponse(BAD)),
        Route("/done", lambda request: HTMLResponse(DONE)),
        Route("/feed", lambda request: Response("<a> <b> <c> .", media_type="application/trig")),
    ]
    sock = bind()
    server = serve_in_thread(Starlette(routes=routes), sock)
    yield url_of(sock)
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium("sv") as driver:
        yield driver


def test_axe_finds_the_violations_of_a_bad_page_and_none_on_a_good_one(browser, site):
    visit(browser, site + "bad")
    rules = {violation["id"] for violation in axe_violations(browser)}
    assert {"image-alt", "html-has-lang", "label"} <= rules
    visit(browser, site + "good")
    assert_accessible(browser)


def test_visit_notices_that_chromium_downloaded_instead_of_showing(browser, site):
    visit(browser, site + "good")
    with pytest.raises(AssertionError, match="feed"):
        visit(browser, site + "feed")


def test_the_keyboard_alone_reaches_and_submits_a_form(browser, site):
    visit(browser, site + "good")
    field = tab_until(browser, lambda element: element.get_attribute("id") == "q")
    press(browser, "elbuss")
    assert field.get_attribute("value") == "elbuss"
    tab_until(browser, lambda element: element.tag_name == "button")
    press(browser, Keys.ENTER)
    expect_page(browser, site + "done?q=elbuss")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Done"
    assert focused(browser).tag_name == "body"


def test_the_browser_asks_for_the_language_it_was_started_with(browser, site):
    visit(browser, site + "good")
    assert browser.execute_script("return navigator.language").lower().startswith("sv")
