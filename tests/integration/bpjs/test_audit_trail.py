"""Every state change of the BPJS workspace leaves an audit event naming what happened."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import AuditEvent, EnrolmentRequest, FundedBatch, Membership
from tests.factories import make_nik
from tests.factories_bpjs import EnrolmentRequestFactory, MembershipFactory


def _events(action: str, record=None) -> int:
    stmt = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    if record is not None:
        stmt = stmt.where(
            AuditEvent.record_type == type(record).__name__,
            AuditEvent.record_id == str(record.id),
        )
    return db.session.scalar(stmt)


def _member(i: int) -> dict[str, str]:
    birth = date(1985, 3, 1 + i)
    return {
        "nik": make_nik(birth, "P"),
        "full_name": f"Ibu Rentan {i}",
        "birth_date": birth.isoformat(),
        "sex": "P",
        "kelurahan_code": "61.72.01.1001",
    }


def test_every_bpjs_action_writes_its_audit_event(client, head, other_officer):
    """One walk through the workspace as the head of the branch (who may do everything)."""
    requests = EnrolmentRequestFactory.create_batch(9)
    paying = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    one, two, three, four, five, six, seven, eight, nine = requests
    today = today_wib()

    def batch_named(name: str) -> FundedBatch:
        return db.session.scalar(select(FundedBatch).where(FundedBatch.name == name))

    def upload(url: str, content: str):
        return client.post(
            url,
            data={"file": (io.BytesIO(content.encode()), "berkas.csv")},
            content_type="multipart/form-data",
        )

    def confirm_last_upload():
        from portal.models import BpjsUpload

        upload_id = db.session.scalar(select(func.max(BpjsUpload.id)))
        return client.post(f"/bpjs/uploads/{upload_id}/confirm")

    steps = [
        # (what the officer does, the audit action it must write, about which record)
        (lambda: client.post(f"/bpjs/queue/{one.id}/claim"), "enrolment.claimed", one),
        (lambda: client.post(f"/bpjs/queue/{one.id}/release"), "enrolment.released", one),
        (
            lambda: client.post(f"/bpjs/queue/{one.id}/enrol", data={"kpj": "26200000001"}),
            "enrolment.enrolled",
            one,
        ),
        (
            lambda: client.post(f"/bpjs/queue/{two.id}/return", data={"ret-reason": "NIK salah"}),
            "enrolment.returned",
            two,
        ),
        (
            lambda: client.post(
                f"/bpjs/queue/{three.id}/reject",
                data={"rej-reason": "Bukan pekerja", "confirmed": "yes"},
            ),
            "enrolment.rejected",
            three,
        ),
        (
            lambda: client.post(
                f"/bpjs/queue/{four.id}/reassign", data={"officer_id": other_officer.id}
            ),
            "enrolment.reassigned",
            four,
        ),
        (
            lambda: client.post("/bpjs/queue/bulk", data={"action": "claim", "ids": [five.id]}),
            "enrolment.claimed",
            five,
        ),
        (
            # One at a time: each enrolment needs the KPJ BPJS's own system issued.
            lambda: client.post(f"/bpjs/queue/{six.id}/enrol", data={"kpj": "262.0000.0002"}),
            "enrolment.enrolled",
            six,
        ),
        (
            lambda: client.post(
                "/bpjs/queue/bulk",
                data={"action": "return", "ids": [seven.id], "reason": "Upah belum diisi"},
            ),
            "enrolment.returned",
            seven,
        ),
        (
            lambda: client.post(
                "/bpjs/queue/bulk",
                data={"action": "reject", "ids": [eight.id], "reason": "Sudah terdaftar"},
            ),
            "enrolment.rejected",
            eight,
        ),
        (
            lambda: client.post(
                "/bpjs/payments/new",
                data={
                    "kpj": paying.kpj,
                    "period": "2026-01",
                    "amount": "277200",
                    "paid_on": "2026-02-10",
                    "channel": "bank",
                },
            ),
            "contribution.paid",
            None,
        ),
        (
            lambda: upload(
                "/bpjs/payments/upload",
                f"kpj,period,amount,paid_on,channel\n{paying.kpj},2026-02,277200,2026-03-10,bank\n",
            ),
            "upload.dry_run",
            None,
        ),
        (confirm_last_upload, "upload.confirmed", None),
        (
            lambda: client.post(
                "/bpjs/batches/new",
                data={
                    "name": "Rentan 2026",
                    "funder_type": "apbd",
                    "funder_name": "Pemerintah Kota Singkawang",
                    "category": "rentan",
                    "period_start": (today - timedelta(days=60)).isoformat(),
                    "period_end": (today + timedelta(days=20)).isoformat(),
                    "quota": "10",
                    "monthly_premium": "16800",
                },
            ),
            "batch.created",
            None,
        ),
        (
            lambda: client.post(
                f"/bpjs/batches/{batch_named('Rentan 2026').id}/members",
                data=_member(1) | {"kpj": "26200000003"},
            ),
            "batch.member_added",
            None,
        ),
        (
            lambda: upload(
                f"/bpjs/batches/{batch_named('Rentan 2026').id}/upload",
                "nik,full_name,birth_date,sex,phone,kelurahan_code,occupation,kpj\n"
                + ",".join(_member(2).values())
                + ",,Buruh,26200000004\n",
            ),
            "upload.dry_run",
            None,
        ),
        (confirm_last_upload, "batch.member_added", None),
        (
            lambda: client.post(
                f"/bpjs/batches/{batch_named('Rentan 2026').id}/renew",
                data={
                    "name": "Rentan 2027",
                    "funder_name": "Pemerintah Kota Singkawang",
                    "period_start": (today + timedelta(days=21)).isoformat(),
                    "period_end": (today + timedelta(days=200)).isoformat(),
                    "quota": "10",
                    "monthly_premium": "16800",
                },
            ),
            "batch.renewed",
            None,
        ),
    ]
    for number, (act, action, record) in enumerate(steps, start=1):
        before = _events(action, record)
        response = act()
        assert response.status_code == 302, (number, action, response.get_data(as_text=True))
        assert _events(action, record) == before + 1, f"step {number}: no {action} event"

    db.session.expire_all()
    assert db.session.get(EnrolmentRequest, nine.id).state == "submitted"  # untouched
    assert _events("contribution.paid") == 2
    renewed = batch_named("Rentan 2027")
    assert renewed.renewed_from_id == batch_named("Rentan 2026").id
    carried = db.session.scalars(select(Membership).where(Membership.funded_batch_id == renewed.id))
    assert len(carried.all()) == 2
    # Every event names who did it.
    assert not db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.actor_id.is_(None))
    )
