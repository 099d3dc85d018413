"""What the owner's employee pages list, open and export, scoped to the owner's rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from ...domain.contributions import Contribution
from ...exports import ExportTable
from ...extensions import db
from ...models import Business, Employment, EnrolmentRequest, User, Worker
from ..access import one_or_404, scope_employments
from ..audit.trail import record_event
from ..enrolment.submission import not_enrolled_clause
from ..pages import page_of
from ..reference.lookups import rate_table
from .rules import EMPLOYER_CATEGORIES, employment_contribution

EMPLOYEE_STATUSES = ("current", "ended", "all")
#: What the business page filters the latest enrolment request by ("not_enrolled": none open).
ENROLMENT_FILTERS = ("not_enrolled", "submitted", "in_review", "returned", "enrolled", "rejected")


@dataclass(frozen=True)
class EmployeeFilters:
    """The business page's filters; anything unknown falls back to the default."""

    q: str = ""  # a name, or the first digits of a NIK
    status: str = "current"
    enrolment: str = ""
    category: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> EmployeeFilters:
        status = args.get("status", "current")
        enrolment = args.get("enrolment", "")
        category = args.get("category", "")
        return cls(
            q=args.get("q", "").strip()[:120],
            status=status if status in EMPLOYEE_STATUSES else "current",
            enrolment=enrolment if enrolment in ENROLMENT_FILTERS else "",
            category=category if category in EMPLOYER_CATEGORIES else "",
        )

    def as_args(self) -> dict[str, str]:
        """For links that keep the filters (exports, pages)."""
        return asdict(self)


def employee_statement(business_id: int, filters: EmployeeFilters, today: date) -> Select:
    """Employees of one business by the filters, by name. "Current" includes a last day still
    ahead (as the home page figures do); "ended" means the last day has passed."""
    stmt = (
        select(Employment)
        .join(Worker, Employment.worker_id == Worker.id)
        .where(Employment.business_id == business_id)
    )
    if filters.status == "current":
        stmt = stmt.where(Employment.working_after(today))
    elif filters.status == "ended":
        stmt = stmt.where(~Employment.working_after(today))
    if filters.category:
        stmt = stmt.where(Employment.category == filters.category)
    if filters.q:
        if filters.q.isdigit():
            stmt = stmt.where(Worker.nik.startswith(filters.q))
        else:
            stmt = stmt.where(Employment.full_name.ilike(f"%{filters.q}%"))
    if filters.enrolment == "not_enrolled":
        stmt = stmt.where(not_enrolled_clause())
    elif filters.enrolment:
        latest_state = (
            select(EnrolmentRequest.state)
            .where(EnrolmentRequest.employment_id == Employment.id)
            .order_by(EnrolmentRequest.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        stmt = stmt.where(latest_state == filters.enrolment)
    return stmt.options(
        joinedload(Employment.worker), selectinload(Employment.enrolment_requests)
    ).order_by(Employment.full_name, Employment.id)


def employee_page(
    business: Business, filters: EmployeeFilters, today: date, page: object = 1
) -> Pagination:
    """One page of the business's employees (the caller has scoped `business` to the user)."""
    return page_of(employee_statement(business.id, filters, today), page)


def monthly_contributions(
    employments: Iterable[Employment], today: date
) -> dict[int, Contribution | None]:
    """This month's contribution per employment id (None: figures out of range now)."""
    rates = rate_table()
    return {e.id: employment_contribution(e, rates, today) for e in employments}


def load_employment(employment_id: int, user: User) -> Employment:
    """An employment the user may see, with its worker, business, kelurahan and requests;
    NotFound otherwise (another owner's employee is "not found")."""
    return one_or_404(
        scope_employments(
            select(Employment)
            .where(Employment.id == employment_id)
            .options(
                joinedload(Employment.worker),
                joinedload(Employment.business),
                joinedload(Employment.kelurahan),
                selectinload(Employment.enrolment_requests),
            ),
            user,
        )
    )


def employee_export(
    business: Business, filters: EmployeeFilters, today: date, fmt: str
) -> ExportTable:
    """The filtered employees with full NIKs, their latest request and contribution.

    Exports carry full NIKs: who downloaded them is part of the audit trail (UU 27/2022), so
    this writes `employees.exported`. Caller: the business's owner.
    """
    rates = rate_table()
    rows = []
    for e in db.session.scalars(employee_statement(business.id, filters, today)):
        contribution = employment_contribution(e, rates, today)
        latest = e.latest_request
        rows.append(
            [
                e.worker.nik,
                e.full_name,
                e.worker.birth_date,
                e.worker.sex,
                e.occupation,
                e.category,
                e.monthly_amount,
                e.start_date,
                e.end_date,
                latest.state if latest else "",
                latest.kpj if latest and latest.kpj else "",
                contribution.total if contribution else "",
            ]
        )
    record_event("employees.exported", business, {"rows": len(rows), "format": fmt})
    return ExportTable(
        headers=[
            "NIK",
            _("Full name"),
            _("Birth date"),
            _("Sex"),
            _("Occupation"),
            _("Category"),
            _("Monthly wage or income"),
            _("Start"),
            _("End"),
            _("Enrolment state"),
            "KPJ",
            _("Monthly contribution"),
        ],
        rows=rows,
        sheet_title=_("Employees"),
    )
