"""The audit chain (issue 15, finding 5): every column sealed with a key the database does not
hold, verified by `flask audit-verify` and the admin page, newest-row deletion detected."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from portal import create_app
from portal.extensions import db
from portal.models import AuditEvent, Setting
from portal.services.audit.chain import (
    ALTERED,
    HEAD_ALTERED,
    HEAD_SETTING,
    SEALED_COLUMNS,
    TRUNCATED,
    UNLINKED,
    chain_key,
    check_chain,
    event_seal,
    record_head,
)
from portal.services.audit.trail import record_event, record_events, verify_chain
from tests.factories import UserFactory


@pytest.fixture
def events(app):
    """Six events: three by a user from an address inside a request, three in bulk."""
    user = UserFactory()
    db.session.commit()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "36.80.1.2"}):
        for i in range(3):
            record_event("test.event", user, {"n": i}, actor=user)
    record_events([("test.bulk", ("Thing", i), {"n": i}) for i in range(3)])
    db.session.commit()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def _ids() -> list[int]:
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _tamper(event_id: int, **values) -> None:
    db.session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(**values))
    db.session.commit()
    db.session.expire_all()


def _verify_and_keep_head(runner) -> None:
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def test_every_column_of_an_audit_event_is_sealed():
    assert set(SEALED_COLUMNS) | {"hash"} == set(AuditEvent.__table__.columns.keys())


def test_an_intact_chain_verifies(events):
    assert [e.ip for e in events[:3]] == ["36.80.1.2"] * 3
    check = check_chain()
    assert check.intact and check.events == 6 and check.last_id == events[-1].id
    assert verify_chain() is None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_label", "kepala@bpjs.go.id"),
        ("actor_id", None),
        ("ip", "10.0.0.9"),
        ("request_id", "00000000-0000-0000-0000-000000000000"),
        ("action", "test.other"),
        ("record_id", "999"),
        ("summary", '{"n": 99}'),
    ],
)
def test_editing_any_column_of_an_event_is_detected(events, column, value):
    """Before: actor_label, actor_id and ip were outside the hash and could be changed."""
    target = events[1]
    _tamper(target.id, **{column: value})
    check = check_chain()
    assert (check.problem, check.broken_id) == (ALTERED, target.id)
    assert verify_chain() == target.id


def test_editing_an_events_actor_and_address_is_detected(events):
    _tamper(events[0].id, actor_label="orang.lain@example.id", ip="203.0.113.7")
    assert verify_chain() == events[0].id


def test_deleting_an_event_in_the_middle_is_detected(events):
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == events[2].id))
    db.session.commit()
    check = check_chain()
    assert (check.problem, check.broken_id) == (UNLINKED, events[3].id)


def test_deleting_the_newest_events_is_detected(events, runner):
    """Before: what was left was a shorter chain that verified."""
    ids = [e.id for e in events]
    _verify_and_keep_head(runner)
    db.session.execute(delete(AuditEvent).where(AuditEvent.id >= ids[4]))
    db.session.commit()
    check = check_chain()
    assert (check.problem, check.broken_id) == (TRUNCATED, ids[-1])
    assert check.last_id == ids[3]  # what is left is whole, but shorter than verified
    assert verify_chain() == ids[-1]
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1
    assert f"last verified event #{ids[-1]} is missing" in result.output


def test_deleting_every_event_is_detected(events, runner):
    last = events[-1].id
    _verify_and_keep_head(runner)
    db.session.execute(delete(AuditEvent))
    db.session.commit()
    assert verify_chain() == last


def test_events_written_after_the_head_verify(events, runner, app):
    _verify_and_keep_head(runner)
    record_event("test.later", events[0])
    db.session.commit()
    assert verify_chain() is None


def _recompute_from(first_id: int, key: bytes) -> None:
    """What someone with write access to the database but without the key would do."""
    rows = db.session.execute(select(AuditEvent.__table__).order_by(AuditEvent.id)).mappings().all()
    prev = None
    for row in rows:
        if row["id"] >= first_id:
            fields = dict(row) | {"prev_hash": prev}
            fields["hash"] = event_seal(key, fields)
            db.session.execute(
                update(AuditEvent)
                .where(AuditEvent.id == row["id"])
                .values(prev_hash=fields["prev_hash"], hash=fields["hash"])
            )
            prev = fields["hash"]
        else:
            prev = row["hash"]
    db.session.commit()
    db.session.expire_all()


def test_recomputing_the_chain_without_the_key_is_detected(events):
    """Before: the hash was a plain SHA-256 that anyone could recompute after an edit."""
    _tamper(events[2].id, actor_label="orang.lain@example.id")
    _recompute_from(events[2].id, chain_key({"SECRET_KEY": "a guess at the key"}))
    check = check_chain()
    assert (check.problem, check.broken_id) == (ALTERED, events[2].id)


def test_recomputing_after_deleting_the_newest_events_is_detected(events, runner):
    _verify_and_keep_head(runner)
    db.session.execute(delete(AuditEvent).where(AuditEvent.id >= events[3].id))
    db.session.commit()
    guessed = chain_key({"SECRET_KEY": "a guess at the key"})
    _recompute_from(events[0].id, guessed)
    assert check_chain().problem == ALTERED
    # Even a chain left untouched cannot be passed off with a forged head.
    setting = db.session.get(Setting, HEAD_SETTING)
    version, _, _, when, _ = setting.value.split(" ")
    setting.value = f"{version} 0 - {when} {'0' * 64}"
    db.session.commit()
    assert check_chain().problem in (ALTERED, HEAD_ALTERED)


def test_a_hand_edited_head_is_detected(events, runner):
    _verify_and_keep_head(runner)
    setting = db.session.get(Setting, HEAD_SETTING)
    version, _, event_hash, when, seal = setting.value.split(" ")
    setting.value = " ".join([version, str(events[2].id), event_hash, when, seal])
    db.session.commit()
    check = check_chain()
    assert check.problem == HEAD_ALTERED and verify_chain() is not None


def test_the_chain_depends_on_the_key_not_only_on_the_data():
    """AUDIT_KEY, when set, replaces SECRET_KEY: SECRET_KEY can then be rotated."""
    assert chain_key({"SECRET_KEY": "a" * 40}) != chain_key({"SECRET_KEY": "b" * 40})
    assert chain_key({"SECRET_KEY": "b" * 40, "AUDIT_KEY": "a" * 40}) == chain_key(
        {"SECRET_KEY": "a" * 40}
    )


def test_verification_under_another_key_fails(events, app):
    app.config["AUDIT_KEY"] = "another-key-that-did-not-seal-these-events"
    assert verify_chain() == events[0].id


def test_audit_verify_command_reports_an_intact_chain_and_keeps_its_head(events, runner):
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
    assert "Audit chain intact: 6 events" in result.output
    head = check_chain().head
    assert head.sealed and head.event_id == events[-1].id and head.event_hash == events[-1].hash


def test_audit_verify_command_fails_loudly_on_a_broken_chain(events, runner):
    _tamper(events[1].id, ip="10.0.0.9")
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1
    assert f"AUDIT CHAIN BROKEN: event #{events[1].id} does not match its seal" in result.output
    assert db.session.get(Setting, HEAD_SETTING) is None  # a broken chain keeps no head


def test_record_head_refuses_a_broken_or_partly_checked_chain(events):
    with pytest.raises(ValueError):  # a partial check must not move the head back
        record_head(check_chain(time_budget=0))
    _tamper(events[1].id, ip="10.0.0.9")
    with pytest.raises(ValueError):
        record_head(check_chain())


def test_garbage_in_a_seal_is_reported_not_a_crash(events, runner):
    _verify_and_keep_head(runner)
    _tamper(events[1].id, hash="é" * 64)
    assert check_chain().broken_id == events[1].id
    setting = db.session.get(Setting, HEAD_SETTING)
    setting.value = "v1 1 – 2026-01-01T00:00:00+00:00 " + "é" * 64
    db.session.commit()
    assert verify_chain() == events[1].id


def test_admin_page_says_intact(events, client, login_as):
    login_as("admin")
    body = client.get("/admin/audit-chain/").get_data(as_text=True)
    assert 'data-status="intact"' in body
    assert "Utuh." in body  # Indonesian by default


def test_admin_page_names_the_first_broken_event(events, client, login_as):
    login_as("admin")
    _tamper(events[2].id, actor_label="orang.lain@example.id")
    response = client.get("/admin/audit-chain/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'data-event="{events[2].id}"' in body
    assert f"Peristiwa #{events[2].id} tidak cocok dengan segelnya" in body
    assert f"/admin/audit/details/?id={events[2].id}" in body


def test_admin_page_reports_deleted_newest_events(events, client, login_as, runner):
    _verify_and_keep_head(runner)
    db.session.execute(delete(AuditEvent).where(AuditEvent.id >= events[4].id))
    db.session.commit()
    login_as("admin")
    body = client.get("/admin/audit-chain/").get_data(as_text=True)
    assert 'data-status="broken"' in body and "peristiwa terbaru telah dihapus" in body


@pytest.mark.parametrize("role", ["bpjs_head", "labour_head", "business_owner"])
def test_only_admins_see_the_audit_chain_page(client, login_as, role):
    login_as(role)
    assert client.get("/admin/audit-chain/").status_code == 403


def test_production_refuses_a_short_audit_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("AUDIT_KEY", "short")
    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app("production")


def test_a_time_budget_stops_the_walk_and_says_how_far_it_got(events):
    check = check_chain(time_budget=0)
    assert not check.complete and check.intact
    assert check.events == 1 and check.last_id == events[0].id


def test_admin_page_answers_in_bounded_time_and_says_it_stopped(events, client, login_as, app):
    app.config["AUDIT_PAGE_CHECK_SECONDS"] = 0
    login_as("admin")
    body = client.get("/admin/audit-chain/").get_data(as_text=True)
    assert 'data-status="partial"' in body and "Sejauh ini utuh." in body
