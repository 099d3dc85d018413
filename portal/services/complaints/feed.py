"""Complaints as other systems read them: the agency's own list over the API (cursor pages,
the staff pages' row scope) and the public Open311 list (no personal data at all)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Agency, Complaint, ComplaintCategory, ComplaintState, User
from ..cursor import CursorPage, keyset_page
from ..errors import NotFound, ServiceError
from .queries import scope_complaints
from .sla import FINAL_STATES

STATE_FILTERS = ("open", "all", *(s.value for s in ComplaintState))
#: Open311's two statuses: a complaint is "closed" once nothing more happens to it.
OPEN311_CLOSED = frozenset(s.value for s in FINAL_STATES)
OPEN311_MAX = 200


def _with_relations(stmt):
    return stmt.options(joinedload(Complaint.category), joinedload(Complaint.agency))


def agency_page(
    user: User, state: str = "open", cursor: str | None = None, limit: int = 50
) -> CursorPage:
    """The complaints `user` may see on the staff pages (`scope_complaints`), oldest first."""
    stmt = _with_relations(scope_complaints(select(Complaint), user))
    if state == "open":
        stmt = stmt.where(Complaint.state.not_in(OPEN311_CLOSED))
    elif state != "all":
        stmt = stmt.where(Complaint.state == state)
    return keyset_page(stmt, None, Complaint.id, cursor, limit)


def open311_status(complaint: Complaint) -> str:
    return "closed" if complaint.state in OPEN311_CLOSED else "open"


def public_requests(
    *,
    ids: list[int] | None = None,
    service_code: str | None = None,
    status: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = OPEN311_MAX,
) -> list[Complaint]:
    """Complaints for the public Open311 list, newest first (the caller shows no personal
    data). `status` is "open" or "closed"; unknown filters are refused."""
    if status not in (None, "open", "closed"):
        raise ServiceError("status", str(_l("The status is open or closed.")))
    stmt = _with_relations(select(Complaint))
    if ids is not None:
        stmt = stmt.where(Complaint.id.in_(ids))
    if service_code:
        stmt = stmt.where(Complaint.category_code == service_code)
    if status == "closed":
        stmt = stmt.where(Complaint.state.in_(OPEN311_CLOSED))
    elif status == "open":
        stmt = stmt.where(Complaint.state.not_in(OPEN311_CLOSED))
    if start is not None:
        stmt = stmt.where(Complaint.submitted_at >= start)
    if end is not None:
        stmt = stmt.where(Complaint.submitted_at <= end)
    stmt = stmt.order_by(Complaint.submitted_at.desc(), Complaint.id.desc()).limit(limit)
    return list(db.session.scalars(stmt).unique())


def public_request(complaint_id: int) -> Complaint:
    found = public_requests(ids=[complaint_id], limit=1)
    if not found:
        raise NotFound()
    return found[0]


def active_categories() -> list[ComplaintCategory]:
    return list(
        db.session.scalars(
            select(ComplaintCategory)
            .where(ComplaintCategory.active.is_(True))
            .order_by(ComplaintCategory.sort_order, ComplaintCategory.code)
        )
    )


def active_category(code: str) -> ComplaintCategory:
    category = db.session.get(ComplaintCategory, code)
    if category is None or not category.active:
        raise NotFound()
    return category


def agency_by_code(code: str) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.code == code)) if code else None
