"""Real Chromium through Playwright: found on PATH, never downloaded."""

import os
import threading
import time

import pytest

from tests.browser.chromium import LAUNCH_ARGS, chromium_path

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make there are still synchronous, so Django's async-safety guard is relaxed for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium is not installed (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message + " CI must run the browser tests.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush(request):
    """After a test with a live server, close what the browser still has open and wait for
    the server's requests to end before the database is emptied. An autouse fixture here is
    set up after pytest-django's (which brings transactional_db), so it is torn down first.
    Why: a presence beat or autosave still running in the server while the database was
    flushed failed on SQLite ("database table is locked", the in-memory database's one
    connection is shared with the server's thread), and the rows left broke the next tests."""
    yield
    if "live_server" not in request.fixturenames:
        return
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.02)


@pytest.fixture
def page(browser, live_server, transactional_db):
    # transactional_db first, so the page closes (no autosave or request still running in
    # the live server) before the database is emptied after the test: a flush while the
    # page still wrote failed on SQLite ("database table is locked") and broke the next test.
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def demo_live(transactional_db):
    """The demo content, committed so that the live server's thread sees it."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
