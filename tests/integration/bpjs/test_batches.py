"""Funded batches: create, add members (one by one, by file), quota, budget, renewal."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import (
    AuditEvent,
    BpjsUpload,
    FundedBatch,
    FundedBatchMember,
    Membership,
    Worker,
)
from portal.services.audit.trail import verify_chain
from portal.services.funded_batches import batches as bpjs_batches
from portal.services.membership import payments as contrib
from tests.factories import EmploymentFactory, WorkerFactory, make_nik
from tests.factories_bpjs import FundedBatchFactory, MembershipFactory

_KPJS = itertools.count(26_100_000_001)


def _kpj() -> str:
    """A KPJ as BPJS's own system issues it (11 digits): the portal never makes one up."""
    return str(next(_KPJS))


def _person(i: int = 0, **overrides):
    birth = date(1980, 1, 1) + timedelta(days=i)
    data = {
        "nik": make_nik(birth, "P"),
        "full_name": f"Ibu Rentan {i}",
        "birth_date": birth.isoformat(),
        "sex": "P",
        "phone": "",
        "kelurahan_code": "61.72.01.1001",
        "occupation": "Petani sawit",
        "kpj": _kpj(),
    }
    data.update(overrides)
    return data


def _members(batch_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(FundedBatchMember)
        .where(FundedBatchMember.batch_id == batch_id)
    )


def test_officer_creates_a_batch_with_a_computed_budget(client, officer):
    response = client.post(
        "/bpjs/batches/new",
        data={
            "name": "Program Perlindungan Pekerja Rentan dan Pekerja Sawit",
            "funder_type": "apbd",
            "funder_name": "Pemerintah Kota Singkawang",
            "category": "rentan",
            "period_start": "2025-12-01",
            "period_end": "2026-04-30",
            "quota": "7737",
            "monthly_premium": "16800",
        },
    )
    assert response.status_code == 302
    batch = db.session.scalar(select(FundedBatch))
    assert batch.budget == 7737 * 16_800 * 5


def test_batch_with_period_ending_before_it_starts_is_refused(client, officer):
    response = client.post(
        "/bpjs/batches/new",
        data={
            "name": "X",
            "funder_type": "csr",
            "funder_name": "PT Sawit",
            "category": "sawit",
            "period_start": "2026-05-01",
            "period_end": "2026-04-01",
            "quota": "5",
            "monthly_premium": "16800",
        },
    )
    assert response.status_code == 400
    assert 'id="period_end-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(FundedBatch)) == 0


def test_a_worker_with_no_employer_is_added_and_gets_a_funded_membership(client, officer):
    batch = FundedBatchFactory()
    db.session.commit()
    response = client.post(f"/bpjs/batches/{batch.id}/members", data=_person())
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    membership = db.session.scalar(select(Membership))
    assert membership.funding_source == "apbd"
    assert membership.funded_batch_id == batch.id
    assert membership.business_id is None
    assert membership.end_date == batch.period_end
    assert db.session.scalar(select(Worker.category)) == "rentan"


def test_over_quota_is_refused_with_a_clear_message(client, officer):
    batch = FundedBatchFactory(quota=1)
    db.session.commit()
    client.post(f"/bpjs/batches/{batch.id}/members", data=_person(1))
    response = client.post(f"/bpjs/batches/{batch.id}/members", data=_person(2))
    assert response.status_code == 400
    assert (
        "quota" in response.get_data(as_text=True).lower()
        or "kuota" in response.get_data(as_text=True).lower()
    )
    assert _members(batch.id) == 1
    assert db.session.scalar(select(func.count()).select_from(Worker)) == 1


def test_nik_not_matching_birth_date_is_refused(client, officer):
    batch = FundedBatchFactory()
    db.session.commit()
    response = client.post(
        f"/bpjs/batches/{batch.id}/members", data=_person(birth_date="1970-02-02")
    )
    assert response.status_code == 400
    assert 'id="birth_date-error"' in response.get_data(as_text=True)
    assert _members(batch.id) == 0


def test_a_person_already_covered_cannot_be_added_twice(client, officer):
    batch = FundedBatchFactory()
    db.session.commit()
    person = _person(3)
    client.post(f"/bpjs/batches/{batch.id}/members", data=person)
    response = client.post(f"/bpjs/batches/{batch.id}/members", data=person)
    assert response.status_code == 400
    assert _members(batch.id) == 1


