"""Enrolment requests and the memberships (KPJ) they create."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.clock import today_wib
from ..extensions import db
from ._common import UTCDateTime, one_of, state_is, unique_where, utcnow
from .business import Business, Employment, Worker
from .identity import User


class EnrolmentState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    ENROLLED = "enrolled"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the employment ended before BPJS decided


# The state sets every page, list, count and rule uses (one definition each).
#: Not decided yet: the owner or BPJS still has to act (at most one per employment).
OPEN_ENROLMENT_STATES = (
    EnrolmentState.DRAFT,
    EnrolmentState.SUBMITTED,
    EnrolmentState.IN_REVIEW,
    EnrolmentState.RETURNED,
)
#: Waiting at BPJS: its queue, its deadline, its counts.
AT_BPJS_STATES = (EnrolmentState.SUBMITTED, EnrolmentState.IN_REVIEW)
#: BPJS has decided.
DECIDED_STATES = (EnrolmentState.ENROLLED, EnrolmentState.RETURNED, EnrolmentState.REJECTED)
#: The employment needs no new submission (open, or already enrolled).
BLOCKING_STATES = (*OPEN_ENROLMENT_STATES, EnrolmentState.ENROLLED)
_OPEN_SQL = "state IN ({})".format(", ".join(f"'{s.value}'" for s in OPEN_ENROLMENT_STATES))
_OPEN_OWN_SQL = f"employment_id IS NULL AND {_OPEN_SQL}"


class EnrolmentChannel(StrEnum):
    """How a request reached BPJS (the dashboard and portal-share figures split by it)."""

    EMPLOYER = "employer"  # an owner submitted his employee
    SELF = "self"  # the worker (or an owner for himself) registered as BPU
    FIELD_AGENT = "field_agent"  # a field agent registered the person
    FUNDED_BATCH = "funded_batch"  # a funded (APBD/CSR) batch member


#: Channels where the person registers on his own account, without an employment.
OWN_ACCOUNT_CHANNELS = (EnrolmentChannel.SELF, EnrolmentChannel.FIELD_AGENT)


class EnrolmentRequest(db.Model):
    __tablename__ = "enrolment_requests"
    __table_args__ = (
        one_of("state", [s.value for s in EnrolmentState], "state_known"),
        # At most one open request per employment: a double submit cannot create two.
        unique_where("uq_enrolment_requests_open_employment", "employment_id", where=_OPEN_SQL),
        # At most one open request per person registering on his own account (BPU): two
        # agents entering the same NIK, or a double-tapped submit, cannot create two.
        unique_where("uq_enrolment_requests_open_own", "worker_id", where=_OPEN_OWN_SQL),
        one_of("channel", [c.value for c in EnrolmentChannel], "channel_known"),
        Index("ix_enrolment_requests_state_sla_due", "state", "sla_due"),
        # An employee's requests, newest state first (employee page, end of employment).
        Index("ix_enrolment_requests_employment_state", "employment_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    employment_id: Mapped[int | None] = mapped_column(ForeignKey("employments.id"))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    category: Mapped[str] = mapped_column(String(10), index=True)
    with_jht: Mapped[bool] = mapped_column(default=False)
    with_jp: Mapped[bool] = mapped_column(default=False)
    monthly_amount: Mapped[int] = mapped_column(BigInteger)  # wage or declared income
    monthly_contribution: Mapped[int] = mapped_column(BigInteger)
    employer_share: Mapped[int] = mapped_column(BigInteger, default=0)
    worker_share: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[str] = mapped_column(String(10), default=EnrolmentState.SUBMITTED, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    sla_due: Mapped[date | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    # The state a rejection found (submitted or in review): taking it back returns there.
    state_before_decision: Mapped[str | None] = mapped_column(String(10))
    kpj: Mapped[str | None] = mapped_column(String(15))
    channel: Mapped[str] = mapped_column(
        String(15), default=EnrolmentChannel.EMPLOYER, server_default="employer", index=True
    )
    # The field agent who registered the person (channel field_agent).
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Consent to registration by an agent: the person's name as ticked, or a photo.
    consent_name: Mapped[str | None] = mapped_column(String(120))
    consent_photo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    consent_photo_type: Mapped[str | None] = mapped_column(String(40))
    # Set when `flask purge-uploads` removed the photo (decided request, past the retention
    # period); its SHA-256 stays so a kept copy can still be matched to it.
    consent_photo_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_photo_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    business: Mapped[Business | None] = relationship()
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    worker: Mapped[Worker] = relationship()
    employment: Mapped[Employment | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    is_self_registered = state_is(EnrolmentChannel.SELF, column="channel")
    is_agent_registered = state_is(EnrolmentChannel.FIELD_AGENT, column="channel")
    is_open = state_is(*OPEN_ENROLMENT_STATES)
    #: Returned by BPJS for correction: the owner may resubmit it.
    is_returned = state_is(EnrolmentState.RETURNED)
    is_rejected = state_is(EnrolmentState.REJECTED)
    is_enrolled = state_is(EnrolmentState.ENROLLED)
    #: Waiting at BPJS (submitted or in review): it can be claimed and decided.
    is_at_bpjs = state_is(*AT_BPJS_STATES)

    @property
    def is_overdue(self) -> bool:
        """Waiting at BPJS past its deadline (today in WIB)."""
        return self.is_at_bpjs and self.sla_due is not None and self.sla_due < today_wib()


class FundingSource(StrEnum):
    SELF = "self"
    EMPLOYER = "employer"
    APBD = "apbd"
    CSR = "csr"


class MembershipState(StrEnum):
    ACTIVE = "active"
    LAPSED = "lapsed"
    ENDED = "ended"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        one_of("funding_source", [f.value for f in FundingSource], "funding_known"),
        one_of("state", [s.value for s in MembershipState], "state_known"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        Index("ix_memberships_state_category", "state", "category"),
        # "Has this person a running membership?" per employee (the trade directory's
        # unenrolled-employees flag, the owner's lists): without it SQLite walks every
        # active membership for each employee.
        Index("ix_memberships_worker_state", "worker_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    # Issued by BPJS's own system and entered by its officer; the portal never makes one up.
    kpj: Mapped[str] = mapped_column(String(15), unique=True)
    # A made-up number of the demo data (`flask seed-demo`), never a real BPJS KPJ.
    kpj_is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    category: Mapped[str] = mapped_column(String(10))
    with_jht: Mapped[bool] = mapped_column(default=False)
    with_jp: Mapped[bool] = mapped_column(default=False)
    monthly_amount: Mapped[int] = mapped_column(BigInteger)
    # JKK risk class copied from the business at enrolment (PU dues depend on it).
    risk_class: Mapped[str | None] = mapped_column(String(15))
    # The terms above apply from the month they were last changed. Earlier terms, oldest
    # first: [{"until": "2026-11", "monthly_amount": …, "risk_class": …, "with_jht": …,
    # "with_jp": …}], each valid for the months before its "until" (bpjs_dues.terms_in).
    past_terms: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    funding_source: Mapped[str] = mapped_column(String(10), index=True)
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id"), index=True)
    employment_id: Mapped[int | None] = mapped_column(ForeignKey("employments.id"), index=True)
    funded_batch_id: Mapped[int | None] = mapped_column(ForeignKey("funded_batches.id"), index=True)
    enrolment_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolment_requests.id"), unique=True
    )
    # Denormalised from the worker's kelurahan at enrolment, for coverage by area.
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date | None]
    state: Mapped[str] = mapped_column(String(10), default=MembershipState.ACTIVE, index=True)
    lapsed_at: Mapped[date | None]
    # What ending the employment changed, so that taking the end back restores it exactly.
    state_before_end: Mapped[str | None] = mapped_column(String(10))
    end_date_before_end: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    worker: Mapped[Worker] = relationship()
    business: Mapped[Business | None] = relationship()
    employment: Mapped[Employment | None] = relationship()
    funded_batch: Mapped[FundedBatch | None] = relationship(back_populates="memberships")

    is_lapsed = state_is(MembershipState.LAPSED)
    is_ended = state_is(MembershipState.ENDED)

    @property
    def has_card(self) -> bool:
        """A member card is offered: not for an ended membership (it would prove nothing)."""
        return not self.is_ended

    @property
    def is_funded(self) -> bool:
        """Paid by a funded batch (APBD or CSR): the member owes nothing themselves."""
        return self.funding_source in (FundingSource.APBD, FundingSource.CSR)

    #: A wage earner's membership whose dues the employer pays.
    is_employer_paid = state_is(FundingSource.EMPLOYER, column="funding_source")

    @property
    def protects_worker(self) -> bool:
        """The worker is protected: neither ended nor lapsed. An employer-paid membership
        never lapses for the employer's arrears (PP 44/2015 jo. PP 82/2019): BPJS pays the
        benefit and recovers it from the employer, so arrears are the employer's, shown apart."""
        return not self.is_ended and not self.is_lapsed


