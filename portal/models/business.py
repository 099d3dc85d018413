"""Businesses, workers and the employments that join them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, one_of, utcnow
from .identity import User
from .reference import Region, Sector

if TYPE_CHECKING:
    from .enrolment import EnrolmentRequest


class BusinessScale(StrEnum):
    MIKRO = "mikro"
    KECIL = "kecil"
    MENENGAH = "menengah"


class VerificationState(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class WorkerCategory(StrEnum):
    PU = "PU"  # wage earner (penerima upah)
    BPU = "BPU"  # informal (bukan penerima upah)
    RENTAN = "rentan"  # vulnerable, usually funded by APBD
    SAWIT = "sawit"  # smallholder palm-oil worker


class RiskClass(StrEnum):
    SANGAT_RENDAH = "sangat_rendah"
    RENDAH = "rendah"
    SEDANG = "sedang"
    TINGGI = "tinggi"
    SANGAT_TINGGI = "sangat_tinggi"


class Business(db.Model):
    __tablename__ = "businesses"
    __table_args__ = (
        one_of("scale", [s.value for s in BusinessScale], "scale_known"),
        one_of("verification_state", [s.value for s in VerificationState], "state_known"),
        CheckConstraint("length(nib) = 13", name="nib_length"),
        one_of("risk_class", [r.value for r in RiskClass], "risk_class_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nib: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # Null while a business registered in the field waits for its owner to sign up.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"), index=True)
    scale: Mapped[str] = mapped_column(String(10), index=True)
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(20))
    npp: Mapped[str | None] = mapped_column(String(15), unique=True)
    # JKK risk class of the business's line of activity (PP 44/2015 annex I): chosen by the
    # owner, reviewed by BPJS. Null until chosen: no dues are computed from a guessed class.
    risk_class: Mapped[str | None] = mapped_column(String(15))
    risk_class_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    risk_class_reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verification_state: Mapped[str] = mapped_column(
        String(10), default=VerificationState.PENDING, index=True
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)  # funnel
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Optimistic locking: a stale form cannot overwrite a newer change.
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    risk_class_reviewed_by: Mapped[User | None] = relationship(
        foreign_keys=[risk_class_reviewed_by_id]
    )
    sector: Mapped[Sector] = relationship()
    kelurahan: Mapped[Region] = relationship()

    @property
    def is_verified(self) -> bool:
        return self.verification_state == VerificationState.VERIFIED

    @property
    def is_pending(self) -> bool:
        """Waiting for the trade office's verification."""
        return self.verification_state == VerificationState.PENDING

    @property
    def is_rejected(self) -> bool:
        """Rejected by the trade office: the owner corrects and resubmits it."""
        return self.verification_state == VerificationState.REJECTED

    @property
    def is_field_registered(self) -> bool:
        """Registered in the field by trade-office staff (not by its owner himself, who is
        stored as `registered_by` too)."""
        return self.registered_by_id is not None and self.registered_by_id != self.owner_id

    @property
    def has_risk_class(self) -> bool:
        return self.risk_class is not None

    @property
    def risk_class_reviewed(self) -> bool:
        """BPJS has reviewed (confirmed or changed) the class the owner chose."""
        return self.risk_class_reviewed_at is not None

    def __str__(self) -> str:
        return self.name


class BusinessInvitation(db.Model):
    """A one-time sign-up link attaching a field-registered business to its owner."""

    __tablename__ = "business_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    business: Mapped[Business] = relationship()


class Worker(db.Model):
    """One person, identified by NIK. Identity only: what a business records is on Employment.

    Contact fields here are the worker's own (self-registration, funded batches).
    """

    __tablename__ = "workers"
    __table_args__ = (
        CheckConstraint("length(nik) = 16", name="nik_length"),
        one_of("sex", ["L", "P"], "sex_known"),
        one_of("category", [c.value for c in WorkerCategory], "category_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date]
    sex: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(20))
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    occupation: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(10), default=WorkerCategory.BPU, index=True)
    # The portal account of the person himself (a worker, or an owner registered as BPU).
    account_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    kelurahan: Mapped[Region | None] = relationship()

    def __str__(self) -> str:
        return self.full_name


