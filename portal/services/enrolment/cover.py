"""Whether a person is already covered through an employer: the one rule for "no BPU for a
registered business's own employees" (UU 24/2011 art. 15: employers register their workers as
wage earners; the BPU scheme is for people who work on their own account)."""

from __future__ import annotations

from sqlalchemy import or_, select

from ...domain.clock import today_wib
from ...extensions import db
from ...models import Business, Employment, VerificationState, Worker


def employee_cover_of(nik: str) -> Business | None:
    """The registered business this NIK currently works for, or None.

    A current employment (no last day, or a last day still to come) at a business that has not
    been rejected counts: its owner must enrol the person as a wage earner (PU).
    """
    return db.session.scalar(
        select(Business)
        .join(Employment, Employment.business_id == Business.id)
        .join(Worker, Worker.id == Employment.worker_id)
        .where(
            Worker.nik == nik,
            or_(Employment.end_date.is_(None), Employment.end_date >= today_wib()),
            Business.verification_state != VerificationState.REJECTED.value,
        )
        .order_by(Employment.start_date.desc())
        .limit(1)
    )