def test_duplicate_entered_kpj_is_refused(client, officer):
    batch = FundedBatchFactory()
    db.session.commit()
    client.post(f"/bpjs/batches/{batch.id}/members", data=_person(4, kpj="26000000777"))
    response = client.post(f"/bpjs/batches/{batch.id}/members", data=_person(5, kpj="26000000777"))
    assert response.status_code == 400
    assert 'id="kpj-error"' in response.get_data(as_text=True)
    assert _members(batch.id) == 1


def test_budget_used_counts_premium_times_months_covered(app):
    batch = FundedBatchFactory(period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    db.session.flush()
    for i in range(2):
        bpjs_batches.add_member(
            batch,
            bpjs_batches.NewWorker(
                make_nik(date(1990, 1, 1 + i)), f"W{i}", date(1990, 1, 1 + i), "L"
            ),
            actor=_actor(),
            kpj=_kpj(),
        )
    db.session.execute(FundedBatchMember.__table__.update().values(start_date=date(2026, 1, 1)))
    figures = bpjs_batches.figures_for([batch.id], today=date(2026, 3, 10))[batch.id]
    assert figures.members == 2
    assert figures.used == 2 * 16_800 * 3
    assert figures.remaining(batch) == batch.budget - figures.used


def _actor():
    from tests.factories import UserFactory

    return UserFactory(role="bpjs_officer")


def test_batches_ending_within_30_days_are_flagged(client, officer):
    soon = FundedBatchFactory(name="Segera Berakhir", period_end=today_wib() + timedelta(days=10))
    FundedBatchFactory(name="Masih Lama", period_end=today_wib() + timedelta(days=90))
    db.session.commit()
    html = client.get("/bpjs/batches").get_data(as_text=True)
    row = html[html.index("Segera Berakhir") - 400 : html.index("Segera Berakhir") + 400]
    assert "table-warning" in row
    assert bpjs_batches.needs_renewal(soon)


def test_renewal_carries_only_still_eligible_members(client, officer):
    batch = FundedBatchFactory(
        period_start=date(2026, 1, 1), period_end=today_wib() + timedelta(days=10)
    )
    db.session.commit()
    for i in range(3):
        client.post(f"/bpjs/batches/{batch.id}/members", data=_person(10 + i))
    memberships = list(db.session.scalars(select(Membership).order_by(Membership.id)))
    memberships[0].state = "lapsed"  # not active: not carried
    EmploymentFactory(worker=memberships[1].worker, category="PU")  # now a wage earner
    db.session.commit()
    start = batch.period_end + timedelta(days=1)
    response = client.post(
        f"/bpjs/batches/{batch.id}/renew",
        data=_renewal_form(start, name="Lanjutan 2027", quota="5"),
    )
    assert response.status_code == 302
    new = db.session.scalar(select(FundedBatch).where(FundedBatch.renewed_from_id == batch.id))
    assert _members(new.id) == 1
    db.session.expire_all()
    carried = db.session.get(Membership, memberships[2].id)
    assert carried.funded_batch_id == new.id and carried.kpj == memberships[2].kpj
    # A second renewal of the same batch is refused.
    again = client.post(
        f"/bpjs/batches/{batch.id}/renew",
        data=_renewal_form(start, name="Lagi", period_end=(start + timedelta(days=30)).isoformat()),
    )
    assert again.status_code == 400


def _funded_member(batch: FundedBatch, **worker) -> Membership:
    """A member of `batch` covered since the batch started (as add_member leaves one)."""
    membership = MembershipFactory(
        employment=None,
        business=None,
        worker=WorkerFactory(category=batch.category, **worker),
        category=batch.category,
        monthly_amount=1_000_000,
        with_jht=False,
        with_jp=False,
        risk_class=None,
        funding_source=batch.funder_type,
        funded_batch=batch,
        start_date=batch.period_start,
        end_date=batch.period_end,
    )
    db.session.add(
        FundedBatchMember(
            batch=batch,
            membership=membership,
            start_date=batch.period_start,
            end_date=batch.period_end,
        )
    )
    return membership


def _renewal_form(start: date, **overrides) -> dict[str, str]:
    data = {
        "name": "Lanjutan",
        "funder_name": "Pemerintah Kota Singkawang",
        "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=180)).isoformat(),
        "quota": "10",
        "monthly_premium": "16800",
    }
    data.update(overrides)
    return data


def test_a_batch_renewed_late_carries_members_the_sweep_ended_with_it(client, officer):
    today = today_wib()
    batch = FundedBatchFactory(
        period_start=today - timedelta(days=150), period_end=today - timedelta(days=10)
    )
    kept = _funded_member(batch, full_name="Masih Rentan")
    now_employed = _funded_member(batch)
    EmploymentFactory(worker=now_employed.worker, category="PU")  # an employer pays now
    covered_otherwise = _funded_member(batch)
    MembershipFactory(  # joined as a self-paid member after the batch ended
        employment=None,
        business=None,
        worker=covered_otherwise.worker,
        category="BPU",
        funding_source="self",
        monthly_amount=1_000_000,
        with_jht=False,
        with_jp=False,
        start_date=today,
    )
    db.session.commit()
    assert contrib.sweep()["ended"] == 3  # the nightly sweep ended the batch's members
    db.session.commit()
    assert kept.state == "ended"

    detail = client.get(f"/bpjs/batches/{batch.id}").get_data(as_text=True)
    assert "data-renewal-overdue" in detail
    assert f"/bpjs/batches/{batch.id}/renew" in detail
    assert client.get(f"/bpjs/batches/{batch.id}/renew").status_code == 200

    response = client.post(f"/bpjs/batches/{batch.id}/renew", data=_renewal_form(today))
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    new = db.session.scalar(select(FundedBatch).where(FundedBatch.renewed_from_id == batch.id))
    assert _members(new.id) == 1
    db.session.expire_all()
    carried = db.session.get(Membership, kept.id)
    assert (carried.state, carried.funded_batch_id, carried.kpj) == ("active", new.id, kept.kpj)
    assert carried.end_date == new.period_end
    for other in (now_employed, covered_otherwise):
        left = db.session.get(Membership, other.id)
        assert (left.state, left.funded_batch_id) == ("ended", batch.id)
    assert db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "membership.active",
            AuditEvent.record_type == "Membership",
            AuditEvent.record_id == str(kept.id),
        )
    )
    # The next sweep leaves the carried member covered by the new batch.
    assert contrib.sweep()["ended"] == 0
    assert db.session.get(Membership, kept.id).state == "active"


