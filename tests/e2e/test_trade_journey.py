"""The trade office's journey in a real browser, on a 360 px phone.

A trade officer verifies a business registered in the field by a colleague, records an
outreach event that reached it, refers it to BPJS; a BPJS officer finds the referral in the
inbox and records that the business registered with its workers.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import Business, OutreachEvent, Referral
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.factories_trade import FieldBusinessFactory


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"page is {width}px wide at {page.url}"


def submit(page, form_selector: str = "main form") -> None:
    with page.expect_navigation():
        page.click(f"{form_selector} button[type=submit]")


def test_verify_outreach_refer_and_bpjs_records_the_outcome(live_server, phone_page, browser_login):
    page = phone_page
    base = live_server.url
    officer = UserFactory(role="trade_officer", email="lina@dagang.id")
    bpjs = UserFactory(role="bpjs_officer", email="siti@bpjs.id")
    business = FieldBusinessFactory(name="Tenun Ikat Naram", kelurahan_code="61.72.04.1002")
    db.session.commit()

    # Verify from the queue.
    browser_login(page, live_server, officer.email, PASSWORD)
    page.goto(f"{base}/disperindagkop/businesses/pending")
    no_sideways_scroll(page)
    with page.expect_navigation():
        page.click("text=Tenun Ikat Naram")
    no_sideways_scroll(page)
    submit(page, "form[action$='/verify']")
    assert "sudah diverifikasi" in page.inner_text("main")
    assert page.url.endswith("/disperindagkop/businesses/pending")

    # Record the outreach event that reached it.
    page.goto(f"{base}/disperindagkop/outreach/new")
    page.fill("#held_on", today_wib().isoformat())
    page.fill("#place", "Balai Kelurahan Naram")
    page.select_option("#kelurahan_code", "61.72.04.1002")
    page.check("input[name=agencies][value=bpjs]")
    page.fill("#attendance", "31")
    page.fill("#businesses", business.nib)
    no_sideways_scroll(page)
    submit(page)
    assert "Kegiatan sosialisasi sudah dicatat" in page.inner_text("main")
    assert "Tenun Ikat Naram" in page.inner_text("main")

    # Refer it to BPJS from its page.
    with page.expect_navigation():
        page.click("text=Tenun Ikat Naram")
    with page.expect_navigation():
        page.click("text=Rujuk ke BPJS")
    page.fill("#reason", "Enam penenun belum terdaftar")
    page.fill("#contact_person", "Ibu Yanti")
    page.fill("#contact_phone", "081234500099")
    submit(page)
    assert "Enam penenun belum terdaftar" in page.inner_text("#confirm-summary")  # asked first
    no_sideways_scroll(page)
    with page.expect_navigation():
        page.click("#confirm-yes")
    assert "sudah dirujuk ke BPJS" in page.inner_text("main")
    no_sideways_scroll(page)

    # BPJS finds it in the inbox and records the outcome.
    page.context.clear_cookies()
    browser_login(page, live_server, bpjs.email, PASSWORD)
    page.goto(f"{base}/bpjs/referrals")
    no_sideways_scroll(page)
    with page.expect_navigation():
        page.click("main table a")
    assert "Enam penenun belum terdaftar" in page.inner_text("main")
    page.select_option("#outcome", "registered")
    page.fill("#workers_enrolled", "6")
    submit(page, "form[action$='/outcome']")
    assert "Hasil sudah dicatat" in page.inner_text("main")
    no_sideways_scroll(page)

    db.session.expire_all()
    referral = db.session.scalar(select(Referral))
    assert (referral.state, referral.workers_enrolled) == ("registered", 6)
    assert referral.outcome_by_id == bpjs.id
    assert db.session.get(Business, business.id).verification_state == "verified"
    event = db.session.scalar(select(OutreachEvent))
    assert [b.id for b in event.businesses] == [business.id]


def test_every_trade_page_fits_a_phone(live_server, phone_page, browser_login):
    officer = UserFactory(role="trade_officer", email="hp@dagang.id")
    business = FieldBusinessFactory(name="Usaha Dengan Nama Yang Cukup Panjang Sekali")
    db.session.commit()
    browser_login(phone_page, live_server, officer.email, PASSWORD)
    for path in [
        "/disperindagkop/",
        "/disperindagkop/businesses/pending",
        f"/disperindagkop/businesses/{business.id}",
        "/disperindagkop/businesses/new",
        "/disperindagkop/directory",
        "/disperindagkop/outreach",
        "/disperindagkop/outreach/new",
        "/disperindagkop/referrals",
        "/disperindagkop/compliance",
        "/disperindagkop/funnel",
    ]:
        phone_page.goto(f"{live_server.url}{path}")
        no_sideways_scroll(phone_page)
