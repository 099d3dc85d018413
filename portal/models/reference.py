"""Reference data an admin edits: regions, sectors, dated rates, settings, days off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import ReferenceList, UTCDateTime, one_of, utcnow

REGION_LEVELS = ("provinsi", "kota", "kecamatan", "kelurahan")


class Region(db.Model):
    """A Kemendagri region (code like 61.72.01.1001). Never mix with BPS numbering."""

    __tablename__ = "regions"
    __table_args__ = (one_of("level", REGION_LEVELS, "level_known"),)

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[code])

    def __str__(self) -> str:
        return self.name


class Sector(ReferenceList, db.Model):
    """Business sector (editable reference data)."""

    __tablename__ = "sectors"


class RateValue(db.Model):
    """A dated reference value (rates in basis points, amounts in rupiah).

    The value in force for a month is the row with the latest `effective_from` on or before
    the first day of that month. Keys are listed in `portal.domain.contributions.RATE_KEYS`.
    """

    __tablename__ = "rate_values"
    __table_args__ = (UniqueConstraint("key", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), index=True)
    effective_from: Mapped[date]
    value: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(String(200))


class ProgrammeRequirement(db.Model):
    """The BPJS programmes an employer of a given scale must join, from a date (dated law).

    Perpres 109/2013 art. 6: micro JKK + JKM; small + JHT; medium and large + JP. The row in
    force for a day is the one with the latest `effective_from` on or before it
    (`domain.programmes.ProgrammeRules`). `programmes` is a space-separated list of codes.
    """

    __tablename__ = "programme_requirements"
    __table_args__ = (UniqueConstraint("scale", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scale: Mapped[str] = mapped_column(String(10), index=True)
    effective_from: Mapped[date]
    programmes: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(200))

    def __str__(self) -> str:
        return f"{self.scale} {self.effective_from.isoformat()}: {self.programmes}"


class Setting(db.Model):
    """A named, editable setting (e.g. membership grace period)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


DAY_OFF_KINDS = ("cuti_bersama", "local", "national_extra")


class DayOff(db.Model):
    """A non-working day beyond the national holidays the `holidays` package knows."""

    __tablename__ = "days_off"
    __table_args__ = (one_of("kind", DAY_OFF_KINDS, "kind_known"),)

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200))