class FunderType(StrEnum):
    APBD = "apbd"
    CSR = "csr"


class FundedBatch(db.Model):
    """A programme batch (APBD or CSR) paying members' premiums for a period."""

    __tablename__ = "funded_batches"
    __table_args__ = (
        one_of("funder_type", [f.value for f in FunderType], "funder_known"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint("quota > 0", name="quota_positive"),
        CheckConstraint("monthly_premium > 0", name="premium_positive"),
        # A batch is renewed at most once: two renewals at the same moment cannot both win.
        Index("uq_funded_batches_renewed_from", "renewed_from_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    funder_type: Mapped[str] = mapped_column(String(10))
    funder_name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(10), default="rentan")
    period_start: Mapped[date]
    period_end: Mapped[date] = mapped_column(index=True)
    quota: Mapped[int]
    monthly_premium: Mapped[int] = mapped_column(BigInteger, default=16_800)
    budget: Mapped[int] = mapped_column(BigInteger)
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("funded_batches.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    memberships: Mapped[list[Membership]] = relationship(back_populates="funded_batch")
    renewed_from: Mapped[FundedBatch | None] = relationship(remote_side=[id])


class ContributionPayment(db.Model):
    __tablename__ = "contribution_payments"
    __table_args__ = (
        # One payment per member per month: a month cannot be paid twice.
        db.UniqueConstraint("membership_id", "period"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("length(period) = 7", name="period_format"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    amount: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(30))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    membership: Mapped[Membership] = relationship()


class FundedBatchMember(db.Model):
    """One membership's time in one funded batch (a renewal adds a row in the new batch).

    The KPJ stays with the person across batches; this row is what a batch's quota and budget
    count.
    """

    __tablename__ = "funded_batch_members"
    __table_args__ = (
        UniqueConstraint("batch_id", "membership_id"),
        CheckConstraint("end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("funded_batches.id"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    batch: Mapped[FundedBatch] = relationship()
    membership: Mapped[Membership] = relationship()


class BpjsUploadKind(StrEnum):
    PAYMENTS = "payments"
    BATCH_MEMBERS = "batch_members"


class BpjsUpload(db.Model):
    """An uploaded file held between its dry run and the officer's confirmation.

    Nothing from the file is saved until a clean dry run is confirmed; `confirmed_at` set once
    (conditional UPDATE) so a double confirm cannot import twice.
    """

    __tablename__ = "bpjs_uploads"
    __table_args__ = (one_of("kind", [k.value for k in BpjsUploadKind], "kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("funded_batches.id"))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The file's rows as read at upload (column → text): the review pages and the confirmation
    # check these against the database again without parsing the file a second time.
    rows: Mapped[list | None] = mapped_column(JSON(none_as_null=True))
    row_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when `flask purge-uploads` emptied `content` (it holds KPJ numbers and NIKs).
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
