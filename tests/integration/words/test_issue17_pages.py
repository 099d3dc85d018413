"""Issue 17, items 6 and 7: what the pages say and offer (field registration, complaint
notes, payment dates, reprimand deadlines, the letter's signature, the member card)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import ComplaintEvent, DayOff, Reprimand, User
from portal.services.reference.lookups import working_calendar
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory, WorkerFactory
from tests.factories_bpjs import MembershipFactory
from tests.factories_complaints import OpenComplaintFactory, ReprimandFactory
from tests.factories_trade import (
    ComplianceCaseFactory,
    FieldBusinessFactory,
    PendingBusinessFactory,
)
from tests.integration.disnaker.conftest import reprimand_form
from tests.pdf_text import pdf_pages, pdf_text


def _html(response) -> str:
    return response.get_data(as_text=True)


def _select(html: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', html, re.S).group(0)


# --- 4. "Registered in the field by" only for staff field registrations ----------------


def test_only_a_field_registration_says_who_registered_it_in_the_field(client, login_as):
    officer = UserFactory(role="trade_officer", name="Lina Lapangan")
    owner = UserFactory(role="business_owner", name="Budi Pemilik")
    own = PendingBusinessFactory(owner=owner, registered_by=owner, name="Toko Budi")
    field = FieldBusinessFactory(registered_by=officer, name="Keripik Ani")
    db.session.commit()
    login_as("trade_head")

    own_page = _html(client.get(f"/disperindagkop/businesses/{own.id}"))
    assert "Didaftarkan di lapangan oleh" not in own_page
    assert "Pemiliknya sendiri, lewat portal" in own_page
    field_page = _html(client.get(f"/disperindagkop/businesses/{field.id}"))
    assert "Didaftarkan di lapangan oleh" in field_page and "Lina Lapangan" in field_page

    queue = _html(client.get("/disperindagkop/businesses/pending"))
    assert "Didaftarkan di lapangan oleh Lina Lapangan" in queue
    assert "Toko Budi" in queue and "Didaftarkan di lapangan oleh Budi Pemilik" not in queue


# --- 5. Required selects start empty, and an empty one is refused ----------------------


def test_field_registration_selects_start_on_an_empty_choice(client, login_as):
    login_as("trade_officer")
    page = _html(client.get("/disperindagkop/businesses/new"))
    for name in ("sector_code", "scale", "kelurahan_code"):
        select_html = _select(page, name)
        first = re.search(r"<option([^>]*)>", select_html).group(1)
        assert 'value=""' in first, (name, select_html[:200])
        assert "selected" not in select_html.split("</option>", 1)[1], name
    response = client.post(
        "/disperindagkop/businesses/new",
        data={"nib": "9120005550001", "name": "Keripik", "address": "Jl. Pajintan 5"},
    )
    assert response.status_code == 400
    html = _html(response)
    for name in ("sector_code", "scale", "kelurahan_code"):
        assert f'id="{name}-error"' in html, name


# --- 6. A note typed before "mark in progress" is kept ------------------------------


def test_a_note_typed_before_mark_in_progress_is_saved_with_the_step(client, login_as):
    officer = login_as("bpjs_officer")
    complaint = OpenComplaintFactory(assignee_id=officer.id)
    db.session.commit()
    response = client.post(
        f"/complaints/staff/{complaint.id}/step/start",
        data={"step-note": "Sudah kami teruskan ke bagian kepesertaan."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    event = db.session.scalar(
        select(ComplaintEvent).where(
            ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.to_state == "in_progress"
        )
    )
    assert event is not None and event.note == "Sudah kami teruskan ke bagian kepesertaan."
    page = _html(client.get(f"/complaints/staff/{complaint.id}"))
    assert "Sudah kami teruskan ke bagian kepesertaan." in page


# --- 7. Payment dates start on today's date in Singkawang ----------------------------


def test_payment_dates_default_to_today_in_wib(client, login_as, clock):
    # 17:30 UTC on 10 March is already 00:30 on 11 March in Singkawang (WIB, UTC+7).
    clock.now = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    login_as("bpjs_officer")
    payment = _html(client.get("/bpjs/payments/new"))
    assert re.search(r'name="paid_on"[^>]*value="11-03-2026"', payment)
    case = ComplianceCaseFactory(state="fined", fine_amount=4_500, fine_days=15)
    db.session.commit()
    page = _html(client.get(f"/bpjs/compliance/{case.id}"))
    assert re.search(r'name="paid_on"[^>]*value="11-03-2026"', page), "fine payment date"


# --- 8. A reprimand deadline on a day off is refused, the next working day named --------


def test_a_reprimand_deadline_on_a_day_off_is_refused_with_the_next_working_day(
    client, staff, switch_to
):
    complaint = OpenComplaintFactory()
    calendar = working_calendar()
    saturday = date.today() + timedelta(days=14)
    saturday += timedelta(days=(5 - saturday.weekday()) % 7)
    monday = calendar.next_working_day(saturday)
    db.session.commit()
    switch_to(staff["labour_head"])
    url = "/disnaker/reprimands/new?agency=bpjs"
    response = client.post(
        url, data={**reprimand_form(deadline=saturday.isoformat()), "complaint_ids": [complaint.id]}
    )
    assert response.status_code == 400
    html = _html(response)
    assert 'id="deadline-error"' in html and "bukan hari kerja" in html
    assert str(monday.day) in html.split('id="deadline-error"', 1)[1][:400]
    assert db.session.scalar(select(Reprimand.id)) is None

    # A day off the admin entered (cuti bersama) counts as well.
    day_off = calendar.next_working_day(date.today() + timedelta(days=21))
    db.session.add(DayOff(day=day_off, kind="cuti_bersama", description="Cuti bersama"))
    db.session.commit()
    response = client.post(
        url, data={**reprimand_form(deadline=day_off.isoformat()), "complaint_ids": [complaint.id]}
    )
    assert response.status_code == 400 and "bukan hari kerja" in _html(response)

    working = working_calendar().next_working_day(day_off)
    response = client.post(
        url, data={**reprimand_form(deadline=working.isoformat()), "complaint_ids": [complaint.id]}
    )
    assert response.status_code == 302


# --- 9. The letter: signer's name and NIP, signature kept with the text before it --------


def test_the_letter_prints_the_signers_nip_under_the_name(client, staff, switch_to):
    head = staff["labour_head"]
    head.nip = "197301091998031003"
    reprimand = ReprimandFactory(issuer=head)
    db.session.commit()
    switch_to(head)
    text = " ".join(
        pdf_text(client.get(f"/disnaker/reprimands/{reprimand.id}/letter.pdf").data).split()
    )
    assert f"{head.name} NIP. 19730109 199803 1 003" in text


def test_a_long_letter_moves_the_closing_text_with_the_signature_to_page_two(
    client, staff, switch_to
):
    head = staff["labour_head"]
    head.nip = "197301091998031003"
    # A finding long enough to push the signature block off the first page.
    finding = " ".join(["Pengaduan kepesertaan belum ditindaklanjuti sesuai standar."] * 24)
    reprimand = ReprimandFactory(issuer=head, finding=finding)
    db.session.commit()
    switch_to(head)
    pages = pdf_pages(client.get(f"/disnaker/reprimands/{reprimand.id}/letter.pdf").data)
    assert len(pages) == 2
    last = " ".join(pages[-1].split())
    assert head.name in last and "NIP. 19730109 199803 1 003" in last
    # The signature never stands alone: the closing sentence and consequence come with it.
    assert "Demikian surat teguran ini disampaikan" in last
    assert last.index("Konsekuensi:") < last.index("Demikian") < last.index(head.name)


def test_government_staff_set_their_nip_in_their_profile(client, login_as):
    user = login_as("labour_head")
    page = _html(client.get("/auth/profile"))
    assert 'name="nip"' in page
    assert "/auth/profile" in _html(client.get("/disnaker/"))  # the name links to it
    bad = client.post("/auth/profile", data={"nip": "1973 0109 1998"})
    assert bad.status_code == 400 and "NIP terdiri atas 18 angka" in _html(bad)
    ok = client.post("/auth/profile", data={"nip": "19730109 199803 1 003"})
    assert ok.status_code == 302
    assert db.session.get(User, user.id).nip == "197301091998031003"
    cleared = client.post("/auth/profile", data={"nip": ""})
    assert cleared.status_code == 302 and db.session.get(User, user.id).nip is None


def test_bpjs_staff_and_the_public_have_no_nip_profile(client, login_as):
    login_as("bpjs_officer")
    assert client.get("/auth/profile").status_code == 403


def test_demo_civil_servants_have_a_nip(app):
    from portal.demo.accounts import DEMO_NIPS, seed_demo_users

    seed_demo_users()
    db.session.commit()
    for email, nip in DEMO_NIPS.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.nip == nip and user.is_civil_servant


# --- 10. The member card: NIK and birth date; none for an ended membership -------------


def _card_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(pdf_text(response.data).split())


def test_the_card_shows_the_masked_nik_and_birth_date_to_staff_and_owner(client, login_as):
    owner = login_as("business_owner")
    worker = WorkerFactory(birth_date=date(1990, 5, 17))
    membership = MembershipFactory(
        employment=EmploymentFactory(business=BusinessFactory(owner=owner), worker=worker)
    )
    db.session.commit()
    masked = worker.nik[:6] + "*" * 8 + worker.nik[-2:]
    text = _card_text(client, f"/employer/memberships/{membership.id}/card.pdf")
    assert masked in text and worker.nik not in text and "17 Mei 1990" in text


def test_the_members_own_card_shows_his_full_nik(client, login_as):
    user = login_as("worker")
    worker = WorkerFactory(account_id=user.id, birth_date=date(1988, 2, 3), category="BPU")
    membership = MembershipFactory(
        employment=None, business=None, worker=worker, category="BPU", funding_source="self"
    )
    db.session.commit()
    text = _card_text(client, f"/worker/memberships/{membership.id}/card.pdf")
    assert worker.nik in text and "03 Feb 1988" in text


def test_an_ended_membership_has_no_card(client, login_as):
    owner = login_as("business_owner")
    ended = MembershipFactory(
        employment=EmploymentFactory(business=BusinessFactory(owner=owner)),
        state="ended",
        end_date=date(2026, 2, 28),
    )
    db.session.commit()
    card_url = f"/employer/memberships/{ended.id}/card.pdf"
    assert card_url not in _html(client.get("/employer/memberships"))
    assert card_url not in _html(client.get(f"/employer/memberships/{ended.id}"))
    assert client.get(card_url).status_code == 404
