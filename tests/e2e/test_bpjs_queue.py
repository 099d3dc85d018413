"""An officer works through the enrolment queue in a real browser."""

from __future__ import annotations

from datetime import date, timedelta

from portal.extensions import db
from portal.models import EnrolmentRequest, Membership
from tests.factories import PASSWORD, BusinessFactory, EmploymentFactory, UserFactory
from tests.factories_bpjs import EnrolmentRequestFactory


def test_officer_filters_claims_enrols_and_returns(page, live_server, browser_login):
    officer = UserFactory(role="bpjs_officer", email="petugas@bpjs.example.id")
    jauh = BusinessFactory(name="Toko Jauh", kelurahan_code="61.72.03.1001")
    first = EnrolmentRequestFactory(
        employment=EmploymentFactory(business=jauh, full_name="Budi Jauh"),
        sla_due=date.today() - timedelta(days=1),
    )
    second = EnrolmentRequestFactory(employment=EmploymentFactory(business=jauh))
    EnrolmentRequestFactory()  # elsewhere: filtered out
    db.session.commit()
    first_id, second_id = first.id, second.id

    browser_login(page, live_server, officer.email, PASSWORD)
    page.goto(f"{live_server.url}/bpjs/queue")
    page.select_option("select[name=kecamatan]", "61.72.03")
    with page.expect_navigation():
        page.click("form[method=get] button[type=submit]")
    rows = page.locator("tr[data-request-id]")
    assert rows.count() == 2
    assert "table-danger" in (rows.first.get_attribute("class") or "")  # overdue stands out

    # Claim and enrol the first with an entered KPJ.
    with page.expect_navigation():
        page.click(f"tr[data-request-id='{first_id}'] a")
    with page.expect_navigation():
        page.click("form[action$='/claim'] button")
    assert page.locator(".alert-success").count() == 1
    page.fill("input[name=kpj]", "26000012345")
    with page.expect_navigation():
        page.click("form[action$='/enrol'] button[type=submit]")
    assert page.locator("[data-kpj]").first.inner_text().strip() == "26000012345"

    # Return the second with a reason; an empty reason is refused first.
    page.goto(f"{live_server.url}/bpjs/queue/{second_id}")
    with page.expect_navigation():
        page.click("form[action$='/return'] button[type=submit]")
    assert page.locator("#ret-reason-error").count() == 1
    page.fill("textarea[name='ret-reason']", "Tanggal lahir tidak sesuai KTP")
    with page.expect_navigation():
        page.click("form[action$='/return'] button[type=submit]")
    assert "Tanggal lahir tidak sesuai KTP" in page.inner_text("main")

    # The queue now shows only the untouched request among open ones.
    page.goto(f"{live_server.url}/bpjs/queue")
    assert page.locator("tr[data-request-id]").count() == 1

    db.session.expire_all()
    assert db.session.get(EnrolmentRequest, first_id).state == "enrolled"
    assert db.session.get(EnrolmentRequest, second_id).state == "returned"
    assert db.session.query(Membership).filter_by(kpj="26000012345").count() == 1


def test_queue_is_usable_on_a_phone(phone_page, live_server, browser_login):
    officer = UserFactory(role="bpjs_officer", email="hp@bpjs.example.id")
    EnrolmentRequestFactory()
    db.session.commit()
    browser_login(phone_page, live_server, officer.email, PASSWORD)
    phone_page.goto(f"{live_server.url}/bpjs/queue")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
