"""Business owners add and correct their employees (ending a job: `employer_leaving`).

A worker is one person (unique NIK). Adding a NIK that exists links that worker to the
business through a new Employment; what the business enters (name as it knows it, phone,
occupation, wage) lives on the Employment, so no business ever sees another's records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    OPEN_ENROLMENT_STATES,
    Business,
    Employment,
    EnrolmentRequest,
    FundingSource,
    Membership,
    MembershipState,
    Region,
    Worker,
)
from ..audit.trail import record_event
from ..enrolment.submission import copy_employment_figures
from ..errors import InvalidInput
from ..membership.dues import TERMS, change_terms
from ..reference.lookups import rate_table
from ..saving import flush_or_refuse
from .cover import cover
from .rules import (
    EMPLOYMENT_FIELDS,
    EmployeeInput,
    Problem,
    employee_problems,
    employment_contribution,
    identity_conflicts,
    problem_message,
)

# Memberships whose dues follow the employment's figures (a funder pays the others).
OWN_FUNDING = (FundingSource.EMPLOYER.value, FundingSource.SELF.value)


class EmployeeInvalid(InvalidInput):
    """Employee data refused: each problem's message next to its form field; a problem of the
    whole record (field `form`: stale, already ended, …) above the form. `found` keeps the
    problems with their codes."""

    def __init__(self, problems: list[Problem]):
        super().__init__(
            (None if p.field == "form" else p.field, problem_message(p.code, p.params))
            for p in problems
        )
        self.found = list(problems)


def kelurahan_codes() -> frozenset[str]:
    return frozenset(db.session.scalars(select(Region.code).where(Region.level == "kelurahan")))


def _validate(data: EmployeeInput, business: Business, has_jp: bool = False) -> None:
    """Refuse what breaks a rule; then give `data` the programmes the law and the owner's
    voluntary choices make (`employees.cover`: the business's scale, JP by age)."""
    today = today_wib()
    problems = employee_problems(data, rate_table(), today)
    if data.kelurahan_code not in kelurahan_codes():
        problems.append(Problem("kelurahan_code", "kelurahan_unknown"))
    if problems:
        raise EmployeeInvalid(problems)
    data.with_cover(
        cover(
            business.scale,
            data.birth_date,
            today,
            add_jht=data.with_jht,
            add_jp=data.with_jp,
            has_jp=has_jp,
        )
    )


def membership_terms(employment: Employment) -> dict:
    """The figures a running membership of this job owes by (`membership.dues.TERMS`): the
    job's wage and programmes, the business's JKK risk class (left as it is while the
    business has none)."""
    terms = {
        "monthly_amount": employment.monthly_amount,
        "risk_class": employment.business.risk_class,
        "with_jht": employment.with_jht,
        "with_jp": employment.with_jp,
    }
    return {name: value for name, value in terms.items() if value is not None}


#: What the audit trail keeps of an employment before and after a change.
_SUMMARY = ("category", "monthly_amount", "with_jht", "with_jp", "occupation")


def _employment_fields(data: EmployeeInput) -> dict:
    """An employment's fields as the owner entered them (a new one or an edit)."""
    return {name: getattr(data, name) for name in EMPLOYMENT_FIELDS} | {"phone": data.phone or None}


def _summary(employment: Employment) -> dict:
    return {name: getattr(employment, name) for name in _SUMMARY}


def _checked_identity(worker: Worker, data: EmployeeInput) -> Worker:
    problems = identity_conflicts(worker, data)
    if problems:
        raise EmployeeInvalid(problems)
    return worker


def _worker_for(data: EmployeeInput) -> tuple[Worker, bool]:
    """The worker with this NIK, created if new. Returns (worker, existed)."""
    worker = db.session.scalar(select(Worker).where(Worker.nik == data.nik))
    if worker is not None:
        return _checked_identity(worker, data), True
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
        return _checked_identity(existing, data), True
    record_event("worker.created", worker, {"category": worker.category})
    return worker, False


def add_employee(business: Business, data: EmployeeInput) -> Employment:
    """Record a new employee of `business`, linking an existing worker with the same NIK.

    Caller: the business's owner (the view scopes the business). Writes `employment.created`.
    Raises EmployeeInvalid with field-level problems (NIK rules, cross-checks, ranges, the
    worker already registered in this business). Nothing is added when it raises.
    """
    _validate(data, business)
    worker, existed = _worker_for(data)
    if existed and db.session.scalar(
        select(Employment.id).where(
            Employment.business_id == business.id, Employment.worker_id == worker.id
        )
    ):
        raise EmployeeInvalid([Problem("nik", "already_employed")])
    employment = Employment(
        business_id=business.id, worker_id=worker.id, **_employment_fields(data)
    )
    flush_or_refuse(employment, taken=EmployeeInvalid([Problem("nik", "already_employed")]))
    record_event(
        "employment.created",
        employment,
        {"business_id": business.id, "worker_id": worker.id, "linked_existing_worker": existed}
        | _summary(employment),
    )
    return employment


# The figures a running membership takes over from its employment when the owner edits it.


def check_version(employment: Employment, expected_version: int) -> None:
    """The owner's form was read from this version: an older one is a `stale` problem."""
    if employment.version != expected_version:
        raise EmployeeInvalid([Problem("form", "stale")])


def flush_or_stale() -> None:
    """Flush in a savepoint; someone else saving the same rows meanwhile (their version
    counters moved) is a `stale` problem, not a server error."""
    flush_or_refuse(stale=EmployeeInvalid([Problem("form", "stale")]))


def _running_memberships(employment: Employment) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(
                Membership.employment_id == employment.id,
                Membership.state != MembershipState.ENDED.value,
                Membership.funding_source.in_(OWN_FUNDING),
            )
            .order_by(Membership.id)
        )
    )


