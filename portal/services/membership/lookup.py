"""Finding a membership by its KPJ or its worker's NIK (BPJS's own system over the API).

Each lookup hands out personal data to another system, so it is audited like an export
(the NIK itself is masked in the audit log); the caller commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain import normalise
from ...extensions import db
from ...models import Membership, Worker
from ..audit.trail import record_event
from ..errors import NotFound, ServiceError


def by_kpj(kpj: str) -> Membership:
    """The membership with KPJ `kpj`; NotFound otherwise."""
    membership = db.session.scalar(
        select(Membership)
        .where(Membership.kpj == (kpj or "").strip())
        .options(joinedload(Membership.worker), joinedload(Membership.business))
    )
    if membership is None:
        raise NotFound()
    record_event("membership.looked_up", membership, {"by": "kpj"})
    return membership


def by_nik(nik: str) -> list[Membership]:
    """Every membership of the worker with NIK `nik`, newest first (none: an empty list).

    Raises ServiceError("nik", …) for a NIK that is not 16 digits."""
    try:
        digits = normalise.nik(nik)
    except normalise.Unreadable:
        digits = ""
    if len(digits) != 16:
        raise ServiceError("nik", str(_l("A NIK has 16 digits.")))
    found = list(
        db.session.scalars(
            select(Membership)
            .join(Worker, Worker.id == Membership.worker_id)
            .where(Worker.nik == digits)
            .options(joinedload(Membership.worker), joinedload(Membership.business))
            .order_by(Membership.id.desc())
        )
    )
    record_event(
        "membership.looked_up",
        None,
        {"by": "nik", "nik": digits, "found": [m.kpj for m in found]},
    )
    return found
