"""Agencies, users and their server-side login sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, one_of, utcnow


class Role(StrEnum):
    BUSINESS_OWNER = "business_owner"
    BPJS_OFFICER = "bpjs_officer"
    BPJS_HEAD = "bpjs_head"
    TRADE_OFFICER = "trade_officer"
    TRADE_HEAD = "trade_head"
    LABOUR_OFFICER = "labour_officer"
    LABOUR_HEAD = "labour_head"
    ADMIN = "admin"
    WORKER = "worker"  # an informal worker (BPU) registering and paying for himself
    FIELD_AGENT = "field_agent"  # a Perisai agent or kelurahan cadre, created by BPJS staff


#: Government officers (trade and labour offices): they have a NIP and sign letters with it.
#: BPJS staff are not civil servants.
CIVIL_SERVANT_ROLES = frozenset(
    {Role.TRADE_OFFICER, Role.TRADE_HEAD, Role.LABOUR_OFFICER, Role.LABOUR_HEAD}
)

#: The agency every staff role belongs to (business owners and admins have none).
ROLE_AGENCY = {
    Role.BPJS_OFFICER: "bpjs",
    Role.BPJS_HEAD: "bpjs",
    Role.TRADE_OFFICER: "disperindagkop",
    Role.TRADE_HEAD: "disperindagkop",
    Role.LABOUR_OFFICER: "disnaker",
    Role.LABOUR_HEAD: "disnaker",
}
STAFF_ROLES = frozenset(ROLE_AGENCY)
HEAD_ROLES = frozenset({Role.BPJS_HEAD, Role.TRADE_HEAD, Role.LABOUR_HEAD})


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60))

    def __str__(self) -> str:
        return self.short_name


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        one_of("role", [r.value for r in Role], "role_known"),
        # Unique case-insensitively: the column only ever holds the lower-cased address.
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20), index=True)
    # A civil servant's NIP (18 digits, domain.normalise.nip), printed under the signature
    # of the letters they sign; optional, government staff only.
    nip: Mapped[str | None] = mapped_column(String(18))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="joined")

    # Set by the user loader: the server-side session this request runs under.
    login_session_token = None  # plain attribute, not a column
    login_session_ends = None  # likewise: when the login session behind this request ends
    # Set by the API (portal.web.api) when a registered client acts through this service
    # account: it is authenticated for this request although it can never log in.
    api_call = False  # plain attribute, not a column

    def get_id(self) -> str | None:  # Flask-Login stores this in the cookie session
        return self.login_session_token

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return self.active or self.api_call

    @property
    def agency_code(self) -> str | None:
        return self.agency.code if self.agency else None

    @property
    def is_civil_servant(self) -> bool:
        """A government officer, who has a NIP (see CIVIL_SERVANT_ROLES)."""
        return self.role in CIVIL_SERVANT_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class LoginSession(db.Model):
    """One row per logged-in browser; logout revokes it so a copied cookie stops working."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """Failed logins for one typed email, from one address (`ip`) or from all (`ip` = "").

    Counted for any typed email, existing or not, so throttling says nothing about which
    accounts exist. Never a lock: a row only makes the next attempt wait until
    `blocked_until` (services/accounts/throttle.py computes the growing delay).
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("email", "ip"),)

    #: The `ip` of the row that counts an account's failures from every address.
    EVERY_ADDRESS = ""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PasswordReset(db.Model):
    """A password-reset link sent by email: only the SHA-256 of its token is stored, so a
    copy of the database opens no account; used once (`used_at`), valid until `expires_at`."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.expires_at > now
