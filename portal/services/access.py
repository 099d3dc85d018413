"""Who may see which rows: role sets and the row scopes every query applies.

An owner's query only ever returns the owner's rows; a record the user may not see is "not
found" (the page answers 404, never 403, so guessing ids reveals nothing).
"""

from __future__ import annotations

from sqlalchemy import Select, select

from ..extensions import db
from ..models import Business, Employment, Role, User
from .errors import NotFound

ALL_ROLES: frozenset[str] = frozenset(r.value for r in Role)
BPJS = frozenset({Role.BPJS_OFFICER.value, Role.BPJS_HEAD.value})
TRADE = frozenset({Role.TRADE_OFFICER.value, Role.TRADE_HEAD.value})
LABOUR = frozenset({Role.LABOUR_OFFICER.value, Role.LABOUR_HEAD.value})
STAFF = BPJS | TRADE | LABOUR
OWNER = frozenset({Role.BUSINESS_OWNER.value})
WORKER = frozenset({Role.WORKER.value})
FIELD_AGENT = frozenset({Role.FIELD_AGENT.value})
#: Who may register himself as BPU and follow his own membership: a worker, or an owner.
SELF_REGISTRANTS = WORKER | OWNER


def scope_businesses(stmt: Select, user: User) -> Select:
    """Restrict a query over Business to what `user` may see (owners: their own only)."""
    return _owned_or_staff(stmt, user, lambda owned: owned)


def scope_employments(stmt: Select, user: User) -> Select:
    """Restrict a query over Employment to businesses `user` may see."""
    return _owned_or_staff(
        stmt, user, lambda owned: owned.join(Business, Employment.business_id == Business.id)
    )


def _owned_or_staff(stmt: Select, user: User, to_business) -> Select:
    """Owners see rows of their own businesses (`to_business` joins the row to its
    business), staff and the admin see every row, anyone else none."""
    if user.role == Role.BUSINESS_OWNER:
        return to_business(stmt).where(Business.owner_id == user.id)
    if user.role in STAFF or user.role == Role.ADMIN:
        return stmt
    return stmt.where(False)


def owned_business_or_404(business_id: int, user: User) -> Business:
    """The business with this id if `user` may see it; 404 otherwise (never 403: no leak)."""
    return one_or_404(scope_businesses(select(Business).where(Business.id == business_id), user))


def owned_employment_or_404(employment_id: int, user: User) -> Employment:
    return one_or_404(
        scope_employments(select(Employment).where(Employment.id == employment_id), user)
    )


def one_or_404(stmt: Select):
    """The first row `stmt` selects; `NotFound` (the view answers 404) when there is none."""
    row = db.session.scalar(stmt)
    if row is None:
        raise NotFound()
    return row
