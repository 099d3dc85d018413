"""Business owners register and correct their businesses."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from ...extensions import db
from ...models import Business, BusinessScale, Region, Sector, User, VerificationState
from ..audit.trail import record_event
from ..employees.rules import problem_message
from ..errors import InvalidInput
from ..saving import flush_or_refuse
from .risk_class import RISK_CLASSES, carry_risk_class, record_carried


class BusinessInvalid(InvalidInput):
    """Business details refused. Built from {form field: message code of
    `employees.rules`}; each message shows next to its field, a `form` problem (stale,
    rejected) above the form. `codes` keeps that mapping."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(
            (None if name == "form" else name, problem_message(code))
            for name, code in problems.items()
        )
        self.codes = dict(problems)


@dataclass
class BusinessInput:
    nib: str
    name: str
    sector_code: str
    scale: str
    kelurahan_code: str
    address: str
    phone: str | None
    # JKK risk class of the activity (PP 44/2015 annex I); None from forms that do not ask
    # (the trade office's field registration): the owner chooses it later.
    risk_class: str | None = None


def _check_references(data: BusinessInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not (len(data.nib) == 13 and data.nib.isdigit()):
        problems["nib"] = "nib_format"
    if data.scale not in {s.value for s in BusinessScale}:
        problems["scale"] = "required"
    sector_ok = db.session.scalar(
        select(exists().where(Sector.code == data.sector_code, Sector.active.is_(True)))
    )
    if not sector_ok:
        problems["sector_code"] = "sector_unknown"
    kelurahan_ok = db.session.scalar(
        select(exists().where(Region.code == data.kelurahan_code, Region.level == "kelurahan"))
    )
    if not kelurahan_ok:
        problems["kelurahan_code"] = "kelurahan_unknown"
    if data.risk_class is not None and data.risk_class not in RISK_CLASSES:
        problems["risk_class"] = "risk_unknown"
    return problems


def pending_business(data: BusinessInput, *, owner: User | None, registered_by: User) -> Business:
    """A new business from `data`, pending the trade office's verification (not yet added)."""
    return Business(
        nib=data.nib,
        name=data.name,
        owner_id=owner.id if owner is not None else None,
        registered_by_id=registered_by.id,
        sector_code=data.sector_code,
        scale=data.scale,
        kelurahan_code=data.kelurahan_code,
        address=data.address,
        phone=data.phone or None,
        risk_class=data.risk_class,
        verification_state=VerificationState.PENDING,
    )


def register_business(owner: User, data: BusinessInput) -> Business:
    """Register a new business for `owner`, pending verification by the trade office.

    Caller: a business owner (the view passes `current_user`). Writes `business.registered`.
    Raises BusinessInvalid (unknown sector/kelurahan, bad NIB, NIB already registered). The
    unique NIB is enforced by the database; a concurrent duplicate is caught here too.
    """
    problems = _check_references(data)
    if "nib" not in problems and db.session.scalar(
        select(exists().where(Business.nib == data.nib))
    ):
        problems["nib"] = "nib_taken"
    if problems:
        raise BusinessInvalid(problems)
    business = pending_business(data, owner=owner, registered_by=owner)
    flush_or_refuse(business, taken=BusinessInvalid({"nib": "nib_taken"}))
    record_event(
        "business.registered",
        business,
        {"nib": business.nib, "name": business.name, "state": business.verification_state},
        actor=owner,
    )
    return business


def update_business(business: Business, data: BusinessInput, expected_version: int) -> Business:
    """Correct a pending or verified business's details; the NIB only while not verified.

    A rejected business is answered through the trade office's resubmission
    (`trade_verification.resubmit_business`), which sends it back to the queue.
    Caller: the business's owner (the view scopes the business). Writes `business.updated`.
    Raises BusinessInvalid; `{"form": "stale"}` when someone changed it meanwhile,
    `{"form": "rejected"}` for a rejected business.
    """
    if business.version != expected_version:
        raise BusinessInvalid({"form": "stale"})
    if business.verification_state == VerificationState.REJECTED:
        raise BusinessInvalid({"form": "rejected"})
    if business.is_verified:
        data.nib = business.nib
    problems = _check_references(data)
    if (
        "nib" not in problems
        and data.nib != business.nib
        and db.session.scalar(select(exists().where(Business.nib == data.nib)))
    ):
        problems["nib"] = "nib_taken"
    if data.risk_class is not None and data.risk_class != business.risk_class:
        if business.risk_class_reviewed:
            problems["risk_class"] = "risk_class_reviewed"
    if problems:
        raise BusinessInvalid(problems)
    carried, before_class = [], business.risk_class
    if data.risk_class is not None and data.risk_class != business.risk_class:
        carried = carry_risk_class(business, data.risk_class)
    before = {
        f: getattr(business, f)
        for f in ("nib", "name", "sector_code", "scale", "kelurahan_code", "address", "phone")
    }
    for name in before:
        new = getattr(data, name)
        setattr(business, name, (new or None) if name == "phone" else new)
    after = {f: getattr(business, f) for f in before}
    flush_or_refuse(
        taken=BusinessInvalid({"nib": "nib_taken"}), stale=BusinessInvalid({"form": "stale"})
    )
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if business.risk_class != before_class:
        changed["risk_class"] = [before_class, business.risk_class]
    record_event("business.updated", business, {"changed": changed})
    record_carried(carried, business)
    return business
