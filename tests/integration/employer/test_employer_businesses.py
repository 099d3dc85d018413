"""Owners register and correct businesses; isolation and bad input."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Business
from tests.factories import BusinessFactory, UserFactory

GOOD = {
    "nib": "1234567890123",
    "name": "Warung Sate Pak Ali",
    "sector_code": "food_drink",
    "scale": "mikro",
    "kelurahan_code": "61.72.01.1001",
    "address": "Jl. Niaga 5",
    "phone": "081234567890",
    "risk_class": "sangat_rendah",
}


def test_owner_registers_a_pending_business_and_it_is_audited(client, owner):
    response = client.post("/employer/businesses/new", data=GOOD)
    assert response.status_code == 302
    business = db.session.scalar(select(Business).where(Business.nib == GOOD["nib"]))
    assert business.owner_id == owner.id
    assert business.verification_state == "pending"
    page = client.get(response.headers["Location"])
    assert "menunggu verifikasi" in page.get_data(as_text=True).lower() or page.status_code == 200
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "business.registered"))


def test_duplicate_nib_is_shown_next_to_the_field_and_input_is_kept(client, owner):
    BusinessFactory(nib=GOOD["nib"])
    db.session.commit()
    response = client.post("/employer/businesses/new", data=GOOD)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="nib-error"' in html
    assert "Warung Sate Pak Ali" in html
    assert db.session.scalar(select(Business).where(Business.owner_id == owner.id)) is None


def test_bad_nib_unknown_sector_and_kelurahan_are_refused_without_saving(client, owner):
    data = GOOD | {"nib": "12345", "sector_code": "mining", "kelurahan_code": "61.72.09.9999"}
    response = client.post("/employer/businesses/new", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    for field in ("nib", "sector_code", "kelurahan_code"):
        assert f'id="{field}-error"' in html
    assert db.session.scalar(select(Business).where(Business.owner_id == owner.id)) is None


def test_owner_cannot_see_or_edit_another_owners_business(client, owner):
    other = BusinessFactory(owner=UserFactory())
    db.session.commit()
    assert client.get(f"/employer/businesses/{other.id}").status_code == 404
    assert client.get(f"/employer/businesses/{other.id}/edit").status_code == 404
    response = client.post(f"/employer/businesses/{other.id}/edit", data=GOOD | {"version": 1})
    assert response.status_code == 404


def test_other_roles_are_refused(client, login_as):
    login_as("bpjs_officer")
    assert client.get("/employer/").status_code == 403
    assert client.get("/employer/businesses/new").status_code == 403


def test_rejected_business_is_corrected_through_the_resubmission_page(client, owner):
    business = BusinessFactory(owner=owner, verification_state="rejected", rejection_reason="x")
    db.session.commit()
    response = client.get(f"/employer/businesses/{business.id}/edit")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/employer/businesses/{business.id}/resubmit")
    data = GOOD | {"nib": business.nib, "name": "Nama Baru", "version": business.version}
    client.post(f"/employer/businesses/{business.id}/edit", data=data)
    db.session.refresh(business)
    assert business.name != "Nama Baru"


def test_owner_corrects_a_pending_business_and_it_is_audited(client, owner):
    business = BusinessFactory(owner=owner, verification_state="pending")
    db.session.commit()
    data = GOOD | {"nib": "9999999999999", "name": "Nama Baru", "version": business.version}
    response = client.post(f"/employer/businesses/{business.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(business)
    assert (business.name, business.nib) == ("Nama Baru", "9999999999999")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "business.updated"))


def test_verified_business_keeps_its_nib(client, owner):
    business = BusinessFactory(owner=owner, verification_state="verified")
    db.session.commit()
    nib = business.nib
    data = GOOD | {"nib": "9999999999999", "version": business.version}
    assert client.post(f"/employer/businesses/{business.id}/edit", data=data).status_code == 302
    db.session.refresh(business)
    assert business.nib == nib


def test_stale_edit_is_refused_with_a_message(client, owner):
    business = BusinessFactory(owner=owner)
    db.session.commit()
    data = GOOD | {"nib": business.nib, "version": business.version + 5}
    response = client.post(f"/employer/businesses/{business.id}/edit", data=data)
    assert response.status_code == 400
    assert "alert-danger" in response.get_data(as_text=True)


def test_garbage_version_is_treated_as_stale_not_a_500(client, owner):
    business = BusinessFactory(owner=owner, verification_state="pending")
    db.session.commit()
    data = GOOD | {"nib": business.nib, "version": "abc"}
    response = client.post(f"/employer/businesses/{business.id}/edit", data=data)
    assert response.status_code == 400
