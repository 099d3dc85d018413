"""People registering as BPU on their own account: by themselves (a worker, or an owner for
himself) or through a field agent. Both end as a `submitted` enrolment request in BPJS's
existing queue, without a business, marked with its channel.

Rules (one place):
- The person's data follow the employee form's rules (`employees.rules`): NIK, birth date and
  sex cross-checked against the NIK, age, phone, kelurahan; the declared income must lie in
  the BPU range of the dated rates (Rp 1.000.000–20.700.000).
- Refused, with the reason named: a person currently employed by a registered business
  (`cover.employee_cover_of`: his employer enrols him as PU), a person with a membership that
  has not ended, a person with an open request (named "registered by another agent" when an
  agent registered him), a NIK whose registered birth date or sex differ, a NIK tied to
  another portal account.
- One open own-account request per person: the partial unique index
  `uq_enrolment_requests_open_own` makes two agents entering the same NIK at once, or a
  double-tapped submit, end with one request; the loser gets the same refusal as above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...domain.clock import today_wib
from ...domain.contributions import Contribution, informal_income_range
from ...domain.contributions import monthly_contribution as compute_contribution
from ...domain.workflow import check
from ...extensions import db
from ...models import (
    OPEN_ENROLMENT_STATES,
    EnrolmentChannel,
    EnrolmentRequest,
    EnrolmentState,
    Membership,
    MembershipState,
    Occupation,
    Region,
    User,
    Worker,
    WorkerCategory,
)
from ...models._common import utcnow
from ..audit.trail import record_event
from ..employees.rules import EmployeeInput, employee_problems, identity_conflicts, problem_message
from ..errors import InvalidInput, ServiceError
from ..reference.lookups import rate_table
from .cover import employee_cover_of
from .submission import sla_due_date

OPEN = tuple(s.value for s in OPEN_ENROLMENT_STATES)
WORKER_FIELDS = ("nik", "full_name", "birth_date", "sex", "phone", "kelurahan_code")
BPU = WorkerCategory.BPU.value


@dataclass
class OwnAccountInput:
    """What a person (or his agent) enters to register as BPU, already typed."""

    nik: str
    full_name: str
    birth_date: date | None
    sex: str
    phone: str | None
    kelurahan_code: str
    occupation_code: str
    occupation_other: str
    monthly_income: int | None
    with_jht: bool = False


class DuplicatePerson(ServiceError):
    """The person is already covered or already on his way: `code` says which
    (employee, member, pending, other_agent, other_account)."""

    def __init__(self, code: str, message: str):
        super().__init__("nik", message)
        self.code = code

    @property
    def is_employee_cover(self) -> bool:
        """Covered as an employee: the page offers the choices instead of a membership."""
        return self.code == "employee"


def bpu_contribution(income: int | None, with_jht: bool, month: date | None = None):
    """The monthly BPU contribution for this income and programmes (JKK + JKM, JHT optional),
    or None when the income is missing or outside the allowed range."""
    if income is None:
        return None
    try:
        return compute_contribution(
            rate_table(),
            category=BPU,
            monthly_amount=income,
            month=month or today_wib(),
            with_jht=with_jht,
        )
    except ValueError:
        return None


def income_range_message(low: int, high: int) -> str:
    """The employee rules' one message for an income outside the BPU range."""
    return problem_message("income_range", {"minimum": low, "maximum": high})


def income_range(month: date | None = None) -> tuple[int, int]:
    return informal_income_range(rate_table(), month or today_wib())


def occupation_text(code: str, other: str) -> str | None:
    """The occupation as stored on the person: the list's name, or the words written for
    "lainnya". None when the code is unknown or the words are missing."""
    occupation = db.session.get(Occupation, code or "")
    if occupation is None or not occupation.active:
        return None
    if occupation.asks_text:
        other = (other or "").strip()
        return other[:100] or None
    return occupation.name_id


def _as_employee(data: OwnAccountInput, occupation: str, today: date) -> EmployeeInput:
    """The same person as the employee form's rules read him (one set of NIK rules)."""
    return EmployeeInput(
        nik=data.nik,
        full_name=data.full_name,
        birth_date=data.birth_date,
        sex=data.sex,
        phone=data.phone,
        kelurahan_code=data.kelurahan_code,
        occupation=occupation,
        category=BPU,
        monthly_amount=data.monthly_income,
        with_jht=data.with_jht,
        start_date=today,
    )


