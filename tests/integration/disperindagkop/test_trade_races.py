"""Two people acting on the same thing at the same moment: exactly one wins (PostgreSQL).

Each actor has their own test client, so each request runs in its own app context, session
and database connection; a barrier releases the requests together.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Business, Referral, User
from tests.factories import BusinessFactory
from tests.factories_trade import InvitationFactory, PendingBusinessFactory
from tests.races import logged_in_clients, needs_postgres, race

pytestmark = needs_postgres


def _clients(app, role: str | None, n: int = 2):
    return logged_in_clients(app, role, n)


def _race(clients, calls):
    return sorted(r.status_code for r in race(clients, calls))


def test_two_officers_verifying_at_once_one_wins(app):
    clients = _clients(app, "trade_officer")
    business = PendingBusinessFactory()
    db.session.commit()
    version_before = business.version
    url = f"/disperindagkop/businesses/{business.id}/verify"
    assert _race(clients, [(url, {}), (url, {})]) == [302, 400]
    db.session.expire_all()
    assert db.session.get(Business, business.id).version == version_before + 1  # changed once


def test_verify_and_reject_at_once_one_wins(app):
    clients = _clients(app, "trade_officer")
    business = PendingBusinessFactory()
    db.session.commit()
    calls = [
        (f"/disperindagkop/businesses/{business.id}/verify", {}),
        (f"/disperindagkop/businesses/{business.id}/reject", {"reason": "NIB salah"}),
    ]
    assert _race(clients, calls) == [302, 400]


def test_an_invitation_used_twice_at_once_makes_one_account(app):
    clients = _clients(app, None)
    invitation = InvitationFactory(token="tok-race-pg")
    db.session.commit()
    users_before = db.session.scalar(select(func.count(User.id)))
    signup = {
        "name": "Pemilik",
        "phone": "081234567890",
        "password": "Tenun-Ikat-2026",
        "confirm": "Tenun-Ikat-2026",
    }
    calls = [
        ("/disperindagkop/invitation/tok-race-pg", {**signup, "email": f"p{i}@example.id"})
        for i in range(2)
    ]
    assert _race(clients, calls) == [302, 410]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == users_before + 1
    assert db.session.get(Business, invitation.business_id).owner_id is not None


def test_two_referrals_at_once_make_one(app):
    clients = _clients(app, "trade_officer")
    business = BusinessFactory()
    db.session.commit()
    url = f"/disperindagkop/businesses/{business.id}/refer"
    data = {"reason": "Belum terdaftar", "contact_person": "Pak Ahok", "confirmed": "yes"}
    assert _race(clients, [(url, data), (url, data)]) == [302, 400]
    assert db.session.scalar(select(func.count(Referral.id))) == 1


def test_the_same_nib_registered_twice_at_once_exists_once(app):
    clients = _clients(app, "trade_officer")
    data = {
        "nib": "9120007770001",
        "name": "Usaha Kembar",
        "sector_code": "trade",
        "scale": "mikro",
        "kelurahan_code": "61.72.01.1001",
        "address": "Jl. Kembar 1",
    }
    url = "/disperindagkop/businesses/new"
    assert _race(clients, [(url, data), (url, data)]) == [302, 400]
    assert db.session.scalar(select(func.count(Business.id))) == 1


def test_a_double_clicked_invitation_makes_one_account_and_says_the_link_is_used(app):
    """The same form sent twice (a double-click): one account, and the second click is told
    the link is used (log in), not that its email is taken."""
    clients = _clients(app, None)
    invitation = InvitationFactory(token="tok-double-pg")
    db.session.commit()
    signup = {
        "name": "Pemilik",
        "email": "dobel@example.id",
        "phone": "081234567890",
        "password": "Tenun-Ikat-2026",
        "confirm": "Tenun-Ikat-2026",
    }
    url = "/disperindagkop/invitation/tok-double-pg"
    assert _race(clients, [(url, signup), (url, signup)]) == [302, 410]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id)).where(User.email == signup["email"])) == 1
    assert db.session.get(Business, invitation.business_id).owner_id is not None
