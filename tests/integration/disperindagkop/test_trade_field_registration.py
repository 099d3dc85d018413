"""Field registration by an officer and the owner's one-time invitation link."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Business, BusinessInvitation, User
from portal.models._common import utcnow
from portal.services.businesses.common import TradeError
from portal.services.businesses.field_registration import accept_invitation, token_digest
from tests.conftest import PASSWORD
from tests.factories import BusinessFactory
from tests.factories_trade import FieldBusinessFactory, InvitationFactory

FIELD_FORM = {
    "nib": "9120005550001",
    "name": "Keripik Pisang Bu Ani",
    "sector_code": "food_drink",
    "scale": "mikro",
    "kelurahan_code": "61.72.03.1001",
    "address": "Jl. Pajintan 5",
    "phone": "0812 3456 7890",
}
SIGNUP = {
    "name": "Ani Wulandari",
    "email": "ani@example.id",
    "phone": "081234560000",
    "password": "Keripik-Manis-77",
    "confirm": "Keripik-Manis-77",
}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_officer_registers_a_business_met_in_the_field(client, officer, audit_actions):
    response = client.post("/disperindagkop/businesses/new", data=FIELD_FORM)
    assert response.status_code == 302
    business = db.session.scalar(select(Business).where(Business.nib == FIELD_FORM["nib"]))
    assert business.owner_id is None
    assert business.registered_by_id == officer.id
    assert business.verification_state == "pending"
    assert "business.field_registered" in audit_actions()


def test_a_duplicate_nib_from_the_field_is_refused_and_nothing_is_added(client, officer):
    BusinessFactory(nib=FIELD_FORM["nib"])
    db.session.commit()
    before = _count(Business)
    response = client.post("/disperindagkop/businesses/new", data=FIELD_FORM)
    assert response.status_code == 400
    assert "NIB" in _text(response)
    assert 'value="Keripik Pisang Bu Ani"' in _text(response)
    assert _count(Business) == before


@pytest.mark.parametrize("nib", ["123", "91200055500011", "91200055500AB", ""])
def test_a_malformed_nib_is_refused(client, officer, nib):
    response = client.post("/disperindagkop/businesses/new", data={**FIELD_FORM, "nib": nib})
    assert response.status_code == 400
    assert _count(Business) == 0


def test_owner_cannot_register_in_the_field(client, login_as):
    login_as("business_owner")
    assert client.post("/disperindagkop/businesses/new", data=FIELD_FORM).status_code == 403


def test_invitation_link_is_shown_once_and_only_its_hash_is_stored(client, officer):
    business = FieldBusinessFactory()
    db.session.commit()
    response = client.post(f"/disperindagkop/businesses/{business.id}/invitation", data={})
    assert response.status_code == 302
    page = _text(client.get(f"/disperindagkop/businesses/{business.id}"))
    marker = "/disperindagkop/invitation/"
    assert marker in page
    token = page.split(marker, 1)[1].split('"', 1)[0]
    invitation = db.session.scalar(select(BusinessInvitation))
    assert invitation.token_hash == token_digest(token)
    assert token not in invitation.token_hash
    assert marker not in _text(client.get(f"/disperindagkop/businesses/{business.id}"))
    summaries = " ".join(db.session.scalars(select(AuditEvent.summary)))
    assert token not in summaries


def test_invitation_with_an_email_is_mailed_after_commit(client, officer, caplog):
    business = FieldBusinessFactory()
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        response = client.post(
            f"/disperindagkop/businesses/{business.id}/invitation",
            data={"email": "Pemilik@Example.id"},
            follow_redirects=True,
        )
    assert response.status_code == 200
    assert "Pemilik@Example.id" in _text(response)  # the flash names the address
    assert "to=pemilik@example.id" in caplog.text
    assert "/disperindagkop/invitation/" in caplog.text and business.name in caplog.text


def test_a_business_with_an_owner_gets_no_invitation(client, officer):
    business = BusinessFactory(verification_state="pending")
    db.session.commit()
    response = client.post(f"/disperindagkop/businesses/{business.id}/invitation", data={})
    assert response.status_code == 400
    assert _count(BusinessInvitation) == 0


def test_owner_signs_up_through_the_link_and_the_business_is_attached(client):
    invitation = InvitationFactory(token="tok-accept-1")
    db.session.commit()
    page = client.get("/disperindagkop/invitation/tok-accept-1")
    assert page.status_code == 200
    assert invitation.business.name in _text(page)
    response = client.post("/disperindagkop/invitation/tok-accept-1", data=SIGNUP)
    assert response.status_code == 302
    assert response.headers["Location"] == "/employer/"
    owner = db.session.scalar(select(User).where(User.email == "ani@example.id"))
    db.session.refresh(invitation)
    assert owner.role == "business_owner"
    assert invitation.used_by_id == owner.id
    assert db.session.get(Business, invitation.business_id).owner_id == owner.id
    assert client.get("/employer/").status_code == 200  # logged in


def test_a_used_link_is_refused_and_changes_nothing(client, auth):
    InvitationFactory(token="tok-reuse")
    db.session.commit()
    assert client.post("/disperindagkop/invitation/tok-reuse", data=SIGNUP).status_code == 302
    auth.logout()
    users = _count(User)
    response = client.post(
        "/disperindagkop/invitation/tok-reuse", data={**SIGNUP, "email": "lain@example.id"}
    )
    assert response.status_code == 410
    assert "already been used" in _text(response) or "sudah dipakai" in _text(response)
    assert _count(User) == users


def test_an_expired_link_is_refused(client):
    InvitationFactory(token="tok-old", expires_at=utcnow() - timedelta(minutes=1))
    db.session.commit()
    assert client.get("/disperindagkop/invitation/tok-old").status_code == 410
    response = client.post("/disperindagkop/invitation/tok-old", data=SIGNUP)
    assert response.status_code == 410
    assert _count(User) == 2  # the two officers the factories made, no new owner


def test_an_unknown_link_is_refused(client):
    assert client.get("/disperindagkop/invitation/not-a-token").status_code == 410


def test_a_taken_email_keeps_the_link_usable(client):
    invitation = InvitationFactory(token="tok-email")
    BusinessFactory(owner__email="ani@example.id")
    db.session.commit()
    response = client.post("/disperindagkop/invitation/tok-email", data=SIGNUP)
    assert response.status_code == 400
    db.session.refresh(invitation)
    assert invitation.used_at is None
    assert db.session.get(Business, invitation.business_id).owner_id is None


def test_a_weak_password_is_refused(client):
    InvitationFactory(token="tok-weak")
    db.session.commit()
    response = client.post(
        "/disperindagkop/invitation/tok-weak",
        data={**SIGNUP, "password": "short1", "confirm": "short1"},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(User).where(User.email == "ani@example.id")) is None


def test_the_link_cannot_be_consumed_twice_even_when_both_checks_passed(app):
    """Two requests read the invitation as unused; the conditional UPDATE lets one win."""
    invitation = InvitationFactory(token="tok-race")
    db.session.commit()
    with app.test_request_context():
        accept_invitation(
            "tok-race", name="Satu", email="satu@example.id", phone="", password=PASSWORD
        )
        # The second request already validated the link before the first committed.
        db.session.execute(
            db.update(BusinessInvitation)
            .where(BusinessInvitation.id == invitation.id)
            .values(used_at=utcnow())
        )
        with pytest.raises(TradeError):
            accept_invitation(
                "tok-race", name="Dua", email="dua@example.id", phone="", password=PASSWORD
            )
    db.session.rollback()


def test_a_logged_in_user_is_not_given_a_second_account(client, login_as):
    login_as("business_owner")
    InvitationFactory(token="tok-logged")
    db.session.commit()
    response = client.get("/disperindagkop/invitation/tok-logged")
    assert response.status_code == 302


def test_a_new_invitation_replaces_the_earlier_link(client, auth, officer):
    old = InvitationFactory(token="tok-first")
    db.session.commit()
    response = client.post(f"/disperindagkop/businesses/{old.business_id}/invitation", data={})
    assert response.status_code == 302
    auth.logout()
    assert client.get("/disperindagkop/invitation/tok-first").status_code == 410
