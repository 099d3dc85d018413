"""Browser: the admin on the portal's Bootstrap 5 (issue 17, item 8). Flask-Admin's menus,
filters, bulk actions and delete confirmation work with Bootstrap 5 and jQuery, from the
keyboard as with a mouse, and no Bootstrap 4 file is ever requested."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from portal.extensions import db
from portal.models import AuditEvent, DayOff, RateValue, User
from tests.e2e.conftest import DESKTOP, PHONE, login_in_browser
from tests.e2e.test_a11y_pages import _axe, _describe, _tools_or_skip
from tests.integration.admin.test_admin_bootstrap5 import _admin_pages

ADMIN = next(email for email, _, role in DEMO_USERS if role.value == "admin")
OWNER = next(email for email, _, role in DEMO_USERS if role.value == "business_owner")
RECORD_PROBLEMS = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__problems.push("CSP " + e.violatedDirective + " " + (e.blockedURI || "inline"));
});
window.addEventListener("error", function (e) { window.__problems.push("JS " + e.message); });
"""


@pytest.fixture
def demo_data(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def admin_page(live_server, page, browser_login, demo_data):
    """The admin logged in; every URL the browser asks for is kept in page.requested."""
    page.add_init_script(RECORD_PROBLEMS)
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    browser_login(page, live_server, ADMIN, DEMO_PASSWORD)
    return page


def _problems(page) -> list[str]:
    return page.evaluate("window.__problems")


def _assert_bootstrap5_only(page) -> None:
    assets = [u.split("?", 1)[0] for u in page.requested if "/static/" in u]
    assert any(u.endswith("/static/vendor/bootstrap/bootstrap.min.css") for u in assets)
    assert any(u.endswith("/static/vendor/bootstrap/bootstrap.bundle.min.js") for u in assets)
    assert not [u for u in assets if re.search(r"bootstrap4|popper|bs4_modal", u)], assets


def test_add_filter_opens_from_the_keyboard_and_the_filter_applies(live_server, admin_page):
    page = admin_page
    page.goto(f"{live_server.url}/admin/audit/")
    total = page.locator("table.model-list tbody tr").count()
    toggle = page.get_by_role("button", name="Tambah filter")
    toggle.focus()
    page.keyboard.press("Enter")
    menu = page.locator(".dropdown-menu.field-filters")
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    first = menu.locator("a.filter").first
    assert page.evaluate("document.activeElement.classList.contains('filter')")
    label = first.inner_text().strip()
    page.keyboard.press("Enter")
    assert not menu.is_visible()  # the choice closes the menu ...
    row = page.locator("table.filters tr")
    assert row.count() == 1 and label in row.inner_text()  # ... and adds its filter row
    # The filter's operation is a select2 (jQuery), its value a text field.
    assert row.locator(".select2-container").count() == 1
    value = row.locator("input.filter-val")
    value.fill("login")
    apply = page.get_by_role("button", name="Terapkan")
    assert apply.is_visible()
    with page.expect_navigation():
        apply.click()
    assert re.search(r"[?&]flt\d+_", page.url)
    shown = page.locator("table.model-list tbody tr")
    expected = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action.contains("login"))
    )
    assert 0 < shown.count() == min(expected, 50) <= total
    assert page.locator("table.filters tr").count() == 1  # the active filter is shown again
    assert page.get_by_role("link", name="Hapus filter").is_visible()
    _assert_bootstrap5_only(page)
    assert not _problems(page)


def test_with_selected_opens_by_keyboard_and_by_click_and_runs_the_action(live_server, admin_page):
    page = admin_page
    owner = db.session.scalar(select(User).where(User.email == OWNER))
    page.goto(f"{live_server.url}/admin/users/")
    toggle = page.get_by_role("button", name="Dengan yang dipilih")
    menu = page.locator(".dropdown-menu:has([data-admin-action])")
    # By click: opens, and Escape closes it again (Bootstrap 5's dropdown).
    toggle.click()
    assert menu.is_visible()
    page.keyboard.press("Escape")
    assert not menu.is_visible()

    page.check(f"input.action-checkbox[value='{owner.id}']")
    toggle.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Aktifkan, Nonaktifkan
    assert page.evaluate("document.activeElement.dataset.adminAction") == "deactivate"
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert questions == ["Nonaktifkan akun yang dipilih?"]
    assert page.locator(".alert-success").filter(has_text="1 akun dinonaktifkan").is_visible()
    db.session.expire_all()
    assert db.session.get(User, owner.id).active is False
    _assert_bootstrap5_only(page)
    assert not _problems(page)


