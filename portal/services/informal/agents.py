"""Field agents and their people: areas, registration in the field, the portfolio.

Rules (one place):
- A field agent is created by BPJS staff and attached to one or more kelurahan
  (`AgentArea`); he registers only people living in them (anything else is refused).
- Consent: every person registered by an agent either ticks consent with his own name as on
  the form (case and spaces do not matter) or the agent uploads a photo of the signed consent
  statement (JPEG/PNG, at most 2 MB).
- An agent sees only the people he registered (`registered_by_id`): anyone else is "not
  found".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    AgentArea,
    EnrolmentChannel,
    EnrolmentRequest,
    FundingSource,
    Membership,
    MembershipState,
    Region,
    Role,
    User,
    Worker,
)
from ..accounts.passwords import hash_password, password_problem
from ..accounts.users import AccountError, normalise_email
from ..audit.trail import record_event
from ..enrolment.own_account import OwnAccountInput, register_own_account
from ..errors import InvalidInput, NotFound
from ..membership.common import period_key
from ..membership.dues import DueMonth, lapse_due, payments_by_membership, schedule
from ..pages import page_of
from ..reference.lookups import setting_int

MAX_CONSENT_PHOTO = 2 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png"}


# --- Agents and their kelurahan ---------------------------------------------------------------


def agent_area_codes(agent_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AgentArea.kelurahan_code)
            .where(AgentArea.agent_id == agent_id)
            .order_by(AgentArea.kelurahan_code)
        )
    )


def agent_area_choices(agent_id: int) -> list[tuple[str, str]]:
    """The agent's kelurahan by name (the only ones his form offers)."""
    rows = db.session.execute(
        select(Region.code, Region.name)
        .join(AgentArea, AgentArea.kelurahan_code == Region.code)
        .where(AgentArea.agent_id == agent_id)
        .order_by(Region.name)
    )
    return [(code, name) for code, name in rows]


def create_agent(
    name: str, email: str, phone: str | None, password: str, kelurahan: list[str], actor: User
) -> User:
    """BPJS staff create a field agent attached to kelurahan. Writes `agent.created`.

    Raises InvalidInput: email taken, weak password, no or unknown kelurahan.
    """
    problems: list[tuple[str, str]] = []
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        problems.append(("email", _("An account with this email already exists.")))
    weak = password_problem(password, email=email, name=name)
    if weak:
        problems.append(("password", weak))
    known = set(
        db.session.scalars(
            select(Region.code).where(Region.code.in_(kelurahan), Region.level == "kelurahan")
        )
    )
    if not kelurahan or known != set(kelurahan):
        problems.append(("kelurahan", _("Choose at least one kelurahan of Kota Singkawang.")))
    if problems:
        raise InvalidInput(problems)
    agent = User(
        name=name,
        email=email,
        phone=phone or None,
        role=Role.FIELD_AGENT.value,
        password_hash=hash_password(password),
    )
    try:
        with db.session.begin_nested():
            db.session.add(agent)
            db.session.flush()
    except IntegrityError as exc:
        raise AccountError("email", "email_taken") from exc
    db.session.add_all(AgentArea(agent_id=agent.id, kelurahan_code=code) for code in sorted(known))
    db.session.flush()
    record_event("agent.created", agent, {"kelurahan": sorted(known), "by": actor.email})
    return agent


def agent_areas(agent_ids: list[int]) -> dict[int, list[str]]:
    """The kelurahan names of each of these field agents, by name (one query)."""
    names: dict[int, list[str]] = {agent_id: [] for agent_id in agent_ids}
    for agent_id, name in db.session.execute(
        select(AgentArea.agent_id, Region.name)
        .join(Region, Region.code == AgentArea.kelurahan_code)
        .where(AgentArea.agent_id.in_(agent_ids or [-1]))
        .order_by(Region.name)
    ):
        names[agent_id].append(name)
    return names


# --- Registering people in the field ----------------------------------------------------------


def _same_name(a: str, b: str) -> bool:
    return " ".join((a or "").lower().split()) == " ".join((b or "").lower().split())


def register_person(
    agent: User,
    data: OwnAccountInput,
    *,
    consent: bool,
    consent_name: str,
    photo: bytes | None = None,
    photo_type: str | None = None,
) -> EnrolmentRequest:
    """One person registered by a field agent: BPU request in BPJS's queue (channel
    field_agent). Raises InvalidInput (fields, kelurahan outside the agent's, consent) or
    `own_account.DuplicatePerson` (named at once). Writes `enrolment.submitted`."""
    problems: list[tuple[str, str]] = []
    if data.kelurahan_code and data.kelurahan_code not in agent_area_codes(agent.id):
        problems.append(
            ("kelurahan_code", _("This kelurahan is outside your area: you cannot register here."))
        )
    if photo:
        if len(photo) > MAX_CONSENT_PHOTO or photo_type not in PHOTO_TYPES:
            problems.append(("consent_photo", _("Upload a JPEG or PNG photo of at most 2 MB.")))
    elif not consent:
        problems.append(
            ("consent", _("Tick the consent with the person's name, or upload a photo of it."))
        )
    elif not _same_name(consent_name, data.full_name):
        problems.append(
            ("consent_name", _("Write the person's name exactly as in the form above."))
        )
    if problems:
        raise InvalidInput(problems)
    return register_own_account(
        data,
        channel=EnrolmentChannel.FIELD_AGENT,
        agent=agent,
        consent_name=None if photo else consent_name.strip(),
        consent_photo=photo or None,
        consent_photo_type=photo_type if photo else None,
        consent_photo_sha256=hashlib.sha256(photo).hexdigest() if photo else None,
    )