def input_problems(data: OwnAccountInput, today: date) -> list[tuple[str, str]]:
    """Every field-level problem (form rules, no duplicate checks), as (field, message)."""
    as_employee = _as_employee(data, "-", today)
    found = [
        (
            "monthly_income" if p.field == "monthly_amount" else p.field,
            problem_message(p.code, p.params),
        )
        for p in employee_problems(as_employee, rate_table(), today)
        if p.field not in ("start_date", "occupation", "category")
    ]
    if data.monthly_income is not None and not any(f == "monthly_income" for f, _m in found):
        low, high = income_range(today)
        if not low <= data.monthly_income <= high:
            found.append(("monthly_income", income_range_message(low, high)))
    region = db.session.get(Region, data.kelurahan_code or "")
    if region is None or region.level != "kelurahan":
        found.append(("kelurahan_code", problem_message("kelurahan_unknown")))
    if occupation_text(data.occupation_code, data.occupation_other) is None:
        occupation = db.session.get(Occupation, data.occupation_code or "")
        if occupation is not None and occupation.asks_text:
            found.append(("occupation_other", _("Write the occupation.")))
        else:
            found.append(("occupation_code", _("Choose an occupation.")))
    return found


def duplicate_of(
    nik: str, agent: User | None = None, ignore_request_id: int = -1
) -> DuplicatePerson | None:
    """Why this NIK cannot be registered again, or None. Fixed number of queries."""
    business = employee_cover_of(nik)
    if business is not None:
        return DuplicatePerson(
            "employee",
            _(
                "This person works for %(business)s, a business registered in the portal: "
                "the employer enrols him as a wage earner (PU), so no BPU membership is made. "
                "If he no longer works there, the owner records his last day first.",
                business=business.name,
            ),
        )
    member = db.session.scalar(
        select(Membership.id)
        .join(Worker, Worker.id == Membership.worker_id)
        .where(Worker.nik == nik, Membership.state != MembershipState.ENDED.value)
        .limit(1)
    )
    if member is not None:
        return DuplicatePerson(
            "member", _("This NIK is already a BPJS Ketenagakerjaan member: nothing to register.")
        )
    pending = db.session.scalar(
        select(EnrolmentRequest)
        .join(Worker, Worker.id == EnrolmentRequest.worker_id)
        .where(
            Worker.nik == nik,
            EnrolmentRequest.state.in_(OPEN),
            EnrolmentRequest.id != ignore_request_id,
        )
        .limit(1)
    )
    if pending is not None:
        if (
            pending.channel == EnrolmentChannel.FIELD_AGENT
            and agent is not None
            and pending.registered_by_id != agent.id
        ):
            return DuplicatePerson(
                "other_agent", _("This NIK has already been registered by another agent.")
            )
        if agent is not None and pending.registered_by_id == agent.id:
            return DuplicatePerson(
                "pending_mine", _("You have already registered this NIK: it is waiting at BPJS.")
            )
        return DuplicatePerson("pending", _("This NIK already has a registration waiting at BPJS."))
    return None


#: A second submit of the same person by the same agent this soon is a double tap.
REPEAT_WINDOW = timedelta(minutes=2)


def _same_request_again(
    nik: str, account: User | None, agent: User | None
) -> EnrolmentRequest | None:
    """The open request this same person (or agent, moments ago) already made for this NIK:
    a repeated submit gets it back instead of a refusal (one request, nothing lost)."""
    stmt = (
        select(EnrolmentRequest)
        .join(Worker, Worker.id == EnrolmentRequest.worker_id)
        .where(Worker.nik == nik, EnrolmentRequest.state.in_(OPEN))
    )
    if account is not None:
        stmt = stmt.where(
            Worker.account_id == account.id,
            EnrolmentRequest.channel == EnrolmentChannel.SELF.value,
        )
    elif agent is not None:
        stmt = stmt.where(
            EnrolmentRequest.registered_by_id == agent.id,
            EnrolmentRequest.created_at >= utcnow() - REPEAT_WINDOW,
        )
    else:
        return None
    return db.session.scalar(stmt)


def _returned_request(
    nik: str, account: User | None, agent: User | None
) -> EnrolmentRequest | None:
    """The caller's own request for this NIK that BPJS returned for correction."""
    stmt = (
        select(EnrolmentRequest)
        .join(Worker, Worker.id == EnrolmentRequest.worker_id)
        .where(Worker.nik == nik, EnrolmentRequest.state == EnrolmentState.RETURNED.value)
    )
    if account is not None:
        stmt = stmt.where(Worker.account_id == account.id)
    elif agent is not None:
        stmt = stmt.where(EnrolmentRequest.registered_by_id == agent.id)
    else:
        return None
    return db.session.scalar(stmt.where(EnrolmentRequest.employment_id.is_(None)))


