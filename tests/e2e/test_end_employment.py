"""Ending an employment in a real browser: the date is typed (not pre-filled), the next page
shows it for confirmation; cancelling changes nothing, confirming ends the job and its BPJS
membership, and the end can be taken back the same day."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import Employment, Membership
from tests.factories import PASSWORD, BusinessFactory, EmploymentFactory, UserFactory
from tests.factories_bpjs import MembershipFactory


def test_owner_ends_an_employment_cancels_then_confirms_and_takes_it_back(
    live_server, page, browser_login
):
    owner = UserFactory(role="business_owner", email="pemilik@usaha.id")
    business = BusinessFactory(owner=owner, verification_state="verified")
    employment = EmploymentFactory(
        business=business, full_name="Siti Aminah", start_date=date(2026, 1, 5)
    )
    membership = MembershipFactory(employment=employment, start_date=date(2026, 1, 5))
    db.session.commit()
    employment_id, membership_id = employment.id, membership.id
    browser_login(page, live_server, "pemilik@usaha.id", PASSWORD)

    page.goto(f"{live_server.url}/employer/employees/{employment_id}")
    assert page.input_value("#end_date") == ""  # never pre-filled with today
    page.fill("#end_date", "10-02-2026")
    page.fill("#reason", "Mengundurkan diri")
    with page.expect_navigation():
        page.get_by_role("button", name="Akhiri hubungan kerja").click()
    assert "10 Feb 2026" in page.inner_text("#confirm-summary")

    # Cancel: back on the employee page, nothing ended.
    with page.expect_navigation():
        page.get_by_role("link", name="Batal").click()
    assert page.url.endswith(f"/employer/employees/{employment_id}")
    db.session.expire_all()
    assert db.session.get(Employment, employment_id).end_date is None
    assert db.session.get(Membership, membership_id).state == "active"

    # Again, and confirm.
    page.fill("#end_date", "10-02-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Akhiri hubungan kerja").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Ya, akhiri hubungan kerja").click()
    db.session.expire_all()
    assert db.session.get(Employment, employment_id).end_date == date(2026, 2, 10)
    assert db.session.get(Membership, membership_id).state == "ended"

    # Taken back the same day: the membership is active again.
    with page.expect_navigation():
        page.get_by_role("button", name="Tarik kembali pengakhiran").click()
    db.session.expire_all()
    assert db.session.get(Employment, employment_id).end_date is None
    membership = db.session.get(Membership, membership_id)
    assert membership.state == "active" and membership.end_date is None


def _question_page_is_accessible(page) -> None:
    """The one confirmation page (reached only by POST, so the a11y sweep never sees it):
    axe-core's WCAG 2.1 AA rules, when installed, and no sideways scroll at 360 px."""
    from tests.e2e.test_a11y_pages import AXE, _axe

    if AXE.exists():  # a copy of the page in a context that lets axe's script in
        context = page.context.browser.new_context(bypass_csp=True)
        copy = context.new_page()
        origin = page.url.split("/", 3)[:3]
        html = page.content().replace("<head>", f'<head><base href="{"/".join(origin)}/">', 1)
        copy.set_content(html)
        violations = _axe(copy)
        context.close()
        assert violations == [], [v["id"] for v in violations]
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size(size)


def test_a_warning_letter_asks_on_the_server_then_is_withdrawn(live_server, page, browser_login):
    """Issue 12: SP2 is typed (no date pre-filled), restated on a confirmation page (no
    JavaScript dialog), cancelled, issued and confirmed, then taken back the same day."""
    from portal.models import ComplianceCase
    from tests.factories_trade import ComplianceCaseFactory

    UserFactory(role="bpjs_officer", email="petugas@bpjs.id")
    case = ComplianceCaseFactory()  # SP1 deadline 16 Feb 2026, long passed
    db.session.commit()
    case_id = case.id
    browser_login(page, live_server, "petugas@bpjs.id", PASSWORD)
    page.goto(f"{live_server.url}/bpjs/compliance/{case_id}")
    sp2_date = "form[action$='/sp2'] input[name=issued_on]"
    assert page.input_value(sp2_date) == ""  # never pre-filled with today
    page.fill(sp2_date, "17-02-2026")
    with page.expect_navigation():
        page.click("form[action$='/sp2'] button[type=submit]")
    assert "17 Feb 2026" in page.inner_text("#confirm-summary")
    _question_page_is_accessible(page)

    # Cancel: back on the case, nothing sent.
    with page.expect_navigation():
        page.click("#confirm-cancel")
    assert page.url.endswith(f"/bpjs/compliance/{case_id}")
    db.session.expire_all()
    assert db.session.get(ComplianceCase, case_id).state == "warning_1"

    # Again, and confirm.
    page.fill(sp2_date, "17-02-2026")
    with page.expect_navigation():
        page.click("form[action$='/sp2'] button[type=submit]")
    with page.expect_navigation():
        page.click("#confirm-yes")
    db.session.expire_all()
    assert db.session.get(ComplianceCase, case_id).state == "warning_2"

    # Taken back the same day: the case is at SP1 again.
    with page.expect_navigation():
        page.click("#undo-step button[type=submit]")
    db.session.expire_all()
    case = db.session.get(ComplianceCase, case_id)
    assert case.state == "warning_1" and case.sp2_issued_on is None
