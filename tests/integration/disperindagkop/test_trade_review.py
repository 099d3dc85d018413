"""Review of the trade-office issue against the running code: the gaps found and the rules
checked that already held (withholding limited to BPJS's request, the referral count, the
directory's "not enrolled" filter and export, the double-clicked invitation, the forms'
language and kept input)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, inspect, select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import Business, BusinessInvitation, Employment, Membership, Referral, User
from portal.models._common import utcnow
from portal.services.accounts.users import AccountError
from tests.factories import BusinessFactory, EmploymentFactory
from tests.factories_trade import (
    ComplianceCaseFactory,
    InvitationFactory,
    MembershipFactory,
    PendingBusinessFactory,
    ReferralFactory,
    linked_request,
)


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- Compliance: the city withholds only what BPJS asked for ---------------------------------


def _requested_case(**kwargs):
    return ComplianceCaseFactory(
        state="fined",
        sp2_issued_on=date(2026, 2, 17),
        sp2_due=date(2026, 3, 3),
        contributions_due=9_000_000,
        fine_days=15,
        fine_amount=4_500,
        fined_on=date(2026, 3, 18),
        withholding_requested_on=today_wib() - timedelta(days=1),
        requested_services="business_permit",
        **kwargs,
    )


def test_services_bpjs_did_not_request_cannot_be_withheld(client, officer, audit_actions):
    case = _requested_case()
    db.session.commit()
    response = client.post(
        f"/disperindagkop/compliance/{case.id}/withhold",
        data={
            "version": case.version,
            "services": ["business_permit", "building_permit"],
            "withheld_on": today_wib().isoformat(),
            "confirmed": "yes",
        },
    )
    assert response.status_code == 400
    assert "BPJS tidak meminta penahanan: Izin bangunan (PBG/IMB)" in _text(response)
    db.session.refresh(case)
    assert case.state == "fined"
    assert case.services_withheld is None
    assert "compliance.services_withheld" not in audit_actions()
    response = client.post(
        f"/disperindagkop/compliance/{case.id}/withhold",
        data={
            "version": case.version,
            "services": ["business_permit"],
            "withheld_on": today_wib().isoformat(),
            "confirmed": "yes",
        },
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.state, case.services_withheld) == ("services_withheld", "business_permit")


def test_the_withholding_form_offers_only_the_requested_services(client, officer):
    case = _requested_case()
    db.session.commit()
    page = _text(client.get(f"/disperindagkop/compliance/{case.id}"))
    form = page.split(f"/disperindagkop/compliance/{case.id}/withhold", 1)[1].split("</form>")[0]
    assert 'value="business_permit"' in form
    assert 'value="building_permit"' not in form


def test_owner_is_told_which_services_bpjs_asked_the_city_to_withhold(client, login_as):
    owner = login_as("business_owner")
    _requested_case(business=BusinessFactory(owner=owner))
    db.session.commit()
    page = _text(client.get("/employer/compliance"))
    assert "BPJS telah meminta Pemerintah Kota menahan" in page
    assert "Perizinan terkait usaha" in page


# --- Referrals: the number of workers enrolled --------------------------------------------


def test_registered_count_cannot_be_below_the_workers_enrolled_under_the_referral(
    client, bpjs_officer
):
    referral = ReferralFactory()
    linked_request(referral, "enrolled")
    linked_request(referral, "enrolled")
    linked_request(referral, "submitted")  # not enrolled (yet): does not count
    db.session.commit()
    response = client.post(
        f"/bpjs/referrals/{referral.id}/outcome",
        data={"version": referral.version, "outcome": "registered", "workers_enrolled": "1"},
    )
    assert response.status_code == 400
    assert "sudah didaftarkan lewat portal di bawah rujukan ini: 2" in _text(response)
    assert 'value="1"' in _text(response)  # the input is kept
    db.session.refresh(referral)
    assert (referral.state, referral.outcome_by_id) == ("open", None)
    response = client.post(
        f"/bpjs/referrals/{referral.id}/outcome",
        data={"version": referral.version, "outcome": "registered", "workers_enrolled": "2"},
    )
    assert response.status_code == 302
    db.session.refresh(referral)
    assert (referral.state, referral.workers_enrolled) == ("registered", 2)


def test_the_outcome_form_suggests_the_workers_enrolled_under_the_referral(client, bpjs_officer):
    referral = ReferralFactory()
    for _ in range(3):
        linked_request(referral, "enrolled")
    db.session.commit()
    page = _text(client.get(f"/bpjs/referrals/{referral.id}"))
    field = page.split('name="workers_enrolled"', 1)[1].split(">", 1)[0]
    assert 'value="3"' in field


def test_a_negative_number_of_workers_is_refused_next_to_the_field(client, bpjs_officer):
    referral = ReferralFactory()
    db.session.commit()
    response = client.post(
        f"/bpjs/referrals/{referral.id}/outcome",
        data={"version": referral.version, "outcome": "registered", "workers_enrolled": "-1"},
    )
    assert response.status_code == 400
    assert "Angka minimal 0" in _text(response) or "antara 0" in _text(response)
    assert db.session.get(Referral, referral.id).state == "open"


# --- Directory: "has employees not enrolled" and the export --------------------------------


def test_an_employee_with_a_last_day_still_to_come_counts_as_not_enrolled(client, officer):
    leaving = BusinessFactory(name="Toko Masih Bekerja")
    EmploymentFactory(business=leaving, end_date=today_wib() + timedelta(days=20))
    gone = BusinessFactory(name="Toko Sudah Pergi")
    EmploymentFactory(business=gone, end_date=today_wib())  # last day today: left
    db.session.commit()
    page = _text(client.get("/disperindagkop/directory?unenrolled=y"))
    assert "Toko Masih Bekerja" in page
    assert "Toko Sudah Pergi" not in page
    export = _text(client.get("/disperindagkop/directory/export.csv"))
    rows = {r[1]: r for r in csv.reader(io.StringIO(export.lstrip("\ufeff")))}
    assert rows["Toko Masih Bekerja"][10] == "ya"
    assert rows["Toko Sudah Pergi"][10] == "tidak"


def test_an_employee_enrolled_anywhere_is_not_counted(client, officer):
    business = BusinessFactory(name="Toko Lengkap")
    employment = EmploymentFactory(business=business)
    MembershipFactory(worker=employment.worker, business=None, funding_source="self")
    db.session.commit()
    assert "Toko Lengkap" not in _text(client.get("/disperindagkop/directory?unenrolled=y"))


def test_export_states_and_scales_are_written_in_indonesian(client, officer):
    BusinessFactory(name="Usaha Terverifikasi", scale="menengah")
    PendingBusinessFactory(name="Usaha Menunggu")
    BusinessFactory(name="Usaha Ditolak", verification_state="rejected")
    db.session.commit()
    response = client.get("/disperindagkop/directory/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Usaha Terverifikasi"][9] == "terverifikasi"
    assert rows["Usaha Terverifikasi"][3] == "menengah"
    assert rows["Usaha Menunggu"][9] == "menunggu verifikasi"
    assert rows["Usaha Ditolak"][9] == "ditolak"


def test_every_text_cell_of_the_export_is_escaped_including_tab_and_cr(client, officer):
    BusinessFactory(
        name="\t=1+1",
        address="\r=cmd|' /C calc'!A0",
        phone="-1",
        npp="+1",
    )
    db.session.commit()
    body = client.get("/disperindagkop/directory/export.csv").get_data(as_text=True)
    row = next(r for r in csv.reader(io.StringIO(body.lstrip("\ufeff"))) if "=1+1" in "".join(r))
    assert row[1] == "'\t'=1+1"  # a reader splitting on tabs must not see =1+1 either
    assert row[6].startswith("'\r'=cmd")
    assert (row[7], row[8]) == ("'-1", "'+1")
    sheet = load_workbook(
        io.BytesIO(client.get("/disperindagkop/directory/export.xlsx").data)
    ).active
    cells = next(sheet.iter_rows(min_row=2, values_only=True))
    assert cells[1] == "'\t=1+1"
    assert all(not (isinstance(v, str) and v[:1] in "=+-@\t\r") for v in cells)


def test_every_directory_filter_is_backed_by_an_index(app):
    """Filters: kecamatan (kelurahan's parent), kelurahan, sector, scale, state, and the
    employees-not-enrolled test (employments by business and end date, memberships by
    worker and state)."""

    def indexed(model, column: str) -> bool:
        table = model.__table__
        first_columns = {
            next(iter(index.columns)).name for index in table.indexes if len(index.columns)
        }
        unique_first = {
            next(iter(c.columns)).name
            for c in table.constraints
            if c.__class__.__name__ == "UniqueConstraint"
        }
        return column in first_columns | unique_first

    from portal.models import Region

    for column in ("kelurahan_code", "sector_code", "scale", "verification_state", "nib"):
        assert indexed(Business, column), column
    assert indexed(Region, "parent_code")
    assert indexed(Employment, "business_id") and indexed(Employment, "end_date")
    assert indexed(Membership, "worker_id") and indexed(Membership, "state")
    assert inspect(db.engine).get_indexes("businesses")  # the schema really has them


# --- Invitation link used twice by a double-click ------------------------------------------

SIGNUP = {
    "name": "Ani Wulandari",
    "email": "ani@example.id",
    "phone": "081234560000",
    "password": "Keripik-Manis-77",
    "confirm": "Keripik-Manis-77",
}


def test_a_double_clicked_invitation_tells_the_second_click_to_log_in(client, monkeypatch):
    """Both clicks passed the link check; the first created the account and used the link, so
    the second trips over the taken email. It must say the link is used (and how to log in),
    not that the email is taken, and change nothing."""
    from portal.disperindagkop import registration_views

    invitation = InvitationFactory(token="tok-double")
    db.session.commit()

    def first_click_won(token, **kwargs):
        db.session.execute(
            db.update(BusinessInvitation)
            .where(BusinessInvitation.id == invitation.id)
            .values(used_at=utcnow())
        )
        db.session.commit()
        raise AccountError("email", "email_taken")

    monkeypatch.setattr(registration_views, "accept_invitation_service", first_click_won)
    users = db.session.scalar(select(func.count(User.id)))
    response = client.post("/disperindagkop/invitation/tok-double", data=SIGNUP)
    assert response.status_code == 410
    assert "sudah dipakai" in _text(response)
    assert "/auth/login" in _text(response)
    assert db.session.scalar(select(func.count(User.id))) == users


def test_a_used_link_says_how_to_log_in(client, auth):
    InvitationFactory(token="tok-used")
    db.session.commit()
    assert client.post("/disperindagkop/invitation/tok-used", data=SIGNUP).status_code == 302
    auth.logout()
    response = client.get("/disperindagkop/invitation/tok-used")
    assert response.status_code == 410
    assert "masuk dengan email dan kata sandi" in _text(response)


# --- Forms: messages next to the field, in the chosen language, input kept ------------------


def test_reject_without_reason_is_explained_in_indonesian_then_english(client, officer):
    business = PendingBusinessFactory()
    db.session.commit()
    url = f"/disperindagkop/businesses/{business.id}/reject"
    page = _text(client.post(url, data={"reason": ""}))
    assert "Tuliskan alasannya agar pemilik tahu apa yang harus diperbaiki." in page
    assert "is-invalid" in page
    client.post("/language/en", data={"next": "/"})
    page = _text(client.post(url, data={"reason": ""}))
    assert "Give the reason so the owner knows what to correct." in page


def test_a_refused_outreach_form_keeps_what_was_typed(client, officer):
    response = client.post(
        "/disperindagkop/outreach/new",
        data={
            "held_on": today_wib().isoformat(),
            "place": "Balai Warga Sijangkung",
            "kelurahan_code": "61.72.01.1001",
            "agencies": ["disperindagkop"],
            "attendance": "12",
            "businesses": "9129999999999",
            "notes": "Catatan lapangan",
        },
    )
    assert response.status_code == 400
    page = _text(response)
    assert "Balai Warga Sijangkung" in page
    assert "Catatan lapangan" in page
    assert "9129999999999" in page
    assert "Belum terdaftar di portal" in page
