"""Informal workers' own door: occupations, field agents' kelurahan and cash they collect."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, one_of, utcnow
from .enrolment import Membership
from .identity import User
from .reference import Region


class Occupation(db.Model):
    """An occupation an informal worker can choose (reference list an admin edits)."""

    __tablename__ = "occupations"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # "lainnya": the person writes his occupation in words.
    asks_text: Mapped[bool] = mapped_column(default=False)

    def __str__(self) -> str:
        return self.name_id


class AgentArea(db.Model):
    """A kelurahan a field agent works in (BPJS staff attach agents to kelurahan)."""

    __tablename__ = "agent_areas"
    __table_args__ = (UniqueConstraint("agent_id", "kelurahan_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agent: Mapped[User] = relationship()
    kelurahan: Mapped[Region] = relationship()


class CollectionState(StrEnum):
    RECORDED = "recorded"  # the agent took the cash; BPJS has not confirmed it yet
    CONFIRMED = "confirmed"  # BPJS confirmed it: the months are paid
    REFUSED = "refused"  # BPJS did not receive it


class CashCollection(db.Model):
    """Cash a field agent collected from a member for one or more months, with its receipt."""

    __tablename__ = "cash_collections"
    __table_args__ = (
        # A receipt is recorded once: the same receipt twice is refused.
        UniqueConstraint("receipt_no", name="uq_cash_collections_receipt"),
        one_of("state", [s.value for s in CollectionState], "state_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("months > 0 AND months <= 12", name="months_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    receipt_no: Mapped[str] = mapped_column(String(40))
    amount: Mapped[int] = mapped_column(BigInteger)
    first_period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    months: Mapped[int]
    collected_on: Mapped[date] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(10), default=CollectionState.RECORDED, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agent: Mapped[User] = relationship(foreign_keys=[agent_id])
    membership: Mapped[Membership] = relationship()

    @property
    def is_recorded(self) -> bool:
        return self.state == CollectionState.RECORDED

    @property
    def is_confirmed(self) -> bool:
        return self.state == CollectionState.CONFIRMED


class MemberNotice(db.Model):
    """A reminder sent to a member (due, missed, lapse, funded batch ending), once per key.

    The unique `dedupe_key` makes the daily sweep idempotent also for people without a portal
    account (reached by SMS/WhatsApp only); `channels` records where it went.
    """

    __tablename__ = "member_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(100), unique=True)
    channels: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ContinuationChoice(StrEnum):
    CONTINUE = "continue"  # keeps paying himself from the month after the batch
    STOP = "stop"


class BatchContinuation(db.Model):
    """What a funded member chose before his batch ends (one choice per funded membership)."""

    __tablename__ = "batch_continuations"
    __table_args__ = (one_of("choice", [c.value for c in ContinuationChoice], "choice_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), unique=True)
    choice: Mapped[str] = mapped_column(String(10))
    # The terms chosen for the self-paid membership (declared income, JHT on top of JKK + JKM).
    monthly_amount: Mapped[int | None] = mapped_column(BigInteger)
    with_jht: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when BPJS entered the KPJ its system issued and the self-paid membership began.
    new_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id"))
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    membership: Mapped[Membership] = relationship(foreign_keys=[membership_id])
    new_membership: Mapped[Membership | None] = relationship(foreign_keys=[new_membership_id])

    @property
    def is_continue(self) -> bool:
        return self.choice == ContinuationChoice.CONTINUE