def test_a_batch_ending_within_30_days_is_flagged_until_it_is_renewed(client, officer):
    today = today_wib()
    soon = FundedBatchFactory(period_end=today + timedelta(days=30))
    later = FundedBatchFactory(period_end=today + timedelta(days=31))
    _funded_member(soon)
    db.session.commit()
    assert bpjs_batches.needs_renewal(soon) and not bpjs_batches.needs_renewal(later)
    assert "alert-warning" in client.get(f"/bpjs/batches/{soon.id}").get_data(as_text=True)
    assert "alert-warning" not in client.get(f"/bpjs/batches/{later.id}").get_data(as_text=True)
    assert "table-warning" in _list_row(client, soon)
    assert "table-warning" not in _list_row(client, later)
    assert _renew_soon_count(client) == 1

    start = soon.period_end + timedelta(days=1)
    assert (
        client.post(f"/bpjs/batches/{soon.id}/renew", data=_renewal_form(start)).status_code == 302
    )
    assert "alert-warning" not in client.get(f"/bpjs/batches/{soon.id}").get_data(as_text=True)
    assert "table-warning" not in _list_row(client, soon)
    assert _renew_soon_count(client) == 0


def _list_row(client, batch: FundedBatch) -> str:
    html = client.get("/bpjs/batches").get_data(as_text=True)
    link = html.index(f'href="/bpjs/batches/{batch.id}"')
    return html[html.rindex("<tr", 0, link) : html.index("</tr>", link)]


def _renew_soon_count(client) -> int:
    html = client.get("/bpjs/").get_data(as_text=True)
    card = html[html.index("Program bantuan iuran yang perlu diperpanjang") :]
    return int(card[card.index("data-count>") + len("data-count>") :].split("<")[0])


def test_renewal_quota_below_eligible_members_is_refused(client, officer):
    batch = FundedBatchFactory(period_end=today_wib() + timedelta(days=5))
    db.session.commit()
    for i in range(2):
        client.post(f"/bpjs/batches/{batch.id}/members", data=_person(20 + i))
    start = batch.period_end + timedelta(days=1)
    response = client.post(
        f"/bpjs/batches/{batch.id}/renew",
        data={
            "name": "Kecil",
            "funder_name": "X",
            "period_start": start.isoformat(),
            "period_end": (start + timedelta(days=30)).isoformat(),
            "quota": "1",
            "monthly_premium": "16800",
        },
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(FundedBatch)) == 1


