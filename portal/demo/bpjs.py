"""Demo records for the bpjs area, loaded by `flask seed-demo` (idempotent).

Enrols some demo employees (with KPJs), records a few payments, and sets up one funded batch
of the *Program Perlindungan Pekerja Rentan dan Pekerja Sawit* (APBD, Rp 16,800) with members.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ..domain.clock import today_wib
from ..domain.contributions import monthly_contribution
from ..extensions import db
from ..models import (
    Business,
    ContributionPayment,
    Employment,
    EnrolmentRequest,
    EnrolmentState,
    FundedBatch,
    Membership,
    Role,
    User,
    Worker,
)
from ..models._common import utcnow
from ..services.enrolment import queue as bpjs_queue
from ..services.enrolment.submission import copy_employment_figures
from ..services.funded_batches import batches as bpjs_batches
from ..services.membership.common import add_months, month_start, period_key
from ..services.reference.lookups import rate_table

BATCH_NAME = "Program Perlindungan Pekerja Rentan dan Pekerja Sawit"
# Made-up KPJs for the demo (a real KPJ comes from BPJS's own system); their memberships are
# flagged `kpj_is_demo` so no page or export passes them off as real numbers.
DEMO_KPJS = ("26000001001", "26000001002", "26000001003")
DEMO_BATCH_KPJS = ("26000002001", "26000002002", "26000002003", "26000002004")
# (NIK, name, birth date, sex): NIKs valid for Singkawang, serials 9xxx kept for demo data.
DEMO_WORKERS = [
    ("6172011505909001", "Ahmad Fauzi", date(1990, 5, 15), "L"),
    ("6172015208929002", "Siti Aminah", date(1992, 8, 12), "P"),
    ("6172010301889003", "Hendra Gunawan", date(1988, 1, 3), "L"),
]
DEMO_VULNERABLE = [
    ("6172022002759004", "Yanto", date(1975, 2, 20), "L", "Buruh sawit"),
    ("6172026106809005", "Marlina", date(1980, 6, 21), "P", "Pedagang keliling"),
    ("6172031009709006", "Acong", date(1970, 9, 10), "L", "Nelayan"),
    ("6172034411859007", "Rosita", date(1985, 11, 4), "P", "Buruh cuci"),
]


def _officer() -> User | None:
    return db.session.scalar(select(User).where(User.role == Role.BPJS_OFFICER).limit(1))


def _demo_employments() -> list[Employment]:
    """Employments of the demo businesses; creates three if the employer demo made none."""
    business = db.session.scalar(select(Business).order_by(Business.id).limit(1))
    if business is None:
        return []
    employments = list(
        db.session.scalars(
            select(Employment).where(Employment.end_date.is_(None)).order_by(Employment.id)
        )
    )
    if employments:
        return employments
    for nik, name, birth, sex in DEMO_WORKERS:
        worker = db.session.scalar(select(Worker).where(Worker.nik == nik))
        if worker is None:
            worker = Worker(nik=nik, full_name=name, birth_date=birth, sex=sex, category="PU")
            db.session.add(worker)
            db.session.flush()
        employments.append(
            Employment(
                business_id=business.id,
                worker_id=worker.id,
                full_name=name,
                kelurahan_code=business.kelurahan_code,
                occupation="Karyawan",
                category="PU",
                monthly_amount=3_000_000,
                with_jht=True,
                with_jp=True,
                start_date=date(2026, 1, 1),
            )
        )
    db.session.add_all(employments)
    db.session.flush()
    return employments


def _request_for(employment: Employment) -> EnrolmentRequest:
    """The employment's open request, or a new submitted one (as the owner would send it)."""
    existing = db.session.scalar(
        select(EnrolmentRequest).where(
            EnrolmentRequest.employment_id == employment.id,
            EnrolmentRequest.state.in_(bpjs_queue.ACTIONABLE),
        )
    )
    if existing is not None:
        return existing
    today = today_wib()
    contribution = monthly_contribution(
        rate_table(),
        category=employment.category,
        monthly_amount=employment.monthly_amount,
        month=today,
        risk_class=employment.business.risk_class or "sangat_rendah",
        with_jht=employment.with_jht,
        with_jp=employment.with_jp,
    )
    request = EnrolmentRequest(
        business_id=employment.business_id,
        worker_id=employment.worker_id,
        employment_id=employment.id,
        state=EnrolmentState.SUBMITTED.value,
        submitted_at=utcnow() - timedelta(days=3),
        sla_due=today + timedelta(days=4),
    )
    copy_employment_figures(request, employment, contribution)
    db.session.add(request)
    db.session.flush()
    return request


def _enrol_some(officer: User) -> None:
    if db.session.scalar(select(Membership.id).where(Membership.kpj.in_(DEMO_KPJS))):
        return
    enrolled_ids = set(
        db.session.scalars(
            select(Membership.employment_id).where(Membership.employment_id.is_not(None))
        )
    )
    candidates = [e for e in _demo_employments() if e.id not in enrolled_ids][:2]
    previous = add_months(month_start(today_wib()), -1)
    for employment, kpj in zip(candidates, DEMO_KPJS, strict=False):
        request = _request_for(employment)
        membership = bpjs_queue.enrol(request.id, officer, kpj)
        membership.kpj_is_demo = True
        membership.start_date = add_months(previous, -1)
        db.session.flush()
        db.session.add(
            ContributionPayment(
                membership_id=membership.id,
                period=period_key(membership.start_date),
                amount=request.monthly_contribution,
                paid_on=previous.replace(day=10),
                channel="bank",
                recorded_by_id=officer.id,
            )
        )
    db.session.flush()


def _funded_batch(officer: User) -> None:
    if db.session.scalar(select(FundedBatch.id).where(FundedBatch.name == BATCH_NAME)):
        return
    today = today_wib()
    terms = bpjs_batches.BatchTerms(
        name=BATCH_NAME,
        funder_type="apbd",
        funder_name="Pemerintah Kota Singkawang",
        category="rentan",
        period_start=date(2025, 12, 1),
        period_end=max(date(2026, 4, 30), today + timedelta(days=20)),
        quota=50,
        monthly_premium=bpjs_batches.DEFAULT_PREMIUM,
    )
    batch = bpjs_batches.create_batch(terms, officer)
    for (nik, name, birth, sex, job), kpj in zip(DEMO_VULNERABLE, DEMO_BATCH_KPJS, strict=True):
        if db.session.scalar(select(Worker.id).where(Worker.nik == nik)):
            continue
        person = bpjs_batches.NewWorker(nik, name, birth, sex, occupation=job)
        bpjs_batches.add_member(batch, person, officer, kpj).kpj_is_demo = True


def seed() -> None:
    """Add this area's demo records if they are missing. The caller commits."""
    officer = _officer()
    if officer is None:
        return
    _enrol_some(officer)
    _funded_batch(officer)