def open_requests(employment: Employment) -> list[EnrolmentRequest]:
    """The employment's enrolment requests BPJS has not decided yet."""
    return list(
        db.session.scalars(
            select(EnrolmentRequest).where(
                EnrolmentRequest.employment_id == employment.id,
                EnrolmentRequest.state.in_([s.value for s in OPEN_ENROLMENT_STATES]),
            )
        )
    )


@dataclass
class EmployeeUpdate:
    """What an employee correction carried over beyond the employment itself."""

    memberships: list[Membership] = field(default_factory=list)  # dues follow new figures
    requests: list[EnrolmentRequest] = field(default_factory=list)  # refreshed figures


def update_employee(
    employment: Employment, data: EmployeeInput, expected_version: int
) -> EmployeeUpdate:
    """Correct what the business recorded (name, contact, job, pay, programmes, start date).

    The worker's identity (NIK, birth date, sex) is not changed here: it is shared by every
    business the person works for. Caller: the owner of the employment's business.

    A membership stores one set of figures (wage or declared income, JKK risk class,
    programmes) and every dues figure the owner and BPJS see is computed from it (schedule,
    arrears, the owner's home). So the running membership of this job (employer- or
    self-paid) takes over the new figures, and its dues follow them from now on; the
    membership keeps no history of its figures, so a month already past and still unpaid is
    computed with them too. An open enrolment request takes the new figures and contribution,
    so BPJS enrols what the owner now declares. The category cannot change while a
    membership runs (`category_enrolled`): it decides who pays.
    Writes `employment.updated`, `membership.terms_changed`, `enrolment.figures_changed`.
    Raises EmployeeInvalid (rules, `stale`, `already_ended`, `category_enrolled`).
    """
    check_version(employment, expected_version)
    if not employment.is_current:
        raise EmployeeInvalid([Problem("form", "already_ended")])
    worker = employment.worker
    data.nik, data.birth_date, data.sex = worker.nik, worker.birth_date, worker.sex
    _validate(data, employment.business, has_jp=employment.with_jp)
    memberships = _running_memberships(employment)
    if memberships and data.category != employment.category:
        raise EmployeeInvalid([Problem("category", "category_enrolled")])
    before = _summary(employment) | {"full_name": employment.full_name}
    for name, value in _employment_fields(data).items():
        setattr(employment, name, value)
    outcome = EmployeeUpdate()
    membership_changes = []
    terms = membership_terms(employment)
    for membership in memberships:
        new_terms = {
            name: terms[name]
            for name in TERMS
            if name in terms and getattr(membership, name) != terms[name]
        }
        # Earlier months keep the figures they were owed under (bpjs_dues.terms_in).
        if changed := change_terms(membership, new_terms, today_wib()):
            outcome.memberships.append(membership)
            membership_changes.append(changed)
    request_changes = []
    contribution = employment_contribution(employment, rate_table(), today_wib())
    for request in open_requests(employment) if contribution is not None else []:
        old = (request.category, request.monthly_amount, request.monthly_contribution)
        copy_employment_figures(request, employment, contribution)
        if old != (request.category, request.monthly_amount, request.monthly_contribution):
            outcome.requests.append(request)
            request_changes.append(old)
    flush_or_stale()
    after = _summary(employment) | {"full_name": employment.full_name}
    changed = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    record_event("employment.updated", employment, {"changed": changed})
    for membership, changed in zip(outcome.memberships, membership_changes, strict=True):
        record_event(
            "membership.terms_changed",
            membership,
            {"kpj": membership.kpj, "employment_id": employment.id, "changed": changed},
        )
    for request, (category, amount, total) in zip(outcome.requests, request_changes, strict=True):
        record_event(
            "enrolment.figures_changed",
            request,
            {
                "employment_id": employment.id,
                "category": [category, request.category],
                "monthly_amount": [amount, request.monthly_amount],
                "monthly_contribution": [total, request.monthly_contribution],
            },
        )
    return outcome
