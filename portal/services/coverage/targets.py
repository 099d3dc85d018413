"""Workforce estimates and coverage targets kept by the labour office.

Rows are only ever added: a correction is a new row for the same period, and the history
page lists every row with who entered it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import CoverageEstimate, Region, Sector, Setting, Target, User
from ..audit.trail import record_event
from ..errors import ServiceError
from ..pages import page_of
from .figures_cache import bump_figures_version
from .official import OfficialCounts
from .periods import EARLIEST_PERIOD, Month, PeriodError
from .stats import CATEGORIES, active_members


class CoverageInputError(ServiceError):
    """Input the labour office must correct; `field` names the form field it belongs to."""


@dataclass
class EstimateInput:
    kecamatan_code: str
    period: str
    estimated_workforce: int
    sector_code: str | None = None
    category: str | None = None
    source: str | None = None


def _check_period(period: str) -> str:
    try:
        month = Month.parse(period)
    except PeriodError:
        raise CoverageInputError(
            "period", _l("Enter the period as YYYY-MM, e.g. 2026-03.")
        ) from None
    if str(month) < EARLIEST_PERIOD or month.year > 2100:
        raise CoverageInputError("period", _l("The period must be between 2015-01 and 2100-12."))
    return str(month)


def _kecamatan_name(code: str | None, *, required: bool) -> str | None:
    """The kecamatan's name (None when not given and not required); refuses other codes."""
    if not code:
        if required:
            raise CoverageInputError("kecamatan_code", _l("Choose a kecamatan."))
        return None
    name = db.session.scalar(
        select(Region.name).where(Region.code == code, Region.level == "kecamatan")
    )
    if name is None:
        raise CoverageInputError("kecamatan_code", _l("Unknown kecamatan."))
    return name


def record_estimate(data: EstimateInput, user: User) -> CoverageEstimate:
    """Add a workforce estimate row (history is kept; nothing is updated).

    Callers: labour_officer, labour_head (the view checks the role). Raises
    CoverageInputError for an unknown kecamatan, sector or category, a bad period, a
    non-positive number, or an estimate below the members counted in that kecamatan (and
    sector or category) in the estimate's period, by the dashboard's counting rule: the
    estimate is that month's denominator, so it may not yield more than 100% coverage.
    Writes the audit event; does not commit.
    """
    area = _kecamatan_name(data.kecamatan_code, required=True)
    kecamatan = data.kecamatan_code
    period = _check_period(data.period)
    if data.sector_code and data.category:
        raise CoverageInputError("category", _l("Give either a sector or a category, not both."))
    if data.sector_code and db.session.get(Sector, data.sector_code) is None:
        raise CoverageInputError("sector_code", _l("Unknown sector."))
    if data.category and data.category not in CATEGORIES:
        raise CoverageInputError("category", _l("Unknown category."))
    if data.estimated_workforce is None or data.estimated_workforce <= 0:
        raise CoverageInputError("estimated_workforce", _l("Enter a number above zero."))
    enrolled = active_members(
        kecamatan, Month.parse(period), data.sector_code or None, data.category or None
    )
    official = None
    if not data.sector_code:
        month = Month.parse(period)
        official = OfficialCounts(month, [kecamatan]).total(month, [kecamatan], data.category)
    floors = [
        (
            enrolled,
            _l(
                "The estimate cannot be below the %(n)s members already active in "
                "%(area)s in %(period)s."
            ),
        ),
        (
            official,
            _l(
                "The estimate cannot be below the %(n)s official BPJS participants in "
                "%(area)s in %(period)s."
            ),
        ),
    ]
    for floor, message in floors:
        if floor is not None and data.estimated_workforce < floor:
            raise CoverageInputError(
                "estimated_workforce",
                message % {"n": f"{floor:,}".replace(",", "."), "area": area, "period": period},
            )
    estimate = CoverageEstimate(
        kecamatan_code=kecamatan,
        sector_code=data.sector_code or None,
        category=data.category or None,
        period=period,
        estimated_workforce=data.estimated_workforce,
        source=data.source or None,
        created_by_id=user.id,
    )
    db.session.add(estimate)
    record_event(
        "coverage.estimate_recorded",
        estimate,
        {
            "kecamatan": kecamatan,
            "sector": estimate.sector_code,
            "category": estimate.category,
            "period": period,
            "estimated_workforce": data.estimated_workforce,
            "active_members": enrolled,
        },
        actor=user,
    )
    bump_figures_version()
    return estimate


def record_target(kecamatan_code: str | None, period: str, target_pct, user: User) -> Target:
    """Add a coverage target row for a kecamatan or, with no kecamatan, the whole city.

    Callers: labour_officer, labour_head. Raises CoverageInputError for an unknown
    kecamatan, a bad period or a percentage outside 0–100 (0 excluded). Writes the audit
    event; does not commit.
    """
    _kecamatan_name(kecamatan_code, required=False)
    kecamatan = kecamatan_code or None
    period = _check_period(period)
    try:
        pct = Decimal(str(target_pct)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise CoverageInputError("target_pct", _l("Enter a percentage.")) from None
    if not Decimal("0") < pct <= Decimal("100"):
        raise CoverageInputError(
            "target_pct", _l("The target must be above 0 and at most 100 percent.")
        )
    target = Target(kecamatan_code=kecamatan, period=period, target_pct=pct, created_by_id=user.id)
    db.session.add(target)
    record_event(
        "coverage.target_recorded",
        target,
        {"kecamatan": kecamatan or "city", "period": period, "target_pct": str(pct)},
        actor=user,
    )
    bump_figures_version()
    return target


TARGET_YEAR_KEY = "coverage_target_year"
TARGET_YEAR_RANGE = (2025, 2100)


def set_target_year(year: int | None, user: User) -> int:
    """Set the year by which the coverage targets should be reached (the projection says
    "not reached by <year> at this pace" beyond it).

    Callers: labour_officer, labour_head, admin. Raises CoverageInputError outside
    2025–2100. Writes the audit event; does not commit.
    """
    low, high = TARGET_YEAR_RANGE
    if year is None or not low <= int(year) <= high:
        raise CoverageInputError(
            "year", _l("Enter a year from %(low)d to %(high)d.", low=low, high=high)
        )
    row = db.session.get(Setting, TARGET_YEAR_KEY)
    previous = row.value if row else None
    if row is None:
        row = Setting(key=TARGET_YEAR_KEY, description="Year by which the targets are reached")
        db.session.add(row)
    row.value = str(int(year))
    db.session.flush()
    record_event(
        "coverage.target_year_set",
        None,
        {"setting": TARGET_YEAR_KEY, "year": int(year), "previous": previous},
        actor=user,
    )
    bump_figures_version()
    return int(year)


HISTORY_PAGE_SIZE = 25


def estimate_history(page: object = 1, per_page: int = HISTORY_PAGE_SIZE) -> Pagination:
    """Estimate rows, newest first, with kecamatan, sector and author loaded (fixed queries)."""
    stmt = select(CoverageEstimate).options(
        joinedload(CoverageEstimate.kecamatan), joinedload(CoverageEstimate.created_by)
    )
    return page_of(stmt.order_by(CoverageEstimate.id.desc()), page, per_page)


def target_history(page: object = 1, per_page: int = HISTORY_PAGE_SIZE) -> Pagination:
    """Target rows, newest first, with kecamatan and author loaded (fixed queries)."""
    stmt = select(Target).options(joinedload(Target.kecamatan), joinedload(Target.created_by))
    return page_of(stmt.order_by(Target.id.desc()), page, per_page)
