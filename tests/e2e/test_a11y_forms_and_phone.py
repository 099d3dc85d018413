"""In the browser: a refused form moves the focus to its error summary, whose links move it
to the field; an owner on a 360 px phone sees each employee's status and contribution."""

from __future__ import annotations

from portal.extensions import db
from tests.e2e.conftest import PHONE, login_in_browser
from tests.factories import PASSWORD, BusinessFactory, EmploymentFactory, UserFactory


def _owner_with_business(employees: int = 0):
    owner = UserFactory(role="business_owner")
    business = BusinessFactory(owner=owner)
    for _ in range(employees):
        EmploymentFactory(business=business)
    db.session.commit()
    return owner, business


def test_refused_form_focuses_the_summary_and_its_links_focus_the_field(live_server, page):
    owner, business = _owner_with_business()
    login_in_browser(page, live_server, owner.email, PASSWORD)
    page.goto(f"{live_server.url}/employer/businesses/{business.id}/employees/new")
    page.fill("#nik", "123")
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert page.title().startswith("Galat: ")
    focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert focused, page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    page.click("[data-error-summary] a[href='#nik']")
    assert page.evaluate("document.activeElement.id") == "nik"
    described = page.get_attribute("#nik", "aria-describedby").split()
    assert described == ["nik-help", "nik-error"]
    page.click("[data-error-summary] a[href='#sex-0']")
    assert page.evaluate("document.activeElement.id") == "sex-0"
    group = page.locator("fieldset[aria-describedby~='sex-error']")
    assert group.get_attribute("aria-invalid") == "true"


def test_owner_sees_status_and_contribution_of_each_employee_on_a_phone(live_server, phone_page):
    owner, business = _owner_with_business(employees=3)
    login_in_browser(phone_page, live_server, owner.email, PASSWORD)
    phone_page.goto(f"{live_server.url}/employer/businesses/{business.id}")

    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table = phone_page.locator("main table.table-stack").first
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    for i in range(3):
        for label in ("Iuran / bulan", "Pendaftaran"):
            cell = rows.nth(i).locator(f"td[data-label='{label}']")
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
            assert cell.is_visible()
