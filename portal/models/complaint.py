"""Complaints about public service and their timeline (after SP4N-LAPOR!)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import ReferenceList, UTCDateTime, one_of, utcnow
from .identity import Agency, User


class ComplaintState(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    WAITING_REPORTER = "waiting_reporter"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REROUTED = "rerouted"
    REJECTED = "rejected"
    REOPENED = "reopened"


class ComplaintCategory(ReferenceList, db.Model):
    """Complaint category with its resolution deadline in working days (admin-editable)."""

    __tablename__ = "complaint_categories"
    __table_args__ = (CheckConstraint("sla_working_days > 0", name="sla_positive"),)

    sla_working_days: Mapped[int]


class Complaint(db.Model):
    __tablename__ = "complaints"
    __table_args__ = (
        one_of("state", [s.value for s in ComplaintState], "state_known"),
        CheckConstraint("escalation_level BETWEEN 0 AND 3", name="escalation_range"),
        Index("ix_complaints_agency_state", "agency_id", "state"),
        # Oversight filters: late verification and the escalated list.
        Index("ix_complaints_state_verify_due", "state", "verify_due"),
        Index("ix_complaints_escalation_level", "escalation_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(20), unique=True)
    reporter_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reporter_name: Mapped[str] = mapped_column(String(120))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    reporter_email: Mapped[str | None] = mapped_column(String(254))
    hide_identity: Mapped[bool] = mapped_column(default=False)
    report_type: Mapped[str] = mapped_column(String(20), default="complaint")
    category_code: Mapped[str] = mapped_column(ForeignKey("complaint_categories.code"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=ComplaintState.SUBMITTED, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    verify_due: Mapped[date | None]
    # The WIB day the concerned agency became responsible (verification or re-routing).
    sla_started_on: Mapped[date | None]
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Resolution deadline; moved later by whole working days while the clock is paused.
    sla_due: Mapped[date | None] = mapped_column(index=True)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_working_days: Mapped[int] = mapped_column(default=0)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str | None] = mapped_column(Text)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    category: Mapped[ComplaintCategory] = relationship()
    agency: Mapped[Agency] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    reporter_user: Mapped[User | None] = relationship(foreign_keys=[reporter_user_id])
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id"
    )
    attachments: Mapped[list[ComplaintAttachment]] = relationship(
        order_by="ComplaintAttachment.id", viewonly=True
    )


class ComplaintEvent(db.Model):
    """One step on a complaint's timeline: a state change, a public answer or an internal note."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(120))
    # "staff", "reporter" or "system": the public timeline shows the agency, never staff names.
    actor_kind: Mapped[str] = mapped_column(String(10), default="staff")
    actor_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    kind: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(default=False)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    actor_agency: Mapped[Agency | None] = relationship()


class ComplaintAttachment(db.Model):
    __tablename__ = "complaint_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
