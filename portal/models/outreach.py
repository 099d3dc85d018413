"""The trade office's field work: outreach events, referrals to BPJS, employer compliance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, one_of, state_is, unique_where, utcnow
from .business import Business
from .identity import User
from .reference import Region

outreach_event_businesses = Table(
    "outreach_event_businesses",
    db.metadata,
    Column("event_id", ForeignKey("outreach_events.id", ondelete="CASCADE"), primary_key=True),
    Column("business_id", ForeignKey("businesses.id"), primary_key=True, index=True),
)


class OutreachEvent(db.Model):
    """A *sosialisasi* session."""

    __tablename__ = "outreach_events"
    __table_args__ = (CheckConstraint("attendance >= 0", name="attendance_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    agencies_present: Mapped[str] = mapped_column(String(200))  # comma-separated agency codes
    attendance: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    kelurahan: Mapped[Region] = relationship()
    businesses: Mapped[list[Business]] = relationship(secondary=outreach_event_businesses)


class ReferralState(StrEnum):
    OPEN = "open"
    CONTACTED = "contacted"
    REGISTERED = "registered"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # the trade office took its letter back within a day


ACTIVE_REFERRAL_SQL = "state IN ('open', 'contacted')"


class Referral(db.Model):
    """The trade office points a business to BPJS; BPJS records the outcome."""

    __tablename__ = "referrals"
    __table_args__ = (
        one_of("state", [s.value for s in ReferralState], "state_known"),
        CheckConstraint("workers_enrolled >= 0", name="workers_non_negative"),
        # One referral in progress per business: a double submit cannot refer it twice.
        unique_where("uq_referrals_active_business", "business_id", where=ACTIVE_REFERRAL_SQL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    referred_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    contact_person: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), default=ReferralState.OPEN, index=True)
    workers_enrolled: Mapped[int] = mapped_column(default=0)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    business: Mapped[Business] = relationship()
    referred_by: Mapped[User] = relationship(foreign_keys=[referred_by_id])
    outcome_by: Mapped[User | None] = relationship(foreign_keys=[outcome_by_id])

    @property
    def is_withdrawn(self) -> bool:
        """The trade office took the referral letter back: it does not stand."""
        return self.state == ReferralState.WITHDRAWN


class ComplianceState(StrEnum):
    WARNING_1 = "warning_1"
    WARNING_2 = "warning_2"
    FINED = "fined"
    SERVICES_WITHHELD = "services_withheld"
    CLEARED = "cleared"
    WITHDRAWN = "withdrawn"  # BPJS took its SP1 back within a day: the case never was


#: Finished: no step follows, the business may get a new case.
CLOSED_COMPLIANCE_STATES = (ComplianceState.CLEARED, ComplianceState.WITHDRAWN)
OPEN_COMPLIANCE_SQL = "state NOT IN ({})".format(
    ", ".join(f"'{s.value}'" for s in CLOSED_COMPLIANCE_STATES)
)


class ComplianceStep(StrEnum):
    """The last step taken on a case that its author may still take back (`services.undo`)."""

    SP1 = "sp1"
    SP2 = "sp2"
    FINE = "fine"
    WITHHOLDING_REQUEST = "withholding_request"
    WITHHOLDING = "withholding"


class ComplianceCase(db.Model):
    """PP 86/2013 sanctions against an employer that does not register or pay."""

    __tablename__ = "compliance_cases"
    __table_args__ = (
        one_of("state", [s.value for s in ComplianceState], "state_known"),
        # One open case per business.
        unique_where("uq_compliance_cases_open_business", "business_id", where=OPEN_COMPLIANCE_SQL),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=ComplianceState.WARNING_1, index=True)
    finding: Mapped[str] = mapped_column(Text)
    sp1_issued_on: Mapped[date]
    sp1_due: Mapped[date]
    sp2_issued_on: Mapped[date | None]
    sp2_due: Mapped[date | None]
    # Contributions the employer should have paid, the base of the PP 86/2013 fine.
    contributions_due: Mapped[int | None] = mapped_column(BigInteger)
    fine_days: Mapped[int | None]  # days after the SP2 deadline the fine covers (at most 30)
    fine_amount: Mapped[int | None] = mapped_column(BigInteger)
    fined_on: Mapped[date | None]
    withholding_requested_on: Mapped[date | None]
    # The services BPJS asks the city to withhold (comma-separated codes).
    requested_services: Mapped[str | None] = mapped_column(String(300))
    withholding_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    services_withheld: Mapped[str | None] = mapped_column(String(300))
    withheld_on: Mapped[date | None]
    withheld_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The fine as paid (PP 86/2013): the case clears only once this is recorded.
    fine_paid_amount: Mapped[int | None] = mapped_column(BigInteger)
    fine_paid_on: Mapped[date | None]
    fine_receipt_no: Mapped[str | None] = mapped_column(String(60))
    fine_payment_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cleared_on: Mapped[date | None]
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    clearance_note: Mapped[str | None] = mapped_column(Text)
    # The last step taken (SP1, SP2, fine, withholding request or withholding), when and by
    # whom: its author may take it back within a day. None once a later record (a fine
    # payment, the clearance) builds on it.
    last_step: Mapped[str | None] = mapped_column(String(20))
    last_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_step_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    business: Mapped[Business] = relationship()
    named_workers: Mapped[list[ComplianceCaseWorker]] = relationship(
        order_by="ComplianceCaseWorker.id", cascade="all, delete-orphan"
    )

    is_cleared = state_is(ComplianceState.CLEARED)

    @property
    def fine_is_paid(self) -> bool:
        return self.fine_paid_on is not None

    @property
    def awaits_fine_payment(self) -> bool:
        """Fined and the payment not recorded yet."""
        return self.fine_amount is not None and self.fine_paid_on is None and self.is_open

    @property
    def is_open(self) -> bool:
        """Not cleared (or withdrawn) yet."""
        return self.state not in CLOSED_COMPLIANCE_STATES

    @property
    def is_withdrawn(self) -> bool:
        """BPJS took the SP1 back: the letter does not stand."""
        return self.state == ComplianceState.WITHDRAWN

    awaits_sp2 = state_is(ComplianceState.WARNING_1)
    awaits_fine = state_is(ComplianceState.WARNING_2)

    @property
    def awaits_withholding_request(self) -> bool:
        """Fined, and BPJS has not yet asked the city to withhold services."""
        return self.state == ComplianceState.FINED and not self.withholding_requested_on

    @property
    def awaits_withholding(self) -> bool:
        """Fined and BPJS's request sent: the trade office records the withholding."""
        return self.state == ComplianceState.FINED and bool(self.withholding_requested_on)

    #: The city withholds services until the trade office lifts the case.
    is_withheld = state_is(ComplianceState.SERVICES_WITHHELD)

    @property
    def bpjs_can_clear(self) -> bool:
        """BPJS clears a case before services are withheld; after that, the trade office."""
        return self.state in (
            ComplianceState.WARNING_1,
            ComplianceState.WARNING_2,
            ComplianceState.FINED,
        )


class ComplianceCaseWorker(db.Model):
    """A worker the case names as not registered: the case clears only when each is."""

    __tablename__ = "compliance_case_workers"
    __table_args__ = (
        UniqueConstraint("case_id", "nik"),
        CheckConstraint("length(nik) = 16", name="nik_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("compliance_cases.id", ondelete="CASCADE"), index=True
    )
    nik: Mapped[str] = mapped_column(String(16), index=True)
