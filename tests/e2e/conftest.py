"""End-to-end tests in a real browser: Debian's chromium driven by Playwright, headless,
against pytest-django's live server (a transactional database: committed data, reloaded
between tests by ``serialized_rollback``; every module sets ``pytestmark = E2E``).
Screenshots go to var/e2e/."""
import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "e2e"


# Each module sets: pytestmark = E2E
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser(transactional_db):
    """One chromium per test, started after the test database is ready and closed before it
    is flushed: Playwright's sync API runs an event loop in this thread while it lives, and
    Django keeps connection state per context inside a running loop, so a browser that
    outlived one test would hide the reloaded data from the next. The ORM calls a test makes
    between browser steps are plain synchronous code, so Django's async guard is lifted while
    the browser lives, and only then."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: bin/test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            # The connections the test opened inside the running loop belong to that loop's
            # context: close them here, or the test database cannot be dropped at the end.
            connections.close_all()
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) on the live server, in Chinese."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shoot():
    """shoot(page, name): a full-page screenshot to var/e2e/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


@pytest.fixture
def log_in(page):
    """log_in(user): through the login form, as a user would."""
    from tests.factories import PASSWORD

    def _log_in(user, password=PASSWORD):
        page.goto("/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        return page

    return _log_in
