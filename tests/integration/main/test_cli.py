"""`flask seed-demo` (idempotent, prints the logins) and `flask create-user`."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERS
from portal.extensions import db
from portal.models import Agency, AuditEvent, Business, Region, Role, User
from portal.services.accounts.passwords import verify_password


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_creates_one_user_per_role_and_prints_logins(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert {db.session.scalar(select(User.role).where(User.email == e)) for e, _, _ in DEMO_USERS}
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {r.value for r in Role}
    for email, _, _ in DEMO_USERS:
        assert email in result.output
    assert DEMO_PASSWORD in result.output
    verified = db.session.scalar(
        select(func.count(Business.id)).where(Business.verification_state == "verified")
    )
    assert verified >= 3


def test_seed_demo_is_idempotent(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = {m: _count(m) for m in (User, Business, Agency, Region)}
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert {m: _count(m) for m in counts} == counts


def test_demo_logins_work(runner, client):
    runner.invoke(args=["seed-demo"])
    for email, _, role in DEMO_USERS:
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, role
        client.post("/auth/logout")


def test_create_user_makes_a_staff_account_with_its_agency(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Rina@Example.id",
            "--name",
            "Rina",
            "--role",
            "labour_head",
            "--password",
            "Kantor-Naker-2026",
        ],
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "rina@example.id"))
    assert user.agency.code == "disnaker"
    assert verify_password(user.password_hash, "Kantor-Naker-2026")
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.record_id == str(user.id)))


def test_create_user_refuses_weak_password_and_duplicates(runner):
    weak = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.id",
            "--name",
            "A",
            "--role",
            "admin",
            "--password",
            "pendek",
        ],
    )
    assert weak.exit_code != 0
    ok = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@example.id",
            "--name",
            "A",
            "--role",
            "admin",
            "--password",
            "Admin-Kota-2026",
        ],
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(
        args=[
            "create-user",
            "--email",
            "A@EXAMPLE.ID",
            "--name",
            "A",
            "--role",
            "admin",
            "--password",
            "Admin-Kota-2026",
        ],
    )
    assert again.exit_code != 0
    assert "already exists" in again.output
    assert _count(User) == 1


def test_seed_reference_loads_regions(runner):
    db.session.execute(Region.__table__.delete().where(Region.level == "kelurahan"))
    db.session.commit()
    assert runner.invoke(args=["seed-reference"]).exit_code == 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(Region).where(Region.level == "kelurahan")
        )
        == 26
    )
