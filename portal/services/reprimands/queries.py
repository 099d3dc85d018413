"""What the reprimand pages list and open, and who may read which letter.

Row scoping is decided here, once: the labour office reads every letter; the head of an
agency reads the letters addressed to their agency only. A letter the user may not read is
"not found" (404), never "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    OPEN_ENROLMENT_STATES,
    Agency,
    Complaint,
    EnrolmentRequest,
    Reprimand,
    ReprimandEvent,
    Role,
    User,
)
from ..access import LABOUR
from ..complaints.oversight import overdue
from ..errors import NotFound
from ..pages import page_of
from .workflow import HEAD_OF, OPEN_STATES, LetterSteps, cites_enrolments, letter_steps

#: Who reads letters: the labour office, and the heads of the agencies letters go to.
READERS = LABOUR | {Role.BPJS_HEAD.value, Role.TRADE_HEAD.value}
#: At most this many overdue items are offered for citing in one letter.
CANDIDATE_LIMIT = 200


def reads_letters(user: User) -> bool:
    return user.is_authenticated and user.role in READERS


def issues_letters(user: User) -> bool:
    return user.is_authenticated and user.role == Role.LABOUR_HEAD


def scope_reprimands(stmt: Select, user: User) -> Select:
    """Labour office: all letters. An agency head: letters addressed to their agency only."""
    if user.role in LABOUR:
        return stmt
    return stmt.where(Reprimand.addressed_agency_id == user.agency_id)


def is_open_letter():
    """SQL: a letter not yet closed or escalated (the start page's count and its list)."""
    return Reprimand.state.in_([s.value for s in OPEN_STATES])


def reprimand_page(user: User, page: object = 1, *, open_only: bool = False) -> Pagination:
    """The letters `user` may read (only open ones with `open_only`), newest first."""
    stmt = scope_reprimands(select(Reprimand), user)
    if open_only:
        stmt = stmt.where(is_open_letter())
    stmt = stmt.options(joinedload(Reprimand.addressed_agency)).order_by(
        Reprimand.issued_at.desc(), Reprimand.id.desc()
    )
    return page_of(stmt, page)


def load_reprimand(reprimand_id: int, user: User) -> Reprimand:
    """The letter with what its page and PDF show; NotFound when absent or not `user`'s to
    read."""
    reprimand = db.session.scalar(
        scope_reprimands(select(Reprimand).where(Reprimand.id == reprimand_id), user).options(
            joinedload(Reprimand.issuing_agency),
            joinedload(Reprimand.addressed_agency),
            joinedload(Reprimand.parent),
            selectinload(Reprimand.escalations),
            selectinload(Reprimand.complaints),
            selectinload(Reprimand.enrolment_requests).joinedload(EnrolmentRequest.business),
            selectinload(Reprimand.events).joinedload(ReprimandEvent.actor),
        )
    )
    if reprimand is None:
        raise NotFound()
    return reprimand


def open_letter_count() -> int:
    """Letters not yet closed or escalated."""
    return db.session.scalar(select(func.count(Reprimand.id)).where(is_open_letter()))


def signer(reprimand: Reprimand) -> User | None:
    """Who signed the letter (its issuer)."""
    return db.session.get(User, reprimand.issued_by_id) if reprimand.issued_by_id else None


# --- Issuing and escalating ----------------------------------------------------------------


def addressable_agencies() -> list[Agency]:
    """The agencies a letter may be addressed to (the labour office cannot reprimand itself)."""
    agencies = db.session.scalars(select(Agency).order_by(Agency.id))
    return [a for a in agencies if a.code in HEAD_OF]


def candidates(agency: Agency) -> tuple[list[Complaint], list[EnrolmentRequest]]:
    """What a letter to `agency` may cite: its overdue complaints and, for BPJS, the open
    enrolment requests past their deadline (oldest deadline first, at most CANDIDATE_LIMIT
    each)."""
    today = today_wib()
    complaints = db.session.scalars(
        select(Complaint)
        .where(overdue(today), Complaint.agency_id == agency.id)
        .order_by(Complaint.sla_due)
        .limit(CANDIDATE_LIMIT)
    ).all()
    enrolments: list[EnrolmentRequest] = []
    if cites_enrolments(agency):
        enrolments = db.session.scalars(
            select(EnrolmentRequest)
            .where(
                EnrolmentRequest.state.in_([s.value for s in OPEN_ENROLMENT_STATES]),
                EnrolmentRequest.sla_due < today,
            )
            .options(joinedload(EnrolmentRequest.business))
            .order_by(EnrolmentRequest.sla_due)
            .limit(CANDIDATE_LIMIT)
        ).all()
    return list(complaints), enrolments


def escalation_candidates(parent: Reprimand) -> tuple[list[Complaint], list[EnrolmentRequest]]:
    """What the next letter may cite: what the parent cited (even if no longer overdue) and
    what is overdue now."""
    complaints, enrolments = candidates(parent.addressed_agency)
    complaints = list({c.id: c for c in [*parent.complaints, *complaints]}.values())
    enrolments = list({e.id: e for e in [*parent.enrolment_requests, *enrolments]}.values())
    return complaints, enrolments


# --- A letter's page -----------------------------------------------------------------------


def timeline(reprimand: Reprimand) -> list[tuple[Reprimand, ReprimandEvent]]:
    """Every step of the letter's whole chain (level I → its escalations), oldest first.

    An escalation is a new letter (parent_id), so a chain has at most three letters; a
    letter on its own costs no query beyond the page's, a chain one more.
    """
    chain = [reprimand]
    while chain[0].parent is not None:
        chain.insert(0, chain[0].parent)
    while chain[-1].escalations:
        chain.append(min(chain[-1].escalations, key=lambda r: r.id))
    if len(chain) == 1:
        return [(reprimand, e) for e in reprimand.events]
    letters = {r.id: r for r in chain}
    events = db.session.scalars(
        select(ReprimandEvent)
        .where(ReprimandEvent.reprimand_id.in_(letters))
        .options(joinedload(ReprimandEvent.actor).joinedload(User.agency))
        .order_by(ReprimandEvent.at, ReprimandEvent.id)
    ).all()
    return [(letters[e.reprimand_id], e) for e in events]


@dataclass(frozen=True)
class LetterView:
    """A letter's page: its chain's timeline and the steps `user` may take."""

    timeline: list[tuple[Reprimand, ReprimandEvent]]
    chained: bool
    steps: LetterSteps


def letter_view(reprimand: Reprimand, user: User, today: date | None = None) -> LetterView:
    steps = timeline(reprimand)
    return LetterView(
        timeline=steps,
        chained=any(letter.id != reprimand.id for letter, _e in steps),
        steps=letter_steps(reprimand, user, today),
    )