def sitting_requests(agent_id: int, ids: list[int]) -> list[EnrolmentRequest]:
    """The requests saved in this sitting (ids kept in the agent's session), his own only."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(EnrolmentRequest)
            .where(
                EnrolmentRequest.id.in_(ids[-200:]), EnrolmentRequest.registered_by_id == agent_id
            )
            .options(joinedload(EnrolmentRequest.worker))
            .order_by(EnrolmentRequest.id)
        )
    )


# --- The portfolio ----------------------------------------------------------------------------


@dataclass
class PortfolioLine:
    request: EnrolmentRequest
    membership: Membership | None
    this_month: DueMonth | None
    lapses_on: date | None

    @property
    def is_due_this_month(self) -> bool:
        return (
            self.this_month is not None
            and self.this_month.paid is None
            and self.this_month.amount > 0
        )

    @property
    def is_lapsing(self) -> bool:
        """Unpaid months will lapse the membership within this month."""
        if self.lapses_on is None or self.membership is None or self.membership.is_lapsed:
            return False
        today = today_wib()
        return (self.lapses_on.year, self.lapses_on.month) == (today.year, today.month)


@dataclass
class Portfolio:
    page: Pagination
    lines: list[PortfolioLine]


def agent_portfolio(agent_id: int, page: object = 1) -> Portfolio:
    """One page of the agent's people with their state, dues this month and lapse date.

    Fixed number of queries (the page, its count, its memberships, their payments).
    """
    found = page_of(
        select(EnrolmentRequest)
        .where(EnrolmentRequest.registered_by_id == agent_id)
        .options(joinedload(EnrolmentRequest.worker))
        .order_by(EnrolmentRequest.id.desc()),
        page,
    )
    requests = list(found.items)
    memberships = {
        m.enrolment_request_id: m
        for m in db.session.scalars(
            select(Membership).where(
                Membership.enrolment_request_id.in_([r.id for r in requests] or [-1])
            )
        )
    }
    paid = payments_by_membership(m.id for m in memberships.values())
    today = today_wib()
    grace = setting_int("membership_grace_days", 30)
    lines = []
    for request in requests:
        membership = memberships.get(request.id)
        this_month = lapses = None
        if membership is not None and not membership.is_ended and not membership.is_funded:
            months = schedule(membership, paid[membership.id], today)
            this_month = months[0] if months else None
            lapses = lapse_due(months, today, grace)
        lines.append(PortfolioLine(request, membership, this_month, lapses))
    return Portfolio(found, lines)


def agent_membership(agent_id: int, membership_id: int) -> Membership:
    """A membership of one of the agent's people; NotFound for anyone else's."""
    membership = db.session.scalar(
        select(Membership)
        .join(EnrolmentRequest, EnrolmentRequest.id == Membership.enrolment_request_id)
        .where(Membership.id == membership_id, EnrolmentRequest.registered_by_id == agent_id)
    )
    if membership is None:
        raise NotFound()
    return membership


def current_period() -> str:
    return period_key(today_wib())


def consent_photo_of(request_id: int) -> tuple[bytes, str]:
    """The consent photo an agent uploaded for a request; NotFound when there is none."""
    row = db.session.execute(
        select(EnrolmentRequest.consent_photo, EnrolmentRequest.consent_photo_type).where(
            EnrolmentRequest.id == request_id, EnrolmentRequest.consent_photo.is_not(None)
        )
    ).first()
    if row is None:
        raise NotFound()
    return row[0], row[1] or "application/octet-stream"


def agent_member_choices(agent_id: int, limit: int = 1000) -> list[tuple[int, str]]:
    """The agent's people with a running self-paid membership, for the cash form (one query)."""
    rows = db.session.execute(
        select(Membership.id, Worker.full_name, Membership.kpj)
        .join(EnrolmentRequest, EnrolmentRequest.id == Membership.enrolment_request_id)
        .join(Worker, Worker.id == Membership.worker_id)
        .where(
            EnrolmentRequest.registered_by_id == agent_id,
            Membership.state != MembershipState.ENDED.value,
            Membership.funding_source == FundingSource.SELF.value,
        )
        .order_by(Worker.full_name)
        .limit(limit)
    )
    return [(membership_id, f"{name} · {kpj}") for membership_id, name, kpj in rows]