def _resubmit(
    request: EnrolmentRequest, data: OwnAccountInput, contribution: Contribution
) -> EnrolmentRequest:
    """A returned request sent back to BPJS with the corrected figures (same request)."""
    check("enrolment", request.state, EnrolmentState.SUBMITTED)
    reason = request.return_reason
    request.with_jht = data.with_jht
    request.monthly_amount = data.monthly_income
    request.monthly_contribution = contribution.total
    request.worker_share = contribution.total
    request.state = EnrolmentState.SUBMITTED
    request.submitted_at = utcnow()
    request.sla_due = sla_due_date()
    request.return_reason = None
    request.assignee_id = None
    request.claimed_at = None
    db.session.flush()
    record_event(
        "enrolment.resubmitted",
        request,
        {"returned_because": reason, "monthly_contribution": request.monthly_contribution},
    )
    return request


def _worker_for(data: OwnAccountInput, occupation: str) -> Worker:
    """The registered person of this NIK (identity checked) or a new one."""
    worker = db.session.scalar(select(Worker).where(Worker.nik == data.nik))
    probe = _as_employee(data, occupation, today_wib())
    if worker is not None:
        conflicts = identity_conflicts(worker, probe)
        if conflicts:
            raise InvalidInput([(p.field, problem_message(p.code)) for p in conflicts])
        worker.phone = data.phone or worker.phone
        worker.kelurahan_code = data.kelurahan_code
        worker.occupation = occupation
        return worker
    worker = Worker(
        **{name: getattr(probe, name) for name in WORKER_FIELDS},
        occupation=occupation,
        category=BPU,
    )
    try:
        with db.session.begin_nested():
            db.session.add(worker)
            db.session.flush()
    except IntegrityError:  # the same NIK was just added by someone else: use that one
        worker = db.session.scalar(select(Worker).where(Worker.nik == data.nik))
        if worker is None:
            raise
    return worker


def register_own_account(
    data: OwnAccountInput,
    *,
    channel: EnrolmentChannel,
    account: User | None = None,
    agent: User | None = None,
    consent_name: str | None = None,
    consent_photo: bytes | None = None,
    consent_photo_type: str | None = None,
    consent_photo_sha256: str | None = None,
) -> EnrolmentRequest:
    """Create the person's `submitted` BPU request in BPJS's queue.

    `account`: the person's own login (channel self); `agent`: the field agent (channel
    field_agent; his kelurahan are checked by the caller, `agents.register_person`).
    Writes `enrolment.submitted`. Raises InvalidInput (fields), DuplicatePerson (named).
    """
    today = today_wib()
    problems = input_problems(data, today)
    if problems:
        raise InvalidInput(problems)
    returned = _returned_request(data.nik, account, agent)
    duplicate = duplicate_of(data.nik, agent, returned.id if returned is not None else -1)
    if duplicate is not None:
        again = _same_request_again(data.nik, account, agent)
        if again is not None:
            return again  # a double-tapped submit: the one request already made
        raise duplicate
    occupation = occupation_text(data.occupation_code, data.occupation_other) or ""
    worker = _worker_for(data, occupation)
    if account is not None:
        if worker.account_id not in (None, account.id):
            raise DuplicatePerson(
                "other_account",
                _("This NIK belongs to another portal account. Log in with that account."),
            )
        mine = db.session.scalar(select(Worker.id).where(Worker.account_id == account.id))
        if mine not in (None, worker.id):
            raise ServiceError(
                "nik", _("Your account is already tied to another NIK: register only yourself.")
            )
        worker.account_id = account.id
    contribution: Contribution = bpu_contribution(data.monthly_income, data.with_jht, today)
    if returned is not None:
        return _resubmit(returned, data, contribution)
    request = EnrolmentRequest(
        business_id=None,
        worker_id=worker.id,
        employment_id=None,
        category=BPU,
        with_jht=data.with_jht,
        with_jp=False,
        monthly_amount=data.monthly_income,
        monthly_contribution=contribution.total,
        employer_share=0,
        worker_share=contribution.total,
        state=EnrolmentState.SUBMITTED,
        submitted_at=utcnow(),
        sla_due=sla_due_date(),
        channel=channel,
        registered_by_id=agent.id if agent is not None else None,
        consent_name=consent_name,
        consent_photo=consent_photo,
        consent_photo_type=consent_photo_type,
        consent_photo_sha256=consent_photo_sha256,
    )
    try:
        with db.session.begin_nested():
            db.session.add(request)
            db.session.flush()
    except IntegrityError:  # a simultaneous registration of the same person won
        again = _same_request_again(data.nik, account, agent)
        if again is not None:
            return again
        raise duplicate_of(data.nik, agent) or DuplicatePerson(
            "pending", _("This NIK already has a registration waiting at BPJS.")
        ) from None
    record_event(
        "enrolment.submitted",
        request,
        {
            "channel": str(channel),
            "monthly_contribution": request.monthly_contribution,
            "sla_due": request.sla_due.isoformat(),
            "registered_by": agent.email if agent is not None else None,
            "consent": "photo" if consent_photo else ("name" if consent_name else None),
        },
    )
    return request
