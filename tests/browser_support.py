"""A real headless Chromium for the page tests: Debian's `chromium` driven by Selenium through
Debian's `chromedriver`, with axe-core from npm (tests/js) run inside the page.

`bash scripts/setup` installs all three; a missing one fails the test with that fix (a browser test
never skips). Selenium Manager is never asked for a driver: both executables are named, so nothing
is downloaded. Chromium is started with the background services off, because this machine's closed
network refuses their connections, and with a fresh profile per browser, so no cookie or cache
survives from one test module to the next.

Use `visit()` rather than `driver.get()`: Chromium downloads what it cannot show and stays on the old
page without a word, so `visit()` checks the address and the content type after every navigation.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

TESTS = pathlib.Path(__file__).resolve().parent
AXE_SCRIPT = TESTS / "js" / "node_modules" / "axe-core" / "axe.min.js"
SETUP_FIX = "run `bash scripts/setup` (it installs Debian's chromium and chromium-driver, and npm's axe-core)"

# Off: everything that phones home (refused here, and noise in any CI), the first-run dialogs, the GPU.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--window-size=1280,1024",
)


def executables() -> tuple[str, str]:
    """Chromium and ChromeDriver, or an AssertionError that says how to get them."""
    chromium = shutil.which("chromium")
    driver = shutil.which("chromedriver")
    assert chromium and driver, f"Chromium or ChromeDriver is not installed: {SETUP_FIX}"
    assert AXE_SCRIPT.is_file(), f"axe-core is not installed in tests/js: {SETUP_FIX}"
    return chromium, driver


@contextmanager
def chromium(language: str = "en") -> Iterator[WebDriver]:
    """A headless Chromium whose Accept-Language is `language`; quit (and its profile removed) after."""
    binary, driver_path = executables()
    profile = tempfile.mkdtemp(prefix="stafett-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--lang={language}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def content_type(driver: WebDriver) -> str:
    """The media type of the document the browser shows (`document.contentType`)."""
    return driver.execute_script("return document.contentType")


def visit(driver: WebDriver, url: str, *, media_type: str = "text/html") -> WebDriver:
    """Open `url` and check that the browser really shows it, as `media_type`."""
    driver.get(url)
    return expect_page(driver, url, media_type=media_type)


def expect_page(driver: WebDriver, url: str | None = None, *, media_type: str = "text/html") -> WebDriver:
    """After a click or a submit: the browser is at `url` (when given) and shows a `media_type` document."""
    if url is not None:
        wait_for(lambda: driver.current_url == url, f"the browser to arrive at {url}", driver)
    shown = content_type(driver)
    assert shown == media_type, (
        f"{driver.current_url} is shown as {shown}, not {media_type} "
        "(Chromium downloads what it cannot show and stays on the page before)"
    )
    return driver


def wait_for(condition: Callable[[], object], what: str, driver: WebDriver, timeout: float = 10.0):
    """Poll `condition` until it is true; fail naming `what` and where the browser is."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}; the browser is at {driver.current_url}")
        time.sleep(0.05)


def axe_violations(driver: WebDriver) -> list[dict]:
    """axe-core's violations on the page shown, with every rule axe runs by default (WCAG 2.1 A and AA
    and its best practices)."""
    driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(JSON.stringify(r.violations)),"
        " e => done(JSON.stringify({error: String(e)})));"
    )
    found = json.loads(result)
    assert not (isinstance(found, dict) and "error" in found), f"axe-core did not run: {found}"
    return found


def describe(violations: list[dict]) -> str:
    """axe-core's violations as lines a person can act on: rule, impact, help, and the first nodes."""
    lines = []
    for violation in violations:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}: {targets}")
    return "\n".join(lines)


def assert_accessible(driver: WebDriver) -> None:
    """axe-core reports 0 violations on the page shown."""
    violations = axe_violations(driver)
    assert not violations, f"axe-core on {driver.current_url}:\n{describe(violations)}"


def focused(driver: WebDriver) -> WebElement:
    return driver.switch_to.active_element


def tab_until(driver: WebDriver, matches: Callable[[WebElement], bool], *, limit: int = 150) -> WebElement:
    """Press Tab (keyboard only) until the focused element satisfies `matches`; fail after `limit` presses."""
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        element = focused(driver)
        if matches(element):
            return element
    raise AssertionError(f"{limit} presses of Tab on {driver.current_url} never reached the element sought")


def press(driver: WebDriver, *keys: str) -> None:
    """Type keys into whatever has focus, as a keyboard does."""
    ActionChains(driver).send_keys(*keys).perform()
