"""Demo records for the disperindagkop area, loaded by `flask seed-demo` (idempotent).

A pending business registered in the field (to verify), an outreach event that reached the
demo businesses, an open referral and one compliance case at SP1 naming the business's
workers (it clears only once each of them is registered and any fine is paid).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..domain.clock import today_wib
from ..extensions import db
from ..models import (
    Business,
    ComplianceCase,
    ComplianceCaseWorker,
    ComplianceState,
    Employment,
    OutreachEvent,
    Referral,
    ReferralState,
    Role,
    User,
    VerificationState,
    Worker,
)
from ..services.reference.lookups import working_calendar

FIELD_NIB = "9120009876501"
REFERRED_NIB = "9120001234562"  # a demo business from portal/demo.py
COMPLIANCE_NIB = "9120001234563"


def _first(role: Role) -> User | None:
    return db.session.scalar(select(User).where(User.role == role).order_by(User.id).limit(1))


def seed() -> None:
    """Add this area's demo records if they are missing. The caller commits."""
    officer = _first(Role.TRADE_OFFICER)
    bpjs = _first(Role.BPJS_OFFICER)
    if officer is None or bpjs is None:
        return
    businesses = {b.nib: b for b in db.session.scalars(select(Business))}
    today = today_wib()

    if FIELD_NIB not in businesses:
        # Registered in the field by the trade head, so the demo officer may verify it.
        registrar = _first(Role.TRADE_HEAD) or officer
        field_business = Business(
            nib=FIELD_NIB,
            name="Kerajinan Tenun Ikat Sambas",
            owner_id=None,
            registered_by_id=registrar.id,
            sector_code="crafts",
            scale="mikro",
            kelurahan_code="61.72.04.1002",
            address="Jl. Raya Naram No. 12",
            phone="081345678901",
            verification_state=VerificationState.PENDING,
        )
        db.session.add(field_business)
        db.session.flush()
        businesses[FIELD_NIB] = field_business

    if db.session.scalar(select(OutreachEvent.id).limit(1)) is None:
        reached = [b for nib, b in businesses.items() if nib != FIELD_NIB][:3]
        db.session.add(
            OutreachEvent(
                held_on=today - timedelta(days=7),
                place="Aula Kantor Kelurahan Roban",
                kelurahan_code="61.72.01.1001",
                agencies_present="bpjs,disperindagkop",
                attendance=34,
                notes="Sosialisasi BPJS Ketenagakerjaan untuk UMKM makanan dan perdagangan.",
                created_by_id=officer.id,
                businesses=reached + [businesses[FIELD_NIB]],
            )
        )

    referred = businesses.get(REFERRED_NIB)
    if (
        referred is not None
        and db.session.scalar(select(Referral.id).where(Referral.business_id == referred.id))
        is None
    ):
        db.session.add(
            Referral(
                business_id=referred.id,
                referred_by_id=officer.id,
                reason="Empat pekerja tetap belum terdaftar; pemilik minta dibantu.",
                contact_person="Ibu Sinar",
                contact_phone="081234567890",
                state=ReferralState.OPEN,
            )
        )

    fined = businesses.get(COMPLIANCE_NIB)
    if (
        fined is not None
        and db.session.scalar(
            select(ComplianceCase.id).where(ComplianceCase.business_id == fined.id)
        )
        is None
    ):
        issued = today - timedelta(days=3)
        named = db.session.scalars(
            select(Worker.nik)
            .join(Employment, Employment.worker_id == Worker.id)
            .where(Employment.business_id == fined.id)
            .order_by(Worker.id)
            .limit(3)
        ).all()
        db.session.add(
            ComplianceCase(
                business_id=fined.id,
                state=ComplianceState.WARNING_1,
                finding="Mempekerjakan 6 orang tanpa mendaftarkan mereka ke BPJS Ketenagakerjaan.",
                sp1_issued_on=issued,
                sp1_due=working_calendar().add_working_days(issued, 10),
                opened_by_id=bpjs.id,
                named_workers=[ComplianceCaseWorker(nik=nik) for nik in named],
            )
        )
    db.session.flush()
