"""Reference data (agencies, Singkawang's regions) and the hash-chained audit log."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Agency, AuditEvent, Region
from portal.services.audit.trail import record_event, verify_chain
from portal.services.reference.seed import load_reference_data
from tests.factories import UserFactory, make_nik


def test_three_agencies_with_their_names(app):
    names = dict(db.session.execute(select(Agency.code, Agency.name)).all())
    assert names == {
        "disnaker": "Dinas Penanaman Modal dan Tenaga Kerja Kota Singkawang",
        "disperindagkop": "Dinas Perindustrian, Perdagangan, Koperasi dan UKM Kota Singkawang",
        "bpjs": "BPJS Ketenagakerjaan Kantor Cabang Singkawang",
    }


def test_five_kecamatan_and_26_kelurahan_with_kemendagri_codes(app):
    counts = dict(
        db.session.execute(select(Region.level, func.count()).group_by(Region.level)).all()
    )
    assert counts["kecamatan"] == 5 and counts["kelurahan"] == 26
    kecamatan = dict(
        db.session.execute(
            select(Region.code, Region.name).where(Region.level == "kecamatan")
        ).all()
    )
    assert set(kecamatan) == {f"61.72.0{i}" for i in range(1, 6)}
    for region in db.session.scalars(select(Region).where(Region.level == "kelurahan")):
        assert region.code.startswith(region.parent_code + ".")
        assert len(region.code) == 13


def test_reference_load_is_idempotent_and_keeps_edits(app):
    agency = db.session.scalar(select(Agency).where(Agency.code == "disnaker"))
    agency.name = "Dinas Tenaga Kerja"
    db.session.commit()
    before = db.session.scalar(select(func.count()).select_from(Region))
    load_reference_data()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Region)) == before
    db.session.refresh(agency)
    assert agency.name == "Dinas Tenaga Kerja"


def test_audit_chain_verifies_and_detects_a_modified_row(app):
    user = UserFactory()
    for i in range(3):
        record_event("test.event", user, {"n": i})
    db.session.commit()
    assert verify_chain() is None

    second = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    second.summary = '{"n": 99}'
    db.session.commit()
    assert verify_chain() == second.id


def test_audit_chain_detects_a_deleted_row(app):
    user = UserFactory()
    for i in range(3):
        record_event("test.event", user, {"n": i})
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    db.session.delete(events[1])
    db.session.commit()
    assert verify_chain() == events[2].id


def test_audit_summary_never_holds_nik_or_password(app):
    user = UserFactory()
    nik = make_nik()
    event = record_event(
        "test.sensitive", user, {"nik": nik, "password": "Rahasia-1", "nested": {"nik": nik}}
    )
    db.session.commit()
    assert nik not in event.summary and "Rahasia-1" not in event.summary


def test_audit_event_names_records_with_non_integer_keys(app):
    region = db.session.get(Region, "61.72.01")
    event = record_event("test.region", region)
    assert (event.record_type, event.record_id) == ("Region", "61.72.01")
