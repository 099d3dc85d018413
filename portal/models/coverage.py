"""Workforce estimates and coverage targets kept by the labour office (with history), and
BPJS's official active-participant counts (the numerator of coverage)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import UTCDateTime, one_of, utcnow
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


class OfficialCategory(StrEnum):
    """The categories BPJS reports its official active participants in."""

    PU = "PU"  # wage earners (penerima upah)
    BPU = "BPU"  # informal workers (bukan penerima upah)
    JAKON = "jakon"  # construction services (jasa konstruksi), per project
    RENTAN = "rentan"  # vulnerable workers, funded (APBD, CSR)
    SAWIT = "sawit"  # smallholder palm-oil workers


class OfficialCount(db.Model):
    """BPJS's official active participants for one month × kecamatan × category.

    One row per (period, kecamatan, category): a correction replaces the number (after the
    officer confirms) and the audit trail keeps every earlier value with who and when.
    """

    __tablename__ = "official_counts"
    __table_args__ = (
        UniqueConstraint("period", "kecamatan_code", "category", name="uq_official_counts_cell"),
        CheckConstraint("active_participants >= 0", name="participants_not_negative"),
        CheckConstraint("length(period) = 7", name="period_format"),
        one_of("category", [c.value for c in OfficialCategory], "category_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    kecamatan_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    category: Mapped[str] = mapped_column(String(10))
    active_participants: Mapped[int] = mapped_column(BigInteger)
    source_document: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    kecamatan: Mapped[Region] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class OfficialCountUpload(db.Model):
    """An official-count file held between its dry run and the officer's confirmation.

    `rows` are the checked rows (period, kecamatan, category, count) as read; nothing is saved
    to `official_counts` until a clean dry run is confirmed, once (conditional UPDATE).
    """

    __tablename__ = "official_count_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    source_document: Mapped[str] = mapped_column(String(200))
    rows: Mapped[list] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    replace_count: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
