"""Business owners add, correct and end their employees' employment.

A worker is one person (unique NIK). Adding a NIK that exists links that worker to the
business through a new Employment; what the business enters (name as it knows it, phone,
occupation, wage) lives on the Employment, so no business ever sees another's records.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..domain.workflow import check
from ..extensions import db
from ..models import (
    OPEN_ENROLLMENT_STATES,
    Business,
    Employment,
    EnrollmentRequest,
    EnrollmentState,
    Membership,
    MembershipState,
    Region,
    Worker,
)
from .audit import record_event
from .employer_rules import EmployeeInput, Problem, employee_problems, local_today
from .reference import rate_table


class EmployeeInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


def kelurahan_codes() -> frozenset[str]:
    return frozenset(db.session.scalars(select(Region.code).where(Region.level == "kelurahan")))


def _validate(data: EmployeeInput) -> None:
    problems = employee_problems(data.normalised(), rate_table(), local_today())
    if data.kelurahan_code not in kelurahan_codes():
        problems.append(Problem("kelurahan_code", "kelurahan_unknown"))
    if problems:
        raise EmployeeInvalid(problems)


def _summary(employment: Employment) -> dict:
    return {
        "category": employment.category,
        "monthly_amount": employment.monthly_amount,
        "risk_class": employment.risk_class,
        "with_jht": employment.with_jht,
        "with_jp": employment.with_jp,
        "occupation": employment.occupation,
    }


def _worker_for(data: EmployeeInput) -> tuple[Worker, bool]:
    """The worker with this NIK, created if new. Returns (worker, existed)."""
    worker = db.session.scalar(select(Worker).where(Worker.nik == data.nik))
    if worker is not None:
        if worker.birth_date != data.birth_date or worker.sex != data.sex:
            raise EmployeeInvalid([Problem("birth_date", "worker_birth_date")])
        return worker, True
    worker = Worker(
        nik=data.nik,
        full_name=data.full_name,
        birth_date=data.birth_date,
        sex=data.sex,
        kelurahan_code=data.kelurahan_code,
        category=data.category,
    )
    try:
        with db.session.begin_nested():
            db.session.add(worker)
            db.session.flush()
    except IntegrityError:
        # Someone registered the same NIK a moment ago: link to that worker instead.
        existing = db.session.scalar(select(Worker).where(Worker.nik == data.nik))
        if existing is None:
            raise
        return existing, True
    record_event("worker.created", worker, {"category": worker.category})
    return worker, False


def add_employee(business: Business, data: EmployeeInput) -> Employment:
    """Record a new employee of `business`, linking an existing worker with the same NIK.

    Caller: the business's owner (the view scopes the business). Writes `employment.created`.
    Raises EmployeeInvalid with field-level problems (NIK rules, cross-checks, ranges, the
    worker already registered in this business). Nothing is added when it raises.
    """
    _validate(data)
    worker, existed = _worker_for(data)
    if existed and db.session.scalar(
        select(Employment.id).where(
            Employment.business_id == business.id, Employment.worker_id == worker.id
        )
    ):
        raise EmployeeInvalid([Problem("nik", "already_employed")])
    employment = Employment(
        business_id=business.id,
        worker_id=worker.id,
        full_name=data.full_name,
        phone=data.phone or None,
        kelurahan_code=data.kelurahan_code,
        occupation=data.occupation,
        category=data.category,
        monthly_amount=data.monthly_amount,
        risk_class=data.risk_class,
        with_jht=data.with_jht,
        with_jp=data.with_jp,
        start_date=data.start_date,
    )
    try:
        with db.session.begin_nested():
            db.session.add(employment)
            db.session.flush()
    except IntegrityError as exc:
        raise EmployeeInvalid([Problem("nik", "already_employed")]) from exc
    record_event(
        "employment.created",
        employment,
        {"business_id": business.id, "worker_id": worker.id, "linked_existing_worker": existed}
        | _summary(employment),
    )
    return employment


def update_employee(employment: Employment, data: EmployeeInput, expected_version: int) -> None:
    """Correct what the business recorded (name, contact, job, pay, programmes, start date).

    The worker's identity (NIK, birth date, sex) is not changed here: it is shared by every
    business the person works for. Caller: the owner of the employment's business.
    Writes `employment.updated`. Raises EmployeeInvalid (rules, `stale`, `already_ended`).
    """
    if employment.version != expected_version:
        raise EmployeeInvalid([Problem("form", "stale")])
    if not employment.is_current:
        raise EmployeeInvalid([Problem("form", "already_ended")])
    worker = employment.worker
    data.nik, data.birth_date, data.sex = worker.nik, worker.birth_date, worker.sex
    _validate(data)
    before = _summary(employment) | {"full_name": employment.full_name}
    employment.full_name = data.full_name
    employment.phone = data.phone or None
    employment.kelurahan_code = data.kelurahan_code
    employment.occupation = data.occupation
    employment.category = data.category
    employment.monthly_amount = data.monthly_amount
    employment.risk_class = data.risk_class
    employment.with_jht = data.with_jht
    employment.with_jp = data.with_jp
    employment.start_date = data.start_date
    try:
        with db.session.begin_nested():
            db.session.flush()
    except StaleDataError as exc:
        raise EmployeeInvalid([Problem("form", "stale")]) from exc
    after = _summary(employment) | {"full_name": employment.full_name}
    changed = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    record_event("employment.updated", employment, {"changed": changed})


def end_employment(
    employment: Employment, end_date: date, reason: str, expected_version: int
) -> list[Membership]:
    """End an employment, every still-running membership tied to it and its open request.

    Caller: the owner of the employment's business. Writes `employment.ended`, one
    `membership.ended` per membership and `enrollment.withdrawn` for an enrolment request
    BPJS had not decided yet (it leaves the BPJS queue). Raises EmployeeInvalid
    (`already_ended`, `end_before_start`, `stale`). Returns the memberships it ended.
    """
    if employment.version != expected_version:
        raise EmployeeInvalid([Problem("form", "stale")])
    if not employment.is_current:
        raise EmployeeInvalid([Problem("form", "already_ended")])
    if end_date < employment.start_date:
        raise EmployeeInvalid(
            [Problem("end_date", "end_before_start", {"start": employment.start_date.isoformat()})]
        )
    employment.end_date = end_date
    employment.end_reason = reason or None
    memberships = list(
        db.session.scalars(
            select(Membership).where(
                Membership.employment_id == employment.id,
                Membership.state != MembershipState.ENDED,
            )
        )
    )
    for membership in memberships:
        membership.state = MembershipState.ENDED
        membership.end_date = max(end_date, membership.start_date)
    open_requests = list(
        db.session.scalars(
            select(EnrollmentRequest).where(
                EnrollmentRequest.employment_id == employment.id,
                EnrollmentRequest.state.in_([s.value for s in OPEN_ENROLLMENT_STATES]),
            )
        )
    )
    for request in open_requests:
        check("enrollment", request.state, EnrollmentState.WITHDRAWN.value)
        request.state = EnrollmentState.WITHDRAWN.value
        request.assignee_id = None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except StaleDataError as exc:
        raise EmployeeInvalid([Problem("form", "stale")]) from exc
    record_event(
        "employment.ended",
        employment,
        {"end_date": end_date.isoformat(), "reason": reason, "memberships": len(memberships)},
    )
    for membership in memberships:
        record_event(
            "membership.ended",
            membership,
            {"employment_id": employment.id, "end_date": membership.end_date.isoformat()},
        )
    for request in open_requests:
        record_event("enrollment.withdrawn", request, {"employment_id": employment.id})
    return memberships
