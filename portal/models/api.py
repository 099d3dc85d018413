"""Registered API clients (other systems calling `/api/v1/` and Open311) and the answers
they were given to POSTs with an `Idempotency-Key`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, utcnow
from .identity import Agency, User


class ApiScope(StrEnum):
    ENROLMENT_READ = "enrolment:read"
    ENROLMENT_WRITE = "enrolment:write"
    COVERAGE_READ = "coverage:read"
    COVERAGE_WRITE = "coverage:write"  # official counts (honest-figures issue)
    COMPLAINTS_READ = "complaints:read"
    COMPLAINTS_WRITE = "complaints:write"


class ApiClient(db.Model):
    """Another system allowed to call the API with a bearer token (or an Open311 api_key).

    Only a SHA-256 hash of the token is stored; the token is shown once, at registration.
    Each client acts through its own service account (`user`, never able to log in), so the
    services' rules, row scopes and audit trail treat it like a staff member of its agency.
    """

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_prefix: Mapped[str] = mapped_column(String(12))  # first characters, to tell tokens apart
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: until revoked
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def __str__(self) -> str:
        return self.name


class ApiIdempotentAnswer(db.Model):
    """The answer given to a client's POST with an `Idempotency-Key`: a repeat gets it again."""

    __tablename__ = "api_idempotent_answers"
    __table_args__ = (UniqueConstraint("client_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # method, path and body, hashed
    status: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
