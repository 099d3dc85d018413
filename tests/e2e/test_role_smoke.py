"""Browser smoke test: each demo role logs in through the real form and sees its landing page,
in Indonesian, at 360 px wide (no horizontal scrolling) and at desktop width."""

from __future__ import annotations

import pytest

from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.conftest import DESKTOP, PHONE

# Where each role lands, and the Indonesian menu entry for that area.
LANDING = {
    "business_owner": ("/employer/", "Usaha saya"),
    "bpjs_officer": ("/bpjs/", "Ruang kerja BPJS"),
    "bpjs_head": ("/bpjs/", "Ruang kerja BPJS"),
    "trade_officer": ("/disperindagkop/", "Disperindagkop"),
    "trade_head": ("/disperindagkop/", "Disperindagkop"),
    "labour_officer": ("/disnaker/", "Dinas Tenaga Kerja"),
    "labour_head": ("/disnaker/", "Dinas Tenaga Kerja"),
    "admin": ("/admin/", "Administrasi"),
}
DEMO_LOGINS = {role.value: email for email, _, role in DEMO_USERS}


@pytest.fixture
def demo_data(runner):
    """The real `flask seed-demo`: reference data, one user per role, every area's records."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_home_page_is_indonesian_and_fits_a_phone(live_server, page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.lang") == "id"
    assert "Jaminan sosial untuk setiap pekerja di Singkawang" in page.inner_text("h1")
    assert _scroll_width(page) <= PHONE["width"]


@pytest.mark.parametrize("role", sorted(LANDING))
def test_demo_role_sees_its_landing_page_on_phone_and_desktop(
    live_server, page, browser_login, demo_data, role
):
    path, text = LANDING[role]
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, DEMO_LOGINS[role], DEMO_PASSWORD)

    assert page.url == live_server.url + path
    assert page.evaluate("document.documentElement.lang") == "id"
    assert page.locator("h1").first.inner_text().strip()
    menu = page.locator("nav").first.text_content()  # collapsed on phones, still in the page
    assert text in menu
    assert "Log out" not in menu and "Log in" not in menu  # no English chrome
    assert _scroll_width(page) <= PHONE["width"], f"{role}: horizontal scrolling at 360 px"

    page.set_viewport_size(DESKTOP)
    page.reload()
    assert page.url == live_server.url + path
    assert page.get_by_role("link", name=text).first.is_visible()  # menu open at desktop
    assert _scroll_width(page) <= DESKTOP["width"]


def test_language_switch_in_the_browser(live_server, page):
    page.goto(live_server.url + "/auth/login")
    assert page.inner_text("h1") == "Masuk"
    with page.expect_navigation():
        page.click("nav form[action='/language/en'] button")
    assert page.inner_text("h1") == "Log in"


def test_missing_browser_skips_locally_but_fails_under_ci(monkeypatch):
    from tests.e2e.conftest import _unavailable

    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        _unavailable("no chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        _unavailable("no chromium")
