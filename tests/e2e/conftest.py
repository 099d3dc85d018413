"""Browser-test fixtures: the real app served over HTTP and driven by Debian's Chromium.

Fixtures
- `live_server` — the `app` fixture's application served by a werkzeug server in a
  background thread on a free 127.0.0.1 port. It shares the test database of `app` (same
  database URL, emptied and reference data loaded per test). Exposes `.url` (no trailing
  slash) and `.app`. Data you create in the test must be committed (`db.session.commit()`)
  before the browser can see it.
- `browser` — one Chromium per test session (per xdist worker), launched from
  /usr/bin/chromium through Playwright for Python (Playwright's own download does not work
  here).
- `page` — a fresh browser context per test (locale id-ID, time zone Asia/Pontianak,
  desktop viewport 1280×800); `phone_page` is the same at 360×740 with touch.
- `browser_login(page, live_server, email, password)` — logs in through the real login form
  and waits for the landing page. Also importable as `tests.e2e.conftest.login_in_browser`.

Every test under tests/e2e is marked `e2e`. When Chromium (or Playwright) is missing they
skip, except with CI=true, where they fail: CI must not pass without running them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            # The live server's worker thread may leave a static file for the garbage
            # collector (werkzeug's file wrapper when the browser drops the connection).
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The test app on a free port, served from a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        _unavailable("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (make test installs it with apt as root)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_page(browser, viewport, **extra):
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Pontianak", viewport=viewport, **extra
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A page in a fresh context: Indonesian locale, desktop width."""
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A page in a fresh context: Indonesian locale, 360 px wide phone."""
    context, page = _new_page(browser, PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


def login_in_browser(page, live_server: LiveServer, email: str, password: str) -> None:
    """Log in through the real form and wait until the login page is left."""
    page.goto(f"{live_server.url}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if "/auth/login" in page.url:
        raise AssertionError(f"login as {email} failed: {page.inner_text('main')[:300]}")


@pytest.fixture
def browser_login():
    """`browser_login(page, live_server, email, password)` — see `login_in_browser`."""
    return login_in_browser
