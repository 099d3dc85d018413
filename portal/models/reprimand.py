"""Inter-agency reprimand letters (*surat teguran*) and staff notifications."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, one_of, utcnow
from .complaint import Complaint
from .enrolment import EnrolmentRequest
from .identity import Agency, User


class ReprimandState(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"
    CLOSED = "closed"
    ESCALATED = "escalated"
    WITHDRAWN = "withdrawn"  # the labour head took the letter back within a day


reprimand_complaints = Table(
    "reprimand_complaints",
    db.metadata,
    Column("reprimand_id", ForeignKey("reprimands.id", ondelete="CASCADE"), primary_key=True),
    Column("complaint_id", ForeignKey("complaints.id"), primary_key=True, index=True),
)

reprimand_enrolments = Table(
    "reprimand_enrolments",
    db.metadata,
    Column("reprimand_id", ForeignKey("reprimands.id", ondelete="CASCADE"), primary_key=True),
    Column("enrolment_request_id", ForeignKey("enrolment_requests.id"), primary_key=True),
)


class Reprimand(db.Model):
    __tablename__ = "reprimands"
    __table_args__ = (
        one_of("state", [s.value for s in ReprimandState], "state_known"),
        CheckConstraint("level BETWEEN 1 AND 3", name="level_range"),
        # Per-year letter sequence; with the unique letter_number a concurrent issue retries.
        UniqueConstraint("letter_year", "letter_seq", name="uq_reprimands_letter_year_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_number: Mapped[str | None] = mapped_column(String(80), unique=True)
    letter_year: Mapped[int | None]
    letter_seq: Mapped[int | None]
    issuing_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    addressed_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    level: Mapped[int] = mapped_column(default=1)
    subject: Mapped[str] = mapped_column(String(200))
    finding: Mapped[str] = mapped_column(Text)
    required_action: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date]
    state: Mapped[str] = mapped_column(String(15), default=ReprimandState.DRAFT, index=True)
    response: Mapped[str | None] = mapped_column(Text)
    consequence: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("reprimands.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    issuing_agency: Mapped[Agency] = relationship(foreign_keys=[issuing_agency_id])
    addressed_agency: Mapped[Agency] = relationship(foreign_keys=[addressed_agency_id])
    parent: Mapped[Reprimand | None] = relationship(remote_side=[id], back_populates="escalations")
    escalations: Mapped[list[Reprimand]] = relationship(back_populates="parent")
    complaints: Mapped[list[Complaint]] = relationship(secondary=reprimand_complaints)
    enrolment_requests: Mapped[list[EnrolmentRequest]] = relationship(
        secondary=reprimand_enrolments
    )
    events: Mapped[list[ReprimandEvent]] = relationship(order_by="ReprimandEvent.id")

    @property
    def is_withdrawn(self) -> bool:
        """Taken back by the labour head: the letter does not stand."""
        return self.state == ReprimandState.WITHDRAWN


class ReprimandEvent(db.Model):
    __tablename__ = "reprimand_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    reprimand_id: Mapped[int] = mapped_column(ForeignKey("reprimands.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_state: Mapped[str | None] = mapped_column(String(15))
    to_state: Mapped[str | None] = mapped_column(String(15))
    note: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="state")

    actor: Mapped[User | None] = relationship()


class Notification(db.Model):
    """An in-app message to a staff member (assignment, reminder, overdue, reprimand)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(300))
    # Makes sweeps idempotent: the same reminder is never sent twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)
