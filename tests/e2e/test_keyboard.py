"""Browser: the portal works from the keyboard alone, on a 360 px phone screen."""

from __future__ import annotations

import pytest

from portal.demo.accounts import DEMO_PASSWORD

OWNER = "pemilik@demo.singkawang.id"


@pytest.fixture
def demo_data(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


def _focused(page) -> dict:
    return page.evaluate(
        "({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " text: (document.activeElement.innerText || '').trim()})"
    )


def _tab_to(page, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused(page)["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def test_skip_link_comes_first_and_moves_focus_to_the_content(live_server, phone_page):
    phone_page.goto(live_server.url + "/")
    phone_page.keyboard.press("Tab")
    first = _focused(phone_page)
    assert first["tag"] == "A" and first["text"] == "Langsung ke konten"
    assert phone_page.locator("a[href='#main']").is_visible()  # shown once focused
    phone_page.keyboard.press("Enter")
    assert phone_page.url.endswith("#main")


def test_owner_logs_in_and_opens_the_menu_without_a_mouse(live_server, phone_page, demo_data):
    phone_page.goto(live_server.url + "/auth/login")
    _tab_to(phone_page, "email")
    phone_page.keyboard.type(OWNER)
    phone_page.keyboard.press("Tab")
    assert _focused(phone_page)["id"] == "password"
    phone_page.keyboard.type(DEMO_PASSWORD)
    with phone_page.expect_navigation():
        phone_page.keyboard.press("Enter")
    assert phone_page.url == live_server.url + "/employer/"

    toggler = phone_page.locator("button.navbar-toggler")
    assert toggler.get_attribute("aria-expanded") == "false"
    phone_page.goto(live_server.url + "/employer/")
    for _ in range(10):
        phone_page.keyboard.press("Tab")
        if phone_page.evaluate("document.activeElement.classList.contains('navbar-toggler')"):
            break
    else:
        raise AssertionError("the menu button is not reachable with Tab")
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_function(
        "document.querySelector('button.navbar-toggler').getAttribute('aria-expanded') === 'true'"
    )
    assert phone_page.get_by_role("link", name="Usaha saya").first.is_visible()
