"""Reprimand letters (*surat teguran*) from the labour office to another agency.

- The labour head issues a letter to BPJS or the trade office citing overdue complaints
  and/or slow enrolments, with finding, required action, deadline and level I/II/III. The
  labour office cannot reprimand itself.
- The letter number comes from the `reprimand_number_pattern` setting with a per-year
  sequence; `letter_number` and (`letter_year`, `letter_seq`) are unique, so two heads issuing
  at once cannot get the same number: the loser retries with the next one.
- The addressed agency's head acknowledges, then answers with a corrective-action plan.
- The labour head closes it, or escalates: a new letter at the next level (parent_id); an
  ignored letter (issued/acknowledged) may be escalated once its deadline has passed.
- Issuing (and escalating) is asked about first (`check_issue`, `check_escalation`: the
  refusals without the letter). The labour head may withdraw a letter within a day of issuing
  it, before it is answered (`withdraw`, `services.undo`): it is marked withdrawn, the PDF
  says so, and a letter it escalated returns to its step before.
All steps are ReprimandEvents on one timeline plus audit events; nothing commits here. A step
the letter's state does not allow is refused with a ReprimandError; `letter_steps` tells a
page which steps to offer, by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...domain.clock import today_wib
from ...domain.workflow import TransitionError, can, check
from ...extensions import db
from ...models import (
    Agency,
    Complaint,
    EnrolmentRequest,
    Reprimand,
    ReprimandEvent,
    ReprimandState,
    Role,
    User,
)
from ...models._common import utcnow
from ..audit.trail import record_event
from ..errors import NotAllowed, ServiceError
from ..notifications.dispatch import agency_heads, labour_heads, notify
from ..reference.lookups import setting, working_calendar
from ..undo import check_undo, undo_open_until

ROMAN = {1: "I", 2: "II", 3: "III"}
HEAD_OF = {"bpjs": Role.BPJS_HEAD.value, "disperindagkop": Role.TRADE_HEAD.value}
R = ReprimandState

#: Not finished: the addressed agency or the labour head still has to act.
OPEN_STATES = (R.ISSUED, R.ACKNOWLEDGED, R.RESPONDED)
#: Waiting for the addressed agency's answer (its deadline runs).
AWAITING_ANSWER = (R.ISSUED, R.ACKNOWLEDGED)


class ReprimandError(ServiceError):
    """A refusal with a message for the user and the form field it concerns."""


@dataclass
class ReprimandDraft:
    addressed_agency_id: int | None
    level: int
    subject: str
    finding: str
    required_action: str
    deadline: date | None
    complaint_ids: list[int]
    enrolment_ids: list[int]
    consequence: str | None = None


DEFAULT_NUMBER_PATTERN = "800/{seq:03d}/DPMTK-TEG/{year}"
NUMBER_MAX = 80


def number_pattern_is_usable(pattern: str) -> bool:
    """A pattern that numbers every letter uniquely and fits the column (checked on save)."""
    if "{seq" not in pattern or "{year" not in pattern:
        return False
    try:
        sample = pattern.format(seq=999, year=2099, level="III")
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return False
    return bool(sample.strip()) and len(sample) <= NUMBER_MAX


def format_number(pattern: str, seq: int, year: int, level: int) -> str:
    """The letter number from the admin's pattern (`{seq}`, `{year}`, `{level}`).

    A pattern without `{seq}` or `{year}` would give every letter (or every year's letter n)
    the same number, so the unique number would refuse the second letter: such a pattern,
    like one that does not format at all, falls back to the default. A broken admin setting
    must never block letters.
    """
    if not number_pattern_is_usable(pattern):
        pattern = DEFAULT_NUMBER_PATTERN
    return pattern.format(seq=seq, year=year, level=ROMAN.get(level, str(level)))[:NUMBER_MAX]


def _event(reprimand: Reprimand, user: User, before: str | None, after: str | None, note=None):
    reprimand.events.append(
        ReprimandEvent(actor_id=user.id, from_state=before, to_state=after, note=note)
    )


def _move(reprimand: Reprimand, user: User, target: str, note: str | None = None) -> None:
    before = reprimand.state
    try:
        check("reprimand", before, target)
    except TransitionError:
        raise ReprimandError(
            "note", str(_l("This step is not possible in the letter's current state."))
        ) from None
    reprimand.state = target
    _event(reprimand, user, before, target, note)
    record_event(
        f"reprimand.{target}", reprimand, {"from": before, "to": target, "level": reprimand.level}
    )


def cites_enrolments(agency: Agency) -> bool:
    """Whether a letter to `agency` may cite slow enrolments (only BPJS enrols workers)."""
    return agency.code == "bpjs"


def _refuse_a_day_off(deadline: date) -> None:
    """A deadline falls on a working day of the one calendar complaints use (weekends,
    national holidays, the days off the admin entered); the message names the next one."""
    calendar = working_calendar()
    if calendar.is_working_day(deadline):
        return
    suggested = format_date(calendar.next_working_day(deadline), "EEEE, dd MMM yyyy")
    raise ReprimandError(
        "deadline",
        str(
            _l(
                "%(day)s is not a working day. Choose a working day, for example %(next)s.",
                day=format_date(deadline, "EEEE, dd MMM yyyy"),
                next=suggested,
            )
        ),
    )


def _validate(draft: ReprimandDraft, today: date) -> tuple[Agency, list, list]:
    agency = (
        db.session.get(Agency, draft.addressed_agency_id) if draft.addressed_agency_id else None
    )
    if agency is None or agency.code not in HEAD_OF:
        raise ReprimandError(
            "addressed_agency",
            str(_l("A reprimand can be addressed to BPJS or the trade office only.")),
        )
    if draft.level not in ROMAN:
        raise ReprimandError("level", str(_l("Choose level I, II or III.")))
    for name, label in (
        ("subject", _l("Write the subject.")),
        ("finding", _l("Write the finding.")),
        ("required_action", _l("Write the corrective action required.")),
    ):
        if not (getattr(draft, name) or "").strip():
            raise ReprimandError(name, str(label))
    if draft.deadline is None:
        raise ReprimandError("deadline", str(_l("Set a deadline for the corrective action.")))
    if draft.deadline <= today:
        raise ReprimandError("deadline", str(_l("The deadline must be after today.")))
    _refuse_a_day_off(draft.deadline)
    complaints = list(
        db.session.scalars(
            select(Complaint).where(
                Complaint.id.in_(draft.complaint_ids or [-1]), Complaint.agency_id == agency.id
            )
        )
    )
    enrolments: list[EnrolmentRequest] = []
    if cites_enrolments(agency):
        enrolments = list(
            db.session.scalars(
                select(EnrolmentRequest).where(EnrolmentRequest.id.in_(draft.enrolment_ids or [-1]))
            )
        )
    if len(complaints) != len(set(draft.complaint_ids)) or len(enrolments) != len(
        set(draft.enrolment_ids)
    ):
        raise ReprimandError(
            "complaint_ids", str(_l("Cite only complaints and enrolments of this agency."))
        )
    if not complaints and not enrolments:
        raise ReprimandError(
            "complaint_ids",
            str(_l("Cite at least one overdue complaint or slow enrolment as the reason.")),
        )
    return agency, complaints, enrolments


def check_issue(draft: ReprimandDraft, user: User) -> tuple[Agency, list, list]:
    """Refuse a letter `issue` would refuse; changes nothing. Returns the addressed agency and
    the complaints and enrolments it cites."""
    if user.role != Role.LABOUR_HEAD:
        raise NotAllowed()
    return _validate(draft, today_wib())


def issue(draft: ReprimandDraft, user: User, parent: Reprimand | None = None) -> Reprimand:
    """Labour head: issue a numbered reprimand letter; the addressed agency's heads are told.

    Raises NotAllowed (not the labour head) or ReprimandError (no cited reason, no or past
    deadline, wrong agency, bad level). The caller commits.
    """
    agency, complaints, enrolments = check_issue(draft, user)
    today = today_wib()
    now = utcnow()
    pattern = setting("reprimand_number_pattern", DEFAULT_NUMBER_PATTERN)
    year = today.year
    seq = 0
    for _attempt in range(10):
        # Re-read the year's highest number each time (a concurrent issue may have committed
        # one) and never reuse a number that just collided (e.g. an imported legacy letter).
        highest = db.session.scalar(
            select(func.max(Reprimand.letter_seq)).where(Reprimand.letter_year == year)
        )
        seq = max(highest or 0, seq) + 1
        reprimand = Reprimand(
            letter_number=format_number(pattern, seq, year, draft.level),
            letter_year=year,
            letter_seq=seq,
            issuing_agency_id=user.agency_id,
            addressed_agency_id=agency.id,
            level=draft.level,
            subject=draft.subject.strip(),
            finding=draft.finding.strip(),
            required_action=draft.required_action.strip(),
            consequence=(draft.consequence or "").strip() or None,
            deadline=draft.deadline,
            state=R.ISSUED,
            parent_id=parent.id if parent else None,
            created_by_id=user.id,
            issued_by_id=user.id,
            issued_at=now,
            complaints=complaints,
            enrolment_requests=enrolments,
        )
        try:
            with db.session.begin_nested():
                db.session.add(reprimand)
        except IntegrityError:  # another head took this number a moment ago
            continue
        break
    else:  # pragma: no cover
        raise ReprimandError("subject", str(_l("Could not number the letter; try again.")))
    _event(reprimand, user, R.DRAFT, R.ISSUED)
    record_event(
        "reprimand.issued",
        reprimand,
        {
            "number": reprimand.letter_number,
            "agency": agency.code,
            "level": reprimand.level,
            "complaints": [c.id for c in complaints],
            "enrolments": [e.id for e in enrolments],
            "parent": parent.id if parent else None,
        },
    )
    for head in agency_heads(agency.id):
        notify(
            head,
            "reprimand",
            str(
                _l(
                    "Reprimand letter %(number)s (level %(level)s) was addressed to your agency.",
                    number=reprimand.letter_number,
                    level=ROMAN[reprimand.level],
                )
            ),
            link=f"/disnaker/reprimands/{reprimand.id}",
        )
    return reprimand


def _addressed_head_guard(reprimand: Reprimand, user: User) -> None:
    if not is_addressed_head(reprimand, user):
        raise NotAllowed()


def acknowledge(reprimand: Reprimand, user: User) -> None:
    """Head of the addressed agency: confirm receipt. Raises NotAllowed or ReprimandError."""
    _addressed_head_guard(reprimand, user)
    _move(reprimand, user, R.ACKNOWLEDGED)
    reprimand.acknowledged_at = utcnow()


def respond(reprimand: Reprimand, user: User, plan: str | None) -> None:
    """Head of the addressed agency: answer with a corrective-action plan.

    Raises NotAllowed or ReprimandError (empty plan, or not acknowledged).
    """
    _addressed_head_guard(reprimand, user)
    text = (plan or "").strip()
    if not text:
        raise ReprimandError("note", str(_l("Describe the corrective-action plan.")))
    _move(reprimand, user, R.RESPONDED, text)
    reprimand.response = text
    reprimand.responded_at = utcnow()
    for head in labour_heads():
        notify(
            head,
            "reprimand_response",
            str(
                _l(
                    "%(agency)s answered reprimand %(number)s.",
                    agency=reprimand.addressed_agency.short_name,
                    number=reprimand.letter_number,
                )
            ),
            link=f"/disnaker/reprimands/{reprimand.id}",
        )


def close(reprimand: Reprimand, user: User, note: str | None) -> None:
    """Labour head: accept the answer and close. Raises NotAllowed or ReprimandError."""
    if user.role != Role.LABOUR_HEAD:
        raise NotAllowed()
    _move(reprimand, user, R.CLOSED, (note or "").strip() or None)
    reprimand.closed_at = utcnow()


def escalate(reprimand: Reprimand, user: User, draft: ReprimandDraft) -> Reprimand:
    """Labour head: close this letter as escalated and issue the next level (parent_id).

    An unanswered letter may be escalated only after its deadline. Raises NotAllowed or
    ReprimandError (already level III, deadline not passed, closed or escalated, bad draft).
    """
    check_escalation(reprimand, user, draft)
    child = issue(draft, user, parent=reprimand)
    _move(reprimand, user, R.ESCALATED, child.letter_number)
    reprimand.closed_at = utcnow()
    return child


def check_escalation(reprimand: Reprimand, user: User, draft: ReprimandDraft):
    """Refuse what `escalate` would refuse; changes nothing but the draft's level and agency
    (the next level, the same agency). Returns what `check_issue` returns."""
    if user.role != Role.LABOUR_HEAD:
        raise NotAllowed()
    refusal = escalation_refusal(reprimand, today_wib())
    if refusal is not None:
        raise refusal
    draft.level = reprimand.level + 1
    draft.addressed_agency_id = reprimand.addressed_agency_id
    return check_issue(draft, user)


def withdraw_until(reprimand: Reprimand, user: User):
    """Until when `user` may withdraw the letter; None when not (see `withdraw`)."""
    if not can("reprimand", reprimand.state, R.WITHDRAWN):
        return None
    return undo_open_until(reprimand.issued_at, reprimand.issued_by_id, user)


def withdraw(reprimand: Reprimand, user: User) -> None:
    """Labour head who issued the letter: take it back within a day of issuing, before the
    addressed agency has answered. The letter is marked withdrawn (number kept, PDF marked);
    a letter it escalated returns to the step it was in, and the addressed heads are told.

    Writes `reprimand.withdrawn` (and `reprimand.escalation_withdrawn` on the letter it
    escalated); the issuing events stay. Raises NotAllowed (not its issuer) or
    ReprimandError (answered, closed, or a day has passed).
    """
    check_undo(reprimand.issued_at, reprimand.issued_by_id, user, field="note")
    _move(reprimand, user, R.WITHDRAWN)
    reprimand.withdrawn_at = utcnow()
    parent = reprimand.parent
    if parent is not None and parent.state == R.ESCALATED:
        escalated = [e for e in parent.events if e.to_state == R.ESCALATED]
        back_to = escalated[-1].from_state if escalated else R.ISSUED
        parent.state = back_to  # the escalation did not stand (no forward step: see docstring)
        parent.closed_at = None
        _event(parent, user, R.ESCALATED, back_to, reprimand.letter_number)
        record_event(
            "reprimand.escalation_withdrawn",
            parent,
            {"from": R.ESCALATED.value, "to": back_to, "withdrawn": reprimand.letter_number},
        )
    for head in agency_heads(reprimand.addressed_agency_id):
        notify(
            head,
            "reprimand",
            str(
                _l(
                    "Reprimand letter %(number)s was withdrawn by the labour office.",
                    number=reprimand.letter_number,
                )
            ),
            link=f"/disnaker/reprimands/{reprimand.id}",
        )


def awaiting_answer(reprimand: Reprimand) -> bool:
    return reprimand.state in AWAITING_ANSWER


def escalation_refusal(reprimand: Reprimand, today: date) -> ReprimandError | None:
    """Why the letter cannot be escalated today, or None when it can."""
    if reprimand.level >= 3:
        return ReprimandError("level", str(_l("Level III is the highest; close the letter.")))
    if awaiting_answer(reprimand) and today <= reprimand.deadline:
        return ReprimandError("note", str(_l("Wait for the answer until the deadline has passed.")))
    if not can("reprimand", reprimand.state, R.ESCALATED):
        return ReprimandError(
            None, str(_l("This letter cannot be escalated in its current state."))
        )
    return None


def is_addressed_head(reprimand: Reprimand, user: User) -> bool:
    """The head of the agency the letter is addressed to."""
    agency = reprimand.addressed_agency
    return user.agency_id == agency.id and user.role == HEAD_OF.get(agency.code)


@dataclass(frozen=True)
class LetterSteps:
    """Which steps `user` may take on a letter now (what the page offers)."""

    acknowledge: bool
    respond: bool
    close: bool
    escalate: bool
    #: Unanswered and past its deadline.
    overdue: bool
    #: Until when the issuer may still withdraw it (None: not this user, or not any more).
    withdraw_until: object = None


def letter_steps(reprimand: Reprimand, user: User, today: date | None = None) -> LetterSteps:
    today = today or today_wib()
    head = is_addressed_head(reprimand, user)
    labour_head = user.role == Role.LABOUR_HEAD
    state = reprimand.state
    return LetterSteps(
        acknowledge=head and can("reprimand", state, R.ACKNOWLEDGED),
        respond=head and can("reprimand", state, R.RESPONDED),
        close=labour_head and can("reprimand", state, R.CLOSED),
        escalate=labour_head and escalation_refusal(reprimand, today) is None,
        overdue=awaiting_answer(reprimand) and today > reprimand.deadline,
        withdraw_until=withdraw_until(reprimand, user),
    )