def test_deleting_a_rate_asks_first(live_server, admin_page):
    page = admin_page
    page.goto(f"{live_server.url}/admin/rates/")
    before = db.session.scalar(select(func.count()).select_from(RateValue))
    delete = page.get_by_role("button", name="Hapus").first
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    delete.click()
    page.wait_for_load_state("load")
    assert asked == ["Yakin ingin menghapus data ini?"]
    assert db.session.scalar(select(func.count()).select_from(RateValue)) == before

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        delete.click()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RateValue)) == before - 1
    assert page.locator(".alert-success").is_visible()
    assert not _problems(page)


def test_menus_search_and_details_work_on_a_phone(live_server, admin_page):
    page = admin_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/admin/users/")
    # The administration menu collapses on a phone; its toggler opens it, and its
    # "Reference data" category is a dropdown.
    toggler = page.get_by_role("button", name="Buka menu administrasi")
    toggler.click()
    collapse = page.locator("#admin-navbar-collapse")
    collapse.locator(".dropdown-toggle").first.wait_for(state="visible")
    collapse.locator(".dropdown-toggle").first.click()
    rates = collapse.get_by_role("link", name="Tarif")
    assert rates.is_visible()
    # Search.
    page.fill("input[name=search]", OWNER)
    with page.expect_navigation():
        page.get_by_role("button", name="Cari", exact=True).click()
    rows = page.locator("table.model-list tbody tr")
    assert rows.count() == 1 and OWNER in rows.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # A record's details and edit pages.
    with page.expect_navigation():
        rows.get_by_role("link", name="Rincian").click()
    assert OWNER in page.locator("main table").inner_text()
    with page.expect_navigation():
        page.locator("main .nav-tabs").get_by_role("link", name="Ubah").click()
    assert page.locator("#email").input_value() == OWNER
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _assert_bootstrap5_only(page)
    assert not _problems(page)


def test_pagination_moves_between_pages(live_server, admin_page):
    first = date(2030, 1, 1)
    db.session.add_all(
        DayOff(day=first + timedelta(days=n), kind="cuti_bersama", description=f"Cuti bersama {n}")
        for n in range(60)
    )
    db.session.commit()
    total = db.session.scalar(select(func.count()).select_from(DayOff))
    page = admin_page
    page.goto(f"{live_server.url}/admin/days-off/")
    assert page.locator("table.model-list tbody tr").count() == 50
    pager = page.locator("ul.pagination")
    assert pager.locator(".page-item.active").inner_text().strip() == "1"
    with page.expect_navigation():
        pager.get_by_role("link", name="2", exact=True).click()
    assert page.locator("table.model-list tbody tr").count() == total - 50
    assert pager.locator(".page-item.active").inner_text().strip() == "2"
    assert not _problems(page)


def test_every_admin_page_with_its_records_passes_axe_and_fits_a_phone(
    live_server, browser, demo_data
):
    """The a11y sweep (test_a11y_pages.py) reaches one URL per endpoint, so no record's edit
    or details page: these are checked here, with every list and form, and no page may raise a
    script error (Flask-Admin's jQuery scripts on Bootstrap 5)."""
    _tools_or_skip()
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Pontianak", viewport=PHONE, bypass_csp=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    login_in_browser(page, live_server, ADMIN, DEMO_PASSWORD)
    problems = []
    pages = _admin_pages(live_server.app)
    for url in pages:
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{url}: {width} px wide at 360 px")
        page.set_viewport_size(DESKTOP)
        violations = _axe(page)
        if violations:
            problems.append(f"{url}: " + "; ".join(_describe(v) for v in violations))
    context.close()
    assert len(pages) >= 30
    assert not problems + errors, "\n".join(problems + errors)


def test_the_date_picker_speaks_indonesian(live_server, admin_page):
    page = admin_page
    page.goto(f"{live_server.url}/admin/rates/new/")
    page.locator("#effective_from").click()
    picker = page.locator(".daterangepicker:visible")
    picker.wait_for()
    heads = picker.locator("th").all_inner_texts()
    assert "Sn" in heads and "Mg" in heads and "Mo" not in heads
    months = " ".join(picker.locator(".monthselect option, th.month").all_inner_texts())
    assert re.search(r"Mei|Agu|Okt|Des", months), months
    assert not _problems(page)
