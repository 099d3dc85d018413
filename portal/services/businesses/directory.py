"""The trade office's directory of all businesses: filters in SQL, pages and exports.

"Has employees not enrolled" means the business has a current employment (no end date, or a
last day still to come, as the employer area counts its employees) whose worker has no
active membership at all (with this or any employer, or self-paid): that worker is
unprotected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import aliased, joinedload

from ...domain.clock import today_wib, wib_day
from ...exports import ExportTable
from ...extensions import db
from ...models import (
    Business,
    Employment,
    Membership,
    MembershipState,
    Region,
    Sector,
    VerificationState,
)
from ..audit.trail import record_event
from ..pages import page_of


@dataclass(frozen=True)
class DirectoryFilters:
    kecamatan: str | None = None
    kelurahan: str | None = None
    sector: str | None = None
    scale: str | None = None
    state: str | None = None
    unenrolled_only: bool = False
    query: str | None = None  # name or NIB


def unenrolled_employees_exist(business_id_column=Business.id):
    """EXISTS: a current employee of the business without an active membership.

    An employee whose last day is still to come works there today (and is still owed cover):
    only an end date of today or earlier takes them out, as in the employer's own figures.
    """
    return exists().where(
        Employment.business_id == business_id_column,
        Employment.working_after(today_wib()),
        ~exists().where(
            Membership.worker_id == Employment.worker_id,
            Membership.state == MembershipState.ACTIVE,
        ),
    )


def _apply(stmt: Select, filters: DirectoryFilters) -> Select:
    if filters.kelurahan:
        stmt = stmt.where(Business.kelurahan_code == filters.kelurahan)
    elif filters.kecamatan:
        stmt = stmt.where(
            Business.kelurahan_code.in_(
                select(Region.code).where(Region.parent_code == filters.kecamatan)
            )
        )
    if filters.sector:
        stmt = stmt.where(Business.sector_code == filters.sector)
    if filters.scale:
        stmt = stmt.where(Business.scale == filters.scale)
    if filters.state:
        stmt = stmt.where(Business.verification_state == filters.state)
    if filters.unenrolled_only:
        stmt = stmt.where(unenrolled_employees_exist())
    if filters.query:
        text = filters.query.strip()
        if text.isdigit():
            stmt = stmt.where(Business.nib.startswith(text))
        else:
            stmt = stmt.where(Business.name.ilike(f"%{text}%"))
    return stmt


def directory_statement(filters: DirectoryFilters) -> Select:
    """Businesses matching `filters`, newest first, with sector and area eager-loaded."""
    stmt = select(Business).options(
        joinedload(Business.sector),
        joinedload(Business.kelurahan).joinedload(Region.parent),
    )
    return _apply(stmt, filters).order_by(Business.created_at.desc(), Business.id.desc())


def directory_page(filters: DirectoryFilters, page: object = 1) -> Pagination:
    """One page of the directory."""
    return page_of(directory_statement(filters), page)


def ids_with_unenrolled(business_ids: Iterable[int]) -> set[int]:
    """Which of these businesses have employees not enrolled (one query for a page)."""
    ids = list(business_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Business.id).where(Business.id.in_(ids), unenrolled_employees_exist())
        )
    )


EXPORT_HEADERS = (
    "NIB",
    "Nama usaha",
    "Sektor",
    "Skala",
    "Kelurahan",
    "Kecamatan",
    "Alamat",
    "Telepon",
    "NPP",
    "Status verifikasi",
    "Ada pekerja belum terdaftar",
    "Terdaftar",
)
# The export is always in Indonesian (like its headers): states and scales in words.
EXPORT_STATES = {
    VerificationState.PENDING.value: "menunggu verifikasi",
    VerificationState.VERIFIED.value: "terverifikasi",
    VerificationState.REJECTED.value: "ditolak",
}


def _export_rows(filters: DirectoryFilters) -> Iterator[tuple]:
    kelurahan = aliased(Region)
    kecamatan = aliased(Region)
    stmt = (
        select(
            Business.nib,
            Business.name,
            Sector.name_id,
            Business.scale,
            kelurahan.name,
            kecamatan.name,
            Business.address,
            Business.phone,
            Business.npp,
            Business.verification_state,
            unenrolled_employees_exist().label("unenrolled"),
            Business.created_at,
        )
        .join(Sector, Sector.code == Business.sector_code)
        .join(kelurahan, kelurahan.code == Business.kelurahan_code)
        .join(kecamatan, and_(kecamatan.code == kelurahan.parent_code), isouter=True)
    )
    stmt = _apply(stmt, filters).order_by(Business.created_at.desc(), Business.id.desc())
    for row in db.session.execute(stmt.execution_options(yield_per=500)):
        values = list(row)
        values[9] = EXPORT_STATES.get(values[9], values[9])
        values[10] = "ya" if values[10] else "tidak"
        values[11] = wib_day(values[11])  # the day it registered, in WIB
        yield tuple(values)


def directory_export(filters: DirectoryFilters) -> ExportTable:
    """The filtered directory as a table for portal.exports (formula-escaped there)."""
    return ExportTable(EXPORT_HEADERS, _export_rows(filters), sheet_title="Direktori usaha")


def export_directory(filters: DirectoryFilters, fmt: str) -> ExportTable:
    """The filtered directory for download; who exported what is kept (personal data law:
    exports are logged). The caller commits the audit event before streaming the rows."""
    record_event("directory.exported", None, {"format": fmt, "filters": filters.__dict__})
    return directory_export(filters)
