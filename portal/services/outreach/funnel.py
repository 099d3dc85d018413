"""The outreach funnel per kecamatan and sector for a period.

Public function for other areas (the dashboard shows it beside its pipeline):
`outreach_funnel(start, end, kecamatan=None) -> list[FunnelRow]`.

Each stage counts what happened in the period [start, end] (local dates, inclusive):
- reached: distinct businesses linked to outreach events held in the period;
- registered: businesses created on the portal in the period;
- verified: businesses verified in the period (and still verified);
- with enrolled workers: businesses with at least one active membership that started in
  the period;
- workers enrolled: distinct workers with such a membership.
Rows are grouped by the business's kecamatan (Kemendagri code, parent of its kelurahan) and
sector. Six SQL queries whatever the data size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from ...domain.clock import WIB
from ...exports import ExportTable
from ...extensions import db
from ...models import (
    Business,
    Membership,
    MembershipState,
    OutreachEvent,
    Region,
    Sector,
    VerificationState,
    outreach_event_businesses,
)

ZONE = WIB
STAGES = ("reached", "registered", "verified", "with_enrolled_workers", "workers_enrolled")


@dataclass
class FunnelRow:
    kecamatan_code: str
    kecamatan_name: str
    sector_code: str
    sector_name: str
    reached: int = 0
    registered: int = 0
    verified: int = 0
    with_enrolled_workers: int = 0
    workers_enrolled: int = 0
    sector_name_en: str = ""

    def as_tuple(self) -> tuple:
        return (self.kecamatan_name, self.sector_name, *(getattr(self, s) for s in STAGES))


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00 WIB, end+1 00:00 WIB) as aware datetimes."""
    return (
        datetime.combine(start, time(), ZONE),
        datetime.combine(end + timedelta(days=1), time(), ZONE),
    )


def _grouped(stmt: Select, kecamatan: str | None) -> Select:
    """Join the business's kelurahan and group by kecamatan and sector."""
    stmt = stmt.join(Region, Region.code == Business.kelurahan_code)
    if kecamatan:
        stmt = stmt.where(Region.parent_code == kecamatan)
    return stmt.group_by(Region.parent_code, Business.sector_code)


def outreach_funnel(start: date, end: date, kecamatan: str | None = None) -> list[FunnelRow]:
    """Funnel rows (only combinations with at least one non-zero stage), ordered by
    kecamatan and sector. `kecamatan` is a Kemendagri code such as "61.72.01"."""
    since, until = _utc_bounds(start, end)
    keys = (Region.parent_code, Business.sector_code)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(STAGES, 0))

    reached = _grouped(
        select(*keys, func.count(func.distinct(Business.id)))
        .select_from(OutreachEvent)
        .join(outreach_event_businesses, outreach_event_businesses.c.event_id == OutreachEvent.id)
        .join(Business, Business.id == outreach_event_businesses.c.business_id)
        .where(OutreachEvent.held_on >= start, OutreachEvent.held_on <= end),
        kecamatan,
    )
    registered = _grouped(
        select(*keys, func.count(Business.id))
        .select_from(Business)
        .where(Business.created_at >= since, Business.created_at < until),
        kecamatan,
    )
    verified = _grouped(
        select(*keys, func.count(Business.id))
        .select_from(Business)
        .where(
            Business.verification_state == VerificationState.VERIFIED,
            Business.verified_at >= since,
            Business.verified_at < until,
        ),
        kecamatan,
    )
    for name, stmt in (("reached", reached), ("registered", registered), ("verified", verified)):
        for kec, sector, n in db.session.execute(stmt):
            counts[(kec, sector)][name] = int(n)

    enrolled = _grouped(
        select(
            *keys,
            func.count(func.distinct(Membership.business_id)),
            func.count(func.distinct(Membership.worker_id)),
        )
        .select_from(Membership)
        .join(Business, Business.id == Membership.business_id)
        .where(
            Membership.state == MembershipState.ACTIVE,
            Membership.start_date >= start,
            Membership.start_date <= end,
        ),
        kecamatan,
    )
    for kec, sector, businesses, workers in db.session.execute(enrolled):
        counts[(kec, sector)]["with_enrolled_workers"] = int(businesses)
        counts[(kec, sector)]["workers_enrolled"] = int(workers)

    kecamatan_names = dict(
        db.session.execute(
            select(Region.code, Region.name).where(Region.level == "kecamatan")
        ).all()
    )
    sectors = {
        code: (name_id, name_en)
        for code, name_id, name_en in db.session.execute(
            select(Sector.code, Sector.name_id, Sector.name_en)
        )
    }
    rows = [
        FunnelRow(
            kec,
            kecamatan_names.get(kec, kec),
            sector,
            sectors.get(sector, (sector, sector))[0],
            **c,
            sector_name_en=sectors.get(sector, (sector, sector))[1],
        )
        for (kec, sector), c in counts.items()
    ]
    return sorted(rows, key=lambda r: (r.kecamatan_name, r.sector_name))


def funnel_totals(rows: list[FunnelRow]) -> dict[str, int]:
    return {stage: sum(getattr(r, stage) for r in rows) for stage in STAGES}


EXPORT_HEADERS = (
    "Kecamatan",
    "Sektor",
    "Dijangkau",
    "Terdaftar",
    "Terverifikasi",
    "Dengan pekerja terdaftar",
    "Pekerja terdaftar",
)


def funnel_export(start: date, end: date, kecamatan: str | None = None) -> ExportTable:
    """The funnel as a table for portal.exports (in Indonesian, like its headers)."""
    rows = outreach_funnel(start, end, kecamatan)
    return ExportTable(
        EXPORT_HEADERS, [r.as_tuple() for r in rows], sheet_title="Tahapan sosialisasi"
    )
