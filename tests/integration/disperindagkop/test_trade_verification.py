"""Verification queue: verify, reject with a reason, maker-checker, owner resubmits."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import Business
from portal.services.businesses.common import TradeError
from portal.services.businesses.verification import verify_business
from tests.factories import BusinessFactory, UserFactory
from tests.factories_trade import FieldBusinessFactory, PendingBusinessFactory


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_queue_lists_pending_businesses_with_their_nib(client, officer):
    pending = PendingBusinessFactory(name="Warung Pending")
    BusinessFactory(name="Toko Sudah Verifikasi")
    db.session.commit()
    response = client.get("/disperindagkop/businesses/pending")
    assert response.status_code == 200
    assert "Warung Pending" in _text(response)
    assert pending.nib in _text(response)
    assert "Toko Sudah Verifikasi" not in _text(response)


def test_officer_verifies_a_pending_business(client, officer, audit_actions):
    business = PendingBusinessFactory()
    db.session.commit()
    response = client.post(f"/disperindagkop/businesses/{business.id}/verify")
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.verification_state == "verified"
    assert business.verified_by_id == officer.id
    assert "business.verified" in audit_actions()


def test_verifying_twice_is_refused_with_a_message_and_changes_nothing(client, officer):
    business = PendingBusinessFactory()
    db.session.commit()
    assert client.post(f"/disperindagkop/businesses/{business.id}/verify").status_code == 302
    db.session.refresh(business)
    version = business.version
    response = client.post(f"/disperindagkop/businesses/{business.id}/verify")
    assert response.status_code == 400
    assert "already been verified" in _text(response) or "sudah diverifikasi" in _text(response)
    db.session.refresh(business)
    assert business.version == version


def test_a_decision_made_meanwhile_wins_over_a_stale_verify(app):
    officer = UserFactory(role="trade_officer")
    other = UserFactory(role="trade_officer")
    business = PendingBusinessFactory()
    db.session.commit()
    # Another officer rejects it after we loaded the page.
    db.session.execute(
        update(Business)
        .where(Business.id == business.id)
        .values(
            verification_state="rejected", rejection_reason="NIB salah", verified_by_id=other.id
        )
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(TradeError):
        verify_business(business, officer)
    assert business.verification_state == "rejected"


def test_officer_who_registered_in_the_field_cannot_verify_it(client, officer):
    business = FieldBusinessFactory(registered_by=officer)
    db.session.commit()
    response = client.post(f"/disperindagkop/businesses/{business.id}/verify")
    assert response.status_code == 400
    assert "another officer must verify" in _text(response) or "petugas lain" in _text(response)
    db.session.refresh(business)
    assert business.verification_state == "pending"


def test_another_officer_can_verify_a_field_registration(client, officer):
    business = FieldBusinessFactory()
    db.session.commit()
    assert client.post(f"/disperindagkop/businesses/{business.id}/verify").status_code == 302
    db.session.refresh(business)
    assert business.verification_state == "verified"


def test_rejecting_without_a_reason_is_refused(client, officer):
    business = PendingBusinessFactory()
    db.session.commit()
    response = client.post(
        f"/disperindagkop/businesses/{business.id}/reject", data={"reason": "  "}
    )
    assert response.status_code == 400
    db.session.refresh(business)
    assert business.verification_state == "pending"
    assert business.rejection_reason is None


def test_rejection_reason_reaches_the_owner_who_corrects_and_resubmits(
    client, auth, officer, audit_actions
):
    owner = UserFactory()
    business = PendingBusinessFactory(owner=owner, nib="9120000000999")
    db.session.commit()
    response = client.post(
        f"/disperindagkop/businesses/{business.id}/reject",
        data={"reason": "NIB tidak cocok dengan OSS"},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(owner)
    page = client.get("/employer/compliance")
    assert "NIB tidak cocok dengan OSS" in _text(page)
    form = client.get(f"/employer/businesses/{business.id}/resubmit")
    assert form.status_code == 200
    db.session.refresh(business)
    response = client.post(
        f"/employer/businesses/{business.id}/resubmit",
        data={
            "nib": "9120000000998",
            "name": business.name,
            "sector_code": "trade",
            "scale": "mikro",
            "kelurahan_code": "61.72.01.1001",
            "address": "Jl. Baru 2",
            "phone": "",
            "version": business.version,
        },
    )
    assert response.status_code == 302
    db.session.refresh(business)
    assert business.verification_state == "pending"
    assert business.nib == "9120000000998"
    assert ["business.rejected", "business.resubmitted"] == [
        a for a in audit_actions() if a.startswith("business.")
    ]


def test_resubmitting_with_another_business_nib_is_refused(client, login_as):
    owner = login_as("business_owner")
    taken = BusinessFactory()
    business = BusinessFactory(owner=owner, verification_state="rejected", rejection_reason="x")
    db.session.commit()
    response = client.post(
        f"/employer/businesses/{business.id}/resubmit",
        data={
            "nib": taken.nib,
            "name": "Nama",
            "sector_code": "trade",
            "scale": "mikro",
            "kelurahan_code": "61.72.01.1001",
            "address": "Jl. Baru 2",
            "version": business.version,
        },
    )
    assert response.status_code == 400
    assert 'value="Nama"' in _text(response)  # the owner's input stays
    db.session.refresh(business)
    assert business.verification_state == "rejected"


def test_owner_cannot_resubmit_another_owners_business(client, login_as):
    login_as("business_owner")
    other = BusinessFactory(verification_state="rejected", rejection_reason="x")
    db.session.commit()
    assert client.get(f"/employer/businesses/{other.id}/resubmit").status_code == 404


@pytest.mark.parametrize("role", ["business_owner", "bpjs_officer", "labour_officer", "admin"])
def test_other_roles_cannot_use_the_queue(client, login_as, role):
    login_as(role)
    business = PendingBusinessFactory()
    db.session.commit()
    assert client.get("/disperindagkop/businesses/pending").status_code == 403
    assert client.post(f"/disperindagkop/businesses/{business.id}/verify").status_code == 403


def test_trade_head_can_verify(client, login_as):
    login_as("trade_head")
    business = PendingBusinessFactory()
    db.session.commit()
    assert client.post(f"/disperindagkop/businesses/{business.id}/verify").status_code == 302


def test_queue_runs_a_fixed_number_of_queries(client, officer, count_queries):
    def measure() -> int:
        with count_queries() as q:
            assert client.get("/disperindagkop/businesses/pending").status_code == 200
        return q.count

    FieldBusinessFactory()
    db.session.commit()
    small = measure()
    FieldBusinessFactory.create_batch(15)
    PendingBusinessFactory.create_batch(5)
    db.session.commit()
    assert measure() == small


def test_business_page_shows_state_and_decision_forms(client, officer):
    business = PendingBusinessFactory(name="Usaha Detail")
    db.session.commit()
    response = client.get(f"/disperindagkop/businesses/{business.id}")
    assert response.status_code == 200
    assert "Usaha Detail" in _text(response)
    assert f"/disperindagkop/businesses/{business.id}/verify" in _text(response)
    assert client.get("/disperindagkop/businesses/999999").status_code == 404
    assert db.session.scalar(select(Business.id).where(Business.id == business.id))


def test_verifying_in_bulk_keeps_maker_checker_for_each_business(app, audit_actions):
    from portal.services.businesses.verification import verify_many
    from tests.factories_trade import FieldBusinessFactory, TradeOfficerFactory

    officer = TradeOfficerFactory()
    mine = FieldBusinessFactory(registered_by=officer, name="Daftar Sendiri")
    other = FieldBusinessFactory(name="Daftar Rekan")
    done = PendingBusinessFactory(verification_state="verified", name="Sudah")
    db.session.commit()
    verified, refused = verify_many([mine.id, other.id, done.id, other.id], officer)
    db.session.commit()
    assert [b.id for b in verified] == [other.id]
    assert [e.message.split(":")[0] for e in refused] == ["Daftar Sendiri", "Sudah"]
    db.session.refresh(mine)
    assert (mine.verification_state, mine.verified_by_id) == ("pending", None)
    assert db.session.get(type(other), other.id).verified_by_id == officer.id
    assert audit_actions().count("business.verified") == 1
