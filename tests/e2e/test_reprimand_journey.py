"""Browser journey: the labour head issues a reprimand to BPJS citing an overdue complaint;
the BPJS head reads the letter, acknowledges and answers; the labour head closes it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import Reprimand
from portal.services.reference.lookups import working_calendar
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE, login_in_browser
from tests.factories import UserFactory
from tests.factories_complaints import OpenComplaintFactory


def _context(browser, viewport, **extra):
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Pontianak", viewport=viewport, **extra
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_reprimand_from_issue_to_closure(live_server, browser):
    labour_head = UserFactory(role="labour_head", name="Rudi Kepala Disnaker")
    bpjs_head = UserFactory(role="bpjs_head", name="Hendra Kepala BPJS")
    overdue = OpenComplaintFactory(subject="Klaim JHT tertunda")
    db.session.commit()
    base = live_server.url

    # The labour head issues a level I letter citing the overdue complaint.
    lctx, lp = _context(browser, DESKTOP)
    login_in_browser(lp, live_server, labour_head.email, PASSWORD)
    lp.goto(f"{base}/disnaker/reprimands")
    with lp.expect_navigation():
        lp.click("a[href$='/disnaker/reprimands/new']")
    with lp.expect_navigation():
        lp.click("a[href$='agency=bpjs']")
    assert overdue.tracking_code in lp.inner_text("main")
    lp.check(f"input[name=complaint_ids][value='{overdue.id}']")
    lp.fill("input[name=subject]", "Keterlambatan penyelesaian klaim JHT")
    lp.fill("textarea[name=finding]", "Pengaduan klaim JHT melewati batas 5 hari kerja.")
    lp.fill("textarea[name=required_action]", "Selesaikan klaim dan tunjuk penanggung jawab.")
    deadline = working_calendar().next_working_day(date.today() + timedelta(days=10))
    lp.fill("input[name=deadline]", deadline.isoformat())
    _submit(lp, "main form button[type=submit]")
    assert db.session.scalar(select(Reprimand)) is None  # the letter is restated first
    _submit(lp, "#confirm-yes")
    reprimand = db.session.scalar(select(Reprimand))
    assert reprimand is not None and reprimand.letter_number in lp.inner_text("main")
    pdf = lp.request.get(f"{base}/disnaker/reprimands/{reprimand.id}/letter.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The BPJS head, on a phone, sees the notification, acknowledges and answers.
    bctx, bp = _context(browser, PHONE, is_mobile=True, has_touch=True)
    login_in_browser(bp, live_server, bpjs_head.email, PASSWORD)
    bp.goto(f"{base}/complaints/notifications")
    with bp.expect_navigation():
        bp.click(f"text={reprimand.letter_number}")
    assert bp.evaluate("document.documentElement.scrollWidth") <= 360
    _submit(bp, "form[action$='/acknowledge'] button[type=submit]")
    bp.fill("textarea[name=note]", "Menambah dua petugas klaim dan evaluasi mingguan.")
    _submit(bp, "form[action$='/respond'] button[type=submit]")
    assert "Menambah dua petugas klaim" in bp.inner_text("main")

    # The labour head accepts the plan and closes the letter.
    lp.goto(f"{base}/disnaker/reprimands/{reprimand.id}")
    lp.fill("textarea[name=note]", "Rencana perbaikan diterima.")
    _submit(lp, "form[action$='/close'] button[type=submit]")
    db.session.expire_all()
    reprimand = db.session.get(Reprimand, reprimand.id)
    assert reprimand.state == "closed"
    timeline = lp.inner_text("main")
    assert "Rencana perbaikan diterima." in timeline and "Hendra Kepala BPJS" in timeline
    lctx.close()
    bctx.close()
