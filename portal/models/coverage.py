"""Workforce estimates and coverage targets kept by the labour office (with history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, utcnow
from .identity import User
from .reference import Region


class CoverageEstimate(db.Model):
    """Estimated workforce for a kecamatan (and optionally a sector) from a period on.

    Rows are never updated: a correction is a new row, so the history stays.
    """

    __tablename__ = "coverage_estimates"
    __table_args__ = (
        CheckConstraint("estimated_workforce > 0", name="workforce_positive"),
        CheckConstraint("length(period) = 7", name="period_format"),
        Index("ix_coverage_estimates_lookup", "kecamatan_code", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kecamatan_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"))
    category: Mapped[str | None] = mapped_column(String(10))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    estimated_workforce: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    kecamatan: Mapped[Region] = relationship()
    created_by: Mapped[User | None] = relationship()


class Target(db.Model):
    """A coverage target in percent for a period; kecamatan null means city-wide."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("target_pct > 0 AND target_pct <= 100", name="pct_range"),
        CheckConstraint("length(period) = 7", name="period_format"),
        Index("ix_targets_lookup", "kecamatan_code", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    period: Mapped[str] = mapped_column(String(7))
    target_pct: Mapped[float] = mapped_column(Numeric(5, 2))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    kecamatan: Mapped[Region | None] = relationship()
    created_by: Mapped[User | None] = relationship()
