"""Field agents' monthly report and the BPU figures of the dashboard.

Every function runs a fixed number of queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select

from ...domain.clock import WIB, today_wib
from ...domain.contributions import basis_points_of
from ...extensions import db
from ...models import (
    CashCollection,
    CollectionState,
    ContributionPayment,
    EnrolmentChannel,
    EnrolmentRequest,
    FundingSource,
    Membership,
    MembershipState,
    Role,
    User,
)
from ..membership.common import add_months, parse_period, period_key
from ..pages import page_of
from ..reference.lookups import setting_int
from .agents import agent_areas
from .retention import Retention, retention_of


@dataclass
class AgentReport:
    agent: User
    month: str
    registered: int  # people registered in the month
    registered_total: int
    active: int  # his people with an active membership now
    retention: Retention
    collected: int  # cash BPJS confirmed, collected in the month
    fee_bp: int

    @property
    def fee(self) -> int:
        return basis_points_of(self.collected, self.fee_bp)


def report_month(raw: str | None) -> str:
    """A YYYY-MM month to report on (this month when missing or unreadable)."""
    month = parse_period(raw or "")
    return period_key(month or today_wib())


def _agent_reports(agents: list[User], month: str) -> list[AgentReport]:
    first = parse_period(month)
    after = add_months(first, 1)
    first_at, after_at = _wib_midnight(first), _wib_midnight(after)
    ids = [a.id for a in agents]
    registered: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    in_month = case((EnrolmentRequest.created_at >= first_at, 1), else_=0)
    for agent_id, month_count, total in db.session.execute(
        select(
            EnrolmentRequest.registered_by_id,
            func.coalesce(func.sum(in_month), 0),
            func.count(EnrolmentRequest.id),
        )
        .where(
            EnrolmentRequest.registered_by_id.in_(ids),
            EnrolmentRequest.created_at < after_at,
        )
        .group_by(EnrolmentRequest.registered_by_id)
    ):
        registered[agent_id] = [int(month_count), int(total)]
    members: dict[int, list[Membership]] = defaultdict(list)
    rows = db.session.execute(
        select(EnrolmentRequest.registered_by_id, Membership)
        .join(Membership, Membership.enrolment_request_id == EnrolmentRequest.id)
        .where(EnrolmentRequest.registered_by_id.in_(ids))
    )
    for agent_id, membership in rows:
        members[agent_id].append(membership)
    paid = _periods_paid([m.id for ms in members.values() for m in ms])
    collected = dict(
        db.session.execute(
            select(CashCollection.agent_id, func.sum(CashCollection.amount))
            .where(
                CashCollection.agent_id.in_(ids),
                CashCollection.state == CollectionState.CONFIRMED.value,
                CashCollection.collected_on >= first,
                CashCollection.collected_on < after,
            )
            .group_by(CashCollection.agent_id)
        ).all()
    )
    fee_bp = setting_int("agent_fee_bp", 500)
    today = min(today_wib(), after)
    out = []
    for agent in agents:
        own = members.get(agent.id, [])
        self_paid = [m for m in own if m.funding_source == FundingSource.SELF.value]
        out.append(
            AgentReport(
                agent=agent,
                month=month,
                registered=registered[agent.id][0],
                registered_total=registered[agent.id][1],
                active=sum(m.state == MembershipState.ACTIVE.value for m in own),
                retention=retention_of(
                    ((m.start_date, paid.get(m.id, ())) for m in self_paid), today
                ),
                collected=int(collected.get(agent.id) or 0),
                fee_bp=fee_bp,
            )
        )
    return out


def _wib_midnight(day: date) -> datetime:
    """The instant a WIB calendar day starts (the month boundaries of the report)."""
    return datetime.combine(day, time(0), tzinfo=WIB).astimezone(UTC)


def _periods_paid(ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for membership_id, period in db.session.execute(
        select(ContributionPayment.membership_id, ContributionPayment.period).where(
            ContributionPayment.membership_id.in_(ids or [-1])
        )
    ):
        out[membership_id].add(period)
    return out


def agent_report(agent: User, month: str) -> AgentReport:
    return _agent_reports([agent], month)[0]


@dataclass
class AgentResults:
    """One page of field agents for BPJS: each one's figures and kelurahan."""

    page: Pagination
    reports: list[AgentReport]
    areas: dict[int, list[str]]


def agent_results(month: str, page: object = 1) -> AgentResults:
    """A page of field agents by name with their month's figures (a fixed number of queries
    whatever the number of agents)."""
    found = page_of(
        select(User).where(User.role == Role.FIELD_AGENT.value).order_by(User.name, User.id),
        page,
    )
    agents = list(found.items)
    return AgentResults(found, _agent_reports(agents, month), agent_areas([a.id for a in agents]))


def all_agent_reports(month: str) -> list[AgentReport]:
    """Every field agent's figures for the month (BPJS and the dashboard)."""
    agents = list(
        db.session.scalars(
            select(User).where(User.role == Role.FIELD_AGENT.value).order_by(User.name)
        )
    )
    return _agent_reports(agents, month)


@dataclass
class BpuChannels:
    """BPU members on their own account by how they came: self or through an agent."""

    self_registered: int
    agent_registered: int
    self_active: int
    agent_active: int
    retention: Retention


def bpu_channels(today: date | None = None) -> BpuChannels:
    """Counts for the dashboard's coverage by category (two queries)."""
    today = today or today_wib()
    rows = db.session.execute(
        select(
            EnrolmentRequest.channel,
            Membership.id,
            Membership.state,
            Membership.start_date,
            Membership.funding_source,
        )
        .join(Membership, Membership.enrolment_request_id == EnrolmentRequest.id)
        .where(
            EnrolmentRequest.channel.in_(
                [EnrolmentChannel.SELF.value, EnrolmentChannel.FIELD_AGENT.value]
            ),
            Membership.state != MembershipState.ENDED.value,
        )
    ).all()
    paid = _periods_paid([r.id for r in rows])
    counts = defaultdict(int)
    for r in rows:
        counts[r.channel] += 1
        if r.state == MembershipState.ACTIVE.value:
            counts[r.channel + "_active"] += 1
    retention = retention_of(
        (
            (r.start_date, paid.get(r.id, ()))
            for r in rows
            if r.funding_source == FundingSource.SELF.value
        ),
        today,
    )
    return BpuChannels(
        counts[EnrolmentChannel.SELF.value],
        counts[EnrolmentChannel.FIELD_AGENT.value],
        counts[EnrolmentChannel.SELF.value + "_active"],
        counts[EnrolmentChannel.FIELD_AGENT.value + "_active"],
        retention,
    )