class Employment(db.Model):
    """What one business records about one worker: their job, pay and chosen programmes."""

    __tablename__ = "employments"
    __table_args__ = (
        UniqueConstraint("business_id", "worker_id"),
        # The employer's employee list: one business, ordered by name.
        Index("ix_employments_business_name", "business_id", "full_name"),
        one_of("category", [WorkerCategory.PU.value, WorkerCategory.BPU.value], "category_known"),
        CheckConstraint("monthly_amount > 0", name="amount_positive"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))  # as this business recorded it
    phone: Mapped[str | None] = mapped_column(String(20))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    occupation: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(10), index=True)
    # Wage (PU) or declared income (BPU), whole rupiah per month.
    monthly_amount: Mapped[int] = mapped_column(BigInteger)
    # Programmes this job is covered by: the business's required ones (its scale) plus any
    # the owner added voluntarily; JP never at or past the pension age.
    with_jht: Mapped[bool] = mapped_column(default=False)
    with_jp: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date]
    end_date: Mapped[date | None] = mapped_column(index=True)
    end_reason: Mapped[str | None] = mapped_column(String(200))
    # When the owner entered the last day: the end can be taken back for a day after it.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    business: Mapped[Business] = relationship()
    worker: Mapped[Worker] = relationship()
    kelurahan: Mapped[Region] = relationship()
    # Read-only view of this employment's enrolment requests, newest first (employer pages).
    enrolment_requests: Mapped[list[EnrolmentRequest]] = relationship(
        "EnrolmentRequest",
        primaryjoin="Employment.id == foreign(EnrolmentRequest.employment_id)",
        order_by="EnrolmentRequest.id.desc()",
        viewonly=True,
    )

    @property
    def is_current(self) -> bool:
        """No last day entered: the owner may still edit the job or end it."""
        return self.end_date is None

    @hybrid_method
    def working_after(self, day: date) -> bool:
        """Still employed after `day`: no last day, or one still to come (a leaver-to-be).

        The one rule for counts, filters and pages (SQL through the expression below)."""
        return self.end_date is None or self.end_date > day

    @working_after.inplace.expression
    @classmethod
    def _working_after_expression(cls, day: date):
        return or_(cls.end_date.is_(None), cls.end_date > day)

    def leaving_after(self, day: date) -> bool:
        """A last day is entered and still to come."""
        return self.end_date is not None and self.end_date > day

    @property
    def latest_request(self) -> EnrolmentRequest | None:
        return self.enrolment_requests[0] if self.enrolment_requests else None

    @property
    def offered_for_enrolment(self) -> bool:
        """The business page offers it for submission: current, and never submitted or
        only rejected last time."""
        latest = self.latest_request
        return self.is_current and (latest is None or latest.is_rejected)


class UploadState(StrEnum):
    CHECKING = "checking"  # rows stored, dry run still going
    CHECKED = "checked"  # dry run finished: the owner may confirm
    CONFIRMED = "confirmed"  # clean rows saved
    DISCARDED = "discarded"


class UploadRowOutcome(StrEnum):
    PENDING = "pending"  # not checked yet
    NEW = "new"  # a new worker and employment will be created
    LINK = "link"  # the worker exists (other business): only the employment is created
    UNCHANGED = "unchanged"  # already registered here with the same data: nothing to do
    ERROR = "error"


class EmployeeUpload(db.Model):
    """A bulk employee file between its dry run and the owner's confirmation.

    The parsed rows live server-side (`EmployeeUploadRow`), keyed by a random token and the
    file's SHA-256, so confirming never trusts anything the browser sends back.
    """

    __tablename__ = "employee_uploads"
    __table_args__ = (one_of("state", [s.value for s in UploadState], "state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(10), default=UploadState.CHECKING, index=True)
    total_rows: Mapped[int] = mapped_column(default=0)
    checked_rows: Mapped[int] = mapped_column(default=0)
    new_rows: Mapped[int] = mapped_column(default=0)
    link_rows: Mapped[int] = mapped_column(default=0)
    unchanged_rows: Mapped[int] = mapped_column(default=0)
    error_rows: Mapped[int] = mapped_column(default=0)
    saved_rows: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    business: Mapped[Business] = relationship()

    @property
    def clean_rows(self) -> int:
        return self.new_rows + self.link_rows

    @property
    def is_checking(self) -> bool:
        return self.state == UploadState.CHECKING

    @property
    def is_checked(self) -> bool:
        """Dry run finished, not saved yet: the owner may confirm."""
        return self.state == UploadState.CHECKED

    @property
    def is_confirmed(self) -> bool:
        return self.state == UploadState.CONFIRMED


class EmployeeUploadRow(db.Model):
    """One data line of an uploaded file: the cells as read and what the dry run found."""

    __tablename__ = "employee_upload_rows"
    __table_args__ = (
        UniqueConstraint("upload_id", "line_no"),
        one_of("outcome", [o.value for o in UploadRowOutcome], "outcome_known"),
        Index("ix_employee_upload_rows_upload_outcome", "upload_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("employee_uploads.id", ondelete="CASCADE"))
    line_no: Mapped[int]
    cells: Mapped[str] = mapped_column(Text)  # JSON object: field name -> text as read
    outcome: Mapped[str] = mapped_column(String(10), default=UploadRowOutcome.PENDING)
    problems: Mapped[str | None] = mapped_column(Text)  # JSON list of [field, code, params]

    @property
    def is_error(self) -> bool:
        return self.outcome == UploadRowOutcome.ERROR