def test_batch_member_upload_dry_run_then_confirm(client, officer):
    batch = FundedBatchFactory(quota=5)
    WorkerFactory()
    db.session.commit()
    lines = ["nik,full_name,birth_date,sex,phone,kelurahan_code,occupation,kpj"]
    for i in range(2):
        birth = date(1975, 6, 1 + i)
        lines.append(
            f"{make_nik(birth, 'L')},Pekerja Sawit {i},{birth},L,,61.72.01.1001,Buruh,{_kpj()}"
        )
    file = io.BytesIO("\n".join(lines).encode())
    response = client.post(
        f"/bpjs/batches/{batch.id}/upload",
        data={"file": (file, "m.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _members(batch.id) == 0
    upload = db.session.scalar(select(BpjsUpload))
    assert upload.error_count == 0
    client.post(f"/bpjs/uploads/{upload.id}/confirm")
    assert _members(batch.id) == 2


def _member_file(people: int, day: int) -> io.BytesIO:
    lines = ["nik,full_name,birth_date,sex,phone,kelurahan_code,occupation,kpj"]
    for i in range(people):
        birth = date(1970 + i, 3, day)
        lines.append(
            f"{make_nik(birth, 'P')},Ibu Rentan {day}-{i},{birth},P,,61.72.01.1001,Tani,{_kpj()}"
        )
    return io.BytesIO("\n".join(lines).encode())


def test_a_member_file_is_imported_with_a_fixed_number_of_queries_and_fully_audited(
    client, officer, count_queries
):
    batch = FundedBatchFactory(quota=20)
    db.session.commit()
    batch_id = batch.id
    uploads = []
    for people, day in ((1, 3), (6, 4)):
        client.post(
            f"/bpjs/batches/{batch.id}/upload",
            data={"file": (_member_file(people, day), "m.csv")},
            content_type="multipart/form-data",
        )
        uploads.append(db.session.scalar(select(BpjsUpload).order_by(BpjsUpload.id.desc())).id)
    counts = []
    for upload_id in uploads:
        db.session.expunge_all()
        with count_queries() as counter:
            assert client.post(f"/bpjs/uploads/{upload_id}/confirm").status_code == 302
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert _members(batch_id) == 7
    kpjs = list(
        db.session.scalars(select(Membership.kpj).where(Membership.funded_batch_id == batch_id))
    )
    assert len(set(kpjs)) == 7 and all(len(k) == 11 for k in kpjs)  # as entered, unique
    added = db.session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == "batch.member_added")
    ).all()
    assert len(added) == 7 and all(kpj in " ".join(added) for kpj in kpjs)
    assert verify_chain() is None


def test_batch_member_upload_over_quota_is_reported(client, officer):
    batch = FundedBatchFactory(quota=1)
    db.session.commit()
    lines = ["nik,full_name,birth_date,sex,phone,kelurahan_code,occupation,kpj"]
    for i in range(2):
        birth = date(1975, 7, 1 + i)
        lines.append(f"{make_nik(birth, 'L')},P {i},{birth},L,,,,{_kpj()}")
    client.post(
        f"/bpjs/batches/{batch.id}/upload",
        data={"file": (io.BytesIO("\n".join(lines).encode()), "m.csv")},
        content_type="multipart/form-data",
    )
    upload = db.session.scalar(select(BpjsUpload))
    assert upload.error_count == 1
    client.post(f"/bpjs/uploads/{upload.id}/confirm")
    assert _members(batch.id) == 0


def test_batch_pages_run_fixed_queries(client, officer, count_queries):
    batch = FundedBatchFactory(quota=50)
    db.session.commit()
    client.post(f"/bpjs/batches/{batch.id}/members", data=_person(30))
    with count_queries() as few:
        client.get(f"/bpjs/batches/{batch.id}")
        client.get("/bpjs/batches")
    for i in range(6):
        client.post(f"/bpjs/batches/{batch.id}/members", data=_person(31 + i))
        FundedBatchFactory()
    db.session.commit()
    with count_queries() as many:
        client.get(f"/bpjs/batches/{batch.id}")
        client.get("/bpjs/batches")
    assert few.count == many.count


@pytest.mark.parametrize("role", ["business_owner", "trade_head", "labour_officer"])
def test_other_roles_cannot_manage_batches(client, login_as, role):
    batch = FundedBatchFactory()
    db.session.commit()
    login_as(role)
    assert client.get("/bpjs/batches").status_code == 403
    assert client.post(f"/bpjs/batches/{batch.id}/members", data=_person(40)).status_code == 403
    assert _members(batch.id) == 0
