"""Browser journey: a citizen reports on a phone → the labour office verifies → BPJS assigns,
asks a question, resolves → the citizen answers, follows and closes it."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Complaint
from tests.conftest import PASSWORD
from tests.e2e.conftest import DESKTOP, PHONE, login_in_browser
from tests.factories import UserFactory, agency


def _context(browser, viewport, **extra):
    context = browser.new_context(
        locale="id-ID", timezone_id="Asia/Pontianak", viewport=viewport, **extra
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _submit(page, selector="main form button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def test_submit_verify_handle_resolve_and_track(live_server, browser):
    labour = UserFactory(role="labour_officer", name="Dewi Verifikator")
    head = UserFactory(role="bpjs_head", name="Hendra Kepala")
    officer = UserFactory(role="bpjs_officer", name="Siti Petugas")
    db.session.commit()
    base = live_server.url
    bpjs_id = str(agency("bpjs").id)

    # 1. A citizen on a 360 px phone submits without an account.
    citizen_ctx, citizen = _context(browser, PHONE, is_mobile=True, has_touch=True)
    citizen.goto(f"{base}/complaints/new")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
    citizen.select_option("select[name=category]", "claim_jht")
    citizen.select_option("select[name=agency]", bpjs_id)
    citizen.fill("input[name=subject]", "Klaim JHT belum cair")
    citizen.fill(
        "textarea[name=description]",
        "Berkas klaim JHT sudah lengkap sejak tiga minggu lalu tetapi dana belum cair.",
    )
    citizen.fill("input[name=reporter_name]", "Ani Warga")
    citizen.fill("input[name=reporter_phone]", "0812 9876 5432")
    citizen.check("input[name=hide_identity]")
    _submit(citizen)
    code = citizen.inner_text("#tracking-code").strip()
    assert re.fullmatch(r"LPR-[2-9A-HJKMNP-Z]{10}", code)
    complaint_id = db.session.scalar(select(Complaint.id).where(Complaint.tracking_code == code))

    # 2. The labour office verifies it from its queue.
    labour_ctx, lp = _context(browser, DESKTOP)
    login_in_browser(lp, live_server, labour.email, PASSWORD)
    lp.goto(f"{base}/complaints/staff?state=submitted")
    with lp.expect_navigation():
        lp.click(f"text={code}")
    assert "Ani Warga" in lp.inner_text("main")  # the labour office sees who reported
    lp.fill("#triage-form textarea[name=step-note]", "Lengkap, diteruskan ke BPJS.")
    _submit(lp, "#triage-form button.btn-success")
    assert lp.locator("h1 [data-state=verified]").count() == 1

    # 3. The BPJS head assigns it to an officer; the name stays hidden from BPJS.
    head_ctx, hp = _context(browser, DESKTOP)
    login_in_browser(hp, live_server, head.email, PASSWORD)
    hp.goto(f"{base}/complaints/staff/{complaint_id}")
    assert "Ani Warga" not in hp.inner_text("main")
    hp.select_option("select[name=assign-assignee]", str(officer.id))
    _submit(hp, "form[action$='/assign'] button[type=submit]")
    assert "Siti Petugas" in hp.inner_text("main")

    # 4. The officer sees the notification, asks the reporter a question (clock pauses).
    officer_ctx, op = _context(browser, DESKTOP)
    login_in_browser(op, live_server, officer.email, PASSWORD)
    op.goto(f"{base}/complaints/notifications")
    assert code in op.inner_text("main")
    op.goto(f"{base}/complaints/staff/{complaint_id}")
    op.fill("#handle-form textarea[name=step-note]", "Mohon kirim nomor KPJ Anda.")
    _submit(op, "#handle-form button:has-text('Tanya pelapor')")
    assert op.locator("[data-sla=paused]").count() == 1

    # 5. The citizen follows with code + phone and answers.
    citizen_ctx.clear_cookies()
    citizen.goto(f"{base}/complaints/track")
    citizen.fill("input[name=code]", code)
    citizen.fill("input[name=contact]", "+62 812-9876-5432")
    _submit(citizen)
    assert "Mohon kirim nomor KPJ Anda." in citizen.inner_text("main")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 360
    assert "Siti Petugas" not in citizen.content()
    citizen.fill("textarea[name=note]", "KPJ saya 12345678901.")
    _submit(citizen)
    assert "KPJ saya 12345678901." in citizen.inner_text("main")

    # 6. The officer resolves with an answer.
    op.goto(f"{base}/complaints/staff/{complaint_id}")
    op.fill("#handle-form textarea[name=step-note]", "Klaim JHT sudah dibayarkan hari ini.")
    _submit(op, "#handle-form button.btn-success")
    assert op.locator("h1 [data-state=resolved]").count() == 1

    # 7. The citizen reads the answer and closes the complaint.
    citizen.goto(f"{base}/complaints/track/{code}")
    assert "Klaim JHT sudah dibayarkan hari ini." in citizen.inner_text("main")
    _submit(citizen, "button:has-text('Ya, tutup pengaduan')")
    assert citizen.locator("[data-state=closed]").count() == 1
    db.session.expire_all()
    assert db.session.get(Complaint, complaint_id).state == "closed"
    for context in (citizen_ctx, labour_ctx, head_ctx, officer_ctx):
        context.close()


def test_staff_and_oversight_pages_fit_a_phone(live_server, phone_page, browser_login):
    from tests.factories_complaints import OpenComplaintFactory, ReprimandFactory

    head = UserFactory(role="labour_head")
    complaint = OpenComplaintFactory(
        subject="Keluhan dengan judul yang cukup panjang untuk layar ponsel kecil"
    )
    reprimand = ReprimandFactory(issuer=head)
    db.session.commit()
    browser_login(phone_page, live_server, head.email, PASSWORD)
    for path in (
        "/complaints/staff",
        f"/complaints/staff/{complaint.id}",
        "/disnaker/",
        "/disnaker/oversight",
        "/disnaker/overdue",
        "/disnaker/performance",
        "/disnaker/reprimands",
        "/disnaker/reprimands/new?agency=bpjs",
        f"/disnaker/reprimands/{reprimand.id}",
        "/complaints/notifications",
    ):
        phone_page.goto(live_server.url + path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"
